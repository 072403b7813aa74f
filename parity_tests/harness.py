"""The one harness every op parity test goes through.

For a catalogue row (``OpCase``) and one Hypothesis draw it:

1. feeds the *same* NumPy arrays to tinygrad_edu and to torch (on the device under test);
2. compares every output: shape, dtype and values (per-dtype tolerance table below);
3. backpropagates the same **random** upstream gradient through both (uniform in [-1, 1], so
   softmax-like ops whose gradient against all-ones is zero are really checked);
4. compares the gradient of every input that requires one;
5. checks that no input array was modified;

and on any failure raises an AssertionError that starts with a standalone, copy-pasteable script
reproducing the case.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

import numpy as np
import pytest
import torch
from hypothesis import given, reject, settings
from hypothesis import strategies as st

import tinygrad_edu as tg

from .index_forms import build_index
from .strategies import Draw

# ----------------------------------------------------------------------------- tolerances

@dataclass(frozen=True)
class Tolerance:
    """|ours - torch| <= atol + rtol * |torch|, elementwise (torch.testing.assert_close's rule)."""
    rtol: float
    atol: float


# torch.testing.assert_close's own defaults for these dtypes.
TOLERANCES = {
    np.dtype(np.float32): Tolerance(rtol=1.3e-6, atol=1e-5),
    np.dtype(np.float64): Tolerance(rtol=1e-7, atol=1e-7),
}

DTYPES = [np.dtype(np.float32), np.dtype(np.float64)]

# The suite is written against the pinned torch (setup.cfg); a GPU machine may carry an older one.
_OLDER_TORCH = torch.torch_version.TorchVersion(torch.__version__) < "2.14"

_HAS_CUDA = torch.cuda.is_available()
DEVICES = [
    pytest.param("cpu", id="cpu"),
    pytest.param("cuda", id="cuda", marks=[
        pytest.mark.cuda,
        pytest.mark.skipif(not _HAS_CUDA, reason="no CUDA GPU (torch.cuda.is_available() is False)")]),
]


def one_ulp_apart(a: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``a`` with every element moved by one ulp of its dtype, up or down at random: a run that
    differs from another only as much as one rounding differs (the trajectory bounds' calibration)."""
    return np.nextafter(a, np.where(rng.random(a.shape) < 0.5, -np.inf, np.inf).astype(a.dtype))


def accumulation_tolerance(terms: int, magnitude: float, dtype: np.dtype) -> Tolerance:
    """Tolerance for results that add up ``terms`` products of size up to ``magnitude``.

    NumPy and torch add in different orders (pairwise vs. blocked/vectorised), and the
    standard error bound for a float sum is |error| <= terms * eps * sum|x_i|, so with
    cancellation two correct implementations can differ by about terms * eps * magnitude
    absolutely, far more than atol when the inputs are large.
    """
    base = TOLERANCES[np.dtype(dtype)]
    eps = float(np.finfo(dtype).eps)
    return Tolerance(rtol=base.rtol * 4, atol=base.atol + 2 * terms * eps * magnitude)


# ----------------------------------------------------------------------------- catalogue rows

@dataclass(frozen=True)
class OpCase:
    """One row of the op catalogue.

    expr:       a Python expression over the drawn array names and params, evaluated once with
                tinygrad_edu (``T`` = tinygrad_edu, ``F`` = tinygrad_edu.nn.functional) and once
                with torch (``T`` = torch, ``F`` = torch.nn.functional). Since the API follows
                torch, one expression usually serves both.
    inputs:     (dtype, smooth) -> Hypothesis strategy of :class:`Draw`.
    torch_expr: the torch expression when it differs from ``expr``.
    tol:        (draw, dtype) -> Tolerance, overriding the table (each use says why).
    gradcheck:  False for rows where a float64 central-difference check makes no sense (say why).
    cuda_differs: draw -> True where torch's own CUDA kernels disagree with its CPU kernels (the
                predicate's docstring says how, and where it was seen); such draws are compared
                with torch on the CPU, whose semantics tinygrad_edu follows.
    torch_grad_differs: draw -> True where torch's gradient is not the derivative of its own forward
                (the predicate's docstring says how); such draws compare the forward with torch,
                and the gradient is checked against finite differences by the gradcheck tests.
    older_torch_differs: draw -> True where torch releases older than the pinned one (2.14) answer
                differently (the predicate's docstring says how); such draws are not compared
                under an older torch (the GPU machines this suite was run on carried 2.11).
    """
    name: str
    family: str
    expr: str
    inputs: Callable[[np.dtype, bool], Any]
    torch_expr: Optional[str] = None
    tol: Optional[Callable[[Draw, np.dtype], Tolerance]] = None
    gradcheck: bool = True
    notes: str = ""
    cuda_differs: Optional[Callable[[Draw], bool]] = None
    older_torch_differs: Optional[Callable[[Draw], bool]] = None
    torch_grad_differs: Optional[Callable[[Draw], bool]] = None


# ----------------------------------------------------------------------------- running both sides

def _ours_env() -> dict[str, Any]:
    return {"T": tg, "F": tg.nn.functional, "nn": tg.nn, "np": np, "IX": build_index}


def _torch_env() -> dict[str, Any]:
    return {"T": torch, "F": torch.nn.functional, "nn": torch.nn, "np": np, "IX": build_index}


def _as_list(out: Any) -> list[Any]:
    return list(out) if isinstance(out, (tuple, list)) else [out]


_TORCH_DTYPE = {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64,
                np.dtype(np.int64): torch.int64, np.dtype(np.bool_): torch.bool,
                np.dtype(np.int32): torch.int32}


def _needs_grad(name: str, arr: np.ndarray, draw: Draw) -> bool:
    return arr.dtype.kind == "f" and name not in draw.constant


def run_ours(case: OpCase, draw: Draw) -> tuple[list[Any], dict[str, tg.Tensor]]:
    leaves = {k: tg.Tensor(v, requires_grad=_needs_grad(k, v, draw)) for k, v in draw.arrays.items()}
    env = {**_ours_env(), **draw.params, **leaves}
    return _as_list(eval(case.expr, env)), leaves


def run_torch(case: OpCase, draw: Draw, device: str) -> tuple[list[Any], dict[str, torch.Tensor]]:
    leaves = {k: torch.tensor(v.copy(), device=device, requires_grad=_needs_grad(k, v, draw))
              for k, v in draw.arrays.items()}
    env = {**_torch_env(), **draw.params, **leaves}
    return _as_list(eval(case.torch_expr or case.expr, env)), leaves


def _compare(what: str, ours: Optional[np.ndarray], theirs: Optional[torch.Tensor], tol: Tolerance) -> None:
    if theirs is None:
        assert ours is None or not np.any(ours), f"{what}: torch has no gradient but ours is nonzero"
        return
    assert ours is not None, f"{what}: torch computed a gradient but tinygrad_edu did not"
    expected = theirs.detach().cpu()
    actual = torch.from_numpy(np.array(ours, order="C", copy=True))
    assert tuple(actual.shape) == tuple(expected.shape), \
        f"{what}: shape {tuple(actual.shape)} != torch's {tuple(expected.shape)}"
    assert actual.dtype == expected.dtype, f"{what}: dtype {actual.dtype} != torch's {expected.dtype}"
    if actual.dtype.is_floating_point:
        torch.testing.assert_close(actual, expected, rtol=tol.rtol, atol=tol.atol, equal_nan=True,
                                   msg=lambda m: f"{what}: {m}")
    else:
        assert torch.equal(actual, expected), f"{what}: {actual} != torch's {expected}"


def check_parity(case: OpCase, draw: Draw, dtype: np.dtype, device: str, seed: int) -> None:
    """Forward and backward of ``case`` on ``draw`` in both frameworks must agree."""
    tol = case.tol(draw, dtype) if case.tol else TOLERANCES[np.dtype(dtype)]
    if device == "cuda" and case.cuda_differs is not None and case.cuda_differs(draw):
        device = "cpu"
    if _OLDER_TORCH and case.older_torch_differs is not None and case.older_torch_differs(draw):
        reject()  # not a counterexample: this torch predates the semantics tinygrad_edu follows
    originals = {k: v.copy() for k, v in draw.arrays.items()}
    try:
        ours, our_leaves = run_ours(case, draw)
        theirs, their_leaves = run_torch(case, draw, device)
        assert len(ours) == len(theirs), f"{len(ours)} outputs vs torch's {len(theirs)}"
        for i, (o, t) in enumerate(zip(ours, theirs)):
            _compare(f"output {i}", o.array, t, tol)

        rng = np.random.default_rng(seed)
        pairs = [(o, t) for o, t in zip(ours, theirs) if t.requires_grad]
        if case.torch_grad_differs is not None and case.torch_grad_differs(draw):
            pairs = []  # torch's backward disagrees with its forward here (see the predicate)
        assert all(o.requires_grad for o, _ in pairs), "an output requires grad in torch but not here"
        if pairs:
            upstream = [rng.uniform(-1, 1, size=o.shape).astype(o.dtype) for o, _ in pairs]
            for k, ((o, _), g) in enumerate(zip(pairs, upstream)):
                o.backward(g, retain_graph=k < len(pairs) - 1)
            torch.autograd.backward([t for _, t in pairs],
                                    [torch.tensor(g, device=device) for g in upstream])
            for name, leaf in our_leaves.items():
                if leaf.requires_grad:
                    _compare(f"grad of {name}", None if leaf.grad is None else leaf.grad.array,
                             their_leaves[name].grad, tol)
        for k, v in originals.items():
            assert np.array_equal(v, draw.arrays[k], equal_nan=True), f"the op modified its input {k!r}"
    except Exception as e:
        raise AssertionError(f"{e}\n\n{repro(case, draw, dtype, device, seed)}") from e


def repro(case: OpCase, draw: Draw, dtype: np.dtype, device: str, seed: int) -> str:
    """A standalone script that re-runs this exact case in both frameworks."""
    lines = [f"# parity failure: {case.name} ({np.dtype(dtype).name}, torch on {device}). Reproduce with:",
             "import numpy as np, torch, tinygrad_edu as tg",
             "from parity_tests.index_forms import build_index as IX  # IX(lib, spec): the index in that lib's form"]
    for k, v in draw.arrays.items():
        body = np.array2string(v, separator=", ", precision=17, threshold=10**6, floatmode="unique")
        lines.append(f"{k} = np.array({body}, dtype=np.{v.dtype.name})")
    for k, v in draw.params.items():
        lines.append(f"{k} = {v!r}")
    names = list(draw.arrays)
    args = ", ".join(names)
    ours_args = ", ".join(f"tg.tensor({k}, requires_grad={_needs_grad(k, draw.arrays[k], draw)})" for k in names)
    torch_args = ", ".join(f"torch.tensor({k}, device={device!r}, requires_grad="
                           f"{_needs_grad(k, draw.arrays[k], draw)})" for k in names)
    lines += [
        f"def ours({args}):\n    T, F = tg, tg.nn.functional\n    return {case.expr}",
        f"def theirs({args}):\n    T, F = torch, torch.nn.functional\n    return {case.torch_expr or case.expr}",
        f"o = ours({ours_args})",
        f"t = theirs({torch_args})",
        "print(o, t, sep='\\n')",
        f"# upstream gradient: np.random.default_rng({seed}).uniform(-1, 1, size=out.shape) per output",
    ]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- test factories

def case_id(case: OpCase) -> str:
    return case.name


def make_parity_test(cases: list[OpCase]) -> Callable[..., None]:
    """A pytest test over cases x {float32, float64} x {cpu, cuda}, inputs drawn by Hypothesis."""

    @pytest.mark.parametrize("device", DEVICES)
    @pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
    @pytest.mark.parametrize("case", cases, ids=case_id)
    @given(data=st.data())
    def test_parity(case: OpCase, dtype: np.dtype, device: str, data: Any) -> None:
        draw = data.draw(case.inputs(dtype, False), label="inputs")
        seed = data.draw(st.integers(0, 2**32 - 1), label="upstream gradient seed")
        check_parity(case, draw, dtype, device, seed)

    return test_parity


def make_gradcheck_test(cases: list[OpCase]) -> Callable[..., None]:
    """Float64 central differences for every row, independent of torch."""

    @pytest.mark.parametrize("case", [c for c in cases if c.gradcheck], ids=case_id)
    @settings(max_examples=max(5, settings().max_examples // 4))
    @given(data=st.data())
    def test_gradcheck(case: OpCase, data: Any) -> None:
        draw = data.draw(case.inputs(np.dtype(np.float64), True), label="inputs")
        names = list(draw.arrays)

        def fn(*tensors: tg.Tensor) -> tg.Tensor:
            env = {**_ours_env(), **draw.params, **dict(zip(names, tensors))}
            outs = [o for o in _as_list(eval(case.expr, env)) if o.dtype.kind == "f"]
            return outs[0]

        inputs = [tg.Tensor(draw.arrays[k], requires_grad=_needs_grad(k, draw.arrays[k], draw))
                  for k in names]
        report = tg.gradcheck(fn, inputs)
        assert report, f"{case.name}:\n{report}\n\n{repro(case, draw, np.float64, 'cpu', 0)}"

    return test_gradcheck
