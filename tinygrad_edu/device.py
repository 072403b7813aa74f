"""Devices, torch-style, for a library that has exactly one: NumPy on the CPU.

``device('cpu')``, ``'cpu'`` and ``'cpu:0'`` are accepted wherever torch takes a device;
``'cuda'`` (or ``'mps'``, ...) raises a RuntimeError that says why: tinygrad_edu's arrays are
NumPy arrays, which live in main memory. ``tinygrad_edu.cuda`` answers like torch on a machine
without a GPU, so d2l's ``try_gpu()`` picks the CPU.
"""
from __future__ import annotations

from typing import Any, Optional


class device:
    """A device name, as ``torch.device``: ``device('cpu')``, ``device('cuda', 0)``, ``device('cuda:1')``.

    Making a CUDA device object is allowed (torch allows it too); moving a tensor there raises.
    """

    type: str
    index: Optional[int]

    def __init__(self, type: Any, index: Optional[int] = None) -> None:  # noqa: A002 (torch's name)
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        if not isinstance(type, str):
            raise TypeError(f"device(): expected a string or a device, got {type!r}")
        name, _, number = type.partition(":")
        if number:
            if index is not None:
                raise RuntimeError(f"device(): type {type!r} already names an index; got index={index}")
            if not number.isdigit():
                raise RuntimeError(f"device(): invalid device string {type!r}")
            index = int(number)
        if name not in ("cpu", "cuda", "mps", "meta", "xpu"):
            raise RuntimeError(f"device(): expected one of cpu, cuda, mps, meta, xpu device type at the "
                               f"start of the device string: {type!r}")
        self.type, self.index = name, index

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        return f"device(type={self.type!r}" + ("" if self.index is None else f", index={self.index}") + ")"

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


CPU = device("cpu")


def check_device(op: str, where: Any) -> None:
    """Accept None, 'cpu', 'cpu:0' or device('cpu'); raise a clear error for anything else."""
    if where is None:
        return
    if isinstance(where, int) and not isinstance(where, bool):  # torch reads an int as a CUDA index
        where = device("cuda", where)
    if not isinstance(where, (str, device)):
        raise TypeError(f"{op}: expected a device (a string such as 'cpu' or a device object), got {where!r}")
    d = device(where)
    if d.type != "cpu" or d.index not in (None, 0):
        raise RuntimeError(f"{op}: tinygrad_edu runs on NumPy arrays in main memory and has only the "
                           f"'cpu' device, so it cannot use {str(d)!r}; use the reference PyTorch models "
                           f"(reference/) to run on a GPU")
