"""Names both editions of the book define differently, served by one companion: ``Residual``
(0.17: sized layers from two channel counts; 1.0: lazy layers from one), ``download`` (a
``DATA_HUB`` key or a URL) and the 1.0 edition's vocabulary order; each compared with the same
code on torch (the companion's torch twin, ``reference/d2l_torch.py``)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu as tg
from reference import d2l_torch
from tinygrad_edu import d2l


def _copy_weights(ours, theirs) -> None:
    """Our materialised block's parameters and buffers into the torch twin's (same names)."""
    state = {k: torch.from_numpy(np.array(v.detach().numpy())) for k, v in ours.state_dict().items()}
    theirs.load_state_dict(state)


@pytest.mark.parametrize("args, kwargs, out_shape", [
    ((3,), {}, (4, 3, 6, 6)),                                  # 1.0: Residual(num_channels)
    ((6,), {"use_1x1conv": True, "strides": 2}, (4, 6, 3, 3)),
    ((6, True, 2), {}, (4, 6, 3, 3)),
    ((3, 3), {}, (4, 3, 6, 6)),                                # 0.17: Residual(input_channels, num_channels)
    ((3, 6), {"use_1x1conv": True, "strides": 2}, (4, 6, 3, 3)),
    ((3,), {"num_channels": 6, "use_1x1conv": True}, (4, 6, 6, 6)),
])
def test_residual_takes_either_edition_s_arguments_and_computes_as_torch(args, kwargs, out_shape):
    twin = d2l_torch.load()
    tg.manual_seed(0)
    ours, theirs = d2l.Residual(*args, **kwargs), twin.Residual(*args, **kwargs)
    lazy = len(args) == 1 and "num_channels" not in kwargs or (len(args) > 1 and isinstance(args[1], bool))
    assert isinstance(ours.conv1, tg.nn.LazyConv2d) == lazy == isinstance(theirs.conv1, torch.nn.LazyConv2d)
    X = np.random.default_rng(0).standard_normal((4, 3, 6, 6)).astype(np.float32)
    Y = ours(tg.tensor(X))
    theirs(torch.tensor(X))  # materialises the twin's lazy layers, as ours just were
    _copy_weights(ours, theirs)
    expected = theirs(torch.tensor(X))
    assert tuple(Y.shape) == out_shape == tuple(expected.shape)
    np.testing.assert_allclose(Y.detach().numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kwargs, in_channels, out_shape", [
    ({}, 32, (2, 32, 8, 8)),                                   # the book's example: 16 per group
    ({"use_1x1conv": True, "strides": 2}, 16, (2, 32, 4, 4)),  # a stage's first block
])
def test_resnext_block_shapes_and_values_agree_with_torch(kwargs, in_channels, out_shape):
    twin = d2l_torch.load()
    ours, theirs = d2l.ResNeXtBlock(32, 16, 1, **kwargs), twin.ResNeXtBlock(32, 16, 1, **kwargs)
    X = np.random.default_rng(1).standard_normal((2, in_channels, 8, 8)).astype(np.float32)
    ours(tg.tensor(X))
    theirs(torch.tensor(X))
    _copy_weights(ours, theirs)
    assert ours.conv2.groups == theirs.conv2.groups == 2
    Y, expected = ours(tg.tensor(X)), theirs(torch.tensor(X))
    assert tuple(Y.shape) == out_shape == tuple(expected.shape)
    np.testing.assert_allclose(Y.detach().numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-5)


def test_download_takes_a_data_hub_key_or_a_url_and_says_where_a_missing_file_goes(tmp_path):
    with pytest.raises(FileNotFoundError, match="banana-detection.zip is not here"):
        d2l.download("banana-detection", str(tmp_path))
    with pytest.raises(FileNotFoundError, match=r"put it in .*fetch|fetch .*put it in"):
        d2l.download(d2l.DATA_URL + "fra-eng.zip", str(tmp_path), "94646ad1522d915e7b0f9296181140edcf86a4f5")
    with pytest.raises(KeyError, match="neither a URL nor in d2l.DATA_HUB"):
        d2l.download("no-such-set")
    # The Time Machine is shipped: a URL call finds it without a file in the folder ...
    text = open(d2l.download(d2l.DATA_URL + "timemachine.txt", str(tmp_path))).read()
    assert text.startswith("The Time Machine, by H. G. Wells")
    # ... and a file in the folder comes first (folder= is 1.0's keyword).
    (tmp_path / "timemachine.txt").write_text("a local copy")
    assert open(d2l.download(d2l.DATA_URL + "timemachine.txt", folder=str(tmp_path))).read() == "a local copy"


def test_time_machine_numbers_characters_in_sorted_order_as_the_1_0_edition():
    data = d2l.TimeMachine(batch_size=2, num_steps=5, num_train=8, num_val=4)
    assert data.vocab.idx_to_token[:3] == [" ", "<unk>", "a"]
    assert data.vocab.unk == 1 and data.vocab["ž"] == 1
    assert tuple(data.X.shape) == tuple(data.Y.shape) and data.X.shape[1] == 5
    np.testing.assert_array_equal(data.X[1:, :].numpy(), data.Y[:-1, :].numpy())
    assert len(data.train_dataloader()) == 4 and len(data.val_dataloader()) == 2
    # The 0.17 vocabulary keeps its order: most frequent first, '<unk>' at 0.
    assert d2l.Vocab(list("aab")).idx_to_token == ["<unk>", "a", "b"]


@pytest.mark.parametrize("valid_lens", [[3, 5], [[1, 2, 3, 4, 5], [5, 4, 1, 1, 2]], None])
def test_transformer_encoder_forward_and_gradients_agree_with_torch_in_float64(valid_lens):
    """The 1.0 edition's Transformer encoder (embedding, positional table, two blocks of masked
    multi-head attention, add & norm and the position-wise FFN), forward and every parameter's
    gradient under a random upstream gradient, against the same code on torch in float64.
    11.7's chapter trains it in float32, where Adam's first steps turn ulp-level differences of
    near-zero gradients into steps of size lr; here one step is compared to float64's noise."""
    twin = d2l_torch.load()
    rng = np.random.default_rng(2)
    saved = tg.get_default_dtype(), torch.get_default_dtype()
    tg.set_default_dtype(tg.float64)
    torch.set_default_dtype(torch.float64)
    try:
        ours, theirs = d2l.TransformerEncoder(30, 16, 8, 4, 2, 0.0), twin.TransformerEncoder(30, 16, 8, 4, 2, 0.0)
        tokens = rng.integers(0, 30, (2, 5))
        lens = None if valid_lens is None else np.array(valid_lens)
        ours(tg.tensor(tokens), None if lens is None else tg.tensor(lens))
        theirs(torch.tensor(tokens), None if lens is None else torch.tensor(lens))
        state = {k: rng.standard_normal(tuple(v.shape)) * 0.5  # weights off their init
                 for k, v in ours.state_dict().items()}
        ours.load_state_dict({k: tg.tensor(v) for k, v in state.items()})
        theirs.load_state_dict({k: torch.tensor(v) for k, v in state.items()})
        # the book computes the positional table in float32; both sides get the same one here
        theirs.pos_encoding.P = torch.tensor(ours.pos_encoding.P.numpy())
        Y = ours(tg.tensor(tokens), None if lens is None else tg.tensor(lens))
        expected = theirs(torch.tensor(tokens), None if lens is None else torch.tensor(lens))
        np.testing.assert_allclose(Y.detach().numpy(), expected.detach().numpy(), rtol=1e-10, atol=1e-12)
        upstream = rng.standard_normal(tuple(Y.shape))
        Y.backward(tg.tensor(upstream))
        expected.backward(torch.tensor(upstream))
        theirs_grads = dict(theirs.named_parameters())
        for name, p in ours.named_parameters():
            np.testing.assert_allclose(p.grad.numpy(), theirs_grads[name].grad.numpy(), rtol=1e-9, atol=1e-12,
                                       err_msg=name)
        for i, blk in enumerate(ours.attention_weights):
            np.testing.assert_allclose(blk.detach().numpy(), theirs.attention_weights[i].detach().numpy(),
                                       rtol=1e-10, atol=1e-12)
    finally:
        tg.set_default_dtype(saved[0])
        torch.set_default_dtype(saved[1])
