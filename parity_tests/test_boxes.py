"""d2l ch. 14's boxes and anchors (tinygrad_edu.d2l): box_iou and nms against torchvision.ops on
Hypothesis-drawn boxes (identical boxes, zero-area boxes, tied scores), and the anchor functions
against the book's own code: the ``d2l`` package's torch module (0.17.6, the edition whose helpers
the companion follows), never against the companion's own source run on torch, which would carry
any bug of ours to both sides."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torchvision
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg
from tinygrad_edu import d2l


def _book():
    """The book's d2l.torch (installed by make install, without its pinned dependencies)."""
    from d2l import torch as book
    return book


@st.composite
def boxes(draw, max_n: int = 6, min_n: int = 0) -> np.ndarray:
    """Corner boxes on a coarse grid (so that identical, touching and zero-area boxes are common)."""
    n = draw(st.integers(min_n, max_n))
    corners = draw(hnp.arrays(np.float32, (n, 4), elements=st.integers(0, 8).map(lambda v: v / 8)))
    x1, x2 = np.minimum(corners[:, 0], corners[:, 2]), np.maximum(corners[:, 0], corners[:, 2])
    y1, y2 = np.minimum(corners[:, 1], corners[:, 3]), np.maximum(corners[:, 1], corners[:, 3])
    out = np.stack([x1, y1, x2, y2], axis=1).astype(np.float32)
    if n > 1 and draw(st.booleans()):
        out[-1] = out[0]  # an identical pair
    return out


@given(boxes(), boxes())
def test_box_iou_matches_torchvision(a, b):
    ours = d2l.box_iou(tg.tensor(a), tg.tensor(b)).numpy()
    theirs = torchvision.ops.box_iou(torch.tensor(a), torch.tensor(b)).numpy()
    assert ours.shape == theirs.shape == (len(a), len(b))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7, equal_nan=True)  # 0/0 for two empty boxes


@given(boxes(min_n=1), st.data(), st.sampled_from([0.0, 0.3, 0.5, 0.7, 1.0]))
def test_nms_matches_torchvision(b, data, threshold):
    keep_area = (b[:, 2] > b[:, 0]) & (b[:, 3] > b[:, 1])  # torchvision and d2l differ on 0/0 IoUs
    b = b[keep_area] if keep_area.any() else b[:0]
    if len(b) == 0:
        return
    scores = data.draw(hnp.arrays(np.float32, (len(b),), elements=st.integers(0, 5).map(lambda v: v / 5)))
    iou = torchvision.ops.box_iou(torch.tensor(b), torch.tensor(b)).double().numpy()
    if np.any(np.abs(iou - threshold) < 1e-6):
        # an IoU that rounds onto the threshold (0.140625 / 0.46875 = 0.3 in float32): torchvision
        # compares the float IoU with the threshold as a double, torch's (and the book's) tensor
        # comparison with it as a float32, so they part exactly there; neither is wrong
        return
    ours = d2l.nms(tg.tensor(b), tg.tensor(scores), threshold).numpy()
    # Ties: ours keeps the lower index first (a stable sort). torchvision does not promise an order
    # for ties, so its scores get a tie-break below the grid's resolution that encodes the same rule.
    tie_break = scores - np.arange(len(b), dtype=np.float32) * 1e-5
    theirs = torchvision.ops.nms(torch.tensor(b), torch.tensor(tie_break), threshold).numpy()
    assert ours.tolist() == theirs.tolist()


@given(st.integers(1, 6), st.integers(1, 6), st.lists(st.sampled_from([0.75, 0.5, 0.25, 0.1]), min_size=1, max_size=3),
       st.lists(st.sampled_from([1.0, 2.0, 0.5, 3.0]), min_size=1, max_size=3))
def test_multibox_prior_matches_the_books_code(h, w, sizes, ratios):
    theirs_d2l = _book()
    img = np.zeros((1, 3, h, w), np.float32)
    ours = d2l.multibox_prior(tg.tensor(img), sizes=sizes, ratios=ratios).numpy()
    theirs = theirs_d2l.multibox_prior(torch.tensor(img), sizes=sizes, ratios=ratios).numpy()
    assert ours.shape == theirs.shape == (1, h * w * (len(sizes) + len(ratios) - 1), 4)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)


@given(boxes(min_n=1, max_n=8), boxes(min_n=1, max_n=3), st.data())
def test_multibox_target_and_detection_match_the_books_code(anchors, truth, data):
    theirs_d2l = _book()
    classes = data.draw(hnp.arrays(np.float32, (len(truth), 1), elements=st.integers(0, 2).map(float)))
    labels = np.concatenate([classes, truth], axis=1)[None]
    a = anchors[None]
    ours = d2l.multibox_target(tg.tensor(a), tg.tensor(labels))
    theirs = theirs_d2l.multibox_target(torch.tensor(a), torch.tensor(labels))
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-5, atol=1e-5, equal_nan=True)
    n = len(anchors)
    probs = data.draw(hnp.arrays(np.float32, (1, 3, n), elements=st.integers(0, 10).map(lambda v: v / 10)))
    offsets = data.draw(hnp.arrays(np.float32, (1, 4 * n), elements=st.floats(-1, 1, width=32)))
    ok = (anchors[:, 2] > anchors[:, 0]) & (anchors[:, 3] > anchors[:, 1])
    if not ok.all():
        return  # zero-area anchors give 0/0 IoUs, where the suppression order is arbitrary
    conf = probs[0, 1:].max(axis=0)
    if len(set(conf.tolist())) < len(conf):
        return  # tied confidences: torch's argsort does not promise an order for them
    ours = d2l.multibox_detection(tg.tensor(probs), tg.tensor(offsets), tg.tensor(a)).numpy()
    theirs = theirs_d2l.multibox_detection(torch.tensor(probs), torch.tensor(offsets), torch.tensor(a)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("call, words", [
    (lambda: d2l.box_iou(tg.tensor([[0.5, 0.0, 0.2, 1.0]]), tg.ones(1, 4)), ("box_iou", "boxes1[0]", "x_max < x_min")),
    (lambda: d2l.box_iou(tg.ones(2, 3), tg.ones(1, 4)), ("box_iou", "(n, 4)", "(2, 3)")),
    (lambda: d2l.nms(tg.tensor([[0.0, 0.0, 1.0, 1.0]]), tg.tensor([0.5, 0.2]), 0.5), ("nms", "one per box")),
    (lambda: d2l.multibox_prior(tg.zeros(1, 1, 4, 4), sizes=[], ratios=[1.0]), ("multibox_prior", "non-empty")),
    (lambda: d2l.multibox_target(tg.zeros(2, 5, 4), tg.zeros(2, 1, 5)), ("multibox_target", "(1, n, 4)", "batch of 2")),
    (lambda: d2l.multibox_target(tg.zeros(1, 5, 4), tg.zeros(2, 1, 4)), ("multibox_target", "(batch, boxes, 5)")),
    (lambda: d2l.multibox_detection(tg.zeros(1, 3, 4), tg.zeros(1, 12), tg.zeros(1, 4, 4)), ("multibox_detection",)),
    (lambda: d2l.multibox_target(tg.zeros(1, 5, 4), tg.zeros(1, 0, 5)), ("multibox_target", "0 boxes", "(1, 0, 5)")),
])
def test_bad_boxes_raise_a_clear_error(call, words):
    with pytest.raises(ValueError) as info:
        call()
    assert all(w in str(info.value) for w in words), str(info.value)


def test_empty_box_lists_give_empty_answers_as_torchvision():
    assert tuple(d2l.box_iou(tg.zeros(0, 4), tg.ones(1, 4)).shape) == tuple(
        torchvision.ops.box_iou(torch.zeros(0, 4), torch.ones(1, 4)).shape) == (0, 1)
    ours, theirs = d2l.nms(tg.zeros(0, 4), tg.zeros(0), 0.5), torchvision.ops.nms(torch.zeros(0, 4), torch.zeros(0), 0.5)
    assert ours.shape == tuple(theirs.shape) == (0,) and str(ours.dtype) == "int64" and theirs.dtype == torch.int64
