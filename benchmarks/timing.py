"""Timing: warm-up, then repeated runs; each run loops enough calls to last >= min_run_s, so tiny
ops are not lost in timer resolution. Reports the per-call median with min and max."""
from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass
from typing import Callable, Optional


@dataclass
class Timing:
    median: float  # seconds per call
    min: float
    max: float
    repeats: int
    calls_per_repeat: int

    def as_dict(self) -> dict:
        return asdict(self)


def measure(fn: Callable[[], object], repeats: int = 7, warmup: int = 2, min_run_s: float = 0.02,
            sync: Optional[Callable[[], None]] = None) -> Timing:
    """Median time of one call of ``fn``; ``sync`` (e.g. torch.cuda.synchronize) ends each run."""
    done = sync or (lambda: None)
    for _ in range(warmup):
        fn()
    done()
    calls = 1
    while True:  # calibrate the loop length
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        done()
        elapsed = time.perf_counter() - t0
        if elapsed >= min_run_s or calls >= 1 << 16:
            break
        calls *= 2 if elapsed <= 0 else max(2, min(16, int(min_run_s / elapsed) + 1))
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        done()
        runs.append((time.perf_counter() - t0) / calls)
    return Timing(statistics.median(runs), min(runs), max(runs), repeats, calls)
