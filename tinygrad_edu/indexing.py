"""torch's indexing rules, in one place: ``x[index]`` and ``x[index] = value``.

Every index a user writes is *normalised once* into a tuple whose entries are only

    int            a position (negative counts from the end)
    slice          start:stop:step (step > 0)
    None           a new axis of size 1
    Ellipsis       (only as written: normalising replaces it by the ':'s it stands for)
    np.ndarray     an int64 array of positions, or a bool mask

and validated against the tensor's shape before any op runs, so a bad index raises torch's
error and changes nothing. Lists, tuples, ranges, NumPy arrays, Tensors (ours or anything with
``__array__``, such as a torch tensor) all become arrays here; the forward *and* the backward of
``ops.Index`` then see that same normalised index.

Two rules where torch and NumPy differ, and tinygrad_edu follows torch:

1. A plain integer is *basic* indexing in torch: ``y[1, :, 2:4, d]`` first selects ``y[1]``
   and then indexes that with ``[:, 2:4, d]``. NumPy instead treats the 1 as a second *array*
   index, and because the two array indices are separated by a slice it moves their broadcast
   dimension to the front: for ``y`` of shape (2, 5, 6, 4) and ``d = [0, 1, 1]`` NumPy gives
   shape (3, 5, 2), torch (5, 2, 3). :func:`split_basic_advanced` turns a mixed index into the
   two steps torch takes.
2. A top-level *list* that holds a slice, None, Ellipsis, a tensor/array or another sequence is
   read as a tuple (torch's legacy rule): ``x[[0, [1, 2]]]`` is ``x[0, [1, 2]]``.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

Index = tuple[Any, ...]


def describe(index: Any) -> str:
    """A short repr of the index a user wrote, for error messages."""
    text = repr(index)
    return text if len(text) < 120 else text[:117] + "..."


def _plain(obj: Any) -> Any:
    """Nested lists/tuples that may hold Tensors or 0-d arrays -> plain Python numbers."""
    if isinstance(obj, (list, tuple)):
        return [_plain(o) for o in obj]
    if hasattr(obj, "tolist") and not isinstance(obj, np.ndarray):
        return obj.tolist()
    return obj


def _is_sequence_item(item: Any) -> bool:
    return item is None or item is Ellipsis or isinstance(item, (slice, list, tuple, range, np.ndarray)) \
        or (hasattr(item, "__array__") and not isinstance(item, (int, float, bool, np.generic)))


def _as_tuple(index: Any) -> tuple[Any, ...]:
    """The entries of the index, applying torch's rule for top-level lists (see module doc)."""
    if isinstance(index, tuple):
        return index
    if isinstance(index, list) and len(index) < 32 and any(_is_sequence_item(i) for i in index):
        warnings.warn("Using a non-tuple sequence for multidimensional indexing is deprecated in "
                      "torch; use x[tuple(seq)] instead of x[seq] (index: read here as a tuple, as "
                      "torch does today)", UserWarning, stacklevel=4)
        return tuple(index)
    return (index,)


def _entry(item: Any, position: int, original: Any) -> Any:
    """One entry of the index in normalised form (see module doc)."""
    if item is None or item is Ellipsis:
        return item
    if isinstance(item, bool) or isinstance(item, np.bool_):
        return np.asarray(bool(item))
    if isinstance(item, (int, np.integer)):
        return int(item)
    if isinstance(item, slice):
        if item.step is not None and int(item.step) <= 0:
            raise ValueError(f"index: step must be greater than zero, got {item.step} in "
                             f"{describe(original)}")
        return item
    if isinstance(item, (float, np.floating)):
        raise IndexError(f"index: only integers, slices, None, Ellipsis and integer or bool tensors "
                         f"are valid indices, got the float {item} in {describe(original)}")
    if isinstance(item, range):
        arr = np.arange(item.start, item.stop, item.step, dtype=np.int64)
    elif isinstance(item, (list, tuple)):
        arr = np.asarray(_plain(item))
        if arr.size == 0:
            arr = arr.astype(np.int64)
    elif isinstance(item, np.ndarray):
        arr = item
    elif hasattr(item, "__array__"):  # our Tensor, a torch tensor, any array-like
        arr = np.asarray(item.detach() if hasattr(item, "detach") else item)
    else:
        raise IndexError(f"index: entry {position} of {describe(original)} has type "
                         f"{type(item).__name__}; only integers, slices, None, Ellipsis, sequences "
                         f"of integers and integer or bool tensors are valid indices")
    if arr.dtype == np.uint8:
        warnings.warn("index: indexing with dtype uint8 is deprecated in torch and reads the array "
                      "as a bool mask; use a bool tensor instead", UserWarning, stacklevel=4)
        arr = arr.astype(np.bool_)
    if arr.dtype.kind == "b":
        return arr
    if arr.dtype.kind not in "iu":
        raise IndexError(f"index: tensors used as indices must be long, int, byte or bool tensors, "
                         f"got dtype {arr.dtype} at entry {position} of {describe(original)}")
    if arr.ndim == 0:  # a 0-d integer tensor is an integer (basic indexing), as in torch
        return int(arr)
    return arr.astype(np.int64, copy=False)


def _dims_used(entry: Any) -> int:
    """How many dims of the indexed tensor an entry consumes."""
    if entry is None:
        return 0
    if isinstance(entry, np.ndarray) and entry.dtype.kind == "b":
        return entry.ndim
    return 1


def normalize(index: Any, shape: tuple[int, ...]) -> Index:
    """The normalised, validated index of ``x[index]`` for a tensor of ``shape``.

    Raises torch's error classes (IndexError for positions and masks, ValueError for a
    non-positive step) with a message naming the index, the dimension and the tensor's shape.
    """
    entries = tuple(_entry(item, k, index) for k, item in enumerate(_as_tuple(index)))
    if sum(e is Ellipsis for e in entries) > 1:
        raise IndexError(f"index: an index can only have a single ellipsis ('...'), got {describe(index)}")
    used = sum(_dims_used(e) for e in entries if e is not Ellipsis)
    if used > len(shape):
        raise IndexError(f"index: too many indices for tensor of dimension {len(shape)} (shape "
                         f"{shape}): {describe(index)} indexes {used} dims")
    # '...' becomes the ':'s it stands for. torch decides whether array indices are adjacent
    # (and so whether their result dims stay in place) after this expansion; NumPy counts an
    # Ellipsis as a separator even when it covers no dim.
    if any(e is Ellipsis for e in entries):
        at = next(k for k, e in enumerate(entries) if e is Ellipsis)
        entries = entries[:at] + (slice(None),) * (len(shape) - used) + entries[at + 1:]
    dim = 0
    for e in entries:
        if isinstance(e, int):
            size = shape[dim]
            if not -size <= e < size:
                raise IndexError(f"index: index {e} is out of bounds for dimension {dim} with size "
                                 f"{size} (tensor of shape {shape}, index {describe(index)})")
        elif isinstance(e, np.ndarray) and e.dtype.kind == "b":
            covered = shape[dim:dim + e.ndim]
            if e.ndim and e.shape != covered:
                raise IndexError(f"index: the shape of the mask {list(e.shape)} at index {dim} does "
                                 f"not match the shape of the indexed tensor {list(shape)} at index "
                                 f"{dim} (index {describe(index)})")
        elif isinstance(e, np.ndarray) and e.size:
            size = shape[dim]
            bad = e[(e < -size) | (e >= size)]
            if bad.size:
                raise IndexError(f"index: index {int(bad[0])} is out of bounds for dimension {dim} "
                                 f"with size {size} (tensor of shape {shape}, index {describe(index)})")
        dim += _dims_used(e)
    return entries


def is_advanced(index: Index) -> bool:
    """True if the index holds an array: then elements can be read more than once."""
    return any(isinstance(e, np.ndarray) for e in index)


def split_basic_advanced(index: Index) -> tuple[Index, Index]:
    """Rewrite an index that mixes integers with arrays as torch's two steps:

    step 1 (basic: ints, slices, None) applies the integers and keeps every other dim
    (arrays become ':'); step 2 indexes that result with the arrays alone (ints are gone,
    Nones already made their axis, so they become ':').
    ``x[i, :, arr]`` == ``x[i][:, arr]`` in torch.
    """
    step1: list[Any] = []
    step2: list[Any] = []
    for e in index:
        if isinstance(e, int):
            step1.append(e)
        elif isinstance(e, np.ndarray):
            step1.extend([slice(None)] * _dims_used(e))
            step2.append(e)
        else:  # slice or None
            step1.append(e)
            step2.append(slice(None))
    return tuple(step1), tuple(step2)


def steps(index: Index) -> list[Index]:
    """The indexing steps torch takes: one, or two when integers are mixed with arrays."""
    if is_advanced(index) and any(isinstance(e, int) for e in index):
        return list(split_basic_advanced(index))
    return [index]
