"""Chapters 8-9: The Time Machine, tokens and vocabularies, the sequence samplers,
``RNNModelScratch``, ``RNNModel``, ``grad_clipping``, ``predict_ch8`` and ``train_ch8``.

Part of the d2l companion (``tinygrad_edu/d2l/__init__.py`` says how it is built and tested).
"""
from __future__ import annotations

from typing import Any, Optional


import tinygrad_edu as torch  # backend
from tinygrad_edu import nn  # backend

from .linear_models import sgd
from .plotting import Animator
from .utilities import Accumulator, Timer

# ----------------------------------------------------------------------------- ch. 8-9: sequences and text

import collections
import math
import random
import re

from tinygrad_edu.data import text as _text  # NumPy-free: the bundled file, checksum verified


def read_time_machine() -> list[str]:
    """The Time Machine as lines of lower-case letters and spaces (everything else becomes a
    space). The text is the copy bundled with tinygrad_edu, checked against d2l's SHA-1."""
    return [re.sub("[^A-Za-z]+", " ", line).strip().lower()
            for line in _text.read_time_machine_text().splitlines(keepends=True)]


def tokenize(lines: list[str], token: str = "word") -> list[list[str]]:
    """Split each line into words or characters."""
    if token == "word":
        return [line.split() for line in lines]
    if token == "char":
        return [list(line) for line in lines]
    raise ValueError(f"tokenize: unknown token type {token!r} (expected 'word' or 'char')")


def count_corpus(tokens: list[Any]) -> collections.Counter:
    """Token frequencies of a flat list of tokens or of a list of token lists."""
    if len(tokens) == 0 or isinstance(tokens[0], list):
        tokens = [tok for line in tokens for tok in line]
    return collections.Counter(tokens)


class Vocab:
    """Token <-> index maps: index 0 is '<unk>', then the reserved tokens, then the corpus's
    tokens from most to least frequent (those at least ``min_freq`` times)."""

    def __init__(self, tokens: Optional[list[Any]] = None, min_freq: int = 0,
                 reserved_tokens: Optional[list[str]] = None) -> None:
        if tokens is not None and len(tokens) == 0:
            raise ValueError("Vocab: the corpus is empty (no tokens to count); pass tokens=None for a "
                             "vocabulary of the reserved tokens only")
        tokens = tokens if tokens is not None else []
        counts = count_corpus(tokens)
        self._token_freqs = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
        self.idx_to_token = ["<unk>"] + list(reserved_tokens or [])
        self.token_to_idx = {tok: i for i, tok in enumerate(self.idx_to_token)}
        for tok, freq in self._token_freqs:
            if freq < min_freq:
                break
            if tok not in self.token_to_idx:
                self.token_to_idx[tok] = len(self.idx_to_token)
                self.idx_to_token.append(tok)

    def __len__(self) -> int:
        return len(self.idx_to_token)

    def __getitem__(self, tokens: Any) -> Any:
        if not isinstance(tokens, (list, tuple)):
            return self.token_to_idx.get(tokens, self.unk)
        return [self[tok] for tok in tokens]

    def to_tokens(self, indices: Any) -> Any:
        """The token of one index, or the tokens of a sequence of them (a list, tuple, array or
        tensor row)."""
        if isinstance(indices, (list, tuple)) or getattr(indices, "ndim", 0) > 0:
            return [self.idx_to_token[int(i)] for i in indices]
        return self.idx_to_token[int(indices)]

    @property
    def unk(self) -> int:
        return 0

    @property
    def token_freqs(self) -> list[tuple[Any, int]]:
        return self._token_freqs


def load_corpus_time_machine(max_tokens: int = -1) -> tuple[list[int], Vocab]:
    """The character indices of The Time Machine (the first ``max_tokens``) and its vocabulary."""
    tokens = tokenize(read_time_machine(), "char")
    vocab = Vocab(tokens)
    corpus = [vocab[tok] for line in tokens for tok in line]
    if max_tokens > 0:
        corpus = corpus[:max_tokens]
    return corpus, vocab


def seq_data_iter_random(corpus: list[int], batch_size: int, num_steps: int) -> Any:
    """Minibatches of subsequences starting at random offsets (Python's ``random``, as the book,
    so a seed gives the same batches on any backend); Y is X shifted by one token."""
    corpus = corpus[random.randint(0, num_steps - 1):]
    num_subseqs = (len(corpus) - 1) // num_steps
    starts = list(range(0, num_subseqs * num_steps, num_steps))
    random.shuffle(starts)
    num_batches = num_subseqs // batch_size
    for i in range(0, batch_size * num_batches, batch_size):
        chosen = starts[i:i + batch_size]
        X = [corpus[j:j + num_steps] for j in chosen]
        Y = [corpus[j + 1:j + 1 + num_steps] for j in chosen]
        yield torch.tensor(X), torch.tensor(Y)


def seq_data_iter_sequential(corpus: list[int], batch_size: int, num_steps: int) -> Any:
    """Minibatches whose rows continue where the previous batch's rows stopped (so the hidden
    state can be carried over); a random initial offset."""
    offset = random.randint(0, num_steps)
    num_tokens = ((len(corpus) - offset - 1) // batch_size) * batch_size
    Xs = torch.tensor(corpus[offset:offset + num_tokens]).reshape(batch_size, -1)
    Ys = torch.tensor(corpus[offset + 1:offset + 1 + num_tokens]).reshape(batch_size, -1)
    num_batches = Xs.shape[1] // num_steps
    for i in range(0, num_steps * num_batches, num_steps):
        yield Xs[:, i:i + num_steps], Ys[:, i:i + num_steps]


class SeqDataLoader:
    """Iterates over Time Machine minibatches with one of the two samplers."""

    def __init__(self, batch_size: int, num_steps: int, use_random_iter: bool, max_tokens: int) -> None:
        self.data_iter_fn = seq_data_iter_random if use_random_iter else seq_data_iter_sequential
        self.corpus, self.vocab = load_corpus_time_machine(max_tokens)
        self.batch_size, self.num_steps = batch_size, num_steps

    def __iter__(self) -> Any:
        return self.data_iter_fn(self.corpus, self.batch_size, self.num_steps)


def load_data_time_machine(batch_size: int, num_steps: int, use_random_iter: bool = False,
                           max_tokens: int = 10000) -> tuple[SeqDataLoader, Vocab]:
    """The Time Machine's minibatch iterator and vocabulary."""
    data_iter = SeqDataLoader(batch_size, num_steps, use_random_iter, max_tokens)
    return data_iter, data_iter.vocab


class RNNModelScratch:
    """An RNN written from scratch: ``get_params`` makes the weights, ``init_state`` the initial
    state, ``forward_fn`` runs the time steps on one-hot inputs."""

    def __init__(self, vocab_size: int, num_hiddens: int, device: Any, get_params: Any, init_state: Any,
                 forward_fn: Any) -> None:
        self.vocab_size, self.num_hiddens = vocab_size, num_hiddens
        self.params = get_params(vocab_size, num_hiddens, device)
        self.init_state, self.forward_fn = init_state, forward_fn

    def __call__(self, X: Any, state: Any) -> Any:
        X = nn.functional.one_hot(X.T, self.vocab_size).type(torch.float32)
        return self.forward_fn(X, state, self.params)

    def begin_state(self, batch_size: int, device: Any) -> Any:
        return self.init_state(batch_size, self.num_hiddens, device)


def predict_ch8(prefix: str, num_preds: int, net: Any, vocab: Vocab, device: Any) -> str:
    """Warm the state up on ``prefix``, then generate ``num_preds`` characters greedily."""
    state = net.begin_state(batch_size=1, device=device)
    outputs = [vocab[prefix[0]]]

    def last() -> Any:
        return torch.tensor([outputs[-1]], device=device).reshape((1, 1))

    for ch in prefix[1:]:
        _, state = net(last(), state)
        outputs.append(vocab[ch])
    for _ in range(num_preds):
        y, state = net(last(), state)
        outputs.append(int(y.argmax(dim=1).reshape(1)))
    return "".join(vocab.idx_to_token[i] for i in outputs)


def grad_clipping(net: Any, theta: float) -> None:
    """Rescale the gradients so that their joint L2 norm is at most ``theta``."""
    if isinstance(net, nn.Module):
        params = [p for p in net.parameters() if p.requires_grad]
    else:
        params = net.params
    grads: list[Any] = [p.grad for p in params]
    squares: Any = sum(torch.sum(g ** 2) for g in grads)
    norm = torch.sqrt(squares)
    if norm > theta:
        for g in grads:
            g[:] *= theta / norm


def train_epoch_ch8(net: Any, train_iter: Any, loss: Any, updater: Any, device: Any,
                    use_random_iter: bool) -> tuple[float, float]:
    """One epoch of language-model training; returns (perplexity, tokens per second). The state
    is reset for random minibatches and carried over (detached) for sequential ones."""
    state, timer = None, Timer()
    metric = Accumulator(2)
    for X, Y in train_iter:
        if state is None or use_random_iter:
            state = net.begin_state(batch_size=X.shape[0], device=device)
        elif isinstance(net, nn.Module) and not isinstance(state, tuple):
            state.detach_()
        else:
            for s in state:
                s.detach_()
        y = Y.T.reshape(-1)
        X, y = X.to(device), y.to(device)
        y_hat, state = net(X, state)
        l = loss(y_hat, y.long()).mean()
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.backward()
            grad_clipping(net, 1)
            updater.step()
        else:
            l.backward()
            grad_clipping(net, 1)
            updater(batch_size=1)
        metric.add(l * y.numel(), y.numel())
    return math.exp(metric[0] / metric[1]), metric[1] / max(timer.stop(), 1e-9)


def train_ch8(net: Any, train_iter: Any, vocab: Vocab, lr: float, num_epochs: int, device: Any,
              use_random_iter: bool = False) -> tuple[float, float, str]:
    """Train a character-level language model; prints perplexity, tokens/s and a generated text
    as the book does, and returns (perplexity, tokens/s, text after 'time traveller')."""
    loss = nn.CrossEntropyLoss()
    animator = Animator(xlabel="epoch", ylabel="perplexity", legend=["train"], xlim=[10, num_epochs])
    if isinstance(net, nn.Module):
        updater: Any = torch.optim.SGD(net.parameters(), lr)
    else:
        updater = lambda batch_size: sgd(net.params, lr, batch_size)  # noqa: E731
    predict = lambda prefix: predict_ch8(prefix, 50, net, vocab, device)  # noqa: E731
    ppl, speed = float("nan"), 0.0
    for epoch in range(num_epochs):
        ppl, speed = train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter)
        if (epoch + 1) % 10 == 0:
            print(predict("time traveller"))
            animator.add(epoch + 1, [ppl])
    print(f"perplexity {ppl:.1f}, {speed:.1f} tokens/sec on {str(device)}")
    text = predict("time traveller")
    print(text)
    print(predict("traveller"))
    return ppl, speed, text


class RNNModel(nn.Module):
    """A language model around a recurrent layer: one-hot inputs, the layer, a linear output."""

    def __init__(self, rnn_layer: Any, vocab_size: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.num_hiddens = self.rnn.hidden_size
        self.num_directions = 2 if self.rnn.bidirectional else 1
        self.linear = nn.Linear(self.num_hiddens * self.num_directions, self.vocab_size)

    def forward(self, inputs: Any, state: Any) -> Any:
        X = nn.functional.one_hot(inputs.T.long(), self.vocab_size).to(torch.float32)
        Y, state = self.rnn(X, state)
        return self.linear(Y.reshape((-1, Y.shape[-1]))), state

    def begin_state(self, device: Any, batch_size: int = 1) -> Any:
        shape = (self.num_directions * self.rnn.num_layers, batch_size, self.num_hiddens)
        if not isinstance(self.rnn, nn.LSTM):
            return torch.zeros(shape, device=device)
        return torch.zeros(shape, device=device), torch.zeros(shape, device=device)


