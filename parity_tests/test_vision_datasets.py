"""tinygrad_edu.vision.datasets against torchvision.datasets on the same local files: the same
classes, samples, images (pixel for pixel) and targets; and the refusals (no class folder, an
empty class, download=True without files, a pickle that names an unexpected global)."""
from __future__ import annotations

import gzip
import os
import pickle
import shutil

import numpy as np
import pytest
import torchvision

import tinygrad_edu as tg
import tinygrad_edu.vision as tv
from tinygrad_edu.data import fashion_mnist as fm
from tinygrad_edu.safe_pickle import UnsafePickleError

from .stand_in_data import CIFAR_CLASSES, write_cifar10, write_image_folder


def same_items(ours, theirs, n=None):
    assert len(ours) == len(theirs)
    for i in range(len(theirs) if n is None else n):
        (a, ya), (b, yb) = ours[i], theirs[i]
        assert ya == yb and type(ya) is type(yb)
        if hasattr(b, "mode"):
            assert a.mode == b.mode and a.size == b.size
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
        else:
            np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_image_folder_matches_torchvision(tmp_path):
    root = write_image_folder(tmp_path / "hotdog", ["not-hotdog", "hotdog"], per_class=3)
    (root / "hotdog" / "notes.txt").write_text("not an image")
    ours, theirs = tv.datasets.ImageFolder(root), torchvision.datasets.ImageFolder(str(root))
    assert ours.classes == theirs.classes == ["hotdog", "not-hotdog"] and ours.class_to_idx == theirs.class_to_idx
    assert ours.samples == theirs.samples and ours.targets == theirs.targets
    same_items(ours, theirs)
    aug = tv.transforms.Compose([tv.transforms.Resize(8), tv.transforms.ToTensor()])
    ref = torchvision.transforms.Compose([torchvision.transforms.Resize(8), torchvision.transforms.ToTensor()])
    x, y = tv.datasets.ImageFolder(root, transform=aug, target_transform=lambda t: t + 10)[4]
    xr, yr = torchvision.datasets.ImageFolder(str(root), transform=ref)[4]
    assert y == yr + 10 and isinstance(x, tg.Tensor)
    np.testing.assert_array_equal(x.numpy(), xr.numpy())
    loader = tg.utils.data.DataLoader(tv.datasets.ImageFolder(root, transform=aug), batch_size=4)
    X, Y = next(iter(loader))
    assert X.shape == (4, 3, 9, 8) and Y.dtype == np.int64


def test_dataset_folder_with_its_own_loader(tmp_path):
    for k, name in enumerate(["a", "b"]):
        (tmp_path / name).mkdir()
        np.save(tmp_path / name / "x.npy", np.full(3, k))
    ours = tv.datasets.DatasetFolder(tmp_path, loader=np.load, extensions=(".npy",))
    theirs = torchvision.datasets.DatasetFolder(str(tmp_path), loader=np.load, extensions=(".npy",))
    assert ours.samples == theirs.samples
    np.testing.assert_array_equal(ours[1][0], theirs[1][0])


def test_fashion_mnist_from_a_torchvision_root(tmp_path):
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for stem in fm.FILES.values():  # torchvision keeps the extracted files
        src = fm.SAMPLE_DIR / (stem + ".gz")
        (raw / stem).write_bytes(gzip.decompress(src.read_bytes()))
    for train in (True, False):
        ours = tv.datasets.FashionMNIST(tmp_path, train=train)
        theirs = torchvision.datasets.FashionMNIST(str(tmp_path), train=train)
        assert ours.classes == theirs.classes
        np.testing.assert_array_equal(ours.data.numpy(), theirs.data.numpy())
        np.testing.assert_array_equal(ours.targets.numpy(), theirs.targets.numpy())
        same_items(ours, theirs, n=5)
    shutil.copytree(raw, tmp_path / "MNIST" / "raw")
    same_items(tv.datasets.MNIST(tmp_path), torchvision.datasets.MNIST(str(tmp_path)), n=3)


def test_cifar10_from_the_pickled_batches(tmp_path, monkeypatch):
    root = write_cifar10(tmp_path)
    # torchvision checks the real archive's MD5 sums, which a stand-in cannot have
    monkeypatch.setattr(torchvision.datasets.CIFAR10, "_check_integrity", lambda self: True)
    monkeypatch.setattr(torchvision.datasets.cifar, "check_integrity", lambda *args, **kwargs: True)
    for train in (True, False):
        ours = tv.datasets.CIFAR10(root, train=train)
        theirs = torchvision.datasets.CIFAR10(str(root), train=train)
        assert ours.classes == theirs.classes == CIFAR_CLASSES and ours.targets == theirs.targets
        np.testing.assert_array_equal(ours.data, theirs.data)
        same_items(ours, theirs)


def test_download_and_missing_files_say_where(tmp_path):
    for cls, words in ((tv.datasets.CIFAR10, "cifar-10-batches-py"), (tv.datasets.MNIST, os.path.join("MNIST", "raw"))):
        with pytest.raises(RuntimeError, match="does not download") as info:
            cls(tmp_path, download=True)
        assert words in str(info.value)
        with pytest.raises(RuntimeError, match="not found"):
            cls(tmp_path)


def test_image_folder_refusals(tmp_path):
    (tmp_path / "empty_root").mkdir()
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder"):
        tv.datasets.ImageFolder(tmp_path / "empty_root")
    root = write_image_folder(tmp_path / "set", ["cat"], per_class=1)
    (root / "dog").mkdir()
    with pytest.raises(FileNotFoundError, match="Found no valid file for the classes dog"):
        tv.datasets.ImageFolder(root)
    assert len(tv.datasets.ImageFolder(root, allow_empty=True)) == 1


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


def test_a_pickle_with_an_unexpected_global_is_refused(tmp_path):
    root = write_cifar10(tmp_path)
    batch = root / "cifar-10-batches-py" / "test_batch"
    batch.write_bytes(pickle.dumps({"data": _Evil(), "labels": []}, protocol=2))
    with pytest.raises(UnsafePickleError, match="unexpected pickle global (posix|os).system"):
        tv.datasets.CIFAR10(root, train=False)
