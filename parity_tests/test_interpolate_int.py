"""``F.interpolate`` of integer and bool tensors: torch's values where torch computes them exactly
(uint8 'nearest'/'nearest-exact'), an error wherever torch raises, and an error, rather than
values that differ from torch's, for uint8 'bilinear' (torch rounds it with fixed-point weights)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg

SPATIAL = {"nearest": (1, 2, 3), "nearest-exact": (1, 2, 3), "linear": (1,), "bilinear": (2,), "trilinear": (3,)}
DTYPES = ["uint8", "int8", "int16", "int32", "int64", "bool"]


@given(mode=st.sampled_from(sorted(SPATIAL)), dtype=st.sampled_from(DTYPES), data=st.data())
def test_integer_interpolation_matches_torch_or_raises_where_torch_raises(mode, dtype, data) -> None:
    spatial = data.draw(st.sampled_from(SPATIAL[mode]))
    shape = (data.draw(st.integers(1, 2)), data.draw(st.integers(1, 3))) + \
        tuple(data.draw(st.integers(1, 6)) for _ in range(spatial))
    scale = data.draw(st.sampled_from([0.5, 0.77, 1.0, 1.7, 2.0, 3.3]))
    if any(int(np.floor(n * scale)) < 1 for n in shape[2:]):
        return
    x = np.random.default_rng(0).integers(0, 2 if dtype == "bool" else 120, shape).astype(dtype)
    try:
        theirs = torch.nn.functional.interpolate(torch.from_numpy(x), scale_factor=scale, mode=mode).numpy()
    except (NotImplementedError, RuntimeError):
        theirs = None
    if theirs is None or (mode == "bilinear" and dtype == "uint8"):
        with pytest.raises(NotImplementedError, match=f"interpolate: mode '{mode}'"):
            tg.nn.functional.interpolate(tg.tensor(x), scale_factor=scale, mode=mode)
        return
    ours = tg.nn.functional.interpolate(tg.tensor(x), scale_factor=scale, mode=mode).numpy()
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_uint8_bilinear_says_what_to_do_instead() -> None:
    x = tg.tensor(np.arange(24, dtype=np.uint8).reshape(1, 1, 4, 6))
    with pytest.raises(NotImplementedError, match=r"resize input.float\(\)"):
        tg.nn.functional.interpolate(x, size=(8, 12), mode="bilinear")
