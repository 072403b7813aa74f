"""The gated recurrent cells as fused ops: one GRU step, and an LSTM step in two ops.

Why fused. ``nn.GRU`` and ``nn.LSTM`` composed from primitives build 14-15 graph nodes per
time step (four slices, three or four activations, the products and sums), and at the book's
sizes (batch 32, 256 hidden) each node's Python bookkeeping costs about as much as its
arithmetic. The ops below compute the same gate equations on raw arrays, so a step is three
nodes (GRU: the two linear maps and the cell) or five (LSTM: the two linear maps, their sum,
the new cell state, the new output). The composite versions stay in ``tinygrad_edu.nn.rnn``
(``_gru_step``, ``_lstm_step``) and the tests check that both give the same values and the same
gradients. The derivations below are the chain rule applied one gate at a time; each gate
activation's derivative is written through its output: sigma' = s (1 - s), tanh' = 1 - t^2.
"""
from __future__ import annotations

import numpy as np

from ..autograd import Function
from .elementwise import sigmoid_array


class GRUCell(Function):
    """One GRU step in torch's form. With [x_r, x_z, x_n] = x W_ih^T + b_ih and
    [h_r, h_z, h_n] = h W_hh^T + b_hh (each of width H, split from the (N, 3H) inputs):

        r = sigma(x_r + h_r)          reset gate
        z = sigma(x_z + h_z)          update gate
        n = tanh(x_n + r * h_n)       candidate state (torch applies r to h_n, bias included)
        h' = (1 - z) * n + z * h

    Backward, with g = dL/dh'. The new state is a blend of n and h with weight z, so

        dL/dh (direct)  = g * z
        dL/dz           = g * (h - n)           ->  dL/d(x_z + h_z) = g (h - n) z (1 - z)
        dL/dn           = g * (1 - z)           ->  a_n := dL/d(x_n + r h_n) = g (1 - z)(1 - n^2)
        dL/dr           = a_n * h_n             ->  dL/d(x_r + h_r) = a_n h_n r (1 - r)
        dL/dh_n         = a_n * r

    The pre-activations are sums x_* + h_*, so x_proj receives [a_r, a_z, a_n] and h_proj
    receives the same except on the n block, where the reset gate scales it: [a_r, a_z, a_n r].
    (Through h_proj the gradient also reaches h along the recurrent weights: the linear op that
    made h_proj takes care of that.)
    """

    @staticmethod
    def forward(ctx, x_proj, h_proj, h):
        H = h.shape[-1]
        r = sigmoid_array(x_proj[:, :H] + h_proj[:, :H])
        z = sigmoid_array(x_proj[:, H:2 * H] + h_proj[:, H:2 * H])
        h_n = h_proj[:, 2 * H:]
        n = np.tanh(x_proj[:, 2 * H:] + r * h_n)
        ctx.save_for_backward(r, z, n, h_n, h)
        return n + z * (h - n)

    @staticmethod
    def backward(ctx, grad):
        r, z, n, h_n, h = ctx.saved
        a_z = grad * (h - n) * z * (1 - z)
        a_n = grad * (1 - z) * (1 - n * n)
        a_r = a_n * h_n * r * (1 - r)
        g_x = np.concatenate([a_r, a_z, a_n], axis=1) if ctx.needs_input_grad[0] else None
        g_h = np.concatenate([a_r, a_z, a_n * r], axis=1) if ctx.needs_input_grad[1] else None
        return g_x, g_h, grad * z


class LSTMCellState(Function):
    """The new cell state of an LSTM step. With [a_i, a_f, a_g, a_o] = the (N, 4H) gate
    pre-activations x W_ih^T + b_ih + h W_hh^T + b_hh:

        i = sigma(a_i), f = sigma(a_f), g = tanh(a_g)
        c' = f * c + i * g                  (the output gate o is LSTMCellOutput's)

    Backward, with G = dL/dc':
        dL/dc   = G * f                     the forget gate is the cell's "gradient highway"
        dL/da_i = G * g * i (1 - i)
        dL/da_f = G * c * f (1 - f)
        dL/da_g = G * i * (1 - g^2)
        dL/da_o = 0
    """

    @staticmethod
    def forward(ctx, gates, c):
        H = c.shape[-1]
        i_f = sigmoid_array(gates[:, :2 * H])
        i, f = i_f[:, :H], i_f[:, H:]
        g = np.tanh(gates[:, 2 * H:3 * H])
        ctx.save_for_backward(i, f, g, c)
        return f * c + i * g

    @staticmethod
    def backward(ctx, grad):
        i, f, g, c = ctx.saved
        g_gates = None
        if ctx.needs_input_grad[0]:
            H = grad.shape[1]
            g_gates = np.zeros((grad.shape[0], 4 * H), dtype=grad.dtype)
            g_gates[:, :H] = grad * g * i * (1 - i)
            g_gates[:, H:2 * H] = grad * c * f * (1 - f)
            g_gates[:, 2 * H:3 * H] = grad * i * (1 - g * g)
        return g_gates, grad * f


class LSTMCellOutput(Function):
    """The new hidden state (output) of an LSTM step from the gate pre-activations and the new
    cell state c':   o = sigma(a_o),   h' = o * tanh(c').

    Backward, with G = dL/dh' and t = tanh(c'):
        dL/da_o = G * t * o (1 - o)         (the other three gate blocks get 0)
        dL/dc'  = G * o * (1 - t^2)
    """

    @staticmethod
    def forward(ctx, gates, c_new):
        H = c_new.shape[-1]
        o = sigmoid_array(gates[:, 3 * H:])
        t = np.tanh(c_new)
        ctx.save_for_backward(o, t)
        return o * t

    @staticmethod
    def backward(ctx, grad):
        o, t = ctx.saved
        g_gates = None
        if ctx.needs_input_grad[0]:
            H = grad.shape[1]
            g_gates = np.zeros((grad.shape[0], 4 * H), dtype=grad.dtype)
            g_gates[:, 3 * H:] = grad * t * o * (1 - o)
        return g_gates, grad * o * (1 - t * t)
