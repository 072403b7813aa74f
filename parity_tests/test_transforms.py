"""tinygrad_edu.transforms (NumPy) against torchvision.transforms.v2.functional on tensors, with
Hypothesis-drawn image sizes and parameters; the random classes for determinism, ranges and
bad input. Bound: float32 rounding of the interpolation weights and of the HSV round trip
(differently ordered float32 arithmetic), written at each comparison."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torchvision.transforms.v2.functional as TF
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg
from tinygrad_edu import transforms as T

ATOL = 2e-6  # a few float32 ulps of values in [0, 1]: weights and products rounded in another order


@st.composite
def images(draw, channels=(1, 3)):
    c = draw(st.sampled_from(channels))
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    batch = draw(st.sampled_from([(), (2,)]))
    el = st.one_of(st.floats(0, 1, width=32), st.sampled_from([0.0, 1.0, 0.5]))
    return draw(hnp.arrays(np.float32, batch + (c, h, w), elements=el))


def close(ours, theirs, atol=ATOL):
    theirs = theirs.numpy()
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=atol)


@given(images(), st.tuples(st.integers(1, 12), st.integers(1, 12)), st.sampled_from(["bilinear", "nearest"]))
def test_resize(x, size, mode):
    interp = TF.InterpolationMode.BILINEAR if mode == "bilinear" else TF.InterpolationMode.NEAREST
    close(T.resize(x, size, mode), TF.resize(torch.tensor(x), list(size), interpolation=interp, antialias=False))


@given(images(), st.integers(1, 12))
def test_resize_shorter_side(x, short):
    close(T.resize(x, short), TF.resize(torch.tensor(x), [short], antialias=False))


@given(images(), st.integers(-3, 5), st.integers(-3, 5), st.integers(1, 8), st.integers(1, 8), st.data())
def test_crops_flips_pad(x, top, left, h, w, data):
    # A window that ends above or left of the image (top + h <= 0) makes torchvision slice with a
    # negative end, which Python reads from the other side (its output then has the wrong size);
    # ours returns zeros there. Those windows are left out of the comparison.
    assume(top + h > 0 and left + w > 0)
    t = torch.tensor(x)
    close(T.crop(x, top, left, h, w), TF.crop(t, top, left, h, w), 0)
    close(T.center_crop(x, (h + 2, w)), TF.center_crop(t, [h + 2, w]), 0)
    close(T.hflip(x), TF.horizontal_flip(t), 0)
    close(T.vflip(x), TF.vertical_flip(t), 0)
    p = data.draw(st.lists(st.integers(0, 3), min_size=4, max_size=4))
    close(T.pad(x, p, fill=0.25), TF.pad(t, p, fill=0.25), 0)
    close(T.resized_crop(x, top, left, h, w, (5, 4)), TF.resized_crop(t, top, left, h, w, [5, 4], antialias=False))


@given(images(), st.floats(0, 2), st.floats(0, 2), st.floats(0, 2))
def test_colour_factors(x, b, c, s):
    t = torch.tensor(x)
    close(T.adjust_brightness(x, b), TF.adjust_brightness(t, b))
    close(T.adjust_contrast(x, c), TF.adjust_contrast(t, c))
    close(T.adjust_saturation(x, s), TF.adjust_saturation(t, s))


@given(images(channels=(3,)), st.floats(-0.5, 0.5))
def test_adjust_hue(x, hue):
    # RGB -> HSV -> RGB in float32: torchvision and this module order the operations differently
    close(T.adjust_hue(x, hue), TF.adjust_hue(torch.tensor(x), hue), atol=4e-6)


@given(images(channels=(3,)))
def test_normalize_and_grayscale(x):
    t = torch.tensor(x)
    close(T.normalize(x, [0.5, 0.4, 0.3], [0.2, 0.3, 0.4]), TF.normalize(t, [0.5, 0.4, 0.3], [0.2, 0.3, 0.4]), 1e-5)
    close(T.rgb_to_grayscale(x), TF.rgb_to_grayscale(t))


def test_to_tensor_and_pipelines_on_tensors():
    pic = np.random.default_rng(0).integers(0, 256, (6, 5, 3), dtype=np.uint8)
    img = T.to_tensor(pic)
    assert isinstance(img, tg.Tensor) and img.shape == (3, 6, 5) and img.dtype == np.float32
    np.testing.assert_allclose(img.numpy(), pic.transpose(2, 0, 1) / 255.0, rtol=1e-6)
    rng = np.random.default_rng(0)
    aug = T.Compose([T.RandomResizedCrop((4, 4), generator=rng), T.RandomHorizontalFlip(generator=rng),
                     T.ColorJitter(0.5, 0.5, 0.5, 0.1, generator=rng), T.Normalize([0.5] * 3, [0.5] * 3)])
    out = aug(img)
    assert isinstance(out, tg.Tensor) and out.shape == (3, 4, 4)
    again = T.Compose([T.RandomResizedCrop((4, 4), generator=np.random.default_rng(0)),
                       T.RandomHorizontalFlip(generator=np.random.default_rng(0))])
    first = again(img).numpy()
    repeat = T.Compose([T.RandomResizedCrop((4, 4), generator=np.random.default_rng(0)),
                        T.RandomHorizontalFlip(generator=np.random.default_rng(0))])(img).numpy()
    np.testing.assert_array_equal(first, repeat)  # same seeds, same augmentation


def test_random_classes_draw_within_their_ranges():
    rng = np.random.default_rng(1)
    crop = T.RandomResizedCrop(8, scale=(0.2, 0.5), ratio=(0.5, 2.0), generator=rng)
    for _ in range(200):
        top, left, h, w = crop.get_params(20, 30)
        assert 0 <= top and top + h <= 20 and 0 <= left and left + w <= 30
        assert 0.2 * 600 * 0.8 <= h * w <= 0.5 * 600 * 1.25  # rounding of h and w aside
    flips = [T.RandomHorizontalFlip(0.3, generator=rng)(np.arange(2.0).reshape(1, 1, 2))[0, 0, 0] for _ in range(2000)]
    assert abs(np.mean(flips) - 0.3) < 0.04
    x = np.full((1, 4, 4), 0.5, np.float32)
    padded = T.RandomCrop(4, padding=2, generator=rng)
    outs = [padded(x) for _ in range(50)]
    assert any((o == 0).any() for o in outs) and all(o.shape == (1, 4, 4) for o in outs)


@pytest.mark.parametrize("call, exc, words", [
    (lambda: T.adjust_brightness(np.zeros((3, 2, 2), np.uint8), 1.0), TypeError, ("adjust_brightness", "uint8")),
    (lambda: T.resize(np.zeros((2, 2), np.float32), 3), ValueError, ("resize", "(2, 2)")),
    (lambda: T.adjust_hue(np.zeros((3, 2, 2), np.float32), 0.7), ValueError, ("hue_factor", "0.7")),
    (lambda: T.adjust_saturation(np.zeros((2, 2, 2), np.float32), 1.0), TypeError, ("1 or 3 channels", "(2, 2, 2)")),
    (lambda: T.RandomCrop(5)(np.zeros((1, 4, 4), np.float32)), ValueError, ("RandomCrop", "(4, 4)")),
    (lambda: T.normalize(np.zeros((3, 2, 2), np.float32), [0.5] * 3, [0.0] * 3), ValueError, ("normalize", "zero")),
    (lambda: T.ColorJitter(brightness=-1), ValueError, ("brightness", "non negative")),
    (lambda: T.hflip([[1, 2]]), TypeError, ("hflip", "list")),
])
def test_bad_input(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    assert all(w in str(info.value) for w in words), str(info.value)


def test_fashion_mnist_loaders_take_augmentation_pipelines_on_both_backends():
    """d2l ch. 14.1's pattern: augment the training split, not the test split; the NumPy
    pipeline gives both frameworks the same images for the same seeds."""
    import random

    from reference import d2l_torch
    from tinygrad_edu import d2l

    def augs():
        rng = np.random.default_rng(0)
        return T.Compose([T.RandomHorizontalFlip(generator=rng), T.RandomResizedCrop((28, 28), scale=(0.5, 1.0), generator=rng)])

    batches = []
    for companion, seed in ((d2l, tg.manual_seed), (d2l_torch.load(), torch.manual_seed)):
        seed(0)
        random.seed(0)
        train_iter, test_iter = companion.load_data_fashion_mnist(16, train_augs=augs())
        X, y = next(iter(train_iter))
        Xt, _ = next(iter(test_iter))
        batches.append((X.numpy(), y.numpy(), Xt.numpy()))
    (X, y, Xt), (X2, y2, Xt2) = batches
    assert X.shape == (16, 1, 28, 28) and X.dtype == np.float32
    np.testing.assert_array_equal(Xt, Xt2)
    tg.manual_seed(0)  # the training split really changed: compare with the unaugmented loader
    random.seed(0)
    raw_train, _ = d2l.load_data_fashion_mnist(16)
    raw, raw_y = next(iter(raw_train))
    np.testing.assert_array_equal(raw_y.numpy(), y)  # same shuffle
    assert not np.array_equal(raw.numpy(), X)


@given(images(), st.data())
def test_center_crop_of_every_margin_matches_torchvision(x, data):
    """Crop sizes drawn around the image size, so odd margins (where the top-left offset is half a
    pixel and torchvision rounds it) come up half the time, both smaller and larger than the image."""
    h, w = x.shape[-2:]
    oh = data.draw(st.one_of(st.integers(max(1, h - 3), h + 3), st.integers(1, 12)))
    ow = data.draw(st.one_of(st.integers(max(1, w - 3), w + 3), st.integers(1, 12)))
    close(T.center_crop(x, (oh, ow)), TF.center_crop(torch.tensor(x), [oh, ow]), 0)
