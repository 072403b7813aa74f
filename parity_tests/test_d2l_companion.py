"""The companion (``tinygrad_edu.d2l``) against the book's own helpers: the ``d2l`` package's torch
module (0.17.6, the edition whose helpers the companion follows), run on torch with the same
inputs. The chapter tests run the companion on both frameworks, so they check the framework under
the book's code; a bug in a companion helper would sit on both sides there, and is caught here.
Inputs are drawn so that the boundaries show: tied scores, sizes that divide, offsets at 0."""
from __future__ import annotations

import random

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg
from tinygrad_edu import d2l


@pytest.fixture(scope="module")
def book():
    from d2l import torch as book_d2l
    return book_d2l


scores = hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 5)),
                    elements=st.integers(0, 3).map(float))  # small integers: ties are common


@given(scores, st.data())
def test_accuracy_counts_ties_as_the_book_does(book, y_hat, data):
    y = data.draw(hnp.arrays(np.int64, (len(y_hat),), elements=st.integers(0, y_hat.shape[1] - 1)))
    assert d2l.accuracy(tg.tensor(y_hat), tg.tensor(y)) == book.accuracy(torch.tensor(y_hat), torch.tensor(y))


@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_corr2d_matches_the_book(book, kh, kw, data):
    X = data.draw(hnp.arrays(np.float64, (kh + data.draw(st.integers(0, 3)), kw + data.draw(st.integers(0, 3))),
                             elements=st.floats(-2, 2)))
    K = data.draw(hnp.arrays(np.float64, (kh, kw), elements=st.floats(-2, 2)))
    np.testing.assert_allclose(d2l.corr2d(tg.tensor(X), tg.tensor(K)).numpy(),
                               book.corr2d(torch.tensor(X), torch.tensor(K)).numpy(), rtol=1e-12, atol=1e-12)


@given(st.integers(2, 24), st.integers(1, 6), st.integers(1, 5), st.booleans(), st.integers(0, 3))
def test_sequence_iterators_match_the_book(book, n, batch_size, num_steps, sequential, seed):
    corpus = list(range(100, 100 + n * 3))
    fn = "seq_data_iter_sequential" if sequential else "seq_data_iter_random"
    random.seed(seed)
    ours = [(X.numpy().tolist(), Y.numpy().tolist()) for X, Y in getattr(d2l, fn)(corpus, batch_size, num_steps)]
    random.seed(seed)
    theirs = [(X.numpy().tolist(), Y.numpy().tolist()) for X, Y in getattr(book, fn)(corpus, batch_size, num_steps)]
    assert ours == theirs


@given(st.lists(st.sampled_from(["the", "time", "machine", "a", "b", "time"]), min_size=1, max_size=30),
       st.integers(0, 3))
def test_vocab_matches_the_book(book, tokens, min_freq):
    ours, theirs = d2l.Vocab(tokens, min_freq=min_freq), book.Vocab(tokens, min_freq=min_freq)
    assert len(ours) == len(theirs) and ours.idx_to_token == theirs.idx_to_token
    assert ours[tokens] == theirs[tokens] and ours.to_tokens(list(range(len(ours)))) == theirs.to_tokens(
        list(range(len(theirs))))


boxes = hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.just(4)), elements=st.integers(0, 8).map(lambda v: v / 8))


@given(boxes, boxes)
def test_box_conversions_and_offsets_match_the_book(book, a, b):
    a = np.concatenate([np.minimum(a[:, :2], a[:, 2:]), np.maximum(a[:, :2], a[:, 2:]) + 0.125], axis=1)
    b = np.concatenate([np.minimum(b[:, :2], b[:, 2:]), np.maximum(b[:, :2], b[:, 2:]) + 0.125], axis=1)[:len(a)]
    a = a[:len(b)]
    for name in ("box_corner_to_center", "box_center_to_corner"):
        np.testing.assert_allclose(getattr(d2l, name)(tg.tensor(a)).numpy(), getattr(book, name)(torch.tensor(a)).numpy(),
                                   rtol=1e-12, atol=1e-12, err_msg=name)
    np.testing.assert_allclose(d2l.offset_boxes(tg.tensor(a), tg.tensor(b)).numpy(),
                               book.offset_boxes(torch.tensor(a), torch.tensor(b)).numpy(), rtol=1e-9, atol=1e-9)
    offsets = (b - a) / 4
    np.testing.assert_allclose(d2l.offset_inverse(tg.tensor(a), tg.tensor(offsets)).numpy(),
                               book.offset_inverse(torch.tensor(a), torch.tensor(offsets)).numpy(), rtol=1e-9, atol=1e-9)


@given(boxes, boxes, st.just(0.5))
def test_anchor_assignment_matches_the_book(book, truth, anchors, threshold):
    """At the book's threshold, 0.5: the book's function compares with 0.5 whatever its
    iou_threshold argument says; the companion honours the argument (the only difference)."""
    def fix(x):
        return np.concatenate([np.minimum(x[:, :2], x[:, 2:]), np.maximum(x[:, :2], x[:, 2:]) + 0.125], axis=1)
    truth, anchors = fix(truth), fix(anchors)
    ours = d2l.assign_anchor_to_bbox(tg.tensor(truth), tg.tensor(anchors), "cpu", threshold).numpy()
    theirs = book.assign_anchor_to_bbox(torch.tensor(truth), torch.tensor(anchors), "cpu", threshold).numpy()
    iou = book.box_iou(torch.tensor(anchors), torch.tensor(truth)).numpy()
    if len(np.unique(iou)) < iou.size:
        return  # tied IoUs: the book's argmax does not promise which of the tied boxes it picks
    np.testing.assert_array_equal(ours, theirs)


def _linear_net(lib, weights):
    net = lib.nn.Sequential(lib.nn.Flatten(), lib.nn.Linear(6, 3)).double()
    with lib.no_grad():
        net[1].weight.copy_(lib.tensor(weights[0]))
        net[1].bias.copy_(lib.tensor(weights[1]))
    return net


@given(st.integers(1, 4), st.integers(1, 5), st.sampled_from([0.05, 0.5]), st.integers(0, 5))
def test_train_epoch_ch3_and_evaluate_accuracy_match_the_book(book, batches, batch_size, lr, seed):
    """One epoch of the companion's train_epoch_ch3 (SGD through a torch-style optimizer, and
    d2l's own sgd updater) against the book's, from the same weights on the same batches."""
    rng = np.random.default_rng(seed)
    weights = (rng.standard_normal((3, 6)) * 0.3, rng.standard_normal(3) * 0.1)
    data = [(rng.standard_normal((batch_size, 2, 3)), rng.integers(0, 3, batch_size)) for _ in range(batches)]
    results = []
    for lib, companion in ((tg, d2l), (torch, book)):
        net = _linear_net(lib, weights)
        loss = lib.nn.CrossEntropyLoss(reduction="none")
        updater = lib.optim.SGD(net.parameters(), lr=lr)
        it = [(lib.tensor(X), lib.tensor(y)) for X, y in data]
        epoch = companion.train_epoch_ch3(net, it, loss, updater)
        results.append((epoch, companion.evaluate_accuracy(net, it), net[1].weight.detach().numpy().copy()))
    (ours, ours_acc, w), (theirs, theirs_acc, tw) = results
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    assert ours_acc == theirs_acc
    np.testing.assert_allclose(w, tw, rtol=1e-12, atol=1e-14)


@given(st.floats(0.01, 10), st.integers(0, 3))
def test_grad_clipping_and_sgd_match_the_book(book, theta, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal((3, 2)) * 3, rng.standard_normal(2)]
    grads = [rng.standard_normal(a.shape) * rng.choice([0.1, 10]) for a in arrays]
    results = []
    for lib, companion in ((tg, d2l), (torch, book)):
        params = [lib.tensor(a, requires_grad=True) for a in arrays]
        for p, g in zip(params, grads):
            p.grad = lib.tensor(g)
        net = type("Scratch", (), {"params": params})()  # the book's scratch models expose .params
        companion.grad_clipping(net, theta)
        companion.sgd(params, 0.1, 4)
        results.append([p.detach().numpy().copy() for p in params])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
