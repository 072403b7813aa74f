"""Tensor methods beyond the core: torch names built from the primitives.

``Tensor`` (tensor.py) inherits these. Most are composites: their backward is the autograd's,
through ops a student already knows (``var`` is a mean, a subtraction, a square and a sum;
``flip`` is indexing with step -1; ``masked_fill`` is ``where``). The few that need their own
derivative call a primitive in ``ops`` (``unary.py`` for tan ... erf and the rounding family,
``reduce.py`` for prod and cumprod, ``scatter.py`` for scatter).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Optional, cast

import numpy as np

from . import ops
from .autograd import no_grad
from .tensor_more import MoreMethods

if TYPE_CHECKING:
    from .autograd import Function
    from .tensor import Tensor


def _zero_like_through(t: "Tensor") -> "Tensor":
    """Zeros of t's shape that pass a zero gradient back to t and none of its nan or inf (t with
    every element masked to 0): what an ignored input of a product with beta = 0 contributes."""
    from .tensor import Tensor
    return t.masked_fill(Tensor._from_op(np.ones(t.shape, dtype=bool)), 0.0)


def _me(t: "ExtraMethods") -> "Tensor":
    """``self`` as the Tensor it is (ExtraMethods is only ever mixed into Tensor), for the type checker."""
    return cast("Tensor", t)


def _dim(dim: Any, ndim: int, op: str) -> int:
    from .tensor import _normalize_dim
    return _normalize_dim(dim, ndim, op)


def _dims(dims: Any, op: str) -> tuple[int, ...]:
    if isinstance(dims, (int, np.integer)):
        return (int(dims),)
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        return tuple(dims[0])
    return tuple(dims)


def _int_array(x: Any, op: str, what: str = "index") -> np.ndarray:
    from .tensor import Tensor
    arr = x.array if isinstance(x, Tensor) else np.asarray(x)
    if arr.dtype.kind not in "iu":
        raise RuntimeError(f"{op}: expected an integer (int64) {what} tensor, got {arr.dtype}")
    return arr.astype(np.int64, copy=False)


class SortResult(tuple):
    """(values, indices) as returned by ``sort`` and ``topk``, also readable by name."""

    def __new__(cls, values: "Tensor", indices: "Tensor") -> "SortResult":
        return super().__new__(cls, (values, indices))

    @property
    def values(self) -> "Tensor":
        return self[0]

    @property
    def indices(self) -> "Tensor":
        return self[1]


class ExtraMethods(MoreMethods):
    """Mixed into Tensor; every method uses only Tensor's public API and ``ops``."""

    if TYPE_CHECKING:  # pragma: no cover
        # What these methods use of Tensor (tensor.py defines them), declared for the type checker.
        array: np.ndarray

        @property
        def shape(self) -> tuple[int, ...]: ...
        @property
        def ndim(self) -> int: ...
        @property
        def dtype(self) -> np.dtype: ...
        def _as_float(self, op: str) -> Tensor: ...
        def _binary(self, fn: type[Function], other: Any, op: str, reverse: bool = False) -> Tensor: ...
        def _cast(self, dtype: np.dtype) -> Tensor: ...
        def _operand(self, other: Any) -> Tensor: ...
        def _reduce_axes(self, dim: Any, op: str) -> Optional[tuple[int, ...]]: ...
        def clone(self) -> Tensor: ...
        def expand(self, *sizes: Any) -> Tensor: ...
        def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor: ...
        def gather(self, dim: int, index: Tensor) -> Tensor: ...
        def log(self) -> Tensor: ...
        def permute(self, *dims: Any) -> Tensor: ...
        def sqrt(self) -> Tensor: ...

    # ------------------------------------------------------------------ unary primitives (ops/unary.py)
    def tan(self) -> "Tensor": return ops.Tan.apply(self._as_float("tan"))
    def atan(self) -> "Tensor": return ops.Atan.apply(self._as_float("atan"))
    def asin(self) -> "Tensor": return ops.Asin.apply(self._as_float("asin"))
    def acos(self) -> "Tensor": return ops.Acos.apply(self._as_float("acos"))
    def sinh(self) -> "Tensor": return ops.Sinh.apply(self._as_float("sinh"))
    def cosh(self) -> "Tensor": return ops.Cosh.apply(self._as_float("cosh"))
    def asinh(self) -> "Tensor": return ops.Asinh.apply(self._as_float("asinh"))
    def acosh(self) -> "Tensor": return ops.Acosh.apply(self._as_float("acosh"))
    def atanh(self) -> "Tensor": return ops.Atanh.apply(self._as_float("atanh"))
    def log1p(self) -> "Tensor": return ops.Log1p.apply(self._as_float("log1p"))
    def expm1(self) -> "Tensor": return ops.Expm1.apply(self._as_float("expm1"))
    def erf(self) -> "Tensor": return ops.Erf.apply(self._as_float("erf"))
    arctan, arcsin, arccos, arcsinh, arccosh, arctanh = atan, asin, acos, asinh, acosh, atanh

    # predicates (no gradient: their values are booleans)
    def isfinite(self) -> "Tensor":
        """True where the value is neither infinite nor nan (integers: everywhere)."""
        from .tensor import Tensor
        return Tensor._from_op(np.isfinite(self.array))

    def isinf(self) -> "Tensor":
        from .tensor import Tensor
        return Tensor._from_op(np.isinf(self.array))

    def isnan(self) -> "Tensor":
        from .tensor import Tensor
        return Tensor._from_op(np.isnan(self.array))

    # composites: d/dx log2 x = 1 / (x ln 2) etc. follow from the chain rule
    def log2(self) -> "Tensor": return self.log() / math.log(2.0)
    def log10(self) -> "Tensor": return self.log() / math.log(10.0)
    def exp2(self) -> "Tensor": return 2.0 ** self._as_float("exp2")
    def rsqrt(self) -> "Tensor": return 1.0 / self.sqrt()
    def reciprocal(self) -> "Tensor": return 1.0 / self._as_float("reciprocal")

    def _stepwise(self, fn: str) -> "Tensor":
        if self.dtype.kind in "iub" and fn != "sign":
            return self.clone()  # integers are already whole numbers
        if self.dtype.kind == "b":
            return self.clone()
        return ops.Stepwise.apply(_me(self), fn=fn)

    def floor(self) -> "Tensor": return self._stepwise("floor")
    def ceil(self) -> "Tensor": return self._stepwise("ceil")
    def trunc(self) -> "Tensor": return self._stepwise("trunc")
    def sign(self) -> "Tensor": return self._stepwise("sign")
    fix = trunc

    def round(self, decimals: int = 0) -> "Tensor":
        """Round half to even (as torch and NumPy); ``decimals`` rounds to 10^-decimals."""
        if decimals == 0:
            return self._stepwise("round")
        scale = 10.0 ** decimals
        return (_me(self) * scale)._stepwise("round") / scale

    # ------------------------------------------------------------------ arithmetic with torch's keywords
    def add(self, other: Any, *, alpha: Any = 1) -> "Tensor":
        """self + alpha * other."""
        return self + (other if alpha == 1 else other * alpha)

    def sub(self, other: Any, *, alpha: Any = 1) -> "Tensor":
        """self - alpha * other."""
        return self - (other if alpha == 1 else other * alpha)

    def mul(self, other: Any) -> "Tensor": return self * other

    def div(self, other: Any, *, rounding_mode: Optional[str] = None) -> "Tensor":
        """self / other; rounding_mode 'trunc' rounds toward 0, 'floor' down (gradient 0 then)."""
        if rounding_mode is None:
            return self / other
        if rounding_mode not in ("trunc", "floor"):
            raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                             f"found '{rounding_mode}'")
        other = self._operand(other)
        if self.dtype.kind in "iub" and other.dtype.kind in "iub":
            return self._integer_op(other, "div", rounding_mode)
        if rounding_mode == "trunc":
            return (self / other).trunc()
        return self._binary(ops.FloorDivide, other, "floor_divide")

    subtract, multiply, true_divide, divide = sub, mul, div, div

    def _integer_op(self, other: "Tensor", op: str, mode: str = "") -> "Tensor":
        """Integer arithmetic outside the graph (integers carry no gradient)."""
        from .tensor import Tensor, _result_dtype
        a, b = self.array, other.array
        dtype = _result_dtype(a.dtype, b.dtype)
        if dtype.kind == "b" and op in ("div", "floor_divide", "remainder", "fmod"):
            dtype = np.dtype(np.int64)
        a, b = a.astype(dtype), b.astype(dtype)
        if op in ("div", "floor_divide", "remainder", "fmod") and np.any(b == 0):
            raise RuntimeError(f"{op}: ZeroDivisionError (integer division by zero; divisor of shape "
                               f"{other.shape} contains 0)")
        with np.errstate(all="ignore"):
            if op == "div" and mode == "trunc":  # floor, then one step toward 0 when inexact and negative
                out = np.floor_divide(a, b)
                out = out + ((np.remainder(a, b) != 0) & ((a < 0) != (b < 0)))
            elif op in ("div", "floor_divide"):
                out = np.floor_divide(a, b)
            elif op == "fmod":
                out = np.fmod(a, b)
            else:
                out = np.remainder(a, b)
        return Tensor._from_op(np.asarray(out, dtype=dtype))

    def floor_divide(self, other: Any) -> "Tensor":
        """self // other rounded down. torch defines no derivative for floor_divide (its backward
        raises), so the result here is outside the graph; div(rounding_mode='floor') has gradient 0."""
        with no_grad():
            return self.div(other, rounding_mode="floor")

    def remainder(self, other: Any) -> "Tensor":
        """self - floor(self / other) * other, with the sign of the divisor (Python's %); see
        ops.unary.Remainder."""
        other = self._operand(other)
        if self.dtype.kind in "iub" and other.dtype.kind in "iub":
            return self._integer_op(other, "remainder")
        return self._binary(ops.Remainder, other, "remainder")

    def __floordiv__(self, other: Any) -> "Tensor": return self.floor_divide(other)
    def __rfloordiv__(self, other: Any) -> "Tensor": return self._operand(other).floor_divide(self)
    def __mod__(self, other: Any) -> "Tensor": return self.remainder(other)
    def __rmod__(self, other: Any) -> "Tensor": return self._operand(other).remainder(self)

    # ------------------------------------------------------------------ bitwise and logical (no gradient)
    def _bitwise(self, other: Any, fn: Any, op: str) -> "Tensor":
        from .tensor import Tensor, _result_dtype
        other = self._operand(other) if other is not None else None
        for t in (self,) + ((other,) if other is not None else ()):
            if t.dtype.kind not in "iub":
                raise RuntimeError(f"{op}: \"{op}_cpu\" is only defined for integer and bool tensors, "
                                   f"got {t.dtype} (shape {t.shape})")
        if other is None:
            return Tensor._from_op(fn(self.array))
        dtype = _result_dtype(self.array.dtype, other.array.dtype)
        try:
            return Tensor._from_op(np.asarray(fn(self.array.astype(dtype), other.array.astype(dtype)), dtype=dtype))
        except ValueError:
            raise RuntimeError(f"{op}: the shapes {self.shape} and {other.shape} are not broadcastable") from None

    def bitwise_and(self, other: Any) -> "Tensor": return self._bitwise(other, np.bitwise_and, "bitwise_and")
    def bitwise_or(self, other: Any) -> "Tensor": return self._bitwise(other, np.bitwise_or, "bitwise_or")
    def bitwise_xor(self, other: Any) -> "Tensor": return self._bitwise(other, np.bitwise_xor, "bitwise_xor")
    def bitwise_not(self) -> "Tensor": return self._bitwise(None, np.invert, "bitwise_not")
    def bitwise_left_shift(self, other: Any) -> "Tensor": return self._bitwise(other, np.left_shift, "bitwise_left_shift")
    def bitwise_right_shift(self, other: Any) -> "Tensor": return self._bitwise(other, np.right_shift, "bitwise_right_shift")
    __and__, __or__, __xor__, __invert__ = bitwise_and, bitwise_or, bitwise_xor, bitwise_not
    __lshift__, __rshift__ = bitwise_left_shift, bitwise_right_shift
    def __rand__(self, other: Any) -> "Tensor": return self._operand(other).bitwise_and(self)
    def __ror__(self, other: Any) -> "Tensor": return self._operand(other).bitwise_or(self)
    def __rxor__(self, other: Any) -> "Tensor": return self._operand(other).bitwise_xor(self)

    def logical_not(self) -> "Tensor":
        from .tensor import Tensor
        return Tensor._from_op(np.logical_not(self.array))

    def logical_and(self, other: Any) -> "Tensor":
        from .tensor import Tensor
        return Tensor._from_op(np.logical_and(self.array, self._operand(other).array))

    def logical_or(self, other: Any) -> "Tensor":
        from .tensor import Tensor
        return Tensor._from_op(np.logical_or(self.array, self._operand(other).array))

    # ------------------------------------------------------------------ reductions
    def var(self, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
            correction: Any = None) -> "Tensor":
        """sum((x - mean)^2) / (N - correction) over ``dim``; correction 1 (the default, or
        unbiased=True) is Bessel's, 0 the population variance. A composite, so
        d var / dx_i = 2 (x_i - mean) / (N - correction) comes out of the autograd."""
        if isinstance(dim, bool):  # torch's x.var(False): the first positional is ``unbiased``
            dim, unbiased = None, dim
        if unbiased is not None and correction is not None:
            raise RuntimeError("var: cannot specify both 'unbiased' and 'correction'")
        c = (1 if unbiased is None or unbiased else 0) if correction is None else correction
        x = self._as_float("var")
        axes = x._reduce_axes(dim, "var")
        n = x.array.size if axes is None else int(np.prod([x.shape[a] for a in axes]))
        centred = x - x.mean(dim, keepdim=True)
        return (centred * centred).sum(dim, keepdim) / float(max(n - c, 0))

    def std(self, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
            correction: Any = None) -> "Tensor":
        """sqrt of ``var`` with the same arguments. Where the variance is 0 the derivative of sqrt
        is infinite; torch defines the gradient there as 0, so the sqrt is taken through a
        ``where`` that routes no gradient to those elements."""
        v = self.var(dim, unbiased, keepdim, correction=correction)
        from .functions import where
        positive = v.detach() > 0
        return where(positive, where(positive, v, 1.0).sqrt(), v * 0.0)

    def prod(self, dim: Optional[int] = None, keepdim: bool = False, *, dtype: Any = None) -> "Tensor":
        """The product of the elements (along ``dim``); see ops.reduce.Prod for its gradient."""
        from .tensor import int64
        x = _me(self) if dtype is None else self._cast(np.dtype(dtype))
        if dtype is None and x.dtype.kind in "biu":
            x = x._cast(int64)
        if dim is None or x.ndim == 0:
            out = ops.Prod.apply(x, dim=None, keepdim=False)
            return out.reshape((1,) * x.ndim) if keepdim and dim is not None else out
        return ops.Prod.apply(x, dim=_dim(dim, x.ndim, "prod"), keepdim=keepdim)

    def cumprod(self, dim: int, *, dtype: Any = None) -> "Tensor":
        """Running products along ``dim``; see ops.reduce.CumProd."""
        from .tensor import int64
        x = _me(self) if dtype is None else self._cast(np.dtype(dtype))
        if dtype is None and x.dtype.kind in "biu":
            x = x._cast(int64)
        d = _dim(dim, x.ndim, "cumprod")
        return x.clone() if x.ndim == 0 else ops.CumProd.apply(x, dim=d)

    def logsumexp(self, dim: Any, keepdim: bool = False) -> "Tensor":
        """log(sum(exp(x))) over ``dim``, as m + log(sum(exp(x - m))) with m the (detached) max,
        so nothing overflows; its gradient is softmax(x) along ``dim``."""
        x = self._as_float("logsumexp")
        axes = x._reduce_axes(dim, "logsumexp")
        m = np.max(x.array, axis=axes, keepdims=True) if x.array.size else np.zeros((1,) * x.ndim, x.dtype)
        m = np.where(np.isfinite(m), m, 0).astype(x.dtype)
        from .tensor import Tensor
        shift = Tensor._from_op(m)
        out = (x - shift).exp().sum(dim, keepdim=True).log() + shift
        if x.ndim == 0:
            return out.reshape(())
        if keepdim:
            return out
        reduced = set(range(x.ndim)) if axes is None else set(axes)
        return out.reshape(tuple(s for i, s in enumerate(x.shape) if i not in reduced))

    def all(self, dim: Any = None, keepdim: bool = False) -> "Tensor":
        """True where every element (along ``dim``) is nonzero."""
        from .tensor import Tensor
        axes = self._reduce_axes(dim, "all")
        return Tensor._from_op(np.asarray(np.all(self.array, axis=axes, keepdims=keepdim and self.ndim > 0)))

    def any(self, dim: Any = None, keepdim: bool = False) -> "Tensor":
        """True where some element (along ``dim``) is nonzero."""
        from .tensor import Tensor
        axes = self._reduce_axes(dim, "any")
        return Tensor._from_op(np.asarray(np.any(self.array, axis=axes, keepdims=keepdim and self.ndim > 0)))

    def isclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> "Tensor":
        """|self - other| <= atol + rtol * |other| elementwise (torch's rule, not symmetric)."""
        from .tensor import Tensor
        other = self._operand(other)
        return Tensor._from_op(np.isclose(self.array, other.array, rtol=rtol, atol=atol, equal_nan=equal_nan))

    def allclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        return bool(self.isclose(other, rtol, atol, equal_nan).array.all())

    # ------------------------------------------------------------------ batched products
    def bmm(self, mat2: "Tensor") -> "Tensor":
        """Batched matrix product of (b, n, m) and (b, m, p) tensors, without broadcasting
        (torch.bmm): matmul on 3-D operands, whose gradient is matmul's."""
        from .tensor import Tensor
        a = _me(self)
        if a.ndim != 3:
            raise RuntimeError(f"bmm: batch1 must be a 3D tensor, got shape {tuple(a.shape)}")
        if not isinstance(mat2, Tensor) or mat2.ndim != 3:
            raise RuntimeError(f"bmm: batch2 must be a 3D tensor, got "
                               f"{tuple(mat2.shape) if isinstance(mat2, Tensor) else type(mat2).__name__}")
        if mat2.shape[0] != a.shape[0] or mat2.shape[1] != a.shape[2]:
            raise RuntimeError(f"bmm: expected size for first two dimensions of batch2 tensor to be: "
                               f"[{a.shape[0]}, {a.shape[2]}] but got: [{mat2.shape[0]}, {mat2.shape[1]}]")
        return a.matmul(mat2)

    def baddbmm(self, batch1: "Tensor", batch2: "Tensor", *, beta: float = 1, alpha: float = 1) -> "Tensor":
        """beta * self + alpha * bmm(batch1, batch2), self broadcast to the product's shape. With
        beta = 0 self's values are ignored (its nan and inf do not reach the result) and its
        gradient is zero, as torch's."""
        me = _me(self)
        prod = batch1.bmm(batch2)
        try:
            expands = np.broadcast_shapes(me.shape, prod.shape) == tuple(prod.shape)
        except ValueError:
            expands = False
        if not expands:
            raise RuntimeError(f"baddbmm: the input of shape {tuple(me.shape)} cannot be expanded to the "
                               f"product's shape {tuple(prod.shape)}")
        if alpha != 1:
            prod = prod * alpha
        if beta == 0:
            return prod + _zero_like_through(me)
        return prod + (me if beta == 1 else me * beta)

    # ------------------------------------------------------------------ movement (composites of indexing)
    def swapaxes(self, axis0: int, axis1: int) -> "Tensor":
        """NumPy's name for transpose(axis0, axis1)."""
        return _me(self).transpose(axis0, axis1)

    def swapdims(self, dim0: int, dim1: int) -> "Tensor":
        """Another name for transpose(dim0, dim1)."""
        return _me(self).transpose(dim0, dim1)

    def __reversed__(self) -> "Tensor":
        """reversed(t): t flipped along dim 0 (a 0-d tensor comes back as it is), as torch's."""
        me = _me(self)
        return me if me.ndim == 0 else me.flip(0)

    def flip(self, *dims: Any) -> "Tensor":
        """Reverse the order along ``dims``: indexing with the positions n-1, ..., 0 (torch allows no
        negative slice steps), so the gradient is put back in reversed order."""
        from .tensor import Tensor
        if not dims:
            raise TypeError('flip() missing 1 required positional arguments: "dims"')
        given = [_dim(d, self.ndim, "flip") for d in _dims(dims, "flip")]
        for d in given:
            if given.count(d) > 1:
                raise RuntimeError(f"flip: dim {d} appears multiple times in the list of dims")
        axes = sorted(given)
        out = _me(self)
        for d in axes if self.ndim else []:
            out = out[(slice(None),) * d + (Tensor._from_op(np.arange(self.shape[d] - 1, -1, -1)),)]
        return out if out is not self else self.clone()

    def fliplr(self) -> "Tensor": return self.flip(1)
    def flipud(self) -> "Tensor": return self.flip(0)

    def roll(self, shifts: Any, dims: Any = None) -> "Tensor":
        """Shift elements along ``dims`` cyclically: the two pieces, concatenated the other way."""
        from .functions import cat
        if dims is None:
            return self.flatten().roll(shifts, 0).reshape(self.shape)
        shifts, dims = _dims(shifts, "roll"), _dims(dims, "roll")
        if len(shifts) != len(dims):
            raise RuntimeError(f"roll: shifts and dimensions must align. shifts: {len(shifts)}, dims: {len(dims)}")
        out = _me(self)
        for s, d in zip(shifts, dims):
            d = _dim(d, self.ndim, "roll")
            n = self.shape[d] if self.ndim else 1
            if n == 0 or s % n == 0:
                continue
            k = n - s % n
            head = tuple(slice(None) if i != d else slice(0, k) for i in range(out.ndim))
            tail = tuple(slice(None) if i != d else slice(k, None) for i in range(out.ndim))
            out = cat([out[tail], out[head]], d)
        return out if out is not self else self.clone()

    def split(self, split_size_or_sections: Any, dim: int = 0) -> tuple["Tensor", ...]:
        """Pieces along ``dim``: of ``split_size_or_sections`` each (the last one smaller when it
        does not divide the size), or of the sizes listed. Each piece is a slice, so its gradient
        goes back to its own positions (zero elsewhere)."""
        if self.ndim == 0:
            raise RuntimeError("split expects at least a 1-dimensional tensor")
        d = _dim(dim, self.ndim, "split")
        n = self.shape[d]
        if isinstance(split_size_or_sections, (int, np.integer)) and not isinstance(split_size_or_sections, bool):
            size = int(split_size_or_sections)
            if size < 0:
                raise RuntimeError(f"split expects split_size be non-negative, but got split_size={size}")
            if size == 0 and n != 0:
                raise RuntimeError(f"split: split_size can only be 0 if dimension size is 0, but got "
                                   f"dimension size of {n}")
            sizes = [size] * (n // size) + ([n % size] if n % size else []) if n else [0]
        else:
            sizes = [int(v) for v in split_size_or_sections]
            if any(v < 0 for v in sizes):
                raise RuntimeError(f"split_with_sizes expects split_sizes have only non-negative entries, but got "
                                   f"split_sizes={sizes}")
            if sum(sizes) != n:
                raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's "
                                   f"size at dimension {d}), but got split_sizes={sizes}")
        starts = np.cumsum([0] + sizes[:-1])
        return tuple(_me(self)[(slice(None),) * d + (slice(int(a), int(a) + k),)] for a, k in zip(starts, sizes))

    def chunk(self, chunks: int, dim: int = 0) -> tuple["Tensor", ...]:
        """At most ``chunks`` pieces of ceil(size / chunks) along ``dim`` (fewer when they run out)."""
        if int(chunks) <= 0:
            raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
        if self.ndim == 0:
            raise RuntimeError("chunk expects at least a 1-dimensional tensor")
        n = self.shape[_dim(dim, self.ndim, "chunk")]
        return self.split(-(-n // int(chunks)), dim) if n else self.split([0] * int(chunks), dim)

    def __abs__(self) -> "Tensor":
        return _me(self).abs()

    def movedim(self, source: Any, destination: Any) -> "Tensor":
        """Move the dims ``source`` to the positions ``destination``; the others keep their order."""
        src = [_dim(d, self.ndim, "movedim") for d in _dims(source, "movedim")]
        dst = [_dim(d, self.ndim, "movedim") for d in _dims(destination, "movedim")]
        if len(src) != len(dst):
            raise RuntimeError(f"movedim: Invalid source or destination dims: source ({src} dims) should "
                               f"contain the same number of dims as destination ({dst} dims)")
        if len(set(src)) != len(src) or len(set(dst)) != len(dst):
            raise RuntimeError(f"movedim: repeated dim in source {src} or destination {dst}")
        order: list[Optional[int]] = [None] * self.ndim
        for s, d in zip(src, dst):
            order[d] = s
        rest = iter(i for i in range(self.ndim) if i not in src)
        return self.permute(*[o if o is not None else next(rest) for o in order])

    moveaxis = movedim

    def _triangle(self, diagonal: int, upper: bool, op: str) -> "Tensor":
        from .tensor import Tensor
        if self.ndim < 2:
            raise RuntimeError(f"{op}: input tensor must have at least 2 dimensions, got shape {self.shape}")
        r, c = self.shape[-2:]
        keep = (np.triu if upper else np.tril)(np.ones((r, c), dtype=bool), diagonal)
        return self.masked_fill(Tensor._from_op(~keep), 0)

    def tril(self, diagonal: int = 0) -> "Tensor":
        """Keep the lower triangle (j <= i + diagonal) of the last two dims, zero the rest."""
        return self._triangle(diagonal, False, "tril")

    def triu(self, diagonal: int = 0) -> "Tensor":
        """Keep the upper triangle (j >= i + diagonal) of the last two dims, zero the rest."""
        return self._triangle(diagonal, True, "triu")

    def masked_fill(self, mask: Any, value: Any) -> "Tensor":
        """``value`` where ``mask`` is True, self elsewhere (``where``); the mask broadcasts to self."""
        from .functions import where
        from .tensor import Tensor
        m = mask.array if isinstance(mask, Tensor) else np.asarray(mask)
        if m.dtype != np.bool_:
            raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {m.dtype}")
        try:
            if np.broadcast_shapes(m.shape, self.shape) != self.shape:
                raise ValueError
        except ValueError:
            raise RuntimeError(f"masked_fill: the mask of shape {m.shape} must be broadcastable to the "
                               f"tensor of shape {self.shape}") from None
        if isinstance(value, Tensor):
            if value.ndim != 0:
                raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got "
                                   f"tensor with {value.ndim} dimension(s)")
            value = value._cast(self.dtype) if value.dtype != self.dtype else value
        else:
            value = Tensor._from_op(np.asarray(value, dtype=self.dtype))
        return where(Tensor._from_op(m), value, self)

    def masked_select(self, mask: Any) -> "Tensor":
        """The elements where ``mask`` is True, as a 1-D tensor (both broadcast first)."""
        from .tensor import Tensor
        m = mask.array if isinstance(mask, Tensor) else np.asarray(mask)
        if m.dtype != np.bool_:
            raise RuntimeError(f"masked_select: expected a boolean mask, got {m.dtype}")
        try:
            shape = np.broadcast_shapes(m.shape, self.shape)
        except ValueError:
            raise RuntimeError(f"masked_select: the mask of shape {m.shape} and the tensor of shape "
                               f"{self.shape} are not broadcastable") from None
        x = self.expand(*shape) if self.shape != shape else _me(self)
        return x[Tensor._from_op(np.broadcast_to(m, shape).copy())]

    # ------------------------------------------------------------------ sorting
    def sort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> SortResult:
        """(values, indices) sorted along ``dim``. Ties keep their order (a stable sort; torch
        promises that only with stable=True). The values are gathered, so their gradient goes
        back to where each came from."""
        idx = self.argsort(dim, descending, stable=stable)
        if self.ndim == 0:
            return SortResult(self.clone(), idx)
        return SortResult(self.gather(_dim(dim, self.ndim, "sort"), idx), idx)

    def argsort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> "Tensor":
        """The indices that sort ``dim`` (ties in their original order; NaN sorts as the largest)."""
        from .tensor import Tensor
        if self.ndim == 0:
            return Tensor._from_op(np.zeros((), np.int64))
        d = _dim(dim, self.ndim, "argsort")
        a = self.array
        if descending:
            # reverse, sort ascending stably, reverse back: equal keys keep their original order
            n = a.shape[d]
            rev = np.flip(np.argsort(np.flip(a, axis=d), axis=d, kind="stable"), axis=d)
            idx = n - 1 - rev
        else:
            idx = np.argsort(a, axis=d, kind="stable")
        return Tensor._from_op(idx.astype(np.int64))

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> SortResult:
        """The k largest (or smallest) elements along ``dim`` and their indices."""
        from .tensor import Tensor
        d = _dim(dim, self.ndim, "topk")
        n = self.shape[d] if self.ndim else 1
        if not 0 <= k <= n:
            raise RuntimeError(f"topk: selected index k={k} out of range for dimension {d} of size {n} "
                               f"(shape {self.shape})")
        if self.ndim == 0:
            return SortResult(self.clone(), Tensor._from_op(np.zeros((), np.int64)))
        idx = self.argsort(d, descending=largest).array
        idx = np.take(idx, np.arange(k), axis=d)
        index = Tensor._from_op(idx)
        return SortResult(self.gather(d, index), index)

    # ------------------------------------------------------------------ scatter (ops/scatter.py)
    def _scatter_checks(self, dim: int, index: Any, src: Any, op: str) -> tuple[int, np.ndarray, "Tensor"]:
        from .tensor import Tensor
        d = _dim(dim, self.ndim, op)
        idx = _int_array(index, op)
        if not isinstance(src, Tensor):
            src = Tensor._from_op(np.full(idx.shape, src, dtype=self.dtype))
        if idx.ndim not in (self.ndim, max(self.ndim, 1)):
            raise RuntimeError(f"{op}: index tensor must have the same number of dimensions as the input "
                               f"(index shape {idx.shape}, input shape {self.shape})")
        if src.ndim != idx.ndim:
            raise RuntimeError(f"{op}: index and src must have the same number of dimensions (index shape "
                               f"{idx.shape}, src shape {src.shape})")
        for i in range(idx.ndim):
            if idx.shape[i] > src.shape[i] or (i != d and idx.shape[i] > self.shape[i]):
                raise RuntimeError(f"{op}: expected index {list(idx.shape)} to be smaller than self "
                                   f"{list(self.shape)} apart from dimension {d} and to be smaller size "
                                   f"than src {list(src.shape)}")
        if idx.size and (idx.min() < 0 or idx.max() >= self.shape[d]):
            bad = int(idx.max() if idx.max() >= self.shape[d] else idx.min())
            raise RuntimeError(f"{op}: index {bad} is out of bounds for dimension {d} with size "
                               f"{self.shape[d]} (index shape {idx.shape}, input shape {self.shape})")
        if src.dtype != self.dtype:
            raise RuntimeError(f"{op}: expected self and src to have the same dtype, got {self.dtype} "
                               f"and {src.dtype}")
        return d, idx, src

    def scatter(self, dim: int, index: Any, src: Any = None, value: Any = None, *,
                reduce: Optional[str] = None) -> "Tensor":
        """A copy of self with src (or the number ``value``) written at ``index`` along ``dim``;
        reduce='add' adds and 'multiply' multiplies instead (see ops.scatter.Scatter)."""
        if (src is None) == (value is None):
            raise TypeError("scatter() expected exactly one of 'src' or 'value'")
        if reduce not in (None, "add", "multiply"):
            raise RuntimeError(f"scatter: reduce argument must be either add or multiply, got {reduce!r}")
        d, idx, src = self._scatter_checks(dim, index, src if src is not None else value, "scatter")
        return ops.Scatter.apply(_me(self), src, dim=d, index=idx, reduce=reduce)

    def scatter_add(self, dim: int, index: Any, src: "Tensor") -> "Tensor":
        """A copy of self with src added at ``index`` along ``dim`` (repeated targets add up)."""
        d, idx, src = self._scatter_checks(dim, index, src, "scatter_add")
        return ops.Scatter.apply(_me(self), src, dim=d, index=idx, reduce="add")

    def scatter_reduce(self, dim: int, index: Any, src: "Tensor", reduce: str, *,
                       include_self: bool = True) -> "Tensor":
        """Reduce src into self at ``index`` with 'sum', 'prod', 'mean', 'amax' or 'amin'."""
        reduce = {"max": "amax", "min": "amin"}.get(reduce, reduce)  # torch accepts both spellings
        if reduce not in ("sum", "prod", "mean", "amax", "amin"):
            raise RuntimeError(f"scatter_reduce: reduce argument must be either sum, prod, mean, amax or "
                               f"amin, got {reduce}")
        d, idx, src = self._scatter_checks(dim, index, src, "scatter_reduce")
        return ops.ScatterReduce.apply(_me(self), src, dim=d, index=idx, reduce=reduce, include_self=include_self)

    # ------------------------------------------------------------------ sampling (no gradient)
    def multinomial(self, num_samples: int, replacement: bool = False, *, generator: Any = None) -> "Tensor":
        """Draw ``num_samples`` category indices per row with probabilities proportional to the
        row's (non-negative) weights; without replacement each category is drawn at most once.
        NumPy's generator (tinygrad_edu.manual_seed or ``generator``) supplies the randomness, so
        the draws follow torch's distribution but not its sequence."""
        from .creation import _generator
        from .tensor import Tensor
        w = self.array
        if self.ndim not in (1, 2) or self.dtype.kind != "f":
            raise RuntimeError(f"multinomial: prob_dist must be a 1 or 2 dim floating-point tensor, got shape "
                               f"{self.shape} and dtype {self.dtype}")
        rows = w.reshape(-1, w.shape[-1]).astype(np.float64)
        if not np.isfinite(rows).all() or (rows < 0).any():
            raise RuntimeError("multinomial: probability tensor contains either `inf`, `nan` or element < 0")
        if (rows.sum(axis=1) <= 0).any():
            raise RuntimeError("multinomial: invalid multinomial distribution (sum of probabilities <= 0)")
        if num_samples <= 0:
            raise RuntimeError(f"multinomial: cannot sample n_sample <= 0 samples (got {num_samples})")
        if not replacement and num_samples > rows.shape[1]:
            raise RuntimeError(f"multinomial: cannot sample n_sample > prob_dist.size(-1) samples without "
                               f"replacement (n_sample {num_samples}, {rows.shape[1]} categories)")
        if not replacement and ((rows > 0).sum(axis=1) < num_samples).any():
            raise RuntimeError("multinomial: invalid multinomial distribution (with replacement=False, not enough "
                               f"non-negative category to sample {num_samples} samples)")
        rng = generator.numpy if generator is not None else _generator()
        out = np.empty((rows.shape[0], num_samples), dtype=np.int64)
        for r, p in enumerate(rows):  # one row at a time: rows are few (a batch), categories many
            out[r] = rng.choice(p.size, size=num_samples, replace=replacement, p=p / p.sum())
        return Tensor._from_op(out.reshape(w.shape[:-1] + (num_samples,)))

    # ------------------------------------------------------------------ positions and distinct values (no gradient)
    def nonzero(self, *, as_tuple: bool = False) -> Any:
        """The indices of the nonzero elements: a (count, ndim) int64 tensor, or with
        as_tuple=True one 1-D index tensor per dim."""
        from .tensor import Tensor
        if as_tuple:
            if self.ndim == 0:
                return (Tensor._from_op(np.nonzero(self.array.reshape(1))[0].astype(np.int64)),)
            return tuple(Tensor._from_op(i.astype(np.int64)) for i in np.nonzero(self.array))
        return Tensor._from_op(np.argwhere(self.array).astype(np.int64))

    def unique(self, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,
               dim: Optional[int] = None) -> Any:
        """The distinct values (sorted), optionally with the inverse map and the counts."""
        from .tensor import Tensor
        if dim is not None:
            raise NotImplementedError("unique: dim= is not supported here (only the flattened form)")
        values, inverse, counts = np.unique(self.array, return_inverse=True, return_counts=True)
        out: list[Any] = [Tensor._from_op(values)]
        if return_inverse:
            out.append(Tensor._from_op(inverse.reshape(self.shape).astype(np.int64)))
        if return_counts:
            out.append(Tensor._from_op(counts.astype(np.int64)))
        return out[0] if len(out) == 1 else tuple(out)
