"""``torchvision.io``: reading image files (``io.image`` holds them, as in torchvision)."""
from __future__ import annotations

from . import image
from .image import ImageReadMode, read_image

__all__ = ["image", "ImageReadMode", "read_image"]
