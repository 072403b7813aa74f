"""Catalogue rows for torch's everyday names of tensor_more.py and the dtype keyword of sum:
copysign, fmod, lerp, logaddexp, cummax/cummin, logcumsumexp, diag/diagonal, unflatten,
unfold, nonzero_static; var_mean/std_mean, the activations hardsigmoid, hardswish, mish and
softsign, and scaled_dot_product_attention. Same harness, same rules as catalogue.py (which
appends these rows)."""
from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .catalogue_more import _subnormal_variance, _underflowing_variance, _var_args, _var_tol
from .harness import OpCase, Tolerance, TOLERANCES
from .strategies import Draw, arrays, binary, shapes, unary, with_dim

E, R, M = "elementwise", "reduce", "movement"


def _broadcast_tol(scale: Any) -> Any:
    """The table's tolerance times a per-draw magnitude (as catalogue_more's remainder row)."""
    def tol(draw: Draw, dtype: np.dtype) -> Tolerance:
        a, b = draw.arrays["a"].astype(np.float64), draw.arrays["b"].astype(np.float64)
        base = TOLERANCES[np.dtype(dtype)]
        with np.errstate(all="ignore"):
            mag = float(np.nanmax(np.abs(scale(a, b)), initial=1.0)) if np.broadcast(a, b).size else 1.0
        return Tolerance(base.rtol, base.atol * max(mag, 1.0))
    return tol


def _logcumsumexp_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """The backward works in log space (torch's formula, and ours): exp(x_j + r_j) with r_j a
    reverse running logaddexp of log|g_i| - y_i. x_j + r_j cancels two numbers of magnitude about
    max|x|, each rounded to a few ulps of it, so the gradient carries a relative error of about
    8 eps (1 + max|x|) (float32 at |x| = 255: 1.2e-4, seen 1.8e-5), and its positive and negative
    parts, each at most the sum of |upstream| over the dim (n values in [-1, 1], two outputs),
    cancel to leave that much absolutely."""
    a = draw.arrays["a"]
    base, eps = TOLERANCES[np.dtype(dtype)], float(np.finfo(dtype).eps)
    rel = 8 * eps * (1 + float(np.abs(a).max(initial=0.0)))
    n = a.shape[draw.params["dim"]] if a.ndim else 1
    return Tolerance(base.rtol + rel, base.atol + rel * 2 * n)


@st.composite
def _lerp(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """start and end of broadcastable shapes, and a weight broadcastable with both, from -0.5
    to 1.5 (both of torch's formulas: |w| < 0.5 and the rest)."""
    d = draw(binary(dtype, smooth))
    out = np.broadcast_shapes(d.arrays["a"].shape, d.arrays["b"].shape)
    wshape = tuple(1 if draw(st.booleans()) else n for n in out[len(out) - draw(st.integers(0, len(out))):])
    w = draw(hnp.arrays(dtype, wshape, elements=st.floats(-0.5, 1.5, width=32)))
    return Draw({**d.arrays, "w": w.astype(dtype)}, {"s": draw(st.sampled_from([0.25, 0.5, 0.75, 1.0]))})


@st.composite
def _diagonals(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """A vector, a matrix and an n-d tensor (n >= 2), an offset that may miss the matrix, and two
    distinct dims (negative ones too)."""
    t_shape = draw(shapes(min_dims=2, max_dims=4))
    nd = len(t_shape)
    d1 = draw(st.integers(-nd, nd - 1))
    d2 = draw(st.integers(-nd, nd - 1).filter(lambda d: d % nd != d1 % nd))
    return Draw({"v": draw(arrays(dtype, draw(shapes(1, 1)), "real", smooth)),
                 "m": draw(arrays(dtype, draw(shapes(2, 2)), "real", smooth)),
                 "t": draw(arrays(dtype, t_shape, "real", smooth))},
                {"k": draw(st.integers(-4, 4)), "d1": d1, "d2": d2})


@st.composite
def _unflatten_unfold(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """A tensor, a dim, sizes whose product is that dim's size (one -1 sometimes), and a window
    size (up to the dim's size) with a step."""
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=6))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[dim]
    first = draw(st.sampled_from([f for f in range(1, n + 1) if n % f == 0]))
    sizes = [first, n // first]
    if draw(st.booleans()):
        sizes[draw(st.integers(0, 1))] = -1
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth))},
                {"dim": dim, "sizes": tuple(sizes), "size": draw(st.integers(1, n)), "step": draw(st.integers(1, 3))})


@st.composite
def _nonzero(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(min_dims=0, max_dims=3))
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth)), "m": draw(hnp.arrays(np.bool_, shape))},
                {"k": draw(st.integers(0, 6))})


@st.composite
def _attention(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """Queries (..., Hq, L, E) against keys (..., H, S, E) and values (..., H, S, Ev): no mask, a
    bool mask (rows of all False included: nothing to attend to), a float mask (differentiable),
    or is_causal; the default scale or another; query heads a multiple of the key heads (gqa)."""
    batch = draw(shapes(min_dims=0, max_dims=1, max_side=2))
    heads, groups = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    L, S, E, Ev = (draw(st.integers(1, 4)) for _ in range(4))
    kind = draw(st.sampled_from(["none", "bool", "float", "causal"]))
    kind_q = "real" if smooth else "conv"
    return Draw({"q": draw(arrays(dtype, batch + (heads * groups, L, E), kind_q, smooth)),
                 "k": draw(arrays(dtype, batch + (heads, S, E), kind_q, smooth)),
                 "v": draw(arrays(dtype, batch + (heads, S, Ev), kind_q, smooth)),
                 "m": draw(arrays(dtype, (L, S), kind_q, smooth)), "mb": draw(hnp.arrays(np.bool_, (L, S)))},
                {"kind": kind, "scale": draw(st.sampled_from([None, 0.5])), "gqa": groups > 1},
                constant=("mb",) + (("m",) if kind != "float" else ()))


NAMES = [
    OpCase("copysign", E, "(T.copysign(a, b), a.copysign(b), T.copysign(a, -0.0), a.copysign(2.0))", partial(binary)),
    OpCase("fmod", E, "(T.fmod(a, b), a.fmod(b), T.fmod(a, 1.5))", partial(binary, kind_b="nonzero"),
           gradcheck=False, tol=_broadcast_tol(lambda a, b: np.trunc(a / b) + np.trunc(a / 1.5)),
           notes="jumps wherever a / b is a whole number; parity checks the gradient"),
    OpCase("lerp_logaddexp", E, "(T.lerp(a, b, w), a.lerp(b, s), T.logaddexp(a, b), b.logaddexp(a))", _lerp),
    OpCase("cummax_cummin", R, "(T.cummax(a, dim)[0], a.cummin(dim).values, T.cummax(a, dim).indices, "
           "a.cummin(dim)[1])", partial(with_dim, keepdim=False, min_dims=0)),
    OpCase("logcumsumexp", R, "(T.logcumsumexp(a, dim), a.logcumsumexp(dim))", partial(with_dim, keepdim=False, min_dims=0),
           tol=_logcumsumexp_tol),
    OpCase("sum_dtype", R, "(a.sum(dtype=T.float64), T.sum(a, dim, dtype=T.float64), a.prod(dim, dtype=T.float64), "
           "T.sum(a, dim, keepdim, dtype=a.dtype))", partial(with_dim, keepdim=True)),
    OpCase("diag_diagonal", M, "(T.diag(v, k), T.diag(m, k), m.diagonal(k), T.diagonal(t, k, d1, d2), t.diagonal())",
           _diagonals),
    OpCase("unflatten_unfold", M, "(a.unflatten(dim, sizes), T.unflatten(a, dim, sizes), a.unfold(dim, size, step))",
           _unflatten_unfold),
    OpCase("var_mean_std_mean", R, "(*T.var_mean(a, dim, keepdim=keepdim, correction=correction), "
           "*T.std_mean(a, dim, keepdim=keepdim, correction=correction))", _var_args, tol=_var_tol,
           cuda_differs=_subnormal_variance, torch_grad_differs=_underflowing_variance),
    # the activation draws hold the integers -4..4, so x = -3 and 3 (the ends of the hard ones) come up
    OpCase("hard_and_smooth_activations", E, "(F.hardsigmoid(a), F.hardswish(a), F.mish(a), F.softsign(a))",
           partial(unary, kind="activation")),
    OpCase("scaled_dot_product_attention", R, "F.scaled_dot_product_attention(q, k, v, attn_mask={'bool': mb, "
           "'float': m}.get(kind), is_causal=kind == 'causal', scale=scale, enable_gqa=gqa)", _attention),
    OpCase("nonzero_static", M, "(T.nonzero_static(m, size=k), m.nonzero_static(size=k, fill_value=7), a + 0)",
           _nonzero, gradcheck=False, notes="integer positions: no gradient (a + 0 keeps a differentiable output)"),
]
