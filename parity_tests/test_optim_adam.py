"""Adam, AdamW, the Optimizer base class users subclass, and the learning-rate schedulers, each
against torch step by step (float64, so any difference in the rule shows, not rounding)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg

from .test_optim import _loss, _pair

ADAM_CONFIGS = [
    {}, {"betas": (0.8, 0.9)}, {"weight_decay": 0.1}, {"amsgrad": True}, {"maximize": True, "eps": 1e-3},
    {"weight_decay": 0.05, "amsgrad": True, "betas": (0.5, 0.99)},
    # beta1 < 0.5: the first moment's lerp weight 1 - beta1 is above 0.5, where torch's lerp switches
    # to its second form (end - (end - start)(1 - w)); 0.5 itself gives both forms the same numbers
    {"betas": (0.3, 0.999)}, {"betas": (0.0, 0.9), "amsgrad": True},
]


def _run(opt_ours, opt_theirs, ours, theirs, steps=6, x_seed=1, dtype=np.float64):
    x = np.random.default_rng(x_seed).standard_normal((5, 4)).astype(dtype)
    for _ in range(steps):
        for opt, lib, params in ((opt_ours, tg, ours), (opt_theirs, torch, theirs)):
            opt.zero_grad()
            _loss(lib, params, lib.tensor(x)).backward()
            opt.step()


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
@pytest.mark.parametrize("cfg", ADAM_CONFIGS, ids=[str(c) for c in ADAM_CONFIGS])
def test_adam_matches_torch_step_by_step(name, cfg):
    ours, theirs = _pair()
    o = getattr(tg.optim, name)(ours, lr=0.05, **cfg)
    t = getattr(torch.optim, name)(theirs, lr=0.05, **cfg)
    _run(o, t, ours, theirs)
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-12, atol=1e-13)
    for s_ours, s_theirs in zip([o.state[p] for p in ours], [t.state[p] for p in theirs]):
        np.testing.assert_allclose(s_ours["exp_avg_sq"], s_theirs["exp_avg_sq"].numpy(), rtol=1e-12, atol=1e-15)
        assert s_ours["step"] == float(s_theirs["step"])


def test_adam_float32_stays_float32_and_matches():
    ours, theirs = _pair(dtype=np.float32)
    o, t = tg.optim.Adam(ours, lr=0.01), torch.optim.Adam(theirs, lr=0.01)
    _run(o, t, ours, theirs, dtype=np.float32)
    for p, q in zip(ours, theirs):
        assert p.dtype == np.float32
        # float32: 6 steps of a rule with a division by sqrt(v) ~ |g|; a few ulps per step.
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_adam_state_dict_round_trip_continues_identically():
    a, _ = _pair()
    b, _ = _pair()
    oa = tg.optim.Adam(a, lr=0.05, amsgrad=True)
    x = tg.tensor(np.ones((2, 4)))
    for _ in range(3):
        oa.zero_grad()
        _loss(tg, a, x).backward()
        oa.step()
    for p, q in zip(b, a):
        p.data.copy_(q.detach())
    ob = tg.optim.Adam(b, lr=1.0)
    ob.load_state_dict(oa.state_dict())
    for opt, params in ((oa, a), (ob, b)):
        opt.zero_grad()
        _loss(tg, params, x).backward()
        opt.step()
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())


@pytest.mark.parametrize("kwargs,match", [
    ({"lr": -1.0}, "learning rate"), ({"betas": (1.0, 0.9)}, "beta parameter at index 0"),
    ({"betas": (0.9, -0.1)}, "beta parameter at index 1"), ({"eps": -1.0}, "epsilon"),
    ({"weight_decay": -0.1}, "weight_decay"),
])
def test_adam_rejects_what_torch_rejects(kwargs, match):
    ours, theirs = _pair()
    with pytest.raises(ValueError, match=match):
        tg.optim.Adam(ours, **kwargs)
    with pytest.raises(ValueError):
        torch.optim.Adam(theirs, **kwargs)


def test_user_optimizer_subclass_works_like_torch():
    """The book's readers write their own optimiser on the base class; the same class body runs
    on both frameworks and gives the same parameters."""
    def make(lib):
        class PlainSGD(lib.optim.Optimizer):
            def __init__(self, params, lr=0.1):
                super().__init__(params, {"lr": lr})

            def step(self, closure=None):
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is None:
                            continue
                        self.state[p]["steps"] = self.state[p].get("steps", 0) + 1
                        with lib.no_grad():
                            p -= group["lr"] * p.grad
        return PlainSGD
    ours, theirs = _pair()
    o, t = make(tg)(ours), make(torch)(theirs)
    _run(o, t, ours, theirs, steps=3)
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-12, atol=1e-13)
    assert o.state[ours[0]]["steps"] == 3 and o.state_dict()["state"][0]["steps"] == 3
    o.add_param_group({"params": [tg.zeros(2, requires_grad=True)], "lr": 0.3})
    assert len(o.param_groups) == 2 and o.param_groups[1]["lr"] == 0.3
    with pytest.raises(ValueError, match="more than one parameter group"):
        o.add_param_group({"params": [ours[0]]})


SCHEDULERS = [
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("MultiStepLR", {"milestones": [2, 5, 5, 9], "gamma": 0.3}),
    ("CosineAnnealingLR", {"T_max": 4, "eta_min": 0.001}),
    ("CosineAnnealingLR", {"T_max": 7}),
    ("ExponentialLR", {"gamma": 0.9}),
]


@pytest.mark.parametrize("name,kwargs", SCHEDULERS, ids=[f"{n}-{k}" for n, k in SCHEDULERS])
def test_schedulers_match_torch_over_many_epochs(name, kwargs):
    ours, theirs = _pair()
    o = tg.optim.SGD([{"params": [ours[0]]}, {"params": [ours[1]], "lr": 0.3}], lr=0.1, momentum=0.9)
    t = torch.optim.SGD([{"params": [theirs[0]]}, {"params": [theirs[1]], "lr": 0.3}], lr=0.1, momentum=0.9)
    so = getattr(tg.optim.lr_scheduler, name)(o, **kwargs)
    st_ = getattr(torch.optim.lr_scheduler, name)(t, **kwargs)
    for epoch in range(20):
        np.testing.assert_allclose(so.get_last_lr(), st_.get_last_lr(), rtol=1e-13, err_msg=f"epoch {epoch}")
        o.step()
        t.step()
        so.step()
        st_.step()


@given(st.integers(1, 6), st.floats(0.1, 0.99), st.integers(0, 3))
def test_step_lr_matches_torch_for_drawn_hyperparameters(step_size, gamma, extra):
    ours, theirs = _pair()
    o, t = tg.optim.SGD(ours, lr=0.2), torch.optim.SGD(theirs, lr=0.2)
    so = tg.optim.lr_scheduler.StepLR(o, step_size, gamma)
    st_ = torch.optim.lr_scheduler.StepLR(t, step_size, gamma)
    for _ in range(2 * step_size + extra):
        o.step()
        t.step()
        so.step()
        st_.step()
    assert so.get_last_lr() == pytest.approx(st_.get_last_lr(), rel=1e-14)


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_step_with_a_closure_returns_its_loss_and_updates_like_torch(name):
    ours, theirs = _pair()
    x = np.ones((2, 4))
    results = []
    for lib, params in ((tg, ours), (torch, theirs)):
        opt = getattr(lib.optim, name)(params, lr=0.1)

        def closure(opt=opt, lib=lib, params=params):
            opt.zero_grad()
            loss = _loss(lib, params, lib.tensor(x))
            loss.backward()
            return loss
        loss = opt.step(closure)
        results.append((float(loss), [p.detach().numpy().copy() for p in params]))
    assert results[0][0] == pytest.approx(results[1][0], rel=1e-12)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-12)


LAMBDAS = {"linear decay": lambda e: 1.0 / (e + 1), "warm-up": lambda e: min(1.0, (e + 1) / 4),
           "square": lambda e: 0.9 ** (e * e), "constant": lambda e: 0.5}


@st.composite
def _scheduler(draw):
    """A scheduler and its hyper-parameters as users set them, with the boundaries drawn on purpose:
    step sizes that divide the epoch count, repeated milestones, gamma 1, T_max of 1."""
    name = draw(st.sampled_from(["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR"]))
    if name == "StepLR":
        return name, {"step_size": draw(st.integers(1, 5)), "gamma": draw(st.sampled_from([0.1, 0.5, 1.0, 0.93]))}
    if name == "MultiStepLR":
        milestones = sorted(draw(st.lists(st.integers(0, 12), min_size=1, max_size=5)))
        return name, {"milestones": milestones, "gamma": draw(st.sampled_from([0.1, 0.3, 1.0]))}
    if name == "ExponentialLR":
        return name, {"gamma": draw(st.floats(0.5, 1.0))}
    if name == "CosineAnnealingLR":
        return name, {"T_max": draw(st.integers(1, 8)), "eta_min": draw(st.sampled_from([0.0, 1e-3, 0.05]))}
    per_group = draw(st.booleans())
    keys = [draw(st.sampled_from(sorted(LAMBDAS))) for _ in range(2 if per_group else 1)]
    return name, {"lr_lambda": [LAMBDAS[k] for k in keys] if per_group else LAMBDAS[keys[0]]}


@given(_scheduler(), st.integers(1, 15))
def test_drawn_schedulers_match_torch_epoch_by_epoch(scheduler, epochs):
    name, kwargs = scheduler
    ours, theirs = _pair()
    o = tg.optim.SGD([{"params": [ours[0]]}, {"params": [ours[1]], "lr": 0.3}], lr=0.1)
    t = torch.optim.SGD([{"params": [theirs[0]]}, {"params": [theirs[1]], "lr": 0.3}], lr=0.1)
    so = getattr(tg.optim.lr_scheduler, name)(o, **kwargs)
    st_ = getattr(torch.optim.lr_scheduler, name)(t, **kwargs)
    for epoch in range(epochs):
        assert so.get_last_lr() == pytest.approx(st_.get_last_lr(), rel=1e-12, abs=1e-15), f"{name} epoch {epoch}"
        assert [g["lr"] for g in o.param_groups] == pytest.approx([g["lr"] for g in t.param_groups], rel=1e-12,
                                                                   abs=1e-15)
        o.step()
        t.step()
        so.step()
        st_.step()
