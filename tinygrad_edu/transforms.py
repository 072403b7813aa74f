"""The earlier home of the image transforms, kept as a name: ``tinygrad_edu.transforms`` is
``tinygrad_edu.vision.transforms`` (torchvision.transforms's counterpart), and the functional
forms (``hflip``, ``resize``, ...) are also reachable here as they were."""
from __future__ import annotations

from .vision.transforms import *  # noqa: F403
from .vision.transforms import __all__ as _classes
from .vision.transforms.functional import *  # noqa: F403
from .vision.transforms.functional import __all__ as _functions

__all__ = list(_classes) + [n for n in _functions if n not in _classes]
