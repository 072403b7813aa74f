"""tinygrad_edu.vision.transforms against torchvision.transforms.v2.functional, on every kind of
image torchvision takes: float tensors, uint8 tensors and PIL images (modes L and RGB), with
Hypothesis-drawn sizes, windows and factors; then the random classes (seeded draws, ranges,
``get_params``) and bad input.

Bounds, each derived where it is used: PIL images must agree pixel for pixel (both sides run
Pillow's operations); uint8 tensors must agree exactly where both sides compute the same float32
expression before truncating; float tensors to a few float32 ulps where the products are summed
in another order (resize's matrix products)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torchvision.transforms as TV1
import torchvision.transforms.v2.functional as TF
from hypothesis import assume, example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

import tinygrad_edu as tg
import tinygrad_edu.vision as tvision
from tinygrad_edu import transforms as T_old
from tinygrad_edu.vision import transforms as T
from tinygrad_edu.vision.transforms import functional as F

ATOL = 2e-6  # a few float32 ulps of values in [0, 1]: weights and products rounded in another order


@st.composite
def images(draw, channels=(1, 3), dtype=np.float32, batch=True):
    c = draw(st.sampled_from(channels))
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    lead = draw(st.sampled_from([(), (2,)])) if batch else ()
    if dtype == np.uint8:
        el = st.one_of(st.integers(0, 255), st.sampled_from([0, 255, 128]))
    else:
        el = st.one_of(st.floats(0, 1, width=32), st.sampled_from([0.0, 1.0, 0.5]))
    return draw(hnp.arrays(dtype, lead + (c, h, w), elements=el))


@st.composite
def pil_images(draw, modes=("L", "RGB")):
    mode = draw(st.sampled_from(modes))
    arr = draw(images(channels=(1 if mode == "L" else 3,), dtype=np.uint8, batch=False))
    return Image.fromarray(arr[0] if mode == "L" else arr.transpose(1, 2, 0))


def close(ours, theirs, atol=ATOL):
    ours = ours.numpy() if isinstance(ours, tg.Tensor) else ours
    theirs = theirs.numpy()
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, (ours.shape, ours.dtype, theirs.shape, theirs.dtype)
    if atol == 0:
        np.testing.assert_array_equal(ours, theirs)
    else:
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=atol)


def same_pil(ours, theirs):
    assert isinstance(ours, Image.Image) and ours.mode == theirs.mode and ours.size == theirs.size
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


# ----------------------------------------------------------------------------- tensors

def torch_resize(x, size, mode="bilinear", antialias=True, max_size=None):
    """torchvision's resize of ``x``. torch 2.14's antialiased kernel is wrong when the output is
    one pixel wide and the height changes (it returns one row's value, or zeros); the filter is
    separable, so the referee there is torch's resize of the transposed image, transposed back."""
    t = torch.tensor(x)
    h = x.shape[-2]
    if isinstance(size, int):  # torchvision's output size for a shorter side (nearest has no such fault)
        size = TF.resize(t, [size], max_size=max_size, interpolation=TF.InterpolationMode.NEAREST).shape[-2:]
    if antialias and mode == "bilinear" and size[1] == 1 and h != size[0]:
        return TF.resize(t.transpose(-1, -2), [1, size[0]], antialias=True).transpose(-1, -2)
    return TF.resize(t, list(size), interpolation=TF.InterpolationMode(mode), antialias=antialias)


@given(images(), st.tuples(st.integers(1, 12), st.integers(1, 12)), st.sampled_from(["bilinear", "nearest"]),
       st.booleans())
def test_resize_float(x, size, mode, antialias):
    close(F.resize(x, size, mode, antialias=antialias), torch_resize(x, size, mode, antialias))


@given(images(dtype=np.uint8), st.tuples(st.integers(1, 12), st.integers(1, 12)), st.booleans())
def test_resize_uint8_bilinear(x, size, antialias):
    """torch resamples uint8 natively with fixed-point weights and rounds; here the float32
    result is rounded. The two can differ only where the exact value lies within the fixed-point
    error of a half level, so by at most one level. (torch 2.14's native kernel fails an
    internal assertion when shrinking a 3-channel uint8 image to 1x1, so that size is left out.)"""
    assume(not (x.shape[-3] == 3 and size == (1, 1)))
    ours = F.resize(x, size, antialias=antialias)
    theirs = TF.resize(torch.tensor(x), list(size), antialias=antialias).numpy()
    assert ours.dtype == np.uint8 and ours.shape == theirs.shape
    assert np.abs(ours.astype(int) - theirs).max(initial=0) <= 1


@given(images(dtype=np.uint8), st.tuples(st.integers(1, 12), st.integers(1, 12)))
def test_resize_uint8_nearest(x, size):
    close(F.resize(x, size, T.InterpolationMode.NEAREST),
          TF.resize(torch.tensor(x), list(size), interpolation=TF.InterpolationMode.NEAREST), 0)


@given(images(), st.integers(1, 12), st.one_of(st.none(), st.integers(13, 20)))
def test_resize_shorter_side(x, short, max_size):
    close(F.resize(x, short, max_size=max_size), torch_resize(x, short, max_size=max_size))


@given(st.sampled_from([np.float32, np.uint8]).flatmap(lambda d: images(dtype=d)),
       st.integers(-3, 5), st.integers(-3, 5), st.integers(1, 8), st.integers(1, 8), st.data())
def test_crops_flips_pad(x, top, left, h, w, data):
    # A window that ends above or left of the image (top + h <= 0) makes torchvision slice with a
    # negative end, which Python reads from the other side (its output then has the wrong size);
    # ours returns zeros there. Those windows are left out of the comparison.
    assume(top + h > 0 and left + w > 0)
    t = torch.tensor(x)
    close(F.crop(x, top, left, h, w), TF.crop(t, top, left, h, w), 0)
    close(F.center_crop(x, (h + 2, w)), TF.center_crop(t, [h + 2, w]), 0)
    close(F.hflip(x), TF.horizontal_flip(t), 0)
    close(F.vflip(x), TF.vertical_flip(t), 0)
    p = data.draw(st.lists(st.integers(0, 3), min_size=4, max_size=4))
    fill = 0.25 if x.dtype == np.float32 else 7
    close(F.pad(x, p, fill=fill), TF.pad(t, p, fill=fill), 0)
    mode = data.draw(st.sampled_from(["edge", "reflect", "symmetric"]))
    # torch reflects only margins smaller than the image, and mirrors (symmetric) at most the image
    # once; NumPy repeats the pattern beyond that. Wider margins are left out.
    if mode == "edge" or max(p) < min(x.shape[-2:]) + (mode == "symmetric"):
        close(F.pad(x, p, padding_mode=mode), TF.pad(t, p, padding_mode=mode), 0)
    if x.dtype == np.float32:
        close(F.resized_crop(x, top, left, h, w, (5, 4)), TF.resized_crop(t, top, left, h, w, [5, 4]))


@given(images(), st.floats(0, 2), st.floats(0, 2), st.floats(0, 2))
def test_colour_factors_float(x, b, c, s):
    t = torch.tensor(x)
    close(F.adjust_brightness(x, b), TF.adjust_brightness(t, b))
    close(F.adjust_contrast(x, c), TF.adjust_contrast(t, c))
    close(F.adjust_saturation(x, s), TF.adjust_saturation(t, s))


@given(images(dtype=np.uint8), st.floats(0, 2), st.floats(0, 2), st.floats(0, 2))
@example(np.full((3, 2, 2), 200, np.uint8), 1.275, 0.5, 0.5)
def test_colour_factors_uint8(x, b, c, s):
    """The blend is one float32 multiply-add truncated to uint8 on both sides: exact (see
    array_kernels._fma for the one case a double rounding could move it, never drawn). Contrast
    blends with a mean over the whole image, which torch sums in another order: the mean can
    differ in its last bit, and a result just below an integer can then truncate one level
    lower, so contrast is exact except for at most one level."""
    t = torch.tensor(x)
    close(F.adjust_brightness(x, b), TF.adjust_brightness(t, b), 0)
    close(F.adjust_saturation(x, s), TF.adjust_saturation(t, s), 0)
    ours, theirs = F.adjust_contrast(x, c), TF.adjust_contrast(t, c).numpy()
    assert ours.dtype == np.uint8 and np.abs(ours.astype(int) - theirs).max(initial=0) <= 1


@given(st.sampled_from([np.float32, np.uint8]).flatmap(lambda d: images(channels=(3,), dtype=d)), st.floats(-0.5, 0.5))
@example(np.array([[[1.0]], [[0.5]], [[0.0]]], np.float32), 0.5)
@example(np.array([[[0.0]], [[0.0]], [[1.0]]], np.float32), -0.5)
def test_adjust_hue_tensor(x, hue):
    """RGB -> HSV -> RGB in float32, in torchvision's order of operations: float results agree to
    the last bit (``atol`` is one ulp of 1.0 for the final clamp-and-mix), and uint8 images, scaled
    by the same float32 factors both ways, agree exactly."""
    ours, theirs = F.adjust_hue(x, hue), TF.adjust_hue(torch.tensor(x), hue)
    close(ours, theirs, 0 if x.dtype == np.uint8 else 1.2e-7)


@given(images(channels=(3,)))
def test_normalize_and_grayscale(x):
    t = torch.tensor(x)
    close(F.normalize(x, [0.5, 0.4, 0.3], [0.2, 0.3, 0.4]), TF.normalize(t, [0.5, 0.4, 0.3], [0.2, 0.3, 0.4]), 1e-5)
    # mean and std as tensors (d2l's style transfer), converted to the image's dtype as torchvision does
    mean, std = np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225])
    close(F.normalize(tg.tensor(x), tg.tensor(mean), tg.tensor(std)),
          TF.normalize(t, torch.tensor(mean), torch.tensor(std)), 1e-5)
    close(F.rgb_to_grayscale(x), TF.rgb_to_grayscale(t))
    close(F.rgb_to_grayscale(x, 3), TF.rgb_to_grayscale(t, 3))


@given(images(channels=(3,), dtype=np.uint8))
def test_grayscale_uint8(x):
    close(F.rgb_to_grayscale(x), TF.rgb_to_grayscale(torch.tensor(x)), 0)


# ----------------------------------------------------------------------------- PIL images

@given(pil_images(), st.tuples(st.integers(1, 12), st.integers(1, 12)),
       st.sampled_from(list(T.InterpolationMode)[:1] + list(T.InterpolationMode)[2:]))
def test_pil_resize(img, size, mode):
    same_pil(F.resize(img, size, mode), TF.resize(img, list(size), interpolation=TF.InterpolationMode(mode.value)))
    same_pil(T.Resize(size[0])(img), TV1.Resize(size[0])(img))


@given(pil_images(), st.integers(-3, 5), st.integers(-3, 5), st.integers(1, 8), st.integers(1, 8), st.data())
def test_pil_geometry(img, top, left, h, w, data):
    same_pil(F.crop(img, top, left, h, w), TF.crop(img, top, left, h, w))
    same_pil(F.center_crop(img, (h + 2, w)), TF.center_crop(img, [h + 2, w]))
    same_pil(F.hflip(img), TF.horizontal_flip(img))
    same_pil(F.vflip(img), TF.vertical_flip(img))
    p = data.draw(st.lists(st.integers(0, 3), min_size=4, max_size=4))
    same_pil(F.pad(img, p, fill=9), TF.pad(img, p, fill=9))
    same_pil(F.pad(img, p, padding_mode="edge"), TF.pad(img, p, padding_mode="edge"))
    same_pil(F.resized_crop(img, top, left, h, w, (5, 4)), TF.resized_crop(img, top, left, h, w, [5, 4]))
    same_pil(F.rgb_to_grayscale(img), TF.rgb_to_grayscale(img))


@given(pil_images(), st.floats(0, 2), st.floats(0, 2), st.floats(0, 2), st.floats(-0.5, 0.5))
@example(Image.fromarray(np.array([[[250, 10, 10], [10, 250, 10]]], np.uint8)), 1.0, 1.0, 1.0, -0.1)
@example(Image.fromarray(np.array([[[250, 10, 10], [10, 250, 10]]], np.uint8)), 1.0, 1.0, 1.0, 0.5)
def test_pil_colour(img, b, c, s, hue):
    same_pil(F.adjust_brightness(img, b), TF.adjust_brightness(img, b))
    same_pil(F.adjust_contrast(img, c), TF.adjust_contrast(img, c))
    same_pil(F.adjust_saturation(img, s), TF.adjust_saturation(img, s))
    same_pil(F.adjust_hue(img, hue), TF.adjust_hue(img, hue))


@given(pil_images(modes=("L", "RGB", "RGBA", "1", "I", "F")))
def test_pil_conversions(img):
    if img.mode != "L" and np.random.default_rng(0).random() < 2:  # every mode torchvision's ToTensor reads
        img = img.convert(img.mode)
    ours, theirs = F.to_tensor(img), TV1.functional.to_tensor(img)
    close(ours, theirs, 0)
    close(F.pil_to_tensor(img), TV1.functional.pil_to_tensor(img), 0)
    back = F.to_pil_image(ours)
    same_pil(back, TV1.functional.to_pil_image(theirs))


@pytest.mark.parametrize("mode", ["1", "I", "F", "RGBA", "P", "I;16"])
def test_pil_modes_to_tensor(mode):
    rgb = Image.fromarray(np.random.default_rng(1).integers(0, 256, (5, 4, 3), dtype=np.uint8))
    img = rgb.convert(mode) if mode != "I;16" else rgb.convert("L").convert("I").convert("I;16")
    close(F.to_tensor(img), TV1.functional.to_tensor(img), 0)
    close(F.pil_to_tensor(img), TV1.functional.pil_to_tensor(img), 0)


def test_book_pipeline_on_pil_matches_torchvision():
    """d2l's Fashion-MNIST and fine-tuning pipelines: Resize, then ToTensor (and Normalize)."""
    pic = Image.fromarray(np.random.default_rng(0).integers(0, 256, (28, 28), dtype=np.uint8))
    close(T.Compose([T.Resize(64), T.ToTensor()])(pic), TV1.Compose([TV1.Resize(64), TV1.ToTensor()])(pic), 0)
    rgb = pic.convert("RGB")
    norm = ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    close(T.Compose([T.Resize([256, 256]), T.CenterCrop(224), T.ToTensor(), T.Normalize(*norm)])(rgb),
          TV1.Compose([TV1.Resize([256, 256]), TV1.CenterCrop(224), TV1.ToTensor(), TV1.Normalize(*norm)])(rgb), 1e-6)


# ----------------------------------------------------------------------------- the random classes

@pytest.mark.parametrize("make", [
    lambda M: M.RandomResizedCrop(6, scale=(0.1, 1.0), ratio=(0.5, 2.0)),
    lambda M: M.RandomHorizontalFlip(),
    lambda M: M.RandomVerticalFlip(),
    lambda M: M.RandomCrop(5, padding=2),
    lambda M: M.ColorJitter(brightness=0.5, contrast=0.5, saturation=0.5, hue=0.1),
])
def test_random_classes_draw_what_torchvision_draws(make):
    """With torch's generator behind tinygrad_edu's (the referee of the chapter tests) and the
    same seed, each random transform makes torchvision's choices: the same PIL image comes out."""
    from parity_tests.d2l_compat import torch_random_numbers
    img = Image.fromarray(np.random.default_rng(2).integers(0, 256, (9, 11, 3), dtype=np.uint8))
    ours, theirs = make(T), make(TV1)
    for seed in range(5):
        torch.manual_seed(seed)
        expected = theirs(img)
        torch.manual_seed(seed)
        with torch_random_numbers():
            got = ours(img)
        same_pil(got, expected)


def test_seeded_pipelines_repeat_and_keep_kinds():
    pic = np.random.default_rng(0).integers(0, 256, (6, 5, 3), dtype=np.uint8)
    img = T.ToTensor()(pic)
    assert isinstance(img, tg.Tensor) and img.shape == (3, 6, 5) and img.dtype == np.float32
    np.testing.assert_allclose(img.numpy(), pic.transpose(2, 0, 1) / 255.0, rtol=1e-6)
    aug = T.Compose([T.RandomResizedCrop((4, 4)), T.RandomHorizontalFlip(), T.ColorJitter(0.5, 0.5, 0.5, 0.1),
                     T.Normalize([0.5] * 3, [0.5] * 3)])
    outs = []
    for _ in range(2):
        tg.manual_seed(3)
        outs.append(aug(img).numpy())
    assert outs[0].shape == (3, 4, 4)
    np.testing.assert_array_equal(outs[0], outs[1])
    assert isinstance(aug.transforms[1](Image.fromarray(pic)), Image.Image)


def test_random_classes_draw_within_their_ranges():
    tg.manual_seed(1)
    img = np.zeros((1, 20, 30), np.float32)
    for _ in range(200):
        top, left, h, w = T.RandomResizedCrop.get_params(img, (0.2, 0.5), (0.5, 2.0))
        assert 0 <= top and top + h <= 20 and 0 <= left and left + w <= 30
        assert 0.2 * 600 * 0.8 <= h * w <= 0.5 * 600 * 1.25  # rounding of h and w aside
        top, left, h, w = T.RandomCrop.get_params(img, (7, 9))
        assert (h, w) == (7, 9) and 0 <= top <= 13 and 0 <= left <= 21
    flip = T.RandomHorizontalFlip(0.3)
    flips = [flip(np.arange(2.0).reshape(1, 1, 2))[0, 0, 0] for _ in range(2000)]
    assert abs(np.mean(flips) - 0.3) < 0.04
    padded = T.RandomCrop(4, padding=2)
    outs = [padded(np.full((1, 4, 4), 0.5, np.float32)) for _ in range(50)]
    assert any((o == 0).any() for o in outs) and all(o.shape == (1, 4, 4) for o in outs)
    order, b, c, s, h = T.ColorJitter.get_params((0.5, 1.5), None, (0.0, 2.0), (-0.1, 0.1))
    assert sorted(order.tolist()) == [0, 1, 2, 3] and c is None and 0.5 <= b <= 1.5 and abs(h) <= 0.1


def test_old_module_name_is_the_same_module():
    assert tvision.transforms is T and T_old.Resize is T.Resize and T_old.hflip is F.hflip


def _mode(mode):
    return Image.new(mode, (3, 2))


@pytest.mark.parametrize("call, exc, words", [
    (lambda: F.adjust_brightness(np.zeros((3, 2, 2), np.int16), 1.0), TypeError, ("adjust_brightness", "int16")),
    (lambda: F.resize(np.zeros((2, 2), np.float32), 3), ValueError, ("resize", "(2, 2)")),
    (lambda: F.adjust_hue(np.zeros((3, 2, 2), np.float32), 0.7), ValueError, ("hue_factor", "0.7")),
    (lambda: F.adjust_saturation(np.zeros((2, 2, 2), np.float32), 1.0), TypeError, ("1 or 3 channels", "(2, 2, 2)")),
    (lambda: T.RandomCrop(5)(np.zeros((1, 4, 4), np.float32)), ValueError, ("RandomCrop", "(4, 4)")),
    (lambda: F.normalize(np.zeros((3, 2, 2), np.float32), [0.5] * 3, [0.0] * 3), ValueError, ("normalize", "zero")),
    (lambda: F.normalize(_mode("RGB"), [0.5] * 3, [0.5] * 3), TypeError, ("normalize", "PIL")),
    (lambda: T.ColorJitter(brightness=-1), ValueError, ("brightness", "non negative")),
    (lambda: F.hflip([[1, 2]]), TypeError, ("hflip", "list")),
    (lambda: F.adjust_hue(_mode("CMYK"), 0.1), TypeError, ("adjust_hue", "'CMYK'", "convert")),
    (lambda: F.to_tensor(_mode("YCbCr").convert("LAB")), TypeError, ("to_tensor", "'LAB'")),
    (lambda: F.adjust_contrast(_mode("P"), 0.5), TypeError, ("adjust_contrast", "'P'")),
    (lambda: F.resize(_mode("RGB"), 3, interpolation="cubic"), TypeError, ("resize", "'cubic'")),
    (lambda: F.resize(np.zeros((1, 4, 4), np.float32), 2, T.InterpolationMode.BICUBIC), NotImplementedError,
     ("resize", "bicubic", "PIL")),
    (lambda: F.to_pil_image(np.zeros((2, 2, 5), np.uint8)), ValueError, ("to_pil_image", "5")),
])
def test_bad_input(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    assert all(w in str(info.value) for w in words), str(info.value)


def test_fashion_mnist_loaders_take_augmentation_pipelines_on_both_backends():
    """d2l ch. 14.1's pattern: augment the training split, not the test split."""
    import random

    from reference import d2l_torch
    from tinygrad_edu import d2l

    def augs():
        return T.Compose([T.RandomHorizontalFlip(), T.RandomResizedCrop((28, 28), scale=(0.5, 1.0))])

    tg.manual_seed(0)
    random.seed(0)
    train_iter, test_iter = d2l.load_data_fashion_mnist(16, train_augs=augs())
    X, y = next(iter(train_iter))
    Xt, _ = next(iter(test_iter))
    torch.manual_seed(0)
    random.seed(0)
    _, test_torch = d2l_torch.load().load_data_fashion_mnist(16)
    assert X.shape == (16, 1, 28, 28) and X.dtype == np.float32
    np.testing.assert_array_equal(Xt.numpy(), next(iter(test_torch))[0].numpy())
    tg.manual_seed(0)  # the training split really changed: compare with the unaugmented loader
    random.seed(0)
    raw_train, _ = d2l.load_data_fashion_mnist(16)
    raw, raw_y = next(iter(raw_train))
    np.testing.assert_array_equal(raw_y.numpy(), y.numpy())  # same shuffle
    assert not np.array_equal(raw.numpy(), X.numpy())


@given(images(), st.data())
def test_center_crop_of_every_margin_matches_torchvision(x, data):
    """Crop sizes drawn around the image size, so odd margins (where the top-left offset is half a
    pixel and torchvision rounds it) come up half the time, both smaller and larger than the image."""
    h, w = x.shape[-2:]
    oh = data.draw(st.one_of(st.integers(max(1, h - 3), h + 3), st.integers(1, 12)))
    ow = data.draw(st.one_of(st.integers(max(1, w - 3), w + 3), st.integers(1, 12)))
    close(F.center_crop(x, (oh, ow)), TF.center_crop(torch.tensor(x), [oh, ow]), 0)
