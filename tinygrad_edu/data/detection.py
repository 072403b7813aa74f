"""A small object-detection set made from Fashion-MNIST (the book's banana set cannot be
downloaded here): each canvas holds ``objects`` Fashion-MNIST items, resized to a random side
and pasted at a random position on a dark canvas, with their boxes and classes.

Labels follow d2l's banana set: (n, objects, 5) rows of (class, x_min, y_min, x_max, y_max),
coordinates as fractions of the canvas side, the box being the pasted item's square. Everything
is drawn from ``seed``, so the same call gives the same set on every machine.
"""
from __future__ import annotations

import numpy as np


def _resize_nearest(image: np.ndarray, side: int) -> np.ndarray:
    """An (h, w) image resized to (side, side) by nearest neighbour."""
    h, w = image.shape
    rows = np.minimum((np.arange(side) * h) // side, h - 1)
    cols = np.minimum((np.arange(side) * w) // side, w - 1)
    return image[rows][:, cols]


def make_detection_set(images: np.ndarray, labels: np.ndarray, n: int, canvas: int = 64, objects: int = 1,
                       min_side: int = 16, max_side: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` canvases (n, 1, canvas, canvas) float32 in [0, 1] and their labels (n, objects, 5)
    float32, from source ``images`` (N, 1, H, W) or (N, H, W) in [0, 1] and their class ``labels``.
    Items are placed one after another; a later item may overlap an earlier one (the maximum of
    the two is kept), as objects in real photographs do."""
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[1] == 1:
        images = images[:, 0]
    if images.ndim != 3 or len(images) == 0 or len(labels) != len(images):
        raise ValueError(f"make_detection_set: expected N > 0 images (N, H, W) or (N, 1, H, W) and N labels, got "
                         f"images {images.shape} and {len(labels)} labels")
    if not 1 <= min_side <= max_side <= canvas:
        raise ValueError(f"make_detection_set: need 1 <= min_side ({min_side}) <= max_side ({max_side}) <= canvas "
                         f"({canvas})")
    if n < 0 or objects < 1:
        raise ValueError(f"make_detection_set: n ({n}) must be >= 0 and objects ({objects}) >= 1")
    rng = np.random.default_rng(seed)
    X = np.zeros((n, 1, canvas, canvas), np.float32)
    Y = np.zeros((n, objects, 5), np.float32)
    for i in range(n):
        for k in range(objects):
            j = int(rng.integers(len(images)))
            side = int(rng.integers(min_side, max_side + 1))
            top, left = (int(v) for v in rng.integers(0, canvas - side + 1, size=2))
            item = _resize_nearest(images[j].astype(np.float32), side)
            window = X[i, 0, top:top + side, left:left + side]
            np.maximum(window, item, out=window)
            Y[i, k] = (labels[j], left / canvas, top / canvas, (left + side) / canvas, (top + side) / canvas)
    return X, Y


def single_class(labels: np.ndarray) -> np.ndarray:
    """The labels with every item's class set to 0: one "object" class, as in d2l's banana set."""
    out = np.array(labels, copy=True)
    out[..., 0] = 0
    return out
