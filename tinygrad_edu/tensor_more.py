"""More of torch's everyday Tensor names: sign and remainder arithmetic (copysign, fmod), blends
(lerp, logaddexp), running scans (cummax, cummin, logcumsumexp), diagonals (diag, diagonal) and
shapes (unflatten, unfold), plus nonzero_static.

``ExtraMethods`` (tensor_extra.py) inherits these, and Tensor inherits ExtraMethods. As there,
most are composites of ops a student already knows, so their gradients come from the autograd:
copysign is ``where`` over |x|, lerp is a product and a sum, cummax is a ``gather`` at the running
arg-max (its gradient scatters back to the element that won), diagonal and unfold are indexing.
fmod and logcumsumexp need their own derivatives (ops/unary.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np

from . import ops

if TYPE_CHECKING:
    from .tensor import Tensor


def _me(t: Any) -> "Tensor":
    return cast("Tensor", t)


def _dim(dim: Any, ndim: int, op: str) -> int:
    from .tensor import _normalize_dim
    return _normalize_dim(dim, ndim, op)


def _float_result(a: "Tensor", b: "Tensor", op: str) -> np.dtype:
    """The dtype of a float-valued binary op: the promoted dtype, or the default float for integers."""
    from .tensor import _result_dtype, get_default_dtype
    dtype = _result_dtype(a.array.dtype, b.array.dtype)
    return dtype if dtype.kind == "f" else np.dtype(get_default_dtype())


class MoreMethods:
    """Mixed into Tensor through ExtraMethods; uses only Tensor's public API and ``ops``."""

    # ------------------------------------------------------------------ sign and remainder
    def copysign(self, other: Any) -> "Tensor":
        """|self| with the sign of ``other`` (its sign bit: -0.0 counts as negative). A ``where``
        over abs, so d/dself = sign(self) * sign(result), 0 at self = 0, as torch; ``other`` gets a
        zero gradient."""
        from .functions import where
        from .tensor import Tensor
        me = _me(self)
        other = me._operand(other)
        dtype = _float_result(me, other, "copysign")
        x, y = me._cast(dtype), other._cast(dtype)
        negative = Tensor._from_op(np.broadcast_to(np.signbit(y.array), np.broadcast_shapes(x.shape, y.shape)))
        magnitude = x.abs()
        out = where(negative, -magnitude, magnitude)
        if y.requires_grad:  # torch hands ``other`` a zero gradient, not none
            out = out + y.masked_fill(Tensor._from_op(np.ones(y.shape, dtype=bool)), 0.0)
        return out

    def fmod(self, other: Any) -> "Tensor":
        """self - trunc(self / other) * other: the remainder with the sign of ``self`` (C's fmod);
        see ops.unary.Fmod. Integers are divided outside the graph, and dividing by 0 raises."""
        me = _me(self)
        other = me._operand(other)
        if me.dtype.kind in "iub" and other.dtype.kind in "iub":
            return me._integer_op(other, "fmod")
        return me._binary(ops.Fmod, other, "fmod")

    # ------------------------------------------------------------------ blends
    def lerp(self, end: Any, weight: Any) -> "Tensor":
        """self + weight * (end - self), in torch's two forms: for |weight| < 0.5 from the start,
        else end - (end - self) * (1 - weight), so that weight = 1 gives ``end`` exactly. Both forms
        are the same function, so the gradients are (1 - weight), weight and (end - self)."""
        from .functions import where
        from .tensor import Tensor
        me = _me(self)
        end = me._operand(end)
        if me.dtype.kind != "f" or end.dtype != me.dtype:
            raise RuntimeError(f"lerp: expected self and end to be float tensors of one dtype, got {me.dtype} "
                               f"and {end.dtype}")
        w = weight if isinstance(weight, Tensor) else Tensor._from_op(np.asarray(weight, dtype=me.dtype))
        if w.dtype != me.dtype:
            raise RuntimeError(f"lerp: expected weight to have dtype {me.dtype}, got {w.dtype}")
        diff = end - me
        low = Tensor._from_op(np.abs(w.array) < 0.5)
        return where(low, me + w * diff, end - diff * (1 - w))

    def logaddexp(self, other: Any) -> "Tensor":
        """log(exp(self) + exp(other)) without overflow: max + log1p(exp(-|self - other|)). The
        gradient is sigmoid(self - other) for self (1/2 at a tie, where max splits its gradient)."""
        from .functions import where
        from .tensor import Tensor
        me = _me(self)
        other = me._operand(other)
        for t in (me, other):
            if t.dtype.kind != "f":
                raise NotImplementedError(f"logaddexp: \"logaddexp_cpu\" not implemented for {t.dtype} "
                                          f"(shape {t.shape}); it takes float tensors")
        with np.errstate(invalid="ignore"):  # inf - inf in the mask below is nan, and False
            same_inf = Tensor._from_op(np.isinf(me.array) & (me.array == other.array))
        top = me.maximum(other)
        gap = (me - other).abs()
        tame = where(same_inf, 0.0, gap)  # exp(-nan) would poison the inf == inf case
        return where(same_inf, top, top + (-tame).exp().log1p())

    # ------------------------------------------------------------------ running scans
    def _cumulative_extreme(self, dim: int, largest: bool) -> Any:
        from .tensor import Tensor
        from .tensor_extra import SortResult
        op = "cummax" if largest else "cummin"
        me = _me(self)
        d = _dim(dim, me.ndim, op)  # a 0-d tensor takes dim -1 or 0, as torch's does
        if me.ndim == 0:
            return SortResult(me.clone(), Tensor._from_op(np.zeros((), np.int64)))
        a = np.moveaxis(me.array, d, 0)
        index = np.zeros(a.shape, np.int64)
        if a.shape[0]:
            best, at = a[0].copy(), np.zeros(a.shape[1:], np.int64)
            index[0] = at
            floating = a.dtype.kind == "f"
            for i in range(1, a.shape[0]):
                x = a[i]
                # torch: a later equal value takes over, and once a nan is met it stays
                better = x >= best if largest else x <= best
                if floating:
                    better = np.isnan(x) | (~np.isnan(best) & better)
                best, at = np.where(better, x, best), np.where(better, i, at)
                index[i] = at
        index_t = Tensor._from_op(np.ascontiguousarray(np.moveaxis(index, 0, d)))
        return SortResult(me.gather(d, index_t), index_t)

    def cummax(self, dim: int) -> Any:
        """(values, indices): the running maximum along ``dim`` and where it was found (the latest
        of equal values; nan propagates). The values are ``gather`` at those indices, so the
        gradient goes to the element each running maximum came from."""
        return self._cumulative_extreme(dim, True)

    def cummin(self, dim: int) -> Any:
        """(values, indices): the running minimum along ``dim``; see cummax."""
        return self._cumulative_extreme(dim, False)

    def logcumsumexp(self, dim: int) -> "Tensor":
        """log(cumsum(exp(self))) along ``dim``, computed without overflow; see ops.unary.LogCumSumExp."""
        me = _me(self)
        if me.dtype.kind != "f":
            raise NotImplementedError(f"logcumsumexp: \"logcumsumexp_out_cpu\" not implemented for {me.dtype} "
                                      f"(shape {me.shape}); it takes float tensors")
        d = _dim(dim, me.ndim, "logcumsumexp")
        return me.clone() if me.ndim == 0 else ops.LogCumSumExp.apply(me, dim=d)

    # ------------------------------------------------------------------ diagonals
    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> "Tensor":
        """The elements [i, i + offset] of the (dim1, dim2) planes, as a new last dim (a copy, where
        torch returns a view: writing into it does not change ``self``). Indexing, so the
        gradient lands back on the diagonal."""
        from .tensor import Tensor
        me = _me(self)
        if me.ndim < 2:
            raise RuntimeError(f"diagonal: expected a tensor of at least 2 dims, got shape {me.shape}")
        d1, d2 = _dim(dim1, me.ndim, "diagonal"), _dim(dim2, me.ndim, "diagonal")
        if d1 == d2:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
        moved = me.movedim((d1, d2), (-2, -1))
        rows, cols = moved.shape[-2], moved.shape[-1]
        length = max(0, min(rows, cols - offset) if offset >= 0 else min(rows + offset, cols))
        i = np.arange(length) + max(0, -offset)
        return moved[..., Tensor._from_op(i), Tensor._from_op(i + offset)]

    def diag(self, diagonal: int = 0) -> "Tensor":
        """A 1-D tensor as a square matrix with it on the ``diagonal``-th diagonal, or a matrix's
        ``diagonal``-th diagonal as a 1-D tensor."""
        from .functions import where
        from .tensor import Tensor
        me = _me(self)
        if me.ndim == 2:
            return me.diagonal(diagonal)
        if me.ndim != 1:
            raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {me.ndim}D (shape {me.shape})")
        n = me.shape[0] + abs(diagonal)
        r, c = np.arange(n)[:, None], np.arange(n)[None, :]
        on = (c - r) == diagonal
        source = np.clip(np.minimum(r, c) + np.zeros((n, n), np.int64), 0, max(me.shape[0] - 1, 0))
        if me.shape[0] == 0:
            return Tensor._from_op(np.zeros((n, n), me.dtype))
        picked = me[Tensor._from_op(source)]  # each position reads the element its diagonal holds
        return where(Tensor._from_op(on), picked, Tensor._from_op(np.zeros((), me.dtype)))

    # ------------------------------------------------------------------ shapes
    def unflatten(self, dim: int, sizes: Any) -> "Tensor":
        """Split dim ``dim`` into ``sizes`` (one of them may be -1): a reshape."""
        me = _me(self)
        d = _dim(dim, me.ndim, "unflatten")
        sizes = tuple(int(s) for s in sizes)
        if not sizes:
            raise RuntimeError("unflatten: sizes must be non-empty")
        known = int(np.prod([s for s in sizes if s != -1]))
        if sizes.count(-1) > 1 or (-1 not in sizes and known != me.shape[d]) or \
                (-1 in sizes and (known == 0 or me.shape[d] % known)):
            raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim "
                               f"{dim} ({me.shape[d]}) in the input tensor")
        return me.reshape(me.shape[:d] + sizes + me.shape[d + 1:])

    def unfold(self, dimension: int, size: int, step: int) -> "Tensor":
        """Every window of ``size`` elements along ``dimension``, ``step`` apart, as a new last dim
        (dimension then counts the windows). Indexing with the window positions, so elements
        shared by overlapping windows collect the sum of their gradients."""
        from .tensor import Tensor
        me = _me(self)
        x = me.reshape(1) if me.ndim == 0 else me
        d = _dim(dimension, x.ndim, "unfold")
        n = x.shape[d]
        if size > n or size < 0:
            raise RuntimeError(f"unfold: maximum size for tensor at dimension {d} is {n} but size is {size}")
        if step <= 0:
            raise RuntimeError(f"unfold: step is {step} but must be > 0")
        windows = (n - size) // step + 1
        index = np.arange(windows)[:, None] * step + np.arange(size)[None, :]
        out = x.movedim(d, -1)[..., Tensor._from_op(index)]       # (..., windows, size)
        out = out.movedim(-2, d)
        return out.reshape(size) if me.ndim == 0 else out

    # ------------------------------------------------------------------ positions (no gradient)
    def nonzero_static(self, *, size: int, fill_value: int = -1) -> "Tensor":
        """nonzero() cut or padded to exactly ``size`` rows (padding rows hold ``fill_value``)."""
        from .tensor import Tensor
        me = _me(self)
        if size < 0:
            raise RuntimeError(f"nonzero_static: 'size' must be a non-negative integer, got {size}")
        found = np.argwhere(me.array).astype(np.int64)[:size]
        out = np.full((size, max(me.ndim, found.shape[1])), fill_value, np.int64)
        out[:len(found)] = found
        return Tensor._from_op(out)
