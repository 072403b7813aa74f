"""``torch.cuda`` as it answers on a machine without a GPU: tinygrad_edu computes with NumPy on the
CPU only, so there is never a CUDA device (see tinygrad_edu/device.py)."""
from __future__ import annotations

from typing import Any


def is_available() -> bool:
    """False: tinygrad_edu has no CUDA backend."""
    return False


def device_count() -> int:
    """0: no CUDA devices are visible to tinygrad_edu."""
    return 0


def _no_cuda(op: str) -> RuntimeError:
    return RuntimeError(f"cuda.{op}: tinygrad_edu runs on NumPy on the CPU and has no CUDA devices "
                        f"(cuda.is_available() is False)")


def current_device() -> int:
    raise _no_cuda("current_device")


def synchronize(device: Any = None) -> None:
    raise _no_cuda("synchronize")


def manual_seed(seed: int) -> None:
    """Accepted and ignored, as torch does when there is no GPU."""


def manual_seed_all(seed: int) -> None:
    """Accepted and ignored, as torch does when there is no GPU."""
