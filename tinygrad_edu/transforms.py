"""Image augmentation on NumPy (d2l ch. 14.1), with torchvision's names and tensor semantics.

Images are (C, H, W) or (..., C, H, W) float arrays in [0, 1] (or tinygrad_edu Tensors, which
come back as Tensors); ``to_tensor``/``ToTensor`` turns an (H, W, C) uint8 picture into one.
The functional forms are deterministic; each ``Random*`` class draws its parameters from a
NumPy generator (``generator=`` or a fresh seeded one) and then calls the functional form.
Augmentation happens on the data side, outside the autograd graph.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Optional, Sequence

import numpy as np

__all__ = ["to_tensor", "normalize", "hflip", "vflip", "resize", "crop", "center_crop", "pad", "resized_crop",
           "rgb_to_grayscale", "adjust_brightness", "adjust_contrast", "adjust_saturation", "adjust_hue",
           "Compose", "ToTensor", "Normalize", "Resize", "CenterCrop", "RandomCrop", "RandomHorizontalFlip",
           "RandomVerticalFlip", "RandomResizedCrop", "ColorJitter"]


# ----------------------------------------------------------------------------- helpers

def _unwrap(img: Any, op: str, min_rank: int = 3) -> tuple[np.ndarray, Callable[[np.ndarray], Any]]:
    """The image as a NumPy array and a function that gives the result back in the input's kind."""
    from .tensor import Tensor
    if isinstance(img, Tensor):
        arr, wrap = img.detach().numpy(), (lambda a: Tensor(a))
    elif isinstance(img, np.ndarray):
        arr, wrap = img, (lambda a: a)
    else:
        raise TypeError(f"{op}: expected a NumPy array or a Tensor image, got {type(img).__name__}")
    if arr.ndim < min_rank:
        raise ValueError(f"{op}: expected an image of shape (..., C, H, W), got shape {arr.shape}")
    return arr, wrap


def _float_image(arr: np.ndarray, op: str) -> None:
    if arr.dtype.kind != "f":
        raise TypeError(f"{op}: expected a float image in [0, 1] (use to_tensor first), got dtype {arr.dtype}")


def _channels(arr: np.ndarray, op: str, allowed: tuple[int, ...] = (1, 3)) -> int:
    c = arr.shape[-3]
    if c not in allowed:
        raise TypeError(f"{op}: expected an image with {' or '.join(map(str, allowed))} channels, got shape {arr.shape}")
    return c


def _size_pair(size: Any, op: str) -> tuple[int, int]:
    if isinstance(size, (int, np.integer)):
        return int(size), int(size)
    if isinstance(size, (tuple, list)) and len(size) in (1, 2):
        return (int(size[0]), int(size[0])) if len(size) == 1 else (int(size[0]), int(size[1]))
    raise ValueError(f"{op}: size must be an int or a pair (h, w), got {size!r}")


# ----------------------------------------------------------------------------- conversion

def to_tensor(pic: Any) -> Any:
    """(H, W, C) or (H, W) uint8 in [0, 255] -> (C, H, W) float32 in [0, 1] (as a Tensor)."""
    from .tensor import Tensor
    arr = pic.numpy() if isinstance(pic, Tensor) else np.asarray(pic)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if arr.ndim != 3:
        raise ValueError(f"to_tensor: expected an (H, W) or (H, W, C) picture, got shape {arr.shape}")
    out = arr.transpose(2, 0, 1).astype(np.float32)
    if arr.dtype == np.uint8:
        out /= 255.0
    return Tensor(np.ascontiguousarray(out))


def normalize(img: Any, mean: Sequence[float], std: Sequence[float]) -> Any:
    """(img - mean[c]) / std[c] for each channel c."""
    arr, wrap = _unwrap(img, "normalize")
    _float_image(arr, "normalize")
    m = np.asarray(mean, dtype=arr.dtype).reshape(-1, 1, 1)
    s = np.asarray(std, dtype=arr.dtype).reshape(-1, 1, 1)
    if (s == 0).any():
        raise ValueError(f"normalize: std evaluated to zero after conversion to {arr.dtype}, leading to division by zero")
    if m.shape[0] not in (1, arr.shape[-3]) or s.shape[0] not in (1, arr.shape[-3]):
        raise ValueError(f"normalize: {len(mean)} means and {len(std)} stds for an image with {arr.shape[-3]} channels")
    return wrap((arr - m) / s)


# ----------------------------------------------------------------------------- geometry

def hflip(img: Any) -> Any:
    """Mirror left-right."""
    arr, wrap = _unwrap(img, "hflip")
    return wrap(np.ascontiguousarray(arr[..., ::-1]))


def vflip(img: Any) -> Any:
    """Mirror top-bottom."""
    arr, wrap = _unwrap(img, "vflip")
    return wrap(np.ascontiguousarray(arr[..., ::-1, :]))


def _axis_weights(n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bilinear resampling along one axis, torch's half-pixel rule without antialiasing:
    source = (dst + 0.5) * n_in / n_out - 0.5, clamped at 0; interpolate between floor and +1."""
    src = np.maximum((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0.0)
    low = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    high = np.minimum(low + 1, n_in - 1)
    return low, high, src - low


def resize(img: Any, size: Any, interpolation: str = "bilinear", antialias: bool = False) -> Any:
    """Resample to ``size`` = (h, w), or to a shorter side of ``size`` keeping the aspect ratio
    when it is one int (torchvision's rule). 'bilinear' (torch's tensor semantics with
    antialias=False) or 'nearest'."""
    arr, wrap = _unwrap(img, "resize")
    _float_image(arr, "resize")
    if antialias:
        raise NotImplementedError("resize: antialias=True is not supported here (torch's antialias=False semantics)")
    h, w = arr.shape[-2:]
    if isinstance(size, (int, np.integer)) or (isinstance(size, (list, tuple)) and len(size) == 1):
        short = int(size if isinstance(size, (int, np.integer)) else size[0])
        oh, ow = (short, int(short * w / h)) if h <= w else (int(short * h / w), short)
    else:
        oh, ow = _size_pair(size, "resize")
    if oh <= 0 or ow <= 0:
        raise ValueError(f"resize: the output size ({oh}, {ow}) must be positive (image shape {arr.shape})")
    if interpolation == "nearest":
        rows = np.minimum(np.floor(np.arange(oh) * (h / oh)).astype(np.int64), h - 1)
        cols = np.minimum(np.floor(np.arange(ow) * (w / ow)).astype(np.int64), w - 1)
        return wrap(np.ascontiguousarray(arr[..., rows, :][..., cols]))
    if interpolation != "bilinear":
        raise ValueError(f"resize: interpolation must be 'bilinear' or 'nearest', got {interpolation!r}")
    r0, r1, tr = _axis_weights(h, oh)
    c0, c1, tc = _axis_weights(w, ow)
    tr = tr.astype(arr.dtype)[:, None]
    tc = tc.astype(arr.dtype)
    rows = arr[..., r0, :] * (1 - tr) + arr[..., r1, :] * tr
    return wrap(np.ascontiguousarray(rows[..., c0] * (1 - tc) + rows[..., c1] * tc))


def crop(img: Any, top: int, left: int, height: int, width: int) -> Any:
    """The (height, width) window at (top, left); parts outside the image are zero (as torchvision)."""
    arr, wrap = _unwrap(img, "crop")
    h, w = arr.shape[-2:]
    if height <= 0 or width <= 0:
        raise ValueError(f"crop: height and width must be positive, got ({height}, {width})")
    out = np.zeros(arr.shape[:-2] + (height, width), dtype=arr.dtype)
    t0, l0 = max(top, 0), max(left, 0)
    t1, l1 = min(top + height, h), min(left + width, w)
    if t1 > t0 and l1 > l0:
        out[..., t0 - top:t1 - top, l0 - left:l1 - left] = arr[..., t0:t1, l0:l1]
    return wrap(out)


def center_crop(img: Any, output_size: Any) -> Any:
    """The centred window of ``output_size`` (zero-padded if the image is smaller)."""
    arr, _ = _unwrap(img, "center_crop")
    oh, ow = _size_pair(output_size, "center_crop")
    h, w = arr.shape[-2:]
    # a smaller image is padded first, the extra pixel (if odd) at the bottom/right
    top = -((oh - h) // 2) if oh > h else int(round((h - oh) / 2.0))
    left = -((ow - w) // 2) if ow > w else int(round((w - ow) / 2.0))
    return crop(img, top, left, oh, ow)


def pad(img: Any, padding: Any, fill: float = 0.0) -> Any:
    """Constant padding: an int (all sides), (left/right, top/bottom) or (left, top, right, bottom)."""
    arr, wrap = _unwrap(img, "pad")
    p = [padding] * 4 if isinstance(padding, (int, np.integer)) else list(padding)
    if len(p) == 2:
        p = [p[0], p[1], p[0], p[1]]
    if len(p) != 4 or min(p) < 0:
        raise ValueError(f"pad: padding must be an int or 2 or 4 non-negative ints, got {padding!r}")
    left, top, right, bottom = (int(v) for v in p)
    widths = [(0, 0)] * (arr.ndim - 2) + [(top, bottom), (left, right)]
    return wrap(np.pad(arr, widths, constant_values=fill))


def resized_crop(img: Any, top: int, left: int, height: int, width: int, size: Any,
                 interpolation: str = "bilinear", antialias: bool = False) -> Any:
    """crop, then resize to ``size``."""
    return resize(crop(img, top, left, height, width), size, interpolation, antialias)


# ----------------------------------------------------------------------------- colour

def rgb_to_grayscale(img: Any) -> Any:
    """Luma 0.2989 R + 0.587 G + 0.114 B (ITU-R 601-2, as torchvision), one channel."""
    arr, wrap = _unwrap(img, "rgb_to_grayscale")
    if _channels(arr, "rgb_to_grayscale") == 1:
        return wrap(arr.copy())
    r, g, b = arr[..., 0, :, :], arr[..., 1, :, :], arr[..., 2, :, :]
    return wrap((0.2989 * r + 0.587 * g + 0.114 * b).astype(arr.dtype)[..., None, :, :])


def _blend(a: np.ndarray, b: Any, factor: float) -> np.ndarray:
    """factor * a + (1 - factor) * b, kept in [0, 1]."""
    return np.clip(factor * a + (1.0 - factor) * b, 0.0, 1.0).astype(a.dtype)


def _check_factor(op: str, factor: float) -> None:
    if factor < 0:
        raise ValueError(f"{op}: the factor must be non-negative, got {factor}")


def adjust_brightness(img: Any, brightness_factor: float) -> Any:
    """Scale every value by the factor (0 gives black, 1 the image)."""
    arr, wrap = _unwrap(img, "adjust_brightness")
    _float_image(arr, "adjust_brightness")
    _check_factor("adjust_brightness", brightness_factor)
    _channels(arr, "adjust_brightness")
    return wrap(_blend(arr, 0.0, brightness_factor))


def adjust_contrast(img: Any, contrast_factor: float) -> Any:
    """Blend with the image's mean grey level (0 gives flat grey, 1 the image)."""
    arr, wrap = _unwrap(img, "adjust_contrast")
    _float_image(arr, "adjust_contrast")
    _check_factor("adjust_contrast", contrast_factor)
    grey = arr if _channels(arr, "adjust_contrast") == 1 else rgb_to_grayscale(arr)
    mean = grey.mean(axis=(-3, -2, -1), keepdims=True)
    return wrap(_blend(arr, mean, contrast_factor))


def adjust_saturation(img: Any, saturation_factor: float) -> Any:
    """Blend with the grey version (0 gives grey, 1 the image); a grey image is returned as is."""
    arr, wrap = _unwrap(img, "adjust_saturation")
    _float_image(arr, "adjust_saturation")
    _check_factor("adjust_saturation", saturation_factor)
    if _channels(arr, "adjust_saturation") == 1:
        return wrap(arr.copy())
    return wrap(_blend(arr, rgb_to_grayscale(arr), saturation_factor))


def _rgb_to_hsv(rgb: np.ndarray) -> np.ndarray:
    """Hue in [0, 1) (a sixth per sector of the colour circle), saturation (max - min) / max, value max."""
    r, g, b = rgb[..., 0, :, :], rgb[..., 1, :, :], rgb[..., 2, :, :]
    v, lo = rgb.max(axis=-3), rgb.min(axis=-3)
    spread = v - lo
    grey = spread == 0
    s = spread / np.where(v == 0, 1, v)
    d = np.where(grey, 1, spread)
    h = np.where(v == r, (g - b) / d, np.where(v == g, 2 + (b - r) / d, 4 + (r - g) / d))
    h = np.where(grey, 0, h)
    return np.stack([np.mod(h / 6.0, 1.0), s, v], axis=-3).astype(rgb.dtype)


def _hsv_to_rgb(hsv: np.ndarray) -> np.ndarray:
    """The inverse: sector i = floor(6h) picks which of v, p, q, t go to r, g, b."""
    h, s, v = hsv[..., 0, :, :], hsv[..., 1, :, :], hsv[..., 2, :, :]
    h6 = h * 6.0
    i = np.floor(h6)
    f = h6 - i
    i = i.astype(np.int64) % 6
    p = np.clip(v * (1 - s), 0, 1)
    q = np.clip(v * (1 - s * f), 0, 1)
    t = np.clip(v * (1 - s * (1 - f)), 0, 1)
    table = np.stack([v, p, q, t])  # rows of the sector table index into these
    pick = np.array([[0, 2, 1, 1, 3, 0], [3, 0, 0, 2, 1, 1], [1, 1, 3, 0, 0, 2]])
    out = [np.take_along_axis(table, pick[c][i][None], axis=0)[0] for c in range(3)]
    return np.stack(out, axis=-3).astype(hsv.dtype)


def adjust_hue(img: Any, hue_factor: float) -> Any:
    """Rotate the hue by ``hue_factor`` turns (in [-0.5, 0.5]); a grey image is returned as is."""
    arr, wrap = _unwrap(img, "adjust_hue")
    _float_image(arr, "adjust_hue")
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"adjust_hue: hue_factor ({hue_factor}) is not in [-0.5, 0.5]")
    if _channels(arr, "adjust_hue") == 1:
        return wrap(arr.copy())
    hsv = _rgb_to_hsv(arr)
    hsv[..., 0, :, :] = np.mod(hsv[..., 0, :, :] + hue_factor, 1.0)
    return wrap(_hsv_to_rgb(hsv))


# ----------------------------------------------------------------------------- classes

class _Random:
    def __init__(self, generator: Optional[np.random.Generator] = None) -> None:
        self.rng = generator if generator is not None else np.random.default_rng()


class Compose:
    """Apply transforms one after another."""

    def __init__(self, transforms: Sequence[Callable[[Any], Any]]) -> None:
        self.transforms = list(transforms)

    def __call__(self, img: Any) -> Any:
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self) -> str:
        return "Compose(" + ", ".join(type(t).__name__ for t in self.transforms) + ")"


class ToTensor:
    def __call__(self, pic: Any) -> Any:
        return to_tensor(pic)


class Normalize:
    def __init__(self, mean: Sequence[float], std: Sequence[float]) -> None:
        self.mean, self.std = mean, std

    def __call__(self, img: Any) -> Any:
        return normalize(img, self.mean, self.std)


class Resize:
    def __init__(self, size: Any, interpolation: str = "bilinear", antialias: bool = False) -> None:
        self.size, self.interpolation, self.antialias = size, interpolation, antialias

    def __call__(self, img: Any) -> Any:
        return resize(img, self.size, self.interpolation, self.antialias)


class CenterCrop:
    def __init__(self, size: Any) -> None:
        self.size = size

    def __call__(self, img: Any) -> Any:
        return center_crop(img, self.size)


class RandomCrop(_Random):
    """A random window of ``size`` after optional zero ``padding``."""

    def __init__(self, size: Any, padding: Any = None, fill: float = 0.0,
                 generator: Optional[np.random.Generator] = None) -> None:
        super().__init__(generator)
        self.size, self.padding, self.fill = _size_pair(size, "RandomCrop"), padding, fill

    def __call__(self, img: Any) -> Any:
        if self.padding is not None:
            img = pad(img, self.padding, self.fill)
        arr, _ = _unwrap(img, "RandomCrop")
        (h, w), (th, tw) = arr.shape[-2:], self.size
        if th > h or tw > w:
            raise ValueError(f"RandomCrop: crop size {self.size} is larger than the (padded) image {(h, w)}")
        top, left = int(self.rng.integers(0, h - th + 1)), int(self.rng.integers(0, w - tw + 1))
        return crop(img, top, left, th, tw)


class RandomHorizontalFlip(_Random):
    def __init__(self, p: float = 0.5, generator: Optional[np.random.Generator] = None) -> None:
        super().__init__(generator)
        self.p = p

    def __call__(self, img: Any) -> Any:
        return hflip(img) if self.rng.random() < self.p else img


class RandomVerticalFlip(_Random):
    def __init__(self, p: float = 0.5, generator: Optional[np.random.Generator] = None) -> None:
        super().__init__(generator)
        self.p = p

    def __call__(self, img: Any) -> Any:
        return vflip(img) if self.rng.random() < self.p else img


class RandomResizedCrop(_Random):
    """A window covering a random ``scale`` fraction of the area with a random aspect ``ratio``
    (log-uniform), resized to ``size``; after 10 failed draws, the centre crop of the clamped
    ratio (torchvision's rule)."""

    def __init__(self, size: Any, scale: tuple[float, float] = (0.08, 1.0),
                 ratio: tuple[float, float] = (3 / 4, 4 / 3), interpolation: str = "bilinear",
                 antialias: bool = False, generator: Optional[np.random.Generator] = None) -> None:
        super().__init__(generator)
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            raise ValueError(f"RandomResizedCrop: scale {scale} and ratio {ratio} must be (min, max)")
        self.size, self.scale, self.ratio = _size_pair(size, "RandomResizedCrop"), scale, ratio
        self.interpolation, self.antialias = interpolation, antialias

    def get_params(self, height: int, width: int) -> tuple[int, int, int, int]:
        area = height * width
        log_ratio = (math.log(self.ratio[0]), math.log(self.ratio[1]))
        for _ in range(10):
            target = area * self.rng.uniform(*self.scale)
            aspect = math.exp(self.rng.uniform(*log_ratio))
            w = int(round(math.sqrt(target * aspect)))
            h = int(round(math.sqrt(target / aspect)))
            if 0 < w <= width and 0 < h <= height:
                return int(self.rng.integers(0, height - h + 1)), int(self.rng.integers(0, width - w + 1)), h, w
        in_ratio = width / height
        if in_ratio < self.ratio[0]:
            w, h = width, int(round(width / self.ratio[0]))
        elif in_ratio > self.ratio[1]:
            h, w = height, int(round(height * self.ratio[1]))
        else:
            w, h = width, height
        return (height - h) // 2, (width - w) // 2, h, w

    def __call__(self, img: Any) -> Any:
        arr, _ = _unwrap(img, "RandomResizedCrop")
        top, left, h, w = self.get_params(*arr.shape[-2:])
        return resized_crop(img, top, left, h, w, self.size, self.interpolation, self.antialias)


class ColorJitter(_Random):
    """Random brightness, contrast, saturation and hue changes, applied in a random order. A
    number b means a factor drawn from [max(0, 1 - b), 1 + b] (hue: from [-h, h])."""

    def __init__(self, brightness: Any = 0, contrast: Any = 0, saturation: Any = 0, hue: Any = 0,
                 generator: Optional[np.random.Generator] = None) -> None:
        super().__init__(generator)
        self.brightness = self._range("brightness", brightness)
        self.contrast = self._range("contrast", contrast)
        self.saturation = self._range("saturation", saturation)
        self.hue = self._range("hue", hue, center=0.0, bound=(-0.5, 0.5))

    @staticmethod
    def _range(name: str, value: Any, center: float = 1.0,
               bound: tuple[float, float] = (0.0, float("inf"))) -> Optional[tuple[float, float]]:
        if isinstance(value, (int, float)):
            if value < 0:
                raise ValueError(f"ColorJitter: if {name} is a single number, it must be non negative, got {value}")
            lo, hi = center - value, center + value
            lo = max(lo, 0.0) if center == 1.0 else lo
        else:
            lo, hi = float(value[0]), float(value[1])
        if not bound[0] <= lo <= hi <= bound[1]:
            raise ValueError(f"ColorJitter: {name} values should be between {bound}, got ({lo}, {hi})")
        return None if lo == hi == center else (lo, hi)

    def __call__(self, img: Any) -> Any:
        steps = [(self.brightness, adjust_brightness), (self.contrast, adjust_contrast),
                 (self.saturation, adjust_saturation), (self.hue, adjust_hue)]
        for k in self.rng.permutation(4):
            bounds, fn = steps[k]
            if bounds is not None:
                img = fn(img, float(self.rng.uniform(*bounds)))
        return img
