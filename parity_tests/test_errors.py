"""Bad input raises a clear Python exception that names the op and the sizes, like torch's, and
changes nothing. (The full catalogue of bad inputs grows with the robustness issue.)"""
import numpy as np
import pytest
import torch

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F

x4 = np.zeros((2, 3, 8, 8), dtype=np.float32)
w4 = np.zeros((4, 3, 3, 3), dtype=np.float32)

# (name, our call, torch call, exception type, words our message must contain)
CASES = [
    ("add shape mismatch", lambda T, F: T.ones(2, 3) + T.ones(4), RuntimeError, ["add", "(2, 3)", "(4,)"]),
    ("matmul inner dims", lambda T, F: T.ones(2, 3) @ T.ones(4, 5), RuntimeError, ["matmul", "(2, 3)", "(4, 5)"]),
    ("cat sizes", lambda T, F: T.cat([T.ones(2, 3), T.ones(2, 4)], 0), RuntimeError, ["cat", "(2, 4)"]),
    ("bad dim", lambda T, F: T.ones(2, 3).sum(5), IndexError, ["sum", "5"]),
    ("reshape size", lambda T, F: T.ones(2, 3).reshape(4, 2), RuntimeError, ["reshape", "6"]),
    ("index out of range", lambda T, F: T.ones(2, 3)[5], IndexError, ["index", "(2, 3)"]),
    ("ce float labels", lambda T, F: F.cross_entropy(T.ones(2, 3), T.ones(2)), RuntimeError, ["cross_entropy", "float"]),
    ("ce label out of range", lambda T, F: F.cross_entropy(T.ones(2, 3), T.tensor([0, 3])), IndexError, ["3", "out of bounds"]),
    ("nll target shape", lambda T, F: F.nll_loss(T.ones(2, 3), T.tensor([0, 1, 2])), ValueError, ["nll_loss", "(2,)", "(3,)"]),
    ("conv channel mismatch", lambda T, F: F.conv2d(T.tensor(x4), T.tensor(np.zeros((4, 2, 3, 3), np.float32))),
     RuntimeError, ["conv2d", "channels", "(4, 2, 3, 3)"]),
    ("conv groups", lambda T, F: F.conv2d(T.tensor(x4), T.tensor(np.zeros((4, 1, 3, 3), np.float32)), groups=2),
     RuntimeError, ["conv2d", "groups"]),
    ("conv kernel too big", lambda T, F: F.conv2d(T.tensor(x4), T.tensor(np.zeros((4, 3, 9, 9), np.float32))),
     RuntimeError, ["conv2d", "(8 x 8)"]),
    ("conv 2-D input", lambda T, F: F.conv2d(T.ones(8, 8), T.tensor(w4)), RuntimeError, ["conv2d", "(8, 8)"]),
    ("conv zero stride", lambda T, F: F.conv2d(T.tensor(x4), T.tensor(w4), stride=0), RuntimeError, ["conv2d", "stride"]),
    ("pool padding > half kernel", lambda T, F: F.max_pool2d(T.tensor(x4), 2, padding=2), RuntimeError,
     ["max_pool2d", "half"]),
    ("pool kernel too big", lambda T, F: F.avg_pool2d(T.tensor(x4), 9), RuntimeError, ["avg_pool2d", "(2, 3, 8, 8)"]),
    ("pool negative stride", lambda T, F: F.max_pool2d(T.tensor(x4), 2, stride=-1), RuntimeError, ["max_pool2d", "stride"]),
]


@pytest.mark.parametrize("name,call,exc,words", CASES, ids=[c[0] for c in CASES])
def test_bad_input_raises_clearly_and_torch_rejects_it_too(name, call, exc, words):
    with pytest.raises(exc) as info:
        call(tg, F)
    for word in words:
        assert word in str(info.value), f"{name}: {word!r} missing from {info.value}"
    with pytest.raises(Exception):
        call(torch, torch.nn.functional)


def test_failed_op_leaves_inputs_and_grads_unchanged():
    a = tg.ones(2, 3, requires_grad=True)
    (a * 2).sum().backward()
    before = a.grad.numpy().copy()
    with pytest.raises(RuntimeError):
        a @ tg.ones(4, 5)
    np.testing.assert_array_equal(a.grad.numpy(), before)
    np.testing.assert_array_equal(a.detach().numpy(), np.ones((2, 3)))
