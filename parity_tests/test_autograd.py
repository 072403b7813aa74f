"""Autograd semantics that must match torch: accumulation, leaves vs non-leaves, grad mode,
backward twice, in-place rules, deep graphs, no reference cycles."""
import gc
import weakref

import numpy as np
import pytest
import torch

import tinygrad_edu as tg
from tinygrad_edu.autograd import Function


def both(values, dtype=np.float32):
    arr = np.asarray(values, dtype=dtype)
    return tg.tensor(arr, requires_grad=True), torch.tensor(arr, requires_grad=True)


def test_gradients_accumulate_across_backward_calls_like_torch():
    x, tx = both([1.0, -2.0, 3.0])
    for _ in range(3):
        (x * x).sum().backward()
        (tx * tx).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())
    np.testing.assert_allclose(x.grad.numpy(), 3 * 2 * np.array([1.0, -2.0, 3.0]))


def test_zeroing_grad_in_place_and_set_to_none():
    x, _ = both([1.0, 2.0])
    (x * 3).sum().backward()
    x.grad.zero_()
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])
    x.grad = None
    (x * 5).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [5.0, 5.0])


def test_same_tensor_used_twice_sums_both_paths():
    x, tx = both([0.5, -1.5])
    y = x * x + x.exp() * x
    ty = tx * tx + tx.exp() * tx
    g = np.array([0.3, -0.7], dtype=np.float32)
    y.backward(g)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-6)


def test_non_leaf_grad_is_none_unless_retained():
    x, tx = both([1.0, 2.0])
    h, th = x * 2, tx * 2
    h.retain_grad()
    th.retain_grad()
    k = x * 3
    (h * h + k).sum().backward()
    (th * th).sum().backward()
    assert k.grad is None and not k.is_leaf and x.is_leaf
    np.testing.assert_allclose(h.grad.numpy(), th.grad.numpy())


def test_requires_grad_propagates_and_no_grad_stops_it():
    x = tg.tensor([1.0], requires_grad=True)
    c = tg.tensor([2.0])
    assert (x * c).requires_grad and not (c * c).requires_grad
    with tg.no_grad():
        y = x * c
    assert not y.requires_grad and y.grad_fn is None

    @tg.no_grad()
    def f(t):
        return t * 2

    assert not f(x).requires_grad
    assert tg.is_grad_enabled()


def test_only_float_tensors_can_require_grad():
    with pytest.raises(RuntimeError, match="floating point"):
        tg.tensor([1, 2], requires_grad=True)


def test_backward_twice_raises_unless_retain_graph():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()
    z = (x * x).sum()
    x.grad = None
    z.backward(retain_graph=True)
    z.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 8.0])


def test_backward_twice_through_ops_that_save_nothing_works_like_torch():
    x, tx = both([1.0, 2.0])
    y, ty = (x + 1).sum(), (tx + 1).sum()
    y.backward()
    y.backward()
    ty.backward()
    ty.backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


def test_backward_argument_errors():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        (x * 2).backward()
    with pytest.raises(RuntimeError, match=r"shape \(3,\)"):
        (x * 2).backward(tg.ones(3))
    with pytest.raises(RuntimeError, match="does not require grad"):
        tg.tensor([1.0]).sum().backward()
    assert x.grad is None


def test_deep_graph_beyond_recursion_limit():
    x = tg.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.backward()
    assert np.isclose(x.grad.item(), 1.0001 ** 5000, rtol=1e-3)


def test_graph_has_no_reference_cycles():
    gc.disable()
    try:
        x = tg.randn(3, requires_grad=True)
        h = (x * 2).exp()
        ref = weakref.ref(h)
        out = h.sum()
        out.backward()
        del h, out
        assert ref() is None, "an intermediate tensor outlived its graph: reference cycle"
    finally:
        gc.enable()


def test_d2l_sgd_pattern_in_place_under_no_grad():
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    with tg.no_grad():
        w -= 0.1 * w.grad
        w.grad.zero_()
    np.testing.assert_allclose(w.numpy() if not w.requires_grad else w.detach().numpy(), [0.8, 1.6])
    assert w.is_leaf and w.requires_grad


def test_in_place_on_leaf_requiring_grad_raises_and_changes_nothing():
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        w += 1
    np.testing.assert_array_equal(w.detach().numpy(), [1.0, 2.0])


def test_data_attribute_changes_values_outside_graph():
    w = tg.zeros(2, 3, requires_grad=True)
    tg.manual_seed(0)
    w.data.normal_(0, 0.01)
    assert w.requires_grad and w.is_leaf and np.all(w.detach().numpy() != 0)
    w.data.fill_(0)
    assert np.all(w.detach().numpy() == 0)


def test_in_place_on_non_leaf_is_recorded_like_torch():
    x, tx = both([1.0, -2.0, 3.0])
    y, ty = x * 2, tx * 2
    y += x * x
    ty += tx * tx
    y *= 3
    ty *= 3
    g = np.array([1.0, 0.5, -1.0], dtype=np.float32)
    y.backward(g)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())


def test_modifying_a_saved_tensor_is_detected():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp() * 1
    e = x * x              # Mul saves x
    x.data.add_(1.0)       # changes x behind the graph's back (bumps its version)
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        e.sum().backward()
    y.sum().backward()     # Exp saved its output, not x: still fine


def test_dtype_rules_follow_torch():
    f32 = tg.ones(2)
    assert (f32 + 1.5).dtype == np.float32
    assert (f32 * 2).dtype == np.float32
    assert (tg.ones(2, dtype=tg.float64) + f32).dtype == np.float64
    assert (tg.arange(4) / 2).dtype == np.float32
    assert tg.arange(4).dtype == np.int64 and tg.arange(0.0, 1.0, 0.5).dtype == np.float32
    assert (tg.tensor([1, 2]) + tg.ones(2)).dtype == np.float32
    assert tg.tensor([1.0]).dtype == np.float32 and tg.tensor([True]).dtype == np.bool_
    assert tg.tensor(np.zeros(2)).dtype == np.float64


def test_comparisons_give_bool_tensors_without_grad():
    x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    m = x > 1.5
    assert m.dtype == np.bool_ and not m.requires_grad
    assert (x == x).numpy().all() and float(m.float().sum()) == 2.0


def test_max_dim_returns_values_and_indices_like_torch():
    a = np.array([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]], dtype=np.float32)
    v, i = tg.tensor(a).max(1)
    tv, ti = torch.tensor(a).max(1)
    np.testing.assert_array_equal(v.numpy(), tv.numpy())
    np.testing.assert_array_equal(i.numpy(), ti.numpy())
    assert tg.tensor(a).max(dim=0).indices.dtype == np.int64


def test_manual_seed_makes_random_factories_reproducible():
    tg.manual_seed(123)
    a = (tg.randn(3, 4), tg.rand(2), tg.normal(1.0, 2.0, (5,)))
    tg.manual_seed(123)
    b = (tg.randn(3, 4), tg.rand(2), tg.normal(1.0, 2.0, (5,)))
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p.numpy(), q.numpy())
        assert p.dtype == np.float32


def test_factories_shapes():
    assert tg.zeros(2, 3).shape == (2, 3) == tg.ones((2, 3)).shape == tg.randn([2, 3]).shape
    assert tg.zeros_like(tg.ones(4, dtype=tg.float64)).dtype == np.float64
    assert tg.ones_like(tg.ones(2, 2)).shape == (2, 2)
    assert tg.full((2,), 7.0).tolist() == [7.0, 7.0]


def test_repr_is_torch_like():
    assert repr(tg.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert repr(tg.tensor([1.0], requires_grad=True)) == "tensor([1.], requires_grad=True)"
    assert "grad_fn=<MulBackward>" in repr(tg.tensor([1.0], requires_grad=True) * 2)
    assert "dtype=float64" in repr(tg.tensor([1.0], dtype=tg.float64))


def test_conversions():
    x = tg.tensor([[1.5]], requires_grad=True)
    assert x.item() == 1.5 and float(x) == 1.5
    with pytest.raises(RuntimeError, match="detach"):
        x.numpy()
    with pytest.raises(RuntimeError, match="cannot be converted"):
        tg.ones(2).item()
    assert x.detach().numpy().shape == (1, 1) and not x.detach().requires_grad
    assert x.T.shape == (1, 1) and x.ndim == 2 and len(tg.ones(3, 2)) == 3


class _WrongSquare(Function):
    """A deliberately wrong backward (d/dx x^2 given as x instead of 2x): gradcheck must fail."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved
        return grad * x


def test_gradcheck_catches_a_wrong_backward_and_explains_it():
    x = tg.randn(3, dtype=tg.float64, requires_grad=True)
    report = tg.gradcheck(lambda t: _WrongSquare.apply(t), [x])
    assert not report
    assert "FAIL input 0" in str(report) and "analytic" in str(report)
    with pytest.raises(tg.GradcheckError):
        tg.gradcheck(lambda t: _WrongSquare.apply(t), [x], raise_exception=True)
    assert x.grad is None  # gradcheck works on copies
    assert tg.gradcheck(lambda t: t * t, [x])


def test_gradcheck_rejects_float32():
    with pytest.raises(ValueError, match="float64"):
        tg.gradcheck(lambda t: t * t, [tg.randn(2, requires_grad=True)])


def test_detect_anomaly_names_the_op_shapes_and_user_line():
    x = tg.tensor([0.0, 1.0], requires_grad=True)
    with tg.detect_anomaly():
        with pytest.raises(RuntimeError, match=r"Log produced NaN/inf in its forward output \(input shapes: \(2,\)\).*test_autograd.py"):
            x.log()
    y = (x * 0.0).sqrt()  # created outside anomaly mode: sqrt(0) = 0 is fine forward, inf backward
    with tg.detect_anomaly():
        with pytest.raises(RuntimeError, match="Sqrt produced NaN/inf in its backward gradient"):
            y.sum().backward()


def test_grads_stored_without_copy_are_never_shared():
    a, b = tg.ones(3, requires_grad=True), tg.ones(3, requires_grad=True)
    (a + b).backward(tg.ones(3))       # Add hands the same array to both inputs
    a.grad.zero_()
    assert b.grad.numpy().tolist() == [1.0, 1.0, 1.0]
    g = np.ones(3, dtype=np.float32)
    a.grad = None
    a.backward(g)                      # a leaf's own gradient is the caller's array: copied
    g[:] = 5
    assert a.grad.numpy().tolist() == [1.0, 1.0, 1.0]
    w = tg.ones(2, 2, requires_grad=True)
    w.sum().backward()                 # Sum's backward is a read-only broadcast view: copied
    w.grad.zero_()
    assert not w.grad.numpy().any()


def test_in_place_after_another_use_leaves_that_use_its_old_value():
    """The graph's edges are tensor objects: an in-place op on a tensor that an earlier op already
    took as input must not hand that op's gradient to the new value (x.grad would be 6, not
    torch's 3, below). The earlier nodes are pointed at the hidden old value."""
    import torch
    a = np.array([1.0, -2.0, 3.0])
    for change in (lambda y: y.mul_(2), lambda y: y.__iadd__(1), lambda y: y.__setitem__(0, 5.0),
                   lambda y: y.__itruediv__(4)):
        grads = []
        for lib in (tg, torch):
            x = lib.tensor(a, requires_grad=True)
            y = x * 1
            z = y * 3           # an earlier use of y (torch saves nothing of y here, so it allows the change)
            change(y)
            (z.sum() + (y * y).sum()).backward()
            grads.append(x.grad.numpy().copy())
        np.testing.assert_array_equal(grads[0], grads[1])
    x = tg.tensor(a, requires_grad=True)
    y = x * 1
    z = y * y                   # saved y: torch refuses the backward; here it uses the old y
    y.mul_(2)
    z.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), 2 * a)


def test_relu_in_place_makes_the_kept_reference_the_result_as_torch():
    """torchvision's VGG says ReLU(inplace=True); d2l's style transfer keeps each conv output and
    then runs that ReLU, so the kept tensors hold rectified values in torch, and here too."""
    import torch
    a = np.array([[-1.0, 2.0], [3.0, -4.0]])
    results = []
    for lib in (tg, torch):
        x = lib.tensor(a, requires_grad=True)
        net = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.ReLU(inplace=True))
        with lib.no_grad():
            net[0].weight.copy_(lib.tensor([[1.0, 0.0], [0.0, 1.0]], dtype=lib.float64))
            net[0].bias.zero_()
        net = net.double()
        kept = net[0](x)
        out = net[1](kept)
        out.sum().backward()
        results.append((kept.detach().numpy().copy(), x.grad.numpy().copy(), out is kept))
    for ours, theirs in zip(*results):
        np.testing.assert_array_equal(ours, theirs)
