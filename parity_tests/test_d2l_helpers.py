"""tinygrad_edu.d2l's helpers beyond what the chapter runs compare: figures are written as PNG files,
the resizing loader matches torch's bilinear interpolation, and the device helpers answer CPU."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

import tinygrad_edu as tg
from tinygrad_edu import d2l


@pytest.fixture
def figures(tmp_path, monkeypatch):
    monkeypatch.setattr(d2l, "FIGURE_DIR", str(tmp_path))
    return tmp_path


def _is_png(path: Path) -> bool:
    return path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_and_show_images_write_png_files(figures):
    x = np.arange(0, 3, 0.1)
    path = Path(d2l.plot(x, [x ** 2, 2 * x], "x", "f(x)", legend=["f", "g"]))
    assert path.parent == figures and _is_png(path)
    d2l.show_images(tg.rand(4, 8, 8), 2, 2, titles=list("abcd"))
    assert len(list(figures.glob("*.png"))) == 2


def test_animator_updates_its_png_and_prints_progress(figures, capsys):
    animator = d2l.Animator(xlabel="epoch", legend=["train loss", "test acc"])
    animator.add(1, (0.9, 0.5))
    first = (figures / "animator.png").stat().st_mtime_ns
    animator.add(2, (0.7, None))
    assert _is_png(figures / "animator.png") and (figures / "animator.png").stat().st_mtime_ns >= first
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "epoch 1: train loss 0.900, test acc 0.500" and out[1] == "epoch 2: train loss 0.700"
    assert animator.Y == [[0.9, 0.7], [0.5]]


@pytest.mark.parametrize("size", [(56, 56), (40, 20), (14, 14)])
def test_resize_matches_torch_bilinear(size):
    x = np.random.default_rng(0).random((3, 1, 28, 28)).astype(np.float32)
    loader = d2l._ResizedLoader([(tg.tensor(x), tg.tensor([0, 1, 2]))], size, (28, 28))
    ours = next(iter(loader))[0].numpy()
    theirs = torch.nn.functional.interpolate(torch.tensor(x), size=size, mode="bilinear", align_corners=False,
                                             antialias=False).numpy()
    # float32: each output is a 4-term weighted sum computed as two matmuls vs torch's direct formula.
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_device_helpers_and_small_utilities():
    assert d2l.try_gpu() == tg.device("cpu") and d2l.try_gpu(3) == tg.device("cpu")
    assert d2l.try_all_gpus() == [tg.device("cpu")]
    acc = d2l.Accumulator(2)
    acc.add(1, 2.5)
    acc.add(tg.tensor(2.0), 1)
    assert acc[0] == 3.0 and acc[1] == 3.5
    timer = d2l.Timer()
    timer.stop()
    assert timer.sum() >= 0 and len(timer.cumsum()) == 1
    y_hat = tg.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    assert d2l.accuracy(y_hat, tg.tensor([1, 0, 0])) == 2.0
    assert d2l.size(tg.ones(2, 3)) == 6 and d2l.reshape(tg.ones(6), (2, 3)).shape == (2, 3)


def test_load_data_fashion_mnist_says_which_data(capsys):
    train_iter, test_iter = d2l.load_data_fashion_mnist(512)
    said = capsys.readouterr().out
    assert "Fashion-MNIST" in said and ("sample" in said or "60000" in said)
    X, y = next(iter(train_iter))
    assert X.shape == (512, 1, 28, 28) and X.dtype == np.float32 and y.dtype == np.int64
    assert 0.0 <= X.min().item() and X.max().item() <= 1.0
