"""Functions of ``torch.nn.functional`` over tinygrad_edu Tensors.

Everything here is composed from primitive ops, so its gradient follows from theirs. The one
fused piece is ``log_softmax`` (ops.loss.LogSoftmax), which keeps cross-entropy finite for any
logits: cross_entropy = nll_loss(log_softmax(x)).
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..creation import _generator
from ..functions import where
from ..tensor import Tensor

_REDUCTIONS = ("none", "mean", "sum")


def relu(x: Tensor) -> Tensor:
    return x.relu()


def sigmoid(x: Tensor) -> Tensor:
    return x.sigmoid()


def tanh(x: Tensor) -> Tensor:
    return x.tanh()


def softmax(x: Tensor, dim: int) -> Tensor:
    """softmax(x)_i = e^(x_i - m) / sum_j e^(x_j - m), with m = max x (stable for large logits)."""
    return x.softmax(dim)


def log_softmax(x: Tensor, dim: int) -> Tensor:
    """log softmax(x)_i = x_i - m - log sum_j e^(x_j - m), one fused op (stable)."""
    return x.log_softmax(dim)


def linear(x: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    """y = x W^T + b, with W of shape (out_features, in_features)."""
    if x.shape[-1:] != weight.shape[-1:]:
        raise RuntimeError(f"linear: input of shape {x.shape} has {x.shape[-1] if x.ndim else 0} "
                           f"features but weight of shape {weight.shape} expects {weight.shape[-1]}")
    y = x.matmul(weight.T)
    return y + bias if bias is not None else y


def dropout(x: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1-p) (only when training)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    keep = _generator().random(x.shape) >= p
    return x * Tensor._from_op((keep / (1.0 - p)).astype(x.dtype))


def _reduce(losses: Tensor, reduction: str, op: str) -> Tensor:
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    return losses.mean()


def _check_reduction(reduction: str, op: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{op}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _class_targets(op: str, input: Tensor, target: Tensor, ignore_index: int) -> tuple[np.ndarray, int]:
    """Validate integer class targets for an input of shape (C,), (N, C) or (N, C, d1, ...)."""
    if input.ndim == 0:
        raise ValueError(f"{op}: input must have at least 1 dimension (classes), got a 0-d tensor")
    cdim = 0 if input.ndim == 1 else 1
    t = target.array
    if t.dtype.kind not in "iu":
        raise RuntimeError(f"{op}: expected class-index targets of an integer dtype (int64), got "
                           f"{t.dtype} with shape {t.shape}; float targets must have the input's "
                           f"shape {input.shape} (class probabilities)")
    expected = input.shape[:cdim] + input.shape[cdim + 1:]
    if t.shape != expected:
        raise ValueError(f"{op}: expected target of shape {expected} for input of shape "
                         f"{input.shape}, got {t.shape}")
    n_classes = input.shape[cdim]
    bad = (t != ignore_index) & ((t < 0) | (t >= n_classes))
    if bad.any():
        raise IndexError(f"{op}: target {int(t[bad].flat[0])} is out of bounds for {n_classes} "
                         f"classes (valid: 0..{n_classes - 1}, or ignore_index={ignore_index})")
    return t, cdim


def nll_loss(input: Tensor, target: Tensor, ignore_index: int = -100, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood: loss_i = -input[i, target_i], for log-probabilities ``input``.

    'mean' divides by the number of targets not equal to ``ignore_index``.
    """
    _check_reduction(reduction, "nll_loss")
    t, cdim = _class_targets("nll_loss", input, target, ignore_index)
    keep = t != ignore_index
    safe = np.where(keep, t, 0).astype(np.int64)
    picked = input.gather(cdim, Tensor._from_op(np.expand_dims(safe, cdim))).squeeze(cdim)
    losses = where(Tensor._from_op(keep), -picked, 0.0)  # where, not * mask: -inf * 0 would be nan
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    return _mean_over(losses.sum(), int(keep.sum()))


def _mean_over(total: Tensor, count: int) -> Tensor:
    """total / count; with count 0 (every target ignored) the loss is nan and the gradient 0,
    as in torch: adding a constant nan leaves the gradient of ``total`` (zeros) untouched."""
    if count == 0:
        return total + float("nan")
    return total / float(count)


def cross_entropy(input: Tensor, target: Tensor, ignore_index: int = -100, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy between logits ``input`` (classes on dim 1, or dim 0 for a single sample)
    and ``target``: class indices (int64, shape without the class dim) or class probabilities
    (float, same shape as input). Same definition as torch.nn.functional.cross_entropy:

        loss_i = -sum_c q_ic log softmax(x_i)_c,
        q_i = (1 - eps) * onehot(target_i) + eps / C     (eps = label_smoothing).
    """
    _check_reduction(reduction, "cross_entropy")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be between 0.0 and 1.0, got {label_smoothing}")
    if input.ndim == 0:
        raise ValueError("cross_entropy: input must have at least 1 dimension (classes), got a 0-d tensor")
    if not isinstance(target, Tensor):
        target = Tensor(target)
    cdim = 0 if input.ndim == 1 else 1
    logp = input.log_softmax(cdim)
    n_classes = input.shape[cdim]
    if target.dtype.kind == "f":  # class probabilities
        if target.shape != input.shape:
            raise ValueError(f"cross_entropy: probability targets must have the input's shape "
                             f"{input.shape}, got {target.shape}")
        q = target.detach()
        if label_smoothing > 0:
            q = q * (1 - label_smoothing) + label_smoothing / n_classes
        return _reduce(-(logp * q).sum(cdim), reduction, "cross_entropy")
    nll = nll_loss(logp, target, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing == 0:
        return nll
    keep = Tensor._from_op(target.array != ignore_index)
    smooth = where(keep, -logp.sum(cdim), 0.0)
    if reduction == "none":
        smooth_r = smooth
    elif reduction == "sum":
        smooth_r = smooth.sum()
    else:
        smooth_r = _mean_over(smooth.sum(), int(keep.array.sum()))
    return nll * (1 - label_smoothing) + smooth_r * (label_smoothing / n_classes)


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean squared error: (input - target)^2, reduced."""
    _check_reduction(reduction, "mse_loss")
    diff = input - target
    return _reduce(diff * diff, reduction, "mse_loss")
