"""``torchvision.transforms``: image transforms as callable objects (d2l ch. 14), and
``functional`` with each one as a function.

Each class takes what torchvision's takes (a PIL image, a Tensor, or a NumPy array) and returns
the same kind. The random ones draw from tinygrad_edu's generator (``tinygrad_edu.manual_seed``)
with the draws torchvision makes from torch's, and their ``get_params`` static methods are
torchvision's, for code that draws once and applies the same window to an image and its label
map (d2l 14.9).
"""
from __future__ import annotations

import math
from typing import Any, Callable, Optional, Sequence

import numpy as np

from . import functional
from .functional import InterpolationMode

__all__ = ["functional", "InterpolationMode", "Compose", "Lambda", "ToTensor", "PILToTensor", "ToPILImage",
           "Normalize", "Resize", "CenterCrop", "Pad", "Grayscale", "RandomCrop", "RandomHorizontalFlip",
           "RandomVerticalFlip", "RandomResizedCrop", "ColorJitter"]


def _rng() -> np.random.Generator:
    from ...creation import _generator
    return _generator()


def _pair(size: Any, op: str) -> tuple[int, int]:
    return functional._pair(size, op)


class Compose:
    """Apply transforms one after another."""

    def __init__(self, transforms: Sequence[Callable[[Any], Any]]) -> None:
        self.transforms = list(transforms)

    def __call__(self, img: Any) -> Any:
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self) -> str:
        inner = "".join(f"\n    {t!r}" for t in self.transforms)
        return f"Compose({inner}\n)"


class Lambda:
    """A user function as a transform."""

    def __init__(self, lambd: Callable[[Any], Any]) -> None:
        if not callable(lambd):
            raise TypeError(f"Lambda: argument should be callable, got {type(lambd).__name__}")
        self.lambd = lambd

    def __call__(self, img: Any) -> Any:
        return self.lambd(img)


class ToTensor:
    """PIL image or (H, W, C) array -> (C, H, W) Tensor, 8-bit values scaled to [0, 1]."""

    def __call__(self, pic: Any) -> Any:
        return functional.to_tensor(pic)

    def __repr__(self) -> str:
        return "ToTensor()"


class PILToTensor:
    """PIL image -> (C, H, W) Tensor of its own integer type, unscaled."""

    def __call__(self, pic: Any) -> Any:
        return functional.pil_to_tensor(pic)


class ToPILImage:
    """(C, H, W) Tensor or (H, W, C) array -> PIL image."""

    def __init__(self, mode: Optional[str] = None) -> None:
        self.mode = mode

    def __call__(self, pic: Any) -> Any:
        return functional.to_pil_image(pic, self.mode)


class Normalize:
    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> None:
        self.mean, self.std, self.inplace = mean, std, inplace

    def __call__(self, tensor: Any) -> Any:
        return functional.normalize(tensor, self.mean, self.std, self.inplace)

    def __repr__(self) -> str:
        return f"Normalize(mean={self.mean}, std={self.std})"


class Resize:
    def __init__(self, size: Any, interpolation: Any = InterpolationMode.BILINEAR, max_size: Optional[int] = None,
                 antialias: Optional[bool] = True) -> None:
        if not isinstance(size, (int, Sequence)) or (isinstance(size, Sequence) and len(size) not in (1, 2)):
            raise TypeError(f"Resize: size should be an int or a sequence of 1 or 2 ints, got {size!r}")
        self.size, self.max_size, self.antialias = size, max_size, antialias
        self.interpolation = InterpolationMode(functional._interpolation(interpolation, "Resize"))

    def __call__(self, img: Any) -> Any:
        return functional.resize(img, self.size, self.interpolation, self.max_size, self.antialias)

    def __repr__(self) -> str:
        return f"Resize(size={self.size}, interpolation={self.interpolation.value}, max_size={self.max_size}, " \
               f"antialias={self.antialias})"


class CenterCrop:
    def __init__(self, size: Any) -> None:
        self.size = _pair(size, "CenterCrop")

    def __call__(self, img: Any) -> Any:
        return functional.center_crop(img, self.size)

    def __repr__(self) -> str:
        return f"CenterCrop(size={self.size})"


class Pad:
    def __init__(self, padding: Any, fill: Any = 0, padding_mode: str = "constant") -> None:
        functional._padding(padding, "Pad")
        self.padding, self.fill, self.padding_mode = padding, fill, padding_mode

    def __call__(self, img: Any) -> Any:
        return functional.pad(img, self.padding, self.fill, self.padding_mode)


class Grayscale:
    def __init__(self, num_output_channels: int = 1) -> None:
        self.num_output_channels = num_output_channels

    def __call__(self, img: Any) -> Any:
        return functional.rgb_to_grayscale(img, self.num_output_channels)


class RandomCrop:
    """A random window of ``size`` after optional ``padding`` (and padding up to the size when
    ``pad_if_needed``)."""

    def __init__(self, size: Any, padding: Any = None, pad_if_needed: bool = False, fill: Any = 0,
                 padding_mode: str = "constant") -> None:
        self.size = _pair(size, "RandomCrop")
        self.padding, self.pad_if_needed, self.fill, self.padding_mode = padding, pad_if_needed, fill, padding_mode

    @staticmethod
    def get_params(img: Any, output_size: tuple[int, int]) -> tuple[int, int, int, int]:
        """(top, left, height, width) of a window of ``output_size`` drawn uniformly in ``img``."""
        _, h, w = functional.get_dimensions(img)
        th, tw = output_size
        if h < th or w < tw:
            raise ValueError(f"RandomCrop: required crop size {(th, tw)} is larger than input image size {(h, w)}")
        if (h, w) == (th, tw):
            return 0, 0, h, w
        rng = _rng()
        top = int(rng.integers(0, h - th + 1))
        left = int(rng.integers(0, w - tw + 1))
        return top, left, th, tw

    def __call__(self, img: Any) -> Any:
        if self.padding is not None:
            img = functional.pad(img, self.padding, self.fill, self.padding_mode)
        _, h, w = functional.get_dimensions(img)
        if self.pad_if_needed and w < self.size[1]:
            img = functional.pad(img, [self.size[1] - w, 0], self.fill, self.padding_mode)
        if self.pad_if_needed and h < self.size[0]:
            img = functional.pad(img, [0, self.size[0] - h], self.fill, self.padding_mode)
        return functional.crop(img, *self.get_params(img, self.size))

    def __repr__(self) -> str:
        return f"RandomCrop(size={self.size}, padding={self.padding})"


class _RandomFlip:
    """Flip with probability ``p`` (one uniform draw per call)."""
    flip: Callable[[Any], Any]

    def __init__(self, p: float = 0.5) -> None:
        self.p = p

    def __call__(self, img: Any) -> Any:
        return type(self).flip(img) if _rng().random() < self.p else img

    def __repr__(self) -> str:
        return f"{type(self).__name__}(p={self.p})"


class RandomHorizontalFlip(_RandomFlip):
    flip = staticmethod(functional.hflip)


class RandomVerticalFlip(_RandomFlip):
    flip = staticmethod(functional.vflip)


class RandomResizedCrop:
    """A window covering a random ``scale`` fraction of the area with a random aspect ``ratio``
    (log-uniform), resized to ``size``; after 10 failed draws, the centre crop of the clamped
    ratio (torchvision's rule)."""

    def __init__(self, size: Any, scale: tuple[float, float] = (0.08, 1.0),
                 ratio: tuple[float, float] = (3.0 / 4.0, 4.0 / 3.0),
                 interpolation: Any = InterpolationMode.BILINEAR, antialias: Optional[bool] = True) -> None:
        self.size = _pair(size, "RandomResizedCrop")
        if not isinstance(scale, Sequence) or not isinstance(ratio, Sequence):
            raise TypeError("RandomResizedCrop: scale and ratio should be sequences of two numbers")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            raise ValueError(f"RandomResizedCrop: scale {tuple(scale)} and ratio {tuple(ratio)} should be of kind (min, max)")
        self.scale, self.ratio, self.antialias = scale, ratio, antialias
        self.interpolation = InterpolationMode(functional._interpolation(interpolation, "RandomResizedCrop"))

    @staticmethod
    def get_params(img: Any, scale: Sequence[float], ratio: Sequence[float]) -> tuple[int, int, int, int]:
        """(top, left, height, width) of a random window: its area a uniform fraction of the
        image in ``scale``, its aspect w/h log-uniform in ``ratio`` (its logarithm and exponential
        taken in the default float dtype, as torchvision does)."""
        from ...tensor import get_default_dtype
        _, height, width = functional.get_dimensions(img)
        area = height * width
        rng = _rng()
        real = np.dtype(get_default_dtype()).type
        log_lo, log_hi = (float(v) for v in np.log(np.asarray(ratio, dtype=real)))
        for _ in range(10):
            target = area * float(rng.uniform(scale[0], scale[1]))
            aspect = float(np.exp(real(rng.uniform(log_lo, log_hi))))
            w = int(round(math.sqrt(target * aspect)))
            h = int(round(math.sqrt(target / aspect)))
            if 0 < w <= width and 0 < h <= height:
                top = int(rng.integers(0, height - h + 1))
                left = int(rng.integers(0, width - w + 1))
                return top, left, h, w
        in_ratio = width / height
        if in_ratio < min(ratio):
            w, h = width, int(round(width / min(ratio)))
        elif in_ratio > max(ratio):
            h, w = height, int(round(height * max(ratio)))
        else:
            w, h = width, height
        return (height - h) // 2, (width - w) // 2, h, w

    def __call__(self, img: Any) -> Any:
        top, left, h, w = self.get_params(img, self.scale, self.ratio)
        return functional.resized_crop(img, top, left, h, w, self.size, self.interpolation, antialias=self.antialias)

    def __repr__(self) -> str:
        return f"RandomResizedCrop(size={self.size}, scale={tuple(self.scale)}, ratio={tuple(self.ratio)})"


class ColorJitter:
    """Random brightness, contrast, saturation and hue changes, applied in a random order. A
    number b means a factor drawn from [max(0, 1 - b), 1 + b] (hue: from [-h, h])."""

    def __init__(self, brightness: Any = 0, contrast: Any = 0, saturation: Any = 0, hue: Any = 0) -> None:
        self.brightness = self._range("brightness", brightness)
        self.contrast = self._range("contrast", contrast)
        self.saturation = self._range("saturation", saturation)
        self.hue = self._range("hue", hue, center=0.0, bound=(-0.5, 0.5), clip=False)

    @staticmethod
    def _range(name: str, value: Any, center: float = 1.0, bound: tuple[float, float] = (0.0, float("inf")),
               clip: bool = True) -> Optional[tuple[float, float]]:
        if isinstance(value, (int, float)):
            if value < 0:
                raise ValueError(f"ColorJitter: if {name} is a single number, it must be non negative, got {value}")
            lo, hi = center - value, center + value
            if clip:
                lo = max(lo, 0.0)
        elif isinstance(value, (tuple, list)) and len(value) == 2:
            lo, hi = float(value[0]), float(value[1])
        else:
            raise TypeError(f"ColorJitter: {name} should be a single number or a list/tuple with length 2, got {value!r}")
        if not bound[0] <= lo <= hi <= bound[1]:
            raise ValueError(f"ColorJitter: {name} values should be between {bound}, got ({lo}, {hi})")
        return None if lo == hi == center else (lo, hi)

    @staticmethod
    def get_params(brightness: Optional[tuple[float, float]], contrast: Optional[tuple[float, float]],
                   saturation: Optional[tuple[float, float]], hue: Optional[tuple[float, float]]) -> tuple[Any, ...]:
        """The order of the four adjustments (a permutation of 0..3) and each factor, drawn
        uniformly from its range (None where the range is None)."""
        rng = _rng()
        order = np.asarray(rng.permutation(4))
        factors = [None if r is None else float(rng.uniform(r[0], r[1]))
                   for r in (brightness, contrast, saturation, hue)]
        return (order, *factors)

    def __call__(self, img: Any) -> Any:
        order, b, c, s, h = self.get_params(self.brightness, self.contrast, self.saturation, self.hue)
        adjust = (functional.adjust_brightness, functional.adjust_contrast, functional.adjust_saturation,
                  functional.adjust_hue)
        for k in order:
            factor = (b, c, s, h)[int(k)]
            if factor is not None:
                img = adjust[int(k)](img, factor)
        return img

    def __repr__(self) -> str:
        return f"ColorJitter(brightness={self.brightness}, contrast={self.contrast}, " \
               f"saturation={self.saturation}, hue={self.hue})"
