"""``CIFAR10`` from torchvision's local layout: ``root/cifar-10-batches-py`` with the pickled
batches ``data_batch_1`` ... ``data_batch_5``, ``test_batch`` and ``batches.meta``. The pickles
are read by a restricted unpickler (``safe_pickle``) that builds dicts, lists, strings, numbers
and NumPy arrays and refuses anything else, so a file cannot run code."""
from __future__ import annotations

import os
from typing import Any, Callable, Optional

import numpy as np

from ...safe_pickle import load_numpy_pickle
from .base import VisionDataset, cannot_download


class CIFAR10(VisionDataset):
    """Items: a 32x32 RGB PIL image and its class. ``data`` is a uint8 NumPy array
    (N, 32, 32, 3) and ``targets`` a list, as torchvision's."""

    base_folder = "cifar-10-batches-py"
    train_list = [f"data_batch_{i}" for i in range(1, 6)]
    test_list = ["test_batch"]
    meta_file = "batches.meta"
    label_key = "label_names"
    url = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"

    def __init__(self, root: Any, train: bool = True, transform: Optional[Callable[[Any], Any]] = None,
                 target_transform: Optional[Callable[[Any], Any]] = None, download: bool = False) -> None:
        super().__init__(root, transform, target_transform)
        self.train = train
        folder = os.path.join(self.root or "", self.base_folder)
        names = (self.train_list if train else self.test_list) + [self.meta_file]
        missing = [n for n in names if not os.path.isfile(os.path.join(folder, n))]
        if missing:
            files = ", ".join(names)
            if download:
                raise cannot_download(type(self).__name__, folder, files, self.url + " (extracted)")
            raise RuntimeError(f"{type(self).__name__}: dataset not found in {folder} (missing {', '.join(missing)}); "
                               f"download=True cannot fetch it here either")
        data: list[np.ndarray] = []
        targets: list[int] = []
        for name in self.train_list if train else self.test_list:
            path = os.path.join(folder, name)
            entry = load_numpy_pickle(path)
            if not isinstance(entry, dict) or "data" not in entry or ("labels" not in entry and "fine_labels" not in entry):
                raise RuntimeError(f"{type(self).__name__}: {path} is not a CIFAR batch (expected a dict with "
                                   f"'data' and 'labels')")
            batch = np.asarray(entry["data"], dtype=np.uint8)
            labels = list(entry["labels"] if "labels" in entry else entry["fine_labels"])
            if batch.ndim != 2 or batch.shape[1] != 3 * 32 * 32 or len(labels) != len(batch):
                raise RuntimeError(f"{type(self).__name__}: {path}: data of shape {batch.shape} with {len(labels)} "
                                   f"labels, expected (N, 3072) and N labels")
            data.append(batch)
            targets.extend(int(v) for v in labels)
        self.data = np.vstack(data).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        self.targets = targets
        meta = load_numpy_pickle(os.path.join(folder, self.meta_file))
        self.classes = list(meta[self.label_key])
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        from PIL import Image
        return self._apply(Image.fromarray(self.data[index]), self.targets[index])

    def __len__(self) -> int:
        return len(self.data)
