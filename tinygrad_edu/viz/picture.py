"""The computation graph as a picture that a Jupyter notebook shows inline.

``draw(loss, names)`` returns a :class:`GraphPicture`. In a notebook it displays itself as SVG
(``_repr_svg_``); ``.save(path)`` writes it to a file. Graphviz lays it out when its ``dot``
program is installed; otherwise matplotlib draws the same boxes and arrows in layers (inputs at
the top, the root at the bottom). ``.engine`` says which one drew it.
"""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any, Optional

from ..autograd import topological_order
from ..tensor import Tensor
from .graph import _label, to_dot


class GraphPicture:
    """The graph of ``root`` drawn as SVG by Graphviz (engine 'graphviz') or matplotlib
    (engine 'matplotlib'). Shown inline in a notebook; ``save`` writes .svg or .png."""

    def __init__(self, root: Tensor, names: Optional[dict[str, Tensor]] = None, title: str = "graph",
                 engine: Optional[str] = None) -> None:
        if engine not in (None, "graphviz", "matplotlib"):
            raise ValueError(f"draw: engine must be None, 'graphviz' or 'matplotlib', got {engine!r}")
        if engine == "graphviz" and not shutil.which("dot"):
            raise RuntimeError("draw: engine='graphviz' needs Graphviz's `dot` program "
                               "(Debian: apt-get install graphviz); engine=None falls back to matplotlib")
        self.engine = engine or ("graphviz" if shutil.which("dot") else "matplotlib")
        self.dot = to_dot(root, names, title)
        self._root, self._names = root, dict(names or {})
        self._svg: Optional[str] = None

    def svg(self) -> str:
        """The picture as SVG text."""
        if self._svg is None:
            self._svg = self._graphviz("svg").decode() if self.engine == "graphviz" else self._matplotlib("svg").decode()
        return self._svg

    def _repr_svg_(self) -> str:
        return self.svg()

    def save(self, path: str | Path) -> Path:
        """Write the picture to ``path`` (.svg or .png)."""
        path = Path(path)
        fmt = path.suffix.lstrip(".")
        if fmt not in ("svg", "png"):
            raise ValueError(f"GraphPicture.save: the file must end in .svg or .png, got {path.name!r}")
        data = self.svg().encode() if fmt == "svg" else (
            self._graphviz("png") if self.engine == "graphviz" else self._matplotlib("png"))
        path.write_bytes(data)
        return path

    def _graphviz(self, fmt: str) -> bytes:
        return subprocess.run(["dot", f"-T{fmt}"], input=self.dot.encode(), check=True, capture_output=True).stdout

    def _matplotlib(self, fmt: str) -> bytes:
        from matplotlib.figure import Figure  # a Figure of its own: no pyplot state, no backend change
        nodes = topological_order(self._root) if self._root.requires_grad else [self._root]
        depth: dict[int, int] = {}
        for t in nodes:  # inputs first, so every parent's depth is known before its child's
            parents = t._ctx.parents if t._ctx is not None else ()
            depth[id(t)] = 1 + max((depth.get(id(p), 0) for p in parents), default=-1)
            for p in parents:
                depth.setdefault(id(p), 0)
        by_id = {id(t): n for n, t in self._names.items()}
        every: dict[int, Tensor] = {}
        for t in nodes:
            every[id(t)] = t
            for p in (t._ctx.parents if t._ctx is not None else ()):
                every.setdefault(id(p), p)
        layers: dict[int, list[int]] = {}
        for key in every:
            layers.setdefault(depth[key], []).append(key)
        width = max(len(v) for v in layers.values())
        fig = Figure(figsize=(2.3 * width, 1.0 * len(layers) + 0.4))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(-0.5, width - 0.5)
        ax.set_ylim(-len(layers) + 0.5, 0.5)
        ax.axis("off")
        where: dict[int, tuple[float, float]] = {}
        for level, keys in layers.items():
            offset = (width - len(keys)) / 2
            for i, key in enumerate(keys):
                where[key] = (offset + i, -level)
        for key, t in every.items():
            for p in (t._ctx.parents if t._ctx is not None else ()):
                ax.annotate("", xy=where[key], xytext=where[id(p)],
                            arrowprops={"arrowstyle": "->", "color": "0.4", "shrinkA": 16, "shrinkB": 16})
        for key, t in every.items():
            leaf = t._ctx is None
            ax.text(*where[key], _label(t, by_id.get(key)).replace("\\n", "\n"), ha="center", va="center",
                    fontsize=7, bbox={"boxstyle": "square", "fc": "#dde8f7" if leaf else "white", "ec": "0.2"})
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=100)
        return buffer.getvalue()


def draw(root: Any, names: Optional[dict[str, Any]] = None, title: str = "graph",
         engine: Optional[str] = None) -> GraphPicture:
    """The graph that produced ``root`` as a picture (``names`` labels chosen tensors): shown inline
    in a notebook, written with ``.save(path)``. Graphviz draws it when ``dot`` is installed,
    matplotlib otherwise (``engine`` forces one).

    >>> import tinygrad_edu as tg
    >>> w = tg.ones(3, requires_grad=True)
    >>> picture = draw((w * 2).sum(), {"w": w}, engine="matplotlib")
    >>> picture.engine, picture.svg().startswith("<?xml")
    ('matplotlib', True)
    """
    return GraphPicture(root, names, title, engine)
