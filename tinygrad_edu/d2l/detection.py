"""Chapter 14 (object detection): boxes, anchors, IoU, ``multibox_target``,
``multibox_detection``, and the boxes drawn on pictures.

Part of the d2l companion (``tinygrad_edu/d2l/__init__.py`` says how it is built and tested).
"""
from __future__ import annotations

from typing import Any, Sequence


import tinygrad_edu as torch  # backend

from .plotting import _as_numpy, _plt

# ----------------------------------------------------------------------------- ch. 14: boxes and anchors
# Boxes are (x1, y1, x2, y2) corners or (cx, cy, w, h) centres, one per row.

def _check_boxes(op: str, boxes: Any, name: str = "boxes", corners: bool = True) -> None:
    """Refuse what would silently give wrong IoUs: not (n, 4), or x2 < x1 / y2 < y1 for corner boxes."""
    if boxes.ndim != 2 or boxes.shape[-1] != 4:
        raise ValueError(f"{op}: {name} must have shape (n, 4), got {tuple(boxes.shape)}")
    if corners and boxes.shape[0]:
        bad = (boxes[:, 2] < boxes[:, 0]) | (boxes[:, 3] < boxes[:, 1])
        if bad.any():
            i = int(torch.nonzero(bad)[0, 0])
            raise ValueError(f"{op}: {name}[{i}] = {boxes[i].tolist()} has x_max < x_min or y_max < y_min "
                             f"(corner boxes are (x_min, y_min, x_max, y_max))")


def box_corner_to_center(boxes: Any) -> Any:
    """(x1, y1, x2, y2) -> (cx, cy, w, h)."""
    x1, y1, x2, y2 = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    return torch.stack(((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1), dim=-1)


def box_center_to_corner(boxes: Any) -> Any:
    """(cx, cy, w, h) -> (x1, y1, x2, y2)."""
    cx, cy, w, h = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    return torch.stack((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), dim=-1)


def bbox_to_rect(bbox: Any, color: str) -> Any:
    """A matplotlib rectangle (unfilled) for a corner box."""
    x1, y1, x2, y2 = (float(v) for v in bbox)
    return _plt().Rectangle(xy=(x1, y1), width=x2 - x1, height=y2 - y1, fill=False, edgecolor=color, linewidth=2)


def multibox_prior(data: Any, sizes: Sequence[float], ratios: Sequence[float]) -> Any:
    """Anchor boxes centred on every pixel of ``data``'s (h, w) map, in coordinates scaled to
    [0, 1]: for sizes s_1..s_n and ratios r_1..r_m, the n + m - 1 boxes (s_i, r_1) and (s_1, r_j),
    width s sqrt(r) (times h / w, so that the ratio holds in pixels) and height s / sqrt(r).
    Returns (1, h * w * (n + m - 1), 4)."""
    if not len(sizes) or not len(ratios) or min(sizes) <= 0 or min(ratios) <= 0:
        raise ValueError(f"multibox_prior: sizes {list(sizes)} and ratios {list(ratios)} must be non-empty "
                         f"and positive")
    if data.ndim < 2:
        raise ValueError(f"multibox_prior: data must end with (height, width), got shape {tuple(data.shape)}")
    in_height, in_width = data.shape[-2:]
    device, per_pixel = data.device, len(sizes) + len(ratios) - 1
    size_t = torch.tensor(sizes, device=device)
    ratio_t = torch.tensor(ratios, device=device)
    centre_h = (torch.arange(in_height, device=device) + 0.5) / in_height
    centre_w = (torch.arange(in_width, device=device) + 0.5) / in_width
    cy, cx = torch.meshgrid(centre_h, centre_w, indexing="ij")
    cy, cx = cy.reshape(-1), cx.reshape(-1)
    widths = torch.cat((size_t * torch.sqrt(ratio_t[0]), sizes[0] * torch.sqrt(ratio_t[1:]))) * in_height / in_width
    heights = torch.cat((size_t / torch.sqrt(ratio_t[0]), sizes[0] / torch.sqrt(ratio_t[1:])))
    half = torch.stack((-widths, -heights, widths, heights)).T.repeat(in_height * in_width, 1) / 2
    centres = torch.stack([cx, cy, cx, cy], dim=1).repeat_interleave(per_pixel, dim=0)
    return (centres + half).unsqueeze(0)


def show_bboxes(axes: Any, bboxes: Any, labels: Any = None, colors: Any = None) -> None:
    """Draw boxes (and their labels) on matplotlib axes."""
    def as_list(obj: Any, default: Any) -> list[Any]:
        obj = default if obj is None else obj
        return list(obj) if isinstance(obj, (list, tuple)) else [obj]
    labels = as_list(labels, [])
    colors = as_list(colors, ["b", "g", "r", "m", "c"])
    for i, bbox in enumerate(bboxes):
        color = colors[i % len(colors)]
        rect = bbox_to_rect(_as_numpy(bbox), color)
        axes.add_patch(rect)
        if i < len(labels):
            text_color = "k" if color == "w" else "w"
            axes.text(rect.xy[0], rect.xy[1], labels[i], va="center", ha="center", fontsize=9,
                      color=text_color, bbox=dict(facecolor=color, lw=0))


def box_iou(boxes1: Any, boxes2: Any) -> Any:
    """Intersection over union of every pair: (n1, n2). The intersection of two boxes is the box
    between the larger upper-left and the smaller lower-right corner (empty if they cross)."""
    _check_boxes("box_iou", boxes1, "boxes1")
    _check_boxes("box_iou", boxes2, "boxes2")
    area = lambda b: (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])  # noqa: E731
    upper_left = torch.max(boxes1[:, None, :2], boxes2[:, :2])
    lower_right = torch.min(boxes1[:, None, 2:], boxes2[:, 2:])
    sides = (lower_right - upper_left).clamp(min=0)
    inter = sides[:, :, 0] * sides[:, :, 1]
    return inter / (area(boxes1)[:, None] + area(boxes2) - inter)


def assign_anchor_to_bbox(ground_truth: Any, anchors: Any, device: Any, iou_threshold: float = 0.5) -> Any:
    """For each anchor, the index of its ground-truth box or -1. First the greedy pass: the
    largest IoU left in the table pairs its anchor and box, whose row and column are then struck
    out, once per box; then every other anchor whose best IoU reaches the threshold takes that box.
    (The book's code compares with 0.5 whatever ``iou_threshold`` says; this one honours it.)"""
    n_anchors, n_boxes = anchors.shape[0], ground_truth.shape[0]
    iou = box_iou(anchors, ground_truth)
    assigned = torch.full((n_anchors,), -1, dtype=torch.long, device=device)
    best, best_box = torch.max(iou, dim=1)
    good = best >= iou_threshold
    assigned[torch.nonzero(good).reshape(-1)] = best_box[good]
    for _ in range(n_boxes):
        flat = torch.argmax(iou)
        box, anchor = (flat % n_boxes).long(), (flat // n_boxes).long()
        assigned[anchor] = box
        iou[:, box] = -1
        iou[anchor, :] = -1
    return assigned


def offset_boxes(anchors: Any, assigned_bb: Any, eps: float = 1e-6) -> Any:
    """The regression targets: centre shifts in anchor widths / 0.1 and log size ratios / 0.2."""
    a, b = box_corner_to_center(anchors), box_corner_to_center(assigned_bb)
    xy = 10 * (b[:, :2] - a[:, :2]) / a[:, 2:]
    wh = 5 * torch.log(eps + b[:, 2:] / a[:, 2:])
    return torch.cat([xy, wh], dim=1)


def multibox_target(anchors: Any, labels: Any) -> tuple[Any, Any, Any]:
    """Per image: box offsets (zero for background anchors), a mask of the anchors that have a
    box, and class labels (0 = background, box class + 1 otherwise)."""
    if labels.ndim != 3 or labels.shape[-1] != 5:
        raise ValueError(f"multibox_target: labels must be (batch, boxes, 5) rows of (class, x1, y1, x2, y2), "
                         f"got shape {tuple(labels.shape)}")
    if anchors.ndim != 3 or anchors.shape[0] != 1 or anchors.shape[-1] != 4:
        raise ValueError(f"multibox_target: anchors must be (1, n, 4) as multibox_prior makes them (shared by the "
                         f"batch of {labels.shape[0]}), got shape {tuple(anchors.shape)}")
    if labels.shape[1] == 0:
        raise ValueError(f"multibox_target: every image needs at least one ground-truth box to match anchors "
                         f"against; got labels of shape {tuple(labels.shape)} (0 boxes)")
    batch, anchors = labels.shape[0], anchors.squeeze(0)
    offsets, masks, classes = [], [], []
    device, n_anchors = anchors.device, anchors.shape[0]
    for i in range(batch):
        label = labels[i, :, :]
        assigned = assign_anchor_to_bbox(label[:, 1:], anchors, device)
        mask = (assigned >= 0).float().unsqueeze(-1).repeat(1, 4)
        cls = torch.zeros(n_anchors, dtype=torch.long, device=device)
        boxes = torch.zeros((n_anchors, 4), dtype=torch.float32, device=device)
        positive = torch.nonzero(assigned >= 0)
        which = assigned[positive]
        cls[positive] = label[which, 0].long() + 1
        boxes[positive] = label[which, 1:]
        offsets.append((offset_boxes(anchors, boxes) * mask).reshape(-1))
        masks.append(mask.reshape(-1))
        classes.append(cls)
    return torch.stack(offsets), torch.stack(masks), torch.stack(classes)


def offset_inverse(anchors: Any, offset_preds: Any) -> Any:
    """Boxes from anchors and predicted offsets (the inverse of offset_boxes)."""
    a = box_corner_to_center(anchors)
    xy = offset_preds[:, :2] * a[:, 2:] / 10 + a[:, :2]
    wh = torch.exp(offset_preds[:, 2:] / 5) * a[:, 2:]
    return box_center_to_corner(torch.cat((xy, wh), dim=1))


def nms(boxes: Any, scores: Any, iou_threshold: float) -> Any:
    """Non-maximum suppression: repeatedly keep the best-scoring box left and drop the others
    that overlap it by more than ``iou_threshold``. Returns the kept indices, best first."""
    _check_boxes("nms", boxes)
    if scores.ndim != 1 or scores.shape[0] != boxes.shape[0]:
        raise ValueError(f"nms: scores must be one per box: boxes {tuple(boxes.shape)}, scores {tuple(scores.shape)}")
    order = torch.argsort(scores, dim=-1, descending=True)
    keep = []
    while order.numel() > 0:
        best = order[0]
        keep.append(best)
        if order.numel() == 1:
            break
        iou = box_iou(boxes[best, :].reshape(-1, 4), boxes[order[1:], :].reshape(-1, 4)).reshape(-1)
        order = order[torch.nonzero(iou <= iou_threshold).reshape(-1) + 1]
    return torch.tensor(keep, dtype=torch.int64, device=boxes.device)


def multibox_detection(cls_probs: Any, offset_preds: Any, anchors: Any, nms_threshold: float = 0.5,
                       pos_threshold: float = 0.009999999) -> Any:
    """Per image, one row per anchor: (class or -1, confidence, box). Each anchor's box is
    predicted from its offsets, NMS runs over all boxes regardless of class, and the suppressed
    ones (and those below ``pos_threshold``) are marked background (-1); kept boxes come first."""
    if cls_probs.ndim != 3 or offset_preds.shape != (cls_probs.shape[0], 4 * cls_probs.shape[2]) \
            or tuple(anchors.shape) != (1, cls_probs.shape[2], 4):
        raise ValueError(f"multibox_detection: expected cls_probs (batch, classes + 1, n), offset_preds (batch, 4n) "
                         f"and anchors (1, n, 4); got {tuple(cls_probs.shape)}, {tuple(offset_preds.shape)}, "
                         f"{tuple(anchors.shape)}")
    anchors = anchors.squeeze(0)
    n_anchors, rows = cls_probs.shape[2], []
    for i in range(cls_probs.shape[0]):
        probs, offsets = cls_probs[i], offset_preds[i].reshape(-1, 4)
        conf, class_id = torch.max(probs[1:], 0)
        boxes = offset_inverse(anchors, offsets)
        keep = nms(boxes, conf, nms_threshold)
        everyone = torch.arange(n_anchors, dtype=torch.long, device=keep.device)
        values, counts = torch.cat((keep, everyone)).unique(return_counts=True)
        dropped = values[counts == 1]
        order = torch.cat((keep, dropped))
        class_id[dropped] = -1
        class_id, conf, boxes = class_id[order], conf[order], boxes[order]
        weak = conf < pos_threshold
        class_id[weak] = -1
        conf[weak] = 1 - conf[weak]
        rows.append(torch.cat((class_id.unsqueeze(1), conf.unsqueeze(1), boxes), dim=1))
    return torch.stack(rows)


