"""Lazy layers side by side with torch's (nn/lazy.py): uninitialized parameters listed and
accepted before the first call, materialized in place at it (the optimizer built before trains
the same objects), the layer becoming its ordinary class, state dicts before and after,
load_state_dict into a lazy layer, deepcopy, dtype casts, and the errors."""
from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
import torch

import tinygrad_edu as tg

LAYERS = [
    ("linear", lambda nn: nn.LazyLinear(3), (4, 5), "Linear"),
    ("conv", lambda nn: nn.LazyConv2d(4, 3, padding=1), (2, 3, 5, 5), "Conv2d"),
    ("batchnorm2d", lambda nn: nn.LazyBatchNorm2d(), (4, 3, 2, 2), "BatchNorm2d"),
    ("batchnorm1d", lambda nn: nn.LazyBatchNorm1d(momentum=None), (6, 3), "BatchNorm1d"),
]


def _pair(make: Any) -> tuple[Any, Any]:
    return make(tg.nn), make(torch.nn)


@pytest.mark.parametrize("name, make, shape, becomes", LAYERS, ids=[x[0] for x in LAYERS])
def test_before_the_first_call_the_uninitialized_parameters_are_listed_as_torch_lists_them(name, make, shape, becomes):
    ours, theirs = _pair(make)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    kinds = [type(v).__name__ for v in ours.state_dict().values()]
    assert kinds == [type(v).__name__ for v in theirs.state_dict().values()]
    assert repr(ours) == repr(theirs).replace("torch.", "")
    for p, q in zip(ours.parameters(), theirs.parameters()):
        assert p.data.numel() == q.data.numel() == 0 and p.requires_grad and p.grad is None
        p.data.normal_(0, 0.01)  # d2l's LinearRegression does this right after nn.LazyLinear(1)
        with pytest.raises(RuntimeError, match="Can't access the shape"):
            _ = p.shape
        with pytest.raises(ValueError, match="uninitialized parameter"):
            p + 1
        with pytest.raises(ValueError, match="uninitialized parameter"):
            p.sum()


@pytest.mark.parametrize("name, make, shape, becomes", LAYERS, ids=[x[0] for x in LAYERS])
def test_the_first_call_materializes_in_place_and_an_earlier_optimizer_trains_them(name, make, shape, becomes):
    ours, theirs = (m.double() for m in _pair(make))  # float64: the comparison below is exact to 1e-9
    before = {n: p for n, p in ours.named_parameters()}
    opt_ours = tg.optim.SGD(ours.parameters(), lr=0.01, momentum=0.9)
    opt_theirs = torch.optim.SGD(theirs.parameters(), lr=0.01, momentum=0.9)
    x = np.random.default_rng(0).standard_normal(shape)
    ours(tg.tensor(x)), theirs(torch.tensor(x))
    assert type(ours).__name__ == type(theirs).__name__ == becomes and type(ours) is getattr(tg.nn, becomes)
    assert all(before[n] is p and type(p) is tg.nn.Parameter for n, p in ours.named_parameters())
    ours.load_state_dict({k: tg.tensor(v.numpy()) for k, v in theirs.state_dict().items()})  # same start
    for _ in range(3):
        for model, opt, lib in ((ours, opt_ours, tg), (theirs, opt_theirs, torch)):
            opt.zero_grad()
            y = model(lib.tensor(x))
            (y * y).sum().backward()
            opt.step()
    for (n, p), (m, q) in zip(ours.state_dict().items(), theirs.state_dict().items()):
        assert n == m
        assert p.dtype == np.float64 or n == "num_batches_tracked"
        np.testing.assert_allclose(p.numpy(), q.numpy(), rtol=1e-9, atol=1e-12, err_msg=n)
    assert all(id(p) in {id(q) for q in opt_ours.state} for p in ours.parameters())


def test_load_state_dict_into_a_lazy_layer_takes_the_shapes_and_deepcopy_keeps_it_lazy():
    source = torch.nn.Linear(2, 3)
    ours, theirs = _pair(lambda nn: nn.LazyLinear(3))
    twin = copy.deepcopy(ours)
    ours.load_state_dict({k: tg.tensor(v.detach().numpy()) for k, v in source.state_dict().items()})
    theirs.load_state_dict(source.state_dict())
    assert ours.weight.shape == tuple(theirs.weight.shape) == (3, 2)
    assert twin.has_uninitialized_params() and type(twin.weight).__name__ == "UninitializedParameter"
    x = np.ones((1, 2), np.float32)
    np.testing.assert_allclose(ours(tg.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-6)
    twin(tg.ones(1, 7))
    assert twin.weight.shape == (3, 7) and ours.weight.shape == (3, 2)


def test_apply_after_a_dry_run_finds_the_ordinary_class_as_d2l_uses_it():
    """d2l 1.0: ``model.apply_init([X], init_cnn)`` runs a dry batch, then ``net.apply`` with
    ``type(module) == nn.Linear`` checks."""
    def ordinary_layers(net: Any, lib: Any) -> int:
        seen: list[bool] = []
        net.apply(lambda m: seen.append(type(m) in (lib.nn.Linear, lib.nn.Conv2d)))
        return sum(seen)

    for lib in (tg, torch):
        net = lib.nn.Sequential(lib.nn.LazyConv2d(2, 3), lib.nn.Flatten(), lib.nn.LazyLinear(4))
        assert ordinary_layers(net, lib) == 0
        net(lib.ones(1, 1, 5, 5))
        assert ordinary_layers(net, lib) == 2


def test_dtype_cast_before_the_first_call_carries_over():
    for lib in (tg, torch):
        m = lib.nn.LazyLinear(2).double()
        m(lib.ones(1, 3, dtype=lib.float64))
        assert str(m.weight.dtype).endswith("float64")


def test_a_second_input_size_gets_the_ordinary_layer_s_error():
    for lib in (tg, torch):
        m = lib.nn.LazyLinear(3)
        m(lib.ones(2, 4))
        with pytest.raises(RuntimeError):
            m(lib.ones(2, 5))
