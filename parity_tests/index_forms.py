"""Index *forms* for the indexing parity rows: the same positions written every way torch accepts.

A drawn index is a spec: a tuple of tagged entries, plain data so that it prints in a repro.
``build_index(lib, spec)`` turns it into the real index for one framework:

    ("int", 2)                  2
    ("int0d", 2)                a 0-d integer tensor of that framework
    ("slice", (start, stop, step))
    ("none",)                   None
    ("ellipsis",)               ...
    ("list", nested)            a (nested) Python list of ints
    ("tuple", nested)           a (nested) Python tuple of ints
    ("range", (start, stop, step))
    ("ndarray", nested)         a NumPy int64 array
    ("tensor", nested)          an int64 tensor of that framework
    ("torch", nested)           a torch tensor for *both* frameworks (a comparison script's leftovers)
    ("arraylike", nested)       an object with only ``__array__`` (ours); torch gets the NumPy array
    ("mask", nested)            a bool tensor of that framework

and the spec's ``wrap`` says whether the entries go in a tuple, bare (one entry) or in a
top-level list (torch reads a list holding sequences or slices as a tuple).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


class ArrayLike:
    """Anything NumPy can turn into an array, and nothing else (integer positions, so an empty
    one is an empty int64 array rather than NumPy's default float64)."""

    def __init__(self, values: Any) -> None:
        self.values = values

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.asarray(self.values, dtype=dtype or np.int64)

    def __repr__(self) -> str:
        return f"ArrayLike({self.values!r})"


def _nested_tuple(v: Any) -> Any:
    return tuple(_nested_tuple(x) for x in v) if isinstance(v, list) else v


def build_entry(lib: Any, entry: tuple) -> Any:
    tag, *rest = entry
    value = rest[0] if rest else None
    ours = lib is not torch
    if tag == "int":
        return value
    if tag == "int0d":
        return lib.tensor(value)
    if tag == "slice":
        return slice(*value)
    if tag == "none":
        return None
    if tag == "ellipsis":
        return Ellipsis
    if tag == "list":
        return value
    if tag == "tuple":
        return _nested_tuple(value)
    if tag == "range":
        return range(*value)
    if tag == "ndarray":
        return np.asarray(value, dtype=np.int64)
    if tag == "tensor":
        return lib.tensor(np.asarray(value, dtype=np.int64))
    if tag == "torch":
        return torch.tensor(np.asarray(value, dtype=np.int64))
    if tag == "arraylike":
        return ArrayLike(value) if ours else np.asarray(value, dtype=np.int64)
    if tag == "mask":
        return lib.tensor(np.asarray(value, dtype=bool))
    raise ValueError(tag)


def build_index(lib: Any, spec: tuple) -> Any:
    wrap, entries = spec
    built = [build_entry(lib, e) for e in entries]
    if wrap == "bare":
        return built[0]
    if wrap == "list":
        return built
    return tuple(built)


_ARRAY_FORMS = ["list", "tuple", "ndarray", "tensor", "torch", "arraylike"]


@st.composite
def index_spec(draw: Any, shape: tuple[int, ...], allow_mask: bool = True) -> tuple:
    """An index for a tensor of ``shape``: per dim an int, a slice, an array form or (rarely) a
    mask over several dims; Nones and an Ellipsis inserted anywhere; repeated and negative
    positions common. All array entries share one broadcast shape."""
    entries: list[tuple] = []
    index_shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=4))
    n_arrays = 0
    dim = 0
    stop_at = len(shape)
    use_mask = allow_mask and draw(st.integers(0, 5)) == 0
    while dim < stop_at:
        size = shape[dim]
        if use_mask and n_arrays == 0 and draw(st.booleans()):
            k = draw(st.integers(1, stop_at - dim))
            mask = draw(hnp.arrays(np.bool_, shape[dim:dim + k]))
            entries.append(("mask", mask.tolist()))
            dim += k
            use_mask = False
            n_arrays = -1  # a mask stands alone among the advanced entries
            continue
        kind = draw(st.sampled_from(["int", "int", "slice", "slice", "array", "array", "array"]))
        if kind == "array" and n_arrays < 0:
            kind = "slice"
        if kind == "int":
            i = draw(st.integers(-size, size - 1))
            entries.append((draw(st.sampled_from(["int", "int", "int0d"])), i))
        elif kind == "slice":
            start = draw(st.one_of(st.none(), st.integers(-size - 1, size + 1)))
            stop = draw(st.one_of(st.none(), st.integers(-size - 1, size + 1)))
            entries.append(("slice", (start, stop, draw(st.one_of(st.none(), st.integers(1, 3))))))
        else:
            form = draw(st.sampled_from(_ARRAY_FORMS + (["range"] if n_arrays == 0 else [])))
            if form == "range":
                start = draw(st.integers(0, size - 1))
                step = draw(st.integers(1, 2))
                stop = draw(st.integers(start, size))
                entries.append(("range", (start, stop, step)))
                n_arrays = -1  # its length is its own: no other array entry after it
            else:
                positions = draw(hnp.arrays(np.int64, index_shape, elements=st.integers(-size, size - 1)))
                entries.append((form, positions.tolist()))
                n_arrays += 1
        dim += 1
    # Each entry so far covers its own dims; a run of them may become '...' (which then covers
    # exactly those dims) or, at the end, be left out (trailing dims are taken whole).
    choice = draw(st.sampled_from(["all", "all", "ellipsis", "drop_tail"]))
    if choice != "all" and entries:
        i = draw(st.integers(0, len(entries)))
        j = draw(st.integers(i, len(entries)))
        if choice == "ellipsis":
            entries[i:j] = [("ellipsis",)]
        else:
            entries = entries[:i]
    for _ in range(draw(st.integers(0, 2))):
        entries.insert(draw(st.integers(0, len(entries))), ("none",))
    if not entries:
        entries = [("slice", (None, None, None))]
    sequence_like = any(e[0] not in ("int",) for e in entries)
    # A bare nested list or tuple is itself read as a tuple of indices by torch (x[[[0], [1]]] is
    # x[[0], [1]]), which is a different index: those are wrapped, never bare.
    nested = entries[0][0] in ("list", "tuple") and isinstance(entries[0][1], list) \
        and any(isinstance(v, list) for v in entries[0][1])
    wraps = ["tuple", "tuple"] + (["bare"] if len(entries) == 1 and not nested else []) \
        + (["list"] if sequence_like else [])
    return (draw(st.sampled_from(wraps)), tuple(entries))
