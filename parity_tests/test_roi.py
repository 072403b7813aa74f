"""vision.ops.roi_pool / roi_align (forward and input gradient, random upstream gradient)
against torchvision.ops, with Hypothesis drawing the batch, channels, image size, boxes (inside,
across and outside the image, degenerate, in both of torchvision's box forms), output size,
spatial scale, sampling ratio and alignment, in float32 and float64; ties in roi_pool's maxima
come from inputs drawn from a few values."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torchvision
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg
import tinygrad_edu.vision as tv
from tinygrad_edu.gradcheck import gradcheck

from .harness import DEVICES

EPS = {np.float32: float(np.finfo(np.float32).eps), np.float64: float(np.finfo(np.float64).eps)}


@st.composite
def cases(draw):
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    seed = draw(st.integers(0, 2 ** 16))
    rng = np.random.default_rng(seed)
    ties = draw(st.booleans())
    x = (rng.integers(-2, 3, (n, c, h, w)) if ties else rng.standard_normal((n, c, h, w))).astype(dtype)
    k = draw(st.integers(0, 4))
    corners = rng.uniform(-3, max(h, w) + 3, (k, 4))
    if draw(st.booleans()):  # half-pixel corners: roi_pool rounds halves away from zero
        corners = np.round(corners * 2) / 2
    boxes = np.concatenate([rng.integers(0, n, (k, 1)), np.minimum(corners[:, :2], corners[:, 2:]),
                            np.maximum(corners[:, :2], corners[:, 2:])], axis=1).astype(dtype)
    if k and draw(st.booleans()):
        boxes[0, 3:] = boxes[0, 1:3]  # a box of zero size
    boxes = boxes[np.argsort(boxes[:, 0], kind="stable")]  # by image, so the list form has the same order
    size = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    scale = draw(st.sampled_from([1.0, 0.5, 0.25, 1.5]))
    listed = draw(st.booleans())
    grad = rng.standard_normal((k, c) + size).astype(dtype)
    return x, boxes, size, scale, listed, grad


def box_args(boxes, n, lib):
    """Both of torchvision's forms: Tensor[K, 5], or a list of Tensor[L, 4] per image."""
    return lib.tensor(boxes), [lib.tensor(boxes[boxes[:, 0] == i][:, 1:]) for i in range(n)]


def run(op, x, boxes, listed, grad, args, kwargs, device="cpu"):
    """Both sides' output and input gradient; torch's on ``device`` (its CUDA kernels too)."""
    out = {}
    for name, lib, ops in (("ours", tg, tv.ops), ("torch", torch, torchvision.ops)):
        place = {"device": device} if lib is torch else {}
        whole, per_image = box_args(boxes, x.shape[0], lib)
        if lib is torch:
            whole, per_image = whole.to(device), [b.to(device) for b in per_image]
        xt = lib.tensor(x, requires_grad=True, **place)
        y = getattr(ops, op)(xt, per_image if listed else whole, *args, **kwargs)
        y.backward(lib.tensor(grad, **place))
        out[name] = (y.detach().cpu().numpy() if lib is torch else y.detach().numpy(),
                     xt.grad.cpu().numpy() if lib is torch else xt.grad.numpy())
    return out


@pytest.mark.parametrize("device", DEVICES)
@given(cases())
def test_roi_pool(device, case):
    x, boxes, size, scale, listed, grad = case
    out = run("roi_pool", x, boxes, listed, grad, (size, scale), {}, device)
    # a maximum is one input value and its gradient a sum of upstream values routed to the same
    # pixels in the same order: both are exact
    np.testing.assert_array_equal(out["ours"][0], out["torch"][0])
    np.testing.assert_allclose(out["ours"][1], out["torch"][1], rtol=0, atol=8 * EPS[x.dtype.type] * np.abs(grad).sum())


@pytest.mark.parametrize("device", DEVICES)
@given(cases(), st.sampled_from([-1, 1, 2]), st.booleans())
def test_roi_align(device, case, sampling_ratio, aligned):
    x, boxes, size, scale, listed, grad = case
    out = run("roi_align", x, boxes, listed, grad, (size, scale, sampling_ratio, aligned), {}, device)
    # Each output is a weighted mean (weights in [0, 1] summing to at most 1) of input values,
    # accumulated over up to 4 g_h g_w products by torchvision and over H + W products here:
    # each side rounds each term by eps, so |ours - torch| <= 2 (4 g_h g_w + H + W) eps max|x|;
    # g_h, g_w <= ceil((H + 6) / 1 * 1.5) are bounded by the drawn sizes (at most 21 here).
    # Sample points that land within an ulp of a pixel edge are read from either neighbour, which
    # bilinear interpolation makes continuous, so the same bound holds.
    h, w = x.shape[-2:]
    grid = 21 if sampling_ratio < 0 else sampling_ratio
    terms = 4 * grid * grid + h + w
    bound = 2 * terms * EPS[x.dtype.type]
    np.testing.assert_allclose(out["ours"][0], out["torch"][0], rtol=0, atol=bound * max(1.0, np.abs(x).max()))
    np.testing.assert_allclose(out["ours"][1], out["torch"][1], rtol=0,
                               atol=bound * max(1.0, np.abs(grad).sum()))


def test_gradients_by_finite_differences():
    x = tg.tensor(np.random.default_rng(0).standard_normal((1, 2, 5, 6)), requires_grad=True)
    boxes = tg.tensor([[0, 0.3, 0.7, 4.2, 3.9], [0, 1.0, 1.0, 5.5, 4.5]], dtype=tg.float64)
    assert gradcheck(lambda t: tv.ops.roi_align(t, boxes, (2, 3), 1.0, 2, True), (x,))
    assert gradcheck(lambda t: tv.ops.roi_pool(t, boxes, (2, 2), 1.0), (x,))


def test_the_books_example_and_modules():
    """d2l 14.8: roi_pool of a 4x4 feature map with two regions at spatial_scale 0.1."""
    X = tg.arange(16.).reshape(1, 1, 4, 4)
    rois = tg.Tensor([[0, 0, 0, 20, 20], [0, 0, 10, 30, 30]])
    expected = torchvision.ops.roi_pool(torch.arange(16.).reshape(1, 1, 4, 4),
                                        torch.Tensor([[0, 0, 0, 20, 20], [0, 0, 10, 30, 30]]), (2, 2), 0.1)
    np.testing.assert_array_equal(tv.ops.roi_pool(X, rois, output_size=(2, 2), spatial_scale=0.1).numpy(),
                                  expected.numpy())
    np.testing.assert_array_equal(tv.ops.RoIPool((2, 2), 0.1)(X, rois).numpy(), expected.numpy())
    align = tv.ops.RoIAlign((2, 2), 0.1, 2)(X, rois).numpy()
    np.testing.assert_allclose(align, torchvision.ops.RoIAlign((2, 2), 0.1, 2)(
        torch.arange(16.).reshape(1, 1, 4, 4), torch.Tensor([[0, 0, 0, 20, 20], [0, 0, 10, 30, 30]])).numpy(),
        atol=1e-6)


@pytest.mark.parametrize("boxes, words", [
    (tg.zeros(2, 4), ("roi_pool", "Tensor[K, 5]", "(2, 4)")),
    ([tg.zeros(2, 5)], ("roi_pool", "Tensor[L, 4]", "(2, 5)")),
    (tg.tensor([[3.0, 0, 0, 1, 1]]), ("roi_pool", "batch indices", "[0, 1)")),
    (np.zeros((1, 5)), ("roi_pool", "ndarray")),
])
def test_bad_boxes_are_refused(boxes, words):
    with pytest.raises((ValueError, TypeError)) as info:
        tv.ops.roi_pool(tg.zeros(1, 1, 4, 4), boxes, 2)
    assert all(w in str(info.value) for w in words), str(info.value)
