"""Plotting for the book's figures: ``plot``, ``show_images``, ``set_axes``, the training
``Animator``; inline in a Jupyter kernel, PNG files under ``FIGURE_DIR`` elsewhere.

Part of the d2l companion (``tinygrad_edu/d2l/__init__.py`` says how it is built and tested).
"""
from __future__ import annotations

import os
import sys
from typing import Any, Optional, Sequence

import numpy as np



def _figure_dir() -> str:
    """The companion's FIGURE_DIR, read from the package at each use (tests and users set it there)."""
    return getattr(sys.modules[__package__], "FIGURE_DIR", os.path.join("out", "d2l"))


# ----------------------------------------------------------------------------- plotting
# Inside a Jupyter (IPython) kernel figures appear inline, as with d2l on torch; in scripts and CI
# they are written as PNG files under FIGURE_DIR. A matplotlib backend the user or the kernel has
# already chosen (matplotlib.use, MPLBACKEND, %matplotlib) is never replaced.

def _kernel() -> bool:
    """True inside an IPython kernel (Jupyter, nbclient); False in scripts and plain IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and getattr(shell, "kernel", None) is not None


def _backend_chosen(matplotlib: Any) -> bool:
    params = matplotlib.rcParams
    if hasattr(params, "_get_backend_or_none"):
        return params._get_backend_or_none() is not None
    from matplotlib import rcsetup
    return dict.__getitem__(params, "backend") is not getattr(rcsetup, "_auto_backend_sentinel", None)


def _plt() -> Any:
    import matplotlib
    if not _backend_chosen(matplotlib):  # nobody chose: the kernel's inline display, else files
        matplotlib.use("module://matplotlib_inline.backend_inline" if _kernel() else "Agg")
    import matplotlib.pyplot as pyplot
    return pyplot


class _LazyPyplot:
    """``d2l.plt``: matplotlib.pyplot (with the backend ``_plt`` settles), imported on first use."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_plt(), name)


plt = _LazyPyplot()
_figures = [0]


def use_svg_display() -> None:
    """Show inline figures as SVG in a Jupyter kernel (d2l's setting); outside one, figures are
    written as PNG files and this does nothing."""
    if _kernel():
        _plt()
        from matplotlib_inline import backend_inline
        backend_inline.set_matplotlib_formats("svg")


def set_figsize(figsize: tuple[float, float] = (3.5, 2.5)) -> None:
    _plt().rcParams["figure.figsize"] = figsize


def savefig(name: Optional[str] = None) -> Optional[str]:
    """Outside a kernel: write the current figure to FIGURE_DIR and return the path (the
    notebook's display). Inside one the figure is shown inline when the cell ends; None."""
    if _kernel():
        return None
    os.makedirs(_figure_dir(), exist_ok=True)
    _figures[0] += 1
    path = os.path.join(_figure_dir(), name or f"figure_{_figures[0]}.png")
    _plt().savefig(path, dpi=100, bbox_inches="tight")
    return path


def set_axes(axes: Any, xlabel: Any, ylabel: Any, xlim: Any, ylim: Any, xscale: str, yscale: str,
             legend: Any) -> None:
    """Label, limit and scale one matplotlib Axes, with an optional legend."""
    axes.set_xlabel(xlabel), axes.set_ylabel(ylabel)
    axes.set_xscale(xscale), axes.set_yscale(yscale)
    axes.set_xlim(xlim), axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()


def _as_numpy(v: Any) -> Any:
    return v.detach().numpy() if hasattr(v, "detach") else v


def plot(X: Any, Y: Any = None, xlabel: Any = None, ylabel: Any = None, legend: Any = None, xlim: Any = None,
         ylim: Any = None, xscale: str = "linear", yscale: str = "linear",
         fmts: Sequence[str] = ("-", "m--", "g-.", "r:"), figsize: tuple[float, float] = (3.5, 2.5),
         axes: Any = None) -> Optional[str]:
    """Plot one or several curves (d2l.plot): inline in a kernel, else a PNG file (its path)."""
    if legend is None:
        legend = []
    set_figsize(figsize)
    axes = axes if axes else _plt().gca()

    def has_one_axis(v: Any) -> bool:
        return (hasattr(v, "ndim") and v.ndim == 1) or (isinstance(v, list) and not hasattr(v[0], "__len__"))

    if has_one_axis(X):
        X = [X]
    if Y is None:
        X, Y = [[]] * len(X), X
    elif has_one_axis(Y):
        Y = [Y]
    if len(X) != len(Y):
        X = X * len(Y)
    axes.cla()
    for x, y, fmt in zip(X, Y, fmts):
        x, y = _as_numpy(x), _as_numpy(y)
        axes.plot(x, y, fmt) if len(x) else axes.plot(y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
    return savefig()


def show_images(imgs: Any, num_rows: int, num_cols: int, titles: Optional[Sequence[str]] = None,
                scale: float = 1.5) -> Any:
    """A grid of images (tensors or arrays), written to a PNG file; returns the Axes."""
    figsize = (num_cols * scale, num_rows * scale)
    _, axes = _plt().subplots(num_rows, num_cols, figsize=figsize)
    axes = np.asarray(axes).flatten()
    for i, (ax, img) in enumerate(zip(axes, imgs)):
        ax.imshow(_as_numpy(img))
        ax.axes.get_xaxis().set_visible(False)
        ax.axes.get_yaxis().set_visible(False)
        if titles:
            ax.set_title(titles[i])
    savefig()
    return axes


class Animator:
    """Curves that grow during training (d2l.Animator). Each ``add`` appends points, prints one
    progress line and redraws: in a kernel one figure in place (display, then clear_output with
    wait=True, as d2l does), elsewhere ``FIGURE_DIR/animator.png``."""

    def __init__(self, xlabel: Any = None, ylabel: Any = None, legend: Any = None, xlim: Any = None,
                 ylim: Any = None, xscale: str = "linear", yscale: str = "linear",
                 fmts: Sequence[str] = ("-", "m--", "g-.", "r:"), nrows: int = 1, ncols: int = 1,
                 figsize: tuple[float, float] = (3.5, 2.5), path: Optional[str] = None) -> None:
        self.legend = legend or []
        self.config = dict(xlabel=xlabel, ylabel=ylabel, xlim=xlim, ylim=ylim, xscale=xscale, yscale=yscale)
        self.fmts, self.shape, self.figsize = fmts, (nrows, ncols), figsize
        self.path = path or os.path.join(_figure_dir(), "animator.png")
        self.X: Optional[list[list[float]]] = None
        self.Y: Optional[list[list[float]]] = None
        # One figure for the animator's life, as d2l's: the curves go to the first Axes, and the
        # others (``animator.axes[1]``) are the caller's, e.g. for an image beside the curves.
        try:
            self.fig, axes = _plt().subplots(nrows, ncols, figsize=figsize)
        except ImportError:  # matplotlib is optional: the progress lines still show the numbers
            self.fig, axes = None, None
        self.axes: Any = [axes] if nrows * ncols == 1 else axes

    def add(self, x: Any, y: Any) -> None:
        if not hasattr(y, "__len__"):
            y = [y]
        n = len(y)
        if not hasattr(x, "__len__"):
            x = [x] * n
        if self.X is None or self.Y is None:
            self.X, self.Y = [[] for _ in range(n)], [[] for _ in range(n)]
        X, Y = self.X, self.Y
        for i, (a, b) in enumerate(zip(x, y)):
            if a is not None and b is not None:
                X[i].append(float(a))
                Y[i].append(float(b))
        names = self.legend or [f"y{i}" for i in range(n)]
        print(f"{self.config['xlabel'] or 'x'} {float(x[0]):g}: "
              + ", ".join(f"{name} {float(v):.3f}" for name, v in zip(names, y) if v is not None), flush=True)
        self._draw()

    def _draw(self) -> None:
        if self.fig is None:
            return
        ax = np.asarray(self.axes, dtype=object).flatten()[0]
        ax.cla()
        for x, y, fmt in zip(self.X or [], self.Y or [], self.fmts):
            ax.plot(x, y, fmt)
        set_axes(ax, legend=self.legend, **self.config)
        if _kernel():
            from IPython import display
            display.display(self.fig)
            display.clear_output(wait=True)
            return
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        self.fig.savefig(self.path, dpi=100, bbox_inches="tight")


