"""Chapter 14's data sets (banana detection, Pascal VOC, the Kaggle helpers), read from local
files: ``DATA_HUB``, ``download`` and ``download_extract`` fetch nothing and say where a missing
file goes (``download`` serves both editions' calls).

Part of the d2l companion (``tinygrad_edu/d2l/__init__.py`` says how it is built and tested).
"""
from __future__ import annotations

import os
import sys
from typing import Any, Optional


import tinygrad_edu as torch  # backend
from tinygrad_edu.utils import data  # backend
import tinygrad_edu.vision as torchvision  # backend

from .utilities import get_dataloader_workers

# ----------------------------------------------------------------------------- ch. 14: the vision data sets
# The book downloads these; here nothing is fetched. ``download``/``download_extract`` use a file
# already in ``../data`` (or its extracted folder), and otherwise say where to put it.
import hashlib
import tarfile
import zipfile

from PIL import Image  # noqa: F401  (d2l.Image: the book opens its pictures with it)

from tinygrad_edu.data import text as _text  # NumPy-free: where the bundled Time Machine lies

DATA_URL = "http://d2l-data.s3-accelerate.amazonaws.com/"
DATA_HUB: dict[str, tuple[str, str]] = {
    "banana-detection": (DATA_URL + "banana-detection.zip", "5de26c8fce5ccdea9f91267273464dc968d20d72"),
    "voc2012": (DATA_URL + "VOCtrainval_11-May-2012.tar", "4e443f8a2eca6b1dac8a6c57641b67dd40621a49"),
    "hotdog": (DATA_URL + "hotdog.zip", "fba480ffa8aa7e0febbb511d181409f899b9baa5"),
    "cifar10_tiny": (DATA_URL + "kaggle_cifar10_tiny.zip", "2068874e4b9a9f0fb07ebe0ad2b29754449ccacd"),
    "dog_tiny": (DATA_URL + "kaggle_dog_tiny.zip", "0cb91d09b814ecdc07b50f31f8dcad3e81d6a86d"),
}


# Files the companion ships, found by the name the book downloads them under.
_BUNDLED = {"timemachine.txt": _text.TIME_MACHINE}


def download(name: str, cache_dir: Optional[str] = None, sha1_hash: Optional[str] = None, *,
             folder: Optional[str] = None) -> str:
    """A local file the book would download; nothing is fetched.

    Both editions' calls: ``download(name, cache_dir)`` with a ``DATA_HUB`` key (0.17), and
    ``download(url, folder, sha1_hash)`` (1.0), which looks for the URL's file name in ``folder``
    and then among the files tinygrad_edu ships (The Time Machine). A missing file raises an error
    that says where to put it; one whose SHA-1 differs from the published one is used with a
    warning on stderr (the test suite's stand-ins are such files)."""
    cache_dir = folder if folder is not None else cache_dir
    cache_dir = cache_dir if cache_dir is not None else os.path.join("..", "data")
    if name in DATA_HUB:
        url, sha1_hash = DATA_HUB[name]
    elif "/" in name:
        url = name
    else:
        raise KeyError(f"download: {name!r} is neither a URL nor in d2l.DATA_HUB (it has "
                       f"{', '.join(sorted(DATA_HUB))})")
    fname = os.path.join(cache_dir, url.split("/")[-1])
    if not os.path.exists(fname) and url.split("/")[-1] in _BUNDLED:
        return str(_BUNDLED[url.split("/")[-1]])
    if not os.path.exists(fname):
        raise FileNotFoundError(f"download: {fname} is not here, and this d2l does not download: fetch {url}"
                                + (f" (sha1 {sha1_hash})" if sha1_hash else "")
                                + f" and put it in {os.path.abspath(cache_dir)}, or its extracted folder next to it")
    if sha1_hash is None:
        return fname
    sha1 = hashlib.sha1()
    with open(fname, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            sha1.update(chunk)
    if sha1.hexdigest() != sha1_hash:
        print(f"download: {fname} is not the published file (sha1 {sha1.hexdigest()}, expected {sha1_hash}); "
              f"using it as it is", file=sys.stderr)
    return fname


def extract(filename: str, folder: Optional[str] = None) -> None:
    """Extract a zip or tar archive into ``folder`` (default: the archive's own folder), as the
    1.0 edition's ``extract``; members that would land outside it are refused."""
    base_dir = os.path.dirname(filename)
    ext = os.path.splitext(filename)[1]
    if ext not in (".zip", ".tar", ".gz"):
        raise ValueError(f"extract: only zip/tar files can be extracted, got {filename}")
    target = folder if folder is not None else base_dir
    if ext == ".zip":
        with zipfile.ZipFile(filename, "r") as z:
            root = os.path.realpath(target)
            for member in z.namelist():
                if not os.path.realpath(os.path.join(root, member)).startswith(root + os.sep):
                    raise ValueError(f"extract: {filename} holds {member!r}, which would land outside {target}")
            z.extractall(target)
    else:
        with tarfile.open(filename, "r") as t:
            t.extractall(target, filter="data")


def download_extract(name: str, folder: Optional[str] = None) -> str:
    """The folder of DATA_HUB's archive ``name``, extracted next to it (or already extracted)."""
    if name not in DATA_HUB:
        raise KeyError(f"download_extract: {name!r} is not in d2l.DATA_HUB (it has {', '.join(sorted(DATA_HUB))})")
    cache_dir = os.path.join("..", "data")
    archive = os.path.join(cache_dir, DATA_HUB[name][0].split("/")[-1])
    base_dir, data_dir = os.path.dirname(archive), os.path.splitext(archive)[0]
    target = os.path.join(base_dir, folder) if folder else data_dir
    if not os.path.exists(archive) and os.path.isdir(target):
        return target
    fname = download(name, cache_dir)
    if fname.endswith(".zip"):
        with zipfile.ZipFile(fname, "r") as z:
            z.extractall(base_dir)
    elif fname.endswith((".tar", ".gz")):
        with tarfile.open(fname, "r") as t:
            t.extractall(base_dir, filter="data")
    else:
        raise ValueError(f"download_extract: only zip/tar files can be extracted, got {fname}")
    return target


def read_csv_labels(fname: str) -> dict[str, str]:
    """{file name without extension: label} from a two-column csv file with a header line (the
    Kaggle CIFAR-10 and dog-breed label files)."""
    with open(fname) as f:
        rows = [line.rstrip().split(",") for line in f.readlines()[1:]]
    return {row[0]: row[1] for row in rows}


def copyfile(filename: str, target_dir: str) -> None:
    """Copy ``filename`` into ``target_dir``, creating the folder when needed."""
    import shutil
    os.makedirs(target_dir, exist_ok=True)
    shutil.copy(filename, target_dir)


def reorg_train_valid(data_dir: str, labels: dict[str, str], valid_ratio: float) -> int:
    """Sort ``data_dir/train`` into ``train_valid_test/{train_valid,train,valid}/<label>/``: every
    image goes to train_valid; the first max(1, floor(n * valid_ratio)) images of each label met
    (n: the size of the smallest class) also go to valid, the rest to train. Returns that count."""
    import collections
    import math
    smallest = collections.Counter(labels.values()).most_common()[-1][1]
    per_label = max(1, math.floor(smallest * valid_ratio))
    taken: dict[str, int] = {}
    target = os.path.join(data_dir, "train_valid_test")
    for name in os.listdir(os.path.join(data_dir, "train")):
        label = labels[name.split(".")[0]]
        source = os.path.join(data_dir, "train", name)
        copyfile(source, os.path.join(target, "train_valid", label))
        if taken.get(label, 0) < per_label:
            copyfile(source, os.path.join(target, "valid", label))
            taken[label] = taken.get(label, 0) + 1
        else:
            copyfile(source, os.path.join(target, "train", label))
    return per_label


def reorg_test(data_dir: str) -> None:
    """Copy ``data_dir/test`` into ``train_valid_test/test/unknown/`` (one class, for ImageFolder)."""
    for name in os.listdir(os.path.join(data_dir, "test")):
        copyfile(os.path.join(data_dir, "test", name), os.path.join(data_dir, "train_valid_test", "test", "unknown"))


def read_data_bananas(is_train: bool = True) -> tuple[list[Any], Any]:
    """The banana detection images (uint8 CHW tensors) and their labels (N, 1, 5): class, then
    the box corners divided by the 256-pixel edge."""
    import pandas as pd
    data_dir = download_extract("banana-detection")
    split = "bananas_train" if is_train else "bananas_val"
    csv_data = pd.read_csv(os.path.join(data_dir, split, "label.csv")).set_index("img_name")
    images, targets = [], []
    for img_name, target in csv_data.iterrows():
        images.append(torchvision.io.read_image(os.path.join(data_dir, split, "images", f"{img_name}")))
        targets.append(list(target))
    return images, torch.tensor(targets).unsqueeze(1) / 256


class BananasDataset(data.Dataset):
    """The banana detection set as a Dataset of (float image, label)."""

    def __init__(self, is_train: bool) -> None:
        self.features, self.labels = read_data_bananas(is_train)
        print("read " + str(len(self.features)) + (" training examples" if is_train else " validation examples"))

    def __getitem__(self, idx: int) -> tuple[Any, Any]:
        return self.features[idx].float(), self.labels[idx]

    def __len__(self) -> int:
        return len(self.features)


def load_data_bananas(batch_size: int) -> tuple[Any, Any]:
    """Loaders of the banana training (shuffled) and validation sets."""
    train_iter = data.DataLoader(BananasDataset(is_train=True), batch_size, shuffle=True)
    val_iter = data.DataLoader(BananasDataset(is_train=False), batch_size)
    return train_iter, val_iter


def read_voc_images(voc_dir: str, is_train: bool = True) -> tuple[list[Any], list[Any]]:
    """Pascal VOC 2012's segmentation images and their colour label maps (uint8 CHW tensors)."""
    txt_fname = os.path.join(voc_dir, "ImageSets", "Segmentation", "train.txt" if is_train else "val.txt")
    mode = torchvision.io.image.ImageReadMode.RGB
    with open(txt_fname, "r") as f:
        images = f.read().split()
    features, labels = [], []
    for fname in images:
        features.append(torchvision.io.read_image(os.path.join(voc_dir, "JPEGImages", f"{fname}.jpg")))
        labels.append(torchvision.io.read_image(os.path.join(voc_dir, "SegmentationClass", f"{fname}.png"), mode))
    return features, labels


VOC_COLORMAP = [[0, 0, 0], [128, 0, 0], [0, 128, 0], [128, 128, 0], [0, 0, 128], [128, 0, 128], [0, 128, 128],
                [128, 128, 128], [64, 0, 0], [192, 0, 0], [64, 128, 0], [192, 128, 0], [64, 0, 128], [192, 0, 128],
                [64, 128, 128], [192, 128, 128], [0, 64, 0], [128, 64, 0], [0, 192, 0], [128, 192, 0], [0, 64, 128]]
VOC_CLASSES = ["background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
               "diningtable", "dog", "horse", "motorbike", "person", "potted plant", "sheep", "sofa", "train",
               "tv/monitor"]


def voc_colormap2label() -> Any:
    """A table from packed RGB colour (r * 256 + g) * 256 + b to VOC class index."""
    colormap2label = torch.zeros(256 ** 3, dtype=torch.long)
    for i, colormap in enumerate(VOC_COLORMAP):
        colormap2label[(colormap[0] * 256 + colormap[1]) * 256 + colormap[2]] = i
    return colormap2label


def voc_label_indices(colormap: Any, colormap2label: Any) -> Any:
    """The class index of every pixel of a colour label map."""
    colormap = colormap.permute(1, 2, 0).numpy().astype("int32")
    idx = ((colormap[:, :, 0] * 256 + colormap[:, :, 1]) * 256 + colormap[:, :, 2])
    return colormap2label[idx]


def voc_rand_crop(feature: Any, label: Any, height: int, width: int) -> tuple[Any, Any]:
    """The same random window of an image and its label map."""
    rect = torchvision.transforms.RandomCrop.get_params(feature, (height, width))
    feature = torchvision.transforms.functional.crop(feature, *rect)
    label = torchvision.transforms.functional.crop(label, *rect)
    return feature, label


class VOCSegDataset(data.Dataset):
    """VOC segmentation examples at least ``crop_size`` large, normalised, randomly cropped."""

    def __init__(self, is_train: bool, crop_size: tuple[int, int], voc_dir: str) -> None:
        self.transform = torchvision.transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
        self.crop_size = crop_size
        features, labels = read_voc_images(voc_dir, is_train=is_train)
        self.features = [self.normalize_image(feature) for feature in self.filter(features)]
        self.labels = self.filter(labels)
        self.colormap2label = voc_colormap2label()
        print("read " + str(len(self.features)) + " examples")

    def normalize_image(self, img: Any) -> Any:
        return self.transform(img.float() / 255)

    def filter(self, imgs: list[Any]) -> list[Any]:
        return [img for img in imgs if (img.shape[1] >= self.crop_size[0] and img.shape[2] >= self.crop_size[1])]

    def __getitem__(self, idx: int) -> tuple[Any, Any]:
        feature, label = voc_rand_crop(self.features[idx], self.labels[idx], *self.crop_size)
        return (feature, voc_label_indices(label, self.colormap2label))

    def __len__(self) -> int:
        return len(self.features)


def load_data_voc(batch_size: int, crop_size: tuple[int, int]) -> tuple[Any, Any]:
    """Loaders of the VOC segmentation training (shuffled) and test sets."""
    voc_dir = download_extract("voc2012", os.path.join("VOCdevkit", "VOC2012"))
    num_workers = get_dataloader_workers()
    train_iter = data.DataLoader(VOCSegDataset(True, crop_size, voc_dir), batch_size, shuffle=True,
                                 drop_last=True, num_workers=num_workers)
    test_iter = data.DataLoader(VOCSegDataset(False, crop_size, voc_dir), batch_size, drop_last=True,
                                num_workers=num_workers)
    return train_iter, test_iter


