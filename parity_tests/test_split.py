"""split, chunk and abs(): torch's refusals, with torch's words, before anything is computed."""
from __future__ import annotations

import pytest
import torch  # noqa: F401  (the expressions below are evaluated with it)

import tinygrad_edu as tg

BAD = [
    ("zeros(3).split(-1)", "split expects split_size be non-negative"),
    ("zeros(3).split([1, -1, 3])", "split_with_sizes expects split_sizes have only non-negative entries"),
    ("zeros(3).split([1, 1])", "split_with_sizes expects split_sizes to sum exactly to 3"),
    ("zeros(3).split(0)", "split_size can only be 0 if dimension size is 0"),
    ("zeros(()).split(1)", "split expects at least a 1-dimensional tensor"),
    ("zeros(3).chunk(0)", "chunk expects `chunks` to be greater than 0, got: 0"),
    ("zeros(()).chunk(1)", "chunk expects at least a 1-dimensional tensor"),
    ("zeros(3, 2).split(1, dim=2)", "out of range"),
]


@pytest.mark.parametrize("expr,words", BAD)
def test_bad_splits_raise_as_torch_does(expr, words):
    with pytest.raises(Exception) as theirs:
        eval("torch." + expr)
    with pytest.raises(type(theirs.value), match=words.replace("[", r"\[").replace("]", r"\]")):
        eval("tg." + expr)
    assert words in str(theirs.value)


def test_split_pieces_are_views_whose_gradients_go_home():
    x = tg.arange(6.0, requires_grad=True)
    a, b, c = x.split([1, 2, 3])
    (a.sum() * 1 + b.sum() * 2 + c.sum() * 3).backward()
    assert x.grad.tolist() == [1.0, 2.0, 2.0, 3.0, 3.0, 3.0]
    assert isinstance(tg.split(x, 4), tuple) and [t.shape[0] for t in tg.split(x, 4)] == [4, 2]
