"""Batch, layer and group normalisation beyond the op rows: the fused gradient against the same
computation composed from primitives, and the layers (running statistics, momentum, eval mode,
state dicts) against torch over several training steps."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F


@given(hnp.array_shapes(min_dims=2, max_dims=4, min_side=2, max_side=4), st.integers(0, 2**31 - 1),
       st.sampled_from(["none", "weight", "bias", "both"]))
def test_fused_batch_norm_gradient_equals_the_composed_one(shape, seed, affine):
    """The fused ops' gradients (ops/norm.py: Normalize's three-term gradient, and BatchNorm with
    the scale and shift inside) against autograd through sub, mul, mean, sqrt, div and add: the
    same function, so float64 results, and the gradients of x, weight and bias, agree to rounding."""
    rng = np.random.default_rng(seed)
    c = shape[1]
    x, g = rng.normal(size=shape), rng.normal(size=shape)
    w, b = rng.normal(size=c), rng.normal(size=c)
    axes = (0,) + tuple(range(2, len(shape)))
    results = []
    for fused in (True, False):
        xt = tg.tensor(x, requires_grad=True)
        wt = tg.tensor(w, requires_grad=True) if affine in ("weight", "both") else None
        bt = tg.tensor(b, requires_grad=True) if affine in ("bias", "both") else None
        if fused:
            y = F.batch_norm(xt, None, None, wt, bt, training=True, eps=1e-5)
        else:
            mean = xt.mean(dim=axes, keepdim=True)
            var = ((xt - mean) ** 2).mean(dim=axes, keepdim=True)
            y = (xt - mean) / (var + 1e-5).sqrt()
            cshape = (1, c) + (1,) * (len(shape) - 2)
            y = y * wt.reshape(cshape) if wt is not None else y
            y = y + bt.reshape(cshape) if bt is not None else y
        y.backward(tg.tensor(g))
        results.append([y.detach().numpy()] + [t.grad.numpy() for t in (xt, wt, bt) if t is not None])
    for name, a, e in zip(["y", "x", "weight or bias", "bias"], *results):
        np.testing.assert_allclose(a, e, rtol=1e-9, atol=1e-11, err_msg=f"{name} ({affine})")


CONFIGS = [
    ("BatchNorm2d", (6, 3, 4, 5), {}),
    ("BatchNorm2d", (2, 4, 3, 3), {"momentum": None}),
    ("BatchNorm2d", (3, 2, 2, 2), {"affine": False, "momentum": 0.3}),
    ("BatchNorm2d", (4, 3, 2, 2), {"track_running_stats": False}),
    ("BatchNorm1d", (8, 5), {"eps": 1e-3}),
    ("BatchNorm1d", (4, 3, 7), {"momentum": None}),
    ("BatchNorm1d", (2, 3), {}),
]


@pytest.mark.parametrize("name,shape,kwargs", CONFIGS, ids=[f"{n}-{s}-{k}" for n, s, k in CONFIGS])
def test_batch_norm_layer_trains_like_torch(name, shape, kwargs):
    rng = np.random.default_rng(0)
    c = shape[1]
    ours, theirs = getattr(tg.nn, name)(c, **kwargs).double(), getattr(torch.nn, name)(c, **kwargs).double()
    if ours.affine:
        w, b = rng.normal(size=c), rng.normal(size=c)
        ours.load_state_dict({**ours.state_dict(), "weight": tg.tensor(w), "bias": tg.tensor(b)})
        with torch.no_grad():
            theirs.weight.copy_(torch.tensor(w))
            theirs.bias.copy_(torch.tensor(b))
    opt_o, opt_t = (tg.optim.SGD(ours.parameters(), lr=0.1), torch.optim.SGD(theirs.parameters(), lr=0.1)) \
        if ours.affine else (None, None)
    for step in range(4):
        x = rng.normal(loc=step, scale=1 + step, size=shape)
        g = rng.normal(size=shape)
        xo, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        yo, yt = ours(xo), theirs(xt)
        np.testing.assert_allclose(yo.detach().numpy(), yt.detach().numpy(), rtol=1e-10, atol=1e-12)
        yo.backward(tg.tensor(g))
        yt.backward(torch.tensor(g))
        np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-9, atol=1e-12)
        if opt_o:
            opt_o.step(), opt_t.step(), opt_o.zero_grad(), opt_t.zero_grad()
    so, st_ = ours.state_dict(), theirs.state_dict()
    assert list(so) == list(st_)
    for k in st_:
        np.testing.assert_allclose(so[k].numpy(), st_[k].numpy(), rtol=1e-12, atol=1e-12, err_msg=k)
    ours.eval(), theirs.eval()
    x = rng.normal(size=shape)
    xo, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo), theirs(xt)
    np.testing.assert_allclose(yo.detach().numpy(), yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    yo.sum().backward(), yt.sum().backward()
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("make,shape", [
    (lambda nn: nn.LazyBatchNorm2d(), (2, 5, 3, 3)), (lambda nn: nn.LazyBatchNorm1d(momentum=None), (4, 6)),
    (lambda nn: nn.LayerNorm([3, 4]), (2, 3, 4)), (lambda nn: nn.GroupNorm(2, 4), (2, 4, 3, 3)),
], ids=["lazy2d", "lazy1d", "layer", "group"])
def test_other_norm_layers_match_torch(make, shape):
    x = np.random.default_rng(1).normal(size=shape).astype(np.float32)
    out = {}
    for lib in (tg, torch):
        m = make(lib.nn)
        y = m(lib.tensor(x))
        out[lib.__name__] = (y.detach().numpy(), [(k, tuple(v.shape)) for k, v in m.state_dict().items()])
    np.testing.assert_allclose(out["tinygrad_edu"][0], out["torch"][0], rtol=1e-5, atol=1e-5)
    assert out["tinygrad_edu"][1] == out["torch"][1]


def test_batch_norm_refuses_one_value_per_channel_and_changes_nothing():
    for lib in (tg, torch):
        bn = lib.nn.BatchNorm1d(3)
        with pytest.raises(ValueError, match="more than 1 value per channel"):
            bn(lib.ones(1, 3))
    # torch counts the refused batch in num_batches_tracked before raising; here nothing changes.
    assert int(bn.num_batches_tracked) == 1
    ours = tg.nn.BatchNorm1d(3)
    with pytest.raises(ValueError):
        ours(tg.ones(1, 3))
    assert int(ours.num_batches_tracked) == 0 and float(ours.running_var.sum()) == 3.0
