"""tinygrad_edu.vision against torchvision: box ops (forward and every input gradient, a random
upstream gradient), nms and batched_nms (the same indices, ties and degenerate boxes included),
make_grid, read_image, and the clear error for what has no counterpart yet."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torchvision
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

import tinygrad_edu as tg
import tinygrad_edu.vision as tv

TOL = dict(rtol=1e-5, atol=1e-6)  # a few float32 ops on values of size <= 100: a few ulps


@st.composite
def boxes(draw, n_min=0, n_max=12, fmt="xyxy"):
    """(n, 4) float32 boxes in ``fmt``: corners on a coarse grid (so that ties, shared edges,
    duplicates and zero-area boxes occur) or anywhere in [0, 100)."""
    n = draw(st.integers(n_min, n_max))
    grid = draw(st.booleans())
    coord = st.integers(0, 8).map(float) if grid else st.floats(0, 99, width=32)
    lo = draw(hnp.arrays(np.float32, (n, 2), elements=coord))
    size = draw(hnp.arrays(np.float32, (n, 2), elements=coord))
    xyxy = np.concatenate([lo, lo + size], 1).astype(np.float32)
    if fmt == "xyxy":
        return xyxy
    return torchvision.ops.box_convert(torch.tensor(xyxy), "xyxy", fmt).numpy()


def _grads(ours_fn, theirs_fn, arrays, seed=0, grad_atol=0.0):
    """Forward and every input gradient of both, with the same random upstream gradient
    (``grad_atol``: a bound for gradients that are differences of large terms, see its use)."""
    ours_in = [tg.tensor(a, requires_grad=True) for a in arrays]
    theirs_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    ours, theirs = ours_fn(*ours_in), theirs_fn(*theirs_in)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), **TOL)
    g = np.random.default_rng(seed).standard_normal(theirs.shape).astype(np.float32)
    ours.backward(tg.tensor(g))
    theirs.backward(torch.tensor(g))
    for a, b in zip(ours_in, theirs_in):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=TOL["rtol"], atol=max(TOL["atol"], grad_atol))


@given(st.sampled_from(tv.ops.FORMATS), st.sampled_from(tv.ops.FORMATS), boxes(n_min=1))
def test_box_convert(in_fmt, out_fmt, b):
    _grads(lambda x: tv.ops.box_convert(x, in_fmt, out_fmt),
           lambda x: torchvision.ops.box_convert(x, in_fmt, out_fmt), [b])


@given(st.sampled_from(tv.ops.FORMATS), st.data())
def test_box_area_and_iou(fmt, data):
    b1 = data.draw(boxes(n_min=1, fmt=fmt))
    b2 = data.draw(boxes(n_min=1, fmt=fmt))
    _grads(lambda x: tv.ops.box_area(x, fmt=fmt), lambda x: torchvision.ops.box_area(x, fmt=fmt), [b1])
    area_ok = (tv.ops.box_area(tg.tensor(b1), fmt).numpy() > 0).all() and (tv.ops.box_area(tg.tensor(b2), fmt).numpy() > 0).all()
    if area_ok:  # zero-area pairs give 0/0 on both sides; their gradients are nan
        # d IoU / d coordinate adds terms of size |g| / side that cancel (to 0 for identical
        # boxes), so two summation orders differ by a few ulps of |g| / side: 64 eps max|g| / min side
        sides = np.concatenate([tg.tensor(b).numpy() for b in (b1, b2)])
        corners = tv.ops.box_convert(tg.tensor(sides), fmt, "xywh").numpy()[:, 2:]
        g_max = 4.0  # |standard normal| of the few dozen upstream values drawn here stays below 4.5
        bound = 64 * float(np.finfo(np.float32).eps) * g_max / float(corners.min())
        _grads(lambda x, y: tv.ops.box_iou(x, y, fmt=fmt), lambda x, y: torchvision.ops.box_iou(x, y, fmt=fmt),
               [b1, b2], grad_atol=bound)


@given(boxes(), st.data(), st.floats(0, 1))
def test_nms_and_batched_nms_keep_the_same_boxes(b, data, threshold):
    n = len(b)
    scores = data.draw(hnp.arrays(np.float32, (n,), elements=st.integers(0, 4).map(lambda v: v / 4)))  # ties
    labels = data.draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, 2)))
    ours = tv.ops.nms(tg.tensor(b), tg.tensor(scores), threshold)
    theirs = torchvision.ops.nms(torch.tensor(b), torch.tensor(scores), threshold)
    assert ours.dtype == tg.int64 and ours.tolist() == theirs.tolist()
    ours = tv.ops.batched_nms(tg.tensor(b), tg.tensor(scores), tg.tensor(labels), threshold)
    theirs = torchvision.ops.batched_nms(torch.tensor(b), torch.tensor(scores), torch.tensor(labels), threshold)
    assert ours.tolist() == theirs.tolist()


def test_batched_nms_per_category_beyond_4000_coordinates():
    rng = np.random.default_rng(0)
    b = rng.random((1200, 4)).astype(np.float32) * 50
    b[:, 2:] += b[:, :2]
    scores, labels = rng.random(1200).astype(np.float32), rng.integers(0, 5, 1200)
    ours = tv.ops.batched_nms(tg.tensor(b), tg.tensor(scores), tg.tensor(labels), 0.5)
    theirs = torchvision.ops.batched_nms(torch.tensor(b), torch.tensor(scores), torch.tensor(labels), 0.5)
    assert ours.tolist() == theirs.tolist()


@given(st.integers(1, 6), st.sampled_from([1, 3]), st.integers(1, 5), st.integers(1, 5), st.integers(1, 4),
       st.integers(0, 3), st.booleans(), st.booleans(), st.sampled_from([None, (0.2, 0.7)]), st.floats(0, 1))
def test_make_grid(n, c, h, w, nrow, padding, normalize, scale_each, value_range, pad_value):
    x = np.random.default_rng(n * 7 + h).random((n, c, h, w)).astype(np.float32)
    kw = dict(nrow=nrow, padding=padding, normalize=normalize, value_range=value_range,
              scale_each=scale_each, pad_value=pad_value)
    ours = tv.utils.make_grid(tg.tensor(x, requires_grad=True), **kw)
    theirs = torchvision.utils.make_grid(torch.tensor(x, requires_grad=True), **kw)
    # both run without a graph (torch hands one image back as a view of its input, and such a
    # view of a leaf keeps requires_grad under no_grad: so torch's is compared from two images)
    assert not ours.requires_grad and (n == 1 or not theirs.requires_grad)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), **TOL)


MODES = ["UNCHANGED", "GRAY", "GRAY_ALPHA", "RGB", "RGB_ALPHA"]


@pytest.mark.parametrize("pil_mode,channels", [("L", 1), ("LA", 2), ("RGB", 3), ("RGBA", 4)])
def test_read_image_decodes_as_torchvision(tmp_path, pil_mode, channels):
    rng = np.random.default_rng(channels)
    shape = (6, 9) if channels == 1 else (6, 9, channels)
    path = tmp_path / f"x_{pil_mode}.png"
    Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), pil_mode).save(path)
    for mode in MODES:
        ours = tv.io.read_image(path, getattr(tv.io.ImageReadMode, mode))
        theirs = torchvision.io.read_image(str(path), getattr(torchvision.io.ImageReadMode, mode)).numpy()
        assert ours.dtype == tg.uint8 and ours.shape == theirs.shape, (pil_mode, mode)
        diff = np.abs(ours.numpy().astype(int) - theirs.astype(int)).max()
        # colour to gray: PIL's luma (0.299 R + 0.587 G + 0.114 B) rounds differently from the
        # decoder torchvision uses, by at most one level; every other conversion is exact
        assert diff <= (1 if channels >= 3 and mode.startswith("GRAY") else 0), (pil_mode, mode, diff)


def test_bad_input_is_refused(tmp_path):
    with pytest.raises(AttributeError, match="has no attribute 'segmentation'"):
        tv.segmentation  # noqa: B018
    import tinygrad_edu.transforms as earlier_name
    assert tv.transforms.Resize is earlier_name.Resize
    with pytest.raises(ValueError, match=r"boxes must have shape \(\.\.\., 4\)"):
        tv.ops.nms(tg.zeros(3, 5), tg.zeros(3), 0.5)
    with pytest.raises(ValueError, match="unsupported box format"):
        tv.ops.box_convert(tg.zeros(1, 4), "xyxy", "yxyx")
    with pytest.raises(RuntimeError, match="is not a file"):
        tv.io.read_image(tmp_path / "missing.png")
    with pytest.raises(TypeError, match="tensor or list of tensors expected"):
        tv.utils.make_grid(np.zeros((2, 3, 4, 4)))
