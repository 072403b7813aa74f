"""bmm / baddbmm / swapaxes / reversed / torch.pow beyond the catalogue rows (catalogue_more:
``bmm_baddbmm``, ``swap_reversed_pow``): baddbmm's beta = 0 ignores nan and inf in its input as
torch's does, and the refusals name the op and the shapes."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu as tg


def test_baddbmm_with_beta_zero_ignores_nan_and_gives_a_zero_gradient():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 4, 5))
    c = np.full((3, 5), np.nan)
    results = []
    for lib in (tg, torch):
        ct = lib.tensor(c, requires_grad=True)
        out = lib.baddbmm(ct, lib.tensor(a), lib.tensor(b), beta=0, alpha=2)
        out.sum().backward()
        results.append((out.detach().numpy(), ct.grad.numpy()))
    (ours, our_grad), (theirs, their_grad) = results
    assert not np.isnan(ours).any()
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    np.testing.assert_array_equal(our_grad, their_grad)


def test_reversed_and_swapaxes_as_torch():
    x = np.arange(6.0).reshape(2, 3)
    assert np.array_equal(reversed(tg.tensor(x)).numpy(), reversed(torch.tensor(x)).numpy())
    assert reversed(tg.tensor(3.0)).item() == reversed(torch.tensor(3.0)).item()
    assert tg.tensor(x).swapaxes(0, 1).shape == torch.tensor(x).swapaxes(0, 1).shape


@pytest.mark.parametrize("call, exc, words", [
    (lambda: tg.bmm(tg.zeros(2, 3), tg.zeros(2, 3, 4)), RuntimeError, ("bmm", "batch1", "(2, 3)")),
    (lambda: tg.bmm(tg.zeros(2, 3, 4), tg.zeros(3, 4, 5)), RuntimeError, ("bmm", "[2, 4]", "[3, 4]")),
    (lambda: tg.baddbmm(tg.zeros(4, 3, 5), tg.zeros(2, 3, 4), tg.zeros(2, 4, 5)), RuntimeError,
     ("baddbmm", "(4, 3, 5)", "(2, 3, 5)")),
    (lambda: tg.pow(2, 3), TypeError, ("pow", "int")),
])
def test_refusals(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    assert all(w in str(info.value) for w in words), str(info.value)
