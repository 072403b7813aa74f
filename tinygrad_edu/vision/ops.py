"""torchvision.ops: box conversion, area and IoU (differentiable: composed of tensor ops),
non-maximum suppression (indices, computed on NumPy as torchvision's CPU kernel does), and
region-of-interest pooling (``roi_pool``, ``roi_align`` and their modules; primitive ops with
gradients, in ``roi.py``)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import functions
from ..nn import Module
from ..tensor import Tensor
from .roi import RoIAlign as _RoIAlignOp
from .roi import RoIPool as _RoIPoolOp

FORMATS = ("xyxy", "xywh", "cxcywh")


def _check(op: str, boxes: Any, name: str = "boxes") -> None:
    if not isinstance(boxes, Tensor):
        raise TypeError(f"{op}: {name} must be a Tensor, got {type(boxes).__name__}")
    if boxes.ndim < 1 or boxes.shape[-1] != 4:
        raise ValueError(f"{op}: {name} must have shape (..., 4), got {tuple(boxes.shape)}")


def _fmt(op: str, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"{op}: unsupported box format {fmt!r}; expected one of {FORMATS}")
    return fmt


def box_convert(boxes: Tensor, in_fmt: str, out_fmt: str) -> Tensor:
    """Between corner form 'xyxy' (x1, y1, x2, y2), 'xywh' (x1, y1, w, h) and 'cxcywh' (centre, w, h)."""
    _check("box_convert", boxes)
    in_fmt, out_fmt = _fmt("box_convert", in_fmt), _fmt("box_convert", out_fmt)
    if in_fmt == out_fmt:
        return boxes.clone()
    a, b, c, d = (boxes[..., i] for i in range(4))
    if in_fmt == "xywh":
        a, b, c, d = a, b, a + c, b + d
    elif in_fmt == "cxcywh":
        a, b, c, d = a - 0.5 * c, b - 0.5 * d, a + 0.5 * c, b + 0.5 * d
    if out_fmt == "xywh":
        return functions.stack([a, b, c - a, d - b], -1)
    if out_fmt == "cxcywh":
        return functions.stack([(a + c) / 2, (b + d) / 2, c - a, d - b], -1)
    return functions.stack([a, b, c, d], -1)


def box_area(boxes: Tensor, fmt: str = "xyxy") -> Tensor:
    """Width times height of each box."""
    _check("box_area", boxes)
    if _fmt("box_area", fmt) == "xyxy":
        return (boxes[..., 2] - boxes[..., 0]) * (boxes[..., 3] - boxes[..., 1])
    return boxes[..., 2] * boxes[..., 3]


def box_iou(boxes1: Tensor, boxes2: Tensor, fmt: str = "xyxy") -> Tensor:
    """Intersection over union of every pair, (..., N, M): the overlap is the box between the
    larger upper-left and the smaller lower-right corners, empty when they cross."""
    _check("box_iou", boxes1, "boxes1")
    _check("box_iou", boxes2, "boxes2")
    fmt = _fmt("box_iou", fmt)
    area1, area2 = box_area(boxes1, fmt), box_area(boxes2, fmt)
    if fmt == "xyxy":
        lo1, hi1, lo2, hi2 = boxes1[..., :2], boxes1[..., 2:], boxes2[..., :2], boxes2[..., 2:]
    elif fmt == "xywh":
        lo1, lo2 = boxes1[..., :2], boxes2[..., :2]
        hi1, hi2 = lo1 + boxes1[..., 2:], lo2 + boxes2[..., 2:]
    else:
        lo1, hi1 = boxes1[..., :2] - boxes1[..., 2:] / 2, boxes1[..., :2] + boxes1[..., 2:] / 2
        lo2, hi2 = boxes2[..., :2] - boxes2[..., 2:] / 2, boxes2[..., :2] + boxes2[..., 2:] / 2
    upper_left = functions.maximum(lo1[..., :, None, :], lo2[..., None, :, :])
    lower_right = functions.minimum(hi1[..., :, None, :], hi2[..., None, :, :])
    sides = (lower_right - upper_left).clamp(min=0)
    inter = sides[..., 0] * sides[..., 1]
    return inter / (area1[..., :, None] + area2[..., None, :] - inter)


def nms(boxes: Tensor, scores: Tensor, iou_threshold: float) -> Tensor:
    """Indices (int64) of the boxes kept, best score first: take the best box left, drop every
    other whose IoU with it exceeds ``iou_threshold``, repeat. Ties in score keep input order."""
    _check("nms", boxes)
    if boxes.ndim != 2 or scores.ndim != 1 or scores.shape[0] != boxes.shape[0]:
        raise ValueError(f"nms: expected boxes (N, 4) and scores (N,), got boxes {tuple(boxes.shape)} and "
                         f"scores {tuple(scores.shape)}")
    b = boxes.detach().numpy()
    x1, y1, x2, y2 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    areas = (x2 - x1) * (y2 - y1)
    order = np.argsort(-scores.detach().numpy(), kind="stable")
    removed = np.zeros(len(b), dtype=bool)
    keep = []
    with np.errstate(invalid="ignore", divide="ignore"):
        for k, i in enumerate(order):
            if removed[i]:
                continue
            keep.append(i)
            rest = order[k + 1:]
            w = np.maximum(np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]), 0)
            h = np.maximum(np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]), 0)
            inter = w * h
            iou = inter / (areas[i] + areas[rest] - inter)  # in the boxes' dtype, compared in float64
            removed[rest[iou.astype(np.float64) > float(iou_threshold)]] = True
    return Tensor(np.asarray(keep, dtype=np.int64))


def batched_nms(boxes: Tensor, scores: Tensor, idxs: Tensor, iou_threshold: float) -> Tensor:
    """``nms`` within each category ``idxs`` (boxes of different categories never suppress each
    other), best score first. As torchvision on the CPU: up to 4,000 coordinates, one nms over
    boxes moved apart by category (offset idx * (largest coordinate + 1)); beyond, one per category."""
    _check("batched_nms", boxes)
    if boxes.shape[0] == 0:
        return Tensor(np.zeros(0, dtype=np.int64))
    if boxes.numel() <= 4000:
        b = boxes.detach().numpy()
        offsets = idxs.detach().numpy().astype(b.dtype) * (b.max() + b.dtype.type(1))
        return nms(Tensor(b + offsets[:, None]), scores, iou_threshold)
    keep = np.zeros(boxes.shape[0], dtype=bool)
    labels = idxs.detach().numpy()
    for label in np.unique(labels):
        where = np.flatnonzero(labels == label)
        kept = nms(Tensor(boxes.detach().numpy()[where]), Tensor(scores.detach().numpy()[where]), iou_threshold)
        keep[where[kept.numpy()]] = True
    chosen = np.flatnonzero(keep)
    return Tensor(chosen[np.argsort(-scores.detach().numpy()[chosen], kind="stable")].astype(np.int64))


# ----------------------------------------------------------------------------- regions of interest

def _rois(op: str, x: Any, boxes: Any) -> np.ndarray:
    """Boxes as a (K, 5) array (batch index, x1, y1, x2, y2): a Tensor[K, 5], or a list of one
    Tensor[L, 4] per image (torchvision's two forms)."""
    if not isinstance(x, Tensor) or x.ndim != 4:
        raise ValueError(f"{op}: input must be a 4-D Tensor (N, C, H, W), got "
                         f"{tuple(x.shape) if isinstance(x, Tensor) else type(x).__name__}")
    if isinstance(boxes, (list, tuple)):
        parts = []
        for i, b in enumerate(boxes):
            if not isinstance(b, Tensor) or b.ndim != 2 or b.shape[1] != 4:
                raise ValueError(f"{op}: boxes given as a list must hold Tensor[L, 4] per image; item {i} has shape "
                                 f"{tuple(b.shape) if isinstance(b, Tensor) else type(b).__name__}")
            arr = b.detach().numpy()
            parts.append(np.concatenate([np.full((len(arr), 1), i, dtype=arr.dtype), arr], axis=1))
        rois = np.concatenate(parts) if parts else np.zeros((0, 5), dtype=x.dtype)
    elif isinstance(boxes, Tensor):
        if boxes.ndim != 2 or boxes.shape[1] != 5:
            raise ValueError(f"{op}: boxes must be Tensor[K, 5] (batch index, x1, y1, x2, y2) or a list of "
                             f"Tensor[L, 4], got shape {tuple(boxes.shape)}")
        rois = boxes.detach().numpy()
    else:
        raise TypeError(f"{op}: boxes must be a Tensor[K, 5] or a list of Tensor[L, 4], got {type(boxes).__name__}")
    index = rois[:, 0] if len(rois) else np.zeros(0)
    if len(rois) and (index.min() < 0 or index.max() >= x.shape[0] or np.any(index != np.round(index))):
        raise ValueError(f"{op}: box batch indices must be whole numbers in [0, {x.shape[0]}), got {index.tolist()}")
    return rois


def _output_size(op: str, output_size: Any) -> tuple[int, int]:
    size = (output_size, output_size) if isinstance(output_size, int) else tuple(output_size)
    if len(size) != 2 or min(size) <= 0:
        raise ValueError(f"{op}: output_size must be a positive int or pair, got {output_size!r}")
    return int(size[0]), int(size[1])


def roi_pool(input: Tensor, boxes: Any, output_size: Any, spatial_scale: float = 1.0) -> Tensor:
    """Max over each of an output_size grid of bins of each box (Fast R-CNN): (K, C, oh, ow)."""
    rois = _rois("roi_pool", input, boxes)
    return _RoIPoolOp.apply(input, rois=rois, output_size=_output_size("roi_pool", output_size),
                            spatial_scale=float(spatial_scale))


def roi_align(input: Tensor, boxes: Any, output_size: Any, spatial_scale: float = 1.0, sampling_ratio: int = -1,
              aligned: bool = False) -> Tensor:
    """Mean of bilinearly sampled points in each bin of each box (Mask R-CNN): (K, C, oh, ow)."""
    rois = _rois("roi_align", input, boxes)
    return _RoIAlignOp.apply(input, rois=rois, output_size=_output_size("roi_align", output_size),
                             spatial_scale=float(spatial_scale), sampling_ratio=int(sampling_ratio),
                             aligned=bool(aligned))


class RoIPool(Module):
    def __init__(self, output_size: Any, spatial_scale: float) -> None:
        super().__init__()
        self.output_size, self.spatial_scale = output_size, spatial_scale

    def forward(self, input: Tensor, rois: Any) -> Tensor:
        return roi_pool(input, rois, self.output_size, self.spatial_scale)


class RoIAlign(Module):
    def __init__(self, output_size: Any, spatial_scale: float, sampling_ratio: int, aligned: bool = False) -> None:
        super().__init__()
        self.output_size, self.spatial_scale = output_size, spatial_scale
        self.sampling_ratio, self.aligned = sampling_ratio, aligned

    def forward(self, input: Tensor, rois: Any) -> Tensor:
        return roi_align(input, rois, self.output_size, self.spatial_scale, self.sampling_ratio, self.aligned)
