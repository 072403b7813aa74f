"""``arange``, ``linspace`` and ``logspace`` computed as torch computes them, to the last bit.

Why a file of its own: NumPy's ``np.arange(start, end, step)`` steps by ``(start + step) - start``
and ``np.linspace`` by a different formula, so their values differ from torch's in the last bits,
and a last bit matters. ``arange(-8.0, 8.0, 0.1)[80]`` is -2.84e-14 in NumPy and +4.44e-16 in
torch, so ``relu``'s gradient there is 0 in one and 1 in the other (d2l 5.1's plot of it).

torch's CPU kernels (ATen's RangeFactoriesKernel) compute, for output element ``i``:

* ``arange``:  ``start + step * i`` in double (the accumulate type of float32 and float64),
  compiled with a fused multiply-add, so the product is not rounded before the addition. The
  contiguous loop is vectorized in blocks of two 32-byte vectors (16 float32 or 8 float64
  elements); inside a vector of ``V`` elements starting at ``j``, the vector's base is rounded to
  the output dtype first: ``x[j] = dtype(fma(step, j, start))`` and ``x[j + k] = dtype(x[j] + step * k)``. The last
  ``n mod 2V`` elements take the scalar formula. Integer dtypes: ``start`` and ``step`` are
  truncated to integers first, and the values are exact.
* ``linspace``: ``step = (end - start) / (steps - 1)`` in the output dtype (double for integer
  outputs); the first half counts up from ``start`` (``start + step * i``), the second half down
  from ``end`` (``end - step * (steps - 1 - i)``), each with one rounding (a fused multiply-add).
* ``logspace``: ``base ** x`` by C's ``pow`` in double, with ``x`` from the same two-sided rule
  in double, without the fused multiply-add (two roundings).

The one primitive that NumPy lacks is a correctly rounded fused multiply-add; ``_fma`` builds it
from error-free transformations (exact product and sum as pairs of doubles) and a final
round-to-odd step, which makes the last rounding the only one. The element count of ``arange``
is ``ceil((end - start) / step)`` in double, as torch computes it.

torch splits a range longer than its parallel grain (32,768 elements) across its threads, and
each thread's part restarts the vector blocks; the rule here is the one-thread rule (what
torch computes at ``torch.set_num_threads(1)`` or below the grain). float16 ranges are computed
in float32 and cast: torch's half-precision kernels round in other places, so float16 values can
differ from torch's in the last bit.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

_SPLITTER = 134217729.0  # 2^27 + 1: Veltkamp's split of a double into two 26-bit halves


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """s + e == a + b exactly, with s = fl(a + b) (Knuth's TwoSum)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = _SPLITTER * a
    hi = t - (t - a)
    return hi, a - hi


def _two_prod(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """p + e == a * b exactly, with p = fl(a * b) (Dekker's product)."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _round_to_odd(u: np.ndarray, e: np.ndarray) -> np.ndarray:
    """u = fl(u + e) nudged to its odd neighbour towards e when the sum was inexact and u is even:
    a value that keeps the 'which side' information, so that one later rounding is correct."""
    even = (u.view(np.int64) & 1) == 0
    inexact = e != 0
    nudge = even & inexact
    if not nudge.any():
        return u
    return np.where(nudge, np.nextafter(u, np.where(e > 0, np.inf, -np.inf)), u)


def _fma(a: Any, b: Any, c: Any) -> np.ndarray:
    """a * b + c in float64 with a single rounding (C's ``fma``), elementwise.

    a * b = p + ep and p + c = s + es exactly; the exact result is s + es + ep. Adding es + ep
    with rounding to odd and then s with rounding to nearest gives the correctly rounded sum
    (Boldo and Melquiond's theorem on emulating an FMA with rounding to odd)."""
    a, b, c = (np.asarray(v, dtype=np.float64) for v in (a, b, c))
    p, ep = _two_prod(a, b)
    s, es = _two_sum(p, c)
    u, e2 = _two_sum(es, ep)
    # a zero correction leaves s = fl(a*b + c) as it is (and a zero's sign as IEEE gives it)
    return np.where(u == 0, s, s + _round_to_odd(np.asarray(u, np.float64), e2))


def _fma_to_float32(a: Any, b: Any, c: Any) -> np.ndarray:
    """fma(a, b, c) of float32 operands, rounded once to float32 (a*b is exact in double)."""
    p = np.asarray(a, np.float64) * np.asarray(b, np.float64)
    s, e = _two_sum(p, np.asarray(c, np.float64))
    return _round_to_odd(np.asarray(s, np.float64), e).astype(np.float32)


def arange_count(op: str, start: float, end: float, step: float) -> int:
    """The number of elements, as torch counts it: ceil((end - start) / step) in double."""
    if step == 0:
        raise RuntimeError(f"{op}: step must be nonzero")
    if not (math.isfinite(float(start)) and math.isfinite(float(end))):
        raise RuntimeError(f"{op}: unsupported range: {start} -> {end} (start and end must be finite)")
    if (end - start) * step < 0:
        raise RuntimeError(f"{op}: upper bound and larger bound inconsistent with step sign "
                           f"(start={start}, end={end}, step={step})")
    if all(isinstance(v, (int, np.integer)) for v in (start, end, step)):
        return -(-(int(end) - int(start)) // int(step))  # exact for Python ints of any size
    return int(math.ceil((float(end) - float(start)) / float(step)))


def arange_values(start: float, step: float, n: int, dtype: np.dtype) -> np.ndarray:
    """torch's arange values for ``n`` elements of ``dtype`` (see the module docstring)."""
    if dtype.kind in "iub":
        istart, istep = int(start), int(step)  # torch converts both to the integer type (truncation)
        return (istart + istep * np.arange(n, dtype=np.int64)).astype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        # float16: torch accumulates in float32; computed the same way as float32, then cast
        return arange_values(start, step, n, np.dtype(np.float32)).astype(dtype)
    start, step = float(start), float(step)
    width = 32 // dtype.itemsize  # elements per 32-byte vector
    block = 2 * width
    vectorized = n - n % block
    idx = np.arange(n, dtype=np.float64)
    out = np.empty(n, dtype)
    if vectorized:
        base = _fma(step, idx[:vectorized:width], start).astype(dtype).astype(np.float64)
        lanes = np.arange(width, dtype=np.float64)
        block_values = _fma(step, lanes[None, :], base[:, None]).astype(dtype)
        block_values[:, 0] = base  # lane 0 is the base itself (so a -0.0 base stays -0.0)
        out[:vectorized] = block_values.ravel()
    out[vectorized:] = _fma(step, idx[vectorized:], start).astype(dtype)
    return out


def _two_sided(start: Any, end: Any, step: Any, steps: int, fma: Any) -> np.ndarray:
    """start + step*i for the first half, end - step*(steps-1-i) for the second (one rounding each)."""
    i = np.arange(steps, dtype=np.float64)
    half = steps // 2
    up = fma(step, i[:half], start)
    down = fma(-step, (steps - 1) - i[half:], end)
    return np.concatenate([up, down])


def _mul_add(a: Any, b: Any, c: Any) -> np.ndarray:
    """a * b + c with two roundings: torch's logspace loop calls pow on it and is not contracted."""
    return np.asarray(a, np.float64) * np.asarray(b, np.float64) + np.asarray(c, np.float64)


def linspace_values(start: float, end: float, steps: int, dtype: np.dtype) -> np.ndarray:
    if steps == 0:
        return np.zeros(0, dtype)
    if dtype.kind in "iub":
        s, e = np.asarray(start).astype(dtype), np.asarray(end).astype(dtype)
        if steps == 1:
            return np.array([s], dtype)
        step = (float(e) - float(s)) / (steps - 1)
        return np.trunc(_two_sided(float(s), float(e), step, steps, _fma)).astype(dtype)
    first: Any
    last: Any
    if dtype == np.dtype(np.float64):
        first, last, fma = float(start), float(end), _fma
    else:  # float32 arithmetic (float16: torch's Half converts to float for each operation)
        first, last, fma = np.float32(start), np.float32(end), _fma_to_float32
    if steps == 1:
        return np.array([first], dtype)
    step = (last - first) / type(last)(steps - 1)
    return _two_sided(first, last, step, steps, fma).astype(dtype)


def logspace_values(start: float, end: float, steps: int, base: float, dtype: np.dtype) -> np.ndarray:
    if steps == 0:
        return np.zeros(0, dtype)
    s = float(np.asarray(start).astype(dtype)) if dtype.kind == "f" else float(int(start))
    e = float(np.asarray(end).astype(dtype)) if dtype.kind == "f" else float(int(end))
    if steps == 1:
        exponents = np.array([float(start)])  # torch: pow(base, start as a double)
    else:
        exponents = _two_sided(s, e, (e - s) / (steps - 1), steps, _mul_add)
    # C's pow per element (what torch calls): NumPy's vectorized power may differ in the last bit
    values = np.array([_c_pow(float(base), float(x)) for x in exponents], dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        return values.astype(dtype) if dtype.kind == "f" else np.trunc(values).astype(dtype)


def _c_pow(base: float, x: float) -> float:
    try:
        return math.pow(base, x)
    except OverflowError:
        return math.inf
    except ValueError:  # a negative base to a fractional power
        return math.nan
