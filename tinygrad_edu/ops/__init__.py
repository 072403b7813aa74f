"""Primitive ops, one ``Function`` subclass each, grouped by family."""
from .elementwise import (Abs, Add, Clamp, Cos, Sin, Div, Exp, Log, Maximum, Minimum, Mul, Neg, Pow, Relu,
                          Sigmoid, Sqrt, Sub, Tanh, Where, unbroadcast)
from .loss import Gather, LogSoftmax
from . import pool, recurrent
from .conv import Conv2d
from .matmul import Einsum, Linear, MatMul
from .norm import BatchNorm, Normalize
from .movement import Cat, Copy, Expand, Index, IndexPut, Permute, Reshape
from .pool import AvgPool2d, MaxPool2d
from .reduce import CumProd, CumSum, Max, Min, Norm, Prod, Sum, TakeAlongDim
from .scatter import Scatter, ScatterReduce
from .unary import Acos, Acosh, Asin, Asinh, Atan, Atanh, Cosh, Erf, Expm1, FloorDivide, Fmod, Log1p, LogCumSumExp, Remainder, Sinh, Stepwise, Tan
from .conv import ConvTranspose2d
from .loss import BinaryCrossEntropy

__all__ = [
    "Abs", "Add", "Clamp", "Cos", "Sin", "Div", "Exp", "Log", "Maximum", "Minimum", "Mul", "Neg", "Pow", "Relu",
    "Sigmoid", "Sqrt", "Sub", "Tanh", "Where", "unbroadcast", "Gather", "LogSoftmax", "MatMul", "Linear",
    "Normalize", "BatchNorm", "Conv2d", "MaxPool2d", "AvgPool2d", "Cat", "Copy", "Expand", "Index", "IndexPut", "Permute", "Reshape", "CumSum", "Norm", "Max", "Min", "TakeAlongDim", "Sum",
    "CumProd", "Prod", "Scatter", "ScatterReduce", "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "Cosh", "Erf", "Expm1", "Log1p",
    "Sinh", "Stepwise", "Tan", "Remainder", "Fmod", "LogCumSumExp", "FloorDivide", "ConvTranspose2d", "BinaryCrossEntropy", "Einsum",
]
