"""Neural-network building blocks: ``functional``, ``init``, Module/Parameter/Sequential and layers."""
from . import functional, init
from .layers import (AdaptiveAvgPool2d, AvgPool2d, Conv2d, CrossEntropyLoss, Dropout, Flatten, Linear,
                     MaxPool2d, MSELoss, NLLLoss, ReLU, Sigmoid, Softmax, Tanh)
from .module import Module, Parameter, Sequential

__all__ = ["functional", "init", "Module", "Parameter", "Sequential", "Linear", "Conv2d", "MaxPool2d",
           "AvgPool2d", "AdaptiveAvgPool2d", "Flatten", "ReLU", "Sigmoid", "Tanh", "Softmax", "Dropout",
           "CrossEntropyLoss", "NLLLoss", "MSELoss"]
