"""The 1.0 edition's text data and recurrent models (chapter 9 and 10 of d2l 1.0):
``TimeMachine``, ``RNNScratch``, ``RNNLMScratch``, ``RNN``, ``RNNLM``, ``GRU`` and the
``check_len``/``check_shape`` asserts.

A language model here is a classifier over the vocabulary at every time step: the batch is
``(X, Y)`` with ``Y`` the text shifted by one character, the loss is the cross-entropy of all
steps, and the board plots its exponential, the perplexity.

Part of the d2l companion (``tinygrad_edu/d2l/__init__.py`` says how it is built and tested).
"""
from __future__ import annotations

import re
from typing import Any, Optional

import tinygrad_edu as torch  # backend
from tinygrad_edu import nn  # backend
from tinygrad_edu.nn import functional as F  # backend

from .oo import Classifier, DataModule, Module
from .sequences import Vocab
from .vision_data import DATA_URL, download


class _SortedVocab(Vocab):
    """The 1.0 edition's vocabulary: the same maps as ``Vocab``, but the tokens in sorted order
    ('<unk>' and the reserved tokens among them), as that edition numbers them."""

    def __init__(self, tokens: Any = (), min_freq: int = 0, reserved_tokens: Any = ()) -> None:
        tokens = list(tokens)
        super().__init__(tokens if tokens else None, min_freq, list(reserved_tokens))
        self.idx_to_token = sorted(self.idx_to_token)
        self.token_to_idx = {tok: i for i, tok in enumerate(self.idx_to_token)}

    @property
    def unk(self) -> int:
        return self.token_to_idx["<unk>"]

    def to_tokens(self, indices: Any) -> Any:
        """Tokens of a sequence of indices (a list, or a tensor row as 10.7 passes), or of one."""
        if hasattr(indices, "__len__") and len(indices) > 1:
            return [self.idx_to_token[int(index)] for index in indices]
        return self.idx_to_token[int(indices[0]) if hasattr(indices, "__len__") else int(indices)]


class TimeMachine(DataModule):
    """The Time Machine as characters: windows of ``num_steps`` indices (``X``) and the same
    windows one character later (``Y``), ``num_train`` of them for training and the next
    ``num_val`` for validation. The text is the copy tinygrad_edu ships (or ``root``'s file)."""

    def _download(self) -> str:
        fname = download(DATA_URL + "timemachine.txt", self.root, "090b5e7e70c295757f55df93cb0a180b9691891a")
        with open(fname) as f:
            return f.read()

    def _preprocess(self, text: str) -> str:
        return re.sub("[^A-Za-z]+", " ", text).lower()

    def _tokenize(self, text: str) -> list[str]:
        return list(text)

    def build(self, raw_text: str, vocab: Optional[Vocab] = None) -> tuple[list[int], Vocab]:
        tokens = self._tokenize(self._preprocess(raw_text))
        if vocab is None:
            vocab = _SortedVocab(tokens)
        corpus = [vocab[token] for token in tokens]
        return corpus, vocab

    def __init__(self, batch_size: int, num_steps: int, num_train: int = 10000, num_val: int = 5000) -> None:
        super().__init__()
        self.save_hyperparameters()
        corpus, self.vocab = self.build(self._download())
        array = torch.tensor([corpus[i:i + num_steps + 1] for i in range(len(corpus) - num_steps)])
        self.X, self.Y = array[:, :-1], array[:, 1:]

    def get_dataloader(self, train: bool) -> Any:
        idx = slice(0, self.num_train) if train else slice(self.num_train, self.num_train + self.num_val)
        return self.get_tensorloader([self.X, self.Y], train, idx)


def check_len(a: Any, n: int) -> None:
    """Assert that the list ``a`` has ``n`` items."""
    assert len(a) == n, f"list's length {len(a)} != expected length {n}"


def check_shape(a: Any, shape: Any) -> None:
    """Assert that the tensor ``a`` has the shape ``shape``."""
    assert a.shape == shape, f"tensor's shape {a.shape} != expected shape {shape}"


class RNNScratch(Module):
    """An RNN layer from its formula: H_t = tanh(X_t W_xh + H_{t-1} W_hh + b_h), over inputs of
    shape (num_steps, batch_size, num_inputs); returns the list of H_t and the last one."""

    def __init__(self, num_inputs: int, num_hiddens: int, sigma: float = 0.01) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.W_xh = nn.Parameter(torch.randn(num_inputs, num_hiddens) * sigma)
        self.W_hh = nn.Parameter(torch.randn(num_hiddens, num_hiddens) * sigma)
        self.b_h = nn.Parameter(torch.zeros(num_hiddens))

    def forward(self, inputs: Any, state: Any = None) -> tuple[list[Any], Any]:
        if state is None:
            state = torch.zeros((inputs.shape[1], self.num_hiddens), device=inputs.device)
        else:
            state, = state
        outputs = []
        for X in inputs:
            state = torch.tanh(torch.matmul(X, self.W_xh) + torch.matmul(state, self.W_hh) + self.b_h)
            outputs.append(state)
        return outputs, state


class RNNLMScratch(Classifier):
    """A character-level language model around ``rnn``: one-hot inputs, the RNN, and an output
    layer H_t W_hq + b_q per step; trained on perplexity (``ppl``)."""

    def __init__(self, rnn: Any, vocab_size: int, lr: float = 0.01) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.init_params()

    def init_params(self) -> None:
        self.W_hq = nn.Parameter(torch.randn(self.rnn.num_hiddens, self.vocab_size) * self.rnn.sigma)
        self.b_q = nn.Parameter(torch.zeros(self.vocab_size))

    def training_step(self, batch: Any) -> Any:
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("ppl", torch.exp(l), train=True)
        return l

    def validation_step(self, batch: Any) -> None:
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("ppl", torch.exp(l), train=False)

    def one_hot(self, X: Any) -> Any:
        """(batch_size, num_steps) indices -> (num_steps, batch_size, vocab_size) one-hot rows."""
        return F.one_hot(X.T, self.vocab_size).type(torch.float32)

    def output_layer(self, rnn_outputs: Any) -> Any:
        outputs = [torch.matmul(H, self.W_hq) + self.b_q for H in rnn_outputs]
        return torch.stack(outputs, 1)

    def forward(self, X: Any, state: Any = None) -> Any:
        embs = self.one_hot(X)
        rnn_outputs, _ = self.rnn(embs, state)
        return self.output_layer(rnn_outputs)

    def predict(self, prefix: str, num_preds: int, vocab: Any, device: Any = None) -> str:
        """Warm the state up on ``prefix``, then append the most likely next character
        ``num_preds`` times."""
        state, outputs = None, [vocab[prefix[0]]]
        for i in range(len(prefix) + num_preds - 1):
            X = torch.tensor([[outputs[-1]]], device=device)
            embs = self.one_hot(X)
            rnn_outputs, state = self.rnn(embs, state)
            if i < len(prefix) - 1:
                outputs.append(vocab[prefix[i + 1]])
            else:
                Y = self.output_layer(rnn_outputs)
                outputs.append(int(Y.argmax(axis=2).reshape(1)))
        return "".join([vocab.idx_to_token[i] for i in outputs])


class RNN(Module):
    """``nn.RNN(num_inputs, num_hiddens)`` as a 1.0 module."""

    def __init__(self, num_inputs: int, num_hiddens: int) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.rnn: Any = nn.RNN(num_inputs, num_hiddens)

    def forward(self, inputs: Any, H: Any = None) -> Any:
        return self.rnn(inputs, H)


class RNNLM(RNNLMScratch):
    """``RNNLMScratch`` with a lazy linear output layer over the RNN's outputs."""

    def init_params(self) -> None:
        self.linear = nn.LazyLinear(self.vocab_size)

    def output_layer(self, hiddens: Any) -> Any:
        return self.linear(hiddens).swapaxes(0, 1)


class GRU(RNN):
    """``nn.GRU(num_inputs, num_hiddens, num_layers, dropout=dropout)`` as a 1.0 module."""

    def __init__(self, num_inputs: int, num_hiddens: int, num_layers: int, dropout: float = 0) -> None:
        Module.__init__(self)
        self.save_hyperparameters()
        self.rnn = nn.GRU(num_inputs, num_hiddens, num_layers, dropout=dropout)
