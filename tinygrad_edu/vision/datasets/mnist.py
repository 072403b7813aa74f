"""``MNIST`` and ``FashionMNIST`` from IDX files: ``root/<Name>/raw`` as torchvision keeps them
(plain or .gz), or for FashionMNIST Debian's ``/usr/share/datasets/fashion-mnist``."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np

from ...data import fashion_mnist as fm
from .base import VisionDataset, cannot_download


class MNIST(VisionDataset):
    """Items: a 28x28 PIL image of mode 'L' and its class. ``data`` (uint8, N x 28 x 28) and
    ``targets`` (int64) are tensors, as torchvision's."""

    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven",
               "8 - eight", "9 - nine"]
    source = "http://yann.lecun.com/exdb/mnist/"

    def __init__(self, root: Any, train: bool = True, transform: Optional[Callable[[Any], Any]] = None,
                 target_transform: Optional[Callable[[Any], Any]] = None, download: bool = False) -> None:
        from ...tensor import Tensor
        super().__init__(root, transform, target_transform)
        self.train = train
        folder = self._folder()
        if folder is None:
            files = ", ".join(f"{stem}(.gz)" for stem in fm.FILES.values())
            if download:
                raise cannot_download(type(self).__name__, self.raw_folder, files, self.source)
            raise RuntimeError(f"{type(self).__name__}: dataset not found in {self.raw_folder} (looked for {files}); "
                               f"download=True cannot fetch it here either")
        arrays = fm.read_folder(folder)
        split = "train" if train else "test"
        self.data = Tensor(np.ascontiguousarray(arrays[f"{split}_images"]))
        self.targets = Tensor(arrays[f"{split}_labels"].astype(np.int64))
        self.found_in = str(folder)

    @property
    def raw_folder(self) -> str:
        return os.path.join(self.root or "", type(self).__name__, "raw")

    def _folder(self) -> Optional[Path]:
        for folder in self._candidates():
            if fm._has_files(folder):
                return folder
        return None

    def _candidates(self) -> list[Path]:
        return [Path(self.raw_folder)]

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.classes)}

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        from PIL import Image
        img = Image.fromarray(self.data.numpy()[index])
        return self._apply(img, int(self.targets.numpy()[index]))

    def __len__(self) -> int:
        return int(self.data.shape[0])


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST; also found in Debian's package when ``root`` does not hold it."""

    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]
    source = "https://github.com/zalandoresearch/fashion-mnist (or Debian's dataset-fashion-mnist package)"

    def _candidates(self) -> list[Path]:
        return [Path(self.raw_folder), fm.DEBIAN_DIR]
