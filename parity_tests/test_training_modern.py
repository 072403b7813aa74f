"""Whole training runs of d2l's ch. 7 networks on both frameworks: a few SGD steps from identical
weights on identical batches, in train mode (batch statistics, running averages), then eval mode.

float64 makes this a test of the rules, not of rounding: every loss, parameter and running
statistic must agree to 1e-9 relative. Dropout layers are set to p=0 for the comparison (the two
frameworks draw different masks; dropout itself is tested in the op and module tests); batch
norm's train/eval switch is exercised by every model that has it.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import reference
import tinygrad_edu as tg
from tinygrad_edu import d2l
from tinygrad_edu.data import load_sample
from tinygrad_edu.models import build

# (model, input side, batch); the smallest sides the architectures allow keep make test fast.
CASES = [("alexnet", 67, 4), ("vgg11_narrow", 32, 4), ("nin", 67, 4), ("googlenet", 32, 4),
         ("lenet_bn", 28, 8), ("resnet18", 28, 4), ("densenet", 32, 4)]
SLOW = [("vgg11", 32, 2), ("resnet18", 96, 2), ("googlenet", 96, 2)]


def _batches(side, batch, steps=3):
    X, y = load_sample().arrays("train")
    rows = d2l._resize_matrix(28, side).astype(np.float64)
    out = []
    for k in range(steps):
        xb = X[k * batch:(k + 1) * batch].astype(np.float64)
        out.append((rows @ xb @ rows.T, y[k * batch:(k + 1) * batch].astype(np.int64)))
    return out


def _no_dropout(model):
    for m in model.modules():
        if hasattr(m, "p") and type(m).__name__ == "Dropout":
            m.p = 0.0
    return model


def _run(name, side, batch):
    tg.manual_seed(0)
    ours = _no_dropout(build(name, tg.nn, size=side).double())
    theirs = _no_dropout(reference.model_to_torch(ours, name, size=side))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    opt_o = tg.optim.SGD(ours.parameters(), lr=0.05, momentum=0.9)
    opt_t = torch.optim.SGD(theirs.parameters(), lr=0.05, momentum=0.9)
    for X, y in _batches(side, batch):
        losses = []
        for lib, net, opt in ((tg, ours, opt_o), (torch, theirs, opt_t)):
            loss = lib.nn.functional.cross_entropy(net(lib.tensor(X)), lib.tensor(y))
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(float(loss.detach()))
        assert losses[0] == pytest.approx(losses[1], rel=1e-9), name
    so, st_ = ours.state_dict(), theirs.state_dict()
    for k in st_:
        np.testing.assert_allclose(so[k].numpy(), st_[k].numpy(), rtol=1e-8, atol=1e-10, err_msg=f"{name}: {k}")
    ours.eval(), theirs.eval()
    X = _batches(side, batch, 4)[-1][0]
    np.testing.assert_allclose(ours(tg.tensor(X)).detach().numpy(), theirs(torch.tensor(X)).detach().numpy(),
                               rtol=1e-8, atol=1e-10, err_msg=f"{name}: eval mode")


@pytest.mark.parametrize("name,side,batch", CASES, ids=[c[0] for c in CASES])
def test_modern_cnn_trains_like_torch(name, side, batch):
    _run(name, side, batch)


@pytest.mark.slow
@pytest.mark.parametrize("name,side,batch", SLOW, ids=[f"{c[0]}-{c[1]}" for c in SLOW])
def test_modern_cnn_trains_like_torch_at_the_books_sizes(name, side, batch):
    _run(name, side, batch)


def test_inputs_too_small_are_refused_clearly():
    for name, side in (("alexnet", 28), ("nin", 28), ("densenet", 28), ("vgg11", 16)):
        with pytest.raises(ValueError, match=f"{side}x{side} is too small"):
            build(name, tg.nn, size=side)
