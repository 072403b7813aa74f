"""The transforms on PIL images, as torchvision computes them: with Pillow's own operations
(``transpose``, ``resize`` with its filters, ``crop``, ``ImageOps.expand``, ``ImageEnhance``,
conversions through HSV), so a PIL image comes back as the PIL image torchvision returns, pixel
for pixel. Pillow is imported only when a PIL image is passed in."""
from __future__ import annotations

from typing import Any

import numpy as np

# The modes the transforms take: 8-bit grey, RGB and RGBA, 1-bit, 32-bit integer and float grey.
MODES = ("L", "RGB", "RGBA", "1", "I", "F", "I;16", "P")
COLOUR_MODES = ("L", "RGB", "RGBA", "1", "I", "F")
FILTERS = {"nearest": 0, "lanczos": 1, "bilinear": 2, "bicubic": 3, "box": 4, "hamming": 5}


def is_pil(img: Any) -> bool:
    return type(img).__module__.startswith("PIL.") and hasattr(img, "mode") and hasattr(img, "size")


def check_mode(img: Any, op: str, modes: tuple[str, ...] = MODES) -> None:
    if img.mode not in modes:
        raise TypeError(f"{op}: PIL images of mode {img.mode!r} are not supported (size {img.size}); "
                        f"expected one of {', '.join(repr(m) for m in modes)}: convert it first, "
                        f"for example img.convert('RGB')")


def channels(img: Any) -> int:
    return len(img.getbands())


def hflip(img: Any) -> Any:
    from PIL import Image
    return img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)


def vflip(img: Any) -> Any:
    from PIL import Image
    return img.transpose(Image.Transpose.FLIP_TOP_BOTTOM)


def crop(img: Any, top: int, left: int, height: int, width: int) -> Any:
    """Pillow's crop: the box (left, top, left + width, top + height), zeros outside the image."""
    return img.crop((left, top, left + width, top + height))


def resize(img: Any, oh: int, ow: int, interpolation: str) -> Any:
    """Pillow's resampling (always antialiased when shrinking); an image already of that size is
    returned as it is."""
    if (img.height, img.width) == (oh, ow):
        return img
    return img.resize((ow, oh), resample=FILTERS[interpolation])


def pad(img: Any, left: int, top: int, right: int, bottom: int, fill: Any) -> Any:
    """Constant padding by ImageOps.expand, the fill given per band (a palette image keeps its palette)."""
    from PIL import ImageOps
    n = channels(img)
    if isinstance(fill, (list, tuple)):
        fill = tuple(fill) * n if len(fill) == 1 else tuple(fill)
    elif n > 1:
        fill = (fill,) * n
    palette = img.getpalette() if img.mode == "P" else None
    out = ImageOps.expand(img, border=(left, top, right, bottom), fill=fill)
    if palette is not None:
        out.putpalette(palette)
    return out


def grayscale(img: Any, num_output_channels: int = 1) -> Any:
    from PIL import Image
    grey = img.convert("L")
    if num_output_channels == 1:
        return grey
    return Image.merge("RGB", (grey, grey, grey))


def adjust_brightness(img: Any, factor: float) -> Any:
    from PIL import ImageEnhance
    return ImageEnhance.Brightness(img).enhance(factor)


def adjust_contrast(img: Any, factor: float) -> Any:
    from PIL import ImageEnhance
    return ImageEnhance.Contrast(img).enhance(factor)


def adjust_saturation(img: Any, factor: float) -> Any:
    from PIL import ImageEnhance
    return ImageEnhance.Color(img).enhance(factor)


def adjust_hue(img: Any, factor: float) -> Any:
    """Through Pillow's HSV: the 8-bit hue channel moves by trunc(factor * 255) levels, wrapping
    around the colour circle (uint8 arithmetic); grey and float modes come back unchanged."""
    from PIL import Image
    if img.mode in ("L", "1", "I", "F"):
        return img
    h, s, v = img.convert("HSV").split()
    shift = np.uint8(int(factor * 255) % 256)
    hue = (np.asarray(h, dtype=np.uint8) + shift).astype(np.uint8)  # wraps modulo 256
    return Image.merge("HSV", (Image.fromarray(hue), s, v)).convert(img.mode)  # a 2-D uint8 array is 'L'


def to_array(img: Any, scaled: bool = False) -> np.ndarray:
    """The pixels as an (H, W, C) array in the mode's own type (uint8, int32, float32; 1-bit as
    bool, 16-bit as uint16). ``scaled``: the types ToTensor reads, 1-bit as 0/255 uint8 and 16-bit
    as int16."""
    arr = np.asarray(img)
    if scaled and img.mode == "1":
        arr = arr.astype(np.uint8) * np.uint8(255)
    elif scaled and img.mode == "I;16":
        arr = arr.view(np.int16)
    return np.ascontiguousarray(arr.reshape(img.height, img.width, channels(img)))


def from_array(arr: np.ndarray, mode: Any = None) -> Any:
    """An (H, W, C) array as a PIL image: uint8 with 1, 2, 3 or 4 channels as L, LA, RGB, RGBA;
    one int32 / float32 channel as I / F."""
    from PIL import Image
    c = arr.shape[2]
    if mode is None:
        if arr.dtype == np.uint8:
            mode = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}.get(c)
        elif c == 1 and arr.dtype == np.int32:
            mode = "I"
        elif c == 1 and arr.dtype == np.float32:
            mode = "F"
        elif c == 1 and arr.dtype == np.int16:
            mode = "I;16"
        if mode is None:
            raise TypeError(f"to_pil_image: an image of {c} channels of {arr.dtype} has no PIL mode; "
                            f"expected uint8 with 1-4 channels or one int32/float32 channel")
    squeezed = arr[:, :, 0] if c == 1 else arr
    out = Image.fromarray(np.ascontiguousarray(squeezed))
    return out if out.mode == mode else out.convert(mode)
