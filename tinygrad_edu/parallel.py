"""Large elementwise work on every core, with plain NumPy and a thread.

NumPy runs each ufunc and each slice copy on one core, but it releases Python's GIL while it
does: two Python threads that each call NumPy on half of an array run at the same time. A few
ops with large passes hand part of their work to a worker thread and do the rest themselves:
the sigmoid (flat halves of the array), im2col's slice copies (half of the kernel
offsets each), col2im's slice additions and the conv bias (by channel), and batch norm's
elementwise passes (by channel; its per-channel sums stay whole). The parts are disjoint pieces
of the result and every element goes through the same NumPy calls in the same order as on one
thread, so results are bit-identical whatever the thread count (``test_parallel.py``).

When it pays: handing work to the worker costs tens of microseconds (the thread wakes from a
queue), so only work of at least :data:`MIN_WORK` element-passes is shared out. The pooling ops
and ReLU are not split: on two threads they were no faster (docs/design_measurements.md).

OpenBLAS, which NumPy's wheels use for matrix products, keeps its own worker thread spinning
for 2^28 CPU cycles (about 0.1 s) after every product, so that the next product starts sooner;
during that time it owns the second core, and every large elementwise op in a network comes
right after a product. The ``OPENBLAS_THREAD_TIMEOUT`` environment variable shortens that spin,
but OpenBLAS reads it only when NumPy is imported. So this module, the first thing ``import
tinygrad_edu`` runs, sets it to 20 (2^20 cycles, about 0.4 ms) when NumPy is not imported yet
and the variable is unset: shorter spins help the elementwise ops and hurt small products,
whose worker must then be woken again each time, and 2^20 was the best measured trade.

The default thread count is therefore the number of cores this process may use when that
setting is in effect for an OpenBLAS NumPy, and 1 otherwise (NumPy imported before
tinygrad_edu, or another BLAS whose spinning was not measured). ``torch.set_num_threads(n)``
sets it as in torch; it does not change the BLAS's own threads. ``OPENBLAS_THREAD_TIMEOUT``
set by the user is left as it is.
"""
from __future__ import annotations

import os
import sys

BLAS_SPIN_EXPONENT = 20
if "numpy" not in sys.modules:
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", str(BLAS_SPIN_EXPONENT))

import contextvars  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from typing import Callable, Optional  # noqa: E402

import numpy as np  # noqa: E402

MIN_WORK = 1 << 20  # element-passes; less work than this stays on the calling thread (see above)


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _blas_spin_is_short() -> bool:
    """True when NumPy's BLAS is OpenBLAS and its worker sleeps after at most 2^BLAS_SPIN_EXPONENT cycles."""
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
        exponent = int(os.environ.get("OPENBLAS_THREAD_TIMEOUT", "28"))
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return "openblas" in str(blas).lower() and exponent <= BLAS_SPIN_EXPONENT


_threads = _available_cores() if _blas_spin_is_short() else 1
_pool: Optional[ThreadPoolExecutor] = None


def get_num_threads() -> int:
    """How many threads the large elementwise ops use (torch.get_num_threads)."""
    return _threads


def set_num_threads(n: int) -> None:
    """Use ``n`` threads for the large elementwise ops (torch.set_num_threads); 1 turns the
    worker threads off. NumPy's BLAS keeps its own thread count."""
    global _threads, _pool
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):  # torch raises RuntimeError here too
        raise RuntimeError(f"set_num_threads: expected an int, got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError(f"set_num_threads: the number of threads must be positive, got {n}")
    if int(n) != _threads and _pool is not None:
        _pool.shutdown(wait=True)
        _pool = None
    _threads = int(n)


def _forget_pool_after_fork() -> None:
    """A forked child has none of the parent's threads: start a fresh pool when needed."""
    global _pool
    _pool = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool_after_fork)


def pays(passes: int) -> bool:
    """Whether work of ``passes`` element-passes is shared out (more than one thread, and at
    least :data:`MIN_WORK`). Ops ask first so that small arrays keep their plain NumPy call."""
    return _threads > 1 and passes >= MIN_WORK


def split(work: Callable[[int, int], None], count: int, passes: int) -> None:
    """Run ``work(start, stop)`` over ``range(count)`` cut into one part per thread.

    ``work`` must write disjoint parts of its result for disjoint ranges. ``passes`` is how
    much work it is, in elements read or written by NumPy calls (a sigmoid's four passes over n
    elements: 4n): below :data:`MIN_WORK`, or with one thread, or when ``count`` is 1, it is
    simply ``work(0, count)``. The worker threads run their parts in a copy of the caller's
    context, so NumPy's error state (floating-point warnings off inside ops) holds there too.
    """
    global _pool
    parts = min(_threads, count)
    if parts <= 1 or not pays(passes):
        work(0, count)
        return
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=_threads - 1, thread_name_prefix="tinygrad_edu")
    bounds = [count * k // parts for k in range(parts + 1)]
    futures = [_pool.submit(contextvars.copy_context().run, work, bounds[k], bounds[k + 1])
               for k in range(1, parts)]
    try:
        work(bounds[0], bounds[1])
    finally:
        for future in futures:
            future.result()  # waits, and raises a worker's exception here


def elementwise(fn: Callable[..., None], out: np.ndarray, *inputs: np.ndarray, passes: int = 1) -> np.ndarray:
    """``fn(out_part, *input_parts)`` over matching parts of arrays that all have ``out``'s
    shape and memory layout, and returns ``out``; ``fn`` makes ``passes`` NumPy passes. Such
    arrays are each one run of memory in the same element order, so cutting their flat views at
    the same places gives matching parts. Arrays that differ in layout, or small ones, are done
    whole on this thread."""
    if pays(out.size * passes) and all(a.shape == out.shape and a.strides == out.strides for a in inputs):
        flat_out = out.ravel(order="K")
        if np.may_share_memory(flat_out, out):  # a view, so out is one dense run of memory
            flat_in = [a.ravel(order="K") for a in inputs]
            split(lambda lo, hi: fn(flat_out[lo:hi], *(a[lo:hi] for a in flat_in)), flat_out.size, out.size * passes)
            return out
    fn(out, *inputs)
    return out
