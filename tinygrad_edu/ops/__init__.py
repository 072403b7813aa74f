"""Primitive ops, one ``Function`` subclass each, grouped by family."""
from .elementwise import (Abs, Add, Clamp, Cos, Sin, Div, Exp, Log, Maximum, Minimum, Mul, Neg, Pow, Relu,
                          Sigmoid, Sqrt, Sub, Tanh, Where, unbroadcast)
from .loss import Gather, LogSoftmax
from . import pool
from .conv import Conv2d
from .matmul import Linear, MatMul
from .norm import Normalize
from .movement import Cat, Copy, Expand, Index, Permute, Reshape
from .pool import AvgPool2d, MaxPool2d
from .reduce import CumSum, Max, Min, Norm, Sum, TakeAlongDim

__all__ = [
    "Abs", "Add", "Clamp", "Cos", "Sin", "Div", "Exp", "Log", "Maximum", "Minimum", "Mul", "Neg", "Pow", "Relu",
    "Sigmoid", "Sqrt", "Sub", "Tanh", "Where", "unbroadcast", "Gather", "LogSoftmax", "MatMul", "Linear",
    "Normalize", "Conv2d", "MaxPool2d", "AvgPool2d", "Cat", "Copy", "Expand", "Index", "Permute", "Reshape", "CumSum", "Norm", "Max", "Min", "TakeAlongDim", "Sum",
]
