"""Minibatches like torch.utils.data.DataLoader: batch size, seeded shuffle, drop_last.

The batches are index arrays computed from NumPy, so the very same batches can be fed to
tinygrad_edu and to torch (``DataLoader.batch_indices``).
"""
from __future__ import annotations

from typing import Any, Iterator, Optional, Sequence

import numpy as np

from ..tensor import Tensor


class DataLoader:
    """Iterate over aligned arrays in minibatches; yields tuples of Tensors (or arrays)."""

    def __init__(self, *arrays: Any, batch_size: int = 1, shuffle: bool = False, drop_last: bool = False,
                 seed: Optional[int] = None, as_tensors: bool = True) -> None:
        if not arrays:
            raise ValueError("DataLoader: give at least one array")
        self.arrays = [a.detach().numpy() if isinstance(a, Tensor) else np.asarray(a) for a in arrays]
        n = len(self.arrays[0])
        if any(len(a) != n for a in self.arrays):
            raise ValueError(f"DataLoader: arrays have different lengths {[len(a) for a in self.arrays]}")
        if not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(f"DataLoader: batch_size should be a positive integer, got {batch_size!r}")
        self.batch_size, self.shuffle, self.drop_last, self.as_tensors = batch_size, shuffle, drop_last, as_tensors
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        n = len(self.arrays[0])
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def batch_indices(self) -> list[np.ndarray]:
        """The index arrays of one epoch (advances the shuffle generator)."""
        n = len(self.arrays[0])
        order = self.rng.permutation(n) if self.shuffle else np.arange(n)
        stop = n - n % self.batch_size if self.drop_last else n
        return [order[i:i + self.batch_size] for i in range(0, stop, self.batch_size)]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for idx in self.batch_indices():
            batch = tuple(a[idx] for a in self.arrays)
            yield tuple(Tensor(b) for b in batch) if self.as_tensors else batch


def load_array(data_arrays: Sequence[Any], batch_size: int, is_train: bool = True,
               seed: Optional[int] = None) -> DataLoader:
    """d2l's load_array: a DataLoader over (features, labels), shuffled when training."""
    return DataLoader(*data_arrays, batch_size=batch_size, shuffle=is_train, seed=seed)
