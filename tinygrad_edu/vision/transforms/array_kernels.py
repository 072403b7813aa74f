"""The transforms on NumPy images: (..., C, H, W) arrays, float in [0, 1] or uint8 in [0, 255].

Each kernel follows torchvision.transforms.v2's tensor kernel: the same float32 arithmetic in
the same order where a result is rounded to uint8 (so the integers agree, not only the floats),
and torch's resampling rules for ``resize``. ``functional.py`` picks these for Tensors and
arrays, and ``pil_kernels.py`` for PIL images.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def check_image(arr: np.ndarray, op: str) -> None:
    if arr.ndim < 3:
        raise ValueError(f"{op}: expected an image of shape (..., C, H, W), got shape {arr.shape}")
    if arr.dtype.kind not in "fu" and arr.dtype != np.bool_:
        raise TypeError(f"{op}: expected a float image in [0, 1] or a uint8 image, got dtype {arr.dtype}")


def channels(arr: np.ndarray, op: str) -> int:
    c = arr.shape[-3]
    if c not in (1, 3):
        raise TypeError(f"{op}: expected an image with 1 or 3 channels, got shape {arr.shape}")
    return c


def max_value(dtype: np.dtype) -> float:
    """The value of white: 1.0 for float images, the largest integer otherwise."""
    return 1.0 if dtype.kind == "f" else float(np.iinfo(dtype).max)


def to_float(arr: np.ndarray) -> np.ndarray:
    """An integer image scaled into float32 [0, 1] (v2's ``to_dtype(scale=True)``: times 1/max)."""
    if arr.dtype.kind == "f":
        return arr
    return arr.astype(np.float32) * np.float32(1.0 / max_value(arr.dtype))


def from_float(arr: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Back to an integer dtype as v2 does: times (max + 1 - 1e-3), truncated, so that values
    just under 1.0 still reach the top level."""
    if dtype.kind == "f":
        return arr.astype(dtype, copy=False)
    return (arr * np.float32(max_value(dtype) + 1.0 - 1e-3)).astype(dtype)


# ----------------------------------------------------------------------------- geometry

def hflip(arr: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(arr[..., ::-1])


def vflip(arr: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(arr[..., ::-1, :])


def crop(arr: np.ndarray, top: int, left: int, height: int, width: int) -> np.ndarray:
    """The window; the parts outside the image are zero."""
    h, w = arr.shape[-2:]
    out = np.zeros(arr.shape[:-2] + (height, width), dtype=arr.dtype)
    t0, l0 = max(top, 0), max(left, 0)
    t1, l1 = min(top + height, h), min(left + width, w)
    if t1 > t0 and l1 > l0:
        out[..., t0 - top:t1 - top, l0 - left:l1 - left] = arr[..., t0:t1, l0:l1]
    return out


def pad(arr: np.ndarray, left: int, top: int, right: int, bottom: int, fill: float) -> np.ndarray:
    widths = [(0, 0)] * (arr.ndim - 2) + [(top, bottom), (left, right)]
    return np.pad(arr, widths, constant_values=fill)


def _linear_weights(n_in: int, n_out: int, antialias: bool) -> np.ndarray:
    """(n_out, n_in) matrix of one axis's bilinear resampling, torch's align_corners=False rule.

    Without antialiasing, output i reads source x = (i + 0.5) n_in / n_out - 0.5 (clamped at 0)
    and mixes its two neighbours. With it (and when shrinking), the triangle filter is widened by
    the scale s = n_in / n_out: output i averages the inputs j with weights max(0, 1 - |j + 0.5
    - c| / s) around c = (i + 0.5) s, normalised to sum 1, so every input pixel contributes."""
    scale = n_in / n_out
    m = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    if antialias and scale > 1:
        support = scale
        for i in range(n_out):
            c = (i + 0.5) * scale
            lo, hi = max(int(c - support + 0.5), 0), min(int(c + support + 0.5), n_in)
            j = np.arange(lo, hi)
            w = np.maximum(0.0, 1.0 - np.abs((j - c + 0.5) / scale))
            m[i, lo:hi] = w / w.sum()
        return m
    src = np.maximum((rows + 0.5) * scale - 0.5, 0.0)
    low = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    high = np.minimum(low + 1, n_in - 1)
    frac = src - low
    np.add.at(m, (rows, low), 1 - frac)
    np.add.at(m, (rows, high), frac)
    return m


def resize(arr: np.ndarray, oh: int, ow: int, interpolation: str, antialias: bool) -> np.ndarray:
    """Resample the last two axes to (oh, ow): 'nearest' (source floor(i n_in / n_out), any dtype)
    or 'bilinear' (float; an integer image is resampled in float32 and rounded, as v2 does)."""
    h, w = arr.shape[-2:]
    if (oh, ow) == (h, w):
        return arr
    if interpolation == "nearest":
        rows = np.minimum(np.floor(np.arange(oh) * np.float32(h / oh)).astype(np.int64), h - 1)
        cols = np.minimum(np.floor(np.arange(ow) * np.float32(w / ow)).astype(np.int64), w - 1)
        return np.ascontiguousarray(arr[..., rows, :][..., cols])
    if interpolation != "bilinear":
        raise NotImplementedError(f"resize: interpolation {interpolation!r} is supported on PIL images only; "
                                  f"tensor images take 'bilinear' or 'nearest'")
    dtype = arr.dtype
    x = arr if dtype.kind == "f" else arr.astype(np.float32)
    rows = _linear_weights(h, oh, antialias).astype(x.dtype)
    cols = _linear_weights(w, ow, antialias).astype(x.dtype)
    out = np.matmul(np.matmul(rows, x), cols.T)
    if dtype.kind != "f":
        out = np.clip(np.round(out), 0, max_value(dtype)).astype(dtype)
    return np.ascontiguousarray(out)


# ----------------------------------------------------------------------------- colour

def _fma(x: np.ndarray, y: Any, alpha: np.floating) -> np.ndarray:
    """x + alpha y rounded once to x's dtype, as torch's ``add(x, y, alpha=)`` computes it (a
    fused multiply-add): for float32 the product of two float32 numbers is exact in float64, so
    only the sum is rounded twice, which moves a result only when it lies within 2**-29 of a
    float32 rounding boundary."""
    if x.dtype != np.float32:
        return x + alpha * np.asarray(y, dtype=x.dtype)
    exact = x.astype(np.float64) + np.float64(alpha) * np.asarray(y, dtype=np.float32).astype(np.float64)
    return exact.astype(np.float32)


def grayscale(arr: np.ndarray, keep_dtype: bool = True) -> np.ndarray:
    """0.2989 R + 0.587 G + 0.114 B (ITU-R 601-2), one channel, accumulated as torch does
    (0.2989 R, then two multiply-adds); integer images give float32 sums truncated back to their
    dtype (``keep_dtype``) as v2 does."""
    if arr.shape[-3] == 1:
        return arr.copy()
    f = arr if arr.dtype.kind == "f" else arr.astype(np.float32)
    t = f.dtype.type
    r, g, b = f[..., 0, :, :], f[..., 1, :, :], f[..., 2, :, :]
    luma = _fma(_fma(r * t(0.2989), g, t(0.587)), b, t(0.114))[..., None, :, :]
    return luma.astype(arr.dtype) if keep_dtype else luma


def blend(a: np.ndarray, b: Any, ratio: float) -> np.ndarray:
    """ratio a + (1 - ratio) b (one multiply-add, as torch), clamped to [0, white]; integer images
    truncated back (v2's rule)."""
    f = a if a.dtype.kind == "f" else a.astype(np.float32)
    t = f.dtype.type
    out = np.clip(_fma(f * t(ratio), b, t(1.0 - ratio)), 0, max_value(a.dtype))
    return out.astype(a.dtype)


def adjust_brightness(arr: np.ndarray, factor: float) -> np.ndarray:
    f = arr if arr.dtype.kind == "f" else arr.astype(np.float32)
    return np.clip(f * f.dtype.type(factor), 0, max_value(arr.dtype)).astype(arr.dtype)


def adjust_contrast(arr: np.ndarray, factor: float) -> np.ndarray:
    if arr.shape[-3] == 3:
        grey = grayscale(arr, keep_dtype=False)
        if arr.dtype.kind != "f":
            grey = np.floor(grey)
    else:
        grey = arr if arr.dtype.kind == "f" else arr.astype(np.float32)
    mean = grey.mean(axis=(-3, -2, -1), keepdims=True, dtype=grey.dtype)
    return blend(arr, mean, factor)


def adjust_saturation(arr: np.ndarray, factor: float) -> np.ndarray:
    if arr.shape[-3] == 1:
        return arr.copy()
    grey = grayscale(arr, keep_dtype=False)
    if arr.dtype.kind != "f":
        grey = np.floor(grey)
    return blend(arr, grey, factor)


def rgb_to_hsv(rgb: np.ndarray) -> np.ndarray:
    """Hue in [0, 1) (a sixth per sector of the colour circle), saturation (max - min) / max,
    value max; grey pixels (max = min) get hue and saturation 0. Written in v2's operation order
    so that float32 results round the same way."""
    t = rgb.dtype.type
    vmax, vmin = rgb.max(axis=-3), rgb.min(axis=-3)
    grey = vmax == vmin
    spread = vmax - vmin
    sat = spread / np.where(grey, t(1), vmax)
    dist = (vmax[..., None, :, :] - rgb) / np.where(grey, t(1), spread)[..., None, :, :]
    rc, gc, bc = dist[..., 0, :, :], dist[..., 1, :, :], dist[..., 2, :, :]
    r_is_max = vmax == rgb[..., 0, :, :]
    g_is_max = (vmax == rgb[..., 1, :, :]) & ~r_is_max
    b_is_max = ~r_is_max & ~g_is_max
    hue = ((bc - gc) * r_is_max + ((rc + t(2)) - bc) * g_is_max) + ((gc + t(4)) - rc) * b_is_max
    hue = np.fmod(hue * t(1.0 / 6.0) + t(1), t(1))
    return np.stack([hue, sat, vmax], axis=-3).astype(rgb.dtype)


def hsv_to_rgb(hsv: np.ndarray) -> np.ndarray:
    """The inverse: sector i = floor(6 h) says which of v, p = v(1 - s), q = v(1 - s f) and
    t = v(1 - s (1 - f)) go to r, g and b (f = 6h - i)."""
    t1 = hsv.dtype.type
    h, s, v = hsv[..., 0, :, :], hsv[..., 1, :, :], hsv[..., 2, :, :]
    h6 = h * t1(6)
    sector = np.floor(h6)
    f = h6 - sector
    sf = s * f
    q = np.clip((t1(1) - sf) * v, 0, 1)
    t = np.clip((sf + (t1(1) - s)) * v, 0, 1)
    p = np.clip((t1(1) - s) * v, 0, 1)
    i = np.mod(sector.astype(np.int64), 6)
    table = np.stack([v, p, q, t])
    pick = np.array([[0, 2, 1, 1, 3, 0], [3, 0, 0, 2, 1, 1], [1, 1, 3, 0, 0, 2]])
    out = [np.take_along_axis(table, pick[c][i][None], axis=0)[0] for c in range(3)]
    return np.stack(out, axis=-3).astype(hsv.dtype)


def adjust_hue(arr: np.ndarray, factor: float) -> np.ndarray:
    """Rotate the hue by ``factor`` turns, in float32 (an integer image is scaled in and back)."""
    if arr.shape[-3] == 1 or arr.size == 0:
        return arr.copy()
    f = to_float(arr)
    hsv = rgb_to_hsv(f)
    hsv[..., 0, :, :] = np.mod(hsv[..., 0, :, :] + f.dtype.type(factor), f.dtype.type(1))
    return from_float(hsv_to_rgb(hsv), arr.dtype)


def normalize(arr: np.ndarray, mean: Any, std: Any) -> np.ndarray:
    m = np.asarray(mean, dtype=arr.dtype).reshape(-1, 1, 1)
    s = np.asarray(std, dtype=arr.dtype).reshape(-1, 1, 1)
    return (arr - m) / s


