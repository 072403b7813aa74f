"""``torchvision.transforms.functional``: each transform as a function of one image.

An image is a PIL image, a tinygrad_edu Tensor or a NumPy array; what goes in comes out (a PIL
image stays a PIL image, as torchvision returns it). Tensors and arrays are (..., C, H, W), float
in [0, 1] or uint8 in [0, 255] (``array_kernels``); PIL images go to Pillow's own operations
(``pil_kernels``), as torchvision sends them, so both paths give torchvision's pixels.
"""
from __future__ import annotations

import numbers
from enum import Enum
from typing import Any, Callable, Optional, Sequence

import numpy as np

from . import array_kernels as K
from . import pil_kernels as P

__all__ = ["InterpolationMode", "to_tensor", "pil_to_tensor", "to_pil_image", "normalize", "resize", "pad", "crop",
           "center_crop", "resized_crop", "hflip", "vflip", "rgb_to_grayscale", "to_grayscale", "adjust_brightness",
           "adjust_contrast", "adjust_saturation", "adjust_hue", "get_dimensions", "get_image_size",
           "get_image_num_channels"]


class InterpolationMode(Enum):
    """How ``resize`` samples: the values torchvision uses (strings are accepted too)."""
    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


_PIL_CODES = {0: "nearest", 1: "lanczos", 2: "bilinear", 3: "bicubic", 4: "box", 5: "hamming"}


def _interpolation(value: Any, op: str) -> str:
    if isinstance(value, InterpolationMode):
        return value.value
    if isinstance(value, (int, np.integer)) and int(value) in _PIL_CODES:
        return _PIL_CODES[int(value)]
    if isinstance(value, str) and value in {m.value for m in InterpolationMode}:
        return value
    raise TypeError(f"{op}: interpolation must be an InterpolationMode, one of its names as a string "
                    f"or a PIL filter code, got {value!r}")


# ----------------------------------------------------------------------------- dispatch

def _apply(img: Any, op: str, on_array: Callable[[np.ndarray], np.ndarray],
           on_pil: Optional[Callable[[Any], Any]] = None, pil_modes: tuple[str, ...] = P.MODES) -> Any:
    """Run the kernel for ``img``'s kind and give the result back in that kind."""
    from ...tensor import Tensor
    if P.is_pil(img):
        if on_pil is None:
            raise TypeError(f"{op}: expected a Tensor image, got a PIL image (use to_tensor first)")
        P.check_mode(img, op, pil_modes)
        return on_pil(img)
    if isinstance(img, Tensor):
        arr = img.detach().numpy()
        K.check_image(arr, op)
        return Tensor(on_array(arr))
    if isinstance(img, np.ndarray):
        K.check_image(img, op)
        return on_array(img)
    raise TypeError(f"{op}: expected a PIL image, a Tensor or a NumPy array, got {type(img).__name__}")


def get_dimensions(img: Any, op: str = "get_dimensions") -> list[int]:
    """[channels, height, width]."""
    if P.is_pil(img):
        return [P.channels(img), img.height, img.width]
    arr = _array(img, op)
    return [int(arr.shape[-3]), int(arr.shape[-2]), int(arr.shape[-1])]


def get_image_size(img: Any) -> list[int]:
    """[width, height] (torchvision's order)."""
    c, h, w = get_dimensions(img)
    return [w, h]


def get_image_num_channels(img: Any) -> int:
    return get_dimensions(img)[0]


def _array(img: Any, op: str) -> np.ndarray:
    from ...tensor import Tensor
    arr = img.detach().numpy() if isinstance(img, Tensor) else img
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"{op}: expected a PIL image, a Tensor or a NumPy array, got {type(img).__name__}")
    K.check_image(arr, op)
    return arr


def _check_factor(op: str, name: str, factor: float) -> None:
    if factor < 0:
        raise ValueError(f"{op}: {name} ({factor}) is not non-negative.")


# ----------------------------------------------------------------------------- conversion

def to_tensor(pic: Any) -> Any:
    """A PIL image or an (H, W, C) / (H, W) array -> a (C, H, W) Tensor; 8-bit values become the
    default float dtype divided by 255, other types keep theirs (torchvision's ToTensor)."""
    from ...tensor import Tensor, get_default_dtype
    if P.is_pil(pic):
        P.check_mode(pic, "to_tensor")
        arr = P.to_array(pic, scaled=True)
    elif isinstance(pic, (Tensor, np.ndarray)):
        arr = pic.numpy() if isinstance(pic, Tensor) else pic
        if arr.ndim not in (2, 3):
            raise ValueError(f"to_tensor: expected an (H, W) or (H, W, C) picture, got shape {arr.shape}")
        arr = arr[:, :, None] if arr.ndim == 2 else arr
    else:
        raise TypeError(f"to_tensor: pic should be a PIL image or a NumPy array, got {type(pic).__name__}")
    out = np.ascontiguousarray(arr.transpose(2, 0, 1))
    if out.dtype == np.uint8:
        dtype = np.dtype(get_default_dtype())
        out = out.astype(dtype) / dtype.type(255)
    return Tensor(out)


def pil_to_tensor(pic: Any) -> Any:
    """A PIL image -> a (C, H, W) Tensor of its own integer type (uint8 for 8-bit modes), unscaled."""
    from ...tensor import Tensor
    if not P.is_pil(pic):
        raise TypeError(f"pil_to_tensor: pic should be a PIL image, got {type(pic).__name__}")
    P.check_mode(pic, "pil_to_tensor")
    return Tensor(np.ascontiguousarray(P.to_array(pic).transpose(2, 0, 1)))


def to_pil_image(pic: Any, mode: Optional[str] = None) -> Any:
    """A (C, H, W) Tensor or an (H, W, C) array -> a PIL image; float values in [0, 1] are scaled
    to 8 bits by times 255, truncated (torchvision's rule), unless mode is 'F'."""
    from ...tensor import Tensor
    if isinstance(pic, Tensor):
        arr = pic.detach().numpy()
        if arr.ndim == 2:
            arr = arr[None]
        if arr.ndim != 3:
            raise ValueError(f"to_pil_image: expected a (C, H, W) or (H, W) tensor, got shape {arr.shape}")
        if arr.dtype.kind == "f" and mode != "F":
            arr = (arr * arr.dtype.type(255)).astype(np.uint8)
        arr = arr.transpose(1, 2, 0)
    elif isinstance(pic, np.ndarray):
        arr = pic[:, :, None] if pic.ndim == 2 else pic
        if arr.ndim != 3:
            raise ValueError(f"to_pil_image: expected an (H, W, C) or (H, W) array, got shape {pic.shape}")
        if arr.dtype.kind == "f" and mode != "F":
            arr = (arr * 255).astype(np.uint8)
    else:
        raise TypeError(f"to_pil_image: pic should be a Tensor or a NumPy array, got {type(pic).__name__}")
    if arr.shape[2] > 4:
        raise ValueError(f"to_pil_image: at most 4 channels are supported, got {arr.shape[2]} (shape {arr.shape})")
    return P.from_array(arr, mode)


def normalize(tensor: Any, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> Any:
    """(x - mean[c]) / std[c] for each channel c of a float image. ``inplace`` is accepted for
    torchvision's signature; the result is always a new tensor."""
    if P.is_pil(tensor):
        raise TypeError("normalize: img should be a Tensor image, got a PIL image (use to_tensor first)")
    arr = _array(tensor, "normalize")
    if arr.dtype.kind != "f":
        raise TypeError(f"normalize: input tensor should be a float tensor, got {arr.dtype}")
    # mean and std may be sequences, arrays or tensors; as torchvision, they take the image's dtype
    means, stds = np.asarray(mean, dtype=arr.dtype), np.asarray(std, dtype=arr.dtype)
    if (stds == 0).any():
        raise ValueError(f"normalize: std evaluated to zero after conversion to {arr.dtype}, leading to division by zero.")
    c = arr.shape[-3]
    if means.size not in (1, c) or stds.size not in (1, c):
        raise ValueError(f"normalize: {means.size} means and {stds.size} stds for an image with {c} channels")
    return _apply(tensor, "normalize", lambda a: K.normalize(a, means, stds))


# ----------------------------------------------------------------------------- geometry

def hflip(img: Any) -> Any:
    """Mirror left-right."""
    return _apply(img, "hflip", K.hflip, P.hflip)


def vflip(img: Any) -> Any:
    """Mirror top-bottom."""
    return _apply(img, "vflip", K.vflip, P.vflip)


def _output_size(h: int, w: int, size: Any, max_size: Optional[int], op: str) -> tuple[int, int]:
    """torchvision's rule: (h, w) as given, or the shorter side set to one int keeping the aspect
    ratio (the longer side truncated), capped at ``max_size``."""
    if isinstance(size, (list, tuple)) and len(size) == 2:
        if max_size is not None:
            raise ValueError(f"{op}: max_size should only be passed if size specifies the length of the smaller "
                             f"edge, i.e. size should be an int or a sequence of length 1, got {list(size)}")
        oh, ow = int(size[0]), int(size[1])
    elif isinstance(size, (int, np.integer)) or (isinstance(size, (list, tuple)) and len(size) == 1):
        short = int(size if isinstance(size, (int, np.integer)) else size[0])
        long_side, short_side = (h, w) if w <= h else (w, h)
        new_short, new_long = short, int(short * long_side / short_side)
        if max_size is not None:
            if max_size <= short:
                raise ValueError(f"{op}: max_size = {max_size} must be strictly greater than the requested size "
                                 f"for the smaller edge, got {short}")
            if new_long > max_size:
                new_short, new_long = int(max_size * new_short / new_long), max_size
        oh, ow = (new_long, new_short) if w <= h else (new_short, new_long)
    else:
        raise TypeError(f"{op}: size should be an int or a sequence of 1 or 2 ints, got {size!r}")
    if oh <= 0 or ow <= 0:
        raise ValueError(f"{op}: the output size ({oh}, {ow}) must be positive (image size {(h, w)})")
    return oh, ow


def resize(img: Any, size: Any, interpolation: Any = InterpolationMode.BILINEAR, max_size: Optional[int] = None,
           antialias: Optional[bool] = True) -> Any:
    """Resample to ``size`` ((h, w), or the shorter side when one int). Tensors: torch's bilinear
    (antialiased when shrinking unless antialias=False) or nearest; PIL: Pillow's filters."""
    mode = _interpolation(interpolation, "resize")
    _, h, w = get_dimensions(img, "resize")
    oh, ow = _output_size(h, w, size, max_size, "resize")
    use_aa = bool(antialias) and mode in ("bilinear", "bicubic", "lanczos")
    return _apply(img, "resize", lambda a: K.resize(a, oh, ow, mode, use_aa), lambda p: P.resize(p, oh, ow, mode))


def crop(img: Any, top: int, left: int, height: int, width: int) -> Any:
    """The (height, width) window at (top, left); parts outside the image are zero."""
    if height <= 0 or width <= 0:
        raise ValueError(f"crop: height and width must be positive, got ({height}, {width})")
    top, left, height, width = int(top), int(left), int(height), int(width)
    return _apply(img, "crop", lambda a: K.crop(a, top, left, height, width),
                  lambda p: P.crop(p, top, left, height, width))


def _pair(size: Any, op: str) -> tuple[int, int]:
    if isinstance(size, numbers.Number):
        return int(size), int(size)  # type: ignore[call-overload]
    if isinstance(size, (list, tuple)) and len(size) in (1, 2):
        return (int(size[0]), int(size[0])) if len(size) == 1 else (int(size[0]), int(size[1]))
    raise ValueError(f"{op}: size must be an int or a sequence of 1 or 2 ints (h, w), got {size!r}")


def center_crop(img: Any, output_size: Any) -> Any:
    """The centred window of ``output_size``: a smaller image is zero-padded first (the odd pixel
    at the bottom/right), and the top-left corner is round((size - crop) / 2)."""
    ch, cw = _pair(output_size, "center_crop")
    _, h, w = get_dimensions(img, "center_crop")
    if ch > h or cw > w:
        left, top = (cw - w) // 2 if cw > w else 0, (ch - h) // 2 if ch > h else 0
        right, bottom = (cw - w + 1) // 2 if cw > w else 0, (ch - h + 1) // 2 if ch > h else 0
        img = pad(img, [left, top, right, bottom], fill=0)
        _, h, w = get_dimensions(img)
        if (ch, cw) == (h, w):
            return img
    return crop(img, int(round((h - ch) / 2.0)), int(round((w - cw) / 2.0)), ch, cw)


def _padding(padding: Any, op: str) -> tuple[int, int, int, int]:
    p = [padding] if isinstance(padding, (int, np.integer)) else list(padding) \
        if isinstance(padding, (list, tuple)) else None
    if p is None or len(p) not in (1, 2, 4) or not all(isinstance(v, (int, np.integer)) for v in p):
        raise ValueError(f"{op}: padding must be an int or a sequence of 1, 2 or 4 ints, got {padding!r}")
    if len(p) == 1:
        p = p * 4
    elif len(p) == 2:
        p = [p[0], p[1], p[0], p[1]]
    return int(p[0]), int(p[1]), int(p[2]), int(p[3])


def pad(img: Any, padding: Any, fill: Any = 0, padding_mode: str = "constant") -> Any:
    """Pad the sides: an int (all), (left/right, top/bottom) or (left, top, right, bottom);
    padding_mode 'constant' (with ``fill``), 'edge', 'reflect' or 'symmetric'."""
    left, top, right, bottom = _padding(padding, "pad")
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError(f"pad: padding_mode should be 'constant', 'edge', 'reflect' or 'symmetric', got {padding_mode!r}")
    if min(left, top, right, bottom) < 0:
        raise ValueError(f"pad: negative padding {padding!r} is not supported")

    def on_array(a: np.ndarray) -> np.ndarray:
        if padding_mode == "constant":
            return K.pad(a, left, top, right, bottom, fill)
        widths = [(0, 0)] * (a.ndim - 2) + [(top, bottom), (left, right)]
        return np.pad(a, widths, mode=padding_mode)  # type: ignore[call-overload]

    def on_pil(p: Any) -> Any:
        if padding_mode == "constant":
            return P.pad(p, left, top, right, bottom, fill)
        arr = P.to_array(p)
        out = np.pad(arr, [(top, bottom), (left, right), (0, 0)], mode=padding_mode)  # type: ignore[call-overload]
        return P.from_array(out, p.mode)

    return _apply(img, "pad", on_array, on_pil)


def resized_crop(img: Any, top: int, left: int, height: int, width: int, size: Any,
                 interpolation: Any = InterpolationMode.BILINEAR, antialias: Optional[bool] = True) -> Any:
    """crop, then resize to ``size``."""
    return resize(crop(img, top, left, height, width), size, interpolation, antialias=antialias)


# ----------------------------------------------------------------------------- colour

def rgb_to_grayscale(img: Any, num_output_channels: int = 1) -> Any:
    """Luma 0.2989 R + 0.587 G + 0.114 B (ITU-R 601-2); 1 or 3 output channels."""
    if num_output_channels not in (1, 3):
        raise ValueError(f"rgb_to_grayscale: num_output_channels should be either 1 or 3, got {num_output_channels}")

    def on_array(a: np.ndarray) -> np.ndarray:
        K.channels(a, "rgb_to_grayscale")
        grey = K.grayscale(a)
        return np.repeat(grey, 3, axis=-3) if num_output_channels == 3 else grey

    return _apply(img, "rgb_to_grayscale", on_array, lambda p: P.grayscale(p, num_output_channels))


to_grayscale = rgb_to_grayscale


def _colour(img: Any, op: str, name: str, factor: float, kernel: Callable[[np.ndarray, float], np.ndarray],
            pil_kernel: Callable[[Any, float], Any]) -> Any:
    """One of the three factor adjustments, on whichever kind of image was given."""
    _check_factor(op, name, factor)

    def on_array(a: np.ndarray) -> np.ndarray:
        K.channels(a, op)
        return kernel(a, factor)

    return _apply(img, op, on_array, lambda p: pil_kernel(p, factor), P.COLOUR_MODES)


def adjust_brightness(img: Any, brightness_factor: float) -> Any:
    """Scale every value by the factor (0 gives black, 1 the image)."""
    return _colour(img, "adjust_brightness", "brightness_factor", brightness_factor, K.adjust_brightness,
                   P.adjust_brightness)


def adjust_contrast(img: Any, contrast_factor: float) -> Any:
    """Blend with the image's mean grey level (0 gives flat grey, 1 the image)."""
    return _colour(img, "adjust_contrast", "contrast_factor", contrast_factor, K.adjust_contrast, P.adjust_contrast)


def adjust_saturation(img: Any, saturation_factor: float) -> Any:
    """Blend with the grey version (0 gives grey, 1 the image); a grey image is returned as is."""
    return _colour(img, "adjust_saturation", "saturation_factor", saturation_factor, K.adjust_saturation,
                   P.adjust_saturation)


def adjust_hue(img: Any, hue_factor: float) -> Any:
    """Rotate the hue by ``hue_factor`` turns (in [-0.5, 0.5]); a grey image is returned as is."""
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"adjust_hue: hue_factor ({hue_factor}) is not in [-0.5, 0.5].")

    def on_array(a: np.ndarray) -> np.ndarray:
        K.channels(a, "adjust_hue")
        return K.adjust_hue(a, hue_factor)

    return _apply(img, "adjust_hue", on_array, lambda p: P.adjust_hue(p, hue_factor), P.COLOUR_MODES)
