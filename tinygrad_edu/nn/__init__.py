"""Neural-network building blocks: ``functional``, Module/Parameter/Sequential and layers."""
from . import functional
from .layers import (AdaptiveAvgPool2d, AvgPool2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sigmoid,
                     Tanh)
from .module import Module, Parameter, Sequential

__all__ = ["functional", "Module", "Parameter", "Sequential", "Linear", "Conv2d", "MaxPool2d",
           "AvgPool2d", "AdaptiveAvgPool2d", "Flatten", "ReLU", "Sigmoid", "Tanh"]
