"""torchvision.utils.make_grid: a batch of images tiled into one image, with torchvision's rules."""
from __future__ import annotations

import math
from typing import Any, Optional

from .. import functions
from ..autograd import no_grad
from ..creation import full
from ..tensor import Tensor


@no_grad()
def make_grid(tensor: Any, nrow: int = 8, padding: int = 2, normalize: bool = False,
              value_range: Optional[tuple[float, float]] = None, scale_each: bool = False,
              pad_value: float = 0.0) -> Tensor:
    """Tile images (B, C, H, W), a list of (C, H, W), one (C, H, W) or one (H, W) into rows of
    ``nrow``, ``padding`` pixels of ``pad_value`` around each; single-channel images become three
    channels. ``normalize`` maps ``value_range`` (default: the min and max, of each image when
    ``scale_each``) to [0, 1]. Like torchvision's, it runs without recording a graph: the grid
    is a picture to look at, not a step of a model."""
    if isinstance(tensor, list):
        if not all(isinstance(t, Tensor) for t in tensor):
            raise TypeError(f"make_grid: tensor or list of tensors expected, got a list containing "
                            f"{sorted({type(t).__name__ for t in tensor})}")
        tensor = functions.stack(tensor, 0)
    if not isinstance(tensor, Tensor):
        raise TypeError(f"make_grid: tensor or list of tensors expected, got {type(tensor)}")
    if tensor.ndim == 2:
        tensor = tensor.unsqueeze(0)
    if tensor.ndim == 3:
        if tensor.shape[0] == 1:
            tensor = functions.cat([tensor, tensor, tensor], 0)
        tensor = tensor.unsqueeze(0)
    if tensor.ndim != 4:
        raise ValueError(f"make_grid: expected images (B, C, H, W), (C, H, W) or (H, W), got shape {tuple(tensor.shape)}")
    if tensor.shape[1] == 1:
        tensor = functions.cat([tensor, tensor, tensor], 1)
    if normalize:
        if value_range is not None and not isinstance(value_range, tuple):
            raise TypeError("make_grid: value_range has to be a tuple (min, max) if specified")

        def scaled(t: Tensor) -> Tensor:
            low, high = value_range if value_range is not None else (float(t.min()), float(t.max()))
            return (t.clamp(min=low, max=high) - low) / max(high - low, 1e-5)

        tensor = functions.stack([scaled(t) for t in tensor], 0) if scale_each else scaled(tensor)
    if tensor.shape[0] == 1:
        return tensor.squeeze(0)
    n, c, h, w = tensor.shape
    cols = min(nrow, n)
    rows = int(math.ceil(n / cols))
    step_h, step_w = h + padding, w + padding
    grid = full((c, step_h * rows + padding, step_w * cols + padding), pad_value, dtype=tensor.dtype)
    for k in range(n):
        y, x = divmod(k, cols)
        top, left = y * step_h + padding, x * step_w + padding
        grid[:, top:top + h, left:left + w] = tensor[k]
    return grid
