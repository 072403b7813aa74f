"""d2l ch. 8-9 language-model training on both frameworks: the book's RNN from scratch and RNNModel
around nn.RNN, nn.GRU and nn.LSTM (one and two layers), from identical weights on the same
Time Machine minibatches (the book's sequential sampler, same Python seed), with d2l's gradient
clipping: 20 single-batch epochs of train_epoch_ch8 (per-step perplexity), then one 5-batch
epoch that carries the hidden state across batches (detach_), then the final parameters. The torch
side runs the book's own helpers (the ``d2l`` package's torch module: RNNModelScratch, RNNModel,
train_epoch_ch8, grad_clipping, predict_ch8, sgd), not the companion's source run on torch."""
from __future__ import annotations

import random

import numpy as np
import pytest
import torch

import tinygrad_edu as tg
from tinygrad_edu import d2l
from tinygrad_edu.models.language import concise_rnn, scratch_rnn

from .harness import one_ulp_apart

# Bounds, derived from the run itself (the reasoning of d2l_trajectories.py): the book's helpers
# fix float32 (their one-hot inputs are cast to it), so there is no float64 run; instead a second
# torch run starts from the same weights each moved by one float32 ulp, up or down at random, the
# size of difference one product summed in another order makes. Its distance from the plain torch
# run, d, is how far float32 rounding carries this trajectory (tanh and sigmoid units, clipping at
# lr 1: smooth, no routing by comparisons); ours may differ from torch by FACTOR * d (the triangle
# inequality gives 2, one rounding sequence landing twice as far as another a further 2), and
# never less than FLOOR_RTOL (16 float32 ulps: a perplexity is a chain of ~20 roundings).
FACTOR = 4
FLOOR_RTOL = 16 * 2.0 ** -24


def _nudged(arrays: list[np.ndarray], seed: int = 1) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [one_ulp_apart(a, rng) for a in arrays]


CASES = [("scratch", 1), ("RNN", 1), ("GRU", 1), ("LSTM", 1), ("RNN", 2), ("GRU", 2), ("LSTM", 2)]


@pytest.mark.parametrize("kind,layers", CASES, ids=[f"{k}-{n}" for k, n in CASES])
def test_language_model_training_matches_torch(kind, layers):
    from d2l import torch as theirs_d2l  # the book's helpers
    random.seed(0)
    train_iter, vocab = d2l.load_data_time_machine(8, 35)  # 35 batches of the first 10,000 characters
    batches = [(X.numpy(), Y.numpy()) for X, Y in train_iter][:25]
    hidden = 64
    tg.manual_seed(0)
    if kind == "scratch":
        ours = scratch_rnn(tg, d2l, len(vocab), hidden)
        twins = [scratch_rnn(torch, theirs_d2l, len(vocab), hidden) for _ in range(2)]
        start = [p.detach().numpy() for p in ours.params]
        for twin, weights in zip(twins, (start, _nudged(start))):
            with torch.no_grad():
                for q, w in zip(twin.params, weights):
                    q.copy_(torch.tensor(w))
        params = lambda net: [p.detach().numpy().copy() for p in net.params]  # noqa: E731
        updaters = [lambda batch_size: d2l.sgd(ours.params, 1.0, batch_size)] + [
            (lambda net: lambda batch_size: theirs_d2l.sgd(net.params, 1.0, batch_size))(twin) for twin in twins]
    else:
        ours = concise_rnn(tg, d2l, kind, layers, len(vocab), hidden)
        twins = [concise_rnn(torch, theirs_d2l, kind, layers, len(vocab), hidden) for _ in range(2)]
        state = ours.state_dict()
        assert list(state) == list(twins[0].state_dict())
        start = [v.numpy() for v in state.values()]
        for twin, weights in zip(twins, (start, _nudged(start))):
            twin.load_state_dict({k: torch.tensor(w) for k, w in zip(state, weights)})
        params = lambda net: [p.detach().numpy().copy() for p in net.parameters()]  # noqa: E731
        updaters = [tg.optim.SGD(ours.parameters(), 1.0)] + [torch.optim.SGD(t.parameters(), 1.0) for t in twins]
    runs = []
    for lib, companion, net, updater in zip((tg, torch, torch), (d2l, theirs_d2l, theirs_d2l), [ours] + twins, updaters):
        loss = lib.nn.CrossEntropyLoss()
        tensors = [(lib.tensor(X), lib.tensor(Y)) for X, Y in batches]
        ppl = [companion.train_epoch_ch8(net, [b], loss, updater, "cpu", False)[0] for b in tensors[:20]]
        ppl.append(companion.train_epoch_ch8(net, tensors[20:], loss, updater, "cpu", False)[0])
        runs.append((np.asarray(ppl), params(net), companion.predict_ch8("time traveller", 10, net, vocab, "cpu")))
    (ppl_o, par_o, text_o), (ppl_t, par_t, text_t), (ppl_n, par_n, _) = runs
    noise = float(np.max(np.abs(ppl_t - ppl_n) / ppl_t))
    np.testing.assert_allclose(ppl_o, ppl_t, rtol=max(FLOOR_RTOL, FACTOR * noise), atol=0,
                               err_msg=f"per-step perplexity (torch's own spread {noise:.2e})")
    for a, b, n in zip(par_o, par_t, par_n):
        np.testing.assert_allclose(a, b, rtol=FLOOR_RTOL, atol=FACTOR * float(np.max(np.abs(b - n), initial=0)))
    assert text_o == text_t, f"generated text differs: {text_o!r} vs {text_t!r}"
    assert ppl_o[19] < ppl_o[0], "the perplexity should fall over 20 steps"
