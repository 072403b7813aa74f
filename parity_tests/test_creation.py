"""Creation ops bit for bit against torch: arange, linspace, logspace, eye, full, the random
factories' dtypes, the default float dtype, and NumPy 2's ``__array__`` protocol.

A last bit matters here: d2l 5.1 plots relu's gradient on ``arange(-8.0, 8.0, 0.1)``, whose
element 80 is +4.4e-16 in torch (gradient 1) and was -2.8e-14 with NumPy's arange (gradient 0).
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg

FLOAT_DTYPES = ["float32", "float64"]
RANGE_DTYPES = FLOAT_DTYPES + ["int64", "int32"]

# start, step: fractional, negative, exact integers, the book's -8.0 / 0.1, and tiny or large values
starts = st.one_of(st.sampled_from([-8.0, 0.0, 1.0, -1.5, 0.1]), st.integers(-50, 50),
                   st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False))
steps = st.one_of(st.sampled_from([0.1, -0.1, 0.3, 1 / 3, 2.5, -0.25, 1, -2, 1e-3]),
                  st.integers(-7, 7).filter(lambda s: s != 0),
                  st.floats(-10, 10, allow_nan=False).filter(lambda s: abs(s) > 1e-2))


def _same(ours: tg.Tensor, theirs: torch.Tensor, what: str) -> None:
    """Same dtype, shape and bits (so +0.0 and -0.0 count as different, as a last bit does)."""
    a, b = ours.numpy(), theirs.numpy()
    assert str(a.dtype) == str(b.dtype).replace("torch.", ""), f"{what}: dtype {a.dtype} != torch's {b.dtype}"
    assert a.shape == b.shape, f"{what}: shape {a.shape} != torch's {b.shape}"
    assert a.tobytes() == b.tobytes(), \
        f"{what}: {np.count_nonzero(a != b)} of {a.size} values differ; first at {np.flatnonzero(a != b)[:5]}"


def test_the_books_relu_range_is_torchs_bit_for_bit() -> None:
    ours, theirs = tg.arange(-8.0, 8.0, 0.1), torch.arange(-8.0, 8.0, 0.1)
    _same(ours, theirs, "arange(-8.0, 8.0, 0.1)")
    assert ours.numpy()[80] == theirs.numpy()[80] > 0
    x = tg.arange(-8.0, 8.0, 0.1, requires_grad=True)
    tg.relu(x).sum().backward()
    xt = torch.arange(-8.0, 8.0, 0.1, requires_grad=True)
    torch.relu(xt).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), xt.grad.numpy())


@given(start=starts, step=steps, count=st.integers(0, 300), dtype=st.sampled_from(RANGE_DTYPES))
def test_arange_matches_torch_bit_for_bit(start, step, count, dtype) -> None:
    end = start + step * count + (step * 0.5 if count % 3 == 0 else 0)
    args = (start, end, step)
    try:
        theirs = torch.arange(*args, dtype=getattr(torch, dtype))
    except RuntimeError as e:
        with pytest.raises(RuntimeError):
            tg.arange(*args, dtype=getattr(tg, dtype))
        assert "step" in str(e) or "bound" in str(e) or "range" in str(e)
        return
    _same(tg.arange(*args, dtype=getattr(tg, dtype)), theirs, f"arange{args} {dtype}")


@given(start=starts, step=steps, count=st.integers(0, 200))
def test_arange_infers_torchs_dtype(start, step, count) -> None:
    end = start + step * count
    try:
        theirs = torch.arange(start, end, step)
    except RuntimeError:
        return
    _same(tg.arange(start, end, step), theirs, f"arange({start}, {end}, {step})")


@given(start=st.floats(-100, 100), end=st.floats(-100, 100), n=st.integers(0, 200),
       dtype=st.sampled_from(FLOAT_DTYPES + ["int64"]))
def test_linspace_matches_torch_bit_for_bit(start, end, n, dtype) -> None:
    _same(tg.linspace(start, end, n, dtype=getattr(tg, dtype)),
          torch.linspace(start, end, n, dtype=getattr(torch, dtype)), f"linspace({start}, {end}, {n}) {dtype}")


@given(start=st.floats(-5, 5), end=st.floats(-5, 5), n=st.integers(0, 100),
       base=st.sampled_from([10.0, 2.0, 2.5, 0.5, np.e]))
def test_logspace_float64_matches_torch_bit_for_bit(start, end, n, base) -> None:
    _same(tg.logspace(start, end, n, base=base, dtype=tg.float64),
          torch.logspace(start, end, n, base=base, dtype=torch.float64), f"logspace({start}, {end}, {n}, {base})")


@given(start=st.floats(-5, 5), end=st.floats(-5, 5), n=st.integers(0, 100), base=st.sampled_from([10.0, 2.0]))
def test_logspace_float32_is_within_eight_ulps_of_torch(start, end, n, base) -> None:
    """The one creation op that is not bit-exact: torch's float32 logspace is not C's pow in double
    rounded once (ours is, so ours is within half an ulp of the exact power); torch's differs from
    that by up to 4 float32 ulps (seen at 0.777: 2.4e-7). The bound is 8 ulps, relative."""
    ours = tg.logspace(start, end, n, base=base).numpy()
    theirs = torch.logspace(start, end, n, base=base).numpy()
    assert ours.dtype == theirs.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, rtol=8 * 2.0 ** -24, atol=0)


@given(n=st.integers(0, 12), m=st.one_of(st.none(), st.integers(0, 12)),
       dtype=st.sampled_from([None, "float32", "float64", "int64", "bool"]))
def test_eye_matches_torch(n, m, dtype) -> None:
    kw = {} if dtype is None else {"dtype": getattr(torch, dtype)}
    ours_kw = {} if dtype is None else {"dtype": getattr(tg, "bool_" if dtype == "bool" else dtype)}
    theirs = torch.eye(n, m, **kw) if m is not None else torch.eye(n, **kw)
    _same(tg.eye(n, m, **ours_kw), theirs, f"eye({n}, {m}) {dtype}")


@given(fill=st.one_of(st.booleans(), st.integers(-5, 5), st.floats(-1e6, 1e6, allow_nan=False)),
       shape=st.lists(st.integers(0, 3), max_size=3))
def test_full_infers_torchs_dtype_from_the_fill_value(fill, shape) -> None:
    _same(tg.full(tuple(shape), fill), torch.full(tuple(shape), fill), f"full({shape}, {fill!r})")


@pytest.mark.parametrize("default", ["float32", "float64"])
def test_factories_follow_the_default_dtype_as_torchs_do(default) -> None:
    saved = torch.get_default_dtype(), tg.get_default_dtype()
    torch.set_default_dtype(getattr(torch, default))
    tg.set_default_dtype(getattr(tg, default))
    try:
        cases = {
            "tensor(1.5)": lambda m: m.tensor(1.5), "tensor([1, 2])": lambda m: m.tensor([1, 2]),
            "zeros": lambda m: m.zeros(2), "ones": lambda m: m.ones(2, 3), "empty": lambda m: m.empty(2),
            "full float": lambda m: m.full((2,), 0.5), "rand": lambda m: m.rand(2), "randn": lambda m: m.randn(2),
            "normal": lambda m: m.normal(0.0, 1.0, (2,)), "randint": lambda m: m.randint(0, 5, (2,)),
            "arange float": lambda m: m.arange(0.0, 1.0, 0.25), "arange int": lambda m: m.arange(3),
            "linspace": lambda m: m.linspace(0, 1, 5), "logspace": lambda m: m.logspace(0, 1, 5),
            "eye": lambda m: m.eye(2), "int / int": lambda m: m.arange(3) / 2, "int * float": lambda m: m.arange(3) * 2.5,
            "exp of int": lambda m: m.arange(3).exp(), ".float()": lambda m: m.arange(3).float(),
            "Linear": lambda m: m.nn.Linear(2, 2).weight, "Conv2d": lambda m: m.nn.Conv2d(1, 1, 3).bias,
            "BatchNorm2d": lambda m: m.nn.BatchNorm2d(2).running_mean, "RNN": lambda m: m.nn.RNN(2, 3).weight_ih_l0,
        }
        for what, make in cases.items():
            ours, theirs = make(tg), make(torch)
            assert str(ours.dtype) == str(theirs.dtype).replace("torch.", ""), \
                f"{what} with default {default}: {ours.dtype} != torch's {theirs.dtype}"
        assert str(tg.get_default_dtype()) == str(torch.get_default_dtype()).replace("torch.", "")
    finally:
        torch.set_default_dtype(saved[0])
        tg.set_default_dtype(saved[1])


@pytest.mark.parametrize("bad", ["int64", "bool_", float, "float64"])
def test_set_default_dtype_refuses_what_torch_refuses(bad) -> None:
    ours = getattr(tg, bad) if isinstance(bad, str) and bad != "float64" else bad
    theirs = getattr(torch, bad.rstrip("_")) if isinstance(bad, str) and bad != "float64" else bad
    with pytest.raises(TypeError):
        torch.set_default_dtype(theirs)
    with pytest.raises(TypeError, match="set_default_dtype: only floating-point types"):
        tg.set_default_dtype(ours)
    assert tg.get_default_dtype() == tg.float32


def test_array_protocol_as_numpy_2_documents_it() -> None:
    """__array__(dtype=None, copy=None): copy=None shares memory when it can, copy=True always
    copies, copy=False never copies and raises where a copy is needed; no DeprecationWarning."""
    t = tg.tensor([1.0, 2.0, 3.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        shared = np.asarray(t)
        assert np.shares_memory(shared, t.numpy())
        no_copy = np.array(t, copy=False)
        assert np.shares_memory(no_copy, t.numpy())
        copied = np.array(t)
        assert not np.shares_memory(copied, t.numpy())
        copied[0] = 9
        assert t.numpy()[0] == 1.0
        cast = np.asarray(t, dtype=np.float64)
        assert cast.dtype == np.float64 and not np.shares_memory(cast, t.numpy())
        with pytest.raises(ValueError):
            np.array(t, dtype=np.float64, copy=False)
        assert np.array(tg.tensor(2.0), copy=False).shape == ()
