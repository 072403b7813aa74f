"""Whole training runs: tinygrad_edu and torch from identical weights on identical batches.

Bounds, derived rather than measured on one machine (the same reasoning as
d2l_trajectories.py, which says it at length):

* float64: only summation order differs (1e-16 per op); over 10 steps it grows to ~1e-16
  (measured 1.4e-16), so losses and parameters are held to 1e-12, still 1e10 times tighter than
  any wrong derivative moves them.
* float32: torch's own float32 run of the same steps is compared with torch's float64 run from the
  same weights; the largest difference, d, is how far float32 rounding carries this run. Ours
  differs from the exact run by rounding in another order, so |ours - torch| <= ~2d, and FACTOR = 4
  allows one rounding sequence landing twice as far as another. The bound never goes below
  FLOOR_RTOL (16 float32 ulps: a loss or an update is a chain of ~20 float32 roundings).
* ReLU and max-pool route gradients by comparisons: when a 1-ulp float32 difference falls on a
  near-tie, a whole gradient goes to another pixel, at a step that depends on the BLAS kernel.
  LeNet-ReLU's float32 parameters can end up 3.5e-4 apart, and its 10th loss 3.4e-6 (OpenBLAS's
  Prescott kernel) where other kernels agree to 1e-7. So for ROUTED_MODELS the float32 run
  compares the first step's loss (identical weights, no update yet) and the float64 run (same
  rules, no such near-ties at 1e-16) compares every loss and parameter.
"""
import numpy as np
import pytest
import torch

import reference
import tinygrad_edu as tg
from tinygrad_edu import training
from tinygrad_edu.data import DataLoader, load_sample
from tinygrad_edu.models import MODELS, build

from .harness import DEVICES

FACTOR = 4
FLOOR_RTOL = 16 * 2.0 ** -24
ROUTED_MODELS = {"lenet_relu"}
F64_LOSS_RTOL, F64_PARAM_ATOL = 1e-12, 1e-12

LR = {"linear_regression": 0.03, "softmax_regression": 0.1, "mlp": 0.1, "lenet": 0.9, "lenet_relu": 0.1}
OPTIMIZERS = {
    "plain": {},
    "momentum": {"momentum": 0.9, "dampening": 0.1},
    "weight_decay": {"weight_decay": 1e-2},
    "nesterov": {"momentum": 0.9, "nesterov": True, "weight_decay": 1e-3},
}


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def _batches(name, sample, steps, batch_size, seed=0):
    """The same minibatches (as NumPy arrays) for both frameworks."""
    if name == "linear_regression":
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((steps * batch_size, 2)).astype(np.float32)
        y = (X @ np.array([2.0, -3.4]) + 4.2 + rng.normal(0, 0.01, len(X))).astype(np.float32).reshape(-1, 1)
    else:
        X, y = sample.arrays("train")
    loader = DataLoader(X, y, batch_size=batch_size, shuffle=True, seed=seed, as_tensors=False)
    return [(X[i], y[i]) for i in loader.batch_indices()[:steps]]


def _loss(name, lib):
    return lib.nn.MSELoss() if name == "linear_regression" else lib.nn.CrossEntropyLoss()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("opt", list(OPTIMIZERS))
@pytest.mark.parametrize("name", MODELS)
def test_training_run_matches_torch(name, opt, dtype, device, sample):
    tg.manual_seed(1)
    ours = build(name, tg.nn).to(np.dtype(dtype))
    theirs = reference.model_to_torch(ours, name, device)
    f64 = dtype == "float64"
    # torch in float64 from the same weights: the exact run, against which torch's float32 run
    # shows how far float32 rounding carries this trajectory
    exact = None if f64 else reference.model_to_torch(ours, name, device).double()
    kwargs = {"lr": LR[name], **OPTIMIZERS[opt]}
    nets = [(tg, ours), (torch, theirs)] + ([] if f64 else [(torch, exact)])
    optimizers = [(lib.optim.SGD(net.parameters(), **kwargs)) for lib, net in nets]
    losses = [[] for _ in nets]
    for X, y in _batches(name, sample, steps=10, batch_size=32):
        for k, ((lib, net), optimizer) in enumerate(zip(nets, optimizers)):
            dt = "float64" if k == 2 else dtype
            Xk, yk = X.astype(dt), (y.astype(dt) if name == "linear_regression" else y)  # d2l's target dtype
            step = training.train_step if lib is tg else reference.train_step
            args = (net, Xk, yk, _loss(name, lib), optimizer) + (() if lib is tg else (device,))
            losses[k].append(step(*args)[0])
    params = [[p.detach().numpy() if lib is tg else p.detach().cpu().numpy() for p in net.parameters()]
              for lib, net in nets]
    if f64:
        loss_tol, param_tols = dict(rtol=F64_LOSS_RTOL, atol=0), [dict(rtol=0, atol=F64_PARAM_ATOL)] * len(params[0])
    else:
        noise = np.max(np.abs(np.subtract(losses[1], losses[2])))
        loss_tol = dict(rtol=FLOOR_RTOL, atol=FACTOR * noise)
        param_tols = [dict(rtol=FLOOR_RTOL, atol=FACTOR * np.max(np.abs(t - e), initial=0))
                      for t, e in zip(params[1], params[2])]
    # routed models in float32: only the first step's loss, before any update could route apart
    compared = 1 if name in ROUTED_MODELS and not f64 else len(losses[0])
    np.testing.assert_allclose(losses[0][:compared], losses[1][:compared], **loss_tol,
                               err_msg=f"{name}/{opt}/{dtype}: per-step losses differ")
    for (key, p), tp, mine, theirs_p, tol in zip(ours.named_parameters(), theirs.parameters(), params[0], params[1],
                                                 param_tols):
        assert p.dtype == np.dtype(dtype) and str(tp.dtype) == f"torch.{dtype}"
        if name in ROUTED_MODELS and not f64:
            continue  # compared in float64 (see the module docstring)
        np.testing.assert_allclose(mine, theirs_p, **tol, err_msg=f"{name}/{opt}/{dtype}: parameter {key} after 10 steps")
    assert losses[0][-1] < losses[0][0] or name == "lenet", f"{name}/{opt}: loss did not go down"


# A real learning check on the bundled sample (5,000 training / 1,000 test images): chance is 0.1.
# Measured test accuracies from torch.manual_seed(0) (torch = tinygrad_edu to within 0.01): softmax 0.739, MLP 0.699,
# LeNet-ReLU 0.61, LeNet-sigmoid 0.661 (d2l's sigmoid LeNet sits at 0.1 for the first ~500
# steps, hence momentum and more epochs for it).
LEARNING = {
    "softmax_regression": dict(lr=0.1, momentum=0.0, batch_size=64, epochs=2, min_accuracy=0.70),
    "mlp": dict(lr=0.1, momentum=0.0, batch_size=64, epochs=2, min_accuracy=0.65),
    "lenet_relu": dict(lr=0.1, momentum=0.0, batch_size=64, epochs=3, min_accuracy=0.55),
    "lenet": dict(lr=0.05, momentum=0.9, batch_size=32, epochs=8, min_accuracy=0.55),
}


@pytest.mark.parametrize("name", list(LEARNING))
def test_short_training_run_learns_on_both_backends(name, sample):
    cfg = LEARNING[name]
    torch.manual_seed(0)  # start from torch's init, so the thresholds rest on the measured runs
    theirs = reference.build_torch(name)
    ours = reference.model_from_torch(theirs, name)
    our_opt = tg.optim.SGD(ours.parameters(), lr=cfg["lr"], momentum=cfg["momentum"])
    their_opt = torch.optim.SGD(theirs.parameters(), lr=cfg["lr"], momentum=cfg["momentum"])
    X, y = sample.arrays("train")
    loader = DataLoader(X, y, batch_size=cfg["batch_size"], shuffle=True, seed=0, as_tensors=False)
    for _ in range(cfg["epochs"]):
        batches = [(X[i], y[i]) for i in loader.batch_indices()]
        training.train_epoch(ours, batches, tg.nn.CrossEntropyLoss(), our_opt)
        reference.train_epoch(theirs, batches, torch.nn.CrossEntropyLoss(), their_opt)
    test = [sample.arrays("test")]
    ours_acc, theirs_acc = training.evaluate_accuracy(ours, test), reference.evaluate_accuracy(theirs, test)
    assert ours_acc >= cfg["min_accuracy"], f"{name}: tinygrad_edu reached only {ours_acc:.3f}"
    assert theirs_acc >= cfg["min_accuracy"], f"{name}: torch reached only {theirs_acc:.3f}"
    assert abs(ours_acc - theirs_acc) <= 0.03, f"{name}: {ours_acc:.3f} vs torch {theirs_acc:.3f}"


def test_linear_regression_recovers_the_true_weights():
    tg.manual_seed(0)
    X, y = tg.data.synthetic_data(tg.tensor([2.0, -3.4]), 4.2, 1000)
    net = build("linear_regression", tg.nn)
    opt = tg.optim.SGD(net.parameters(), lr=0.03)
    for _ in range(3):
        for Xb, yb in tg.data.load_array((X, y), batch_size=10, seed=0):
            loss = tg.nn.MSELoss()(net(Xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
    w, b = net[0].weight.detach().numpy().ravel(), net[0].bias.detach().numpy()[0]
    assert np.abs(w - [2.0, -3.4]).max() < 0.01 and abs(b - 4.2) < 0.01
