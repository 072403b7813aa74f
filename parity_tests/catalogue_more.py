"""Catalogue rows for the torch ops added after the core: more unary math,
rounding, the function forms of arithmetic, var/std/prod/cumprod/logsumexp, flips and rolls,
triangles, masks, sorting, scatter, activations, binary cross-entropy, pad, conv1d and the
transposed convolution. Same harness, same rules as catalogue.py (which appends these rows)."""
from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .harness import OpCase, Tolerance, TOLERANCES, accumulation_tolerance
from .strategies import Draw, arrays, binary, floats, shapes, unary, with_dim


def _mse(dtype: np.dtype, smooth: bool) -> Any:
    from .catalogue import _mse as mse
    return mse(dtype, smooth)


def _mse_weighted(dtype: np.dtype, smooth: bool) -> Any:
    from .catalogue import _mse_weighted as weighted
    return weighted(dtype, smooth)

E, R, M, L, C = "elementwise", "reduce", "movement", "loss", "conv"


def _broadcast(local: Any) -> Any:
    """catalogue._broadcast_tol (the gradient of the smaller input sums over the broadcast dims)."""
    def tol(draw: Draw, dtype: np.dtype) -> Tolerance:
        from .catalogue import _broadcast_tol
        return _broadcast_tol(local)(draw, dtype)
    return tol


def _subnormal_variance(d: Draw) -> bool:
    """A variance (whole tensor or along one dim) that is positive but below the smallest normal
    float: torch's CUDA kernel rounds it to 0 and sends std no gradient, its CPU kernel (and
    NumPy) keep the subnormal value and send a large one (float64 on an H100, torch 2.11)."""
    a = d.arrays["a"].astype(np.float64)
    tiny = float(np.finfo(d.arrays["a"].dtype).tiny)
    variances = [np.var(a)] + [np.var(a, axis=k) for k in range(a.ndim)]
    return any(bool(np.any((v > 0) & (v < tiny))) for v in variances)


def _underflowing_variance(d: Draw) -> bool:
    """A nonzero variance whose squared deviations underflow in the input's dtype (deviations of
    3.8e-35 in float32 square to 0): tinygrad_edu's var is then 0 and std's gradient the zero
    variance's (0), while torch's CPU kernel accumulates the squares in double and divides one
    subnormal by another. The values agree (both ~0); the gradient is rounding noise."""
    a = d.arrays["a"]
    if a.dtype.kind != "f":
        return False
    wide = a.astype(np.float64)
    tiny = float(np.finfo(a.dtype).tiny)
    variances = [np.var(wide)] + [np.var(wide, axis=k) for k in range(a.ndim)]
    return any(bool(np.any((v > 0) & (v < tiny))) for v in variances)


def _product_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """prod/cumprod: a product of n factors carries up to n roundings (relative), and the
    gradient (products of n - 1 factors, summed for cumprod) as many again."""
    n = max(draw.arrays["a"].size, 1)
    eps = float(np.finfo(dtype).eps)
    base = TOLERANCES[np.dtype(dtype)]
    return Tolerance(base.rtol + 4 * n * eps, base.atol + 4 * n * n * eps)


def _var_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """var/std: sums of n squares of size max|x|^2 (summation order differs)."""
    a = draw.arrays["a"]
    m = float(np.abs(a).max(initial=1.0))
    return accumulation_tolerance(max(a.size, 1) * 4, max(m * m, 1.0), dtype)


def _logit_like_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """logsumexp: m + log(sum exp(x - m)) is exact only to eps * max|x| (cf. log_softmax)."""
    a = draw.arrays["a"]
    finite = a[np.isfinite(a)]
    mag = float(np.abs(finite).max(initial=1.0))
    base = TOLERANCES[np.dtype(dtype)]
    return Tolerance(base.rtol * 4, base.atol + 8 * float(np.finfo(dtype).eps) * mag * max(a.size, 1))


@st.composite
def _small_factors(draw: Any, dtype: np.dtype, smooth: bool, with_dim_arg: bool) -> Draw:
    """Factors for products: zeros (once or twice per row), +-1, +-2, halves, moderate reals."""
    shape = draw(shapes(min_dims=1 if with_dim_arg else 0, max_dims=3, max_side=4))
    el = floats(0.5, 1.5, 32) if smooth else st.one_of(
        st.sampled_from([0.0, 1.0, -1.0, 2.0, -2.0, 0.5]), floats(-2, 2, 32))
    a = draw(hnp.arrays(dtype, shape, elements=el))
    params: dict[str, Any] = {}
    if with_dim_arg:
        params["dim"] = draw(st.integers(-len(shape), len(shape) - 1))
        params["keepdim"] = draw(st.booleans())
    return Draw({"a": a}, params)


@st.composite
def _var_args(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    d = draw(with_dim(dtype, smooth, kind="conv" if not smooth else "real", multi=True, allow_none=True))
    d.params["correction"] = draw(st.sampled_from([0, 1, 2]))
    a = d.arrays["a"]
    axes = range(a.ndim) if d.params["dim"] is None else (
        (d.params["dim"],) if isinstance(d.params["dim"], int) else d.params["dim"])
    n = int(np.prod([a.shape[x] for x in axes])) if a.ndim else 1
    if n - d.params["correction"] <= 0:
        d.params["correction"] = 0  # torch divides by 0 then (inf/nan and a warning); tested elsewhere
    if smooth:
        d.params["correction"] = min(d.params["correction"], max(n - 1, 0))
    return d


@st.composite
def _flip_roll(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(min_dims=1, max_dims=3))
    nd = len(shape)
    dims = tuple(draw(st.lists(st.integers(-nd, nd - 1), min_size=1, max_size=nd, unique_by=lambda d: d % nd)))
    shifts = tuple(draw(st.integers(-7, 7)) for _ in dims)
    src = draw(st.permutations(range(nd)))
    k = draw(st.integers(1, nd))
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth))},
                {"dims": dims, "shifts": shifts, "src": tuple(src[:k]), "dst": tuple(range(k)),
                 "flat_shift": draw(st.integers(-9, 9))})


@st.composite
def _split(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """An array, a dim, a piece size (that may or may not divide the size, or exceed it), a list of
    sizes that sums to the size (zeros included), and a chunk count."""
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=0))
    nd = len(shape)
    dim = draw(st.integers(-nd, nd - 1))
    n = shape[dim]
    size = draw(st.integers(1, n + 2)) if n else draw(st.integers(0, 3))
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=3)))
    sections = [b - a for a, b in zip([0] + cuts, cuts + [n])]
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth))},
                {"dim": dim, "size": size, "sections": sections, "chunks": draw(st.integers(1, 5))})


@st.composite
def _bmm(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """(b, n, m) and (b, m, p) operands (sides from 1), an addend broadcastable to (b, n, p), and
    baddbmm's beta (0 included: the addend is then ignored) and alpha."""
    b, n, m, p = (draw(st.integers(1, 4)) for _ in range(4))
    trailing = (b, n, p)[3 - draw(st.integers(0, 3)):]
    addend = tuple(1 if draw(st.booleans()) else side for side in trailing)  # expands to (b, n, p)
    return Draw({"a": draw(arrays(dtype, (b, n, m), "real", smooth)),
                 "b": draw(arrays(dtype, (b, m, p), "real", smooth, 0.0025)),
                 "c": draw(arrays(dtype, addend, "real", smooth, 0.004))},
                {"beta": draw(st.sampled_from([1.0, 0.0, 0.5, -2.0])), "alpha": draw(st.sampled_from([1.0, 0.5, 0.0, 3.0]))})


def _bmm_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """Sums of m products (and of the scaled addend), as matmul's bound."""
    a, b = draw.arrays["a"], draw.arrays["b"]
    mag = _abs_max(a) * _abs_max(b) * 4 + _abs_max(draw.arrays["c"]) * 2
    return accumulation_tolerance(a.size + b.size, max(mag, 1.0), dtype)


def _abs_max(x: np.ndarray) -> float:
    return float(np.abs(x).max(initial=0.0))


@st.composite
def _pow_swap(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """A positive array (so any real exponent has a gradient), an exponent, and two dims."""
    shape = draw(shapes(min_dims=1, max_dims=3))
    nd = len(shape)
    a = draw(arrays(dtype, shape, "positive", smooth).map(lambda x: np.clip(x, 1e-2, 100).astype(x.dtype)))
    return Draw({"a": a}, {"e": draw(st.sampled_from([2, 0.5, -1.5, 3])), "d0": draw(st.integers(-nd, nd - 1)),
                           "d1": draw(st.integers(-nd, nd - 1))})


def _pow_swap_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """pow: NumPy's and torch's libm each round a ** e within about an ulp, and the gradient's
    exponent e - 1 is formed in another precision: 8 ulps times (1 + max |ln a|) (as _pow_tol)."""
    a = draw.arrays["a"].astype(np.float64)
    log_mag = float(np.abs(np.log(a)).max(initial=0.0))
    return Tolerance(8 * float(np.finfo(dtype).eps) * (1 + log_mag) * 3, TOLERANCES[np.dtype(dtype)].atol)


@st.composite
def _above_one(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """acosh's domain with room for central differences: 1.05 and up."""
    a = draw(arrays(dtype, draw(shapes()), "positive", smooth))
    return Draw({"a": (np.clip(a, 0, 1e3) + dtype.type(1.05)).astype(dtype)})


@st.composite
def _special_values(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """Finite values mixed with inf, -inf and nan (not in smooth draws, which gradcheck uses)."""
    shape = draw(shapes())
    if smooth:
        return Draw({"a": draw(arrays(dtype, shape, "real", smooth))})
    el = st.one_of(floats(-10, 10, 32), st.sampled_from([np.inf, -np.inf, np.nan]))
    return Draw({"a": draw(hnp.arrays(dtype, shape, elements=el))})


@st.composite
def _matrix(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(min_dims=2, max_dims=4))
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth))}, {"k": draw(st.integers(-3, 3))})


@st.composite
def _masked(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """A mask broadcastable to a (masked_fill) and one broadcastable with it (masked_select)."""
    shape = draw(shapes(min_dims=0, max_dims=3))
    keep = draw(st.integers(0, len(shape)))  # drop leading dims, set some of the rest to 1
    mshape = tuple(1 if draw(st.booleans()) else n for n in shape[len(shape) - keep:])
    sshape = draw(hnp.mutually_broadcastable_shapes(num_shapes=1, base_shape=shape, max_dims=3)).input_shapes[0]
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth)),
                 "v": np.asarray(draw(floats(-3, 3, 32)), dtype=dtype),
                 "m": draw(hnp.arrays(np.bool_, mshape)), "n": draw(hnp.arrays(np.bool_, sshape))},
                {"fill": draw(st.sampled_from([0.0, -1.5, 7.0]))})


@st.composite
def _sorting(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """Values with ties (sort is stable on both sides) for sort/argsort; topk gets distinct
    values, since torch does not say which of two tied elements it returns."""
    d = draw(with_dim(dtype, smooth, keepdim=False))
    a = d.arrays["a"]
    d.params["descending"] = draw(st.booleans())
    n = a.shape[d.params["dim"]] if a.ndim else 1
    d.params["k"] = draw(st.integers(0, n))
    d.arrays["u"] = (np.arange(a.size, dtype=dtype).reshape(a.shape) * 0.37 % 5.3).astype(dtype) \
        if a.size else a.copy()
    d.arrays["u"] = np.asarray(draw(st.permutations(list(d.arrays["u"].reshape(-1)))), dtype=dtype).reshape(a.shape)
    return d


@st.composite
def _scatter(draw: Any, dtype: np.dtype, smooth: bool, unique: bool) -> Draw:
    """scatter arguments: index smaller than the input and src in any dim, repeated targets
    (unless ``unique``: overwriting scatter with repeated targets keeps an unspecified value)."""
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    nd = len(shape)
    dim = draw(st.integers(-nd, nd - 1))
    d = dim % nd
    ishape = tuple(draw(st.integers(1, s)) for s in shape)
    sshape = tuple(s + draw(st.integers(0, 1)) for s in ishape)
    if unique:
        ishape = ishape[:d] + (min(ishape[d], shape[d]),) + ishape[d + 1:]
        rows = [draw(st.permutations(range(shape[d])))[:ishape[d]] for _ in range(int(np.prod(ishape)) // ishape[d])]
        index = np.moveaxis(np.asarray(rows, dtype=np.int64).reshape(
            tuple(s for i, s in enumerate(ishape) if i != d) + (ishape[d],)), -1, d)
    else:
        index = draw(hnp.arrays(np.int64, ishape, elements=st.integers(0, shape[d] - 1)))
    sshape = ishape  # torch's scatter backward fails for a src larger than index (ours would not)
    src = draw(arrays(dtype, sshape, "real", smooth, 0.0025))
    a = draw(arrays(dtype, shape, "real", smooth))
    reduce = draw(st.sampled_from(["sum", "prod", "mean", "amax", "amin"]))
    if not smooth and reduce in ("amax", "amin") and draw(st.booleans()):
        _tie_self_with_result(a, src, index, d, reduce)
    return Draw({"a": a, "s": src, "i": index},
                {"dim": dim, "reduce": reduce, "include_self": draw(st.booleans()),
                 "value": draw(st.sampled_from([0.5, -2.0]))})


def _tie_self_with_result(a: np.ndarray, src: np.ndarray, index: np.ndarray, d: int, reduce: str) -> None:
    """Set the target of the first index entry to the max (amax) or min (amin) of the sources that
    hit it: a tie between the target's own value and the result, which torch counts among the
    winners even when include_self=False leaves that value out (a rare draw otherwise)."""
    first = (0,) * index.ndim
    target = list(first)
    target[d] = int(index[first])
    hits = [src[p] for p in np.ndindex(*index.shape)
            if int(index[p]) == target[d] and all(p[k] == target[k] for k in range(index.ndim) if k != d)]
    a[tuple(target)] = max(hits) if reduce == "amax" else min(hits)


@st.composite
def _activation_args(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    d = draw(unary(dtype, smooth, kind="activation"))
    d.params.update(alpha=draw(st.sampled_from([1.0, 0.5, 2.0])), slope=draw(st.sampled_from([0.01, 0.2, -0.5])),
                    beta=draw(st.sampled_from([1.0, 2.0, 0.5])), threshold=draw(st.sampled_from([20.0, 1.0])),
                    lo=draw(st.sampled_from([-1.0, -0.5])), hi=draw(st.sampled_from([1.0, 2.0])),
                    approximate=draw(st.sampled_from(["none", "tanh"])))
    return d


@st.composite
def _bce(draw: Any, dtype: np.dtype, smooth: bool, logits: bool) -> Draw:
    """Probabilities including exactly 0 and 1 (the clamped logs), or logits up to +-100."""
    shape = draw(shapes(min_dims=0, max_dims=3))
    if logits:
        x = draw(arrays(dtype, shape, "activation" if not smooth else "real", smooth))
    else:
        el = floats(0.05, 0.95, 32) if smooth else st.one_of(floats(0, 1, 32), st.sampled_from([0.0, 1.0, 0.5]))
        x = draw(hnp.arrays(dtype, shape, elements=el, unique=smooth))
    y = draw(hnp.arrays(dtype, shape, elements=floats(0, 1, 32)))
    w = draw(hnp.arrays(dtype, shape[-1:] if shape else (), elements=floats(0.1, 2, 32)))
    pw = draw(hnp.arrays(dtype, shape[-1:] if shape else (), elements=floats(0.5, 3, 32)))
    # torch has no derivative for weight and pos_weight, so they stay constants
    return Draw({"a": x, "t": y, "w": w, "pw": pw},
                {"reduction": draw(st.sampled_from(["mean", "sum", "none"])), "weighted": draw(st.booleans())},
                constant=("w", "pw"))


@st.composite
def _pad(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    mode = draw(st.sampled_from(["constant", "reflect", "replicate", "circular"]))
    nd = draw(st.integers(2 if mode != "constant" else 1, 4))
    shape = tuple(draw(st.integers(1, 4)) for _ in range(nd))
    # torch pads k dims of a (k+1)- or (k+2)-D input in the non-constant modes
    k = draw(st.integers(1, min(nd, 3)) if mode == "constant" else st.sampled_from(
        [k for k in (1, 2, 3) if nd - k in (1, 2)]))
    pads = []
    for i in range(k):
        n = shape[nd - 1 - i]
        hi = {"reflect": n - 1, "circular": n, "replicate": 3}.get(mode, 3)
        # negative amounts crop, in every mode: constant may crop a dim away (fixed up below), the
        # other modes keep one element at least
        lo = -(n - 1) // 2 if mode == "constant" else -((n - 1) // 2)
        left, right = draw(st.integers(lo, hi)), draw(st.integers(lo, hi))
        if mode == "circular":  # torch wraps around what is left after the crop, at most once
            kept = n - max(-left, 0) - max(-right, 0)
            left, right = min(left, kept), min(right, kept)
        pads += [left, right]
    if mode == "constant" and any(shape[nd - 1 - i] + pads[2 * i] + pads[2 * i + 1] < 0 for i in range(k)):
        pads = [max(p, 0) for p in pads]
    return Draw({"x": draw(arrays(dtype, shape, "real", smooth))},
                {"pad": tuple(pads), "mode": mode, "value": draw(st.sampled_from([0.0, 2.5])) if mode == "constant" else None})


@st.composite
def _conv1d(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    groups = draw(st.sampled_from([1, 2]))
    cg, fg, k = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 4))
    s, d, p = draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(0, 2))
    length = draw(st.integers(max(1, d * (k - 1) + 1 - 2 * p), 9))
    unbatched = draw(st.booleans())
    xshape = (cg * groups, length) if unbatched else (draw(st.integers(1, 2)), cg * groups, length)
    return Draw({"x": draw(arrays(dtype, xshape, "conv", smooth)),
                 "w": draw(arrays(dtype, (fg * groups, cg, k), "conv", smooth, 0.0025)),
                 "b": draw(arrays(dtype, (fg * groups,), "conv", smooth, 0.004))},
                {"stride": s, "padding": p, "dilation": d, "groups": groups, "bias": draw(st.booleans())})


@st.composite
def _conv_transpose(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    groups = draw(st.sampled_from([1, 1, 2]))
    cg, fg = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dh, dw = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    oph, opw = draw(st.integers(0, max(sh, dh) - 1)), draw(st.integers(0, max(sw, dw) - 1))
    h, w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    ph = draw(st.integers(0, max(0, ((h - 1) * sh + dh * (kh - 1) + oph) // 2)))
    pw = draw(st.integers(0, max(0, ((w - 1) * sw + dw * (kw - 1) + opw) // 2)))
    unbatched = draw(st.booleans())
    xshape = (cg * groups, h, w) if unbatched else (draw(st.integers(1, 2)), cg * groups, h, w)
    return Draw({"x": draw(arrays(dtype, xshape, "conv", smooth)),
                 "w": draw(arrays(dtype, (cg * groups, fg, kh, kw), "conv", smooth, 0.0025)),
                 "b": draw(arrays(dtype, (fg * groups,), "conv", smooth, 0.004))},
                {"stride": (sh, sw), "padding": (ph, pw), "output_padding": (oph, opw), "dilation": (dh, dw),
                 "groups": groups, "bias": draw(st.booleans())})


def _conv_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    x, w = draw.arrays["x"], draw.arrays["w"]
    m = max(float(np.abs(x).max(initial=1.0)) * float(np.abs(w).max(initial=1.0)), 1.0)
    return accumulation_tolerance(x.size + w.size, m, dtype)


EINSUMS = ["ij,jk->ik", "bij,bjk->bik", "ii->i", "ii->", "ij->ji", "i,i->", "i,j->ij", "...ij->...ji",
           "ij,kj", "iij->j", "ijk->", "ij,j->i", "bi,bj->bij", "ij,ij->i"]


@st.composite
def _einsum(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    eq = draw(st.sampled_from(EINSUMS))
    sizes = {c: draw(st.integers(1, 4)) for c in "ijkb"}
    lhs = eq.split("->")[0].split(",")
    lead = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    arrs = {}
    for name, subs in zip("ab", lhs):
        shape = (lead if subs.startswith("...") else ()) + tuple(sizes[c] for c in subs.replace("...", ""))
        arrs[name] = draw(arrays(dtype, shape, "real" if smooth else "conv", smooth, 0.005 if name == "a" else 0.0025))
    return Draw(arrs, {"eq": eq, "two": len(lhs) == 2})


def _einsum_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    m = 1.0
    for v in draw.arrays.values():
        m *= max(float(np.abs(v).max(initial=1.0)), 1.0)
    return accumulation_tolerance(sum(v.size for v in draw.arrays.values()), m, dtype)


@st.composite
def _interpolate(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    mode = draw(st.sampled_from(["nearest", "nearest-exact", "linear", "bilinear", "trilinear"]))
    spatial = {"linear": 1, "bilinear": 2, "trilinear": 3}.get(mode) or draw(st.integers(1, 3))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) + tuple(draw(st.integers(1, 5)) for _ in range(spatial))
    params: dict[str, Any] = {"mode": mode, "size": None, "scale_factor": None, "align_corners": None}
    if draw(st.booleans()):
        params["size"] = tuple(draw(st.integers(1, 7)) for _ in range(spatial))
    else:
        # fractional factors whose product with the size is not an integer: torch then reads the
        # source at 1/scale_factor per step, not at n_in/n_out (drawn on purpose, half the time)
        params["scale_factor"] = draw(st.one_of(st.sampled_from([1.7, 2.3, 0.6, 1.3, 2.6]),
                                                st.sampled_from([2.0, 0.5, 1.5, 3.0, 0.75])))
        if any(int(np.floor(n * params["scale_factor"])) < 1 for n in shape[2:]):
            params["scale_factor"] = 2.0
    if mode not in ("nearest", "nearest-exact"):
        params["align_corners"] = draw(st.sampled_from([None, False, True]))
    return Draw({"x": draw(arrays(dtype, shape, "real", smooth))}, params)


def _nearest_backward_differs(draw: Draw) -> bool:
    """torch 2.14's 'nearest' forward reads the source at floor(i / scale_factor), but its backward
    sends output i's gradient as if it had read floor(i * n_in / n_out); when floor(n *
    scale_factor) != n * scale_factor the two differ, and torch's gradient is not the derivative of
    its own output: interpolate(x of size 2, scale_factor=2.3) gives [x0, x0, x0, x1], yet torch
    sends the third output's gradient to x1. tinygrad_edu's gradient follows its forward (the
    gradcheck tests check it against finite differences)."""
    sf = draw.params["scale_factor"]
    if draw.params["mode"] != "nearest" or sf is None:
        return False
    return any(float(np.floor(n * sf)) != n * sf for n in draw.arrays["x"].shape[2:])


def _rounded_constant(draw: Draw) -> bool:
    """A constant tensor whose mean does not come out exact in its dtype: var and std are then
    rounding noise (5e-15 for three float32 copies of 0.7967), both sides alike, and so is the
    gradient of std, which divides one rounding error by another. torch's backward uses
    (x - mean) / ((n - 1) std) and gives 0.41 per element there; tinygrad_edu's, the derivative of
    the computed mean subtraction, gives 0. Neither is meaningful; the values are compared, the
    gradient is not (gradcheck checks it in float64 away from such ties)."""
    a = draw.arrays["a"]
    if a.size < 2 or np.ptp(a) != 0 or a.dtype.kind != "f":
        return False
    return bool(a.sum(dtype=a.dtype) / np.asarray(a.size, a.dtype) != a.flat[0])


def _var_defaults(dtype: np.dtype, smooth: bool) -> Any:
    """Any tensor for var()/std() with no arguments; the float64 gradcheck draws (smooth) need two
    elements at least (one element's unbiased variance is 0/0, NaN on both sides, compared in parity)."""
    draws = unary(dtype, smooth, kind="conv", min_dims=1)
    return draws.filter(lambda d: d.arrays["a"].size >= 2) if smooth else draws


def _interpolate_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """Linear modes: each output is a weighted sum of up to 2^d inputs with weights computed in
    the input's precision by torch (float64 here), so agreement is to a few eps * max|x|."""
    x = draw.arrays["x"]
    eps = float(np.finfo(dtype).eps)
    base = TOLERANCES[np.dtype(dtype)]
    return Tolerance(base.rtol, base.atol + 8 * (2 ** (x.ndim - 2)) * eps * float(np.abs(x).max(initial=1.0)))


@st.composite
def _integers(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """Integer and bool operands for //, %, the bitwise operators and shifts (negative values and
    divisors included: floor division and Python's % round toward -inf, like torch)."""
    itype = np.dtype(draw(st.sampled_from([np.int32, np.int64, np.uint8, np.int8])))
    bs = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4))
    lo = 0 if itype.kind == "u" else -50
    a = draw(hnp.arrays(itype, bs.input_shapes[0], elements=st.integers(lo, 50)))
    b = draw(hnp.arrays(itype, bs.input_shapes[1], elements=st.integers(lo, 50).filter(lambda v: v != 0)))
    return Draw({"a": a, "b": b, "m": draw(hnp.arrays(np.bool_, bs.input_shapes[0])),
                 "n": draw(hnp.arrays(np.bool_, bs.input_shapes[1]))}, {"shift": draw(st.integers(0, 3))})


MORE: list[OpCase] = [
    # unary math (ops/unary.py) and composites of it
    OpCase("tan", E, "a.tan()", partial(unary, kind="unit")),
    OpCase("atan", E, "T.atan(a)", partial(unary)),
    OpCase("asin", E, "a.asin()", partial(unary, kind="unit")),
    OpCase("acos", E, "T.acos(a)", partial(unary, kind="unit")),
    OpCase("sinh", E, "a.sinh()", partial(unary, kind="exp")),
    OpCase("asinh", E, "(T.asinh(a), a.arcsinh())", partial(unary)),
    OpCase("acosh", E, "(a.acosh(), T.arccosh(a))", _above_one),
    OpCase("atanh", E, "(T.atanh(a), a.arctanh())", partial(unary, kind="unit")),
    OpCase("finite_predicates", E, "(T.isfinite(a), a.isinf(), T.isnan(a), a + 0)", _special_values, gradcheck=False),
    OpCase("cosh", E, "T.cosh(a)", partial(unary, kind="exp")),
    OpCase("log1p", E, "(a.log1p(), T.log1p(u))", lambda dtype, smooth: st.builds(
        lambda d, u: Draw({"a": d.arrays["a"], "u": u}), unary(dtype, smooth, kind="positive"),
        arrays(dtype, (3,), "unit" if not smooth else "real", smooth).map(lambda v: np.clip(v, -0.9, None) if smooth else v))),
    OpCase("expm1", E, "a.expm1()", partial(unary, kind="exp")),
    OpCase("erf", E, "T.erf(a)", partial(unary)),
    OpCase("log2", E, "a.log2()", partial(unary, kind="positive")),
    OpCase("log10", E, "T.log10(a)", partial(unary, kind="positive")),
    OpCase("exp2_rsqrt_reciprocal", E, "(T.exp2(a * 0.1), (a * a + 0.5).rsqrt(), T.reciprocal(a + 1e4))",
           partial(unary, kind="exp")),
    OpCase("rounding", E, "(a.floor(), T.ceil(a), a.trunc(), (a * 0.5).round(), a.sign(), T.round(a, decimals=1))",
           partial(unary), gradcheck=False, notes="piecewise constant: gradient 0, checked by parity"),
    # arithmetic as functions, with torch's keywords
    OpCase("add_sub_alpha", E, "(T.add(a, b, alpha=2.0), T.sub(a, b, alpha=-0.5), a.add(b), T.mul(a, b))",
           partial(binary), tol=_broadcast(lambda a, b: max(2.0, np.abs(a).max(initial=0), np.abs(b).max(initial=0)))),
    OpCase("div_rounding", E, "(T.div(a, b), T.div(a, b, rounding_mode='trunc'), a.div(b, rounding_mode='floor'))",
           partial(binary, kind_b="nonzero"), gradcheck=False, tol=_broadcast(lambda a, b: np.abs(a / b ** 2)),
           notes="the rounded quotients are piecewise constant; true division has its own row"),
    OpCase("remainder", E, "(a % b, T.remainder(a, b))", partial(binary, kind_b="nonzero"),
           gradcheck=False, tol=_broadcast(lambda a, b: np.abs(np.floor(a / b))), notes="jumps wherever a / b is a whole number; parity checks the gradient"),
    OpCase("floor_divide_values", E, "(a // b, T.floor_divide(a, b), 7.0 // b)",
           lambda dtype, smooth: binary(dtype, smooth, kind_b="nonzero").map(
               lambda d: Draw(d.arrays, d.params, constant=("a", "b"))),
           gradcheck=False, notes="torch has no derivative for floor_divide: values only"),
    OpCase("integer_operators", E, "(a // b, a % b, a & b, a | b, a ^ b, ~a, a << shift, a >> shift, "
           "T.div(a, b, rounding_mode='trunc'), T.div(a, b, rounding_mode='floor'), T.remainder(a, b), "
           "m & n, m | n, m ^ n, ~m, T.bitwise_and(a, b), T.logical_and(a, m))", _integers, gradcheck=False,
           notes="integer and bool outputs: no gradient"),
    # reductions
    OpCase("var_std", R, "(a.var(dim, keepdim=keepdim, correction=correction), "
           "T.std(a, dim, keepdim=keepdim, correction=correction))", _var_args, tol=_var_tol,
           cuda_differs=_subnormal_variance, torch_grad_differs=_underflowing_variance),
    OpCase("var_std_defaults", R, "(a.var(), a.std(), T.var(a), T.std(a))", _var_defaults, tol=_var_tol,
           torch_grad_differs=_rounded_constant, cuda_differs=_subnormal_variance,
           notes="no arguments at all: torch's default is the unbiased (Bessel) estimate"),
    OpCase("var_unbiased_positional", R, "(a.var(0, True) if a.shape[0] > 1 else a.var(0, False), a.std(unbiased=False))",
           partial(unary, kind="conv", min_dims=1), tol=_var_tol, cuda_differs=_subnormal_variance),
    OpCase("prod_all", R, "a.prod()", partial(_small_factors, with_dim_arg=False), tol=_product_tol),
    OpCase("prod_dim", R, "T.prod(a, dim, keepdim)", partial(_small_factors, with_dim_arg=True), tol=_product_tol),
    OpCase("cumprod", R, "a.cumprod(dim)", partial(_small_factors, with_dim_arg=True), tol=_product_tol),
    OpCase("logsumexp", R, "T.logsumexp(a, dim, keepdim)",
           partial(with_dim, kind="logit", multi=True), tol=_logit_like_tol),
    OpCase("all_any_isclose", R, "((a > 0).all(), T.any(a, dim), (a != 0).all(dim, keepdim), "
           "T.isclose(a, a * 1.000001), a.isclose(a + 1e-3, atol=1e-2))",
           partial(with_dim, keepdim=True), gradcheck=False, notes="bool outputs"),
    OpCase("nonzero_unique", R, "(T.nonzero(a), a.nonzero(as_tuple=True)[-1], T.unique(a.detach()), "
           "a.detach().unique(return_inverse=True, return_counts=True)[1], a.detach().unique(return_counts=True)[1])",
           partial(unary), gradcheck=False, notes="indices and distinct values: no gradient"),
    # movement
    OpCase("flip_roll_movedim", M, "(a.flip(dims), T.roll(a, shifts, dims), a.roll(flat_shift), "
           "T.movedim(a, src, dst), T.fliplr(a) if a.ndim >= 2 else a.flipud())", _flip_roll),
    OpCase("split_chunk_abs", M, "(*a.split(size, dim), *T.split(a, sections, dim=dim), *T.chunk(a, chunks, dim), "
           "abs(a))", _split),
    OpCase("swap_reversed_pow", M, "(a.swapaxes(d0, d1), T.swapdims(a, d0, d1), T.swapaxes(a, d1, d0), "
           "reversed(a), T.pow(a, e), T.pow(1.5, a))", _pow_swap, tol=_pow_swap_tol),
    OpCase("tril_triu", M, "(a.tril(k), T.triu(a, k), T.tril(a))", _matrix),
    OpCase("masked_fill_select", M, "(a.masked_fill(m, fill), a.masked_fill(m, v), "
           "T.masked_select(a, n))", _masked),
    OpCase("sort_argsort", M, "(T.sort(a, dim=dim, descending=descending, stable=True)[0], "
           "a.sort(stable=True, dim=dim, descending=descending)[1], T.argsort(a, dim=dim, descending=descending, stable=True))", _sorting),
    OpCase("topk_distinct", M, "(T.topk(u, k, dim)[0], u.topk(k, dim, largest=False)[0], T.topk(u, k, dim).indices)",
           _sorting),
    OpCase("scatter_overwrite", M, "(a.scatter(dim, i, s), T.scatter(a, dim, i, value=value))",
           partial(_scatter, unique=True)),
    OpCase("scatter_add", M, "a.scatter_add(dim, i, s)", partial(_scatter, unique=False)),
    OpCase("scatter_reduce", M, "a.scatter_reduce(dim, i, s, reduce, include_self=include_self)",
           partial(_scatter, unique=False)),
    # activations (composites) and binary cross-entropy
    OpCase("activations", L, "(F.elu(a, alpha), F.celu(a, alpha), F.selu(a), F.leaky_relu(a, slope), "
           "F.hardtanh(a, lo, hi), F.relu6(a), F.silu(a), F.softplus(a, beta, threshold), F.logsigmoid(a))",
           _activation_args),
    OpCase("gelu", L, "F.gelu(a, approximate=approximate)", _activation_args),
    OpCase("activation_modules", L, "(nn.LeakyReLU(slope)(a), nn.ELU(alpha)(a), nn.GELU()(a), nn.SiLU()(a), "
           "nn.Softplus(beta)(a), nn.LogSoftmax(-1)(a), nn.Hardtanh(lo, hi)(a), nn.LogSigmoid()(a))",
           _activation_args),
    OpCase("binary_cross_entropy", L, "F.binary_cross_entropy(a, t, w if weighted else None, reduction=reduction)",
           partial(_bce, logits=False), tol=None),
    OpCase("binary_cross_entropy_with_logits", L,
           "F.binary_cross_entropy_with_logits(a, t, w if weighted else None, reduction=reduction, "
           "pos_weight=pw if weighted else None)", partial(_bce, logits=True)),
    OpCase("bce_modules", L, "(nn.BCELoss(reduction=reduction)(a, t), nn.BCEWithLogitsLoss(pos_weight=pw)(a, t))",
           partial(_bce, logits=False)),
    # einsum and resizing
    OpCase("bmm_baddbmm", "matmul", "(T.bmm(a, b), a.bmm(b), T.baddbmm(c, a, b, beta=beta, alpha=alpha), "
           "c.baddbmm(a, b, alpha=alpha))", _bmm, tol=_bmm_tol),
    OpCase("einsum", "matmul", "T.einsum(eq, a, b) if two else T.einsum(eq, a)", _einsum, tol=_einsum_tol),
    OpCase("interpolate", C, "F.interpolate(x, size, scale_factor, mode, align_corners)", _interpolate,
           tol=_interpolate_tol, torch_grad_differs=_nearest_backward_differs),
    # regression losses (composites of abs, where and products)
    OpCase("l1_smooth_l1_huber", L, "(F.l1_loss(a, b, reduction=reduction), F.smooth_l1_loss(a, b, reduction=reduction, "
           "beta=beta), F.huber_loss(a, b, reduction, delta), nn.L1Loss()(a, b), nn.SmoothL1Loss(beta=0.0)(a, b))",
           lambda dtype, smooth: st.builds(lambda d, beta, delta: Draw(d.arrays, {**d.params, "beta": beta, "delta": delta}),
                                           _mse(dtype, smooth), st.sampled_from([1.0, 0.5, 2.0, 0.0]),
                                           st.sampled_from([1.0, 0.25, 3.0])),
           tol=lambda d, dt: accumulation_tolerance(max(d.arrays["a"].size, 1),
                                                    max(float(np.abs(d.arrays["a"]).max(initial=1.0)), 1.0) ** 2, dt)),
    OpCase("l1_huber_weighted", L, "(F.l1_loss(a, b, None, None, reduction, w), F.huber_loss(a, b, reduction, 1.0, w))",
           _mse_weighted, tol=lambda d, dt: accumulation_tolerance(
               max(d.arrays["a"].size, 1), 3 * max(float(np.abs(d.arrays["a"]).max(initial=1.0)), 1.0) ** 2, dt)),
    # padding and convolutions
    OpCase("pad", C, "F.pad(x, pad, mode, value)", _pad),
    OpCase("conv1d", C, "F.conv1d(x, w, b if bias else None, stride, padding, dilation, groups)", _conv1d,
           tol=_conv_tol),
    OpCase("conv_transpose2d", C, "F.conv_transpose2d(x, w, b if bias else None, stride, padding, output_padding, "
           "groups, dilation)", _conv_transpose, tol=_conv_tol),
]
