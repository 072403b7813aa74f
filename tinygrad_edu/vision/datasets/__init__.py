"""``torchvision.datasets``: the data sets of the book's vision chapter, read from local files.

``ImageFolder``/``DatasetFolder`` (a folder per class), ``FashionMNIST``/``MNIST`` (IDX files in
torchvision's ``root/<Name>/raw`` layout, or Debian's Fashion-MNIST) and ``CIFAR10`` (the
pickled batches of ``cifar-10-batches-py``). Items are what torchvision's are: a PIL image (after
``transform``) and an int class (after ``target_transform``). Nothing is downloaded: with
``download=True`` and no files, the error says where to put them.
"""
from __future__ import annotations

from .cifar import CIFAR10
from .folder import IMG_EXTENSIONS, DatasetFolder, ImageFolder, default_loader, pil_loader
from .mnist import MNIST, FashionMNIST

__all__ = ["CIFAR10", "DatasetFolder", "ImageFolder", "IMG_EXTENSIONS", "default_loader", "pil_loader", "MNIST",
           "FashionMNIST"]
