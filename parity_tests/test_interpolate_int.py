"""``F.interpolate`` of integer and bool tensors: torch's values where torch computes them
(uint8 'nearest' and 'nearest-exact', an index pick; uint8 'bilinear', fixed-point arithmetic),
and an error wherever torch raises."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg

SPATIAL = {"nearest": (1, 2, 3), "nearest-exact": (1, 2, 3), "linear": (1,), "bilinear": (2,), "trilinear": (3,)}
DTYPES = ["uint8", "int8", "int16", "int32", "int64", "bool"]
SCALES = [0.5, 0.6, 0.75, 1.0, 1.3, 1.5, 1.7, 2.0, 2.3, 3.3]


@given(mode=st.sampled_from(sorted(SPATIAL)), dtype=st.sampled_from(DTYPES), data=st.data())
def test_integer_interpolation_matches_torch_or_raises_where_torch_raises(mode, dtype, data) -> None:
    spatial = data.draw(st.sampled_from(SPATIAL[mode]))
    shape = (data.draw(st.integers(1, 2)), data.draw(st.integers(1, 3))) + \
        tuple(data.draw(st.integers(1, 6)) for _ in range(spatial))
    scale = data.draw(st.sampled_from(SCALES))
    if any(int(np.floor(n * scale)) < 1 for n in shape[2:]):
        return
    x = np.random.default_rng(0).integers(0, 2 if dtype == "bool" else 120, shape).astype(dtype)
    try:
        theirs = torch.nn.functional.interpolate(torch.from_numpy(x), scale_factor=scale, mode=mode).numpy()
    except (NotImplementedError, RuntimeError):
        with pytest.raises(NotImplementedError, match=f"interpolate: mode '{mode}'"):
            tg.nn.functional.interpolate(tg.tensor(x), scale_factor=scale, mode=mode)
        return
    ours = tg.nn.functional.interpolate(tg.tensor(x), scale_factor=scale, mode=mode).numpy()
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def _torch_per_channel(x: np.ndarray, **kwargs) -> np.ndarray:
    """torch's uint8 bilinear result computed one channel at a time: its Pillow-SIMD path (up to 4
    channels). With more channels torch 2.14 takes a generic path that returns wrong values when
    the output is one pixel wide (every row equal to the first), and with 3 channels it fails an
    internal assert for some sizes; one channel at a time avoids both."""
    t = torch.from_numpy(x)
    return torch.cat([torch.nn.functional.interpolate(t[:, c:c + 1], mode="bilinear", **kwargs)
                      for c in range(x.shape[1])], dim=1).numpy()


@given(st.integers(1, 2), st.integers(1, 6), st.integers(1, 12), st.integers(1, 12), st.booleans(), st.data())
def test_uint8_bilinear_rounds_as_torch(n, c, h, w, align_corners, data) -> None:
    """Every size, scale factor, channel count and align_corners: the same bytes as torch."""
    x = np.random.default_rng(h * 13 + w).integers(0, 256, (n, c, h, w)).astype(np.uint8)
    if data.draw(st.booleans()):
        scale = data.draw(st.sampled_from(SCALES))
        if min(int(np.floor(h * scale)), int(np.floor(w * scale))) < 1:
            return
        kwargs = {"scale_factor": scale}
    else:
        kwargs = {"size": (data.draw(st.integers(1, 16)), data.draw(st.integers(1, 16)))}
    ours = tg.nn.functional.interpolate(tg.tensor(x), mode="bilinear", align_corners=align_corners, **kwargs).numpy()
    reference = _torch_per_channel(x, align_corners=align_corners, **kwargs)
    assert ours.dtype == np.uint8
    np.testing.assert_array_equal(ours, reference)
    if c <= 4:  # torch's own call on all channels at once, where it computes them right
        try:
            whole = torch.nn.functional.interpolate(torch.from_numpy(x), mode="bilinear", align_corners=align_corners,
                                                    **kwargs).numpy()
        except RuntimeError:
            return  # its internal assert (3 channels, some sizes)
        np.testing.assert_array_equal(ours, whole)
