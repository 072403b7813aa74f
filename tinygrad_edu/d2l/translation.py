"""The 1.0 edition's machine translation (d2l 1.0, 10.5-10.7): the English-French data module
``MTFraEng``, the encoder-decoder interfaces, ``Seq2SeqEncoder``, ``Seq2Seq`` and ``bleu``.

A batch is ``(src, tgt_input, src_valid_len, tgt_label)``: source sentences trimmed or padded
to ``num_steps`` tokens, the target with ``<bos>`` in front (the decoder's input), the source's
count of tokens that are not ``<pad>``, and the target one token later (what the decoder must
predict).

Part of the d2l companion (``tinygrad_edu/d2l/__init__.py`` says how it is built and tested).
"""
from __future__ import annotations

import collections
import math
from typing import Any, Optional, cast

import tinygrad_edu as torch  # backend
from tinygrad_edu import nn  # backend

from .oo import Classifier, DataModule
from .plotting import plt, set_figsize
from .recurrent import GRU, _SortedVocab
from .vision_data import DATA_URL, download, extract


class MTFraEng(DataModule):
    """Tab-separated English-French sentence pairs (``fra-eng/fra.txt`` from the archive
    ``fra-eng.zip`` in ``root``): the first ``num_train`` pairs for training, the next
    ``num_val`` for validation; vocabularies of the tokens seen at least twice."""

    def _download(self) -> str:
        extract(download(DATA_URL + "fra-eng.zip", self.root, "94646ad1522d915e7b0f9296181140edcf86a4f5"))
        with open(self.root + "/fra-eng/fra.txt", encoding="utf-8") as f:
            return f.read()

    def _preprocess(self, text: str) -> str:
        """Lower case, non-breaking spaces as spaces, a space before , . ! ? where there is none."""
        text = text.replace("\u202f", " ").replace("\xa0", " ")
        lowered = text.lower()
        return "".join(" " + c if i > 0 and c in ",.!?" and text[i - 1] != " " else c
                       for i, c in enumerate(lowered))

    def _tokenize(self, text: str, max_examples: Optional[int] = None) -> tuple[list[list[str]], list[list[str]]]:
        src, tgt = [], []
        for i, line in enumerate(text.split("\n")):
            if max_examples and i > max_examples:
                break
            parts = line.split("\t")
            if len(parts) == 2:
                src.append([t for t in f"{parts[0]} <eos>".split(" ") if t])
                tgt.append([t for t in f"{parts[1]} <eos>".split(" ") if t])
        return src, tgt

    def __init__(self, batch_size: int, num_steps: int = 9, num_train: int = 512, num_val: int = 128) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.arrays, self.src_vocab, self.tgt_vocab = self._build_arrays(self._download())

    def _build_arrays(self, raw_text: str, src_vocab: Any = None, tgt_vocab: Any = None) -> tuple[Any, Any, Any]:
        def build_array(sentences: list[list[str]], vocab: Any, is_tgt: bool = False) -> tuple[Any, Any, Any]:
            def pad_or_trim(seq: list[str], t: int) -> list[str]:
                return seq[:t] if len(seq) > t else seq + ["<pad>"] * (t - len(seq))

            sentences = [pad_or_trim(s, self.num_steps) for s in sentences]
            if is_tgt:
                sentences = [["<bos>"] + s for s in sentences]
            if vocab is None:
                vocab = _SortedVocab(sentences, min_freq=2)
            array = torch.tensor([vocab[s] for s in sentences])
            valid_len = (array != vocab["<pad>"]).type(torch.int32).sum(1)
            return array, vocab, valid_len

        src, tgt = self._tokenize(self._preprocess(raw_text), self.num_train + self.num_val)
        src_array, src_vocab, src_valid_len = build_array(src, src_vocab)
        tgt_array, tgt_vocab, _ = build_array(tgt, tgt_vocab, True)
        return (src_array, tgt_array[:, :-1], src_valid_len, tgt_array[:, 1:]), src_vocab, tgt_vocab

    def get_dataloader(self, train: bool) -> Any:
        idx = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader(self.arrays, train, idx)

    def build(self, src_sentences: list[str], tgt_sentences: list[str]) -> Any:
        """The four arrays of a batch for given sentence pairs, with this data set's vocabularies."""
        raw_text = "\n".join([src + "\t" + tgt for src, tgt in zip(src_sentences, tgt_sentences)])
        arrays, _, _ = self._build_arrays(raw_text, self.src_vocab, self.tgt_vocab)
        return arrays


def show_list_len_pair_hist(legend: Any, xlabel: str, ylabel: str, xlist: Any, ylist: Any) -> None:
    """Histogram of the lengths of two lists of token lists (the book's source/target lengths)."""
    set_figsize()
    _, _, patches = plt.hist([[len(line) for line in xlist], [len(line) for line in ylist]])
    plt.xlabel(xlabel)
    plt.ylabel(ylabel)
    for patch in patches[1].patches:
        patch.set_hatch("/")
    plt.legend(legend)


class Encoder(nn.Module):
    """The encoder's interface: ``forward(X, *args)`` turns a source batch into a state."""

    def __init__(self) -> None:
        super().__init__()

    def forward(self, X: Any, *args: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.forward: an encoder must define forward(X, *args)")


class Decoder(nn.Module):
    """The decoder's interface: ``init_state`` from the encoder's outputs, then
    ``forward(X, state)`` -> (outputs, new state)."""

    def __init__(self) -> None:
        super().__init__()

    def init_state(self, enc_all_outputs: Any, *args: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.init_state: a decoder must define init_state")

    def forward(self, X: Any, state: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.forward: a decoder must define forward(X, state)")


class EncoderDecoder(Classifier):
    """An encoder and a decoder as one classifier over the target vocabulary."""

    def __init__(self, encoder: Any, decoder: Any) -> None:
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    # Two inputs (the source and the decoder's input), where d2l.Module's forward takes one.
    def forward(self, enc_X: Any, dec_X: Any, *args: Any) -> Any:  # type: ignore[override]
        enc_all_outputs = self.encoder(enc_X, *args)
        dec_state = self.decoder.init_state(enc_all_outputs, *args)
        return self.decoder(dec_X, dec_state)[0]

    def predict_step(self, batch: Any, device: Any, num_steps: int,
                     save_attention_weights: bool = False) -> tuple[Any, list[Any]]:
        """Greedy decoding: feed back the most likely token ``num_steps`` times, starting from the
        batch's first target token (``<bos>``)."""
        batch = [a.to(device) for a in batch]
        src, tgt, src_valid_len, _ = batch
        enc_all_outputs = self.encoder(src, src_valid_len)
        dec_state = self.decoder.init_state(enc_all_outputs, src_valid_len)
        outputs, attention_weights = [tgt[:, 0].unsqueeze(1)], []
        for _ in range(num_steps):
            Y, dec_state = self.decoder(outputs[-1], dec_state)
            outputs.append(Y.argmax(2))
            if save_attention_weights:
                attention_weights.append(self.decoder.attention_weights)
        return torch.cat(outputs[1:], 1), attention_weights


def init_seq2seq(module: Any) -> None:
    """Xavier-uniform weights for linear layers and for every weight matrix of a GRU."""
    if type(module) == nn.Linear:
        nn.init.xavier_uniform_(module.weight)
    if type(module) == nn.GRU:
        for param in module._flat_weights_names:
            if "weight" in param:
                nn.init.xavier_uniform_(cast(Any, module._parameters[param]))


class Seq2SeqEncoder(Encoder):
    """Embedding, then a multi-layer GRU over the source: returns all its outputs
    (num_steps, batch, num_hiddens) and its final state (num_layers, batch, num_hiddens)."""

    def __init__(self, vocab_size: int, embed_size: int, num_hiddens: int, num_layers: int,
                 dropout: float = 0) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = GRU(embed_size, num_hiddens, num_layers, dropout)
        self.apply(init_seq2seq)

    def forward(self, X: Any, *args: Any) -> Any:
        embs = self.embedding(X.t().type(torch.int64))
        outputs, state = self.rnn(embs)
        return outputs, state


class Seq2Seq(EncoderDecoder):
    """The encoder-decoder for sequence to sequence learning, trained with Adam; ``tgt_pad`` is
    the target vocabulary's ``<pad>`` index (the book's 10.7 masks it out of the loss)."""

    def __init__(self, encoder: Any, decoder: Any, tgt_pad: int, lr: float) -> None:
        super().__init__(encoder, decoder)
        self.save_hyperparameters()

    def validation_step(self, batch: Any) -> None:
        Y_hat = self(*batch[:-1])
        self.plot("loss", self.loss(Y_hat, batch[-1]), train=False)

    def configure_optimizers(self) -> Any:
        return torch.optim.Adam(self.parameters(), lr=self.lr)


def bleu(pred_seq: str, label_seq: str, k: int) -> float:
    """BLEU of a predicted sentence against one label: a brevity penalty exp(min(0, 1 -
    len_label / len_pred)) times, for n = 1..k, the n-gram precision p_n to the power 1/2^n
    (each label n-gram matches at most as often as it occurs)."""
    pred_tokens, label_tokens = pred_seq.split(" "), label_seq.split(" ")
    len_pred, len_label = len(pred_tokens), len(label_tokens)
    score = math.exp(min(0, 1 - len_label / len_pred))
    for n in range(1, min(k, len_pred) + 1):
        num_matches, label_subs = 0, collections.defaultdict[str, int](int)
        for i in range(len_label - n + 1):
            label_subs[" ".join(label_tokens[i:i + n])] += 1
        for i in range(len_pred - n + 1):
            if label_subs[" ".join(pred_tokens[i:i + n])] > 0:
                num_matches += 1
                label_subs[" ".join(pred_tokens[i:i + n])] -= 1
        score *= math.pow(num_matches / (len_pred - n + 1), math.pow(0.5, n))
    return score
