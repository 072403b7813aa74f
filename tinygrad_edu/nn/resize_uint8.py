"""Bilinear resizing of uint8 images in integer arithmetic, as torch does it (no gradient: integer
tensors have none).

torch does not resize a uint8 image by interpolating in floats and rounding: it follows
Pillow-SIMD. Per resized dimension it computes each output's two source weights in double,
scales them to 16-bit integers with as many fraction bits p as the largest weight allows, and
then forms ``(sum_k w_k * x_k + 2^(p-1)) >> p``, clamped to 0..255: a rounded fixed-point dot
product. The width is resized first and the result stored as uint8, then the height, so there
are two roundings. A dimension whose size does not change is not touched.

The weights are the antialiasing filter's with the plain bilinear support of 1 pixel (torch
computes antialias=False as a special case of antialias=True): for output i, centre
c = scale (i + 0.5 - d) with d = 0.5 under ``align_corners`` and 0 otherwise, source pixels
from int(c - 1 + 0.5 + d) to int(c + 1 + 0.5 + d), weight (1 - |j - c + 0.5 - d|)+ each,
normalised to sum 1.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

_SUPPORT = 1.0  # bilinear: one pixel either side
_TAPS = 2


def _scale(n_in: int, n_out: int, align_corners: bool, scale_factor: Optional[float]) -> float:
    if align_corners:
        return (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    return 1.0 / scale_factor if scale_factor is not None and scale_factor > 0 else n_in / n_out


def _int16_weights(n_in: int, n_out: int, align_corners: bool,
                   scale_factor: Optional[float]) -> tuple[np.ndarray, np.ndarray, int]:
    """(first source index, int weights (n_out, 2), fraction bits) for one dimension."""
    scale = _scale(n_in, n_out, align_corners, scale_factor)
    delta = 0.5 if align_corners else 0.0
    first = np.zeros(n_out, np.int64)
    weights = np.zeros((n_out, _TAPS))
    for i in range(n_out):
        centre = scale * (i + 0.5 - delta)
        lo = max(int(centre - _SUPPORT + 0.5 + delta), 0)
        size = min(max(min(int(centre + _SUPPORT + 0.5 + delta), n_in) - lo, 0), _TAPS)
        w = np.array([max(0.0, 1.0 - abs(j + lo - centre + 0.5 - delta)) for j in range(size)])
        if w.sum() != 0.0:
            w = w / w.sum()
        first[i], weights[i, :size] = lo, w
    w_max = float(weights.max(initial=0.0))
    bits = 0
    while bits < 22 and int(0.5 + w_max * (1 << (bits + 1))) < (1 << 15):
        bits += 1
    return first, np.floor(0.5 + weights * (1 << bits)).astype(np.int64), bits


def _resize_axis(x: np.ndarray, axis: int, n_out: int, align_corners: bool,
                 scale_factor: Optional[float]) -> np.ndarray:
    n_in = x.shape[axis]
    if n_out == n_in:
        return x
    first, weights, bits = _int16_weights(n_in, n_out, align_corners, scale_factor)
    src = np.moveaxis(x.astype(np.int64), axis, -1)
    total = np.full(src.shape[:-1] + (n_out,), 1 << (bits - 1) if bits else 0, np.int64)
    for k in range(_TAPS):
        index = np.minimum(first + k, n_in - 1)
        total += src[..., index] * weights[:, k]
    out = np.clip(total >> bits, 0, 255).astype(np.uint8)
    return np.moveaxis(out, -1, axis)


def bilinear_uint8(x: np.ndarray, size: tuple[int, int], align_corners: bool,
                   scale_factors: tuple[Optional[float], Optional[float]]) -> np.ndarray:
    """(N, C, H, W) uint8 resized to ``size`` = (H', W'): the width first, then the height."""
    wide = _resize_axis(x, 3, size[1], align_corners, scale_factors[1])
    return _resize_axis(wide, 2, size[0], align_corners, scale_factors[0])
