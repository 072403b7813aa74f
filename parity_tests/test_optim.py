"""SGD: torch's update rule (plain, momentum, dampening, weight decay, nesterov, maximize, parameter
groups), its errors, zero_grad and state_dict round trips."""
import numpy as np
import pytest
import torch

import tinygrad_edu as tg

CONFIGS = [
    {}, {"momentum": 0.9}, {"momentum": 0.5, "dampening": 0.3}, {"weight_decay": 0.1},
    {"momentum": 0.9, "nesterov": True}, {"maximize": True, "momentum": 0.2, "weight_decay": 0.05},
]


def _pair(seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    w, b = rng.standard_normal((3, 4)).astype(dtype), rng.standard_normal(3).astype(dtype)
    return ([tg.tensor(w, requires_grad=True), tg.tensor(b, requires_grad=True)],
            [torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True)])


def _loss(lib, params, x):
    w, b = params
    return ((x @ w.T + b).tanh() ** 2).sum()


@pytest.mark.parametrize("cfg", CONFIGS, ids=[str(c) for c in CONFIGS])
def test_sgd_matches_torch_step_by_step(cfg):
    ours, theirs = _pair()
    o, t = tg.optim.SGD(ours, lr=0.1, **cfg), torch.optim.SGD(theirs, lr=0.1, **cfg)
    x = np.random.default_rng(1).standard_normal((5, 4))
    for _ in range(5):
        for opt, lib, params in ((o, tg, ours), (t, torch, theirs)):
            opt.zero_grad()
            _loss(lib, params, lib.tensor(x)).backward()
            opt.step()
        for p, q in zip(ours, theirs):
            np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-12, atol=1e-12)


def test_parameter_groups_with_their_own_lr():
    ours, theirs = _pair()
    o = tg.optim.SGD([{"params": [ours[0]]}, {"params": [ours[1]], "lr": 0.5}], lr=0.1, momentum=0.9)
    t = torch.optim.SGD([{"params": [theirs[0]]}, {"params": [theirs[1]], "lr": 0.5}], lr=0.1, momentum=0.9)
    x = np.ones((2, 4))
    for opt, lib, params in ((o, tg, ours), (t, torch, theirs)):
        for _ in range(3):
            opt.zero_grad()
            _loss(lib, params, lib.tensor(x)).backward()
            opt.step()
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-12)


@pytest.mark.parametrize("kwargs,match", [
    ({"lr": -0.1}, "lr"), ({"lr": 0.1, "momentum": -1}, "momentum"), ({"lr": 0.1, "weight_decay": -1}, "weight decay"),
    ({"lr": 0.1, "nesterov": True}, "Nesterov"), ({"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True}, "Nesterov"),
])
def test_invalid_hyperparameters_raise_like_torch(kwargs, match):
    with pytest.raises(ValueError, match=match):
        tg.optim.SGD([tg.zeros(2, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError):
        torch.optim.SGD([torch.zeros(2, requires_grad=True)], **kwargs)


def test_zero_grad_and_skipping_params_without_grad():
    ours, _ = _pair()
    opt = tg.optim.SGD(ours, lr=0.1)
    before = ours[1].detach().numpy().copy()
    (ours[0] * 2).sum().backward()
    opt.step()
    np.testing.assert_array_equal(ours[1].detach().numpy(), before)  # no grad: unchanged
    opt.zero_grad(set_to_none=False)
    assert not ours[0].grad.numpy().any()
    opt.zero_grad()
    assert ours[0].grad is None


def test_state_dict_round_trip_continues_identically():
    x = tg.tensor(np.random.default_rng(2).standard_normal((5, 4)))
    a, _ = _pair()
    b, _ = _pair()
    oa = tg.optim.SGD(a, lr=0.05, momentum=0.9, nesterov=True)
    for _ in range(3):
        oa.zero_grad()
        _loss(tg, a, x).backward()
        oa.step()
    for p, q in zip(b, a):
        p.data.copy_(q.detach())
    ob = tg.optim.SGD(b, lr=1.0)
    ob.load_state_dict(oa.state_dict())
    assert ob.param_groups[0]["lr"] == 0.05 and ob.param_groups[0]["nesterov"]
    for opt, params in ((oa, a), (ob, b)):
        opt.zero_grad()
        _loss(tg, params, x).backward()
        opt.step()
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())


def test_load_state_dict_rejects_mismatches_and_changes_nothing():
    ours, _ = _pair()
    opt = tg.optim.SGD(ours, lr=0.1, momentum=0.9)
    sd = opt.state_dict()
    with pytest.raises(ValueError, match="groups"):
        opt.load_state_dict({"state": {}, "param_groups": []})
    bad = {"state": {0: {"momentum_buffer": np.zeros(7)}}, "param_groups": sd["param_groups"]}
    with pytest.raises(ValueError, match="momentum_buffer of shape"):
        opt.load_state_dict(bad)
    assert opt.param_groups[0]["lr"] == 0.1 and opt.state == {}
