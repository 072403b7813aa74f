"""tinygrad_edu: a small, readable reverse-mode autograd Tensor on NumPy, with PyTorch's API names.

    import tinygrad_edu as tg
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    x.grad      # tensor([2., 4.])

d2l's code runs with ``import tinygrad_edu as torch`` and ``from tinygrad_edu import d2l``.
"""
from typing import TYPE_CHECKING, Any

from . import parallel  # first: it sets OPENBLAS_THREAD_TIMEOUT before NumPy is imported (see parallel.py)
from . import aliases, autograd, cuda, data, distributions, memory, nn, ops, optim, utils, viz
from .autograd import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .checkpoint import CheckpointError, load, save
from .creation import (BoolTensor, DoubleTensor, FloatTensor, IntTensor, LongTensor, arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like, linspace, logspace,
                       manual_seed, normal, ones, ones_like, rand, randint, randn, tensor, zeros, zeros_like)
from .device import device
from .parallel import get_num_threads, set_num_threads
from .functions import (einsum, abs, argmax, argmin, cat, chunk, clamp, concat, concatenate, cumsum, dot, exp, flatten,
                        gather, is_tensor, log, log_softmax, matmul, max, maximum, mean, meshgrid, min,
                        minimum, mm, mv, norm, numel, permute, pow, relu, repeat_interleave, reshape, sigmoid,
                        sin, cos, softmax, split, sqrt, squeeze, stack, std_mean, sum, tanh, transpose, unsqueeze,
                        var_mean, where)
from .gradcheck import GradcheckError, GradcheckReport, gradcheck
from .printing import set_printoptions
from .utils.data import Generator
from .tensor import Size, Tensor, get_default_dtype, set_default_dtype, bool_, float16, float32, float64, int8, int16, int32, int64, uint8

# torch's dtype aliases (they shadow the builtins inside this module only, as in torch)
bool = bool_
half, float, double = float16, float32, float64
short, int, long = int16, int32, int64

from . import functions as _functions
globals().update(_functions.TORCH_FUNCTIONS)  # torch.tan(x) etc.

if TYPE_CHECKING:  # pragma: no cover
    # the names installed just above (functions.TORCH_FUNCTIONS), for the type checker
    def __getattr__(name: str) -> Any: ...

aliases.install(Tensor, globals())  # axis=/keepdims=/size= as torch accepts them (see aliases.py)

__version__ = "0.1.0"

__all__ = [
    "Tensor", "Size", "Generator", "get_default_dtype", "set_default_dtype", "FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "BoolTensor", "tensor", "as_tensor", "from_numpy", "zeros", "ones", "full", "empty", "zeros_like",
    "ones_like", "full_like", "empty_like", "eye", "linspace", "logspace", "rand", "randn", "randint", "normal", "arange",
    "manual_seed", "get_num_threads", "set_num_threads", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "detect_anomaly",
    "save", "load", "CheckpointError", "gradcheck", "GradcheckReport", "GradcheckError", "device",
    "float32", "float64", "int32", "int64", "bool_", "bool", "half", "float", "double", "short", "int",
    "long", "float16", "int8", "int16", "uint8",
    "cat", "concat", "concatenate", "stack", "where", "maximum", "minimum", "clamp", "exp", "log", "sqrt",
    "set_printoptions", "einsum", "abs", "split", "chunk", "relu", "sigmoid", "tanh", "sin", "cos", "matmul", "mm", "mv", "pow", "dot", "norm", "cumsum", "reshape", "flatten",
    "sum", "mean", "max", "min", "argmax", "argmin", "gather", "softmax", "log_softmax", "transpose",
    "permute", "squeeze", "unsqueeze", "meshgrid", "repeat_interleave", "is_tensor", "numel", "std_mean", "var_mean",
    *_functions.METHOD_FUNCTIONS,
    "aliases", "autograd", "cuda", "data", "distributions", "nn", "ops", "optim", "utils", "viz",
]
