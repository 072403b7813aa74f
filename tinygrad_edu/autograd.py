"""The autograd engine: ``Function`` (one per primitive op), grad mode, and the backward pass.

How a graph is built
--------------------
Every primitive op is a subclass of :class:`Function` with two static methods:

* ``forward(ctx, *arrays, **params)`` computes the output from raw NumPy arrays and stores
  in ``ctx`` whatever the backward pass will need (``ctx.save_for_backward(...)``);
* ``backward(ctx, grad)`` receives dL/d(output) and returns dL/d(input) for each input
  (``None`` for inputs that need no gradient).

``Function.apply(*tensors)`` runs ``forward`` and, when any input requires a gradient and grad
mode is on, returns a Tensor whose ``_ctx`` is the context: the context keeps the parent
tensors, never its own output, so the graph has no reference cycles and is freed by reference
counting alone (Python's cycle collector would otherwise dominate the step time).

How backward runs
-----------------
``backward(root, grad)`` orders the graph topologically with an explicit stack (no recursion,
so graphs deeper than Python's recursion limit work), walks it from the output back to the
leaves, calls each context's ``backward`` once with the sum of all gradients that reached that
node, and accumulates the result into ``.grad`` of leaves (and of tensors that called
``retain_grad()``).
"""
from __future__ import annotations

import weakref

import contextlib
import threading
from typing import TYPE_CHECKING, Any, Iterator, Optional, Union

import numpy as np

from . import fpstate

if TYPE_CHECKING:  # pragma: no cover
    from .tensor import Tensor

# What a backward returns: one gradient, or one per input (None where an input needs none).
Grads = Union[Optional[np.ndarray], tuple[Optional[np.ndarray], ...]]

# ----------------------------------------------------------------------------- grad mode

_state = threading.local()
_Tensor: Any = None  # tinygrad_edu.tensor.Tensor, set on the first Function.apply


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()`` (the default, as in torch)."""
    return getattr(_state, "grad_enabled", True)


class _GradMode(contextlib.ContextDecorator):
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._previous: list[bool] = []

    def __enter__(self) -> "_GradMode":
        self._previous.append(is_grad_enabled())
        _state.grad_enabled = self.enabled
        return self

    def __exit__(self, *exc: Any) -> None:
        _state.grad_enabled = self._previous.pop()


def no_grad() -> _GradMode:
    """Context manager and decorator: ops run inside record no graph (``torch.no_grad``)."""
    return _GradMode(False)


def enable_grad() -> _GradMode:
    """Context manager and decorator that turns graph recording back on (``torch.enable_grad``)."""
    return _GradMode(True)


# ----------------------------------------------------------------------------- anomaly mode

def is_anomaly_enabled() -> bool:
    return getattr(_state, "anomaly", False)


@contextlib.contextmanager
def detect_anomaly() -> Iterator[None]:
    """Raise at the first op whose forward or backward produces NaN or inf.

    The error names the op, its input shapes and the line of user code that created the node.
    """
    previous = is_anomaly_enabled()
    _state.anomaly = True
    try:
        yield
    finally:
        _state.anomaly = previous


def _user_frame() -> str:
    """The first stack frame outside the tinygrad_edu package: where the user created a node."""
    import os
    import sys
    import types

    package_dir = os.path.dirname(os.path.abspath(__file__))
    frame: Optional[types.FrameType] = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package_dir):
        frame = frame.f_back
    if frame is None:
        return "<unknown>"
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


def _check_finite(arr: Optional[np.ndarray], what: str, ctx: "Function") -> None:
    if arr is None or arr.dtype.kind != "f" or np.isfinite(arr).all():
        return
    shapes = getattr(ctx, "input_shapes", None) or tuple(p.shape for p in getattr(ctx, "parents", ()))
    created = getattr(ctx, "created_at", "<not recorded: detect_anomaly was off when it was created>")
    raise RuntimeError(
        f"detect_anomaly: {type(ctx).__name__} produced NaN/inf in its {what} "
        f"(input shapes: {', '.join(str(s) for s in shapes)}); the node was created at {created}"
    )


# ----------------------------------------------------------------------------- Function

class Function:
    """Base class of every primitive op; an instance is the context ``ctx`` of one graph node.

    Attributes set by :meth:`apply`:
        parents: the input Tensors (only those that were Tensors).
        needs_input_grad: one bool per input, True if that input requires a gradient.
        saved: the arrays given to :meth:`save_for_backward`.
    """

    parents: tuple["Tensor", ...]
    needs_input_grad: tuple[bool, ...]
    # Defaults read from the class until an instance sets its own (no __init__ to run per node).
    saved: tuple[Any, ...] = ()
    _freed = False
    _uses_saved = False

    if TYPE_CHECKING:  # pragma: no cover
        # A forward keeps what its backward needs as attributes of ctx (ctx.in_shape = x.shape):
        # to the type checker, ctx is a namespace of such values.
        def __getattr__(self, name: str) -> Any: ...
        def __setattr__(self, name: str, value: Any) -> None: ...

    # -- helpers for forward
    def save_for_backward(self, *items: Any) -> None:
        """Keep arrays (or anything else) that backward will need."""
        self.saved = items
        self._uses_saved = True

    # -- the op itself: subclasses override these two
    @staticmethod
    def forward(ctx: "Function", *args: Any, **kwargs: Any) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    @staticmethod
    def backward(ctx: "Function", grad: np.ndarray) -> Grads:  # pragma: no cover
        raise NotImplementedError

    # -- building a node
    @classmethod
    def apply(cls, *inputs: "Tensor", **params: Any) -> "Tensor":
        """Run ``forward`` on the inputs' arrays and attach a graph node when a gradient is needed."""
        global _Tensor
        if _Tensor is None:  # tensor.py imports this module, so Tensor is looked up on first use
            from .tensor import Tensor as _Tensor
        ctx = cls()
        arrays = [t.array for t in inputs]
        needs = tuple([t.requires_grad for t in inputs])
        record = any(needs) and getattr(_state, "grad_enabled", True)
        anomaly = getattr(_state, "anomaly", False)
        ctx.needs_input_grad = needs
        quiet = fpstate.enter_quiet()  # inf/nan appear where torch's do, without warnings
        try:
            out = cls.forward(ctx, *arrays, **params)
        finally:
            fpstate.leave(quiet)
        result = _Tensor._from_op(out, requires_grad=record)
        if record:
            ctx.parents = inputs
            for t in inputs:  # each input remembers this node (see Tensor._record_inplace)
                refs = t._consumers
                if refs is None:
                    t._consumers = [weakref.ref(ctx)]
                else:
                    refs.append(weakref.ref(ctx))
                    n = len(refs)
                    if n >= 16 and not n & (n - 1):  # at 16, 32, 64, ...: drop nodes already freed
                        refs[:] = [r for r in refs if r() is not None]
            # Version stamps of the tensors whose arrays backward will read: if one of them is
            # modified in place before backward runs, backward refuses (its gradient would be wrong).
            if ctx._uses_saved:
                saved_ids = {id(item) for item in ctx.saved}
                ctx.watched = [(t._version, t._version[0]) for t in (*inputs, result)
                               if id(t.array) in saved_ids]
            else:
                ctx.watched = ()
            result._ctx = ctx
        if anomaly:
            ctx.input_shapes = tuple(a.shape for a in arrays)
            ctx.created_at = _user_frame()
            _check_finite(out, "forward output", ctx)
        return result

    def name(self) -> str:
        return type(self).__name__


# ----------------------------------------------------------------------------- backward pass

def topological_order(root: "Tensor") -> list["Tensor"]:
    """Every tensor reachable from ``root`` through ``_ctx.parents``, parents before children.

    Iterative depth-first search: each stack entry is (tensor, children_already_pushed).

    >>> import tinygrad_edu as tg
    >>> x = tg.tensor([1.0, 2.0], requires_grad=True)
    >>> y = (x * x).sum()
    >>> [t.grad_fn.name() if t.grad_fn else "leaf" for t in topological_order(y)]
    ['leaf', 'Mul', 'Sum']
    """
    order: list["Tensor"] = []
    visited: set[int] = set()
    stack: list[tuple["Tensor", bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        if node._ctx is not None:
            for parent in node._ctx.parents:
                if parent.requires_grad and id(parent) not in visited:
                    stack.append((parent, False))
    return order


def backward(root: "Tensor", grad: np.ndarray, retain_graph: bool = False,
             trace: Any = None) -> None:
    """Propagate ``grad`` = dL/d(root) to every leaf that requires a gradient.

    Gradients that reach a node along several paths are summed before that node's backward
    runs (the multivariate chain rule). Unless ``retain_graph`` is True, the arrays saved for
    backward are released afterwards, as torch does, and a second backward through the same
    nodes raises a RuntimeError.
    """
    order = topological_order(root)
    grads: dict[int, np.ndarray] = {id(root): grad}
    # Arrays already stored in some .grad (and the caller's own array): storing one of them again
    # must copy, or an in-place change of one .grad (d2l's grad.zero_()) would change the other.
    handed_out: set[int] = {id(grad)}
    anomaly = is_anomaly_enabled()
    # Check the whole graph before touching anything, so a refused backward changes no .grad.
    for node in order:
        ctx = node._ctx
        if ctx is None:
            continue
        if ctx._freed:
            raise RuntimeError(
                f"backward: trying to backward through the graph a second time: the arrays saved "
                f"by {ctx.name()} were freed after the first backward. Call .backward(retain_graph=True) "
                f"the first time if you need to backward twice."
            )
        for box, version in ctx.watched:
            if box[0] != version:
                raise RuntimeError(
                    f"backward: one of the tensors needed by {ctx.name()} (input shapes "
                    f"{', '.join(str(p.shape) for p in ctx.parents)}) to compute gradients was "
                    f"modified by an in-place operation after it was used (version {box[0]}, "
                    f"expected {version})."
                )
    # One grad-mode and one error-state context for the whole pass (not one per node).
    with no_grad(), np.errstate(all="ignore"):
        for node in reversed(order):
            g = grads.pop(id(node), None)
            if g is None:
                continue
            ctx = node._ctx
            if ctx is None or node._retains_grad:
                node._accumulate_grad(g, handed_out)
            if ctx is None:
                continue
            parent_grads = ctx.backward(ctx, g)
            if not isinstance(parent_grads, tuple):
                parent_grads = (parent_grads,)
            if anomaly:
                for pg in parent_grads:
                    _check_finite(pg, "backward gradient", ctx)
            if trace is not None:
                trace(node, g, parent_grads)
            for parent, pg, needed in zip(ctx.parents, parent_grads, ctx.needs_input_grad):
                if not needed or pg is None:
                    continue
                if pg.shape != parent.shape or pg.dtype != parent.dtype:
                    raise RuntimeError(
                        f"backward: {ctx.name()} returned a gradient of shape {pg.shape} and dtype "
                        f"{pg.dtype} for an input of shape {parent.shape} and dtype {parent.dtype}; "
                        f"this is a bug in {ctx.name()}.backward"
                    )
                key = id(parent)
                grads[key] = pg if key not in grads else grads[key] + pg
            if not retain_graph and ctx._uses_saved:
                ctx.saved = ()
                ctx._freed = True


class set_grad_enabled(_GradMode):
    """``set_grad_enabled(False)`` switches graph recording off at once (a function call), and as
    a context manager restores the previous mode on exit, as torch's does."""

    def __init__(self, mode: bool) -> None:
        super().__init__(bool(mode))
        self._previous.append(is_grad_enabled())
        _state.grad_enabled = self.enabled

    def __enter__(self) -> "set_grad_enabled":
        return self

    def __exit__(self, *exc: Any) -> None:
        _state.grad_enabled = self._previous.pop()
