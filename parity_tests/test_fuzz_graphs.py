"""Random small graphs built from the op catalogue's ops, on random broadcastable shapes: forward
and every input gradient against torch (through the same harness as the op rows), and float64
gradcheck. Intermediates are reused, so gradients meet along several paths."""
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg

from .harness import DEVICES, DTYPES, OpCase, Tolerance, TOLERANCES, check_parity
from .strategies import Draw, arrays

# (template, needs ndim >= k, smooth): smooth ops have derivatives everywhere (usable in gradcheck)
UNARY = [
    ("{a}.tanh()", 0, True), ("{a}.sigmoid()", 0, True), ("({a} * {a} + 1).log()", 0, True),
    ("({a} * {a} + 1).sqrt()", 0, True), ("{a}.tanh().exp()", 0, True), ("-{a}", 0, True),
    ("{a} * 0.5", 0, True), ("{a}.sum(-1, keepdim=True)", 1, True), ("{a}.mean()", 0, True),
    ("F.softmax({a}, -1)", 1, True), ("F.log_softmax({a}, -1)", 1, True), ("{a}.transpose(0, -1)", 2, True),
    ("{a}.relu()", 0, False), ("{a}.abs()", 0, False), ("{a}.max()", 0, False),
]
BINARY = [("{a} + {b}", True), ("{a} * {b}", True), ("{a} - {b}", True), ("{a} / (1 + {b} * {b})", True),
          ("T.maximum({a}, {b})", False)]


@st.composite
def programs(draw: Any, dtype: np.dtype, smooth: bool) -> tuple[str, Draw]:
    n = draw(st.integers(1, 3))
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=n, min_dims=0, max_dims=3, max_side=3)).input_shapes
    arrs = {f"x{i}": draw(arrays(dtype, s, "unit", smooth, 0.005 * (i + 1))) for i, s in enumerate(shapes)}
    values = {name: arr.shape for name, arr in arrs.items()}
    steps = []
    for k in range(draw(st.integers(1, 6))):
        names = sorted(values)
        if len(names) > 1 and draw(st.booleans()):
            tmpl, ok = draw(st.sampled_from([b for b in BINARY if b[1] or not smooth]))
            a, b = draw(st.sampled_from(names)), draw(st.sampled_from(names))
            try:
                shape = np.broadcast_shapes(values[a], values[b])
            except ValueError:
                continue
            expr = tmpl.format(a=a, b=b)
        else:
            a = draw(st.sampled_from(names))
            options = [u for u in UNARY if len(values[a]) >= u[1] and (u[2] or not smooth)]
            tmpl, _, _ = draw(st.sampled_from(options))
            expr = tmpl.format(a=a)
            shape = _shape_after(tmpl, values[a])
        name = f"v{k}"
        steps.append(f"({name} := {expr})")
        values[name] = shape
    if not steps:
        steps.append("(v0 := x0 * 1.0)")
    last = steps[-1].split(" := ")[0].lstrip("(")
    body = ", ".join(steps)
    return f"({body}, {last})[-1]", Draw(arrs)


def _shape_after(tmpl: str, shape: tuple[int, ...]) -> tuple[int, ...]:
    if ".sum(-1, keepdim=True)" in tmpl:
        return shape[:-1] + (1,)
    if ".mean()" in tmpl or ".max()" in tmpl:
        return ()
    if ".transpose(0, -1)" in tmpl:
        s = list(shape)
        s[0], s[-1] = s[-1], s[0]
        return tuple(s)
    return shape


def _tol(draw: Draw, dtype: np.dtype) -> Tolerance:
    """Up to 6 chained transcendental ops: each libm differs by ~1 ulp and errors compound."""
    base = TOLERANCES[np.dtype(dtype)]
    return Tolerance(base.rtol * 8, base.atol)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
@given(data=st.data())
def test_random_graphs_match_torch(dtype, device, data):
    expr, draw = data.draw(programs(dtype, smooth=False), label="program")
    seed = data.draw(st.integers(0, 2**32 - 1), label="upstream gradient seed")
    check_parity(OpCase("random_graph", "fuzz", expr, inputs=None, tol=_tol), draw, dtype, device, seed)


@settings(max_examples=max(5, settings().max_examples // 2))
@given(data=st.data())
def test_random_graphs_pass_gradcheck(data):
    expr, draw = data.draw(programs(np.dtype(np.float64), smooth=True), label="program")
    names = list(draw.arrays)

    def fn(*tensors):
        return eval(expr, {"T": tg, "F": tg.nn.functional, **dict(zip(names, tensors))})

    report = tg.gradcheck(fn, [tg.tensor(draw.arrays[k], requires_grad=True) for k in names])
    assert report, f"{expr}\n{report}\n{draw.arrays}"
