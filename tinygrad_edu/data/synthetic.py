"""d2l's synthetic regression data."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..creation import _generator
from ..tensor import Tensor


def synthetic_data(w: Any, b: float, num_examples: int) -> tuple[Tensor, Tensor]:
    """X ~ N(0, 1) of shape (num_examples, len(w)); y = Xw + b + N(0, 0.01^2), shape (n, 1)."""
    w_arr = np.asarray(w.detach().numpy() if isinstance(w, Tensor) else w, dtype=np.float64).ravel()
    rng = _generator()
    X = rng.standard_normal((num_examples, len(w_arr)))
    y = X @ w_arr + b + rng.normal(0, 0.01, num_examples)
    return Tensor(X.astype(np.float32)), Tensor(y.reshape(-1, 1).astype(np.float32))
