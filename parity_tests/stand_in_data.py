"""Small stand-in data sets in the formats the book downloads, written from seeded random
numbers: an image folder per class, and CIFAR-10's pickled batches (``cifar-10-batches-py``)."""
from __future__ import annotations

import pickle
from pathlib import Path
from typing import Sequence

import numpy as np

CIFAR_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def write_image_folder(root: Path, classes: Sequence[str], per_class: int = 3, size: tuple[int, int] = (12, 10),
                       seed: int = 0, ext: str = ".png") -> Path:
    """``root/<class>/<k><ext>``: random RGB pictures of ``size`` (h, w), a few per class."""
    from PIL import Image
    rng = np.random.default_rng(seed)
    for name in classes:
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for k in range(per_class):
            pixels = rng.integers(0, 256, (*size, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(folder / f"{k}{ext}")
    return root


def write_cifar10(root: Path, per_batch: int = 6, test: int = 8, seed: int = 0) -> Path:
    """``root/cifar-10-batches-py`` as the real archive extracts: five training batches, a test
    batch and ``batches.meta``, each a protocol-2 pickle of a dict (data: uint8 (N, 3072) rows in
    channel-major order, labels: a list of ints)."""
    rng = np.random.default_rng(seed)
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    for name in names:
        n = test if name == "test_batch" else per_batch
        batch = {"batch_label": name, "labels": [int(v) for v in rng.integers(0, 10, n)],
                 "data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
                 "filenames": [f"{name}_{k}.png" for k in range(n)]}
        (folder / name).write_bytes(pickle.dumps(batch, protocol=2))
    meta = {"num_cases_per_batch": per_batch, "label_names": CIFAR_CLASSES, "num_vis": 3072}
    (folder / "batches.meta").write_bytes(pickle.dumps(meta, protocol=2))
    return root
