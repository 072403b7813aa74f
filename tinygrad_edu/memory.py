"""Keep large freed arrays inside the process instead of handing them back to the OS.

glibc's malloc serves big blocks with mmap and unmaps them on free (and trims the heap), so an
array of several MB that is allocated and freed on every training step comes back as fresh
pages that the kernel must zero first; in a NumPy training step that page-fault work is a large
share of the time.

:func:`tune_malloc` raises glibc's mmap threshold to 512 MiB and its trim threshold to 1 GiB, so
those blocks are reused. (512 rather than 64 MiB: im2col's column matrix at ResNet-18's first
stage, batch 64, is 115 MB.) It changes the whole
process (torch in the same process too; torch's own timings were measured unaffected), does
nothing off Linux/glibc, and runs at import unless the environment sets
``TINYGRAD_EDU_TUNE_MALLOC=0``.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3

_tuned = False


def tune_malloc(mmap_threshold: int = 512 << 20, trim_threshold: int = 1 << 30) -> bool:
    """Apply the glibc settings once; returns True if they are in effect."""
    global _tuned
    if _tuned:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False  # not glibc (e.g. musl): nothing to tune
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    _tuned = bool(mallopt(M_MMAP_THRESHOLD, mmap_threshold)) and bool(mallopt(M_TRIM_THRESHOLD, trim_threshold))
    return _tuned


if os.environ.get("TINYGRAD_EDU_TUNE_MALLOC", "1") != "0":
    tune_malloc()
