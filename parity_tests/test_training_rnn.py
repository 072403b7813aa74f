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
from tinygrad_edu.models.language import concise_rnn, copy_scratch_weights, scratch_rnn

# float32 through 35 recurrent steps and 25 updates at lr 1 with clipping; measured differences
# are ~1e-6 relative; the bound leaves a factor of ~20.
PPL_RTOL, PARAM_ATOL = 2e-5, 5e-5


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
        ours, theirs = scratch_rnn(tg, d2l, len(vocab), hidden), scratch_rnn(torch, theirs_d2l, len(vocab), hidden)
        copy_scratch_weights(ours, theirs, torch)
        params = lambda net: [p.detach().numpy() for p in net.params]  # noqa: E731
        updaters = [lambda batch_size: d2l.sgd(ours.params, 1.0, batch_size),
                    lambda batch_size: theirs_d2l.sgd(theirs.params, 1.0, batch_size)]
    else:
        ours = concise_rnn(tg, d2l, kind, layers, len(vocab), hidden)
        theirs = concise_rnn(torch, theirs_d2l, kind, layers, len(vocab), hidden)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
        params = lambda net: [p.detach().numpy() for p in net.parameters()]  # noqa: E731
        updaters = [tg.optim.SGD(ours.parameters(), 1.0), torch.optim.SGD(theirs.parameters(), 1.0)]
    runs = []
    for lib, companion, net, updater in ((tg, d2l, ours, updaters[0]), (torch, theirs_d2l, theirs, updaters[1])):
        loss = lib.nn.CrossEntropyLoss()
        tensors = [(lib.tensor(X), lib.tensor(Y)) for X, Y in batches]
        ppl = [companion.train_epoch_ch8(net, [b], loss, updater, "cpu", False)[0] for b in tensors[:20]]
        ppl.append(companion.train_epoch_ch8(net, tensors[20:], loss, updater, "cpu", False)[0])
        runs.append((ppl, params(net), companion.predict_ch8("time traveller", 10, net, vocab, "cpu")))
    np.testing.assert_allclose(runs[0][0], runs[1][0], rtol=PPL_RTOL, err_msg="per-step perplexity")
    for a, b in zip(runs[0][1], runs[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=PARAM_ATOL)
    assert runs[0][2] == runs[1][2], f"generated text differs: {runs[0][2]!r} vs {runs[1][2]!r}"
    assert runs[0][0][19] < runs[0][0][0], "the perplexity should fall over 20 steps"
