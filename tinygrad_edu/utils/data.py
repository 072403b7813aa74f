"""``torch.utils.data`` in small: Dataset, TensorDataset, Subset, random_split, DataLoader.

A DataLoader draws a permutation per epoch (shuffle) from a seeded generator, cuts it into
batches and collates the items of each batch by stacking them. For a TensorDataset it skips the
per-item loop and indexes the stored arrays with the whole batch at once (same result, faster).
``num_workers`` is accepted and ignored: loading runs in the calling process.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, Optional, Sequence

import numpy as np

from ..creation import _generator
from ..tensor import Tensor


class Generator:
    """A seeded source of randomness for shuffling (``torch.Generator``)."""

    def __init__(self, device: Any = "cpu") -> None:
        self._rng = np.random.default_rng()

    def manual_seed(self, seed: int) -> "Generator":
        self._rng = np.random.default_rng(int(seed))
        return self

    @property
    def numpy(self) -> np.random.Generator:
        return self._rng


class Dataset:
    """Subclass and define ``__getitem__(i)`` and ``__len__()``."""

    def __getitem__(self, index: int) -> Any:  # pragma: no cover
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __add__(self, other: "Dataset") -> "ConcatDataset":
        return ConcatDataset([self, other])


class TensorDataset(Dataset):
    """Item i is ``tuple(t[i] for t in tensors)``; every tensor has the same first dimension."""

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors:
            raise ValueError("TensorDataset: give at least one tensor")
        sizes = [t.shape[0] if t.ndim else None for t in tensors]
        if None in sizes or len(set(sizes)) != 1:
            raise ValueError(f"TensorDataset: size mismatch between tensors: first dimensions {sizes} "
                             f"(shapes {[tuple(t.shape) for t in tensors]})")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]


class ConcatDataset(Dataset):
    def __init__(self, datasets: Sequence[Dataset]) -> None:
        self.datasets = list(datasets)
        self.ends = np.cumsum([len(d) for d in self.datasets])  # type: ignore[arg-type]

    def __len__(self) -> int:
        return int(self.ends[-1]) if len(self.ends) else 0

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            index += len(self)
        k = int(np.searchsorted(self.ends, index, side="right"))
        start = 0 if k == 0 else int(self.ends[k - 1])
        return self.datasets[k][index - start]


class Subset(Dataset):
    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset, self.indices = dataset, list(indices)

    def __getitem__(self, index: int) -> Any:
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


def _epoch_order(rng: Any, n: int) -> np.ndarray:
    """One epoch's shuffled order: a permutation of range(n) from a fresh generator seeded by one
    draw of ``rng`` (torch's RandomSampler draws a seed and permutes with a generator of its own)."""
    return np.random.default_rng(int(rng.integers(0, 2**63 - 1))).permutation(n)


def random_split(dataset: Dataset, lengths: Sequence[Any], generator: Optional[Generator] = None) -> list[Subset]:
    """Split into non-overlapping random subsets of the given lengths (or fractions summing to 1)."""
    n = len(dataset)  # type: ignore[arg-type]
    if all(isinstance(x, float) for x in lengths) and abs(sum(lengths) - 1) < 1e-9:
        counts = [int(np.floor(n * f)) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
    else:
        counts = [int(x) for x in lengths]
    if sum(counts) != n:
        raise ValueError(f"random_split: sum of input lengths {sum(counts)} does not equal the length "
                         f"of the input dataset ({n})")
    order = (generator.numpy if generator else _generator()).permutation(n)
    bounds = np.cumsum([0] + counts)
    return [Subset(dataset, order[a:b].tolist()) for a, b in zip(bounds[:-1], bounds[1:])]


def _torch_tensor(x: Any) -> bool:
    """A torch tensor (from the real torch and torchvision), recognised without importing torch."""
    return type(x).__module__.split(".")[0] == "torch" and hasattr(x, "detach") and hasattr(x, "numpy")


def default_collate(items: list[Any]) -> Any:
    """Collate a batch as torch's ``default_collate`` does, into tinygrad_edu tensors: tensors
    (tinygrad_edu's, or torch CPU tensors from the real torchvision), NumPy arrays and NumPy
    scalars stack along a new first dim; Python floats become float64, ints int64 and bools bool;
    strings stay a list; dicts, tuples and lists are collated field by field (a tuple or list
    gives a list; a named tuple stays one). Anything else is refused as torch refuses it."""
    first = items[0]
    if isinstance(first, Tensor):
        return Tensor(np.stack([t.array for t in items]))
    if _torch_tensor(first):
        return Tensor(np.stack([t.detach().cpu().numpy() for t in items]))
    if isinstance(first, (np.ndarray, np.generic)) and not isinstance(first, (np.str_, np.bytes_)):
        if np.asarray(first).dtype.kind in "OSUV":
            raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, dicts or "
                            f"lists; found {np.asarray(first).dtype}")
        return Tensor(np.stack([np.asarray(x) for x in items]))
    if isinstance(first, bool):
        return Tensor(np.asarray(items, dtype=bool))
    if isinstance(first, int):
        return Tensor(np.asarray(items, dtype=np.int64))
    if isinstance(first, float):
        return Tensor(np.asarray(items, dtype=np.float64))
    if isinstance(first, (str, bytes)):
        return list(items)
    if isinstance(first, dict):
        return {k: default_collate([d[k] for d in items]) for k in first}
    if isinstance(first, tuple) and hasattr(first, "_fields"):  # a named tuple
        return type(first)(*(default_collate(list(field)) for field in zip(*items)))
    if isinstance(first, (tuple, list)):
        if any(len(x) != len(first) for x in items):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(list(field)) for field in zip(*items)]
    raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
                    f"found {type(first)}")


class DataLoader:
    """Minibatches of a Dataset: ``batch_size``, ``shuffle`` (a new permutation each epoch, from
    ``generator`` or the global seed), ``drop_last``, ``collate_fn``; torch's other arguments
    (``num_workers``, ``pin_memory``, ...) are accepted and have no effect here."""

    def __init__(self, dataset: Dataset, batch_size: Optional[int] = 1, shuffle: Optional[bool] = None,
                 sampler: Any = None, batch_sampler: Any = None, num_workers: int = 0,
                 collate_fn: Optional[Callable[[list[Any]], Any]] = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0, worker_init_fn: Any = None,
                 multiprocessing_context: Any = None, generator: Optional[Generator] = None, *,
                 prefetch_factor: Optional[int] = None, persistent_workers: bool = False,
                 pin_memory_device: str = "", in_order: bool = True) -> None:
        if batch_size is not None and (not isinstance(batch_size, (int, np.integer)) or batch_size <= 0):
            raise ValueError(f"DataLoader: batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size!r}")
        if num_workers < 0:
            raise ValueError(f"DataLoader: num_workers option should be non-negative, got {num_workers}")
        if sampler is not None or batch_sampler is not None:
            raise NotImplementedError("DataLoader: custom samplers are not supported; use shuffle and "
                                      "generator")
        self.dataset, self.batch_size, self.shuffle = dataset, batch_size, bool(shuffle)
        self.drop_last, self.collate_fn, self.generator = drop_last, collate_fn, generator
        self.num_workers = num_workers

    def __len__(self) -> int:
        n = len(self.dataset)  # type: ignore[arg-type]
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def batch_indices(self) -> list[np.ndarray]:
        """The index arrays of one epoch. Like torch's DataLoader it takes one seed per epoch from
        the generator (torch's base seed for worker processes) and, when shuffling, one more that
        seeds the epoch's permutation; so the generator advances the same number of draws as
        torch's does, whatever else the program draws from it."""
        n = len(self.dataset)  # type: ignore[arg-type]
        rng = self.generator.numpy if self.generator is not None else _generator()
        self.base_seed = int(rng.integers(0, 2**63 - 1))
        order = _epoch_order(rng, n) if self.shuffle else np.arange(n)
        size = self.batch_size or 1
        stop = n - n % size if self.drop_last else n
        return [order[i:i + size] for i in range(0, stop, size)]

    def __iter__(self) -> Iterator[Any]:
        fast = isinstance(self.dataset, TensorDataset) and self.collate_fn is None and self.batch_size
        for idx in self.batch_indices():
            if self.batch_size is None:
                yield self.dataset[int(idx[0])]
            elif fast:
                yield [Tensor(t.array[idx]) for t in self.dataset.tensors]  # type: ignore[attr-defined]
            else:
                items = [self.dataset[int(i)] for i in idx]
                yield (self.collate_fn or default_collate)(items)


__all__ = ["Dataset", "TensorDataset", "ConcatDataset", "Subset", "random_split", "DataLoader",
           "default_collate", "Generator"]
