"""Recurrent layers as fused ops: every time step of one layer and one direction in one node,
with backpropagation through time written out as a loop.

Why fused. Composed from primitives (``tinygrad_edu.nn.rnn``'s ``fused=False`` path), an LSTM
step is about 15 graph nodes, and even with each step fused into five nodes the book's LSTM
epoch took about twice torch's time (docs/training.md, ch. 8-9). torch's own CPU ``nn.LSTM`` is not a graph of per-step ops: its
profile spends most of the epoch in two oneDNN calls per minibatch, the layer and its backward.
Doing the same here, a layer costs one node, and the weight gradients are one product
each after the loop instead of 35 small ones summed one by one. The Elman and GRU layers also
compute all input projections x_t W_ih^T as one product before the loop; the LSTM folds them
into each step's product instead (``LSTMLayer``). The composite path stays, and the tests check
that both give the same outputs and gradients (``test_rnn.py``).

Backpropagation through time, as the backward loops below do it. Every step applies the same
function h_t = cell(P_t + h_{t-1} W_hh^T, state) with P_t = x_t W_ih^T + b_ih. Walking the
steps in reverse order, the gradient reaching h_t is what the loss gives it directly
(``grad[t]``) plus what step t+1 sends back (``dh_next``). The chain rule through the cell gives
dL/da_t for the pre-activations a_t (the cell docstrings derive it gate by gate), and from it

    dh_next (for step t-1) = dL/da_t @ W_hh       the Jacobian product that vanishes or explodes
    dL/dW_hh = sum_t dL/da_t^T h_{t-1}            the same weight at every step: a sum over steps
    dL/dW_ih = sum_t dL/da_t^T x_t,  dL/dx_t = dL/da_t W_ih,  dL/db = sum_t sum_n dL/da_t

The three sums over t are each a single matrix product over all (t, n) rows at once.

Each gate activation's derivative is written through its output: sigma' = s (1 - s),
tanh' = 1 - t^2.

Layout. Inside these ops every per-step array is stored transposed, features by batch: the
state is h^T (H, N) and a step's pre-activations W_hh h^T + P_t^T (G*H, N), so each gate is a
contiguous block of rows and the step's matrix product is W_hh @ h^T, which is faster than
h @ W_hh^T at the book's sizes. The result
is handed back as a transposed view with torch's (L, N, H) shape.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..autograd import Function, Grads
from .elementwise import sigmoid_array


def _steps(length: int, reverse: bool) -> range:
    """The time indices in the order a direction visits them."""
    return range(length - 1, -1, -1) if reverse else range(length)


def _input_projection(x: np.ndarray, w_ih: np.ndarray, *biases: Optional[np.ndarray]) -> np.ndarray:
    """P[:, t] = W_ih x_t^T + the biases, for all steps with one matrix product: (G*H, L, N)."""
    length, batch, features = x.shape
    p = np.matmul(w_ih, x.reshape(length * batch, features).T).reshape(w_ih.shape[0], length, batch)
    present = [b for b in biases if b is not None]
    if present:
        p += sum(present[1:], present[0])[:, None, None]  # the biases added to each other first
    return p


def _parameter_grads(ctx: Function, da_x: np.ndarray, da_h: np.ndarray, x: np.ndarray, h_prev: np.ndarray,
                     w_ih: np.ndarray, *d_states: np.ndarray) -> tuple[Optional[np.ndarray], ...]:
    """Every input's gradient, in the op's input order (x, the initial states, W_ih, W_hh and, with
    biases, b_ih, b_hh), from the per-step gradients of the pre-activations: da_x for the input
    side and da_h for the recurrent side (they differ only in the GRU's n block), each
    (G*H, L, N) and summed over all (t, n) by one matrix product. ``d_states`` are what the loop
    sent back past the first step: the initial states' gradients, in the (H, N) layout."""
    gates, length, batch = da_x.shape
    rows = length * batch
    dx_cols, dh_cols = da_x.reshape(gates, rows), da_h.reshape(gates, rows)
    needs = ctx.needs_input_grad
    iw = 1 + len(d_states)   # where the weights start among the inputs
    dx = (w_ih.T @ dx_cols).T.reshape(x.shape) if needs[0] else None
    states = tuple(d.T if needs[1 + k] else None for k, d in enumerate(d_states))
    dw_ih = dx_cols @ x.reshape(rows, x.shape[2]) if needs[iw] else None
    dw_hh = dh_cols @ h_prev.reshape(h_prev.shape[0], rows).T if needs[iw + 1] else None
    if len(needs) == iw + 2:  # no biases
        return (dx, *states, dw_ih, dw_hh)
    db_ih = dx_cols.sum(axis=1) if needs[iw + 2] else None
    db_hh = None
    if needs[iw + 3]:
        db_hh = db_ih.copy() if da_h is da_x and db_ih is not None else dh_cols.sum(axis=1)
    return (dx, *states, dw_ih, dw_hh, db_ih, db_hh)


class RNNLayer(Function):
    """An Elman layer over a whole sequence: h_t = f(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh),
    f = tanh or relu. Inputs x (L, N, I), h0 (N, H); output every h_t, (L, N, H).

    Backward per step: dL/da_t = (grad[t] + dh_next) * f'(a_t) with tanh' = 1 - h_t^2 and
    relu' = [h_t > 0]; the rest is the module docstring's loop.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, h0: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray,
                b_ih: Optional[np.ndarray] = None, b_hh: Optional[np.ndarray] = None, reverse: bool = False,
                relu: bool = False) -> np.ndarray:
        length, batch, _ = x.shape
        H = h0.shape[-1]
        p = _input_projection(x, w_ih, b_ih, b_hh)
        out = np.empty((length, H, batch), dtype=p.dtype)   # h_t^T
        h_prev = np.empty((H, length, batch), dtype=p.dtype)
        h = h0.T
        for t in _steps(length, reverse):
            h_prev[:, t] = h
            a = np.matmul(w_hh, h)
            a += p[:, t]
            h = np.maximum(a, 0, out=out[t]) if relu else np.tanh(a, out=out[t])
        ctx.save_for_backward(x, w_ih, w_hh, out, h_prev)
        ctx.reverse, ctx.relu = reverse, relu
        return out.transpose(0, 2, 1)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        x, w_ih, w_hh, out, h_prev = ctx.saved
        da = np.empty_like(h_prev)
        w_hh_t = np.ascontiguousarray(w_hh.T)
        dh_next = np.zeros_like(out[0])
        for t in _steps(x.shape[0], not ctx.reverse):
            dh = grad[t].T + dh_next
            h = out[t]
            d = dh * (h > 0) if ctx.relu else dh * (1 - h * h)
            da[:, t] = d
            dh_next = w_hh_t @ d
        return _parameter_grads(ctx, da, da, x, h_prev, w_ih, dh_next)


class GRULayer(Function):
    """A GRU layer over a whole sequence, torch's form. With [x_r, x_z, x_n] = x_t W_ih^T + b_ih
    and [h_r, h_z, h_n] = h W_hh^T + b_hh (blocks of width H):

        r = sigma(x_r + h_r)          reset gate
        z = sigma(x_z + h_z)          update gate
        n = tanh(x_n + r * h_n)       candidate state (torch applies r to h_n, bias included)
        h' = (1 - z) * n + z * h

    Backward of one step, with g = dL/dh' (the loss's part plus what the next step sent back).
    The new state is a blend of n and h with weight z, so

        dL/dh (direct)  = g * z
        dL/dz           = g * (h - n)           ->  a_z := dL/d(x_z + h_z) = g (h - n) z (1 - z)
        dL/dn           = g * (1 - z)           ->  a_n := dL/d(x_n + r h_n) = g (1 - z)(1 - n^2)
        dL/dr           = a_n * h_n             ->  a_r := dL/d(x_r + h_r) = a_n h_n r (1 - r)
        dL/dh_n         = a_n * r

    The input side receives [a_r, a_z, a_n] and the recurrent side the same except on the n block,
    where the reset gate scales it: [a_r, a_z, a_n r]; h also gets that block's share through
    W_hh, so dh_next = g z + [a_r, a_z, a_n r] W_hh.
    Inputs x (L, N, I), h0 (N, H); output every h_t, (L, N, H).
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, h0: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray,
                b_ih: Optional[np.ndarray] = None, b_hh: Optional[np.ndarray] = None, reverse: bool = False) -> np.ndarray:
        length, batch, _ = x.shape
        H = h0.shape[-1]
        p = _input_projection(x, w_ih, b_ih)
        out = np.empty((length, H, batch), dtype=p.dtype)
        h_prev = np.empty((H, length, batch), dtype=p.dtype)
        gates = np.empty((length, 3 * H, batch), dtype=p.dtype)   # r, z, n after their activations
        h_n = np.empty_like(out)          # W_hn h + b_hn, which the reset gate scaled
        h = h0.T
        for t in _steps(length, reverse):
            h_prev[:, t] = h
            hp = np.matmul(w_hh, h)
            if b_hh is not None:
                hp += b_hh[:, None]
            act = gates[t]
            np.add(p[:2 * H, t], hp[:2 * H], out=act[:2 * H])
            sigmoid_array(act[:2 * H], out=act[:2 * H])
            r, z = act[:H], act[H:2 * H]
            h_n[t] = hp[2 * H:]
            n = np.tanh(p[2 * H:, t] + r * h_n[t], out=act[2 * H:])
            h = np.add(n, z * (h - n), out=out[t])
        ctx.save_for_backward(x, w_ih, w_hh, gates, h_n, h_prev)
        ctx.reverse = reverse
        return out.transpose(0, 2, 1)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        x, w_ih, w_hh, gates, h_n, h_prev = ctx.saved
        H = h_n.shape[1]
        da_x = np.empty((3 * H,) + x.shape[:2], dtype=gates.dtype)
        da_h = np.empty_like(da_x)
        w_hh_t = np.ascontiguousarray(w_hh.T)
        dh_next = np.zeros_like(h_n[0])
        step = np.empty_like(gates[0])
        for t in _steps(x.shape[0], not ctx.reverse):
            g = grad[t].T + dh_next
            r, z, n = gates[t, :H], gates[t, H:2 * H], gates[t, 2 * H:]
            a_n = g * (1 - z) * (1 - n * n)
            step[:H] = a_n * h_n[t] * r * (1 - r)
            step[H:2 * H] = g * (h_prev[:, t] - n) * z * (1 - z)
            step[2 * H:] = a_n
            da_x[:, t] = step
            step[2 * H:] *= r
            da_h[:, t] = step
            dh_next = g * z + w_hh_t @ step
        return _parameter_grads(ctx, da_x, da_h, x, h_prev, w_ih, dh_next)


class LSTMLayer(Function):
    """An LSTM layer over a whole sequence. With [a_i, a_f, a_g, a_o] = the (N, 4H) gate
    pre-activations x_t W_ih^T + b_ih + h W_hh^T + b_hh:

        i = sigma(a_i), f = sigma(a_f), g = tanh(a_g), o = sigma(a_o)
        c' = f * c + i * g,    h' = o * tanh(c')

    Backward of one step, with G_h = dL/dh' and G_c = dL/dc' (each the loss's part plus what
    the next step sent back) and t = tanh(c'). The cell state reaches the loss directly and
    through h', so first

        G = G_c + G_h * o * (1 - t^2)       the whole gradient of c'

    and then
        dL/da_o = G_h * t * o (1 - o)
        dL/da_i = G * g * i (1 - i)
        dL/da_f = G * c * f (1 - f)
        dL/da_g = G * i * (1 - g^2)
        dL/dc   = G * f                     the forget gate is the cell's "gradient highway"

    Every factor that multiplies G or G_h above is known once the forward has run, so the
    backward computes them for all steps at once (``_local_factors``) and its loop over time
    only does the part that depends on the gradient coming back.

    Inputs x (L, N, I), h0 and c0 (N, H); output (2, L, N, H): every h_t, then every c_t
    (the layer's output is the first half, c_n is read from the second).

    How the arrays are laid out (measured choices): a step is one matrix product a = W z of the
    stacked weight W = [W_ih | b_ih + b_hh | W_hh] (``_stacked``) with the stacked column
    z = [x_t; 1; h]: the bias is the weight of a constant input 1, so there is no separate input
    projection and no per-step add, and the same product run backward gives dL/dW_ih, dL/db and
    dL/dW_hh at once. W's gate rows are in the order i, f, o, g so the three sigmoid gates are
    one block. The per-step arrays are contiguous (features, batch) blocks: ``slots`` holds
    [x_t; 1; h; c] for the initial state and each step's result, so the state a step starts from
    is the previous slot and needs no copy.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, h0: np.ndarray, c0: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray,
                b_ih: Optional[np.ndarray] = None, b_hh: Optional[np.ndarray] = None, reverse: bool = False) -> np.ndarray:
        length, batch, I = x.shape
        H = h0.shape[-1]
        w = _stacked(w_ih, w_hh, b_ih, b_hh)
        K = I + 1 + H                                    # the rows of z = [x_t; 1; h]
        old, new = (1, 0) if reverse else (0, 1)         # step t reads slot t + old, writes slot t + new
        slots = np.empty((length + 1, K + H, batch), dtype=w.dtype)
        slots[old:old + length, :I] = x.transpose(0, 2, 1)
        slots[:, I] = 1
        slots[length * old, I + 1:] = np.concatenate([h0.T, c0.T])
        gates = np.empty((length, 4 * H, batch), dtype=w.dtype)   # i, f, o, g after their activations
        tanh_c = np.empty((length, H, batch), dtype=w.dtype)
        ig = np.empty_like(tanh_c[0])
        for t in _steps(length, reverse):
            z, nxt, act = slots[t + old], slots[t + new], gates[t]
            np.matmul(w, z[:K], out=act)                 # a = W_ih x_t + b + W_hh h
            sigmoid_array(act[:3 * H], out=act[:3 * H])
            np.tanh(act[3 * H:], out=act[3 * H:])
            i, f, o, g = act[:H], act[H:2 * H], act[2 * H:3 * H], act[3 * H:]
            c = np.multiply(f, z[K:], out=nxt[K:])
            c += np.multiply(i, g, out=ig)
            np.multiply(o, np.tanh(c, out=tanh_c[t]), out=nxt[I + 1:K])
        ctx.save_for_backward(w_ih, w_hh, slots, gates, tanh_c)
        ctx.reverse, ctx.has_bias = reverse, b_ih is not None
        return slots[new:new + length, I + 1:].reshape(length, 2, H, batch).transpose(1, 0, 3, 2)

    @staticmethod
    def _local_factors(gates: np.ndarray, tanh_c: np.ndarray,
                       c_prev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For all steps at once: J (L, 4H, N), the factors that turn G (rows i, f, g) and G_h
        (rows o) into dL/da in torch's gate order, and K = o (1 - t^2), G_h's factor in G."""
        H = tanh_c.shape[1]
        i, o, g = gates[:, :H], gates[:, 2 * H:3 * H], gates[:, 3 * H:]  # (f enters through c_prev)
        s = gates[:, :3 * H]
        ds = np.subtract(1, s)
        ds *= s                                              # s (1 - s) for i, f, o
        J = np.empty_like(gates)
        np.multiply(ds[:, :H], g, out=J[:, :H])              # i (1 - i) g
        np.multiply(ds[:, H:2 * H], c_prev, out=J[:, H:2 * H])   # f (1 - f) c
        jg = np.multiply(g, g, out=J[:, 2 * H:3 * H])
        np.subtract(1, jg, out=jg)
        jg *= i                                              # i (1 - g^2)
        np.multiply(ds[:, 2 * H:], tanh_c, out=J[:, 3 * H:])     # o (1 - o) t
        K = np.multiply(tanh_c, tanh_c)
        np.subtract(1, K, out=K)
        K *= o                                               # o (1 - t^2)
        return J, K

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        w_ih, w_hh, slots, gates, tanh_c = ctx.saved
        length, H, batch = tanh_c.shape
        I = w_ih.shape[1]
        old = 1 if ctx.reverse else 0
        z = slots[old:old + length]                      # each step's [x_t; 1; h; c] before it
        J, K = LSTMLayer._local_factors(gates, tanh_c, z[:, I + 1 + H:])
        f = gates[:, H:2 * H]
        g_out = np.ascontiguousarray(grad[0].transpose(0, 2, 1))   # (L, H, N), the steps' layout
        g_c = grad[1].transpose(0, 2, 1) if grad[1].any() else None  # zero unless the loss uses the c_t
        da = np.empty_like(gates)                        # dL/da per step, torch's order i, f, g, o
        da_ifg, J_ifg = (a[:, :3 * H].reshape(length, 3, H, batch) for a in (da, J))   # the blocks G multiplies
        w_hh_t = np.ascontiguousarray(w_hh.T)
        dh_next, dc_next = np.zeros_like(tanh_c[0]), np.zeros_like(tanh_c[0])
        g_h, G = np.empty_like(dh_next), np.empty_like(dh_next)
        for t in _steps(length, not ctx.reverse):
            np.add(g_out[t], dh_next, out=g_h)
            np.multiply(g_h, K[t], out=G)                 # G = G_c + G_h o (1 - t^2)
            G += dc_next
            if g_c is not None:
                G += g_c[t]
            np.multiply(J_ifg[t], G, out=da_ifg[t])                # a_i, a_f, a_g
            np.multiply(J[t, 3 * H:], g_h, out=da[t, 3 * H:])      # a_o
            np.matmul(w_hh_t, da[t], out=dh_next)
            np.multiply(G, f[t], out=dc_next)
        # The weight gradients: sum over every (t, n) of dL/da times the stacked input z, one product.
        da_cols = da.transpose(1, 0, 2).reshape(4 * H, length * batch)
        dw = da_cols @ z[:, :I + 1 + H].transpose(1, 0, 2).reshape(I + 1 + H, length * batch).T
        needs = ctx.needs_input_grad
        dx = (w_ih.T @ da_cols).reshape(I, length, batch).transpose(1, 2, 0) if needs[0] else None
        states = (dh_next.T if needs[1] else None, dc_next.T if needs[2] else None)
        weights = (dw[:, :I] if needs[3] else None, dw[:, I + 1:] if needs[4] else None)
        if not ctx.has_bias:
            return (dx, *states, *weights)
        db = dw[:, I]                                     # b_ih and b_hh enter as one sum: same gradient
        return (dx, *states, *weights, db if needs[5] else None, db.copy() if needs[6] else None)


def _stacked(w_ih: np.ndarray, w_hh: np.ndarray, b_ih: Optional[np.ndarray], b_hh: Optional[np.ndarray]) -> np.ndarray:
    """The LSTM's stacked weight [W_ih | b_ih + b_hh | W_hh] (a zero bias column without biases),
    its gate blocks reordered from torch's i, f, g, o to i, f, o, g."""
    (rows, inputs), H = w_ih.shape, w_hh.shape[1]
    w = np.empty((rows, inputs + 1 + H), dtype=w_ih.dtype)
    for dst, src in enumerate((0, 1, 3, 2)):
        block, mine = slice(src * H, (src + 1) * H), slice(dst * H, (dst + 1) * H)
        w[mine, :inputs], w[mine, inputs + 1:] = w_ih[block], w_hh[block]
        if b_ih is None or b_hh is None:
            w[mine, inputs] = 0
        else:
            np.add(b_ih[block], b_hh[block], out=w[mine, inputs])
    return w
