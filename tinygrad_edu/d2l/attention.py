"""The 1.0 edition's attention (d2l 1.0, chapter 11): ``show_heatmaps``, ``masked_softmax``,
``DotProductAttention``, ``AdditiveAttention``, ``AttentionDecoder``, ``MultiHeadAttention``,
``PositionalEncoding``, ``PositionWiseFFN``, ``AddNorm``, ``TransformerEncoderBlock`` and
``TransformerEncoder``.

Shapes follow the book: queries (batch, no. of queries, d), keys (batch, no. of key-value pairs,
d), values (batch, no. of pairs, value dim); ``valid_lens`` (batch,) or (batch, no. of queries)
says how many keys each query may look at.

Part of the d2l companion (``tinygrad_edu/d2l/__init__.py`` says how it is built and tested).
"""
from __future__ import annotations

import math
from typing import Any, Optional, cast

import tinygrad_edu as torch  # backend
from tinygrad_edu import nn  # backend

from .oo import Module
from .plotting import plt, use_svg_display
from .translation import Decoder, Encoder


def show_heatmaps(matrices: Any, xlabel: str, ylabel: str, titles: Optional[list[str]] = None,
                  figsize: tuple[float, float] = (2.5, 2.5), cmap: str = "Reds") -> None:
    """One heatmap per matrix of a (rows, columns, n, m) tensor, with one colour bar."""
    use_svg_display()
    num_rows, num_cols, _, _ = matrices.shape
    fig, axes = plt.subplots(num_rows, num_cols, figsize=figsize, sharex=True, sharey=True, squeeze=False)
    for i, (row_axes, row_matrices) in enumerate(zip(axes, matrices)):
        for j, (ax, matrix) in enumerate(zip(row_axes, row_matrices)):
            pcm = ax.imshow(matrix.detach().numpy(), cmap=cmap)
            if i == num_rows - 1:
                ax.set_xlabel(xlabel)
            if j == 0:
                ax.set_ylabel(ylabel)
            if titles:
                ax.set_title(titles[j])
    fig.colorbar(pcm, ax=axes, shrink=0.6)


def masked_softmax(X: Any, valid_lens: Any) -> Any:
    """Softmax over the last axis of a 3-D ``X`` in which the entries past each row's valid
    length are replaced by -1e6 first (so that their weight is 0)."""
    def _sequence_mask(X: Any, valid_len: Any, value: float = 0) -> Any:
        maxlen = X.size(1)
        mask = torch.arange(maxlen, dtype=torch.float32, device=X.device)[None, :] < valid_len[:, None]
        X[~mask] = value
        return X

    if valid_lens is None:
        return nn.functional.softmax(X, dim=-1)
    shape = X.shape
    if valid_lens.dim() == 1:
        valid_lens = torch.repeat_interleave(valid_lens, shape[1])
    else:
        valid_lens = valid_lens.reshape(-1)
    X = _sequence_mask(X.reshape(-1, shape[-1]), valid_lens, value=-1e6)
    return nn.functional.softmax(X.reshape(shape), dim=-1)


class DotProductAttention(nn.Module):
    """Scaled dot-product attention: softmax(Q K^T / sqrt(d)) V, the weights masked by
    ``valid_lens`` and dropped out."""

    def __init__(self, dropout: float) -> None:
        super().__init__()
        self.dropout = nn.Dropout(dropout)

    def forward(self, queries: Any, keys: Any, values: Any, valid_lens: Any = None) -> Any:
        d = queries.shape[-1]
        scores = torch.bmm(queries, keys.transpose(1, 2)) / math.sqrt(d)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return torch.bmm(self.dropout(self.attention_weights), values)


class AdditiveAttention(nn.Module):
    """Additive attention: the score of query q and key k is w_v^T tanh(W_q q + W_k k)."""

    def __init__(self, num_hiddens: int, dropout: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.W_k = nn.LazyLinear(num_hiddens, bias=False)
        self.W_q = nn.LazyLinear(num_hiddens, bias=False)
        self.w_v = nn.LazyLinear(1, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, queries: Any, keys: Any, values: Any, valid_lens: Any) -> Any:
        queries, keys = self.W_q(queries), self.W_k(keys)
        # (batch, queries, 1, h) + (batch, 1, pairs, h): every query with every key
        features = torch.tanh(queries.unsqueeze(2) + keys.unsqueeze(1))
        scores = self.w_v(features).squeeze(-1)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return torch.bmm(self.dropout(self.attention_weights), values)


class AttentionDecoder(Decoder):
    """The interface of a decoder with attention: it also exposes ``attention_weights``."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def attention_weights(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.attention_weights: define the property")


class MultiHeadAttention(Module):
    """``num_heads`` scaled dot-product attentions over learned projections of the queries, keys
    and values (``num_hiddens / num_heads`` features each), run as one batched attention and
    concatenated through ``W_o``."""

    def __init__(self, num_hiddens: int, num_heads: int, dropout: float, bias: bool = False, **kwargs: Any) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.attention = DotProductAttention(dropout)
        self.W_q = nn.LazyLinear(num_hiddens, bias=bias)
        self.W_k = nn.LazyLinear(num_hiddens, bias=bias)
        self.W_v = nn.LazyLinear(num_hiddens, bias=bias)
        self.W_o = nn.LazyLinear(num_hiddens, bias=bias)

    def forward(self, queries: Any, keys: Any, values: Any, valid_lens: Any) -> Any:  # type: ignore[override]
        queries = self.transpose_qkv(self.W_q(queries))
        keys = self.transpose_qkv(self.W_k(keys))
        values = self.transpose_qkv(self.W_v(values))
        if valid_lens is not None:
            # each example's valid lengths once per head, in the order transpose_qkv lays them
            valid_lens = torch.repeat_interleave(valid_lens, repeats=self.num_heads, dim=0)
        output = self.attention(queries, keys, values, valid_lens)
        return self.W_o(self.transpose_output(output))

    def transpose_qkv(self, X: Any) -> Any:
        """(batch, n, num_hiddens) -> (batch * num_heads, n, num_hiddens / num_heads)."""
        X = X.reshape(X.shape[0], X.shape[1], self.num_heads, -1)
        X = X.permute(0, 2, 1, 3)
        return X.reshape(-1, X.shape[2], X.shape[3])

    def transpose_output(self, X: Any) -> Any:
        """The inverse of ``transpose_qkv``."""
        X = X.reshape(-1, self.num_heads, X.shape[1], X.shape[2])
        X = X.permute(0, 2, 1, 3)
        return X.reshape(X.shape[0], X.shape[1], -1)


class PositionalEncoding(nn.Module):
    """Adds P[i, 2j] = sin(i / 10000^(2j/d)), P[i, 2j+1] = cos(i / 10000^(2j/d)) to the
    inputs, then dropout."""

    def __init__(self, num_hiddens: int, dropout: float, max_len: int = 1000) -> None:
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.P = torch.zeros((1, max_len, num_hiddens))
        X = torch.arange(max_len, dtype=torch.float32).reshape(-1, 1) / torch.pow(
            10000, torch.arange(0, num_hiddens, 2, dtype=torch.float32) / num_hiddens)
        self.P[:, :, 0::2] = torch.sin(X)
        self.P[:, :, 1::2] = torch.cos(X)

    def forward(self, X: Any) -> Any:
        X = X + self.P[:, :X.shape[1], :].to(X.device)
        return self.dropout(X)


class PositionWiseFFN(nn.Module):
    """The same two-layer MLP (ReLU between) at every position."""

    def __init__(self, ffn_num_hiddens: int, ffn_num_outputs: int) -> None:
        super().__init__()
        self.dense1 = nn.LazyLinear(ffn_num_hiddens)
        self.relu = nn.ReLU()
        self.dense2 = nn.LazyLinear(ffn_num_outputs)

    def forward(self, X: Any) -> Any:
        return self.dense2(self.relu(self.dense1(X)))


class AddNorm(nn.Module):
    """LayerNorm(X + dropout(Y)): the residual connection and layer normalisation."""

    def __init__(self, norm_shape: Any, dropout: float) -> None:
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.ln = nn.LayerNorm(norm_shape)

    def forward(self, X: Any, Y: Any) -> Any:
        return self.ln(self.dropout(Y) + X)


class TransformerEncoderBlock(nn.Module):
    """Multi-head self-attention and a position-wise FFN, each followed by ``AddNorm``."""

    def __init__(self, num_hiddens: int, ffn_num_hiddens: int, num_heads: int, dropout: float,
                 use_bias: bool = False) -> None:
        super().__init__()
        self.attention = MultiHeadAttention(num_hiddens, num_heads, dropout, use_bias)
        self.addnorm1 = AddNorm(num_hiddens, dropout)
        self.ffn = PositionWiseFFN(ffn_num_hiddens, num_hiddens)
        self.addnorm2 = AddNorm(num_hiddens, dropout)

    def forward(self, X: Any, valid_lens: Any) -> Any:
        Y = self.addnorm1(X, self.attention(X, X, X, valid_lens))
        return self.addnorm2(Y, self.ffn(Y))


class TransformerEncoder(Encoder):
    """Embedding (scaled by sqrt(num_hiddens)) plus positional encoding, then ``num_blks``
    encoder blocks; each block's attention weights are kept in ``attention_weights``."""

    def __init__(self, vocab_size: int, num_hiddens: int, ffn_num_hiddens: int, num_heads: int,
                 num_blks: int, dropout: float, use_bias: bool = False) -> None:
        super().__init__()
        self.num_hiddens = num_hiddens
        self.embedding = nn.Embedding(vocab_size, num_hiddens)
        self.pos_encoding = PositionalEncoding(num_hiddens, dropout)
        self.blks = nn.Sequential()
        for i in range(num_blks):
            self.blks.add_module("block" + str(i), TransformerEncoderBlock(
                num_hiddens, ffn_num_hiddens, num_heads, dropout, use_bias))

    def forward(self, X: Any, valid_lens: Any) -> Any:  # type: ignore[override]
        X = self.pos_encoding(self.embedding(X) * math.sqrt(self.num_hiddens))
        self.attention_weights: list[Any] = [None] * len(self.blks)
        for i, blk in enumerate(self.blks):
            X = blk(X, valid_lens)
            self.attention_weights[i] = cast(Any, blk).attention.attention.attention_weights
        return X
