"""Draw the computation graph of a tensor as Graphviz DOT.

Each tensor is a box with the op that made it (or "leaf"), its shape and dtype, and, after a
backward pass, the shape and L2 norm of its gradient when it has one (leaves, and tensors that
called retain_grad()). Edges go from inputs to outputs, the direction the forward pass runs;
backward walks them the other way.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Optional

import numpy as np

from ..autograd import topological_order
from ..tensor import Tensor


def _label(t: Tensor, name: Optional[str]) -> str:
    op = t._ctx.name() if t._ctx is not None else ("leaf" if t.requires_grad else "constant")
    rows = [f"{name}: {op}" if name else op, f"{t.shape} {t.dtype}"]
    if t.grad is not None:
        rows.append(f"grad {t.grad.shape} |g|={float(np.linalg.norm(t.grad.array)):.4g}")
    return "\\n".join(rows)


def to_dot(root: Tensor, names: Optional[dict[str, Tensor]] = None, title: str = "graph") -> str:
    """The DOT text of the graph that produced ``root`` (``names`` labels chosen tensors)."""
    by_id = {id(t): n for n, t in (names or {}).items()}
    nodes = topological_order(root) if root.requires_grad else [root]
    lines = [f'digraph "{title}" {{', "  rankdir=TB;", '  node [shape=box, fontname="Helvetica", fontsize=10];']
    seen: set[int] = set()

    def node(t: Tensor) -> str:
        key = f"t{id(t)}"
        if id(t) not in seen:
            seen.add(id(t))
            style = ', style=filled, fillcolor="#dde8f7"' if t._ctx is None else ""
            lines.append(f'  {key} [label="{_label(t, by_id.get(id(t)))}"{style}];')
        return key

    for t in nodes:
        child = node(t)
        if t._ctx is not None:
            for parent in t._ctx.parents:
                lines.append(f"  {node(parent)} -> {child};")
    lines.append("}")
    return "\n".join(lines)


def render(dot: str, path: str | Path) -> Path:
    """Write ``dot`` to ``path``: rendered by Graphviz when its ``dot`` program is installed and the
    suffix is .svg/.png/.pdf, otherwise as a .dot file (and say so)."""
    path = Path(path)
    fmt = path.suffix.lstrip(".")
    if fmt in ("svg", "png", "pdf") and shutil.which("dot"):
        subprocess.run(["dot", f"-T{fmt}", "-o", str(path)], input=dot.encode(), check=True)
        return path
    out = path.with_suffix(".dot")
    out.write_text(dot)
    if fmt != "dot":
        print(f"graphviz's `dot` program is not installed (Debian: apt-get install graphviz): "
              f"wrote the DOT source to {out} instead of {path}")
    return out
