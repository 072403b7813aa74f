"""How a tensor prints: torch's layout, digit for digit, and ``set_printoptions``.

One width for every element of a tensor, chosen from its nonzero finite values: whole numbers
print as ``3.`` (an "integer mode" for floats), numbers whose magnitudes span more than 1000x,
exceed 1e8 or fall below 1e-4 print in scientific notation, the rest with ``precision`` digits.
A tensor with more than ``threshold`` elements is summarised: ``edgeitems`` at each end of every
dim and ``...`` between. Rows wrap at ``linewidth`` characters.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np


@dataclass
class PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: Optional[bool] = None


OPTIONS = PrintOptions()
PROFILES = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, math.inf, 3, 80)}


def set_printoptions(precision: Optional[int] = None, threshold: Optional[float] = None,
                     edgeitems: Optional[int] = None, linewidth: Optional[int] = None,
                     profile: Optional[str] = None, sci_mode: Optional[bool] = None) -> None:
    """torch.set_printoptions: ``profile`` ('default', 'short', 'full') first, then the values
    given; ``sci_mode`` is set every call (None: chosen per tensor)."""
    if profile is not None:
        if profile not in PROFILES:
            raise ValueError(f"set_printoptions: profile must be one of {sorted(PROFILES)}, got {profile!r}")
        OPTIONS.precision, OPTIONS.threshold, OPTIONS.edgeitems, OPTIONS.linewidth = PROFILES[profile]
    if precision is not None:
        OPTIONS.precision = int(precision)
    if threshold is not None:
        OPTIONS.threshold = threshold
    if edgeitems is not None:
        OPTIONS.edgeitems = int(edgeitems)
    if linewidth is not None:
        OPTIONS.linewidth = int(linewidth)
    OPTIONS.sci_mode = sci_mode


class _Formatter:
    """One width and one notation for all the values of a tensor (or of its summary)."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.max_width = True, False, 1
        flat = values.reshape(-1)
        if not self.floating:
            for v in flat.tolist():
                self.max_width = max(self.max_width, len(str(v)))
        else:
            finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
            if finite.size:
                big, small = float(np.abs(finite).max()), float(np.abs(finite).min())
                self.int_mode = bool(np.all(finite == np.ceil(finite)))
                wide = big / small > 1000.0 or big > 1.0e8 or small < 1.0e-4
                self.sci_mode = wide if OPTIONS.sci_mode is None else OPTIONS.sci_mode
                p = OPTIONS.precision
                if self.sci_mode:
                    widths = [len(f"{v:.{p}e}") for v in finite.tolist()]
                elif self.int_mode:  # whole numbers print as "3.": one more character
                    widths = [len(f"{v:.0f}") + 1 for v in finite.tolist()]
                else:
                    widths = [len(f"{v:.{p}f}") for v in finite.tolist()]
                self.max_width = max(self.max_width, *widths)

    def format(self, value: Any) -> str:
        p = OPTIONS.precision
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.max_width}.{p}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{p}f}"
        return " " * (self.max_width - len(text)) + text


def _summary(a: np.ndarray) -> np.ndarray:
    """The values a summarised tensor shows: ``edgeitems`` from each end of every dim."""
    e = OPTIONS.edgeitems
    if a.ndim == 0:
        return a
    if a.ndim == 1:
        return np.concatenate([a[:e], a[len(a) - e:]]) if len(a) > 2 * e else a
    if not e:
        return a[(slice(0, 0),) * a.ndim]
    rows = list(range(e)) + list(range(len(a) - e, len(a))) if len(a) > 2 * e else range(len(a))
    return np.stack([_summary(a[i]) for i in rows])


def _vector(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    per_line = max(1, int(math.floor((OPTIONS.linewidth - indent) / (fmt.max_width + 2))))
    e = OPTIONS.edgeitems
    if summarize and not e:
        items = ["..."]
    elif summarize and len(a) > 2 * e:
        items = [fmt.format(v) for v in a[:e].tolist()] + [" ..."] + [fmt.format(v) for v in a[len(a) - e:].tolist()]
    else:
        items = [fmt.format(v) for v in a.tolist()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _body(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        return _vector(a, indent, summarize, fmt)
    e = OPTIONS.edgeitems
    if summarize and len(a) > 2 * e:
        parts = ([_body(a[i], indent + 1, summarize, fmt) for i in range(e)] + ["..."]
                 + [_body(a[i], indent + 1, summarize, fmt) for i in range(len(a) - e, len(a))])
    else:
        parts = [_body(a[i], indent + 1, summarize, fmt) for i in range(len(a))]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def tensor_repr(a: np.ndarray, suffixes: list[str], prefix: str = "tensor(") -> str:
    """``prefix`` + the values of ``a`` laid out as torch lays them out + ``suffixes`` (dtype=,
    grad_fn=, ...), each on a new line when the line would pass ``linewidth``."""
    indent = len(prefix)
    if a.size == 0:
        body = "[]"
    else:
        values = a.astype(np.float32) if a.dtype == np.float16 else a
        summarize = a.size > OPTIONS.threshold
        body = _body(values, indent, summarize, _Formatter(_summary(values) if summarize else values))
    text = [prefix + body]
    last = len(text[0]) - text[0].rfind("\n") + 1
    for suffix in suffixes:
        if last + len(suffix) + 2 > OPTIONS.linewidth:
            text.append(",\n" + " " * indent + suffix)
            last = indent + len(suffix)
        else:
            text.append(", " + suffix)
            last += len(suffix) + 2
    return "".join(text) + ")"
