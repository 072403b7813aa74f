"""torchvision's counterpart for the book's vision chapter: ``import tinygrad_edu.vision as torchvision``.

Provided: ``transforms`` (the same module as ``tinygrad_edu.transforms``), ``io.read_image``,
``utils.make_grid`` and ``ops`` (``box_convert``, ``box_area``, ``box_iou``, ``nms``,
``batched_nms``), each with torchvision's names, defaults and results. torchvision's
``datasets`` and ``models`` have no counterpart here yet: asking for them raises an error that
says so, instead of an AttributeError deep inside the book's code.
"""
from __future__ import annotations

from typing import Any

from . import transforms
from . import io, ops, utils

__all__ = ["transforms", "io", "ops", "utils"]

_NOT_YET = {
    "datasets": "torchvision.datasets (ImageFolder, FashionMNIST, CIFAR10) has no tinygrad_edu counterpart yet; "
                "keep the real torchvision for data: tinygrad_edu.utils.data.DataLoader collates its torch "
                "tensors into tinygrad_edu tensors",
    "models": "torchvision.models (resnet18, vgg11, ...) has no tinygrad_edu counterpart yet; "
              "tinygrad_edu.models and tinygrad_edu.d2l.resnet18 build the book's networks",
}


def __getattr__(name: str) -> Any:
    if name in _NOT_YET:
        raise NotImplementedError(f"tinygrad_edu.vision.{name}: {_NOT_YET[name]}")
    raise AttributeError(f"module 'tinygrad_edu.vision' has no attribute {name!r}")
