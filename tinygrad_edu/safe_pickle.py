"""A restricted unpickler: it builds only what a data file or a checkpoint legitimately holds.

Python's pickle can call any importable function while loading, so a file from elsewhere could
run code. ``SafeUnpickler`` resolves a pickle's globals from an explicit table and refuses every
other one with an error that names it, before anything is built from it. Containers (dict, list,
tuple, set), strings, bytes, numbers, bools and None need no global and always load.
"""
from __future__ import annotations

import codecs
import collections
import io
import pickle
from typing import Any, Callable, Mapping

import numpy as np


class UnsafePickleError(pickle.UnpicklingError):
    """A pickle asked for a global outside the table of allowed ones."""


class SafeUnpickler(pickle.Unpickler):
    """``find_class`` answers from ``allowed`` ({(module, name): object}) only."""

    def __init__(self, file: Any, allowed: Mapping[tuple[str, str], Any], where: str, **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        self.allowed, self.where = allowed, where

    def find_class(self, module: str, name: str) -> Any:
        try:
            return self.allowed[(module, name)]
        except KeyError:
            raise UnsafePickleError(
                f"{self.where}: unexpected pickle global {module}.{name}; only tensors, arrays and "
                f"containers are read (the file may not be what it claims, or may try to run code)") from None


def _reconstruct(cls: Any, shape: Any, dtype: Any) -> np.ndarray:
    """numpy's array reconstructor, restricted to plain ndarrays (no subclass can be named)."""
    if cls is not np.ndarray:
        raise UnsafePickleError(f"only numpy.ndarray can be rebuilt, not {cls!r}")
    return np.ndarray.__new__(np.ndarray, shape, dtype)


def _scalar(dtype: np.dtype, data: bytes) -> Any:
    return np.frombuffer(data, dtype=dtype, count=1)[0]


def _encode(text: str, encoding: str = "latin1") -> bytes:
    """What protocol-2 pickles written by Python 3 use for bytes: ``_codecs.encode``."""
    if encoding not in ("latin1", "latin-1"):
        raise UnsafePickleError(f"_codecs.encode with encoding {encoding!r}")
    return codecs.encode(text, encoding)


NUMPY_GLOBALS: dict[tuple[str, str], Callable[..., Any]] = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy.core.multiarray", "scalar"): _scalar,
    ("numpy._core.multiarray", "scalar"): _scalar,
    ("numpy", "ndarray"): np.ndarray,  # type: ignore[dict-item]
    ("numpy", "dtype"): np.dtype,  # type: ignore[dict-item]
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("_codecs", "encode"): _encode,
}


def load_numpy_pickle(path: str) -> Any:
    """A pickle of containers and NumPy arrays (such as CIFAR-10's batches, written by Python 2:
    their strings are read as latin-1, torchvision's choice)."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        return SafeUnpickler(io.BytesIO(data), NUMPY_GLOBALS, str(path), encoding="latin1").load()
    except UnsafePickleError:
        raise
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError) as e:
        raise pickle.UnpicklingError(f"{path}: not a readable pickle ({type(e).__name__}: {e})") from None
