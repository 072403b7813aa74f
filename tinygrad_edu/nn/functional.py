"""Functions of ``torch.nn.functional`` over tinygrad_edu Tensors.

Everything here is composed from primitive ops, so its gradient follows from theirs. The one
fused piece is ``log_softmax`` (ops.loss.LogSoftmax), which keeps cross-entropy finite for any
logits: cross_entropy = nll_loss(log_softmax(x)).
"""
from __future__ import annotations

import warnings
from typing import Any, Optional

import numpy as np

from .. import ops
from ..creation import _generator
from ..autograd import is_grad_enabled, no_grad
from ..functions import where
from ..tensor import Tensor

_REDUCTIONS = ("none", "mean", "sum")


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0); ``inplace`` overwrites ``input`` (recorded in the graph like torch's relu_)."""
    return input.relu_() if inplace else input.relu()


def sigmoid(input: Tensor) -> Tensor:
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    return input.tanh()


def _softmax_dim(op: str, ndim: int, dim: Optional[int], stacklevel: int) -> int:
    """torch's legacy rule when ``dim`` is omitted: dim 0 for 0-, 1- and 3-d input, else dim 1."""
    if dim is not None:
        return dim
    warnings.warn(f"Implicit dimension choice for {op} has been deprecated. Change the call to "
                  f"include dim=X as an argument.", UserWarning, stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(x)_i = e^(x_i - m) / sum_j e^(x_j - m), with m = max x (stable for large logits).
    ``dtype`` casts the input first, as torch's."""
    x = input if dtype is None else input.to(dtype)
    return x.softmax(_softmax_dim("softmax", x.ndim, dim, _stacklevel))


def log_softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """log softmax(x)_i = x_i - m - log sum_j e^(x_j - m), one fused op (stable)."""
    x = input if dtype is None else input.to(dtype)
    return x.log_softmax(_softmax_dim("log_softmax", x.ndim, dim, _stacklevel))


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """out[..., k] = 1 where tensor[...] == k, else 0 (int64); num_classes=-1 uses max + 1.
    An integer result: there is nothing to differentiate."""
    t = tensor.array
    if t.dtype != np.int64:
        raise RuntimeError(f"one_hot: one_hot is only applicable to index tensors of dtype int64, got {t.dtype}")
    if t.size and t.min() < 0:
        raise RuntimeError(f"one_hot: class values must be non-negative, got {int(t.min())}")
    if num_classes == -1:
        if t.size == 0:
            raise RuntimeError("one_hot: can not infer the total number of classes from an empty tensor")
        num_classes = int(t.max()) + 1
    if t.size and t.max() >= num_classes:
        raise RuntimeError(f"one_hot: class values must be smaller than num_classes ({num_classes}), "
                           f"got {int(t.max())}")
    return Tensor._from_op((t[..., None] == np.arange(num_classes)).astype(np.int64))


def linear(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    """y = x W^T + b, with W of shape (out_features, in_features)."""
    x = input
    if x.shape[-1:] != weight.shape[-1:]:
        raise RuntimeError(f"linear: input of shape {x.shape} has {x.shape[-1] if x.ndim else 0} "
                           f"features but weight of shape {weight.shape} expects {weight.shape[-1]}")
    if weight.ndim != 2 or (bias is not None and bias.shape != (weight.shape[0],)):
        raise RuntimeError(f"linear: expected weight (out, in) and bias (out,), got {weight.shape} and "
                           f"{None if bias is None else bias.shape}")
    lead = x.shape[:-1]
    x2 = x.reshape(-1, x.shape[-1]) if x.ndim != 2 else x
    dtype = weight.dtype
    args = [x2._cast(dtype), weight] + ([bias._cast(dtype)] if bias is not None else [])
    y = ops.Linear.apply(*args)
    return y.reshape(*lead, weight.shape[0]) if x.ndim != 2 else y


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1-p) (only when training).

    The keep mask is one Bernoulli(1 - p) draw per element (``binomial(1, 1 - p)``), the request
    torch's own dropout makes of its generator (``bernoulli_(1 - p)``): a generator that answers
    from torch's stream, as the test suite's does, gives torch's masks."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    keep = _generator().binomial(1, 1.0 - p, input.shape).astype(bool) if p < 1.0 else np.zeros(input.shape, bool)
    scale = Tensor._from_op((keep / (1.0 - p) if p < 1.0 else keep * 0.0).astype(input.dtype))
    if inplace:
        input *= scale
        return input
    return input * scale


def _reduce(losses: Tensor, reduction: str, op: str) -> Tensor:
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    return losses.mean()


def _check_reduction(reduction: str, op: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{op}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _legacy_reduction(op: str, size_average: Optional[bool], reduce: Optional[bool], reduction: str) -> str:
    """torch's deprecated ``size_average``/``reduce`` pair, mapped to ``reduction`` as torch does:
    reduce=False -> 'none', else size_average=False -> 'sum', else 'mean'."""
    if size_average is None and reduce is None:
        _check_reduction(reduction, op)
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = "none" if not reduce else "mean" if size_average else "sum"
    warnings.warn(f"{op}: size_average and reduce args will be deprecated, please use "
                  f"reduction='{reduction}' instead.", UserWarning, stacklevel=3)
    return reduction


def _class_weight(op: str, weight: Optional[Tensor], n_classes: int, differentiable: bool) -> Optional[Tensor]:
    """Check a per-class ``weight`` of shape (C,)."""
    if weight is None:
        return None
    if not isinstance(weight, Tensor):
        weight = Tensor(weight)
    if weight.shape != (n_classes,):
        raise RuntimeError(f"{op}: weight tensor should be defined either for all {n_classes} classes "
                           f"or no classes but got weight tensor of shape: {list(weight.shape)}")
    if weight.dtype.kind != "f":
        raise RuntimeError(f"{op}: expected a floating point weight tensor, got {weight.dtype}")
    if not differentiable and weight.requires_grad and is_grad_enabled():
        raise RuntimeError(f"{op}: the derivative for 'weight' is not implemented (as in torch); "
                           f"pass weight.detach()")
    return weight


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


def _weighted_mean(total: Tensor, denominator: float) -> Tensor:
    """total / denominator; with denominator 0 (every target ignored) the loss is nan and the
    gradient 0, as in torch: adding a constant nan leaves the gradient of ``total`` (zeros)."""
    if denominator == 0:
        return total + float("nan")
    return total / float(denominator)


def nll_loss(input: Tensor, target: Tensor, weight: Optional[Tensor] = None, size_average: Optional[bool] = None,
             ignore_index: int = -100, reduce: Optional[bool] = None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood for log-probabilities ``input``:

        loss_i = -w[t_i] * input[i, t_i]     (w = ``weight``, all ones when None),

    0 for targets equal to ``ignore_index``. 'mean' divides the sum by sum_i w[t_i] over the
    targets that are not ignored (the number of such targets when no weight is given).
    """
    reduction = _legacy_reduction("nll_loss", size_average, reduce, reduction)
    if not isinstance(target, Tensor):
        target = Tensor(target)
    t, cdim = _class_targets("nll_loss", input, target, ignore_index)
    w = _class_weight("nll_loss", weight, input.shape[cdim], differentiable=False)
    keep = t != ignore_index
    safe = np.where(keep, t, 0).astype(np.int64)
    picked = input.gather(cdim, Tensor._from_op(np.expand_dims(safe, cdim))).squeeze(cdim)
    per_target = keep.astype(input.dtype) if w is None else np.where(keep, w.array[safe], 0).astype(input.dtype)
    losses = -picked if w is None else -picked * Tensor._from_op(per_target)
    losses = where(Tensor._from_op(keep), losses, 0.0)  # where, not * mask: -inf * 0 would be nan
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    return _weighted_mean(losses.sum(), float(per_target.sum(dtype=np.float64)))


def cross_entropy(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                  size_average: Optional[bool] = None, ignore_index: int = -100,
                  reduce: Optional[bool] = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy between logits ``input`` (classes on dim 1, or dim 0 for a single sample)
    and ``target``: class indices (int64, shape without the class dim) or class probabilities
    (float, same shape as input). Same definition as torch.nn.functional.cross_entropy:

        loss_i = -sum_c w_c q_ic log softmax(x_i)_c,
        q_i = (1 - eps) * onehot(target_i) + eps / C     (eps = label_smoothing).

    With class indices 'mean' divides by sum_i w[t_i] (as nll_loss); with probabilities by the
    number of samples. Probability targets are differentiable: dL/dq_ic = -w_c log softmax(x_i)_c.
    """
    reduction = _legacy_reduction("cross_entropy", size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be between 0.0 and 1.0, got {label_smoothing}")
    if input.ndim == 0:
        raise ValueError("cross_entropy: input must have at least 1 dimension (classes), got a 0-d tensor")
    if not isinstance(target, Tensor):
        target = Tensor(target)
    cdim = 0 if input.ndim == 1 else 1
    n_classes = input.shape[cdim]
    probabilities = target.dtype.kind == "f"
    w = _class_weight("cross_entropy", weight, n_classes, differentiable=probabilities)
    w_b = None if w is None else w.reshape(n_classes, *([1] * (input.ndim - cdim - 1)))
    logp = input.log_softmax(cdim)
    if probabilities:
        if target.shape != input.shape:
            raise RuntimeError(f"cross_entropy: a float target is read as class probabilities and must "
                               f"have the input's shape {input.shape}, got {target.shape}; class-index "
                               f"targets must be an integer (int64) tensor")
        q = target * (1 - label_smoothing) + label_smoothing / n_classes if label_smoothing > 0 else target
        terms = logp * q if w_b is None else logp * q * w_b
        return _reduce(-terms.sum(cdim), reduction, "cross_entropy")
    nll = nll_loss(logp, target, weight=w, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing == 0:
        return nll
    keep_arr = target.array != ignore_index
    keep = Tensor._from_op(keep_arr)
    smooth = where(keep, -(logp if w_b is None else logp * w_b).sum(cdim), 0.0)
    if reduction == "none":
        smooth_r = smooth
    elif reduction == "sum":
        smooth_r = smooth.sum()
    else:
        safe = np.where(keep_arr, target.array, 0)
        denominator = keep_arr.sum() if w is None else np.where(keep_arr, w.array[safe], 0).sum(dtype=np.float64)
        smooth_r = _weighted_mean(smooth.sum(), float(denominator))
    return nll * (1 - label_smoothing) + smooth_r * (label_smoothing / n_classes)


def _pointwise_loss(op: str, input: Tensor, target: Tensor, losses: Tensor, reduction: str,
                    weight: Optional[Tensor]) -> Tensor:
    """Reduce elementwise losses as mse_loss does: 'mean' with a weight divides by sum(w)."""
    if weight is None:
        return _reduce(losses, reduction, op)
    if weight.shape != input.shape:
        raise ValueError(f"{op}: weights and input must have the same size: weight {weight.shape}, input {input.shape}")
    weighted = losses * weight
    if reduction == "none":
        return weighted
    return weighted.sum() if reduction == "sum" else weighted.sum() / weight.sum()


def _difference(op: str, input: Tensor, target: Tensor) -> Tensor:
    try:
        np.broadcast_shapes(input.shape, target.shape)
    except ValueError:
        raise RuntimeError(f"{op}: input of shape {input.shape} and target of shape {target.shape} are not "
                           f"broadcastable (they should have the same shape)") from None
    if input.shape != target.shape:
        warnings.warn(f"{op}: target shape {target.shape} differs from input shape {input.shape}; they will be "
                      f"broadcast, which is rarely intended (d2l reshapes y to y_hat's shape)", UserWarning, stacklevel=3)
    return input - target


def mse_loss(input: Tensor, target: Tensor, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
             reduction: str = "mean", weight: Optional[Tensor] = None) -> Tensor:
    """Mean squared error: w * (input - target)^2, reduced; 'mean' with a weight divides by sum(w)."""
    reduction = _legacy_reduction("mse_loss", size_average, reduce, reduction)
    diff = _difference("mse_loss", input, target)
    return _pointwise_loss("mse_loss", input, target, diff * diff, reduction, weight)


def l1_loss(input: Tensor, target: Tensor, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
            reduction: str = "mean", weight: Optional[Tensor] = None) -> Tensor:
    """|input - target|, reduced; its gradient is sign(input - target) (0 where they are equal)."""
    reduction = _legacy_reduction("l1_loss", size_average, reduce, reduction)
    d = _difference("l1_loss", input, target)
    return _pointwise_loss("l1_loss", input, target, d.abs(), reduction, weight)


def _quadratic_then_linear(d: Tensor, cut: float) -> Tensor:
    """0.5 d^2 for |d| < cut, cut (|d| - 0.5 cut) beyond: the Huber loss (slope d, then +-cut)."""
    small = d.abs().detach() < cut
    return where(small, d * d * 0.5, (d.abs() - 0.5 * cut) * cut)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5 d^2 / beta where |d| < beta, |d| - 0.5 beta beyond (d = input - target): the Huber
    loss divided by beta; beta = 0 is the L1 loss."""
    reduction = _legacy_reduction("smooth_l1_loss", size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError(f"smooth_l1_loss does not support negative values for beta (got {beta})")
    d = _difference("smooth_l1_loss", input, target)
    losses = d.abs() if beta == 0 else _quadratic_then_linear(d, beta) / beta
    return _reduce(losses, reduction, "smooth_l1_loss")


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Optional[Tensor] = None) -> Tensor:
    """0.5 d^2 where |d| <= delta, delta (|d| - 0.5 delta) beyond (d = input - target)."""
    _check_reduction(reduction, "huber_loss")
    if delta <= 0:
        raise RuntimeError(f"huber_loss does not support non-positive values for delta (got {delta})")
    d = _difference("huber_loss", input, target)
    losses = _quadratic_then_linear(d, delta)
    if weight is not None:  # unlike mse_loss and l1_loss, torch's weighted huber 'mean' divides by N
        if weight.shape != input.shape:
            raise ValueError(f"huber_loss: weights and input must have the same size: weight {weight.shape}, "
                             f"input {input.shape}")
        losses = losses * weight
    return _reduce(losses, reduction, "huber_loss")


# ----------------------------------------------------------------------------- convolution and pooling

def _pair(value: Any, name: str, op: str) -> tuple[int, int]:
    """An int or a pair of ints as (h, w)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value), int(value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
        return int(value[0]), int(value[1])
    if isinstance(value, (tuple, list)) and all(isinstance(v, (int, np.integer)) for v in value):
        raise RuntimeError(f"{op}: {name} must be an int or a pair of ints, got {len(value)} values {value!r}")
    raise TypeError(f"{op}: {name} must be an int or a pair of ints, got {value!r}")


def _batched(op: str, x: Tensor) -> tuple[Tensor, bool]:
    """Accept (N, C, H, W) or unbatched (C, H, W) input, as torch does."""
    if x.ndim == 3:
        return x.unsqueeze(0), True
    if x.ndim != 4:
        raise RuntimeError(f"{op}: expected 3D (unbatched) or 4D (batched) input, but got input of "
                           f"shape {x.shape}")
    return x, False


def _positive(op: str, name: str, pair: tuple[int, int], allow_zero: bool = False) -> None:
    if any(v < 0 or (v == 0 and not allow_zero) for v in pair):
        raise RuntimeError(f"{op}: {name} must be {'non-negative' if allow_zero else 'positive'}, got {pair}")


def conv2d(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-D cross-correlation of (N, C, H, W) input with (F, C/groups, KH, KW) weight, as
    torch.nn.functional.conv2d; padding may be an int, a pair, 'valid' or 'same'. See
    tinygrad_edu/ops/conv.py for im2col and the gradients."""
    x, unbatched = _batched("conv2d", input)
    if weight.ndim != 4:
        raise RuntimeError(f"conv2d: expected a 4D weight (out_channels, in_channels/groups, kH, kW), "
                           f"got shape {weight.shape}")
    s, d = _pair(stride, "stride", "conv2d"), _pair(dilation, "dilation", "conv2d")
    _positive("conv2d", "stride", s)
    _positive("conv2d", "dilation", d)
    if not isinstance(groups, (int, np.integer)) or groups <= 0:
        raise RuntimeError(f"conv2d: groups must be a positive integer, got {groups!r}")
    f, cg, kh, kw = weight.shape
    n, c, h, w = x.shape
    if f % groups:
        raise RuntimeError(f"conv2d: out_channels ({f}) must be divisible by groups ({groups})")
    if c != cg * groups:
        raise RuntimeError(f"conv2d: given groups={groups}, weight of shape {weight.shape} expects input "
                           f"with {cg * groups} channels, but got input of shape {input.shape} "
                           f"({c} channels)")
    if isinstance(padding, str):
        if padding == "valid":
            pads = ((0, 0), (0, 0))
        elif padding == "same":
            if s != (1, 1):
                raise ValueError("conv2d: padding='same' is not supported for strided convolutions")
            th, tw = d[0] * (kh - 1), d[1] * (kw - 1)  # torch puts the odd extra pixel at the end
            pads = ((th // 2, th - th // 2), (tw // 2, tw - tw // 2))
        else:
            raise ValueError(f"conv2d: invalid padding string {padding!r}, should be 'valid' or 'same'")
    else:
        p = _pair(padding, "padding", "conv2d")
        _positive("conv2d", "padding", p, allow_zero=True)
        pads = ((p[0], p[0]), (p[1], p[1]))
    hp, wp = h + sum(pads[0]), w + sum(pads[1])
    if hp < d[0] * (kh - 1) + 1 or wp < d[1] * (kw - 1) + 1:
        raise RuntimeError(f"conv2d: padded input size per channel ({hp} x {wp}) is smaller than the "
                           f"dilated kernel ({d[0] * (kh - 1) + 1} x {d[1] * (kw - 1) + 1}); input shape "
                           f"{input.shape}, weight shape {weight.shape}")
    if bias is not None and bias.shape != (f,):
        raise RuntimeError(f"conv2d: bias must have shape ({f},), got {bias.shape}")
    dtype = weight.dtype
    tensors = [x._cast(dtype), weight] + ([bias._cast(dtype)] if bias is not None else [])
    y = ops.Conv2d.apply(*tensors, stride=s, padding=pads, dilation=d, groups=int(groups))
    return y.squeeze(0) if unbatched else y


def _pool_args(op: str, x: Tensor, kernel_size: Any, stride: Any, padding: Any,
               dilation: Any, ceil_mode: bool) -> tuple[tuple[int, int], ...]:
    k = _pair(kernel_size, "kernel_size", op)
    s = k if stride is None or (isinstance(stride, (list, tuple)) and len(stride) == 0) \
        else _pair(stride, "stride", op)
    p, d = _pair(padding, "padding", op), _pair(dilation, "dilation", op)
    _positive(op, "kernel_size", k)
    _positive(op, "stride", s)
    _positive(op, "dilation", d)
    _positive(op, "padding", p, allow_zero=True)
    eff = (d[0] * (k[0] - 1) + 1, d[1] * (k[1] - 1) + 1)
    if p[0] > k[0] // 2 or p[1] > k[1] // 2:
        raise RuntimeError(f"{op}: pad should be at most half of the kernel size, but got "
                           f"padding={p} and kernel_size={k}")
    h, w = x.shape[-2:]
    for size, kk, ss, pp, dd, axis in ((h, k[0], s[0], p[0], d[0], "height"), (w, k[1], s[1], p[1], d[1], "width")):
        if ops.pool.pool_output_size(size, kk, ss, pp, dd, ceil_mode) <= 0:
            raise RuntimeError(f"{op}: the {axis} of input shape {x.shape} is too small for kernel "
                               f"{k} (dilated {eff}), stride {s}, padding {p}: the output would be empty")
    return k, s, p, d


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """Max over each kernel window (see tinygrad_edu/ops/pool.py); optionally the flat H*W
    index of each maximum, as torch's return_indices."""
    x, unbatched = _batched("max_pool2d", input)
    k, s, p, d = _pool_args("max_pool2d", x, kernel_size, stride, padding, dilation, ceil_mode)
    y = ops.MaxPool2d.apply(x, kernel=k, stride=s, padding=p, dilation=d, ceil_mode=bool(ceil_mode))
    out = y.squeeze(0) if unbatched else y
    if not return_indices:
        return out
    ctx = y._ctx
    if ctx is None:  # no graph was recorded: run the forward once more to get its saved state
        ctx = ops.MaxPool2d()
        ops.MaxPool2d.forward(ctx, x.array, k, s, p, d, bool(ceil_mode))
    assert isinstance(ctx, ops.MaxPool2d), "max_pool2d's output comes from the MaxPool2d op"
    which = ops.MaxPool2d.flat_indices(ctx)
    return out, Tensor._from_op(which[0] if unbatched else which)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: Optional[int] = None) -> Tensor:
    """Mean over each kernel window (see tinygrad_edu/ops/pool.py for the divisor rules)."""
    x, unbatched = _batched("avg_pool2d", input)
    k, s, p, _ = _pool_args("avg_pool2d", x, kernel_size, stride, padding, 1, ceil_mode)
    if divisor_override is not None and (not isinstance(divisor_override, (int, np.integer))
                                         or isinstance(divisor_override, bool) or divisor_override <= 0):
        raise RuntimeError(f"avg_pool2d: divisor must be a positive integer, got {divisor_override!r}")
    y = ops.AvgPool2d.apply(x, kernel=k, stride=s, padding=p, ceil_mode=bool(ceil_mode),
                            count_include_pad=bool(count_include_pad), divisor_override=divisor_override)
    return y.squeeze(0) if unbatched else y


def _averaging_matrix(size: int, out: int, dtype: np.dtype) -> Tensor:
    """P (out, size): row o averages input positions floor(o*size/out) .. ceil((o+1)*size/out)-1."""
    start, end = _adaptive_windows(size, out)
    pos = np.arange(size)
    inside = (pos[None, :] >= start[:, None]) & (pos[None, :] < end[:, None])
    return Tensor._from_op((inside / (end - start)[:, None]).astype(dtype))


def _adaptive_windows(size: int, out: int) -> tuple[np.ndarray, np.ndarray]:
    """torch's adaptive pooling windows along one axis: cell i covers [floor(i size / out),
    ceil((i + 1) size / out))."""
    start = (np.arange(out) * size) // out
    end = -((-(np.arange(out) + 1) * size) // out)
    return start, end


def _adaptive_size(op: str, x: Tensor, output_size: Any) -> tuple[int, int]:
    """(oh, ow) from an int, a pair, or a pair with None (keep that input size)."""
    if isinstance(output_size, (tuple, list)):
        oh, ow = (x.shape[2] if output_size[0] is None else output_size[0],
                  x.shape[3] if output_size[1] is None else output_size[1])
    else:
        oh, ow = _pair(output_size, "output_size", op)
    _positive(op, "output_size", (int(oh), int(ow)))
    return int(oh), int(ow)


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling to a fixed output size, with torch's window boundaries. It is a linear map,
    y = P_h x P_w^T with averaging matrices P, so it is written as two matmuls and its gradient
    P_h^T g P_w follows from theirs."""
    x, unbatched = _batched("adaptive_avg_pool2d", input)
    oh, ow = _adaptive_size("adaptive_avg_pool2d", x, output_size)
    ph = _averaging_matrix(x.shape[2], oh, x.dtype)
    pw = _averaging_matrix(x.shape[3], ow, x.dtype)
    y = ph.matmul(x).matmul(pw.T)
    return y.squeeze(0) if unbatched else y


def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling to a fixed output size: output cell (i, j) takes the maximum of rows
    floor(i H / oh) .. ceil((i + 1) H / oh) - 1 and the same for columns (torch's windows). A
    composite: each window is sliced, flattened and reduced with max(dim), so the gradient goes to
    the first maximum in row-major order, as torch's does. ``return_indices`` also gives each
    maximum's position in the flattened H*W plane."""
    from ..functions import stack
    x, unbatched = _batched("adaptive_max_pool2d", input)
    oh, ow = _adaptive_size("adaptive_max_pool2d", x, output_size)
    h, w = x.shape[2:]
    if h == 0 or w == 0:
        raise RuntimeError(f"adaptive_max_pool2d: expected non-empty spatial dims, got input {input.shape}")
    rows, cols = list(zip(*_adaptive_windows(h, oh))), list(zip(*_adaptive_windows(w, ow)))
    values, indices = [], []
    for r0, r1 in rows:
        for c0, c1 in cols:
            window = x[:, :, r0:r1, c0:c1]
            best = window.reshape(x.shape[0], x.shape[1], -1).max(dim=2)
            values.append(best.values)
            if return_indices:
                k = best.indices.numpy()
                indices.append((r0 + k // (c1 - c0)) * w + c0 + k % (c1 - c0))
    y = stack(values, 2).reshape(x.shape[0], x.shape[1], oh, ow)
    y = y.squeeze(0) if unbatched else y
    if not return_indices:
        return y
    idx = Tensor(np.stack(indices, 2).reshape(x.shape[0], x.shape[1], oh, ow))
    return y, (idx.squeeze(0) if unbatched else idx)


# ----------------------------------------------------------------------------- normalisation

def _channel_shape(x: Tensor) -> tuple[int, ...]:
    """(1, C, 1, ...): a per-channel vector broadcast against x (channels on dim 1)."""
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def batch_norm(input: Tensor, running_mean: Optional[Tensor], running_var: Optional[Tensor],
               weight: Optional[Tensor] = None, bias: Optional[Tensor] = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-05) -> Tensor:
    """Batch normalisation over every dim but the channels (dim 1).

    training: y = gamma * x_hat + beta with x_hat normalised by this batch's mean and biased
    variance (one fused op, ``ops.BatchNorm``, or ``ops.Normalize`` without gamma and beta; their
    docstrings derive the gradient); the running
    averages, when given, move toward the batch's mean and *unbiased* variance:
    r <- (1 - momentum) r + momentum * batch value (in place, as torch).
    eval: x_hat = (x - running_mean) / sqrt(running_var + eps), constants, so the gradient is a
    plain scaling.
    """
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of at least 2 dims (N, C, ...), got shape {input.shape}")
    c = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)):
        if t is not None and t.shape != (c,):
            raise RuntimeError(f"batch_norm: {name} should contain {c} elements (the input's channels, "
                               f"input shape {input.shape}), not {t.numel()} (shape {t.shape})")
    axes = (0,) + tuple(range(2, input.ndim))
    count = input.numel() // c if c else 0
    shape = _channel_shape(input)
    if training:
        if count <= 1:
            raise ValueError(f"batch_norm: expected more than 1 value per channel when training, got "
                             f"input size {input.shape}")
        if weight is not None or bias is not None:  # the scale and shift fused in (ops.BatchNorm)
            gamma = (weight if weight is not None else Tensor(np.ones(c, dtype=input.dtype)))._cast(input.dtype)
            beta = (bias if bias is not None else Tensor(np.zeros(c, dtype=input.dtype)))._cast(input.dtype)
            x_hat = ops.BatchNorm.apply(input, gamma.reshape(*shape), beta.reshape(*shape), eps=eps)
            weight = bias = None
        else:
            x_hat = ops.Normalize.apply(input, axes=axes, eps=eps)
        if running_mean is not None or running_var is not None:
            ctx = x_hat._ctx
            if ctx is not None:
                mean, var = ctx.mean, ctx.var
            else:  # no graph recorded (no_grad): the statistics are computed here
                mean = input.array.mean(axis=axes, keepdims=True)
                var = ((input.array - mean) ** 2).mean(axis=axes, keepdims=True)
            with no_grad():
                if running_mean is not None:
                    running_mean.mul_(1 - momentum).add_(Tensor._from_op((momentum * mean.reshape(c)).astype(running_mean.dtype)))
                if running_var is not None:
                    unbiased = var.reshape(c) * (count / (count - 1))
                    running_var.mul_(1 - momentum).add_(Tensor._from_op((momentum * unbiased).astype(running_var.dtype)))
    else:
        if running_mean is None or running_var is None:
            raise RuntimeError("batch_norm: running_mean and running_var must be given when training=False")
        inv_std = Tensor._from_op((1.0 / np.sqrt(running_var.array + eps)).astype(input.dtype).reshape(shape))
        x_hat = (input - running_mean.detach().reshape(*shape)._cast(input.dtype)) * inv_std
    if weight is not None:
        x_hat = x_hat * weight.reshape(*shape)
    if bias is not None:
        x_hat = x_hat + bias.reshape(*shape)
    return x_hat


def layer_norm(input: Tensor, normalized_shape: Any, weight: Optional[Tensor] = None,
               bias: Optional[Tensor] = None, eps: float = 1e-05) -> Tensor:
    """Normalise each sample over its last len(normalized_shape) dims, then scale and shift
    elementwise (the same fused op as batch norm, over other axes)."""
    shape = (normalized_shape,) if isinstance(normalized_shape, (int, np.integer)) else tuple(normalized_shape)
    if input.shape[input.ndim - len(shape):] != shape or len(shape) > input.ndim:
        raise RuntimeError(f"layer_norm: given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size {list(input.shape)}")
    axes = tuple(range(input.ndim - len(shape), input.ndim))
    y = ops.Normalize.apply(input, axes=axes, eps=eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def group_norm(input: Tensor, num_groups: int, weight: Optional[Tensor] = None, bias: Optional[Tensor] = None,
               eps: float = 1e-05) -> Tensor:
    """Split the channels of each sample into ``num_groups`` groups and normalise each group over its
    channels and positions; then a per-channel scale and shift."""
    if input.ndim < 2:
        raise RuntimeError(f"group_norm: expected an input of at least 2 dims (N, C, ...), got {input.shape}")
    n, c = input.shape[0], input.shape[1]
    if num_groups <= 0 or c % num_groups:
        raise RuntimeError(f"group_norm: expected number of channels in input ({c}) to be divisible by "
                           f"num_groups ({num_groups}), input shape {input.shape}")
    if input.numel() and input.numel() // (n * num_groups) == 1:
        raise ValueError(f"group_norm: expected more than 1 value per group (channel and position), got "
                         f"input size {input.shape} with {num_groups} groups")
    grouped = input.reshape(n, num_groups, -1)
    y = ops.Normalize.apply(grouped, axes=(2,), eps=eps).reshape(*input.shape)
    shape = _channel_shape(input)
    if weight is not None:
        y = y * weight.reshape(*shape)
    if bias is not None:
        y = y + bias.reshape(*shape)
    return y


def _cat_last(tensors: list[Tensor]) -> Tensor:
    from ..functions import cat
    return cat(tensors, -1)


def embedding(input: Tensor, weight: Tensor, padding_idx: Optional[int] = None, max_norm: Optional[float] = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of ``weight`` picked by the integer ``input`` (a lookup table). An indexing op, so a row
    picked several times receives the sum of their gradients; the ``padding_idx`` row receives none."""
    idx = input.array if isinstance(input, Tensor) else np.asarray(input)
    if idx.dtype.kind not in "iu":
        raise RuntimeError(f"embedding: expected an integer (int64) index tensor, got {idx.dtype}")
    n = weight.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = int(idx.max() if idx.max() >= n else idx.min())
        raise IndexError(f"embedding: index {bad} is out of range for an embedding of {n} rows "
                         f"(valid 0..{n - 1}; input shape {idx.shape})")
    if max_norm is not None or scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding: max_norm, scale_grad_by_freq and sparse are not supported")
    rows = weight[Tensor._from_op(idx.astype(np.int64))]
    if padding_idx is None:
        return rows
    pad = padding_idx % n
    keep = Tensor._from_op((idx != pad)[..., None])
    return where(keep, rows, rows.detach())


# ----------------------------------------------------------------------------- more activations
# Composites: their gradients come from where, exp, log1p, maximum/minimum. The inner
# ``where(x > 0, 0, x)`` keeps exp from overflowing on the branch that is not taken (an inf there
# would turn the zero gradient of the unused branch into nan).

def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """clamp(x, min_val, max_val); gradient 1 strictly inside, 0 outside and at the bounds."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val ({min_val}) cannot be greater than max_val ({max_val})")
    return _maybe_inplace(input, input.clamp(min_val, max_val), inplace)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6: 0 below -3, 1 above 3, (x + 3) / 6 between. Its derivative is 1/6 strictly
    between -3 and 3 and 0 elsewhere, the two ends included, as torch's: a ``where`` on the open
    interval, not relu6's clamp (whose gradient passes at the ends)."""
    inside = (input > -3) & (input < 3)
    return _maybe_inplace(input, where(inside, (input + 3) / 6, (input >= 3).to(input.dtype)), inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x relu6(x + 3) / 6. A composite: d/dx = relu6(x + 3) / 6 + x clamp'(x + 3) / 6, which is 0
    below -3, x/3 + 1/2 on [-3, 3] (the ends included, through clamp's gradient there) and 1
    above, torch's formula."""
    return _maybe_inplace(input, input * (input + 3).clamp(0.0, 6.0) / 6, inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x tanh(softplus(x)) (Misra, 2019); a composite, so d/dx = tanh(sp) + x sigmoid(x) (1 -
    tanh(sp)^2) comes out of the chain rule."""
    return _maybe_inplace(input, input * _softplus_core(input).tanh(), inplace)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|); d/dx = 1 / (1 + |x|)^2 (the composite's two terms add up to it)."""
    return input / (input.abs() + 1)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, negative_slope * x otherwise (gradient negative_slope at 0, as torch)."""
    return _maybe_inplace(input, where(input > 0, input, input * negative_slope), inplace)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, alpha (e^x - 1) otherwise; d/dx = alpha e^x for x <= 0."""
    negative = where(input > 0, 0.0, input)
    return _maybe_inplace(input, where(input > 0, input, (negative.exp() - 1) * alpha), inplace)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, alpha (e^(x/alpha) - 1) otherwise."""
    if alpha == 0:
        raise RuntimeError("celu: ZeroDivisionError (alpha must not be 0)")
    negative = where(input > 0, 0.0, input)
    return _maybe_inplace(input, where(input > 0, input, ((negative / alpha).exp() - 1) * alpha), inplace)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with the self-normalising constants of Klambauer et al. (2017)."""
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    return _maybe_inplace(input, elu(input, alpha) * scale, inplace)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x), Phi the standard normal CDF = (1 + erf(x / sqrt 2)) / 2; approximate='tanh'
    uses 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""
    if approximate == "none":
        return input * ((input * (1 / np.sqrt(2.0))).erf() + 1) * 0.5
    if approximate == "tanh":
        inner = (input + input * input * input * 0.044715) * float(np.sqrt(2 / np.pi))
        return input * (inner.tanh() + 1) * 0.5
    raise RuntimeError(f"gelu: approximate argument must be either none or tanh, got {approximate!r}")


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x) (also called swish)."""
    return _maybe_inplace(input, input * input.sigmoid(), inplace)


def _softplus_core(z: Tensor) -> Tensor:
    """log(1 + e^z) = max(z, 0) + log1p(e^-|z|): no overflow, and at z = 0 maximum's tie rule
    gives the right slope 1/2 (relu's 0 would not)."""
    return z.maximum(Tensor._from_op(np.zeros((), z.dtype))) + (-(z.abs())).exp().log1p()


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(beta x)) / beta, and x itself where beta x > threshold (as torch)."""
    z = input * beta
    return where(z > threshold, input, _softplus_core(z) / beta)


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)) = min(x, 0) - log1p(e^-|x|), finite for any x; d/dx = sigmoid(-x)."""
    zero = Tensor._from_op(np.zeros((), input.dtype))
    return input.minimum(zero) - (-(input.abs())).exp().log1p()


def _maybe_inplace(input: Tensor, out: Tensor, inplace: bool) -> Tensor:
    """``inplace=True`` writes the result into ``input`` (recorded like torch's in-place ops)."""
    if not inplace:
        return out
    input.copy_(out)
    return input


# ----------------------------------------------------------------------------- binary cross-entropy

def _same_size_target(op: str, input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        raise ValueError(f"{op}: Using a target size ({target.shape}) that is different to the input size "
                         f"({input.shape}) is deprecated. Please ensure they have the same size.")


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                         size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                         reduction: str = "mean") -> Tensor:
    """-w (y log p + (1 - y) log(1 - p)), reduced; p must lie in [0, 1] (see ops.loss.BinaryCrossEntropy)."""
    reduction = _legacy_reduction("binary_cross_entropy", size_average, reduce, reduction)
    _same_size_target("binary_cross_entropy", input, target)
    p = input.array
    if p.size and not ((p >= 0) & (p <= 1)).all():
        bad = p[~((p >= 0) & (p <= 1))].flat[0]
        raise RuntimeError(f"binary_cross_entropy: all elements of input should be between 0 and 1 "
                           f"(found {bad} in an input of shape {input.shape})")
    losses = ops.BinaryCrossEntropy.apply(input, target._cast(input.dtype))
    if weight is not None:
        losses = losses * weight
    return _reduce(losses, reduction, "binary_cross_entropy")


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                                     size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                                     reduction: str = "mean", pos_weight: Optional[Tensor] = None) -> Tensor:
    """-w (pos_weight y log sigmoid(x) + (1 - y) log sigmoid(-x)), through logsigmoid so that
    large logits stay finite; d/dx = sigmoid(x) - y when pos_weight is 1."""
    reduction = _legacy_reduction("binary_cross_entropy_with_logits", size_average, reduce, reduction)
    _same_size_target("binary_cross_entropy_with_logits", input, target)
    target = target._cast(input.dtype)
    positive = logsigmoid(input) * target
    if pos_weight is not None:
        positive = positive * pos_weight
    losses = -(positive + logsigmoid(-input) * (1 - target))
    if weight is not None:
        losses = losses * weight
    return _reduce(losses, reduction, "binary_cross_entropy_with_logits")


# ----------------------------------------------------------------------------- padding and other convolutions

def pad(input: Tensor, pad: Any, mode: str = "constant", value: Optional[float] = None) -> Tensor:
    """Pad the last len(pad) // 2 dims: pad = (left, right) for the last dim, then the one before,
    ... 'constant' fills with ``value`` (negative amounts crop); 'reflect' mirrors without
    repeating the edge, 'replicate' repeats the edge, 'circular' wraps around. The last three are
    indexing with an index array, so their gradient adds up where an element was read twice."""
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2 or len(pad) // 2 > input.ndim:
        raise RuntimeError(f"pad: padding length must be divisible by 2 and at most twice the number of "
                           f"dimensions of the input ({input.ndim}); got {len(pad)} values")
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise NotImplementedError(f"pad: unsupported mode {mode!r} (constant, reflect, replicate or circular)")
    if mode != "constant" and input.ndim - len(pad) // 2 not in (1, 2):
        raise NotImplementedError(f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor "
                                  f"(pad: mode {mode!r} pads k dims of a (k+1)- or (k+2)-D input)")
    if mode != "constant" and value not in (None, 0):
        raise RuntimeError(f"pad: padding mode {mode!r} doesn't take in value argument")
    out = input
    for k in range(len(pad) // 2):
        d, (left, right) = input.ndim - 1 - k, pad[2 * k:2 * k + 2]
        n = out.shape[d]
        if mode == "constant":
            lo, hi = max(-left, 0), n - max(-right, 0)
            if lo > hi:
                raise RuntimeError(f"pad: the negative padding {pad} removes more than the {n} elements of dim {d}")
            out = out[(slice(None),) * d + (slice(lo, hi),)]
            pieces = []
            fill = 0.0 if value is None else value
            for amount in (max(left, 0), max(right, 0)):
                shape = out.shape[:d] + (amount,) + out.shape[d + 1:]
                pieces.append(Tensor._from_op(np.full(shape, fill, dtype=out.dtype)))
            out = _cat_dim([pieces[0], out, pieces[1]], d)
            continue
        if -left >= n + right:
            raise RuntimeError(f"pad: the negative padding {pad} leaves nothing of dim {d} (size {n}) of input "
                               f"{input.shape}")
        if mode == "reflect" and (left >= n or right >= n):
            raise RuntimeError(f"pad: padding size should be less than the corresponding input dimension, "
                               f"but got: padding ({left}, {right}) at dimension {d} of input {input.shape}")
        # circular, as torch's: a negative amount crops first, and the positive one wraps around
        # the kept elements lo..lo+kept (reflect and replicate read the uncropped input)
        lo, kept = max(-left, 0), n - max(-left, 0) - max(-right, 0)
        if mode == "circular" and (left > kept or right > kept):
            raise RuntimeError(f"pad: padding value causes wrapping around more than once: padding "
                               f"({left}, {right}) at dimension {d} of size {n}")
        if n == 0:
            raise RuntimeError(f"pad: cannot pad the empty dimension {d} of input {input.shape} in mode {mode!r}")
        positions = np.arange(-left, n + right)
        if mode == "replicate":
            index = np.clip(positions, 0, n - 1)
        elif mode == "circular":
            index = lo + (positions - lo) % kept
        else:
            period = 2 * (n - 1) if n > 1 else 1
            folded = np.abs(positions) % period if n > 1 else np.zeros_like(positions)
            index = np.where(folded >= n, period - folded, folded)
        out = out[(slice(None),) * d + (Tensor._from_op(index.astype(np.int64)),)]
    return out


def _cat_dim(tensors: list[Tensor], dim: int) -> Tensor:
    """cat without the empty constant pieces; an empty piece that is part of the graph stays, so
    the result requires grad when an input does (as torch's does), even when padding crops the
    whole input away."""
    from ..functions import cat
    kept = [t for t in tensors if t.shape[dim] > 0 or t.requires_grad]
    return cat(kept or [tensors[0]], dim)


def conv1d(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """1-D cross-correlation of (N, C, L) input with (F, C/groups, K) weight: conv2d with a
    height of 1 (a composite: unsqueeze, conv2d, squeeze)."""
    if input.ndim not in (2, 3) or weight.ndim != 3:
        raise RuntimeError(f"conv1d: expected a 2D (unbatched) or 3D (batched) input and a 3D weight, got "
                           f"input of shape {input.shape} and weight of shape {weight.shape}")
    one = lambda v: (1, v) if isinstance(v, (int, np.integer)) else (1, v[0])  # noqa: E731
    pad_arg = padding if isinstance(padding, str) else \
        (0, padding if isinstance(padding, (int, np.integer)) else padding[0])
    y = conv2d(input.unsqueeze(-2), weight.unsqueeze(-2), bias, one(stride), pad_arg, one(dilation), groups)
    return y.squeeze(-2)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """The transposed convolution (see ops.conv.ConvTranspose2d): (N, C, H, W) input, (C, F/groups,
    KH, KW) weight, output height (H - 1) stride - 2 padding + dilation (KH - 1) + output_padding + 1."""
    x, unbatched = _batched("conv_transpose2d", input)
    if weight.ndim != 4:
        raise RuntimeError(f"conv_transpose2d: expected a 4D weight (in_channels, out_channels/groups, kH, kW), "
                           f"got shape {weight.shape}")
    s, p = _pair(stride, "stride", "conv_transpose2d"), _pair(padding, "padding", "conv_transpose2d")
    op, d = _pair(output_padding, "output_padding", "conv_transpose2d"), _pair(dilation, "dilation", "conv_transpose2d")
    _positive("conv_transpose2d", "stride", s)
    _positive("conv_transpose2d", "dilation", d)
    _positive("conv_transpose2d", "padding", p, allow_zero=True)
    _positive("conv_transpose2d", "output_padding", op, allow_zero=True)
    if not isinstance(groups, (int, np.integer)) or groups <= 0:
        raise RuntimeError(f"conv_transpose2d: groups must be a positive integer, got {groups!r}")
    c, fg, kh, kw = weight.shape
    if x.shape[1] != c or c % groups:
        raise RuntimeError(f"conv_transpose2d: given groups={groups}, weight of shape {weight.shape} expects input "
                           f"with {c} channels (divisible by groups), but got input of shape {input.shape}")
    for i in range(2):
        if op[i] >= s[i] and op[i] >= d[i]:
            raise RuntimeError(f"conv_transpose2d: output padding must be smaller than either stride or "
                               f"dilation, but got output_padding={op}, stride={s}, dilation={d}")
    size = [(x.shape[2 + i] - 1) * s[i] - 2 * p[i] + d[i] * ((kh, kw)[i] - 1) + op[i] + 1 for i in range(2)]
    if min(size) <= 0:
        raise RuntimeError(f"conv_transpose2d: the output size {tuple(size)} is too small (input {input.shape}, "
                           f"weight {weight.shape}, stride {s}, padding {p})")
    if bias is not None and bias.shape != (fg * groups,):
        raise RuntimeError(f"conv_transpose2d: bias must have shape ({fg * groups},), got {bias.shape}")
    dtype = weight.dtype
    tensors = [x._cast(dtype), weight] + ([bias._cast(dtype)] if bias is not None else [])
    y = ops.ConvTranspose2d.apply(*tensors, stride=s, padding=p, output_padding=op, dilation=d, groups=int(groups))
    return y.squeeze(0) if unbatched else y


# ----------------------------------------------------------------------------- resizing

def _resize_positions(n_in: int, n_out: int, scale_factor: Optional[float], align_corners: Optional[bool],
                      mode: str, spatial: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each output position along one dim: (lower source index, upper source index, weight of
    the upper one), with torch's source-coordinate rules, shortcuts included: the linear modes
    copy a dim whose size does not change, whatever the scale factor says (resizing 2 elements by
    1.3 gives the same 2 elements), and 2-D 'nearest' (torch's upsample_nearest2d) copies such a
    dim and reads element i >> 1 when the size doubles; 1-D and 3-D 'nearest' and 'nearest-exact'
    always use floor(i / scale_factor) (measured against torch 2.14 over sizes 1-11 and factors
    0.5-3.3)."""
    dst = np.arange(n_out, dtype=np.float64)
    copies = n_out == n_in and (mode not in ("nearest", "nearest-exact") or (mode == "nearest" and spatial == 2))
    if copies:
        same = np.arange(n_in, dtype=np.int64)
        return same, same, np.zeros(n_out)
    if mode == "nearest" and spatial == 2 and n_out == 2 * n_in:
        half = np.arange(n_out, dtype=np.int64) >> 1
        return half, half, np.zeros(n_out)
    if align_corners and mode != "nearest":
        src = dst * ((n_in - 1) / (n_out - 1) if n_out > 1 else 0.0)
    else:
        scale = 1.0 / scale_factor if scale_factor else n_in / n_out
        if mode == "nearest":
            src = np.floor(dst * scale)
        elif mode == "nearest-exact":
            src = np.floor((dst + 0.5) * scale)
        else:
            src = np.maximum((dst + 0.5) * scale - 0.5, 0.0)
    low = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    high = np.minimum(low + 1, n_in - 1)
    return low, high, (src - low) if mode not in ("nearest", "nearest-exact") else np.zeros(n_out)


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                align_corners: Optional[bool] = None, recompute_scale_factor: Optional[bool] = None,
                antialias: bool = False) -> Tensor:
    """Resize the spatial dims (all dims after N, C) to ``size`` or by ``scale_factor``.
    'nearest' / 'nearest-exact' pick a source element; 'linear', 'bilinear', 'trilinear'
    interpolate along one dim at a time (they are separable): out = (1 - t) x[low] + t x[high].
    Both are indexing with index arrays plus products, so the gradient adds each output's
    gradient back, with those weights, onto the elements it was read from."""
    spatial = input.ndim - 2
    expected = {"linear": 1, "bilinear": 2, "trilinear": 3}
    if mode not in ("nearest", "nearest-exact", *expected):
        raise NotImplementedError(f"interpolate: mode {mode!r} is not supported here (nearest, nearest-exact, "
                                  f"linear, bilinear, trilinear)")
    if spatial < 1 or (mode in expected and spatial != expected[mode]):
        raise NotImplementedError(f"interpolate: got {input.ndim}D input for mode {mode!r} (input shape "
                                  f"{input.shape}); expected (N, C, spatial...) with "
                                  f"{expected.get(mode, '1 to 3')} spatial dims")
    if align_corners is not None and mode in ("nearest", "nearest-exact"):
        raise ValueError("align_corners option can only be set with the interpolating modes: "
                         "linear | bilinear | bicubic | trilinear")
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported here")
    if input.dtype.kind != "f":
        _check_integer_interpolation(input, mode)
    if (size is None) == (scale_factor is None):
        raise ValueError("only one of size or scale_factor should be defined")
    in_sizes = input.shape[2:]
    if size is not None:
        out_sizes = (size,) * spatial if isinstance(size, (int, np.integer)) else tuple(size)
        factors: tuple[Optional[float], ...] = (None,) * spatial
    else:
        given = (scale_factor,) * spatial if isinstance(scale_factor, (int, float)) else tuple(scale_factor)
        out_sizes = tuple(int(np.floor(n * f)) for n, f in zip(in_sizes, given))
        factors = given
        if recompute_scale_factor:
            factors = (None,) * spatial
    if len(out_sizes) != spatial or min(out_sizes) <= 0:
        raise ValueError(f"interpolate: output size {out_sizes} must have {spatial} positive entries "
                         f"(input shape {input.shape})")
    if input.dtype == np.uint8 and mode == "bilinear":
        from .resize_uint8 import bilinear_uint8
        return Tensor(bilinear_uint8(input.array, (int(out_sizes[0]), int(out_sizes[1])), bool(align_corners),
                                     (factors[0], factors[1])))
    out = input
    for k, (n_in, n_out, f) in enumerate(zip(in_sizes, out_sizes, factors)):
        d = 2 + k
        low, high, t = _resize_positions(n_in, int(n_out), f, align_corners, mode, spatial)

        def pick(idx: np.ndarray, out: Tensor = out, d: int = d) -> Tensor:
            return out[(slice(None),) * d + (Tensor._from_op(idx),)]
        if mode in ("nearest", "nearest-exact"):
            out = pick(low)
            continue
        w = Tensor._from_op(t.astype(out.dtype).reshape((n_out,) + (1,) * (out.ndim - d - 1)))
        out = pick(low) * (1 - w) + pick(high) * w
    return out


def _check_integer_interpolation(input: Tensor, mode: str) -> None:
    """Integer inputs, as torch takes them: uint8 images with 'nearest'/'nearest-exact' (an index
    pick, exact in any dtype) and 'bilinear' (fixed-point arithmetic: nn/resize_uint8.py); torch
    refuses every other integer or bool dtype and mode."""
    if mode in ("nearest", "nearest-exact", "bilinear") and input.dtype == np.uint8:
        return
    raise NotImplementedError(f"interpolate: mode {mode!r} is not implemented for {input.dtype} input "
                              f"(as in torch; only float tensors, and uint8 with 'nearest'/'nearest-exact', are)")


def upsample(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
             align_corners: Optional[bool] = None) -> Tensor:
    """The deprecated name of ``interpolate``."""
    return interpolate(input, size, scale_factor, mode, align_corners)


from .attention_math import scaled_dot_product_attention  # noqa: E402, F401  (re-exported: a composite of the ops above)
