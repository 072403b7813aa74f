"""The names of tensor_more.py (and sum's dtype, flip's checks) where Hypothesis rarely goes:
nan and ties in the running extremes, infinities in logaddexp and logcumsumexp, and the errors
torch raises for bad arguments, raised here with the same type."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import tinygrad_edu as tg


def _both(fn: Callable[[Any], Any]) -> tuple[Any, Any]:
    return fn(tg), fn(torch)


def test_running_extremes_keep_the_latest_tie_and_propagate_nan() -> None:
    values = [1.0, 3.0, 3.0, 2.0, float("nan"), 5.0, float("nan")]
    for name in ("cummax", "cummin"):
        ours, theirs = _both(lambda T, name=name: getattr(T, name)(T.tensor(values), 0))
        np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
        np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())
    ints = _both(lambda T: T.cummax(T.tensor([[2, 2, 1], [0, 5, 5]]), 1).indices)
    np.testing.assert_array_equal(ints[0].numpy(), ints[1].numpy())


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "cummax", "cummin", "logcumsumexp"])
def test_a_scan_of_a_0d_tensor_takes_dim_0_or_minus_1_only(name: str) -> None:
    """A 0-d tensor has one position: torch's scans accept dim 0 and -1 for it and raise
    IndexError for any other dim (tinygrad's test_ops checks cummax's)."""
    for dim in (0, -1):
        ours, theirs = _both(lambda T, dim=dim: getattr(T, name)(T.tensor(1.5), dim=dim))
        ours, theirs = (ours[0], theirs[0]) if name in ("cummax", "cummin") else (ours, theirs)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    for dim in (1, -2):
        for T in (tg, torch):
            with pytest.raises(IndexError):
                getattr(T, name)(T.tensor(1.5), dim=dim)


def test_logaddexp_and_logcumsumexp_at_infinities_and_far_apart_values() -> None:
    inf = float("inf")
    cases = [lambda T: T.logaddexp(T.tensor([inf, -inf, inf, 1e30, -1e30]), T.tensor([inf, -inf, -inf, 1.0, 2.0])),
             lambda T: T.logcumsumexp(T.tensor([-1000.0, 0.0, 1000.0, -inf, inf]), 0),
             lambda T: T.logcumsumexp(T.tensor([-inf, -inf, 3.0]), 0)]
    for case in cases:
        ours, theirs = _both(case)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_sum_and_prod_take_a_dtype() -> None:
    for case in (lambda T: T.tensor([True, True]).sum(dtype=T.int32), lambda T: T.sum(T.tensor([1, 2]), 0, dtype=T.float64),
                 lambda T: T.tensor([[1, 2], [3, 4]], dtype=T.int32).sum(1), lambda T: T.tensor([1.5, 2.0]).prod(dtype=T.float64)):
        ours, theirs = _both(case)
        assert ours.numpy().dtype == theirs.numpy().dtype, (ours.dtype, theirs.dtype)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


BAD = [
    ("flip twice the same dim", lambda T: T.zeros(2, 3).flip(0, -2)),
    ("flip without dims", lambda T: T.zeros(2, 3).flip()),
    ("flip out of range", lambda T: T.zeros(2, 3).flip(2)),
    ("unfold too large", lambda T: T.arange(7.0).unfold(0, 8, 1)),
    ("unfold step 0", lambda T: T.arange(7.0).unfold(0, 3, 0)),
    ("unflatten wrong product", lambda T: T.zeros(6).unflatten(0, (4, 2))),
    ("diag of 3-d", lambda T: T.diag(T.zeros(2, 2, 2))),
    ("diagonal same dims", lambda T: T.zeros(2, 3).diagonal(0, 1, -1)),
    ("logaddexp of integers", lambda T: T.logaddexp(T.tensor([1]), T.tensor([2]))),
    ("logcumsumexp of integers", lambda T: T.logcumsumexp(T.tensor([1, 2]), 0)),
    ("fmod of integers by zero", lambda T: T.fmod(T.tensor([5]), 0)),
    ("nonzero_static negative size", lambda T: T.nonzero_static(T.tensor([1, 0]), size=-1)),
]


@pytest.mark.parametrize("what, call", BAD, ids=[b[0] for b in BAD])
def test_bad_arguments_raise_what_torch_raises(what: str, call: Callable[[Any], Any]) -> None:
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)) as ours:
        call(tg)
    assert str(ours.value), what


def test_diagonal_is_a_copy_and_says_so() -> None:
    """torch's diagonal is a view; ours is a copy (tinygrad_edu has no views), so its docstring says so."""
    assert "copy" in tg.Tensor.diagonal.__doc__


def test_scatter_multiply_matches_torch_forward_and_has_no_derivative_as_torch() -> None:
    """scatter(..., reduce='multiply') multiplies at the targets (repeated targets multiply twice);
    torch defines no derivative for it, so backward raises on both sides."""
    index, src = [[0, 1, 0], [2, 0, 2]], [[2.0, 3.0, 5.0], [7.0, 11.0, 13.0]]
    cases = [lambda T: T.arange(1.0, 9.0).reshape(2, 4).scatter(1, T.tensor(index), T.tensor(src), reduce="multiply"),
             lambda T: T.arange(1.0, 9.0).reshape(2, 4).scatter(1, T.tensor(index), value=1.5, reduce="multiply")]
    for case in cases:
        ours, theirs = _both(case)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    for T in (tg, torch):
        x = T.ones(2, 4, requires_grad=True)
        y = x.scatter(1, T.tensor(index), T.tensor(src), reduce="multiply")
        with pytest.raises(RuntimeError):
            y.sum().backward()


@pytest.mark.parametrize("dtype", ["int32", "int16", "float64", "uint8", "float32"])
def test_view_as_another_dtype_reads_the_same_bytes(dtype: str) -> None:
    """x.view(dtype) reinterprets the bytes (the last dim splits or merges when the element size
    differs) and has no gradient, as torch's; a size that does not divide raises as torch's."""
    a = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    ours = tg.tensor(a, requires_grad=True).view(getattr(tg, dtype))
    theirs = torch.tensor(a, requires_grad=True).view(getattr(torch, dtype))
    assert ours.shape == tuple(theirs.shape) and not ours.requires_grad and not theirs.requires_grad
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    for T in (tg, torch):
        with pytest.raises(RuntimeError):
            T.ones(3, 3).view(T.float64)
        with pytest.raises(RuntimeError):
            T.tensor(1.0).view(T.int16)
