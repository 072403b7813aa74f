"""Values cross between the backends bit for bit."""
import numpy as np
import torch

import tinygrad_edu as tg
from reference import from_torch, to_torch


def test_round_trip_is_exact_for_each_dtype():
    for dtype in (tg.float32, tg.float64):
        x = tg.randn(3, 4, dtype=dtype, requires_grad=True)
        t = to_torch(x)
        assert t.dtype == {tg.float32: torch.float32, tg.float64: torch.float64}[dtype] and t.requires_grad
        back = from_torch(t)
        np.testing.assert_array_equal(back.detach().numpy(), x.detach().numpy())
        assert back.dtype == dtype and back.requires_grad


def test_transfer_copies_rather_than_shares():
    x = tg.zeros(2)
    t = to_torch(x)
    t += 1
    assert x.numpy().sum() == 0
