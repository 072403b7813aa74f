"""torch.nn.functional.scaled_dot_product_attention as a composite of matmul, softmax and
dropout (re-exported by nn.functional), kept apart from functional.py's layers and losses."""
from __future__ import annotations

import math
from typing import Optional

import numpy as np

from ..tensor import Tensor


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Optional[Tensor] = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: Optional[float] = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(Q K^T * scale + mask) V over the last two dims, (..., L, E) queries against
    (..., S, E) keys and (..., S, Ev) values; ``scale`` defaults to 1 / sqrt(E).

    ``attn_mask``: a bool mask (True = may attend) or a float one added to the scores, broadcast
    to (..., L, S); ``is_causal``: query i attends to keys 0..i (the top-left triangle), not
    together with ``attn_mask``. A query row with nothing to attend to gives 0 (and a 0 gradient),
    as torch's does, instead of softmax's 0/0. ``dropout_p`` drops attention weights (always: this
    function has no training flag, as torch's). ``enable_gqa``: keys and values with fewer heads
    (dim -3) than the queries are shared by consecutive groups of query heads.

    A composite, so the gradients are the chain rule through its ops: with A the attention
    weights, dL/dV = A^T G, dL/dA = G V^T, and dL/dscores = A * (dL/dA - rowsum(A * dL/dA)).
    """
    from . import functional as F
    if attn_mask is not None and is_causal:
        raise RuntimeError("scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
    if query.ndim < 2 or key.ndim < 2 or value.ndim < 2:
        raise RuntimeError(f"scaled_dot_product_attention: expected query, key and value of at least 2 dims, got "
                           f"shapes {query.shape}, {key.shape}, {value.shape}")
    if enable_gqa and query.ndim >= 3 and key.ndim >= 3 and query.shape[-3] != key.shape[-3]:
        if query.shape[-3] % key.shape[-3] or key.shape[-3] != value.shape[-3]:
            raise RuntimeError(f"scaled_dot_product_attention: with enable_gqa the query heads ({query.shape[-3]}) "
                               f"must be a multiple of the key and value heads ({key.shape[-3]}, {value.shape[-3]})")
        groups = query.shape[-3] // key.shape[-3]
        key, value = key.repeat_interleave(groups, dim=-3), value.repeat_interleave(groups, dim=-3)
    factor = 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    scores = query.matmul(key.transpose(-2, -1)) * factor
    L, S = query.shape[-2], key.shape[-2]
    if is_causal:
        attn_mask = Tensor._from_op(np.tril(np.ones((L, S), dtype=bool)))
    if attn_mask is not None:
        if attn_mask.dtype == np.bool_:
            scores = scores.masked_fill(~attn_mask, float("-inf"))
        else:
            scores = scores + attn_mask
    # rows where every score is -inf attend to nothing: their weights are 0, not softmax's nan
    alive = Tensor._from_op(np.asarray((scores.detach().numpy() > -np.inf).any(axis=-1, keepdims=True)))
    weights = F.softmax(scores.masked_fill(~alive, 0.0), dim=-1) * alive.to(scores.dtype)
    if dropout_p > 0.0:
        weights = F.dropout(weights, dropout_p)
    return weights.matmul(value)


__all__ = ["scaled_dot_product_attention"]
