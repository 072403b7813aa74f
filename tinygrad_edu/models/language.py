"""d2l ch. 8-9 language models, written once over a framework ``lib`` and its d2l companion
(``tinygrad_edu`` with ``tinygrad_edu.d2l``, or ``torch`` with ``reference.d2l_torch.load()``).

``scratch_rnn`` is the book's RNN from scratch (8.5) as the book writes it: plain tensors for the
weights, ``mm`` and ``tanh`` per time step. ``concise_rnn`` is ``RNNModel`` around ``nn.RNN``,
``nn.GRU`` or ``nn.LSTM`` (8.6, 9.1, 9.2).
"""
from __future__ import annotations

from types import ModuleType
from typing import Any

# The book's sizes: 512 hidden units for the scratch RNN, 256 for the concise layers; lr 1.
BOOK_HIDDEN = {"scratch": 512, "RNN": 256, "GRU": 256, "LSTM": 256}


def scratch_rnn(lib: ModuleType, companion: ModuleType, vocab_size: int, hidden: int,
                device: Any = "cpu") -> Any:
    """d2l 8.5's RNN from scratch: H_t = tanh(X_t W_xh + H_{t-1} W_hh + b_h), O_t = H_t W_hq + b_q."""
    def get_params(vocab_size: int, num_hiddens: int, device: Any) -> list[Any]:
        num_inputs = num_outputs = vocab_size

        def normal(shape: tuple[int, ...]) -> Any:
            return lib.randn(size=shape, device=device) * 0.01
        W_xh, W_hh, b_h = normal((num_inputs, num_hiddens)), normal((num_hiddens, num_hiddens)), \
            lib.zeros(num_hiddens, device=device)
        W_hq, b_q = normal((num_hiddens, num_outputs)), lib.zeros(num_outputs, device=device)
        params = [W_xh, W_hh, b_h, W_hq, b_q]
        for param in params:
            param.requires_grad_(True)
        return params

    def init_rnn_state(batch_size: int, num_hiddens: int, device: Any) -> tuple[Any]:
        return (lib.zeros((batch_size, num_hiddens), device=device),)

    def rnn(inputs: Any, state: tuple[Any], params: list[Any]) -> tuple[Any, tuple[Any]]:
        W_xh, W_hh, b_h, W_hq, b_q = params
        H, = state
        outputs = []
        for X in inputs:
            H = lib.tanh(lib.mm(X, W_xh) + lib.mm(H, W_hh) + b_h)
            outputs.append(lib.mm(H, W_hq) + b_q)
        return lib.cat(outputs, dim=0), (H,)

    return companion.RNNModelScratch(vocab_size, hidden, device, get_params, init_rnn_state, rnn)


def concise_rnn(lib: ModuleType, companion: ModuleType, kind: str, layers: int, vocab_size: int,
                hidden: int) -> Any:
    """d2l's RNNModel around ``lib.nn.RNN``/``GRU``/``LSTM`` with ``layers`` layers."""
    layer = getattr(lib.nn, kind)(vocab_size, hidden, num_layers=layers)
    return companion.RNNModel(layer, vocab_size)


def copy_scratch_weights(ours: Any, theirs: Any, torch: ModuleType) -> None:
    """Give the torch scratch model exactly the tinygrad_edu scratch model's weights."""
    with torch.no_grad():
        for p, q in zip(ours.params, theirs.params):
            q.copy_(torch.tensor(p.detach().numpy()))
