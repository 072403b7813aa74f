"""Hypothesis strategies for op inputs, on top of ``hypothesis.extra.numpy``.

Every strategy takes the dtype under test and a ``smooth`` flag:

* ``smooth=False`` (parity against torch): values include the hard cases: exact ties
  (small integers, and Hypothesis' habit of filling arrays with one repeated value), zeros,
  values right at the edge of an op's domain (tiny positive numbers for log/sqrt), and large
  magnitudes (logits up to +-1e4).
* ``smooth=True`` (float64 gradcheck): values on a grid offset from every kink, tie and
  domain edge by far more than the finite-difference step, so that the numerical derivative
  exists. ``unique=True`` keeps max/min free of ties.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

MAX_SIDE = 5


@dataclass
class Draw:
    """One drawn test input: named arrays (the op's operands) and named Python parameters."""
    arrays: dict[str, np.ndarray]
    params: dict[str, Any] = field(default_factory=dict)
    # names of float arrays that should *not* require grad (targets, masks)
    constant: tuple[str, ...] = ()


def _width(dtype: np.dtype) -> int:
    return 32 if np.dtype(dtype) == np.float32 else 64


def floats(lo: float, hi: float, width: int = 64) -> st.SearchStrategy[float]:
    """st.floats with bounds rounded to the float width (Hypothesis wants exact bounds)."""
    if width == 32:
        lo, hi = float(np.float32(lo)), float(np.float32(hi))
    return st.floats(lo, hi, width=width, allow_subnormal=False)


def _grid(offset: float, lo: float = -10.0, hi: float = 10.0) -> st.SearchStrategy[float]:
    """Multiples of 0.01 plus ``offset``: distinct grid points never tie, and never sit on 0."""
    return st.integers(int(lo * 100), int(hi * 100)).map(lambda i: i / 100 + offset)


def elements(dtype: np.dtype, kind: str = "real", smooth: bool = False,
             offset: float = 0.005) -> st.SearchStrategy[float]:
    """Scalar values for one op family.

    kind: "real" (any value, moderate size), "positive" (log/sqrt domain, down to the
    smallest normal float), "nonzero" (divisors), "exp" (no overflow), "logit" (up to +-1e4,
    sometimes -inf), "unit" (in [-1, 1]).
    """
    w = _width(dtype)
    tiny = float(np.finfo(dtype).tiny)
    if smooth:
        if kind == "positive":
            return _grid(0.0, 0.05, 10.0).map(lambda v: abs(v) + 0.05)
        if kind == "nonzero":
            return _grid(offset, -5.0, 5.0).filter(lambda v: abs(v) > 0.05)
        if kind == "unit":  # inside (-1, 1) with room for the central differences
            return _grid(offset, -0.9, 0.9)
        return _grid(offset)
    ints = st.integers(-4, 4).map(float)  # exact ties and zeros
    if kind == "real":
        return st.one_of(ints, floats(-1e3, 1e3, w),
                         floats(-1e-3, 1e-3, w))
    if kind == "conv":  # moderate values: conv sums many products
        return st.one_of(ints, floats(-10, 10, w))
    if kind == "unit":
        return floats(-1, 1, w)
    if kind == "positive":
        return st.one_of(floats(tiny, 1e-3, w),
                         floats(tiny, 1e4, w),
                         st.integers(1, 4).map(float))
    if kind == "nonzero":
        mag = st.one_of(floats(1e-3, 1e3, w), st.integers(1, 4).map(float))
        return st.tuples(mag, st.booleans()).map(lambda t: -t[0] if t[1] else t[0])
    if kind == "exp":
        return st.one_of(ints, floats(-80, 80, w))
    if kind == "activation":
        return st.one_of(ints, floats(-100, 100, w),
                         st.sampled_from([-1e3, 1e3, 0.0]))
    if kind == "logit":
        return st.one_of(ints, floats(-1e4, 1e4, w),
                         floats(-10, 10, w), st.just(-np.inf))
    raise ValueError(kind)


def shapes(min_dims: int = 0, max_dims: int = 4, min_side: int = 1,
           max_side: int = MAX_SIDE) -> st.SearchStrategy[tuple[int, ...]]:
    """Shapes from 0-d to 4-d; size-1 dims are common."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def arrays(dtype: np.dtype, shape: tuple[int, ...], kind: str = "real", smooth: bool = False,
           offset: float = 0.005) -> st.SearchStrategy[np.ndarray]:
    """An array of ``shape`` with values of ``kind`` (unique values when smooth)."""
    el = elements(dtype, kind, smooth, offset)
    return hnp.arrays(np.dtype(dtype), shape, elements=el, unique=smooth)


@st.composite
def unary(draw: Any, dtype: np.dtype, smooth: bool, kind: str = "real", min_dims: int = 0) -> Draw:
    shape = draw(shapes(min_dims=min_dims))
    return Draw({"a": draw(arrays(dtype, shape, kind, smooth))})


@st.composite
def binary(draw: Any, dtype: np.dtype, smooth: bool, kind_a: str = "real", kind_b: str = "real") -> Draw:
    """Two arrays of mutually broadcastable shapes (drawn by hnp.mutually_broadcastable_shapes)."""
    bs = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=4))
    sa, sb = bs.input_shapes
    return Draw({"a": draw(arrays(dtype, sa, kind_a, smooth, 0.005)),
                 "b": draw(arrays(dtype, sb, kind_b, smooth, 0.0025))})


@st.composite
def with_dim(draw: Any, dtype: np.dtype, smooth: bool, kind: str = "real", keepdim: bool = True,
             multi: bool = False, allow_none: bool = False, min_dims: int = 1) -> Draw:
    """An array plus a dim (negative dims too), optionally a tuple of dims or None, and keepdim."""
    shape = draw(shapes(min_dims=min_dims))
    a = draw(arrays(dtype, shape, kind, smooth))
    nd = max(len(shape), 1)
    one = st.integers(-nd, nd - 1)
    options = [one]
    if multi and len(shape) > 0:
        options.append(st.lists(st.integers(0, nd - 1), min_size=1, max_size=nd, unique=True).map(tuple))
    if allow_none:
        options.append(st.none())
    params = {"dim": draw(st.one_of(*options))}
    if keepdim:
        params["keepdim"] = draw(st.booleans())
    return Draw({"a": a}, params)
