"""``Multinomial(total_count, probs)``: counts of ``total_count`` draws over categories."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..creation import _generator
from ..tensor import Tensor


class Multinomial:
    """``sample(sample_shape)`` returns float counts of shape sample_shape + probs.shape, each row
    summing to ``total_count`` (d2l: ``Multinomial(10, fair_probs).sample()``). ``probs`` need
    not sum to 1 (they are normalised), as in torch."""

    def __init__(self, total_count: int = 1, probs: Optional[Tensor] = None, logits: Optional[Tensor] = None,
                 validate_args: Optional[bool] = None) -> None:
        if (probs is None) == (logits is None):
            raise ValueError("Multinomial: either `probs` or `logits` must be specified, but not both")
        if probs is not None:
            p = np.asarray(probs.detach().numpy() if isinstance(probs, Tensor) else probs, dtype=np.float64)
            if p.ndim == 0 or (p < 0).any() or not np.isfinite(p).all() or (p.sum(-1) <= 0).any():
                raise ValueError(f"Multinomial: probs must be a non-negative, finite vector with a positive "
                                 f"sum, got {p}")
            self._dtype = probs.dtype if isinstance(probs, Tensor) else np.dtype(np.float32)
        else:
            lg = np.asarray(logits.detach().numpy() if isinstance(logits, Tensor) else logits, dtype=np.float64)
            p = np.exp(lg - lg.max(-1, keepdims=True))
            self._dtype = logits.dtype if isinstance(logits, Tensor) else np.dtype(np.float32)
        if not isinstance(total_count, (int, np.integer)) or total_count < 0:
            raise ValueError(f"Multinomial: total_count must be a non-negative int, got {total_count!r}")
        self.total_count = int(total_count)
        self._p = p / p.sum(-1, keepdims=True)

    @property
    def probs(self) -> Tensor:
        return Tensor(self._p.astype(self._dtype))

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(sample_shape) if not isinstance(sample_shape, int) else (sample_shape,)
        counts = _generator().multinomial(self.total_count, self._p, size=shape + self._p.shape[:-1])
        return Tensor(counts.astype(self._dtype))
