"""Indexing beyond the catalogue rows: assignment through every index form, and the regressions of
the silent wrong answers found by users (each written as it was reported)."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F

from .index_forms import build_index, index_spec
from .strategies import arrays, shapes


@st.composite
def _assignment(draw: Any) -> tuple[np.ndarray, tuple, float]:
    shape = draw(shapes(min_dims=1, max_dims=4, max_side=4))
    return (draw(arrays(np.dtype(np.float32), shape)), draw(index_spec(shape)),
            draw(st.sampled_from([-1.5, 0.0, 7.0])))


@given(_assignment())
def test_setitem_writes_where_torch_writes(case: tuple) -> None:
    """x[index] = v changes the same elements as torch for every index form (a scalar value, so
    repeated positions, whose order torch leaves undefined, cannot disagree)."""
    x, spec, value = case
    ours, theirs = tg.tensor(x.copy()), torch.tensor(x.copy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch's deprecation of list-as-tuple indices
        ours[build_index(tg, spec)] = value
        theirs[build_index(torch, spec)] = value
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy(), err_msg=f"index spec {spec}")


@given(_assignment())
def test_getitem_result_is_torch_shape_and_values(case: tuple) -> None:
    x, spec, _ = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            theirs = torch.tensor(x)[build_index(torch, spec)]
        except (IndexError, ValueError, RuntimeError, TypeError) as e:  # then ours must refuse too
            with pytest.raises(type(e)):
                tg.tensor(x)[build_index(tg, spec)]
            return
        ours = tg.tensor(x)[build_index(tg, spec)]
    assert ours.shape == tuple(theirs.shape), f"index spec {spec}"
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


# ----------------------------------------------------------------------------- reported regressions

def _grad(lib: Any, x: np.ndarray, fn: Any) -> np.ndarray:
    t = lib.tensor(x, requires_grad=True)
    fn(t).sum().backward()
    return t.grad.numpy()


@pytest.mark.parametrize("fn", [
    lambda t: t[(0, 0, 2), (1, 1, 3)],
    lambda t: t[:, (1, 1, 0)],
    lambda t: t[np.array([0, 0]), :],
    lambda t: t[torch.tensor([2, 2, 2])],
    lambda t: t[range(3), [1, 1, 1]],
    lambda t: t[[0, 0]],
], ids=["tuple-pairs", "tuple-columns", "ndarray", "torch-tensor", "range-and-list", "list"])
def test_repeated_reads_sum_their_gradients(fn: Any) -> None:
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    np.testing.assert_array_equal(_grad(tg, x, fn), _grad(torch, x, fn))


def test_integer_is_basic_indexing_as_in_torch() -> None:
    y = np.arange(240.0).reshape(2, 5, 6, 4)
    d = [0, 1, 1]
    ours, theirs = tg.tensor(y)[1, :, 2:4, d], torch.tensor(y)[1, :, 2:4, d]
    assert ours.shape == (5, 2, 3) == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_gather_with_an_index_smaller_than_the_input() -> None:
    rng = np.random.default_rng(0)
    x, index = rng.normal(size=(4, 5, 6)), rng.integers(0, 4, size=(3, 4, 5))
    g = rng.normal(size=index.shape)
    ours, theirs = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_o, out_t = ours.gather(0, tg.tensor(index)), theirs.gather(0, torch.tensor(index))
    np.testing.assert_array_equal(out_o.detach().numpy(), out_t.detach().numpy())
    out_o.backward(tg.tensor(g))
    out_t.backward(torch.tensor(g))
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_cross_entropy_third_positional_argument_is_weight() -> None:
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(6, 3)).astype(np.float32), rng.integers(0, 3, size=6)
    w = np.array([0.2, 1.0, 3.0], np.float32)
    ours = F.cross_entropy(tg.tensor(x), tg.tensor(y), tg.tensor(w)).item()
    theirs = torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor(y), torch.tensor(w)).item()
    assert ours == pytest.approx(theirs, rel=1e-6)
    unweighted = F.cross_entropy(tg.tensor(x), tg.tensor(y)).item()
    assert abs(ours - unweighted) > 1e-3  # the weight changed the loss: it was not ignored


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_integer_min_at_the_dtype_minimum(dtype: Any) -> None:
    lo = np.iinfo(dtype).min
    x = np.array([0, lo, 5], dtype=dtype)
    t = tg.tensor(x)
    assert t.min().item() == lo and t.argmin().item() == 1
    assert t.min(0).values.item() == lo and t.min(0).indices.item() == 1
    assert tg.tensor([True, False]).min().item() is False


def test_softmax_of_a_scalar_has_zero_gradient() -> None:
    for lib in (tg, torch):
        s = lib.tensor(2.0, requires_grad=True)
        lib.nn.functional.softmax(s, dim=0).backward()
        assert s.grad.item() == 0.0, lib.__name__


def test_probability_targets_receive_a_gradient() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(4, 3))
    q = rng.dirichlet(np.ones(3), size=4)
    grads = []
    for lib in (tg, torch):
        qt = lib.tensor(q, requires_grad=True)
        lib.nn.functional.cross_entropy(lib.tensor(x), qt).backward()
        grads.append(qt.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12, atol=1e-14)
    assert np.abs(grads[0]).max() > 0.01


def test_format_of_a_scalar_tensor() -> None:
    assert f"{tg.tensor(1.23456):.3f}" == f"{torch.tensor(1.23456):.3f}" == "1.235"
    with pytest.raises(TypeError):
        f"{tg.ones(2):.3f}"


def test_assigned_values_lose_leading_size_one_dims_as_in_torch():
    """torch drops a value's leading size-1 dims before broadcasting (d2l 8.1 writes
    ``preds[i] = net(x)`` with a (1, 1) result into one element)."""
    for value_shape, index in [((1, 1), 3), ((1, 1, 4), (1,)), ((1, 4), (slice(0, 2),))]:
        ours, theirs = tg.zeros(5, 4) if value_shape[-1] == 4 else tg.zeros(5), \
            torch.zeros(5, 4) if value_shape[-1] == 4 else torch.zeros(5)
        value = np.arange(np.prod(value_shape), dtype=np.float32).reshape(value_shape) + 1
        ours[index] = tg.tensor(value)
        theirs[index] = torch.tensor(value)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    with pytest.raises(RuntimeError, match="setitem"):
        tg.zeros(5)[3] = tg.ones(2, 1)


SETITEM_IN_GRAPH = [  # (index, value shape): basic, advanced, mixed, mask, broadcast, leading size-1 dims
    ((slice(1, 3),), (1, 5)), ((0, [1, 3]),), ((slice(None), 2), (4,)), ((Ellipsis, [0, 4]), (2,)),
    (([0, 2], slice(1, 4)), (2, 3)), ((1,), (1, 1, 5)), ("mask", ()),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", SETITEM_IN_GRAPH, ids=lambda c: str(c[0]))
def test_setitem_inside_the_graph_matches_torch(case: tuple, dtype: Any) -> None:
    """y[index] = v on a non-leaf y, v requiring grad: recorded like torch's (d2l 14.7's
    multibox_detection writes into tensors computed from the network). Values, dL/dx and dL/dv
    with a random upstream gradient; no index repeats a position (torch leaves that order open)."""
    index, *rest = case
    v_shape = rest[0] if rest else ()
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((4, 5)).astype(dtype), rng.standard_normal((4, 5)).astype(dtype)
    v = rng.standard_normal(v_shape).astype(dtype)
    got = []
    for lib in (tg, torch):
        xt, vt = lib.tensor(x, requires_grad=True), lib.tensor(v, requires_grad=True)
        y = xt * 1.5
        y[(y > 0.3) if index == "mask" else index] = vt * 2
        (y * lib.tensor(g)).sum().backward()
        got.append([np.asarray(a.detach().numpy()) for a in (y, xt.grad, vt.grad)])
    for name, a, b in zip(("y", "dL/dx", "dL/dv"), *got):
        assert a.shape == b.shape and a.dtype == b.dtype, name
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6, err_msg=f"{name} for index {index}")


def test_setitem_on_a_leaf_that_requires_grad_is_refused_as_in_torch() -> None:
    for lib in (tg, torch):
        x = lib.zeros(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable"):
            x[0] = 1.0
        assert not x.detach().numpy().any()


@given(st.integers(1, 5), st.integers(1, 4), st.data())
def test_uint8_index_is_a_mask_as_in_torch(rows: int, cols: int, data: Any) -> None:
    """torch reads a uint8 index tensor as a bool mask (deprecated, with a warning), not as
    positions: x[tensor([1, 0, 1], dtype=uint8)] keeps rows 0 and 2."""
    x = np.arange(rows * cols, dtype=np.float64).reshape(rows, cols)
    mask = np.asarray(data.draw(st.lists(st.integers(0, 1), min_size=rows, max_size=rows)), dtype=np.uint8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = torch.tensor(x)[torch.tensor(mask)].numpy()
        ours = tg.tensor(x)[tg.tensor(mask)].numpy()
    assert ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)
