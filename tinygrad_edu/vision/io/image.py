"""torchvision.io's image reading: a file decoded (by PIL) into a uint8 tensor (C, H, W)."""
from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

import numpy as np

from ...tensor import Tensor


class ImageReadMode(enum.Enum):
    """What ``read_image`` converts the decoded image to (UNCHANGED: as the file stores it)."""
    UNCHANGED = 0
    GRAY = 1
    GRAY_ALPHA = 2
    RGB = 3
    RGB_ALPHA = 4
    RGBA = 4


_PIL_MODE = {ImageReadMode.GRAY: "L", ImageReadMode.GRAY_ALPHA: "LA", ImageReadMode.RGB: "RGB",
             ImageReadMode.RGB_ALPHA: "RGBA"}


def read_image(path: Any, mode: Any = ImageReadMode.UNCHANGED, apply_exif_orientation: bool = False) -> Tensor:
    """The image at ``path`` as a uint8 tensor (C, H, W): 1 channel for grayscale, 2 with alpha,
    3 for RGB, 4 with alpha; ``mode`` converts (ImageReadMode or its name, as torchvision)."""
    from PIL import Image, ImageOps
    if isinstance(mode, str):
        mode = ImageReadMode[mode.upper()]
    if not isinstance(mode, ImageReadMode):
        raise TypeError(f"read_image: mode must be an ImageReadMode, got {mode!r}")
    if not Path(path).is_file():
        raise RuntimeError(f"read_image: {path} is not a file")
    with Image.open(path) as opened:
        opened.load()
        img: Any = ImageOps.exif_transpose(opened) if apply_exif_orientation else opened
        if mode is ImageReadMode.UNCHANGED:
            if img.mode in ("P", "CMYK", "YCbCr"):  # palette and other colour models: as RGB(A)
                img = img.convert("RGBA" if "transparency" in img.info else "RGB")
            elif img.mode in ("1", "I;16", "I", "F"):
                img = img.convert("L")
        else:
            img = img.convert(_PIL_MODE[mode])
        if img.mode not in ("L", "LA", "RGB", "RGBA"):
            raise RuntimeError(f"read_image: {path}: unsupported image mode {img.mode!r}")
        array = np.asarray(img, dtype=np.uint8)
    if array.ndim == 2:
        array = array[:, :, None]
    return Tensor(np.ascontiguousarray(array.transpose(2, 0, 1)))
