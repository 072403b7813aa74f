"""repr(tensor) is torch's, character for character, under any set_printoptions: drawn dtypes,
shapes (0-d, empty, summarised), values (whole numbers, tiny and huge magnitudes, nan, inf, -0.0)
and options (precision, threshold, edgeitems, linewidth, sci_mode, profiles)."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from hypothesis import example, given, strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg

VALUES = {
    "whole": st.integers(-300, 300).map(float),
    "plain": st.floats(-50, 50, allow_nan=False, width=32),
    "wide": st.floats(-2.0 ** 40, 2.0 ** 40, allow_nan=False, width=32),
    "tiny": st.floats(-2.0 ** -10, 2.0 ** -10, allow_nan=False, width=32),
    "special": st.sampled_from([0.0, -0.0, float("nan"), float("inf"), -float("inf"), 1.0, 1e-5, 1e9]),
}


@st.composite
def printed(draw):
    dtype = draw(st.sampled_from([np.float32, np.float64, np.float16, np.int64, np.int32, np.uint8, np.bool_]))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=9))
    if np.dtype(dtype).kind == "f":
        kinds = draw(st.lists(st.sampled_from(sorted(VALUES)), min_size=1, max_size=3, unique=True))
        elements = st.one_of(*[VALUES[k] for k in kinds])
        with np.errstate(over="ignore"):  # float16 turns the large values into inf, as intended
            a = draw(hnp.arrays(np.float64, shape, elements=elements)).astype(dtype)
    elif dtype == np.bool_:
        a = draw(hnp.arrays(dtype, shape))
    else:
        info = np.iinfo(dtype)
        a = draw(hnp.arrays(dtype, shape, elements=st.integers(max(info.min, -10**6), min(info.max, 10**6))))
    options = draw(st.fixed_dictionaries({}, optional={
        "precision": st.integers(0, 8), "threshold": st.integers(1, 60), "edgeitems": st.integers(0, 4),
        "linewidth": st.integers(10, 120), "sci_mode": st.sampled_from([None, True, False]),
        "profile": st.sampled_from(["default", "short", "full"])}))
    return a, options


def _unwrapped(text: str) -> str:
    return re.sub(r",\n +(size|dtype)=", r", \1=", text)


# the boundaries, always tried: magnitudes spanning 500x (fixed) and 2000x (scientific), a row
# longer than the line, whole numbers, a summarised matrix, 1e-4 itself, a tiny value shown fixed
@example((np.array([0.1, 50.0], np.float32), {}))
@example((np.array([0.01, 25.0], np.float32), {}))
@example((np.arange(30, dtype=np.float32) / 7, {}))
@example((np.arange(-5.0, 40.0), {"linewidth": 33}))
@example((np.arange(4000, dtype=np.float64).reshape(40, 100) / 3, {"edgeitems": 2}))
@example((np.array([1e-4, 0.05], np.float64), {}))
@example((np.array(1e-6, np.float32), {"precision": 0, "sci_mode": False}))
@given(printed())
def test_repr_is_torchs_under_any_print_options(case):
    a, options = case
    try:
        torch.set_printoptions(**options)
        tg.set_printoptions(**options)
        ours = repr(tg.tensor(a))
        theirs = repr(torch.from_numpy(a.copy())).replace("torch.", "")
    finally:
        torch.set_printoptions(profile="default", sci_mode=None)
        tg.set_printoptions(profile="default", sci_mode=None)
    # dtypes print as "float64", torch's as "torch.float64": six characters shorter, so a suffix
    # that goes on a new line in torch's may fit on the line here; suffixes are compared unwrapped
    assert _unwrapped(ours) == _unwrapped(theirs), f"options {options}\nours:\n{ours}\ntorch:\n{theirs}"


def test_the_books_first_line_of_the_anchor_box_section():
    try:
        torch.set_printoptions(2)
        tg.set_printoptions(2)
        x = np.array([[0.06, 0.07, 0.63, 0.82]], dtype=np.float32)
        assert repr(tg.tensor(x)) == repr(torch.tensor(x)) == "tensor([[0.06, 0.07, 0.63, 0.82]])"
    finally:
        torch.set_printoptions(profile="default")
        tg.set_printoptions(profile="default")


def test_suffixes_and_bad_profile():
    assert repr(tg.tensor([1.0], requires_grad=True)) == "tensor([1.], requires_grad=True)"
    assert repr(tg.zeros(0, 2, dtype=tg.int64)) == "tensor([], size=(0, 2), dtype=int64)"
    with pytest.raises(ValueError, match="profile"):
        tg.set_printoptions(profile="long")
