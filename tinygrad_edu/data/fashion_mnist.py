"""Fashion-MNIST (and MNIST, same IDX format) from local files, with a bundled sample fallback.

Where the files are looked for, in order:
  1. an explicit ``path`` (a folder with the four files, or a torchvision root holding
     ``FashionMNIST/raw``); when given, nothing else is searched;
  2. ``$FASHION_MNIST_DIR``;
  3. ``/usr/share/datasets/fashion-mnist`` (Debian: ``apt-get install dataset-fashion-mnist``);
  4. torchvision roots ``./data`` and ``../data`` (``<root>/FashionMNIST/raw``, d2l's default root);
  5. the stratified sample bundled in ``tinygrad_edu/data/sample`` (5,000 training and 1,000 test
     images of the real data set), so that everything runs with no data installed.
The full files are checked against the SHA-256 of their (decompressed) contents; every file is
checked for a valid IDX header and size. The returned :class:`FashionMNIST` says which data it is.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np

from .idx import IDXError, PathLike, read_bytes, read_idx, write_idx

FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}

# SHA-256 of the decompressed IDX contents of the official Fashion-MNIST files.
FULL_SHA256 = {
    "train_images": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train_labels": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "test_images": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "test_labels": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}
FULL_SIZES = {"train": 60000, "test": 10000}

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
# SHA-256 of the decompressed IDX contents of the bundled sample (see sample/SOURCE.md).
SAMPLE_SHA256: dict[str, str] = {}  # filled in below from sample/SHA256SUMS

DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")

TEXT_LABELS = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
               "ankle boot"]


def get_fashion_mnist_labels(labels: Any) -> list[str]:
    """Text names of Fashion-MNIST class indices (d2l's helper)."""
    values = np.asarray(labels.numpy() if hasattr(labels, "numpy") else labels).ravel()
    return [TEXT_LABELS[int(i)] for i in values]


@dataclass
class FashionMNIST:
    """The four arrays (uint8 images (N, 28, 28), uint8 labels (N,)) and where they came from."""
    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    source: str
    is_sample: bool

    def describe(self) -> str:
        kind = "bundled sample of Fashion-MNIST" if self.is_sample else "Fashion-MNIST"
        return (f"{kind}: {len(self.train_labels)} training and {len(self.test_labels)} test images "
                f"from {self.source}")

    def arrays(self, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
        """float32 images (N, 1, 28, 28) scaled to [0, 1] and int64 labels, as torchvision's ToTensor."""
        images = self.train_images if split == "train" else self.test_images
        labels = self.train_labels if split == "train" else self.test_labels
        return (images.astype(np.float32)[:, None] / 255.0), labels.astype(np.int64)


def _find(folder: Path, stem: str) -> Optional[Path]:
    for name in (stem + ".gz", stem):
        if (folder / name).is_file():
            return folder / name
    return None


def _has_files(folder: Path) -> bool:
    return all(_find(folder, stem) is not None for stem in FILES.values())


def candidate_folders() -> list[Path]:
    """The folders searched when no explicit path is given, in order (see the module docstring)."""
    out: list[Path] = []
    env = os.environ.get("FASHION_MNIST_DIR")
    if env:
        out += [Path(env), Path(env) / "FashionMNIST" / "raw"]
    out.append(DEBIAN_DIR)
    out += [Path("data") / "FashionMNIST" / "raw", Path("..") / "data" / "FashionMNIST" / "raw"]
    return out


def read_folder(folder: PathLike, checksums: Optional[dict[str, str]] = None) -> dict[str, np.ndarray]:
    """Read and validate the four IDX files of one folder."""
    folder = Path(folder)
    arrays = {}
    for key, stem in FILES.items():
        file = _find(folder, stem)
        if file is None:
            raise IDXError(f"{folder}: missing {stem}(.gz)")
        arrays[key] = read_idx(file, expected_ndim=3 if key.endswith("images") else 1,
                               sha256=checksums.get(key) if checksums else None)
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.shape[1:] != (28, 28) or len(images) != len(labels):
            raise IDXError(f"{folder}: {split} images {images.shape} and labels {labels.shape} do not "
                           f"form a 28x28 image data set")
        if labels.size and labels.max() > 9:
            raise IDXError(f"{folder}: {split} labels go up to {labels.max()}, expected 0..9")
    return arrays


def load_fashion_mnist(path: Optional[PathLike] = None, allow_sample: bool = True) -> FashionMNIST:
    """Fashion-MNIST from the first folder that has it, else the bundled sample.

    An explicit ``path`` is the only place looked at: if it does not hold the data, this raises
    instead of falling back.
    """
    folders = [Path(path), Path(path) / "FashionMNIST" / "raw"] if path is not None else candidate_folders()
    for folder in folders:
        if not _has_files(folder):
            continue
        arrays = read_folder(folder)
        full = len(arrays["train_labels"]) == FULL_SIZES["train"] and len(arrays["test_labels"]) == FULL_SIZES["test"]
        if full:  # the official files: verify their contents too
            arrays = read_folder(folder, FULL_SHA256)
        return FashionMNIST(**arrays, source=str(folder), is_sample=False)
    if path is not None:
        raise IDXError(f"no Fashion-MNIST files in {path} (looked for {', '.join(FILES.values())}, "
                       f"plain or .gz, there and in {Path(path) / 'FashionMNIST' / 'raw'})")
    if not allow_sample:
        raise IDXError("Fashion-MNIST not found in " + ", ".join(str(p) for p in candidate_folders()))
    return load_sample()


def load_sample() -> FashionMNIST:
    """The bundled stratified sample, verified against its checksums."""
    return FashionMNIST(**read_folder(SAMPLE_DIR, _sample_checksums()), source=str(SAMPLE_DIR), is_sample=True)


def _sample_checksums() -> dict[str, str]:
    if not SAMPLE_SHA256:
        by_stem = {v: k for k, v in FILES.items()}
        for line in (SAMPLE_DIR / "SHA256SUMS").read_text().splitlines():
            digest, name = line.split()
            SAMPLE_SHA256[by_stem[name.removesuffix(".gz")]] = digest
    return SAMPLE_SHA256


def load_mnist(path: PathLike) -> FashionMNIST:
    """MNIST (same four file names and format) from ``path``; header and size checks only."""
    return FashionMNIST(**read_folder(path), source=str(path), is_sample=False)


def make_sample(full: FashionMNIST, out: PathLike = SAMPLE_DIR, train_per_class: int = 500,
                test_per_class: int = 100, seed: int = 0) -> None:
    """Build the bundled sample: a stratified random subset of the full data set (run once)."""
    rng = np.random.default_rng(seed)
    out = Path(out)
    sums = []
    for split, per_class in (("train", train_per_class), ("test", test_per_class)):
        images, labels = getattr(full, f"{split}_images"), getattr(full, f"{split}_labels")
        picked = np.sort(np.concatenate([rng.choice(np.flatnonzero(labels == c), per_class, replace=False)
                                         for c in range(10)]))
        for key, arr in ((f"{split}_images", images[picked]), (f"{split}_labels", labels[picked])):
            file = out / (FILES[key] + ".gz")
            write_idx(file, arr)
            sums.append(f"{hashlib.sha256(read_bytes(file)).hexdigest()}  {file.name}")
    (out / "SHA256SUMS").write_text("\n".join(sums) + "\n")


