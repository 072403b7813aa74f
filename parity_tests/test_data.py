"""Fashion-MNIST reading, lookup order, validation errors, batching, and d2l's data helpers."""
import gzip
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.utils import data as tgdata
from tinygrad_edu.data import (DataLoader, IDXError, get_fashion_mnist_labels, load_fashion_mnist, load_sample,
                               parse_idx, read_idx)
from tinygrad_edu.data import fashion_mnist as fm
from tinygrad_edu.data.idx import write_idx


def test_bundled_sample_is_stratified_real_data_and_says_so():
    s = load_sample()
    assert s.is_sample and "sample" in s.describe()
    assert s.train_images.shape == (5000, 28, 28) and s.test_images.shape == (1000, 28, 28)
    assert np.bincount(s.train_labels).tolist() == [500] * 10
    assert np.bincount(s.test_labels).tolist() == [100] * 10
    X, y = s.arrays("test")
    assert X.dtype == np.float32 and X.shape == (1000, 1, 28, 28) and 0 <= X.min() and X.max() <= 1
    assert y.dtype == np.int64


@pytest.mark.skipif(not fm._has_files(fm.DEBIAN_DIR), reason="Debian's dataset-fashion-mnist is not installed")
def test_full_data_set_is_found_and_verified():
    full = load_fashion_mnist()
    assert not full.is_sample and full.train_images.shape == (60000, 28, 28)
    assert full.test_labels.shape == (10000,) and str(fm.DEBIAN_DIR) in full.source


def _copy_sample(dst: Path, compress: bool = True) -> Path:
    for stem in fm.FILES.values():
        src = fm.SAMPLE_DIR / (stem + ".gz")
        if compress:
            shutil.copy(src, dst / (stem + ".gz"))
        else:
            (dst / stem).write_bytes(gzip.decompress(src.read_bytes()))
    return dst


def test_explicit_path_raw_or_gz_and_torchvision_layout(tmp_path):
    raw = _copy_sample(tmp_path, compress=False)
    a = load_fashion_mnist(raw)
    assert a.source == str(raw) and not a.is_sample and len(a.train_labels) == 5000
    tv = tmp_path / "root" / "FashionMNIST" / "raw"
    tv.mkdir(parents=True)
    _copy_sample(tv)
    b = load_fashion_mnist(tmp_path / "root")
    np.testing.assert_array_equal(a.test_images, b.test_images)


def test_lookup_order_env_var_then_fallback(tmp_path, monkeypatch):
    monkeypatch.setattr(fm, "DEBIAN_DIR", tmp_path / "nowhere")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FASHION_MNIST_DIR", raising=False)
    assert load_fashion_mnist().is_sample
    with pytest.raises(IDXError, match="not found"):
        load_fashion_mnist(allow_sample=False)
    env = tmp_path / "env"
    env.mkdir()
    _copy_sample(env)
    monkeypatch.setenv("FASHION_MNIST_DIR", str(env))
    assert load_fashion_mnist().source == str(env)


def test_explicit_path_without_data_raises_instead_of_falling_back(tmp_path):
    with pytest.raises(IDXError, match="no Fashion-MNIST files in"):
        load_fashion_mnist(tmp_path)


def test_truncated_file_names_the_file(tmp_path):
    _copy_sample(tmp_path, compress=False)
    f = tmp_path / "t10k-images-idx3-ubyte"
    f.write_bytes(f.read_bytes()[:-100])
    with pytest.raises(IDXError, match="t10k-images-idx3-ubyte.*truncated"):
        load_fashion_mnist(tmp_path)


def test_not_idx_and_corrupt_gzip_and_missing(tmp_path):
    bad = tmp_path / "x.idx"
    bad.write_bytes(b"PK\x03\x04 this is a zip file")
    with pytest.raises(IDXError, match="not an IDX file"):
        read_idx(bad)
    gz = tmp_path / "y.gz"
    gz.write_bytes(gzip.compress(b"\x00\x00\x08\x01" + b"\x00" * 20)[:-8])
    with pytest.raises(IDXError, match="y.gz"):
        read_idx(gz)
    with pytest.raises(IDXError, match="not found"):
        read_idx(tmp_path / "missing")


def test_checksum_mismatch_is_reported(tmp_path):
    f = tmp_path / "a.gz"
    write_idx(f, np.zeros((2, 3), np.uint8))
    with pytest.raises(IDXError, match="checksum mismatch"):
        read_idx(f, sha256="0" * 64)
    assert read_idx(f).shape == (2, 3)


def test_parse_idx_header_checks():
    ok = b"\x00\x00\x08\x02" + np.array([2, 2], ">u4").tobytes() + bytes(range(4))
    assert parse_idx(ok).tolist() == [[0, 1], [2, 3]]
    with pytest.raises(IDXError, match="type 0x0d"):
        parse_idx(b"\x00\x00\x0d\x01" + np.array([1], ">u4").tobytes() + b"\x00" * 4)
    with pytest.raises(IDXError, match="trailing"):
        parse_idx(ok + b"\x00")
    with pytest.raises(IDXError, match="has 2 dimensions, expected 3"):
        parse_idx(ok, expected_ndim=3)


def test_labels_to_text():
    assert get_fashion_mnist_labels(tg.tensor([0, 9, 5])) == ["t-shirt", "ankle boot", "sandal"]


def test_dataloader_batches_like_torch():
    X, y = np.arange(10).reshape(10, 1), np.arange(10)
    dl = DataLoader(X, y, batch_size=4)
    assert len(dl) == 3 and [len(b[1]) for b in dl] == [4, 4, 2]
    assert len(DataLoader(X, y, batch_size=4, drop_last=True)) == 2
    a = DataLoader(X, y, batch_size=3, shuffle=True, seed=5).batch_indices()
    b = DataLoader(X, y, batch_size=3, shuffle=True, seed=5).batch_indices()
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert sorted(np.concatenate(a).tolist()) == list(range(10))
    xb, yb = next(iter(DataLoader(X, y, batch_size=2)))
    assert isinstance(xb, tg.Tensor) and yb.dtype == np.int64
    with pytest.raises(ValueError, match="different lengths"):
        DataLoader(X, y[:5])


def test_synthetic_data_and_load_array():
    tg.manual_seed(0)
    X, y = tg.data.synthetic_data(tg.tensor([2.0, -3.4]), 4.2, 100)
    assert X.shape == (100, 2) and y.shape == (100, 1)
    resid = y.numpy().ravel() - (X.numpy() @ np.array([2.0, -3.4]) + 4.2)
    assert np.abs(resid).max() < 0.05
    batches = list(tg.data.load_array((X, y), 32))
    assert len(batches) == 4 and batches[0][0].shape == (32, 2)


# --------------------------------------------------------------------------- torch.utils.data names


@st.composite
def _n_and_batch(draw):
    """A data set size and a batch size, half the time one that divides it (the boundary where a
    last batch is full, empty or partial)."""
    n = draw(st.integers(0, 40))
    divisors = [b for b in range(1, n + 1) if n % b == 0] or [1]
    return n, draw(st.one_of(st.sampled_from(divisors), st.integers(1, 45)))


@given(_n_and_batch(), st.booleans())
def test_dataloader_batches_and_length_match_torchs(n_batch, drop_last):
    n, batch = n_batch
    values = np.arange(n, dtype=np.int64)
    ours = tgdata.DataLoader(tgdata.TensorDataset(tg.tensor(values)), batch_size=batch, drop_last=drop_last)
    theirs = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.tensor(values)), batch_size=batch,
                                         drop_last=drop_last)
    assert len(ours) == len(theirs), f"len(DataLoader) of {n} items, batch {batch}, drop_last={drop_last}"
    got = [b[0].numpy().tolist() for b in ours]
    assert got == [b[0].numpy().tolist() for b in theirs]
    assert len(got) == len(ours)


@given(st.integers(1, 40), st.lists(st.floats(0.05, 1.0), min_size=1, max_size=5))
def test_random_split_of_fractions_gives_torchs_sizes(n, weights):
    fractions = [w / sum(weights) for w in weights]
    fractions[-1] = 1.0 - sum(fractions[:-1])
    try:
        theirs = [len(s) for s in torch.utils.data.random_split(range(n), fractions)]
    except ValueError:
        return
    subsets = tgdata.random_split(tgdata.TensorDataset(tg.arange(n) * 10), fractions)
    assert [len(s) for s in subsets] == theirs, f"random_split({n}, {fractions})"
    items = sorted(int(s[i][0].item()) for s in subsets for i in range(len(s)))
    assert items == list(range(0, 10 * n, 10)), "the subsets must partition the data set"


@given(st.lists(st.integers(0, 5), min_size=1, max_size=4))
def test_concat_dataset_reads_every_index_as_torchs(sizes):
    starts = np.cumsum([0] + sizes)
    parts = [np.arange(a, b, dtype=np.int64) * 10 for a, b in zip(starts[:-1], starts[1:])]
    ours = tgdata.ConcatDataset([tgdata.TensorDataset(tg.tensor(p)) for p in parts])
    theirs = torch.utils.data.ConcatDataset([torch.utils.data.TensorDataset(torch.tensor(p)) for p in parts])
    assert len(ours) == len(theirs)
    for i in range(-len(theirs), len(theirs)):
        assert int(ours[i][0].item()) == int(theirs[i][0].item()), f"index {i} of sizes {sizes}"
