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


@pytest.mark.parametrize("pad", [(-2, -2), (-1, -3), (-2, -2, 1, 0), (-4, 1), (1, -4), (-4, 2, 1, 0)])
def test_pad_that_crops_everything_stays_in_the_graph(pad: tuple) -> None:
    """Negative constant padding that leaves no element of the input, with or without new
    elements around it: torch's result still requires grad and sends a zero gradient (the first
    case the thorough profile drew on a GPU machine; the others, all fill and no input, once
    came out of the graph)."""
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


def test_pooling_backward_takes_its_gradient_in_any_memory_order() -> None:
    """A flatten's backward hands a pooling op its gradient in (N, C, H, W) order while the
    pooling's input was batch-innermost; the backward copies the gradient into its own order
    (in_memory_order) instead of mixing strides in every window operation. The gradient it
    returns must not depend on the order it was given, and stays in the input's order."""
    from tinygrad_edu.ops.conv import in_memory_order, memory_order
    from tinygrad_edu.ops.pool import AvgPool2d, MaxPool2d

    class Ctx:
        needs_input_grad = (True,)

        def save_for_backward(self, *arrays):
            self.saved = arrays

    rng = np.random.default_rng(2)
    inner = (1, 2, 3, 0)
    x = in_memory_order(np.maximum(rng.standard_normal((4, 3, 6, 6)), 0).astype(np.float32), inner)  # ties at 0
    assert memory_order(x) == inner and x.flags.c_contiguous is False
    g_nchw = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    g_inner = in_memory_order(g_nchw, inner)
    assert in_memory_order(g_inner, inner) is g_inner and np.array_equal(g_inner, g_nchw)
    for op, args in ((MaxPool2d, ((2, 2), (2, 2), (0, 0), (1, 1), False)),
                     (MaxPool2d, ((3, 3), (2, 2), (1, 1), (1, 1), True)),    # overlapping windows: the adding path
                     (AvgPool2d, ((2, 2), (2, 2), (0, 0), False, True)),
                     (AvgPool2d, ((3, 3), (1, 1), (1, 1), False, False))):
        ctx = Ctx()
        y = op.forward(ctx, x, *args)
        g_a = in_memory_order(rng.standard_normal(y.shape).astype(np.float32), (0, 1, 2, 3))
        g_b = in_memory_order(g_a, memory_order(y))
        dx_a, dx_b = op.backward(ctx, g_a), op.backward(ctx, g_b)
        assert np.array_equal(dx_a, dx_b), op.__name__
        assert memory_order(dx_a) == inner, (op.__name__, dx_a.strides)


@pytest.mark.parametrize("stride, padding, dilation, groups", [(1, 1, 1, 1), (2, 0, 1, 2), (1, 2, 2, 1), (3, 1, 1, 4)])
def test_rebuilt_columns_give_the_same_gradients(monkeypatch, stride, padding, dilation, groups) -> None:
    """Above SAVED_COLUMNS_LIMIT a Conv2d keeps its padded input and rebuilds the im2col columns in
    the backward (ops/conv.py, Memory). That route must give exactly the gradients of the route
    that keeps the columns (which the parity rows compare with torch)."""
    import tinygrad_edu as tg
    from tinygrad_edu.ops import conv
    rng = np.random.default_rng(stride * 10 + groups)
    x0 = rng.standard_normal((3, 8, 11, 9))
    w0, b0 = rng.standard_normal((8, 8 // groups, 3, 3)), rng.standard_normal(8)

    def grads() -> list:
        x, w, b = (tg.tensor(a, requires_grad=True) for a in (x0, w0, b0))
        y = tg.nn.functional.conv2d(x, w, b, stride, padding, dilation, groups)
        y.backward(tg.tensor(np.random.default_rng(1).standard_normal(y.shape)))
        return [y.detach().numpy(), x.grad.numpy(), w.grad.numpy(), b.grad.numpy()]

    kept = grads()
    monkeypatch.setattr(conv, "SAVED_COLUMNS_LIMIT", 0)
    rebuilt = grads()
    for a, b in zip(kept, rebuilt):
        np.testing.assert_array_equal(a, b)
