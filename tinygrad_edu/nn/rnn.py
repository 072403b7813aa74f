"""Recurrent layers with torch's semantics and parameter layout: RNN, GRU, LSTM and their cells.

Unrolled over time, a layer is a composite of existing ops (linear, tanh, sigmoid, indexing,
stack), and *backpropagation through time* is nothing more than the backward pass of that
unrolled graph. Three things a student should see in it:

* The same weights are used at every time step, so their gradient is the **sum over time steps**
  of each step's contribution: the graph reuses one Parameter many times, and autograd adds the
  gradients that reach it along every path.
* The gradient reaching h_1 from the loss at step T passes through the Jacobians
  dh_t/dh_{t-1} = diag(f'(.)) W_hh for t = T..2: a **product of T-1 matrices**. If their norms
  are below 1 it shrinks geometrically (vanishing gradients: early steps learn nothing); above
  1 it grows geometrically (exploding gradients). GRU and LSTM add gated paths (z * h, f * c)
  along which the product stays close to the identity.
* ``nn.utils.clip_grad_norm_`` rescales all gradients together when their joint norm exceeds a
  threshold: the direction is kept, only the step is shortened, which tames explosions (it does
  nothing for vanishing gradients).

Every layer has two implementations that compute the same thing. The composite
(``fused=False`` in :func:`_run_direction`): the cell of each time step built from primitive ops
(about 15 graph nodes per LSTM step, each visible in a backward trace), and the fused ops of
``tinygrad_edu.ops.recurrent`` (one node per layer and direction, backpropagation through time
written out as a loop there, with each cell's gradient derived in its docstring), which the
layers and cells use by default: torch's own CPU LSTM is one fused oneDNN kernel per layer, and
the composite took twice its time (timings in docs/training.md). The tests check that both give the
same outputs and gradients.

Gate order and parameter names follow torch (GRU: r, z, n with the reset gate applied to
W_hn h + b_hn; LSTM: i, f, g, o), and so does the default initialisation U(-1/sqrt(H), 1/sqrt(H)),
so state dicts transfer both ways.
"""
from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from .. import ops
from ..functions import stack
from ..tensor import Tensor, get_default_dtype
from . import functional as F
from . import init
from .module import Module, Parameter

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "GRU": 3, "LSTM": 4}


def _uniform(shape: tuple[int, ...], hidden_size: int) -> Parameter:
    p = Parameter(np.empty(shape, dtype=get_default_dtype()))
    bound = 1.0 / math.sqrt(hidden_size) if hidden_size > 0 else 0.0
    init.uniform_(p, -bound, bound)
    return p


def _rnn_step(x_proj: Tensor, h: Tensor, w_hh: Tensor, b_hh: Optional[Tensor], relu: bool) -> Tensor:
    """h' = f(x W_ih^T + b_ih + h W_hh^T + b_hh); ``x_proj`` is the input part."""
    pre = x_proj + F.linear(h, w_hh, b_hh)
    return pre.relu() if relu else pre.tanh()


def _gru_step(x_proj: Tensor, h: Tensor, w_hh: Tensor, b_hh: Optional[Tensor]) -> Tensor:
    """r = sigma(x_r + h_r), z = sigma(x_z + h_z), n = tanh(x_n + r * h_n), h' = (1 - z) n + z h,
    where x_* = W_i* x + b_i* and h_* = W_h* h + b_h* (torch applies r to the whole h_n)."""
    h_proj = F.linear(h, w_hh, b_hh)
    hs = h.shape[-1]
    r = (x_proj[..., :hs] + h_proj[..., :hs]).sigmoid()
    z = (x_proj[..., hs:2 * hs] + h_proj[..., hs:2 * hs]).sigmoid()
    n = (x_proj[..., 2 * hs:] + r * h_proj[..., 2 * hs:]).tanh()
    return (1 - z) * n + z * h


def _lstm_step(x_proj: Tensor, h: Tensor, c: Tensor, w_hh: Tensor, b_hh: Optional[Tensor]) -> tuple[Tensor, Tensor]:
    """i, f, o = sigma(.), g = tanh(.) of x W_ih^T + b_ih + h W_hh^T + b_hh split in four;
    c' = f * c + i * g, h' = o * tanh(c')."""
    gates = x_proj + F.linear(h, w_hh, b_hh)
    hs = h.shape[-1]
    i, f = gates[..., :hs].sigmoid(), gates[..., hs:2 * hs].sigmoid()
    g, o = gates[..., 2 * hs:3 * hs].tanh(), gates[..., 3 * hs:].sigmoid()
    c = f * c + i * g
    return o * c.tanh(), c


Weights = tuple[Tensor, Tensor, Optional[Tensor], Optional[Tensor]]


def _run_direction(mode: str, x: Tensor, h: Tensor, c: Optional[Tensor], weights: Weights, reverse: bool = False,
                  fused: bool = True) -> tuple[Tensor, Tensor, Optional[Tensor]]:
    """One layer in one direction over the sequence x (L, N, I) from the states h (and c, LSTM)
    of shape (N, H). Returns (every h_t as (L, N, H), the last state h_n, c_n or None), in time
    order; a reverse direction visits t = L-1 .. 0, so its last state is the one at t = 0.

    ``fused`` (the default) runs the layer as one op of ``tinygrad_edu.ops.recurrent``; ``fused=False``
    builds the step-by-step composite graph from primitives (same values, same gradients).
    """
    w_ih, w_hh, b_ih, b_hh = weights
    dtype = w_ih.dtype
    x, h = x._cast(dtype), h._cast(dtype)
    c = c._cast(dtype) if c is not None else None
    biases = [b_ih, b_hh] if b_ih is not None and b_hh is not None else []
    last = 0 if reverse else -1
    if fused:
        if mode == "LSTM":
            assert c is not None, "an LSTM runs with a cell state"
            out = ops.recurrent.LSTMLayer.apply(x, h, c, w_ih, w_hh, *biases, reverse=reverse)
            return out[0], out[0, last], out[1, last]
        if mode == "GRU":
            out = ops.recurrent.GRULayer.apply(x, h, w_ih, w_hh, *biases, reverse=reverse)
        else:
            out = ops.recurrent.RNNLayer.apply(x, h, w_ih, w_hh, *biases, reverse=reverse, relu=mode == "RNN_RELU")
        return out, out[last], None
    # The composite: each step's x_t is a plain index of x (data that needs no gradient costs nothing).
    seq: list[Tensor] = []
    for t in (range(x.shape[0] - 1, -1, -1) if reverse else range(x.shape[0])):
        x_proj = F.linear(x[t], w_ih, b_ih)
        if mode == "GRU":
            h = _gru_step(x_proj, h, w_hh, b_hh)
        elif mode == "LSTM":
            assert c is not None, "an LSTM runs with a cell state"
            h, c = _lstm_step(x_proj, h, c, w_hh, b_hh)
        else:
            h = _rnn_step(x_proj, h, w_hh, b_hh, relu=mode == "RNN_RELU")
        seq.append(h)
    if reverse:
        seq.reverse()
    return stack(seq, 0), h, c


class RNNBase(Module):
    """The shared machinery of RNN, GRU and LSTM (torch.nn.RNNBase's arguments and names)."""

    _fused = True  # False: build the step-by-step composite graph instead (see _run_direction)

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        name = type(self).__name__
        if not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError(f"{name}: dropout should be a number in range [0, 1] representing the probability "
                             f"of an element being zeroed, got {dropout}")
        if hidden_size <= 0 or num_layers <= 0:
            raise ValueError(f"{name}: hidden_size and num_layers must be positive, got {hidden_size} and {num_layers}")
        if proj_size:
            raise NotImplementedError(f"{name}: proj_size is not supported by tinygrad_edu")
        self.mode, self.input_size, self.hidden_size, self.num_layers = mode, input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout, self.bidirectional = bias, batch_first, float(dropout), bidirectional
        self.proj_size = 0
        gate_size = _GATES[mode] * hidden_size
        directions = 2 if bidirectional else 1
        self._flat_weights_names: list[str] = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else hidden_size * directions
            for direction in range(directions):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                params: list[tuple[str, tuple[int, ...]]] = [("weight_ih", (gate_size, layer_input)),
                                                             ("weight_hh", (gate_size, hidden_size))]
                if bias:
                    params += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                for pname, shape in params:
                    setattr(self, pname + suffix, _uniform(shape, hidden_size))
                    self._flat_weights_names.append(pname + suffix)
        if dtype is not None:
            self.to(dtype)

    def _weights(self, layer: int, direction: int) -> tuple[Tensor, Tensor, Optional[Tensor], Optional[Tensor]]:
        suffix = f"_l{layer}" + ("_reverse" if direction else "")
        return (getattr(self, "weight_ih" + suffix), getattr(self, "weight_hh" + suffix),
                getattr(self, "bias_ih" + suffix, None), getattr(self, "bias_hh" + suffix, None))

    def _check(self, x: Tensor, hx: Any) -> tuple[bool, int]:
        name = type(self).__name__
        if x.ndim not in (2, 3):
            raise ValueError(f"{name}: expected input to be 2D (unbatched) or 3D, got {x.ndim}D input of shape {x.shape}")
        if x.shape[-1] != self.input_size:
            raise RuntimeError(f"{name}: input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {x.shape[-1]} (input shape {x.shape})")
        batched = x.ndim == 3
        batch = (x.shape[0] if self.batch_first else x.shape[1]) if batched else 1
        length = (x.shape[1] if self.batch_first else x.shape[0]) if batched else x.shape[0]
        if length == 0:
            raise RuntimeError(f"{name}: expected sequence length to be larger than 0 in RNN (input shape {x.shape})")
        expected = (self.num_layers * (2 if self.bidirectional else 1),) + ((batch,) if batched else ()) + (self.hidden_size,)
        states = hx if isinstance(hx, (tuple, list)) else (hx,)
        for k, state in enumerate(states):
            if state is not None and tuple(state.shape) != expected:
                raise RuntimeError(f"{name}: expected hidden state {k} of size {expected}, got {tuple(state.shape)} "
                                   f"(input shape {x.shape})")
        return batched, batch

    def forward(self, input: Tensor, hx: Any = None) -> tuple[Tensor, Any]:
        lstm = self.mode == "LSTM"
        if lstm and hx is not None and not (isinstance(hx, (tuple, list)) and len(hx) == 2):
            raise RuntimeError("LSTM: hx must be a tuple (h_0, c_0)")
        batched, batch = self._check(input, hx)
        x = input if batched else input.unsqueeze(1)
        if self.batch_first and batched:
            x = x.transpose(0, 1)
        directions = 2 if self.bidirectional else 1
        n_states = self.num_layers * directions
        zeros = Tensor(np.zeros((n_states, batch, self.hidden_size), dtype=x.dtype))
        if lstm:
            h0, c0 = (zeros, zeros) if hx is None else hx
            if not batched and hx is not None:
                h0, c0 = h0.unsqueeze(1), c0.unsqueeze(1)
        else:
            h0 = zeros if hx is None else (hx if batched else hx.unsqueeze(1))
        h_n: list[Tensor] = []
        c_n: list[Tensor] = []
        for layer in range(self.num_layers):
            outs = []
            for direction in range(directions):
                k = layer * directions + direction
                seq, h, c = _run_direction(self.mode, x, h0[k], c0[k] if lstm else None, self._weights(layer, direction),
                                          reverse=bool(direction), fused=self._fused)
                outs.append(seq)
                h_n.append(h)
                if c is not None:
                    c_n.append(c)
            x = outs[0] if directions == 1 else F._cat_last(outs)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        output = x.transpose(0, 1) if self.batch_first and batched else x
        hn = stack(h_n, 0)
        cn = stack(c_n, 0) if lstm else None
        if not batched:
            output, hn = output.squeeze(1), hn.squeeze(1)
            cn = cn.squeeze(1) if cn is not None else None
        return (output, (hn, cn)) if lstm else (output, hn)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.batch_first:
            s += ", batch_first=True"
        if self.dropout:
            s += f", dropout={self.dropout}"
        if self.bidirectional:
            s += ", bidirectional=True"
        return s


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (or relu)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if len(args) > 3:  # torch's positional order: input_size, hidden_size, num_layers, nonlinearity, ...
            nonlinearity = args[3]
            args = args[:3] + args[4:]
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: unknown nonlinearity {nonlinearity!r} (expected 'tanh' or 'relu')")
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", *args, **kwargs)
        self.nonlinearity = nonlinearity


class GRU(RNNBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("GRU", *args, **kwargs)


class LSTM(RNNBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("LSTM", *args, **kwargs)


class _CellBase(Module):
    def __init__(self, input_size: int, hidden_size: int, bias: bool, gates: int) -> None:
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        self.weight_ih = _uniform((gates * hidden_size, input_size), hidden_size)
        self.weight_hh = _uniform((gates * hidden_size, hidden_size), hidden_size)
        if bias:
            self.bias_ih = _uniform((gates * hidden_size,), hidden_size)
            self.bias_hh = _uniform((gates * hidden_size,), hidden_size)
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)

    def _prepare(self, x: Tensor, hx: Any) -> tuple[Tensor, bool]:
        name = type(self).__name__
        if x.ndim not in (1, 2) or x.shape[-1] != self.input_size:
            raise RuntimeError(f"{name}: expected input of shape (batch, {self.input_size}) or ({self.input_size},), "
                               f"got {x.shape}")
        batched = x.ndim == 2
        return (x if batched else x.unsqueeze(0)), batched

    def _cell_weights(self) -> Weights:
        return self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh

    def _state(self, hx: Optional[Tensor], x: Tensor, batched: bool) -> Tensor:
        if hx is None:
            return Tensor(np.zeros((x.shape[0], self.hidden_size), dtype=x.dtype))
        h = hx if batched else hx.unsqueeze(0)
        if h.shape != (x.shape[0], self.hidden_size):
            raise RuntimeError(f"{type(self).__name__}: hidden state of shape {hx.shape} does not match input "
                               f"{x.shape} and hidden_size {self.hidden_size}")
        return h


class RNNCell(_CellBase):
    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device: Any = None, dtype: Any = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: unknown nonlinearity {nonlinearity!r}")
        super().__init__(input_size, hidden_size, bias, 1)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Optional[Tensor] = None) -> Tensor:
        x, batched = self._prepare(input, hx)
        mode = "RNN_RELU" if self.nonlinearity == "relu" else "RNN_TANH"
        _, h, _ = _run_direction(mode, x.unsqueeze(0), self._state(hx, x, batched), None, self._cell_weights())
        return h if batched else h.squeeze(0)


class GRUCell(_CellBase):
    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 3)

    def forward(self, input: Tensor, hx: Optional[Tensor] = None) -> Tensor:
        x, batched = self._prepare(input, hx)
        _, h, _ = _run_direction("GRU", x.unsqueeze(0), self._state(hx, x, batched), None, self._cell_weights())
        return h if batched else h.squeeze(0)


class LSTMCell(_CellBase):
    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 4)

    def forward(self, input: Tensor, hx: Optional[tuple[Tensor, Tensor]] = None) -> tuple[Tensor, Tensor]:
        x, batched = self._prepare(input, hx)
        h0 = self._state(None if hx is None else hx[0], x, batched)
        c0 = self._state(None if hx is None else hx[1], x, batched)
        _, h, c = _run_direction("LSTM", x.unsqueeze(0), h0, c0, self._cell_weights())
        assert c is not None, "an LSTM step returns its cell state"
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))
