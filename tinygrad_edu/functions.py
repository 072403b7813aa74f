"""Module-level functions with torch's names (``tinygrad_edu.cat``, ``tinygrad_edu.exp``, ...)."""
from __future__ import annotations

import builtins
from typing import Any, Optional, Sequence

import numpy as np

from . import ops
from .tensor import Tensor, _normalize_dim, _result_dtype


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dim; all other dims must match."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("cat: expected a non-empty list of Tensors")
    if not all(isinstance(t, Tensor) for t in tensors):
        raise TypeError("cat: expected a sequence of Tensors, got "
                        + ", ".join(type(t).__name__ for t in tensors))
    first = tensors[0]
    if first.ndim == 0:
        raise RuntimeError("cat: zero-dimensional tensor cannot be concatenated")
    d = _normalize_dim(dim, first.ndim, "cat")
    for k, t in enumerate(tensors):
        if t.ndim != first.ndim or any(i != d and t.shape[i] != first.shape[i] for i in range(first.ndim)):
            raise RuntimeError(f"cat: sizes of tensors must match except in dimension {d}: tensor 0 "
                               f"has shape {first.shape} but tensor {k} has shape {t.shape}")
    dtype = first.dtype
    for t in tensors[1:]:
        dtype = _result_dtype(dtype, t.dtype)
    return ops.Cat.apply(*[t._cast(dtype) for t in tensors], dim=d)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join same-shaped tensors along a new dim: cat of each unsqueezed at ``dim``."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("stack: expected a non-empty list of Tensors")
    for k, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(f"stack: expects each tensor to be equal size, but got "
                               f"{tensors[0].shape} at entry 0 and {t.shape} at entry {k}")
    d = _normalize_dim(dim, tensors[0].ndim + 1, "stack")
    return cat([t.unsqueeze(d) for t in tensors], d)


def where(condition: Any, input: Any, other: Any) -> Tensor:
    """Elementwise ``input if condition else other``; gradients flow to input and other only."""
    cond = condition.array if isinstance(condition, Tensor) else np.asarray(condition)
    if cond.dtype != np.bool_:
        raise RuntimeError(f"where: expected condition to be a bool tensor, got {cond.dtype}")
    ref = input if isinstance(input, Tensor) else other if isinstance(other, Tensor) else None
    if ref is None:
        ref = Tensor(np.asarray(input))
    a = ref._operand(input)
    b = ref._operand(other)
    try:
        np.broadcast_shapes(cond.shape, a.shape, b.shape)
    except ValueError:
        raise RuntimeError(f"where: condition {cond.shape}, input {a.shape} and other {b.shape} "
                           f"are not broadcastable") from None
    dtype = _result_dtype(a.dtype, b.dtype)
    return ops.Where.apply(Tensor._from_op(cond), a._cast(dtype), b._cast(dtype))


def maximum(a: Tensor, b: Any) -> Tensor: return a.maximum(b)
def minimum(a: Tensor, b: Any) -> Tensor: return a.minimum(b)
def clamp(x: Tensor, min: Optional[float] = None, max: Optional[float] = None) -> Tensor:
    return x.clamp(min, max)
def exp(x: Tensor) -> Tensor: return x.exp()
def log(x: Tensor) -> Tensor: return x.log()
def sqrt(x: Tensor) -> Tensor: return x.sqrt()
def abs(x: Tensor) -> Tensor: return x.abs()


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    return tensor.split(split_size_or_sections, dim)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    return input.chunk(chunks, dim)
def relu(x: Tensor) -> Tensor: return x.relu()
def sigmoid(x: Tensor) -> Tensor: return x.sigmoid()
def tanh(x: Tensor) -> Tensor: return x.tanh()
def sin(input: Tensor) -> Tensor: return input.sin()
def cos(input: Tensor) -> Tensor: return input.cos()
def matmul(a: Tensor, b: Any) -> Tensor: return a.matmul(b)
def reshape(x: Tensor, shape: Any) -> Tensor: return x.reshape(shape)
def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor: return x.flatten(start_dim, end_dim)
def sum(x: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    return x.sum(dim, keepdim, dtype=dtype)
def mean(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor: return x.mean(dim, keepdim)
def argmax(x: Tensor, dim: Optional[int] = None, keepdim: bool = False) -> Tensor: return x.argmax(dim, keepdim)
def softmax(x: Tensor, dim: int) -> Tensor: return x.softmax(dim)
def log_softmax(x: Tensor, dim: int) -> Tensor: return x.log_softmax(dim)
def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor: return x.transpose(dim0, dim1)
def permute(x: Tensor, dims: Any) -> Tensor: return x.permute(dims)
def squeeze(x: Tensor, dim: Optional[int] = None) -> Tensor: return x.squeeze(dim)
def unsqueeze(x: Tensor, dim: int) -> Tensor: return x.unsqueeze(dim)


def gather(input: Tensor, dim: int, index: Tensor) -> Tensor: return input.gather(dim, index)
def argmin(x: Tensor, dim: Optional[int] = None, keepdim: bool = False) -> Tensor: return x.argmin(dim, keepdim)


def max(x: Tensor, dim: Optional[int] = None, keepdim: bool = False) -> Any:
    return x.max(dim, keepdim)


def min(x: Tensor, dim: Optional[int] = None, keepdim: bool = False) -> Any:
    return x.min(dim, keepdim)


def cumsum(input: Tensor, dim: int, dtype: Any = None) -> Tensor: return input.cumsum(dim, dtype=dtype)
def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    return input.norm(p, dim, keepdim, dtype=dtype)
def mm(input: Tensor, mat2: Tensor) -> Tensor: return input.mm(mat2)


def pow(input: Any, exponent: Any) -> Tensor:
    """input ** exponent, elementwise; either may be a number, not both (torch.pow)."""
    if isinstance(input, Tensor):
        return input.pow(exponent)
    if isinstance(exponent, Tensor):
        return exponent.__rpow__(input)
    raise TypeError(f"pow(): expected a Tensor as the input or the exponent, got {type(input).__name__} and "
                    f"{type(exponent).__name__}")



def mv(input: Tensor, vec: Tensor) -> Tensor: return input.mv(vec)
def dot(input: Tensor, other: Tensor) -> Tensor: return input.dot(other)
def numel(input: Tensor) -> int: return input.numel()


def is_tensor(obj: Any) -> bool:
    """True for tinygrad_edu Tensors (and Parameters)."""
    return isinstance(obj, Tensor)


def repeat_interleave(input: Tensor, repeats: Any = None, dim: Optional[int] = None,
                      output_size: Optional[int] = None) -> Tensor:
    """``repeat_interleave(x, repeats, dim)``; with one integer tensor alone, the indices
    0, 1, ... each repeated that many times (torch's form)."""
    if repeats is None:
        counts = input.array
        return Tensor._from_op(np.repeat(np.arange(counts.size), counts).astype(np.int64))
    return input.repeat_interleave(repeats, dim, output_size)


def meshgrid(*tensors: Any, indexing: Optional[str] = None) -> tuple[Tensor, ...]:
    """Grids from 1-D tensors: with indexing='ij' output k varies along dim k; 'xy' swaps the
    first two dims (matplotlib's convention). Composed of reshape and expand, so each grid's
    gradient sums back onto its 1-D input."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        import warnings
        warnings.warn("meshgrid: in an upcoming release, it will be required to pass the indexing "
                      "argument (torch's default 'ij' is used)", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise ValueError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
    for k, t in enumerate(tensors):
        if t.ndim > 1:
            raise RuntimeError(f"meshgrid: expects all tensors to be 0-D or 1-D, tensor {k} has shape {t.shape}")
    flat = [t.reshape(-1) for t in tensors]
    if indexing == "xy" and len(flat) >= 2:
        flat[0], flat[1] = flat[1], flat[0]
    shape = tuple(t.shape[0] for t in flat)
    grids = [t.reshape(*[-1 if i == k else 1 for i in range(len(flat))]).expand(*shape)
             for k, t in enumerate(flat)]
    if indexing == "xy" and len(grids) >= 2:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def concat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Alias of ``cat``."""
    return cat(tensors, dim)


concatenate = concat


def var_mean(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
             correction: Any = None) -> tuple[Tensor, Tensor]:
    """(variance, mean) over ``dim`` in one call, with var's arguments (``correction``, or the
    older ``unbiased``, also as the second positional: ``var_mean(x, False)``)."""
    return _spread_and_mean(input, "var", dim, unbiased, keepdim, correction)


def std_mean(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
             correction: Any = None) -> tuple[Tensor, Tensor]:
    """(standard deviation, mean) over ``dim``; see var_mean."""
    return _spread_and_mean(input, "std", dim, unbiased, keepdim, correction)


def _spread_and_mean(input: Tensor, spread: str, dim: Any, unbiased: Any, keepdim: bool,
                     correction: Any) -> tuple[Tensor, Tensor]:
    if isinstance(dim, bool):  # var_mean(x, False): the first positional is ``unbiased``
        dim, unbiased = None, dim
    return getattr(input, spread)(dim, unbiased, keepdim, correction=correction), input.mean(dim, keepdim)


# torch.f(input, ...) for these is input.f(...): one visible table instead of one wrapper each.
METHOD_FUNCTIONS = (
    "tan", "atan", "asin", "acos", "arctan", "arcsin", "arccos", "sinh", "cosh", "asinh", "acosh", "atanh",
    "arcsinh", "arccosh", "arctanh", "isfinite", "isinf", "isnan", "log1p", "expm1", "erf",
    "log2", "log10", "exp2", "rsqrt", "reciprocal", "square", "floor", "ceil", "trunc", "fix", "round", "sign",
    "add", "sub", "mul", "div", "subtract", "multiply", "divide", "true_divide", "floor_divide", "remainder",
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_left_shift", "bitwise_right_shift",
    "logical_not", "logical_and", "logical_or", "var", "std", "prod", "cumprod", "logsumexp", "all", "any",
    "isclose", "allclose", "flip", "fliplr", "flipud", "roll", "movedim", "moveaxis", "tril", "triu",
    "masked_fill", "masked_select", "sort", "argsort", "topk", "scatter", "scatter_add", "scatter_reduce", "multinomial",
    "nonzero", "unique", "bmm", "baddbmm", "swapaxes", "swapdims", "copysign", "fmod", "lerp", "logaddexp",
    "cummax", "cummin", "logcumsumexp", "diag", "diagonal", "unflatten", "nonzero_static", "relu_",
)


def _as_function(name: str) -> Any:
    def function(input: Tensor, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' must be Tensor, not {type(input).__name__}")
        return getattr(input, name)(*args, **kwargs)
    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"torch.{name}(input, ...): the same as ``input.{name}(...)``."
    return function


# Bound in the package namespace (tinygrad_edu/__init__.py), not here: several (all, any, round)
# would shadow Python's builtins inside this module.
TORCH_FUNCTIONS = {_name: _as_function(_name) for _name in METHOD_FUNCTIONS}


def einsum(equation: str, *operands: Any) -> Tensor:
    """Einstein summation, as torch.einsum: 'ij,jk->ik' is a matrix product, 'ii->' a trace,
    'bij->bji' a transpose; without '->' the output is the letters used once, in alphabetical
    order; '...' stands for the same leading dims in every operand (see ops.matmul.Einsum)."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not all(isinstance(t, Tensor) for t in operands):
        raise TypeError("einsum(): operands must be Tensors")
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != len(operands):
        raise RuntimeError(f"einsum(): {len(inputs)} operands in the equation {equation!r} but "
                           f"{len(operands)} were given")
    letters = set(c for c in eq if c.isalpha())
    spare = [c for c in "ZYXWVUTSRQPONMLKJIHGFEDCBA" if c not in letters]
    widths = [t.ndim - (len(s) - 3) if "..." in s else 0 for s, t in zip(inputs, operands)]
    if any(w < 0 for w in widths):
        raise RuntimeError(f"einsum(): an operand has fewer dims than {equation!r} names")
    ell = "".join(spare[:builtins.max(widths, default=0)])[::-1]
    expanded = [s.replace("...", ell[len(ell) - w:] if w else "") for s, w in zip(inputs, widths)]
    if arrow:
        output = rhs.replace("...", ell)
    else:
        counts = {c: "".join(expanded).count(c) for c in "".join(expanded)}
        output = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    for subs, t in zip(expanded, operands):
        if len(subs) != t.ndim or not all(c.isalpha() for c in subs):
            raise RuntimeError(f"einsum(): the subscripts {subs!r} do not match an operand of shape {t.shape} "
                               f"in {equation!r}")
    sizes: dict[str, int] = {}
    for subs, t in zip(expanded, operands):
        for c, n in zip(subs, t.shape):
            if sizes.setdefault(c, n) != n:
                raise RuntimeError(f"einsum(): the letter {c!r} has sizes {sizes[c]} and {n} in {equation!r} "
                                   f"(operand shapes {[tuple(o.shape) for o in operands]}; broadcasting a "
                                   f"size-1 dim is not supported here)")
    if any(c not in sizes for c in output) or len(set(output)) != len(output):
        raise RuntimeError(f"einsum(): the output subscripts {output!r} must be distinct letters of the inputs")
    dtype = operands[0].dtype
    for t in operands[1:]:
        dtype = _result_dtype(dtype, t.dtype)
    return ops.Einsum.apply(*[t._cast(dtype) for t in operands], inputs=tuple(expanded), output=output)
