"""tinygrad_edu's DataLoader collates what the real torchvision's datasets return (torch CPU tensors,
ints, PIL-free tuples) into tinygrad_edu tensors, batch for batch the same as torch's DataLoader,
and collates NumPy arrays, numbers, strings, dicts and tuples as torch's default_collate does."""
from __future__ import annotations

import collections
import gzip
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.utils.data
import torchvision
from PIL import Image

import tinygrad_edu as tg
from tinygrad_edu.utils import data

SAMPLE = Path(tg.data.__file__).parent / "sample"


def _same_batches(dataset, batch_size=7):
    ours = list(data.DataLoader(dataset, batch_size=batch_size, shuffle=False))
    theirs = list(torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=False))
    assert len(ours) == len(theirs)
    for (X, y), (tX, ty) in zip(ours, theirs):
        assert isinstance(X, tg.Tensor) and isinstance(y, tg.Tensor)
        assert X.dtype == tg.float32 and y.dtype == tg.int64
        np.testing.assert_array_equal(X.numpy(), tX.numpy())
        np.testing.assert_array_equal(y.numpy(), ty.numpy())
    return ours


def test_torchvision_fashion_mnist_over_local_idx_files(tmp_path):
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                 "t10k-labels-idx1-ubyte"):
        with gzip.open(SAMPLE / f"{name}.gz") as src, open(raw / name, "wb") as dst:
            shutil.copyfileobj(src, dst)
    dataset = torchvision.datasets.FashionMNIST(str(tmp_path), train=False, download=False,
                                                transform=torchvision.transforms.ToTensor())
    batches = _same_batches(torch.utils.data.Subset(dataset, range(50)))
    assert batches[0][0].shape == (7, 1, 28, 28)


def test_torchvision_image_folder(tmp_path):
    rng = np.random.default_rng(0)
    for label in ("cat", "dog"):
        (tmp_path / label).mkdir()
        for i in range(5):
            Image.fromarray(rng.integers(0, 256, (12, 10, 3), dtype=np.uint8)).save(tmp_path / label / f"{i}.png")
    dataset = torchvision.datasets.ImageFolder(str(tmp_path), transform=torchvision.transforms.ToTensor())
    batches = _same_batches(dataset, batch_size=4)
    assert batches[0][0].shape == (4, 3, 12, 10) and batches[-1][1].tolist() == [1, 1]


Point = collections.namedtuple("Point", "x y")


def test_default_collate_follows_torch_for_every_kind():
    batch = [{"a": np.float32(i), "b": (i, float(i), i % 2 == 0), "name": f"n{i}", "p": Point(i, [i, i])}
             for i in range(3)]
    ours, theirs = data.default_collate(batch), torch.utils.data.default_collate(batch)
    assert ours["a"].dtype == tg.float32 and theirs["a"].dtype == torch.float32
    for o, t in zip(ours["b"], theirs["b"]):
        assert str(o.dtype) == str(t.dtype).replace("torch.", "") and o.tolist() == t.tolist()
    assert ours["name"] == theirs["name"] == ["n0", "n1", "n2"]
    assert isinstance(ours["p"], Point) and ours["p"].x.tolist() == theirs["p"].x.tolist()
    arrays = [np.arange(4, dtype=np.int16) + i for i in range(2)]
    assert data.default_collate(arrays).dtype == tg.int16
    torch_tensors = [torch.ones(2, dtype=torch.float64) * i for i in range(3)]
    out = data.default_collate(torch_tensors)
    assert isinstance(out, tg.Tensor) and out.dtype == tg.float64 and out.shape == (3, 2)


def test_default_collate_refuses_what_torch_refuses():
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal size"):
        data.default_collate([(1, 2), (3,)])
    with pytest.raises(TypeError, match="default_collate: batch must contain"):
        data.default_collate([object(), object()])
    with pytest.raises(TypeError, match="default_collate: batch must contain"):
        data.default_collate([Image.new("L", (2, 2))] * 2)
