"""torchvision's counterpart for the book's vision chapter: ``import tinygrad_edu.vision as torchvision``.

``transforms`` (with ``functional``; PIL images, tensors and arrays), ``datasets`` (ImageFolder,
DatasetFolder, MNIST, FashionMNIST, CIFAR10 over local files), ``models`` (ResNet-18/34/50,
VGG-11/19, AlexNet with torchvision's parameter names; its checkpoints read without torch),
``ops`` (box_convert, box_area, box_iou, nms, batched_nms), ``io.read_image`` and
``utils.make_grid``: each with torchvision's names, defaults and results.
"""
from __future__ import annotations

from . import datasets, io, models, ops, transforms, utils

__all__ = ["datasets", "io", "models", "ops", "transforms", "utils"]
