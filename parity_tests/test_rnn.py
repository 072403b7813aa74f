"""Recurrent layers, embeddings and gradient clipping against torch.

Hypothesis draws the mode (RNN tanh/relu, GRU, LSTM), sizes, layers, direction, batch_first, bias,
sequence length (from 1), batch (or unbatched input) and whether initial states are given; the
same weights go into both frameworks (state dicts transfer both ways), and every output (output,
h_n, c_n) is backpropagated with its own random upstream gradient; the gradients of the input,
the initial states and every weight are compared.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.nn import rnn

from .harness import DEVICES

MODES = ["RNN", "RNN_relu", "GRU", "LSTM"]


@st.composite
def rnn_case(draw: Any) -> dict:
    return dict(mode=draw(st.sampled_from(MODES)), input_size=draw(st.integers(1, 3)),
                hidden_size=draw(st.integers(1, 4)), num_layers=draw(st.integers(1, 2)),
                bidirectional=draw(st.booleans()), batch_first=draw(st.booleans()), bias=draw(st.booleans()),
                seq=draw(st.integers(1, 4)), batch=draw(st.sampled_from([None, 1, 2, 3])),
                given_state=draw(st.booleans()), seed=draw(st.integers(0, 2**31 - 1)))


def _layer(lib: Any, case: dict) -> Any:
    mode = case["mode"]
    kwargs = dict(num_layers=case["num_layers"], bias=case["bias"], batch_first=case["batch_first"],
                  bidirectional=case["bidirectional"])
    if mode.startswith("RNN"):
        kwargs["nonlinearity"] = "relu" if mode == "RNN_relu" else "tanh"
        return lib.nn.RNN(case["input_size"], case["hidden_size"], **kwargs)
    return getattr(lib.nn, mode)(case["input_size"], case["hidden_size"], **kwargs)


def _arrays(case: dict, dtype: np.dtype) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(case["seed"])
    seq, batch = case["seq"], case["batch"]
    if batch is None:
        xshape: tuple = (seq, case["input_size"])
    else:
        xshape = (batch, seq, case["input_size"]) if case["batch_first"] else (seq, batch, case["input_size"])
    states = case["num_layers"] * (2 if case["bidirectional"] else 1)
    hshape = (states, case["hidden_size"]) if batch is None else (states, batch, case["hidden_size"])
    return {"x": rng.normal(size=xshape).astype(dtype), "h0": rng.normal(size=hshape).astype(dtype),
            "c0": rng.normal(size=hshape).astype(dtype)}


def _run(lib: Any, layer: Any, case: dict, arrays: dict, device: str = "cpu") -> tuple[list, dict]:
    make = (lambda a: torch.tensor(a, device=device, requires_grad=True)) if lib is torch else \
        (lambda a: tg.tensor(a, requires_grad=True))
    leaves = {k: make(v) for k, v in arrays.items()}
    hx = None
    if case["given_state"]:
        hx = (leaves["h0"], leaves["c0"]) if case["mode"] == "LSTM" else leaves["h0"]
    out, state = layer(leaves["x"], hx)
    outs = [out] + (list(state) if case["mode"] == "LSTM" else [state])
    return outs, leaves


def _check(actual: np.ndarray, desired: np.ndarray, tol: dict, msg: str) -> None:
    """assert_allclose; with ``scale_atol`` the absolute bound is times the largest |desired|."""
    tol = dict(tol)
    if tol.pop("scale_atol", False):
        tol["atol"] *= max(1.0, float(np.abs(desired).max(initial=0.0)))
    np.testing.assert_allclose(actual, desired, **tol, err_msg=msg)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@given(case=rnn_case())
def test_recurrent_layer_matches_torch(case: dict, dtype: Any, device: str) -> None:
    tg.manual_seed(case["seed"] % 1000)
    ours = _layer(tg, case).to(dtype)
    theirs = _layer(torch, case).to(torch.float64 if dtype == np.float64 else torch.float32).to(device)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    theirs.load_state_dict({k: torch.tensor(v.numpy(), device=device) for k, v in ours.state_dict().items()})
    arrays = _arrays(case, dtype)
    o_outs, o_leaves = _run(tg, ours, case, arrays)
    t_outs, t_leaves = _run(torch, theirs, case, arrays, device)
    # float32: each step adds a matmul's rounding and the recurrence carries it forward
    tol = dict(rtol=1e-10, atol=1e-12) if dtype == np.float64 else dict(rtol=2e-5, atol=2e-6)
    if dtype == np.float32 and device == "cuda":
        # cuDNN's fused RNN kernels add the gate products in their own order and use their own
        # tanh/sigmoid. A sum's rounding error scales with its largest terms, not with the result, so
        # the absolute bound scales with the array's largest entry: on an H100 with torch 2.11 a
        # weight-gradient element of 0.1448 differed by 4.0e-5 in an array whose largest entry was 3.6
        # (and others by 8.2e-6 at entries of 0.16), beyond the CPU bound above.
        tol = dict(rtol=1e-4, atol=2e-5, scale_atol=True)
    rng = np.random.default_rng(case["seed"] + 1)
    for o, t in zip(o_outs, t_outs):
        assert o.shape == tuple(t.shape), f"{case}: shape {o.shape} vs torch {tuple(t.shape)}"
        _check(o.detach().numpy(), t.detach().cpu().numpy(), tol, str(case))
    upstream = [rng.uniform(-1, 1, size=o.shape).astype(dtype) for o in o_outs]
    for k, (o, g) in enumerate(zip(o_outs, upstream)):
        o.backward(tg.tensor(g), retain_graph=k < len(o_outs) - 1)
    torch.autograd.backward(t_outs, [torch.tensor(g, device=device) for g in upstream])
    used = ["x"] + (["h0"] if case["given_state"] else []) + (["c0"] if case["given_state"] and case["mode"] == "LSTM" else [])
    for name in used:
        _check(o_leaves[name].grad.numpy(), t_leaves[name].grad.cpu().numpy(), tol, f"grad of {name}: {case}")
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        _check(p.grad.numpy(), q.grad.cpu().numpy(), tol, f"grad of {name}: {case}")


@settings(max_examples=max(5, settings().max_examples // 4))
@given(case=rnn_case())
def test_recurrent_layer_gradcheck(case: dict) -> None:
    """Float64 central differences through the unrolled graph (independent of torch)."""
    case = {**case, "seq": min(case["seq"], 3), "num_layers": 1}
    tg.manual_seed(case["seed"] % 1000)
    layer = _layer(tg, case).double()
    if case["mode"] == "RNN_relu":
        return  # relu's kink makes central differences meaningless at random points
    arrays = _arrays(case, np.float64)

    def fn(x: tg.Tensor, h0: tg.Tensor) -> tg.Tensor:
        hx = (h0, h0 * 0.5) if case["mode"] == "LSTM" else h0
        out, _ = layer(x, hx if case["given_state"] else None)
        return out

    report = tg.gradcheck(fn, [tg.tensor(arrays["x"], requires_grad=True), tg.tensor(arrays["h0"], requires_grad=True)])
    assert report, f"{case}\n{report}"


@pytest.mark.parametrize("mode", ["RNNCell", "GRUCell", "LSTMCell"])
@pytest.mark.parametrize("batched", [True, False])
def test_cells_match_torch(mode: str, batched: bool) -> None:
    tg.manual_seed(0)
    ours = getattr(tg.nn, mode)(3, 5).double()
    theirs = getattr(torch.nn, mode)(3, 5).double()
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3) if batched else (3,))
    h = rng.normal(size=(4, 5) if batched else (5,))
    hx_o = (tg.tensor(h), tg.tensor(h * 0.3)) if mode == "LSTMCell" else tg.tensor(h)
    hx_t = (torch.tensor(h), torch.tensor(h * 0.3)) if mode == "LSTMCell" else torch.tensor(h)
    xo, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo, hx_o), theirs(xt, hx_t)
    yo, yt = (yo[0] * 2 + yo[1], yt[0] * 2 + yt[1]) if mode == "LSTMCell" else (yo, yt)
    np.testing.assert_allclose(yo.detach().numpy(), yt.detach().numpy(), rtol=1e-12)
    upstream = rng.normal(size=yt.shape)
    yo.backward(tg.tensor(upstream)), yt.backward(torch.tensor(upstream))
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-12, atol=1e-14)
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-12, atol=1e-14, err_msg=name)


@given(mode=st.sampled_from(["RNN_TANH", "RNN_RELU", "GRU", "LSTM"]), length=st.integers(1, 5),
       batch=st.integers(1, 4), input_size=st.integers(1, 3), hidden=st.integers(1, 5), reverse=st.booleans(),
       bias=st.booleans(), scale=st.sampled_from([1.0, 30.0]), seed=st.integers(0, 2**31 - 1))
def test_fused_layers_equal_their_composites(mode: str, length: int, batch: int, input_size: int, hidden: int,
                                             reverse: bool, bias: bool, scale: float, seed: int) -> None:
    """The fused layer ops (ops/recurrent.py: the whole sequence in one node, backpropagation
    through time written by hand) against autograd through the step-by-step composite built from
    linear, slices, sigmoid, tanh, mul and add: the same function, so float64 values and every
    gradient (input, state(s), all weights) agree to rounding. Each output (the sequence, h_n,
    and c_n for the LSTM) gets its own random upstream gradient; scale=30 pushes the gates into
    saturation, where sigmoid' and tanh' are tiny."""
    rng = np.random.default_rng(seed)
    gates = {"GRU": 3, "LSTM": 4}.get(mode, 1) * hidden
    arrays = {"x": rng.normal(size=(length, batch, input_size)) * scale, "h": rng.normal(size=(batch, hidden)),
              "c": rng.normal(size=(batch, hidden)) * scale, "w_ih": rng.normal(size=(gates, input_size)),
              "w_hh": rng.normal(size=(gates, hidden)), "b_ih": rng.normal(size=gates), "b_hh": rng.normal(size=gates)}
    if mode != "LSTM":
        del arrays["c"]
    if not bias:
        del arrays["b_ih"], arrays["b_hh"]
    upstream = [rng.normal(size=(length, batch, hidden)), rng.normal(size=(batch, hidden)),
                rng.normal(size=(batch, hidden))]
    results = []
    for fused in (True, False):
        t = {k: tg.tensor(v, requires_grad=True) for k, v in arrays.items()}
        weights = (t["w_ih"], t["w_hh"], t.get("b_ih"), t.get("b_hh"))
        outs = [o for o in rnn._run_direction(mode, t["x"], t["h"], t.get("c"), weights, reverse, fused) if o is not None]
        sum((o * tg.tensor(u)).sum() for o, u in zip(outs, upstream)).backward()
        results.append(([o.detach().numpy() for o in outs], {k: v.grad.numpy() for k, v in t.items()}))
    (fused_out, fused_grads), (comp_out, comp_grads) = results
    for a, b in zip(fused_out, comp_out):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    for name in comp_grads:
        np.testing.assert_allclose(fused_grads[name], comp_grads[name], rtol=1e-10, atol=1e-12, err_msg=name)


def test_composite_layers_match_torch() -> None:
    """The composite path (``_fused = False``) is the readable one: it must match torch too."""
    tg.manual_seed(0)
    for mode in ("RNN", "GRU", "LSTM"):
        ours = getattr(tg.nn, mode)(3, 4, num_layers=2, bidirectional=True).double()
        ours._fused = False
        theirs = getattr(torch.nn, mode)(3, 4, num_layers=2, bidirectional=True).double()
        theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
        x = np.random.default_rng(1).normal(size=(5, 2, 3))
        xo, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        yo, yt = ours(xo)[0], theirs(xt)[0]
        np.testing.assert_allclose(yo.detach().numpy(), yt.detach().numpy(), rtol=1e-12, err_msg=mode)
        g = np.random.default_rng(2).normal(size=yt.shape)
        yo.backward(tg.tensor(g)), yt.backward(torch.tensor(g))
        np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=mode)


def test_empty_sequence_is_refused_as_in_torch() -> None:
    for mode in ("RNN", "GRU", "LSTM"):
        with pytest.raises(RuntimeError, match="Expected sequence length to be larger than 0"):
            getattr(torch.nn, mode)(3, 4)(torch.zeros(0, 2, 3))
        with pytest.raises(RuntimeError, match=f"{mode}: expected sequence length to be larger than 0"):
            getattr(tg.nn, mode)(3, 4)(tg.zeros(0, 2, 3))


@given(st.integers(2, 6), st.integers(1, 4), st.one_of(st.none(), st.integers(0, 5)), st.integers(0, 2**31 - 1))
def test_embedding_matches_torch(num: int, dim: int, padding_idx: Any, seed: int) -> None:
    if padding_idx is not None and padding_idx >= num:
        padding_idx = num - 1
    rng = np.random.default_rng(seed)
    weight = rng.normal(size=(num, dim))
    idx = rng.integers(0, num, size=(3, 4))  # repeated rows are common: their gradients add up
    g = rng.normal(size=(3, 4, dim))
    grads = []
    for lib in (tg, torch):
        emb = lib.nn.Embedding(num, dim, padding_idx=padding_idx).double()
        with lib.no_grad():
            emb.weight.copy_(lib.tensor(weight))
        out = emb(lib.tensor(idx))
        out.backward(lib.tensor(g))
        grads.append((out.detach().numpy(), emb.weight.grad.numpy()))
    np.testing.assert_allclose(grads[0][0], grads[1][0])
    np.testing.assert_allclose(grads[0][1], grads[1][1], rtol=1e-12, atol=1e-14)


def test_embedding_padding_row_starts_at_zero():
    emb = tg.nn.Embedding(5, 3, padding_idx=2)
    assert not emb.weight.detach().numpy()[2].any() and emb.weight.detach().numpy()[0].any()


@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf")])
@pytest.mark.parametrize("max_norm", [0.1, 1e3])
def test_clip_grad_norm_matches_torch(norm_type: float, max_norm: float) -> None:
    rng = np.random.default_rng(0)
    values = [rng.normal(size=(3, 4)), rng.normal(size=5)]
    grads = [rng.normal(size=(3, 4)), rng.normal(size=5)]
    results = []
    for lib in (tg, torch):
        params = [lib.tensor(v, requires_grad=True) for v in values]
        for p, g in zip(params, grads):
            p.grad = lib.tensor(g)
        total = lib.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
        results.append((float(total), [p.grad.numpy().copy() for p in params]))
    assert results[0][0] == pytest.approx(results[1][0], rel=1e-12)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_clip_grad_value_and_nonfinite_norm():
    for lib in (tg, torch):
        p = lib.tensor([1.0, 2.0], requires_grad=True)
        p.grad = lib.tensor([-3.0, 0.5])
        lib.nn.utils.clip_grad_value_([p], 1.0)
        assert p.grad.tolist() == [-1.0, 0.5]
        p.grad = lib.tensor([float("inf"), 0.0])
        with pytest.raises(RuntimeError, match="non-finite"):
            lib.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)


def test_dropout_between_layers_in_training_only(monkeypatch):
    """torch applies dropout to the outputs of every layer but the last, in training mode only:
    the masks' statistics (about p zeroed, the rest scaled by 1/(1-p)) and eval mode's identity."""
    import tinygrad_edu.nn.rnn as rnn_module
    seen = []
    real = rnn_module.F.dropout

    def recording(x, p=0.5, training=True, inplace=False):
        out = real(x, p, training, inplace)
        seen.append((x.detach().numpy(), out.detach().numpy(), p))
        return out

    monkeypatch.setattr(rnn_module.F, "dropout", recording)
    tg.manual_seed(0)
    lstm = tg.nn.LSTM(3, 50, num_layers=3, dropout=0.3)
    x = tg.tensor(np.random.default_rng(0).normal(size=(20, 8, 3)))
    lstm(x)
    # after layers 0 and 1, not after the last; one call per layer on its whole (L, N, H) output
    assert len(seen) == 2 and all(b.shape == (20, 8, 50) for b, _, _ in seen)
    before = np.stack([b for b, _, _ in seen])
    after = np.stack([a for _, a, _ in seen])
    assert {p for _, _, p in seen} == {0.3}
    kept = after != 0
    assert abs(1 - kept.mean() - 0.3) < 0.02  # 16,000 elements: the standard error is 0.004
    np.testing.assert_allclose(after[kept], before[kept] / (1 - 0.3), rtol=1e-6)
    seen.clear()
    lstm.eval()
    out_eval, _ = lstm(x)
    assert not seen
    lstm.dropout = 0.0
    lstm.train()
    out_no_dropout, _ = lstm(x)
    np.testing.assert_allclose(out_eval.detach().numpy(), out_no_dropout.detach().numpy())
