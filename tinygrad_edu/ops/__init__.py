"""Primitive ops, one ``Function`` subclass each, grouped by family."""
from .elementwise import (Abs, Add, Clamp, Div, Exp, Log, Maximum, Minimum, Mul, Neg, Pow, Relu,
                          Sigmoid, Sqrt, Sub, Tanh, Where, unbroadcast)
from .loss import Gather, LogSoftmax
from .matmul import MatMul
from .movement import Cat, Copy, Expand, Index, Permute, Reshape
from .reduce import Max, MaxDim, Sum

__all__ = [
    "Abs", "Add", "Clamp", "Div", "Exp", "Log", "Maximum", "Minimum", "Mul", "Neg", "Pow", "Relu",
    "Sigmoid", "Sqrt", "Sub", "Tanh", "Where", "unbroadcast", "Gather", "LogSoftmax", "MatMul",
    "Cat", "Copy", "Expand", "Index", "Permute", "Reshape", "Max", "MaxDim", "Sum",
]
