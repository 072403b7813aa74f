"""Small utilities the chapters share: ``Timer``, ``Accumulator``, ``try_gpu``/``try_all_gpus``.

Part of the d2l companion (``tinygrad_edu/d2l/__init__.py`` says how it is built and tested).
"""
from __future__ import annotations

import time
from typing import Any

import numpy as np

import tinygrad_edu as torch  # backend


# ----------------------------------------------------------------------------- small utilities

class Timer:
    """Record several running times."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.start()

    def start(self) -> None:
        self.tik = time.perf_counter()

    def stop(self) -> float:
        self.times.append(time.perf_counter() - self.tik)
        return self.times[-1]

    def avg(self) -> float:
        return sum(self.times) / len(self.times)

    def sum(self) -> float:
        return sum(self.times)

    def cumsum(self) -> list[float]:
        return np.array(self.times).cumsum().tolist()


class Accumulator:
    """Running sums of n quantities."""

    def __init__(self, n: int) -> None:
        self.data = [0.0] * n

    def add(self, *args: Any) -> None:
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self) -> None:
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx: int) -> float:
        return self.data[idx]


def try_gpu(i: int = 0) -> Any:
    """The i-th GPU if it exists, else the CPU (always the CPU on tinygrad_edu)."""
    if torch.cuda.device_count() >= i + 1:
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")


def get_dataloader_workers() -> int:
    """The worker processes d2l's loaders ask for."""
    return 4


def try_all_gpus() -> list[Any]:
    devices = [torch.device(f"cuda:{i}") for i in range(torch.cuda.device_count())]
    return devices if devices else [torch.device("cpu")]


