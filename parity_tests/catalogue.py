"""The op catalogue: one row per op, driving the parity tests (float32/float64, cpu/cuda) and the
float64 gradcheck tests. Adding an op to the suite is adding a row here.
"""
from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .harness import OpCase, Tolerance, TOLERANCES, accumulation_tolerance
from .index_forms import index_spec
from .strategies import Draw, arrays, floats, binary, shapes, unary, with_dim

# ----------------------------------------------------------------------------- tolerance overrides


def _sum_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """sum/mean: accumulation order differs between NumPy and torch (see accumulation_tolerance)."""
    a = draw.arrays["a"]
    return accumulation_tolerance(a.size, float(np.abs(a).max(initial=1.0)), dtype)


def _matmul_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """matmul: each output (and each gradient entry, summed over batch) adds up K products."""
    a, b = draw.arrays["a"], draw.arrays["b"]
    m = float(np.abs(a).max(initial=1.0)) * float(np.abs(b).max(initial=1.0))
    return accumulation_tolerance(a.size + b.size, max(m, 1.0), dtype)


def _logit_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """log_softmax family: y = x - logsumexp(x) subtracts numbers of size max|x|, so any
    implementation is exact only to about eps * max|x| absolutely (a condition-number bound,
    not slack): with logits of 1e4 in float32 that is ~1e-3."""
    a = draw.arrays["a"]
    finite = a[np.isfinite(a)]
    mag = float(np.abs(finite).max(initial=1.0))
    base = TOLERANCES[np.dtype(dtype)]
    return Tolerance(base.rtol * 4, base.atol + 8 * float(np.finfo(dtype).eps) * mag * max(a.size, 1))


def _broadcast_tol(local: Any) -> Any:
    """Binary ops with broadcasting: the gradient of the smaller input is a *sum* over the broadcast
    dims of upstream * local derivative, added in different orders by NumPy and torch, so the
    accumulation bound applies with terms = elements summed into one and magnitude = the largest
    local derivative (``local(a, b)``); without broadcasting this is the plain table."""

    def tol(draw: Draw, dtype: np.dtype) -> Tolerance:
        arrs = list(draw.arrays.values())
        a, b = arrs[-2], arrs[-1]
        out = int(np.prod(np.broadcast_shapes(*(x.shape for x in arrs))))
        terms = max(out // max(min(a.size, b.size), 1), 1)
        if terms == 1:
            return TOLERANCES[np.dtype(dtype)]
        with np.errstate(all="ignore"):
            magnitude = float(np.nan_to_num(np.max(local(a.astype(np.float64), b.astype(np.float64)), initial=1.0)))
        return accumulation_tolerance(terms, max(magnitude, 1.0), dtype)

    return tol


def _abs_max(*xs: np.ndarray) -> float:
    return max(float(np.abs(x).max(initial=0.0)) for x in xs)


def _pow_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """pow: NumPy and torch evaluate a**b with different libm routines (~1 ulp each), and torch
    forms the gradient's exponent b - 1 in double precision from the Python scalar while we form
    it in the tensor's dtype. An exponent that differs by one ulp changes a**(b-1) by a relative
    |ln a| * ulp(b), so the bound is 8 ulps * (1 + max |ln a|)."""
    base = TOLERANCES[np.dtype(dtype)]
    a = draw.arrays["a"]
    positive = np.abs(a[a != 0]).astype(np.float64)
    log_mag = float(np.abs(np.log(positive)).max(initial=0.0))
    return Tolerance(8 * float(np.finfo(dtype).eps) * (1 + log_mag), base.atol)


# ----------------------------------------------------------------------------- input strategies


@st.composite
def _pow_scalar(draw: Any, dtype: np.dtype, smooth: bool, integer: bool) -> Draw:
    shape = draw(shapes())
    if integer:  # any base, integer exponent (including 0, where the gradient is defined as 0)
        a = draw(arrays(dtype, shape, "real", smooth).map(lambda x: np.clip(x, -30, 30)))
        return Draw({"a": a}, {"p": draw(st.integers(0 if not smooth else 1, 4))})
    a = draw(arrays(dtype, shape, "positive", smooth).map(lambda x: np.clip(x, 1e-2, 100).astype(x.dtype)))
    return Draw({"a": a}, {"p": draw(st.floats(-2.5, 2.5).map(lambda v: round(v, 3)))})


@st.composite
def _pow_tensor(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    bs = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4))
    sa, sb = bs.input_shapes
    if not smooth and draw(st.booleans()):
        # zero bases with exponents >= 0: the boundary rules of both gradients (d/da at b == 0,
        # d/db at a == 0 where log a = -inf but torch defines the gradient as 0)
        a = draw(hnp.arrays(dtype, sa, elements=st.one_of(st.just(0.0), floats(0.1, 4, 32))))
        b = draw(hnp.arrays(dtype, sb, elements=st.sampled_from([0.0, 1.0, 2.0, 0.5, 3.0])))
        return Draw({"a": a, "b": b})
    a = draw(hnp.arrays(dtype, sa, elements=floats(0.1, 4, 32), unique=smooth))
    b = draw(hnp.arrays(dtype, sb, elements=floats(-2, 2, 32), unique=smooth))
    return Draw({"a": a, "b": b})


@st.composite
def _with_scalar(draw: Any, dtype: np.dtype, smooth: bool, kind: str = "real") -> Draw:
    shape = draw(shapes())
    s = draw(st.sampled_from([2.0, -0.5, 3, 1e-3]))
    return Draw({"a": draw(arrays(dtype, shape, kind, smooth))}, {"s": s})


@st.composite
def _clamp(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes())
    a = draw(arrays(dtype, shape, "real", smooth).map(lambda x: np.clip(x, -6, 6).astype(x.dtype)))
    bound = st.integers(-5, 5).map(float) if not smooth else st.integers(-50, 50).map(lambda i: i / 10)
    lo, hi = draw(st.one_of(st.tuples(bound, bound), st.tuples(bound, st.none()), st.tuples(st.none(), bound)))
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return Draw({"a": a}, {"lo": lo, "hi": hi})


def _clamp_at_a_bound(d: Draw) -> bool:
    """An input equal to a bound of clamp: torch 2.14.1 sends it no gradient, torch 2.11 the whole
    gradient, on the CPU and on CUDA alike (seen for clamp(0, 0) and clamp(0, None) at 0 on an H100
    machine, 2026-11-24)."""
    return any(bound is not None and bool(np.any(d.arrays["a"] == bound))
               for bound in (d.params["lo"], d.params["hi"]))


def _no_target_weight(d: Draw) -> bool:
    """A mean over targets whose weights add up to 0 (all ignored, or zero class weights): 0/0,
    which torch's CPU kernels return as nan and its CUDA kernels as 0 (seen with torch 2.11 on an
    H100, 2026-11-24, for a single unbatched target)."""
    if d.params.get("reduction") != "mean":
        return False
    t = d.arrays["t"]
    kept = t[t != d.params.get("ignore_index", -100)]
    w = d.arrays.get("w")
    return float(w[kept].sum() if w is not None else kept.size) == 0.0


def _bias_without_weight(d: Draw) -> bool:
    """batch_norm with a bias but no weight: torch's CUDA kernel returns an empty or a wrong bias
    gradient (torch 2.11 on an H100, 2026-11-24); its CPU kernel the sum of the upstream gradient."""
    return not d.params["affine"]


@st.composite
def _where(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    bs = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=4))
    sc, sa, sb = bs.input_shapes
    c = draw(hnp.arrays(np.bool_, sc))
    return Draw({"c": c, "a": draw(arrays(dtype, sa, "real", smooth)),
                 "b": draw(arrays(dtype, sb, "real", smooth, 0.0025))})


@st.composite
def _reshape(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes())
    a = draw(arrays(dtype, shape, "real", smooth))
    sizes = list(draw(st.permutations(list(shape))))
    if len(sizes) >= 2 and draw(st.booleans()):  # merge two neighbours
        sizes = [sizes[0] * sizes[1]] + sizes[2:]
    if sizes and draw(st.booleans()):
        sizes[draw(st.integers(0, len(sizes) - 1))] = -1
    if draw(st.booleans()):
        sizes.insert(draw(st.integers(0, len(sizes))), 1)
    return Draw({"a": a}, {"shape": tuple(sizes)})


@st.composite
def _permute(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes())
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth))},
                {"dims": tuple(draw(st.permutations(range(len(shape)))))})


@st.composite
def _two_dims(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(min_dims=1))
    nd = len(shape)
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth))},
                {"d0": draw(st.integers(-nd, nd - 1)), "d1": draw(st.integers(-nd, nd - 1))})


@st.composite
def _flatten(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(min_dims=1))
    nd = len(shape)
    s, e = sorted([draw(st.integers(0, nd - 1)), draw(st.integers(0, nd - 1))])
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth))}, {"start": s, "end": e - nd})


@st.composite
def _squeeze(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(max_side=2))
    nd = max(len(shape), 1)
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth))},
                {"dim": draw(st.one_of(st.none(), st.integers(-nd, nd - 1)))})


@st.composite
def _unsqueeze(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(max_dims=3))
    nd = len(shape) + 1
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth))}, {"dim": draw(st.integers(-nd, nd - 1))})


@st.composite
def _expand(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(max_dims=3, max_side=3))
    target = [draw(st.integers(1, 3)) if s == 1 else draw(st.sampled_from([s, -1])) for s in shape]
    lead = draw(st.lists(st.integers(1, 3), max_size=2))
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth))}, {"sizes": tuple(lead + target)})


@st.composite
def _slices(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(min_dims=1))
    index: list[Any] = []
    for size in shape:
        if draw(st.integers(0, 3)) == 0:
            index.append(draw(st.integers(-size, size - 1)))
        else:
            start = draw(st.one_of(st.none(), st.integers(-size - 1, size + 1)))
            stop = draw(st.one_of(st.none(), st.integers(-size - 1, size + 1)))
            index.append(slice(start, stop, draw(st.one_of(st.none(), st.integers(1, 3)))))
    if draw(st.booleans()):
        index.insert(draw(st.integers(0, len(index))), None)
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth))}, {"idx": tuple(index)})


@st.composite
def _pick(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """d2l's y_hat[range(n), y]: one entry per row, chosen by an integer array."""
    n, c = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    y = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    return Draw({"a": draw(arrays(dtype, (n, c), "real", smooth)), "rows": np.arange(n), "y": y})


@st.composite
def _take_repeated(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """Integer-array indexing with repeated indices: their gradients must add up."""
    shape = draw(shapes(min_dims=1, max_dims=3))
    i = draw(hnp.arrays(np.int64, draw(shapes(min_dims=1, max_dims=2)),
                        elements=st.integers(-shape[0], shape[0] - 1)))
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth)), "i": i})


@st.composite
def _mask(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(min_dims=1, max_dims=3))
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth)), "m": draw(hnp.arrays(np.bool_, shape))})


@st.composite
def _cat(draw: Any, dtype: np.dtype, smooth: bool, new_dim: bool) -> Draw:
    shape = list(draw(shapes(min_dims=1, max_dims=3)))
    nd = len(shape) + (1 if new_dim else 0)
    dim = draw(st.integers(-nd, nd - 1))
    other = list(shape)
    if not new_dim:
        other[dim % len(shape)] = draw(st.integers(1, 4))
    arrs = {"a": draw(arrays(dtype, tuple(shape), "real", smooth)),
            "b": draw(arrays(dtype, tuple(other), "real", smooth, 0.0025)),
            "c": draw(arrays(dtype, tuple(shape), "real", smooth, 0.004))}
    return Draw(arrs, {"dim": dim})


@st.composite
def _matmul(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """1-D, 2-D and batched operands with mutually broadcastable batch dims."""
    n, k, m = (draw(st.integers(1, 5)) for _ in range(3))
    kind = draw(st.sampled_from(["vv", "vm", "mv", "mm", "batched", "batched-v"]))
    batch = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3))
    ba, bb = batch.input_shapes
    sa, sb = {
        "vv": ((k,), (k,)), "vm": ((k,), (k, m)), "mv": ((n, k), (k,)), "mm": ((n, k), (k, m)),
        "batched": ((*ba, n, k), (*bb, k, m)), "batched-v": ((k,), (*bb, k, m)),
    }[kind]
    return Draw({"a": draw(arrays(dtype, sa, "real", smooth)), "b": draw(arrays(dtype, sb, "real", smooth, 0.0025))})


@st.composite
def _linear(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """F.linear on inputs with 0 to 2 leading dims, with and without bias."""
    n_in, n_out = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    lead = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=2)))
    return Draw({"a": draw(arrays(dtype, (*lead, n_in), "real", smooth)),
                 "w": draw(arrays(dtype, (n_out, n_in), "real", smooth, 0.0025)),
                 "b": draw(arrays(dtype, (n_out,), "real", smooth, 0.004))}, {"bias": draw(st.booleans())})


def _linear_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """linear: sums of products, as matmul."""
    a, w = draw.arrays["a"], draw.arrays["w"]
    m = max(float(np.abs(a).max(initial=1.0)) * float(np.abs(w).max(initial=1.0)), 1.0)
    return accumulation_tolerance(a.size + w.size, m, dtype)


@st.composite
def _logits(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(min_dims=1, max_dims=4, max_side=5))
    nd = len(shape)
    return Draw({"a": draw(arrays(dtype, shape, "logit", smooth))}, {"dim": draw(st.integers(-nd, nd - 1))})


@st.composite
def _class_targets(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """Logits (C,), (N, C) or (N, C, d1[, d2]) with int64 targets, some equal to ignore_index."""
    c = draw(st.integers(1, 5))
    layout = draw(st.sampled_from(["single", "batch", "spatial"]))
    n = draw(st.integers(1, 5))
    extra = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=2))) if layout == "spatial" else ()
    shape = (c,) if layout == "single" else (n, c, *extra)
    tshape = () if layout == "single" else (n, *extra)
    ignore = -100 if smooth else draw(st.sampled_from([-100, 0, 1]))  # smooth: no all-ignored nan
    t = draw(hnp.arrays(np.int64, tshape, elements=st.integers(0, c - 1)))
    if not smooth and draw(st.booleans()):  # some ignored targets
        mask = draw(hnp.arrays(np.bool_, tshape))
        t = np.where(mask & (ignore < 0), ignore, t)
    params = {"reduction": draw(st.sampled_from(["mean", "sum", "none"])), "ignore_index": ignore,
              "label_smoothing": draw(st.sampled_from([0.0, 0.0, 0.1, 0.75]))}
    return Draw({"a": draw(arrays(dtype, shape, "logit" if not smooth else "real", smooth)), "t": t}, params)


@st.composite
def _prob_targets(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(st.sampled_from([(draw(st.integers(1, 5)),),
                                  (draw(st.integers(1, 4)), draw(st.integers(1, 5))),
                                  (2, draw(st.integers(1, 4)), 3)]))
    cdim = 0 if len(shape) == 1 else 1
    raw = draw(hnp.arrays(np.float64, shape, elements=st.floats(0, 1)))
    q = (raw + 1e-3) / (raw + 1e-3).sum(axis=cdim, keepdims=True)
    params = {"reduction": draw(st.sampled_from(["mean", "sum", "none"])),
              "label_smoothing": draw(st.sampled_from([0.0, 0.2]))}
    return Draw({"a": draw(arrays(dtype, shape, "logit" if not smooth else "real", smooth)),
                 "q": q.astype(dtype)}, params, constant=("q",))


@st.composite
def _nll(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    d = draw(_class_targets(dtype, smooth))
    d.params.pop("label_smoothing")
    return d


@st.composite
def _mse(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes())
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth)),
                 "b": draw(arrays(dtype, shape, "real", smooth, 0.0025))},
                {"reduction": draw(st.sampled_from(["mean", "sum", "none"]))})


@st.composite
def _conv(draw: Any, dtype: np.dtype, smooth: bool, unbatched: bool = False) -> Draw:
    """conv2d arguments, including the edge cases that broke other frameworks' conv backward:
    kernel = input size, 1x1 kernels, stride > kernel, padding = k // 2, and a 7x7 kernel with
    stride 3 and padding 2."""
    special = draw(st.sampled_from(["general", "general", "general", "kernel_is_input", "one_by_one",
                                    "stride_gt_kernel", "half_padding", "big_stride3_pad2"]))
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    cg, fg = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    n = draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride: Any = draw(st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    dilation: Any = draw(st.one_of(st.just(1), st.integers(1, 2), st.tuples(st.integers(1, 2), st.integers(1, 2))))
    padding: Any = draw(st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2)),
                                  st.sampled_from(["valid", "same"])))
    if special == "kernel_is_input":
        padding, dilation = 0, 1
    elif special == "one_by_one":
        kh = kw = 1
    elif special == "stride_gt_kernel":
        kh, kw, stride = draw(st.integers(1, 2)), draw(st.integers(1, 2)), 3
    elif special == "half_padding":
        kh, kw, dilation, stride = 3, 5, 1, 1
        padding = (1, 2)
    elif special == "big_stride3_pad2":
        kh = kw = 7
        stride, padding, dilation = 3, 2, 1
    if padding == "same":
        stride = 1
    dh, dw = (dilation, dilation) if isinstance(dilation, int) else dilation
    if isinstance(padding, str):
        ph = pw = (dh * (kh - 1) + 1) // 2 if padding == "same" else 0
    else:
        ph, pw = (padding, padding) if isinstance(padding, int) else padding
    min_h, min_w = max(1, dh * (kh - 1) + 1 - 2 * ph), max(1, dw * (kw - 1) + 1 - 2 * pw)
    if special == "kernel_is_input":
        h, w = kh, kw
    else:
        h, w = draw(st.integers(min_h, min_h + 5)), draw(st.integers(min_w, min_w + 5))
    shape = (groups * cg, h, w) if unbatched else (n, groups * cg, h, w)
    return Draw({"x": draw(arrays(dtype, shape, "conv", smooth)),
                 "w": draw(arrays(dtype, (groups * fg, cg, kh, kw), "conv", smooth, 0.0025)),
                 "b": draw(arrays(dtype, (groups * fg,), "conv", smooth, 0.004))},
                {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups,
                 "bias": draw(st.booleans())})


def _conv_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """conv2d: every output and gradient entry is a sum of products; bound as for matmul."""
    x, w = draw.arrays["x"], draw.arrays["w"]
    m = max(float(np.abs(x).max(initial=1.0)) * float(np.abs(w).max(initial=1.0)), 1.0)
    return accumulation_tolerance(x.size + w.size, m, dtype)


def _windows_touch_input(size: int, k: int, s: int, p: int, d: int, ceil: bool) -> bool:
    """True if every pooling window contains at least one real (non-padding) element. The window
    count is torch's (asked of torch itself, not of the code under test: a filter built on our
    own output-size rule would reject exactly the inputs that expose a wrong rule)."""
    import torch
    if size + 2 * p < d * (k - 1) + 1:
        return False
    out = torch.nn.functional.max_pool1d(torch.zeros(1, 1, size), k, s, p, d, ceil_mode=ceil).shape[-1]
    starts = np.arange(out)[:, None] * s - p + np.arange(k)[None, :] * d
    return bool(((starts >= 0) & (starts < size)).any(axis=1).all())


@st.composite
def _pool(draw: Any, dtype: np.dtype, smooth: bool, kind: str, unbatched: bool = False) -> Draw:
    """Pooling arguments: kernel/stride/padding (<= kernel // 2)/dilation/ceil_mode; integer-valued
    inputs (from the "real" strategy and Hypothesis' repeated fills) create ties in max windows."""
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride: Any = draw(st.one_of(st.none(), st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    ph, pw = draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2))
    dh, dw = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if kind == "max" else (1, 1)
    min_h, min_w = max(1, dh * (kh - 1) + 1 - 2 * ph), max(1, dw * (kw - 1) + 1 - 2 * pw)
    h, w = draw(st.integers(min_h, min_h + 6)), draw(st.integers(min_w, min_w + 6))
    sh, sw = (kh, kw) if stride is None else (stride, stride) if isinstance(stride, int) else stride
    ceil = draw(st.booleans())
    # With dilation a window can lie entirely in the padding: torch 2.14 then returns an index
    # outside the input and its CPU backward aborts the whole process, so such inputs are left out.
    assume(_windows_touch_input(h, kh, sh, ph, dh, ceil) and _windows_touch_input(w, kw, sw, pw, dw, ceil))
    shape = (draw(st.integers(1, 3)), h, w)
    if not unbatched:
        shape = (draw(st.integers(1, 2)),) + shape
    params = {"k": (kh, kw), "s": stride, "p": (ph, pw), "ceil_mode": ceil}
    if kind == "max":
        params["d"] = (dh, dw)
    else:
        params["count_include_pad"] = draw(st.booleans())
        params["divisor"] = draw(st.one_of(st.none(), st.none(), st.integers(1, 5)))
    x = draw(arrays(dtype, shape, "real", smooth))
    if kind == "max" and not smooth and draw(st.integers(0, 4)) == 0:
        x.reshape(-1)[draw(st.integers(0, x.size - 1))] = np.nan  # NaN is the maximum of its windows
    return Draw({"x": x}, params)


@st.composite
def _adaptive(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 7)), draw(st.integers(1, 7)))
    size = draw(st.one_of(st.integers(1, 8), st.tuples(st.integers(1, 8), st.one_of(st.none(), st.integers(1, 8)))))
    return Draw({"x": draw(arrays(dtype, shape, "real", smooth))}, {"size": size})


def _pool_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """avg pooling: sums of up to KH*KW terms in a different order than torch's."""
    x = draw.arrays["x"]
    return accumulation_tolerance(x.size, float(np.abs(x).max(initial=1.0)), dtype)


@st.composite
def _index_forms(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """Any index torch accepts, in any of its forms (see index_forms.py): repeated and negative
    positions, ints mixed with arrays and slices between them, masks, None and Ellipsis."""
    shape = draw(shapes(min_dims=1, max_dims=4, max_side=4))
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth))}, {"idx": draw(index_spec(shape))})


@st.composite
def _gather(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """gather with an index that may be smaller than the input in every dim and repeats positions."""
    shape = draw(shapes(min_dims=1, max_dims=3))
    nd = len(shape)
    dim = draw(st.integers(-nd, nd - 1))
    ishape = tuple(draw(st.integers(1, 4)) if i == dim % nd else draw(st.integers(1, s))
                   for i, s in enumerate(shape))
    index = draw(hnp.arrays(np.int64, ishape, elements=st.integers(0, shape[dim % nd] - 1)))
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth)), "i": index}, {"dim": dim})


@st.composite
def _int_extremes(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """Integer tensors holding their dtype's minimum and maximum (where -x overflows)."""
    itype = np.dtype(draw(st.sampled_from([np.int32, np.int64])))
    info = np.iinfo(itype)
    shape = draw(shapes(min_dims=1, max_dims=3))
    values = st.one_of(st.sampled_from([int(info.min), int(info.max), 0, -1]), st.integers(-3, 3))
    nd = len(shape)
    return Draw({"a": draw(hnp.arrays(itype, shape, elements=values))},
                {"dim": draw(st.integers(-nd, nd - 1)), "keepdim": draw(st.booleans())})


@st.composite
def _bools(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(min_dims=1, max_dims=3))
    nd = len(shape)
    return Draw({"a": draw(hnp.arrays(np.bool_, shape))},
                {"dim": draw(st.integers(-nd, nd - 1)), "keepdim": draw(st.booleans())})


@st.composite
def _scalar_logit(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    return Draw({"a": draw(arrays(dtype, (), "logit", smooth))}, {"dim": draw(st.sampled_from([0, -1]))})


_WEIGHTS = st.sampled_from([0.25, 0.5, 1.0, 2.0, 3.0])  # exact in binary: no rounding in w itself


@st.composite
def _class_targets_weighted(draw: Any, dtype: np.dtype, smooth: bool, nll: bool = False) -> Draw:
    d = draw(_class_targets(dtype, smooth))
    a = d.arrays["a"]
    n_classes = a.shape[0 if a.ndim == 1 else 1]
    d.arrays["w"] = draw(hnp.arrays(dtype, (n_classes,), elements=_WEIGHTS))
    d.constant = ("w",)  # torch implements no derivative for an nll weight
    if nll:
        d.params.pop("label_smoothing")
    return d


@st.composite
def _prob_targets_grad(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """Probability targets that require a gradient (dL/dq = -w log softmax(x) / N), with or
    without a per-class weight that requires one too."""
    d = draw(_prob_targets(dtype, smooth))
    a = d.arrays["a"]
    d.arrays["w"] = draw(hnp.arrays(dtype, (a.shape[0 if a.ndim == 1 else 1],), elements=_WEIGHTS))
    d.params["weighted"] = draw(st.booleans())
    d.constant = ()
    return d


@st.composite
def _mse_weighted(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    d = draw(_mse(dtype, smooth))
    d.arrays["w"] = draw(hnp.arrays(dtype, d.arrays["a"].shape, elements=_WEIGHTS))
    return d


def _weighted(tol: Any) -> Any:
    """A loss times per-class weights up to 3 (and divided by their sum for 'mean'): the same
    bound as without weights, scaled by the largest weight."""
    def scaled(draw: Draw, dtype: np.dtype) -> Tolerance:
        t = tol(draw, dtype)
        return Tolerance(t.rtol, t.atol * 3)
    return scaled


@st.composite
def _norm(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    """p-norms over all elements or some dims; zeros (where the gradient is defined as 0) and
    ties (for p = inf) are common in the non-smooth draws."""
    d = draw(with_dim(dtype, smooth, multi=True, allow_none=True, min_dims=0))
    d.params["p"] = draw(st.sampled_from(["fro", 2, 1, 3, float("inf"), 0.5] if not smooth else ["fro", 2, 3]))
    if d.arrays["a"].ndim == 0:
        d.params["dim"] = None
    if d.params["p"] == "fro" and isinstance(d.params["dim"], tuple) and len(d.params["dim"]) > 2:
        d.params["p"] = 2  # torch's 'fro' is a matrix norm: at most 2 dims (more raise, as here)
    if not smooth and draw(st.integers(0, 3)) == 0:
        d.arrays["a"] = np.zeros_like(d.arrays["a"])
    elif not smooth and draw(st.integers(0, 2)) == 0 and d.arrays["a"].size > 1:
        d.arrays["a"].reshape(-1)[::2] = 0  # some zeros: where |x|^(p-1) needs a rule (0 for p = 1,
        d.params["p"] = draw(st.sampled_from([1, 1, 0.5, 3]))  # as sign(0) = 0; 0 for p < 1 too)
    # Values whose cube underflows (|x| < tiny^(1/3); p is at most 3) are flushed to 0: torch itself answers
    # differently for them on different code paths (scaled for a 0-d input, unscaled with a dim);
    # tinygrad_edu always scales by max |x|, so it is exact there.
    a = d.arrays["a"]
    d.arrays["a"] = np.where(np.abs(a) < 10 * np.finfo(a.dtype).tiny ** (1 / 3), 0, a).astype(a.dtype)
    return d


def _norm_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """norm: a sum of |x|^p (accumulation order) and a root; p = 0.5 squares magnitudes'
    relative error bounds, so the bound is the accumulation one, doubled."""
    t = _sum_tol(Draw({"a": np.abs(draw.arrays["a"]) ** 2 if draw.arrays["a"].size else draw.arrays["a"]}), dtype)
    return Tolerance(t.rtol * 2, t.atol * 2)


@st.composite
def _cumsum(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    d = draw(with_dim(dtype, smooth, keepdim=False, min_dims=0))
    return d


@st.composite
def _repeat(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(max_dims=3, max_side=3))
    sizes = tuple(draw(st.lists(st.integers(0, 3), min_size=max(len(shape), 1), max_size=len(shape) + 2)))
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth))}, {"sizes": sizes})


@st.composite
def _repeat_interleave(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    nd = len(shape)
    dim = draw(st.one_of(st.none(), st.integers(-nd, nd - 1)))
    n = int(np.prod(shape)) if dim is None else shape[dim]
    repeats = draw(st.one_of(st.integers(0, 3), st.lists(st.integers(0, 3), min_size=n, max_size=n)))
    return Draw({"a": draw(arrays(dtype, shape, "real", smooth))}, {"dim": dim, "r": repeats})


@st.composite
def _mm(draw: Any, dtype: np.dtype, smooth: bool, vector: bool = False) -> Draw:
    n, k, m = (draw(st.integers(1, 5)) for _ in range(3))
    return Draw({"a": draw(arrays(dtype, (n, k), "real", smooth)),
                 "b": draw(arrays(dtype, (k,) if vector else (k, m), "real", smooth, 0.0025))})


@st.composite
def _meshgrid(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=3))
    arrs = {f"v{i}": draw(arrays(dtype, (s,), "real", smooth, 0.001 * (i + 1))) for i, s in enumerate(sizes)}
    arrs.update({f"v{i}": arrs.get(f"v{i}", np.zeros(1, dtype)) for i in range(3)})
    return Draw(arrs, {"indexing": draw(st.sampled_from(["ij", "xy"]))})


@st.composite
def _one_hot(draw: Any, dtype: np.dtype, smooth: bool) -> Draw:
    shape = draw(shapes(max_dims=3))
    n = draw(st.integers(1, 5))
    labels = draw(hnp.arrays(np.int64, shape, elements=st.integers(0, n - 1)))
    return Draw({"t": labels}, {"n": draw(st.sampled_from([n, -1])) if labels.size else n})


@st.composite
def _normalisation(draw: Any, dtype: np.dtype, smooth: bool, kind: str) -> Draw:
    """Inputs for batch/layer/group norm: 2-D to 4-D, batches down to 2 (or 1 with positions),
    sometimes a channel of one repeated value (variance 0, where 1/sqrt(eps) scales everything)."""
    n = draw(st.integers(1 if kind != "batch" else 2, 4))
    c = draw(st.integers(1, 4))
    spatial = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=2)))
    if kind == "batch" and n == 1 and not spatial:
        n = 2
    if kind == "group":
        groups = draw(st.sampled_from([g for g in range(1, c + 1) if c % g == 0]))
        if c // groups * int(np.prod(spatial)) == 1:
            spatial = spatial + (2,)  # one value per group: torch refuses (a bad-input case)
    shape = (n, c) + spatial
    x = draw(arrays(dtype, shape, "real" if not smooth else "real", smooth))
    if not smooth and draw(st.integers(0, 3)) == 0:
        x[:, draw(st.integers(0, c - 1))] = draw(st.sampled_from([0.0, 1.5, -3.0]))
    params: dict[str, Any] = {"eps": draw(st.sampled_from([1e-5, 1e-3, 0.1])), "affine": draw(st.booleans())}
    arrs = {"x": x}
    if kind == "layer":
        k = draw(st.integers(1, len(shape) - 1))
        params["shape"] = shape[len(shape) - k:]
        arrs["w"] = draw(arrays(dtype, params["shape"], "real", smooth, 0.0025))
        arrs["b"] = draw(arrays(dtype, params["shape"], "real", smooth, 0.004))
    else:
        arrs["w"] = draw(arrays(dtype, (c,), "real", smooth, 0.0025))
        arrs["b"] = draw(arrays(dtype, (c,), "real", smooth, 0.004))
    if kind == "group":
        params["groups"] = groups
    if kind == "batch":
        params["momentum"] = draw(st.sampled_from([0.1, 0.5, 1.0, 0.0]))
        params["rm"] = draw(arrays(dtype, (c,), "real", False))
        params["rv"] = np.abs(draw(arrays(dtype, (c,), "real", False))) + np.asarray(0.5, dtype)
    return Draw(arrs, params)


def _normalisation_tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """Normalisation divides by sqrt(var + eps): rounding in the mean and variance (sums of the
    group's values, added in different orders) is multiplied by 1/sqrt(var + eps) (up to
    1/sqrt(eps) for a constant channel) and by the largest |x|, |gamma|."""
    x = draw.arrays["x"].astype(np.float64)
    eps = draw.params["eps"]
    inv_std = 1.0 / np.sqrt(eps)
    mag = float(np.abs(x).max(initial=1.0)) * max(float(np.abs(draw.arrays["w"]).max(initial=1.0)), 1.0)
    return accumulation_tolerance(max(x.size, 1), max(mag * inv_std, 1.0), dtype)


# ----------------------------------------------------------------------------- the catalogue

E, R, M, MM, L, C, P = "elementwise", "reduce", "movement", "matmul", "loss", "conv", "pool"

CATALOGUE: list[OpCase] = [
    # elementwise: arithmetic with broadcasting
    OpCase("add", E, "a + b", partial(binary), tol=_broadcast_tol(lambda a, b: 1.0)),
    OpCase("sub", E, "a - b", partial(binary), tol=_broadcast_tol(lambda a, b: 1.0)),
    OpCase("mul", E, "a * b", partial(binary), tol=_broadcast_tol(lambda a, b: _abs_max(a, b))),
    OpCase("div", E, "a / b", partial(binary, kind_b="nonzero"),
           tol=_broadcast_tol(lambda a, b: max(_abs_max(1 / b), _abs_max(a) * _abs_max(1 / b) ** 2))),
    OpCase("neg", E, "-a", partial(unary)),
    OpCase("scalar_left", E, "s - a * s + s / (a * a + 1)", _with_scalar),
    OpCase("rdiv_scalar", E, "s / a", partial(_with_scalar, kind="nonzero")),
    OpCase("pow_int_exponent", E, "a ** p", partial(_pow_scalar, integer=True), tol=_pow_tol),
    OpCase("pow_float_exponent", E, "a.pow(p)", partial(_pow_scalar, integer=False), tol=_pow_tol),
    OpCase("pow_tensor", E, "a ** b", _pow_tensor, tol=_pow_tol),
    OpCase("rpow_scalar", E, "2.0 ** a", partial(_with_scalar, kind="exp"), tol=_pow_tol,
           torch_expr="2.0 ** a"),
    # elementwise: unary math (domains kept by the strategy, not shifted)
    OpCase("exp", E, "a.exp()", partial(unary, kind="exp")),
    OpCase("log", E, "a.log()", partial(unary, kind="positive")),
    OpCase("sqrt", E, "a.sqrt()", partial(unary, kind="positive")),
    OpCase("abs", E, "a.abs()", partial(unary)),
    OpCase("relu", E, "a.relu()", partial(unary)),
    OpCase("relu_functional", E, "F.relu(a)", partial(unary)),
    OpCase("sigmoid", E, "a.sigmoid()", partial(unary, kind="activation")),
    OpCase("tanh", E, "a.tanh()", partial(unary, kind="activation")),
    OpCase("sin", E, "T.sin(a)", partial(unary, kind="exp")),
    OpCase("cos", E, "a.cos()", partial(unary, kind="exp")),
    OpCase("maximum", E, "T.maximum(a, b)", partial(binary), tol=_broadcast_tol(lambda a, b: 1.0)),
    OpCase("minimum", E, "T.minimum(a, b)", partial(binary), tol=_broadcast_tol(lambda a, b: 1.0)),
    OpCase("max_of_two", E, "T.max(a, b)", partial(binary), tol=_broadcast_tol(lambda a, b: 1.0)),
    OpCase("min_of_two", E, "T.min(a, b)", partial(binary), tol=_broadcast_tol(lambda a, b: 1.0)),
    OpCase("clamp", E, "a.clamp(lo, hi)", _clamp, older_torch_differs=_clamp_at_a_bound),
    OpCase("where", E, "T.where(c, a, b)", _where, tol=_broadcast_tol(lambda a, b: 1.0)),
    # reductions
    OpCase("sum_all", R, "a.sum()", partial(unary), tol=_sum_tol),
    OpCase("sum_dim", R, "a.sum(dim, keepdim)", partial(with_dim, multi=True), tol=_sum_tol),
    OpCase("mean_all", R, "a.mean()", partial(unary), tol=_sum_tol),
    OpCase("mean_dim", R, "a.mean(dim, keepdim)", partial(with_dim, multi=True), tol=_sum_tol),
    OpCase("max_all", R, "a.max()", partial(unary)),
    OpCase("min_all", R, "a.min()", partial(unary)),
    OpCase("max_dim", R, "a.max(dim, keepdim)", partial(with_dim)),
    OpCase("min_dim", R, "a.min(dim, keepdim)", partial(with_dim)),
    OpCase("min_max_int_extremes", R,
           "(a.min(), a.max(), a.argmin(), a.argmax(), a.min(dim, keepdim)[0], a.min(dim, keepdim)[1], "
           "a.max(dim, keepdim)[0], a.argmin(dim, keepdim), T.min(a), T.argmin(a, dim))",
           _int_extremes, gradcheck=False, notes="integer outputs: nothing to differentiate"),
    OpCase("min_max_bool", R, "(a.min(), a.max(), a.min(dim, keepdim)[0], a.max(dim, keepdim)[0])",
           _bools, gradcheck=False, notes="bool outputs"),
    OpCase("argmin_dim", R, "(a * 1).argmin(dim, keepdim)", partial(with_dim), gradcheck=False,
           notes="integer output: nothing to differentiate"),
    OpCase("cumsum", R, "a.cumsum(dim)", _cumsum, tol=_sum_tol),
    OpCase("cumsum_fn_axis_alias", R, "T.cumsum(a, axis=dim)", _cumsum, tol=_sum_tol),
    OpCase("norm", R, "a.norm(p, dim, keepdim)", _norm, tol=_norm_tol),
    OpCase("norm_fn", R, "T.norm(a, p=p, dim=dim, keepdim=keepdim)", _norm, tol=_norm_tol),
    OpCase("sum_numpy_keywords", R, "a.sum(axis=dim, keepdims=keepdim)", partial(with_dim, multi=True),
           tol=_sum_tol),
    OpCase("mean_numpy_keywords", R, "a.mean(axis=dim, keepdims=keepdim)", partial(with_dim, multi=True),
           tol=_sum_tol),
    OpCase("argmax_dim", R, "(a * 1).argmax(dim, keepdim)", partial(with_dim), gradcheck=False,
           notes="integer output: nothing to differentiate"),
    # movement
    OpCase("reshape", M, "a.reshape(shape)", _reshape),
    OpCase("view", M, "a.view(shape)", _reshape),
    OpCase("permute", M, "a.permute(dims)", _permute),
    OpCase("transpose", M, "a.transpose(d0, d1)", _two_dims),
    OpCase("flatten", M, "a.flatten(start, end)", _flatten),
    OpCase("squeeze", M, "a.squeeze() if dim is None else a.squeeze(dim)", _squeeze),
    OpCase("unsqueeze", M, "a.unsqueeze(dim)", _unsqueeze),
    OpCase("expand", M, "a.expand(sizes)", _expand),
    OpCase("getitem_slices", M, "a[idx]", _slices),
    OpCase("getitem_pick_rows", M, "a[rows, y]", _pick),
    OpCase("getitem_range_list", M, "a[list(range(len(y))), y]", _pick),
    OpCase("getitem_repeated", M, "a[i]", _take_repeated),
    OpCase("getitem_mask", M, "a[m]", _mask),
    OpCase("repeat", M, "a.repeat(*sizes)", _repeat),
    OpCase("repeat_interleave", M, "a.repeat_interleave(T.tensor(r, device=a.device) if isinstance(r, list) else r, dim)",
           _repeat_interleave),
    OpCase("meshgrid", M, "T.meshgrid(v0, v1, v2, indexing=indexing)", _meshgrid),
    OpCase("one_hot", M, "F.one_hot(t, n)", _one_hot, gradcheck=False, notes="integer output"),
    OpCase("getitem_forms", M, "a[IX(T, idx)]", _index_forms),
    OpCase("gather", M, "a.gather(dim, i)", _gather),
    OpCase("gather_fn", M, "T.gather(a, dim, i)", _gather),
    OpCase("dtype_casts", M, "(a.double() * 1.5, a.float() + a, a.to(T.float64).sum(), a.type(T.float32) * a)",
           partial(unary)),
    OpCase("cat", M, "T.cat([a, b, c], dim)", partial(_cat, new_dim=False)),
    OpCase("cat_two", M, "T.cat((b, a), dim)", partial(_cat, new_dim=False)),
    OpCase("stack", M, "T.stack([a, b, c], dim)", partial(_cat, new_dim=True)),
    # matmul
    OpCase("matmul", MM, "a @ b", _matmul, tol=_matmul_tol),
    OpCase("matmul_fn", MM, "T.matmul(a, b)", _matmul, tol=_matmul_tol),
    OpCase("mm", MM, "T.mm(a, b)", _mm, tol=_matmul_tol),
    OpCase("mv", MM, "T.mv(a, b)", partial(_mm, vector=True), tol=_matmul_tol),
    OpCase("dot_fn", MM, "T.dot(a[0], b[:, 0])", _mm, tol=_matmul_tol),
    OpCase("linear", MM, "F.linear(a, w, b if bias else None)", _linear, tol=_linear_tol),
    # softmax family and losses
    OpCase("softmax", L, "F.softmax(a, dim)", _logits, tol=_logit_tol),
    OpCase("log_softmax", L, "F.log_softmax(a, dim)", _logits, tol=_logit_tol),
    OpCase("tensor_softmax", L, "a.softmax(dim)", _logits, tol=_logit_tol),
    OpCase("softmax_0d", L, "F.softmax(a, dim)", _scalar_logit),
    OpCase("log_softmax_0d", L, "F.log_softmax(a, dim)", _scalar_logit),
    OpCase("cross_entropy_indices", L,
           "F.cross_entropy(a, t, ignore_index=ignore_index, reduction=reduction, "
           "label_smoothing=label_smoothing)", _class_targets, tol=_logit_tol,
           cuda_differs=_no_target_weight),
    OpCase("cross_entropy_probs", L,
           "F.cross_entropy(a, q, reduction=reduction, label_smoothing=label_smoothing)",
           _prob_targets, tol=_logit_tol),
    OpCase("cross_entropy_weight_positional", L,
           "F.cross_entropy(a, t, w, None, ignore_index, None, reduction, label_smoothing)",
           _class_targets_weighted, tol=_weighted(_logit_tol), cuda_differs=_no_target_weight),
    OpCase("cross_entropy_probs_target_grad", L,
           "F.cross_entropy(a, q, w if weighted else None, reduction=reduction, label_smoothing=label_smoothing)",
           _prob_targets_grad, tol=_weighted(_logit_tol)),
    OpCase("nll_loss_weight_positional", L, "F.nll_loss(a, t, w, None, ignore_index, None, reduction)",
           partial(_class_targets_weighted, nll=True), tol=_weighted(_logit_tol), cuda_differs=_no_target_weight),
    OpCase("mse_loss_weight", L, "F.mse_loss(a, b, None, None, reduction, w)", _mse_weighted,
           tol=_weighted(_sum_tol)),
    OpCase("nll_loss", L, "F.nll_loss(a, t, ignore_index=ignore_index, reduction=reduction)",
           _nll, tol=_logit_tol, cuda_differs=_no_target_weight),
    OpCase("mse_loss", L, "F.mse_loss(a, b, reduction=reduction)", _mse, tol=_sum_tol),
    # normalisation (ops/norm.py)
    OpCase("batch_norm_train", L, "F.batch_norm(x, None, None, w if affine else None, b if affine else None, "
           "True, 0.1, eps)", partial(_normalisation, kind="batch"), tol=_normalisation_tol),
    OpCase("batch_norm_running_stats", L,
           "(lambda r_m, r_v: (F.batch_norm(x, r_m, r_v, w if affine else None, b, True, momentum, eps), r_m, r_v))"
           "(T.tensor(rm, device=x.device), T.tensor(rv, device=x.device))", partial(_normalisation, kind="batch"),
           tol=_normalisation_tol, cuda_differs=_bias_without_weight),
    OpCase("batch_norm_eval", L, "F.batch_norm(x, T.tensor(rm, device=x.device), T.tensor(rv, device=x.device), w if affine else None, "
           "b if affine else None, False, momentum, eps)", partial(_normalisation, kind="batch"),
           tol=_normalisation_tol),
    OpCase("layer_norm", L, "F.layer_norm(x, shape, w if affine else None, b if affine else None, eps)",
           partial(_normalisation, kind="layer"), tol=_normalisation_tol),
    OpCase("group_norm", L, "F.group_norm(x, groups, w if affine else None, b if affine else None, eps)",
           partial(_normalisation, kind="group"), tol=_normalisation_tol),
    # convolution
    OpCase("conv2d", C, "F.conv2d(x, w, b if bias else None, stride, padding, dilation, groups)",
           _conv, tol=_conv_tol),
    OpCase("conv2d_unbatched", C, "F.conv2d(x, w, b if bias else None, stride, padding, dilation, groups)",
           partial(_conv, unbatched=True), tol=_conv_tol),
    # pooling
    OpCase("max_pool2d", P, "F.max_pool2d(x, k, s, p, d, ceil_mode)", partial(_pool, kind="max")),
    OpCase("max_pool2d_indices", P, "F.max_pool2d(x, k, s, p, d, ceil_mode, return_indices=True)",
           partial(_pool, kind="max")),
    OpCase("max_pool2d_unbatched", P, "F.max_pool2d(x, k, s, p, d, ceil_mode)",
           partial(_pool, kind="max", unbatched=True)),
    OpCase("avg_pool2d", P, "F.avg_pool2d(x, k, s, p, ceil_mode, count_include_pad, divisor)",
           partial(_pool, kind="avg"), tol=_pool_tol),
    OpCase("avg_pool2d_unbatched", P, "F.avg_pool2d(x, k, s, p, ceil_mode, count_include_pad, divisor)",
           partial(_pool, kind="avg", unbatched=True), tol=_pool_tol),
    OpCase("adaptive_avg_pool2d", P, "F.adaptive_avg_pool2d(x, size)", _adaptive, tol=_pool_tol),
    OpCase("adaptive_max_pool2d", P, "(F.adaptive_max_pool2d(x, size), F.adaptive_max_pool2d(x, size, True)[1], "
           "nn.AdaptiveMaxPool2d((1, 1))(x))", _adaptive),
]


from .catalogue_more import MORE  # noqa: E402  (rows for the ops added after the core)

from .catalogue_names import NAMES  # noqa: E402  (rows for tensor_more.py's names)

CATALOGUE += MORE + NAMES


def cases(family: str) -> list[OpCase]:
    return [c for c in CATALOGUE if c.family == family]
