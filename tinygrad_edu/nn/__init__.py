"""Neural-network building blocks: ``functional``, ``init``, Module/Parameter/containers and layers."""
from . import functional, init, utils
from .layers import (AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool2d, Conv2d, CrossEntropyLoss, Dropout, Embedding, Flatten, Identity,
                     Linear, MaxPool2d, MSELoss, NLLLoss, ReLU, Sigmoid, Softmax,
                     Tanh)
from .normalization import BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm
from .lazy import (LazyBatchNorm1d, LazyBatchNorm2d, LazyConv2d, LazyLinear, UninitializedBuffer,
                   UninitializedParameter)
from .activation import (BCELoss, BCEWithLogitsLoss, CELU, Conv1d, ConvTranspose2d, ELU, GELU, Hardtanh,
                         HuberLoss, L1Loss, LeakyReLU, LogSigmoid, LogSoftmax, ReLU6, SELU, SiLU, SmoothL1Loss,
                         Softplus, Upsample)
from .rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell
from .module import DataParallel, Module, ModuleDict, ModuleList, Parameter, ParameterList, Sequential

__all__ = ["functional", "init", "DataParallel", "Module", "Parameter", "Sequential", "ModuleList", "ModuleDict",
           "ParameterList", "UninitializedParameter", "UninitializedBuffer", "Linear", "LazyLinear", "Conv2d", "LazyConv2d", "MaxPool2d", "AvgPool2d",
           "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "Flatten", "Identity", "ReLU", "Sigmoid", "Tanh", "Softmax", "Dropout",
           "CrossEntropyLoss", "NLLLoss", "MSELoss", "BatchNorm1d", "BatchNorm2d", "LazyBatchNorm1d",
           "LazyBatchNorm2d", "LayerNorm", "GroupNorm", "Embedding", "RNN", "GRU", "LSTM", "RNNCell", "GRUCell",
           "LSTMCell", "RNNBase", "utils", "BCELoss", "BCEWithLogitsLoss", "CELU", "Conv1d", "ConvTranspose2d",
           "ELU", "GELU", "Hardtanh", "LeakyReLU", "LogSigmoid", "LogSoftmax", "ReLU6", "SELU", "SiLU", "Softplus", "Upsample", "L1Loss", "SmoothL1Loss", "HuberLoss"]
