"""tinygrad_edu: a small, readable reverse-mode autograd Tensor on NumPy, with PyTorch's API names.

    import tinygrad_edu as tg
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    x.grad      # tensor([2., 4.])
"""
from . import autograd, data, memory, nn, ops, optim, viz
from .autograd import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .checkpoint import CheckpointError, load, save
from .creation import (arange, as_tensor, from_numpy, full, manual_seed, normal, ones, ones_like, rand, randn,
                       tensor, zeros, zeros_like)
from .functions import (abs, argmax, argmin, gather, cat, clamp, exp, flatten, log, log_softmax, matmul, max,
                        maximum, mean, min, minimum, permute, relu, reshape, sigmoid, softmax, sqrt,
                        squeeze, stack, sum, tanh, transpose, unsqueeze, where)
from .gradcheck import GradcheckError, GradcheckReport, gradcheck
from .tensor import Tensor, bool_, float16, float32, float64, int8, int16, int32, int64, uint8

# torch's dtype aliases (they shadow the builtins inside this module only, as in torch)
bool = bool_
half, float, double = float16, float32, float64
short, int, long = int16, int32, int64

__version__ = "0.1.0"

__all__ = [
    "Tensor", "tensor", "as_tensor", "from_numpy", "zeros", "ones", "full", "zeros_like", "ones_like", "rand",
    "randn", "normal", "arange", "manual_seed", "no_grad", "enable_grad", "is_grad_enabled",
    "detect_anomaly", "save", "load", "CheckpointError", "gradcheck", "GradcheckReport", "GradcheckError", "float32", "float64",
    "int32", "int64", "bool_", "bool", "half", "float", "double", "short", "int", "long", "float16", "int8", "int16", "uint8", "cat", "stack", "where", "maximum", "minimum", "clamp", "exp", "log",
    "sqrt", "abs", "relu", "sigmoid", "tanh", "matmul", "reshape", "flatten", "sum", "mean", "max",
    "min", "argmax", "argmin", "gather", "softmax", "log_softmax", "transpose", "permute", "squeeze", "unsqueeze",
    "autograd", "data", "nn", "ops", "optim", "viz",
]
