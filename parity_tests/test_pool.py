"""Parity of the pool ops against torch (forward and every input gradient), and float64 gradcheck.

The rows come from parity_tests/catalogue.py; the checks from parity_tests/harness.py.
"""
import numpy as np
import pytest
import torch

import tinygrad_edu as tg

from .catalogue import cases
from .harness import make_gradcheck_test, make_parity_test

test_parity = make_parity_test(cases("pool"))
test_gradcheck = make_gradcheck_test(cases("pool"))


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("kernel, stride, dilation, size", [
    (2, 2, 1, 6),    # windows tile the input exactly: nothing is zeroed, every slice assigned
    (2, 2, 1, 7),    # disjoint, the last row and column in no window: they must stay 0
    (2, 3, 2, 6),    # disjoint dilated windows: the pixel between two taps is in no window
    (3, 2, 1, 7),    # overlapping windows: their gradients add up
])
def test_pool_backward_on_disjoint_tiled_and_overlapping_windows(kind, kernel, stride, dilation, size):
    """The pooling backward assigns window slices when windows are disjoint (and skips zeroing when
    they tile the input); these cases sit on each side of those two conditions, deterministically."""
    if kind == "avg" and dilation > 1:
        pytest.skip("avg_pool2d has no dilation")
    rng = np.random.default_rng(size * 10 + kernel)
    x = rng.normal(size=(2, 3, size, size))
    kwargs = dict(stride=stride) | ({"dilation": dilation} if kind == "max" else {})
    xo, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo = getattr(tg.nn.functional, f"{kind}_pool2d")(xo, kernel, **kwargs)
    yt = getattr(torch.nn.functional, f"{kind}_pool2d")(xt, kernel, **kwargs)
    up = rng.normal(size=tuple(yt.shape))
    yo.backward(tg.tensor(up)), yt.backward(torch.tensor(up))
    np.testing.assert_allclose(yo.detach().numpy(), yt.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-12, atol=1e-14)
