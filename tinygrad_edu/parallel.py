"""Large elementwise work on every core, with plain NumPy and a thread.

NumPy runs each ufunc and each slice copy on one core, but it releases Python's GIL while it
does: two Python threads that each call NumPy on half of an array run at the same time. The ops
with large, memory-bound passes (the sigmoid and ReLU on a conv's output, im2col's slice copies,
col2im's slice additions, the pooling windows) hand half of their work to one worker thread and
do the other half themselves. Each half is a disjoint part of the result and every element is
computed by the same NumPy calls in the same order as on one thread, so results are
bit-identical whatever the thread count (``test_parallel.py`` checks it op by op).

When it pays (measured 2026-11-25 on the project's 2-core machine, sigmoid forward in float32):
handing work to the worker costs about 80 µs (the thread wakes from a queue), so an array of
256k elements takes 201 µs on two threads against 205 µs on one, and 1M elements 478 against
815 µs. Smaller arrays stay on the calling thread (:data:`MIN_ELEMENTS`). Inside d2l's LeNet
training step (batch 256) the split ops together made the step 13% faster (21.3 -> 18.6 ms,
the same process alternating both ways step by step).

OpenBLAS, which NumPy's wheels use for matrix products, keeps its own worker thread spinning
for 2^28 CPU cycles (about 0.1 s here) after every product, so that the next product starts
sooner; during that time it owns the second core (measured: the process burned 0.105 s of CPU
time in a 0.2 s sleep after one 512x512 product). Every large elementwise op in a network comes
right after a product, so two threads were then *slower* than one (LeNet step 4% slower). The
``OPENBLAS_THREAD_TIMEOUT`` environment variable shortens that spin, but OpenBLAS reads it
only when NumPy is imported. So this module, the first thing ``import tinygrad_edu`` runs, sets
it to 18 (2^18 cycles, about 0.1 ms) when NumPy is not imported yet and the variable is unset.
With it, the CPU time after a product is 0.1 ms, the LSTM epoch of ch. 9 (many small products
in a row, each waking OpenBLAS's thread again) measured unchanged (0.147-0.155 s against
0.148-0.155 s with the default, four runs each) and the LeNet step gains the 13%.

The default thread count is therefore the number of cores this process may use when that
setting is in effect for an OpenBLAS NumPy, and 1 otherwise (NumPy imported before
tinygrad_edu, or another BLAS whose spinning was not measured). ``torch.set_num_threads(n)``
sets it as in torch; it does not change the BLAS's own threads. ``OPENBLAS_THREAD_TIMEOUT``
set by the user is left as it is.
"""
from __future__ import annotations

import os
import sys

BLAS_SPIN_EXPONENT = 18
if "numpy" not in sys.modules:
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", str(BLAS_SPIN_EXPONENT))

import contextvars  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from typing import Callable, Optional  # noqa: E402

import numpy as np  # noqa: E402

MIN_ELEMENTS = 1 << 18  # below this an array's work stays on the calling thread (see above)


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _blas_spin_is_short() -> bool:
    """True when NumPy's BLAS is OpenBLAS and its worker sleeps after at most 2^19 cycles."""
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
        exponent = int(os.environ.get("OPENBLAS_THREAD_TIMEOUT", "28"))
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return "openblas" in str(blas).lower() and exponent <= 19


_threads = _available_cores() if _blas_spin_is_short() else 1
_pool: Optional[ThreadPoolExecutor] = None


def get_num_threads() -> int:
    """How many threads the large elementwise ops use (torch.get_num_threads)."""
    return _threads


def set_num_threads(n: int) -> None:
    """Use ``n`` threads for the large elementwise ops (torch.set_num_threads); 1 turns the
    worker threads off. NumPy's BLAS keeps its own thread count."""
    global _threads, _pool
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"set_num_threads: expected an int, got {type(n).__name__}")
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


def split(work: Callable[[int, int], None], count: int, elements: int) -> None:
    """Run ``work(start, stop)`` over ``range(count)`` cut into one part per thread.

    ``work`` must write disjoint parts of its result for disjoint ranges. ``elements`` is the
    size of the arrays involved: below :data:`MIN_ELEMENTS`, or with one thread, or when
    ``count`` is 1, it is simply ``work(0, count)``. The worker threads run their parts in a
    copy of the caller's context, so NumPy's error state (floating-point warnings off inside
    ops) holds there too.
    """
    global _pool
    parts = min(_threads, count)
    if parts <= 1 or elements < MIN_ELEMENTS:
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


def elementwise(fn: Callable[..., None], out: np.ndarray, *inputs: np.ndarray) -> np.ndarray:
    """``fn(out_part, *input_parts)`` over matching parts of arrays that all have ``out``'s
    shape and memory layout, and returns ``out``. Such arrays are each one run of memory in
    the same element order, so cutting their flat views at the same places gives matching
    parts. Arrays that differ in layout, or small ones, are done whole on this thread."""
    if out.size >= MIN_ELEMENTS and _threads > 1 and all(a.shape == out.shape and a.strides == out.strides
                                                          for a in inputs):
        flat_out = out.ravel(order="K")
        if np.may_share_memory(flat_out, out):  # a view, so out is one dense run of memory
            flat_in = [a.ravel(order="K") for a in inputs]
            split(lambda lo, hi: fn(flat_out[lo:hi], *(a[lo:hi] for a in flat_in)), flat_out.size, flat_out.size)
            return out
    fn(out, *inputs)
    return out
