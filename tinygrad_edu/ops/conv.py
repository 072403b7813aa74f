"""2-D convolution (cross-correlation, as in torch) by im2col + one matrix product.

Shapes: input x (N, C, H, W), weight w (F, C/groups, KH, KW), output y (N, F, Ho, Wo) with

    y[n, f, oh, ow] = b[f] + sum_{c, i, j} w[f, c, i, j] * xp[n, c, oh*s + i*d, ow*s + j*d]

where xp is x zero-padded, s the stride and d the dilation.

im2col. For each kernel offset (i, j) the input pixels that offset touches, over all output
positions, form one strided slice of xp: xp[:, :, i*d : i*d + s*(Ho-1) + 1 : s, ...]. Copying
those KH*KW slices into a matrix ``cols`` of shape (C*KH*KW, Ho*Wo*N) turns the convolution
into one BLAS product  Y = W_mat @ cols  with W_mat of shape (F, C*KH*KW). (With groups, the
channels split into ``groups`` independent blocks and the product is batched over them.)

Gradients, from Y = W_mat @ cols:
    dL/dW_mat = dL/dY @ cols^T     the weight gradient correlates the output gradient with the
                                   input patches each weight touched;
    dL/dcols  = W_mat^T @ dL/dY    and col2im adds each column entry back to the input pixel it
                                   was copied from: the adjoint of the slice copies is KH*KW
                                   strided slice *additions* (pixels shared by overlapping
                                   windows collect the sum of their gradients);
    dL/db     = dL/dY summed over N, Ho, Wo.

Layout: inside the op the batch is the innermost axis. x is read as (C, H, W, N) and cols is
built as (C, KH, KW, Ho, Wo, N), so each of the KH*KW slice copies (and col2im's slice
additions) moves runs of Wo*N contiguous elements instead of runs of Wo: with the batch
second, a 7x7 map makes runs of 7 elements and the per-run overhead is most of the time. The output (F, Ho, Wo, N)
is handed back as a transposed view with torch's (N, F, Ho, Wo) shape; the next layer's ops
keep that memory order (NumPy allocates results in their inputs' order, and the pooling ops
below allocate like their input), so the next conv finds its input already batch-innermost.
The groups split is a plain reshape.

Memory: cols holds every input pixel KH*KW times (9 times for a 3x3 kernel). Kept for the
backward of every layer, the columns of a deep network dominate a training step's memory
(d2l's FCN, a ResNet-18 on 32 images of 320x480, would keep 5.7 GB of them). So when a layer's
columns exceed ``SAVED_COLUMNS_LIMIT`` bytes the forward keeps the padded input instead and the
backward rebuilds the columns from it: one more round of slice copies, no change in the result.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .. import parallel
from ..autograd import Function, Grads

Pair = tuple[int, int]
Padding = tuple[Pair, Pair]  # ((top, bottom), (left, right))

SAVED_COLUMNS_LIMIT = 64 * 2**20  # bytes of im2col columns a Conv2d keeps for its backward


def output_size(size: int, kernel: int, stride: int, pad_total: int, dilation: int) -> int:
    """Number of window positions along one axis: floor((size + pads - d*(k-1) - 1) / s) + 1."""
    return (size + pad_total - dilation * (kernel - 1) - 1) // stride + 1


def window_slice(offset: int, count: int, stride: int) -> slice:
    """The positions offset, offset + stride, ..., one per output pixel."""
    return slice(offset, offset + stride * (count - 1) + 1, stride)


def memory_order(x: np.ndarray) -> tuple[int, ...]:
    """x's axes from the outermost to the innermost in memory (by stride; ties keep axis order)."""
    return tuple(sorted(range(x.ndim), key=lambda a: -x.strides[a]))


def empty_in_order(shape: tuple[int, ...], order: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """An uninitialised array of ``shape`` whose axes lie in memory in ``order``."""
    buf = np.empty([shape[a] for a in order], dtype=dtype)
    return buf.transpose(np.argsort(order))


def empty_like_layout(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """An uninitialised array of ``shape`` and x's dtype, laid out in memory in x's axis order."""
    return empty_in_order(shape, memory_order(x), x.dtype)


def in_memory_order(a: np.ndarray, order: tuple[int, ...]) -> np.ndarray:
    """a itself when its axes already lie in memory in ``order``, else a copy of a that does.

    An elementwise op on two arrays of different memory orders reads one of them across
    strides, element by element. A backward that receives its gradient in another order than
    the arrays it saved (a flatten's backward hands back (N, C, H, W) order to a pooling whose
    input was batch-innermost) copies the gradient once instead, which costs a fraction of the
    strided reads it saves.
    """
    if memory_order(a) == tuple(order):
        return a
    out = empty_in_order(a.shape, order, a.dtype)
    out[...] = a
    return out


def pad_nchw(x: np.ndarray, padding: Padding, value: float = 0.0) -> np.ndarray:
    """x padded on H and W, in x's memory order; returns x itself when there is no padding."""
    (pt, pb), (pl, pr) = padding
    if pt == pb == pl == pr == 0:
        return x
    n, c, h, w = x.shape
    out = empty_like_layout(x, (n, c, h + pt + pb, w + pl + pr))
    out.fill(value)
    out[:, :, pt:pt + h, pl:pl + w] = x
    return out


def im2col(xp: np.ndarray, kernel: Pair, stride: Pair, dilation: Pair, out_hw: Pair) -> np.ndarray:
    """cols[c, i, j, oh, ow, n] = xp[c, oh*sh + i*dh, ow*sw + j*dw, n] for xp in (C, Hp, Wp, N)
    order, by KH*KW slice copies."""
    c, n = xp.shape[0], xp.shape[3]
    (kh, kw), (sh, sw), (dh, dw), (ho, wo) = kernel, stride, dilation, out_hw
    cols = np.empty((c, kh, kw, ho, wo, n), dtype=xp.dtype)

    def copy_offsets(start: int, stop: int) -> None:
        for i, j in (divmod(k, kw) for k in range(start, stop)):
            cols[:, i, j] = xp[:, window_slice(i * dh, ho, sh), window_slice(j * dw, wo, sw)]
    parallel.split(copy_offsets, kh * kw, cols.size)  # the offsets shared out between the cores
    return cols


def col2im(dcols: np.ndarray, padded_hw: Pair, kernel: Pair, stride: Pair, dilation: Pair) -> np.ndarray:
    """The adjoint of im2col: add every column entry back onto the pixel it came from.
    dcols is (C, KH, KW, Ho, Wo, N); returns dL/dxp in (C, Hp, Wp, N) order."""
    c, kh, kw, ho, wo, n = dcols.shape
    (sh, sw), (dh, dw) = stride, dilation
    dx = np.zeros((c, padded_hw[0], padded_hw[1], n), dtype=dcols.dtype)

    def add_channels(start: int, stop: int) -> None:  # windows overlap, channels do not
        for i in range(kh):
            for j in range(kw):
                dx[start:stop, window_slice(i * dh, ho, sh), window_slice(j * dw, wo, sw)] += dcols[start:stop, i, j]
    parallel.split(add_channels, c, dcols.size)  # the channels shared out between the cores
    return dx


def batch_innermost(x: np.ndarray, padding: Padding = ((0, 0), (0, 0))) -> np.ndarray:
    """x (N, C, H, W) as a padded (C, Hp, Wp, N) array: no copy when x already lies in memory
    that way (the output of a previous conv) and needs no padding."""
    xc = np.ascontiguousarray(x.transpose(1, 2, 3, 0))
    return pad_nchw(xc.transpose(3, 0, 1, 2), padding).transpose(1, 2, 3, 0)


def weight_grad(g: np.ndarray, cols: np.ndarray, w_shape: tuple[int, ...], block: int = 4096) -> np.ndarray:
    """dL/dW = g @ cols^T for g (G, F, M) and cols (G, K, M), one 2-D product per group, returned
    in the weight's shape ``w_shape`` as an array of its own (autograd keeps such an array as
    the parameter's .grad; a view it would copy).

    M = Ho*Wo*N is the long axis. When it is long (M >= 2048) the product runs faster the other
    way round, (cols @ g^T)^T, even with the transposing copy; when it is short the copy of the
    large F x K result costs more than the product. When M dwarfs F and K (LeNet's first layer),
    adding up products of 4096-column blocks keeps the operands in cache.
    """
    groups, f, m = g.shape
    k = cols.shape[1]
    dw = np.empty(w_shape, dtype=g.dtype)
    out = dw.reshape(groups, f, k)                                # a view of dw
    for group in range(groups):
        g_rows, c_rows = g[group], cols[group]
        if m < 2048:
            np.matmul(g_rows, c_rows.T, out=out[group])
        elif m <= 2 * block:
            out[group] = (c_rows @ g_rows.T).T
        else:
            acc = np.zeros((k, f), dtype=g.dtype)
            for start in range(0, m, block):
                acc += c_rows[:, start:start + block] @ g_rows[:, start:start + block].T
            out[group] = acc.T
    return dw


class Conv2d(Function):
    """y[n, f] = b[f] + sum_c (w[f, c] correlated with xp[n, c]), computed as Y = W_mat @ cols.

    dL/dW = dL/dY @ cols^T,   dL/dcols = W_mat^T @ dL/dY (then col2im),   dL/db = sum of dL/dY
    over N, Ho, Wo. The module docstring explains im2col and why these are the gradients.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, w: np.ndarray, b: Optional[np.ndarray] = None,
                stride: Pair = (1, 1), padding: Padding = ((0, 0), (0, 0)), dilation: Pair = (1, 1),
                groups: int = 1) -> np.ndarray:
        n, c, h, wd = x.shape
        f, cg, kh, kw = w.shape
        xp = batch_innermost(x, padding)                  # (C, Hp, Wp, N)
        ho = output_size(h, kh, stride[0], sum(padding[0]), dilation[0])
        wo = output_size(wd, kw, stride[1], sum(padding[1]), dilation[1])
        cols = im2col(xp, (kh, kw), stride, dilation, (ho, wo))
        cols_g = cols.reshape(groups, cg * kh * kw, ho * wo * n)
        w_g = w.reshape(groups, f // groups, cg * kh * kw)
        y = np.matmul(w_g, cols_g).reshape(f, ho, wo, n)
        if b is not None:
            def add_bias(start: int, stop: int) -> None:  # output channels start:stop
                y[start:stop] += b[start:stop].reshape(-1, 1, 1, 1)
            parallel.split(add_bias, f, y.size)
        # large columns are rebuilt in the backward from the (kh*kw times smaller) padded input
        ctx.save_for_backward(xp if cols.nbytes > SAVED_COLUMNS_LIMIT else cols_g, w)
        ctx.geometry = (x.shape, xp.shape, w.shape, stride, padding, dilation, groups, (ho, wo))
        return y.transpose(3, 0, 1, 2)  # (N, F, Ho, Wo), a view of the (F, Ho, Wo, N) result

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        cols_g, w = ctx.saved
        x_shape, xp_shape, w_shape, stride, padding, dilation, groups, (ho, wo) = ctx.geometry
        n, c, h, wd = x_shape
        f, cg, kh, kw = w_shape
        if cols_g.ndim == 4:  # the padded input (C, Hp, Wp, N) was kept: rebuild the columns
            cols_g = im2col(cols_g, (kh, kw), stride, dilation, (ho, wo)).reshape(groups, cg * kh * kw, ho * wo * n)
        w_g = w.reshape(groups, f // groups, cg * kh * kw)
        g = np.ascontiguousarray(grad.transpose(1, 2, 3, 0)).reshape(groups, f // groups, ho * wo * n)
        dx = dw = db = None
        if ctx.needs_input_grad[1]:
            dw = weight_grad(g, cols_g, w_shape)
        if len(ctx.needs_input_grad) > 2 and ctx.needs_input_grad[2]:
            db = grad.sum(axis=(0, 2, 3))
        if ctx.needs_input_grad[0]:
            dcols = np.matmul(w_g.transpose(0, 2, 1), g).reshape(c, kh, kw, ho, wo, n)
            dxp = col2im(dcols, xp_shape[1:3], (kh, kw), stride, dilation)   # (C, Hp, Wp, N)
            (pt, _), (pl, _) = padding
            dx = dxp[:, pt:pt + h, pl:pl + wd].transpose(3, 0, 1, 2)           # (N, C, H, W) view
        return dx, dw, db


class ConvTranspose2d(Function):
    """The transposed convolution: the adjoint of Conv2d's input gradient, used to *upsample*.

    Every input pixel x[n, c, h, w] adds w[c, f, i, j] * x[n, c, h, w] to output pixel
    (h*s + i*d, w*s + j*d) of a full-size output, which is then cropped by ``padding`` on each
    side (and grown by ``output_padding`` at the end). In matrices: cols = W_mat^T @ X, then col2im:
    exactly how Conv2d.backward turns dL/dY into dL/dx. Shapes: x (N, C, H, W), w (C, F/groups,
    KH, KW), y (N, F, (H-1)s - 2p + d(K-1) + output_padding + 1, ...).

    Gradients (the forward is linear in x and in W):
        dL/dx     = W_mat @ im2col(dL/dy padded back to full size): a plain convolution of the
                    output gradient with the same weight;
        dL/dW_mat = X @ im2col(dL/dy)^T;
        dL/db     = dL/dy summed over N, H, W.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, w: np.ndarray, b: Optional[np.ndarray] = None,
                stride: Pair = (1, 1), padding: Pair = (0, 0), output_padding: Pair = (0, 0),
                dilation: Pair = (1, 1), groups: int = 1) -> np.ndarray:
        n, c, h, wd = x.shape
        _, fg, kh, kw = w.shape
        f = fg * groups
        full = tuple((size - 1) * s + d * (k - 1) + 1 + op for size, s, d, k, op in
                     zip((h, wd), stride, dilation, (kh, kw), output_padding))
        x_g = batch_innermost(x).reshape(groups, c // groups, h * wd * n)
        w_g = w.reshape(groups, c // groups, fg * kh * kw)
        dcols = np.matmul(w_g.transpose(0, 2, 1), x_g).reshape(f, kh, kw, h, wd, n)
        y_full = col2im(dcols, full, (kh, kw), stride, dilation)   # (F, Hf, Wf, N)
        (ph, pw) = padding
        y = y_full[:, ph:full[0] - ph, pw:full[1] - pw]
        if b is not None:
            y = y + b.reshape(f, 1, 1, 1)
        ctx.save_for_backward(x_g, w)
        ctx.geometry = (x.shape, full, stride, padding, dilation, groups)
        return y.transpose(3, 0, 1, 2)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        x_g, w = ctx.saved
        (n, c, h, wd), full, stride, (ph, pw), dilation, groups = ctx.geometry
        _, fg, kh, kw = w.shape
        g_full = np.zeros((grad.shape[1],) + full + (grad.shape[0],), dtype=grad.dtype)   # (F, Hf, Wf, N)
        g_full[:, ph:full[0] - ph, pw:full[1] - pw] = grad.transpose(1, 2, 3, 0)
        cols = im2col(g_full, (kh, kw), stride, dilation, (h, wd)).reshape(groups, fg * kh * kw, h * wd * n)
        dx = dw = db = None
        if ctx.needs_input_grad[0]:
            w_g = w.reshape(groups, c // groups, fg * kh * kw)
            dx = np.matmul(w_g, cols).reshape(c, h, wd, n).transpose(3, 0, 1, 2)
        if ctx.needs_input_grad[1]:
            dw = weight_grad(x_g, cols, w.shape)
        if len(ctx.needs_input_grad) > 2 and ctx.needs_input_grad[2]:
            db = grad.sum(axis=(0, 2, 3))
        return dx, dw, db
