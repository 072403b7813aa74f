"""Numerical safety: special values give inf/nan exactly where torch does, without warnings;
stable activations and losses at extreme inputs; bit-identical reruns from the same seed."""
import warnings

import numpy as np
import pytest
import torch

import tinygrad_edu as tg
from tinygrad_edu import training
from tinygrad_edu.data import DataLoader, load_sample
from tinygrad_edu.models import build

SPECIAL = np.array([0.0, -0.0, 1e-45, 1e-30, 1.0, -1.0, 88.0, 89.0, 1e30, -1e30, np.inf, -np.inf, np.nan],
                   dtype=np.float32)


@pytest.mark.parametrize("expr", ["x.exp()", "x.log()", "x.sqrt()", "1 / x", "x / x", "x ** 0.5", "x ** -1",
                                  "x.sigmoid()", "x.tanh()", "x.relu()", "x * x", "x - x", "x.abs().log()"])
def test_special_values_match_torch_without_warnings(expr):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning from NumPy fails the test
        ours = eval(expr, {"x": tg.tensor(SPECIAL)}).numpy()
    theirs = eval(expr, {"x": torch.tensor(SPECIAL)}).numpy()
    assert np.array_equal(np.isnan(ours), np.isnan(theirs)), f"{expr}: nan at different places"
    assert np.array_equal(np.isposinf(ours), np.isposinf(theirs)) and np.array_equal(np.isneginf(ours), np.isneginf(theirs))
    finite = np.isfinite(theirs)
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=1e-6, atol=1e-30)


def test_backward_through_special_values_is_quiet_and_matches_torch():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = tg.tensor(SPECIAL, requires_grad=True)
        (x.log() + x.sqrt() + 1 / x).sum().backward()
    tx = torch.tensor(SPECIAL, requires_grad=True)
    (tx.log() + tx.sqrt() + 1 / tx).sum().backward()
    assert np.array_equal(np.isnan(x.grad.numpy()), np.isnan(tx.grad.numpy()))
    assert np.array_equal(np.isinf(x.grad.numpy()), np.isinf(tx.grad.numpy()))


def test_the_callers_floating_point_error_state_is_restored_after_every_op():
    """Ops run with NumPy's warnings off (tinygrad_edu/fpstate.py sets NumPy's error-state
    context variable directly); the caller's own setting must be back afterwards, also when an
    op's forward raises."""
    with np.errstate(over="raise", divide="warn", invalid="ignore"):
        before = np.geterr()
        x = tg.tensor(SPECIAL, requires_grad=True)
        (x * 1e30 * 1e30 / x).sum().backward()          # overflow and 0/0 inside the ops: quiet
        assert np.geterr() == before

        class Failing(tg.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                raise ValueError("inside forward")

        with pytest.raises(ValueError, match="inside forward"):
            Failing.apply(x)
        assert np.geterr() == before
        with pytest.raises(FloatingPointError):
            np.float32(3e38) * np.float32(10)               # the caller's "raise" still applies to its own code


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_tanh_stable_at_plus_minus_100(dtype):
    v = np.array([-100.0, -30.0, 0.0, 30.0, 100.0], dtype=dtype)
    x, tx = tg.tensor(v, requires_grad=True), torch.tensor(v, requires_grad=True)
    for f in ("sigmoid", "tanh"):
        x.grad, tx.grad = None, None
        ours, theirs = getattr(x, f)(), getattr(tx, f)()
        ours.sum().backward()
        theirs.sum().backward()
        assert np.isfinite(ours.detach().numpy()).all() and np.isfinite(x.grad.numpy()).all()
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6, atol=1e-30)
        np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-5, atol=1e-30)


@pytest.mark.parametrize("scale", [1.0, 1e2, 1e4])
def test_losses_finite_for_huge_logits_and_minus_inf(scale):
    rng = np.random.default_rng(0)
    logits = (rng.standard_normal((4, 5)) * scale).astype(np.float32)
    logits[0, 1] = logits[2, 4] = -np.inf          # masked classes, not the targets
    target = np.array([0, 2, 1, 3])
    x, tx = tg.tensor(logits, requires_grad=True), torch.tensor(logits, requires_grad=True)
    ours = tg.nn.functional.cross_entropy(x, tg.tensor(target))
    theirs = torch.nn.functional.cross_entropy(tx, torch.tensor(target))
    ours.backward()
    theirs.backward()
    assert np.isfinite(ours.item()) and np.isfinite(x.grad.numpy()).all()
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-5)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-5, atol=1e-6)
    for f in ("softmax", "log_softmax"):
        a = getattr(tg.nn.functional, f)(tg.tensor(logits), 1).numpy()
        b = getattr(torch.nn.functional, f)(torch.tensor(logits), 1).numpy()
        assert np.array_equal(np.isfinite(a), np.isfinite(b))


def _run(seed):
    tg.manual_seed(seed)
    net = tg.nn.Sequential(tg.nn.Flatten(), tg.nn.Linear(784, 64), tg.nn.ReLU(), tg.nn.Dropout(0.3),
                           tg.nn.Linear(64, 10))
    lenet = build("lenet_relu", tg.nn)
    data = load_sample()
    X, y = data.arrays("train")
    loader = DataLoader(X, y, batch_size=32, shuffle=True, seed=seed, as_tensors=False)
    losses = []
    for model in (net, lenet):
        opt = tg.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        for idx in loader.batch_indices()[:8]:
            losses.append(training.train_step(model, X[idx], y[idx], tg.nn.CrossEntropyLoss(), opt)[0])
    return losses, [p.detach().numpy().copy() for m in (net, lenet) for p in m.parameters()]


def test_same_seed_gives_a_bit_identical_training_run():
    (l1, p1), (l2, p2) = _run(7), _run(7)
    assert l1 == l2
    assert all(np.array_equal(a, b) for a, b in zip(p1, p2))
    l3, _ = _run(8)
    assert l3 != l1


def test_mse_loss_warns_about_broadcasting_like_torch():
    with pytest.warns(UserWarning, match=r"target shape \(3,\) differs from input shape \(3, 1\)"):
        tg.nn.functional.mse_loss(tg.ones(3, 1), tg.ones(3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tg.nn.functional.mse_loss(tg.ones(3, 1), tg.ones(3, 1))
