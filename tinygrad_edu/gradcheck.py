"""Numerical gradient checking by central differences, for testing your own ops.

For f: inputs -> output and a random upstream vector v, backward computes the analytic vector
g = v^T J (J = d output / d input). The numerical estimate of each entry is

    g_k ~ (v . f(x + eps e_k) - v . f(x - eps e_k)) / (2 eps),

which has error O(eps^2) for smooth f. Using a random v (not all ones) means a backward that is
wrong in any direction is caught with probability 1, and softmax-like ops whose gradient against
an all-ones v is exactly zero are really tested.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

import numpy as np

from .autograd import no_grad
from .tensor import Tensor


@dataclass
class InputCheck:
    """The comparison for one input: where analytic and numeric gradients differ most."""
    index: int
    shape: tuple[int, ...]
    passed: bool
    max_abs_error: float
    worst_element: tuple[int, ...] = ()
    analytic: float = 0.0
    numeric: float = 0.0


@dataclass
class GradcheckReport:
    """Result of :func:`gradcheck`: truthy if every input passed; ``str()`` explains a failure."""
    passed: bool
    inputs: list[InputCheck] = field(default_factory=list)
    eps: float = 1e-6
    atol: float = 1e-5
    rtol: float = 1e-3

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        lines = [f"gradcheck {'passed' if self.passed else 'FAILED'} "
                 f"(eps={self.eps}, atol={self.atol}, rtol={self.rtol})"]
        for c in self.inputs:
            mark = "ok  " if c.passed else "FAIL"
            lines.append(f"  {mark} input {c.index} shape {c.shape}: max |analytic - numeric| = "
                         f"{c.max_abs_error:.3e} at element {c.worst_element} "
                         f"(analytic {c.analytic:.8g}, numeric {c.numeric:.8g})")
        return "\n".join(lines)


class GradcheckError(AssertionError):
    """Raised by gradcheck(..., raise_exception=True) when a gradient is wrong."""


def gradcheck(fn: Callable[..., Tensor], inputs: Sequence[Any], eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, seed: Optional[int] = 0, raise_exception: bool = False) -> GradcheckReport:
    """Compare the backward pass of ``fn`` with central differences, for every element of every
    input that requires grad. Inputs must be float64 (in float32 the finite differences are
    dominated by rounding). Returns a :class:`GradcheckReport`; the inputs are not modified.

    >>> import tinygrad_edu as tg
    >>> x = tg.randn(3, dtype=tg.float64, requires_grad=True)
    >>> bool(gradcheck(lambda t: (t * t.sigmoid()).sum(), [x]))
    True
    """
    tensors = [x if isinstance(x, Tensor) else Tensor(x) for x in inputs]
    for i, t in enumerate(tensors):
        if t.requires_grad and t.dtype != np.float64:
            raise ValueError(f"gradcheck: input {i} (shape {t.shape}) is {t.dtype}; gradcheck needs "
                             f"float64 inputs, e.g. x.double().detach().requires_grad_()")
    if not any(t.requires_grad for t in tensors):
        raise ValueError("gradcheck: no input requires grad, so there is nothing to check")
    leaves = [Tensor(t.array.copy(), requires_grad=t.requires_grad) for t in tensors]
    out = fn(*leaves)
    if not isinstance(out, Tensor) or out.dtype != np.float64:
        raise ValueError(f"gradcheck: fn must return a float64 Tensor, got "
                         f"{getattr(out, 'dtype', type(out).__name__)}")
    v = np.random.default_rng(seed).standard_normal(out.shape)
    if out.requires_grad:
        out.backward(v)

    def project(arrays: list[np.ndarray]) -> float:
        with no_grad():
            y = fn(*[Tensor(a) for a in arrays])
        return float(np.sum(v * y.array))

    report = GradcheckReport(passed=True, eps=eps, atol=atol, rtol=rtol)
    base = [t.array.copy() for t in tensors]
    for i, leaf in enumerate(leaves):
        if not leaf.requires_grad:
            continue
        analytic = leaf.grad.array if leaf.grad is not None else np.zeros(leaf.shape)
        numeric = np.zeros(leaf.shape)
        for k in np.ndindex(leaf.shape):
            x = base[i]
            old = x[k]
            x[k] = old + eps
            plus = project(base)
            x[k] = old - eps
            minus = project(base)
            x[k] = old
            numeric[k] = (plus - minus) / (2 * eps)
        err = np.abs(analytic - numeric)
        ok = bool(np.all(err <= atol + rtol * np.abs(numeric)))
        worst = np.unravel_index(int(np.argmax(err)), err.shape) if err.size else ()
        report.inputs.append(InputCheck(
            index=i, shape=leaf.shape, passed=ok, max_abs_error=float(err.max()) if err.size else 0.0,
            worst_element=tuple(int(w) for w in worst),
            analytic=float(analytic[worst]) if err.size else 0.0,
            numeric=float(numeric[worst]) if err.size else 0.0))
        report.passed &= ok
    if raise_exception and not report.passed:
        raise GradcheckError(str(report))
    return report
