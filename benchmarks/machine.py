"""What the numbers were measured on."""
from __future__ import annotations

import os
import platform
from typing import Any

import numpy as np

import tinygrad_edu


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def numpy_blas() -> str:
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # older numpy: no dict mode
        return "unknown"


def blas_threads() -> int:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    return os.cpu_count() or 1


def describe(threads: int) -> dict[str, Any]:
    import torch

    info = {
        "cpu": cpu_model(), "cores": os.cpu_count(), "python": platform.python_version(),
        "numpy": np.__version__, "numpy_blas": numpy_blas(), "numpy_blas_threads": threads,
        "torch": torch.__version__, "torch_threads": torch.get_num_threads(),
        "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "tinygrad_edu_tune_malloc": os.environ.get("TINYGRAD_EDU_TUNE_MALLOC", "1") != "0",
        "tinygrad_edu_threads": tinygrad_edu.get_num_threads(),
        "openblas_thread_timeout": os.environ.get("OPENBLAS_THREAD_TIMEOUT"),
    }
    return info
