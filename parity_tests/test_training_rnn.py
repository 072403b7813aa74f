"""d2l ch. 8-9 language-model training on both frameworks: the book's RNN from scratch and RNNModel
around nn.RNN, nn.GRU and nn.LSTM (one and two layers), from identical weights on the same
Time Machine minibatches (the book's sequential sampler, same Python seed), with d2l's gradient
clipping: 20 single-batch epochs of train_epoch_ch8 (per-step perplexity), then one 5-batch
epoch that carries the hidden state across batches (detach_), then the final parameters."""
from __future__ import annotations

import random

import numpy as np
import pytest
import torch

import tinygrad_edu as tg
from reference import d2l_torch
from tinygrad_edu import d2l

# float32 through 35 recurrent steps and 25 updates at lr 1 with clipping; measured differences
# are ~1e-6 relative; the bound leaves a factor of ~20.
PPL_RTOL, PARAM_ATOL = 2e-5, 5e-5


def _scratch(lib, companion, vocab_size, hidden):
    """d2l 8.5's from-scratch RNN, written as the book writes it, over ``lib``."""
    def get_params(vocab_size, num_hiddens, device):
        num_inputs = num_outputs = vocab_size

        def normal(shape):
            return lib.randn(size=shape, device=device) * 0.01
        W_xh, W_hh, b_h = normal((num_inputs, num_hiddens)), normal((num_hiddens, num_hiddens)), \
            lib.zeros(num_hiddens, device=device)
        W_hq, b_q = normal((num_hiddens, num_outputs)), lib.zeros(num_outputs, device=device)
        params = [W_xh, W_hh, b_h, W_hq, b_q]
        for param in params:
            param.requires_grad_(True)
        return params

    def init_rnn_state(batch_size, num_hiddens, device):
        return (lib.zeros((batch_size, num_hiddens), device=device),)

    def rnn(inputs, state, params):
        W_xh, W_hh, b_h, W_hq, b_q = params
        H, = state
        outputs = []
        for X in inputs:
            H = lib.tanh(lib.mm(X, W_xh) + lib.mm(H, W_hh) + b_h)
            outputs.append(lib.mm(H, W_hq) + b_q)
        return lib.cat(outputs, dim=0), (H,)

    return companion.RNNModelScratch(vocab_size, hidden, "cpu", get_params, init_rnn_state, rnn)


def _concise(lib, companion, kind, layers, vocab_size, hidden):
    layer = getattr(lib.nn, kind)(vocab_size, hidden, num_layers=layers)
    return companion.RNNModel(layer, vocab_size)


CASES = [("scratch", 1), ("RNN", 1), ("GRU", 1), ("LSTM", 1), ("RNN", 2), ("GRU", 2), ("LSTM", 2)]


@pytest.mark.parametrize("kind,layers", CASES, ids=[f"{k}-{n}" for k, n in CASES])
def test_language_model_training_matches_torch(kind, layers):
    theirs_d2l = d2l_torch.load()
    random.seed(0)
    train_iter, vocab = d2l.load_data_time_machine(8, 35)  # 35 batches of the first 10,000 characters
    batches = [(X.numpy(), Y.numpy()) for X, Y in train_iter][:25]
    hidden = 64
    tg.manual_seed(0)
    if kind == "scratch":
        ours, theirs = _scratch(tg, d2l, len(vocab), hidden), _scratch(torch, theirs_d2l, len(vocab), hidden)
        with torch.no_grad():
            for p, q in zip(ours.params, theirs.params):
                q.copy_(torch.tensor(p.detach().numpy()))
        params = lambda net: [p.detach().numpy() for p in net.params]  # noqa: E731
        updaters = [lambda batch_size: d2l.sgd(ours.params, 1.0, batch_size),
                    lambda batch_size: theirs_d2l.sgd(theirs.params, 1.0, batch_size)]
    else:
        ours = _concise(tg, d2l, kind, layers, len(vocab), hidden)
        theirs = _concise(torch, theirs_d2l, kind, layers, len(vocab), hidden)
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
