"""Parity of the conv ops against torch (forward and every input gradient), and float64 gradcheck.

The rows come from parity_tests/catalogue.py; the checks from parity_tests/harness.py.
"""
import numpy as np
import pytest

from .catalogue import cases
from .harness import check_parity, make_gradcheck_test, make_parity_test
from .strategies import Draw

test_parity = make_parity_test(cases("conv"))
test_gradcheck = make_gradcheck_test(cases("conv"))


@pytest.mark.parametrize("pad", [(-2, -2), (-1, -3), (-2, -2, 1, 0)])
def test_pad_that_crops_everything_stays_in_the_graph(pad: tuple) -> None:
    """Negative constant padding that leaves no element: torch's empty result still requires grad
    and sends a zero gradient (a case the thorough profile drew on a GPU machine; pinned here)."""
    case = next(c for c in cases("conv") if c.name == "pad")
    x = np.arange(8, dtype=np.float64).reshape(2, 4)
    check_parity(case, Draw({"x": x}, {"pad": pad, "mode": "constant", "value": 0.0}), x.dtype, "cpu", seed=0)


@pytest.mark.parametrize("groups, m", [(1, 300), (2, 3000), (1, 20000)])
def test_weight_grad_in_each_of_its_three_ways(groups: int, m: int) -> None:
    """weight_grad takes one of three routes by the length M of the summed axis (one product, the
    product the other way round, blocks of columns); each must give g @ cols^T, as its own array."""
    from tinygrad_edu.ops.conv import weight_grad
    rng = np.random.default_rng(m)
    g, cols = rng.standard_normal((groups, 5, m)), rng.standard_normal((groups, 7, m))
    dw = weight_grad(g, cols, (groups * 5, 7, 1, 1))
    assert dw.shape == (groups * 5, 7, 1, 1) and dw.flags.owndata
    np.testing.assert_allclose(dw.reshape(groups, 5, 7), np.einsum("gfm,gkm->gfk", g, cols), rtol=1e-12, atol=1e-12)


def test_conv_output_stays_batch_innermost_through_relu_and_pooling() -> None:
    """conv2d hands back its (F, Ho, Wo, N) result as an (N, F, Ho, Wo) view, and ReLU and the
    pooling ops keep that memory order, so the next conv reads its input without a copy (the
    layout that made ResNet-18's step 209 -> 136 ms; ops/conv.py, Layout). The same holds for
    the gradients the pooling ops send back."""
    import tinygrad_edu as tg
    F = tg.nn.functional
    batch_innermost = lambda t: t.array.transpose(1, 2, 3, 0).flags.c_contiguous
    x = tg.tensor(np.random.default_rng(0).standard_normal((4, 3, 8, 8)).astype(np.float32), requires_grad=True)
    w = tg.tensor(np.random.default_rng(1).standard_normal((5, 3, 3, 3)).astype(np.float32))
    y = F.conv2d(x, w, padding=1)
    assert batch_innermost(y)
    pooled = [F.max_pool2d(F.relu(y), 2), F.avg_pool2d(y, 2)]
    assert all(batch_innermost(p) for p in pooled)
    y.retain_grad()
    (pooled[0].sum() + pooled[1].sum()).backward()
    assert batch_innermost(y.grad)
