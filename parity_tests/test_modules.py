"""nn modules: torch's state_dict keys, default init ranges, and the same outputs and gradients as
the torch twin once weights are copied across."""
import numpy as np
import pytest
import torch

import tinygrad_edu as tg


def lenet(nn):
    """d2l's LeNet, written once for either library."""
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(), nn.MaxPool2d(kernel_size=2, stride=2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.Tanh(),
        nn.Linear(84, 10))


def test_state_dict_keys_and_shapes_match_torch():
    ours, theirs = lenet(tg.nn), lenet(torch.nn)
    assert [(k, v.shape) for k, v in ours.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]


def test_same_weights_give_same_outputs_and_gradients():
    ours, theirs = lenet(tg.nn), lenet(torch.nn)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((3, 1, 28, 28)).astype(np.float32)
    y, ty = ours(tg.tensor(x)), theirs(torch.tensor(x))
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-5, atol=1e-6)
    y.sum().backward()
    ty.sum().backward()
    for (name, p), tp in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-4, atol=1e-6, err_msg=name)


def test_default_init_ranges_follow_torch():
    tg.manual_seed(0)
    conv, lin = tg.nn.Conv2d(6, 16, 5), tg.nn.Linear(400, 120)
    for layer, fan_in in ((conv, 6 * 25), (lin, 400)):
        w = layer.weight.detach().numpy()
        bound = 1 / np.sqrt(fan_in)
        assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
        assert layer.weight.requires_grad and layer.weight.is_leaf


def test_load_state_dict_errors_change_nothing():
    net = tg.nn.Sequential(tg.nn.Linear(2, 3))
    before = net[0].weight.detach().numpy().copy()
    with pytest.raises(RuntimeError, match="size mismatch for 0.weight"):
        net.load_state_dict({"0.weight": np.zeros((4, 2)), "0.bias": np.zeros(3)})
    with pytest.raises(RuntimeError, match="missing keys"):
        net.load_state_dict({"0.weight": np.zeros((3, 2))})
    np.testing.assert_array_equal(net[0].weight.detach().numpy(), before)
    missing, unexpected = net.load_state_dict({"0.weight": np.zeros((3, 2)), "x": 1}, strict=False)
    assert missing == ["0.bias"] and unexpected == ["x"] and not net[0].weight.detach().numpy().any()


def test_train_eval_and_zero_grad():
    net = lenet(tg.nn)
    net.eval()
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    net(tg.randn(1, 1, 28, 28)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_parameter_keeps_float64():
    p = tg.nn.Parameter(np.zeros(3))
    assert p.dtype == np.float64 and p.requires_grad
    assert tg.nn.Parameter([1, 2]).dtype == np.float32


def test_changing_conv_weight_before_backward_is_detected():
    x = tg.randn(1, 1, 5, 5, requires_grad=True)
    conv = tg.nn.Conv2d(1, 2, 3)
    y = conv(x)
    conv.weight.data.mul_(2.0)
    with pytest.raises(RuntimeError, match="in-place"):
        y.sum().backward()


def test_dropout_train_and_eval_like_torch():
    tg.manual_seed(0)
    drop = tg.nn.Dropout(0.3)
    x = tg.ones(200, 100)
    y = drop(x).numpy()
    kept = y != 0
    assert abs(kept.mean() - 0.7) < 0.02 and np.allclose(y[kept], 1 / 0.7)
    drop.eval()
    assert drop(x) is x
    td = torch.nn.Dropout(0.3).eval()
    assert torch.equal(td(torch.ones(3)), torch.ones(3))
    with pytest.raises(ValueError, match="between 0 and 1"):
        tg.nn.Dropout(1.5)


@pytest.mark.parametrize("name", ["CrossEntropyLoss", "NLLLoss", "MSELoss", "Softmax"])
def test_loss_and_softmax_modules_match_torch(name):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4, 5)).astype(np.float32)
    if name == "MSELoss":
        b = rng.standard_normal((4, 5)).astype(np.float32)
    else:
        b = np.array([0, 4, 2, 1])
    if name == "Softmax":
        ours, theirs = tg.nn.Softmax(dim=1)(tg.tensor(a)), torch.nn.Softmax(dim=1)(torch.tensor(a))
    else:
        ours = getattr(tg.nn, name)()(tg.tensor(a), tg.tensor(b))
        theirs = getattr(torch.nn, name)()(torch.tensor(a), torch.tensor(b))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-7)


def test_init_functions_follow_torch_formulas():
    tg.manual_seed(3)
    w = tg.nn.Parameter(np.zeros((300, 200), np.float32))
    tg.nn.init.xavier_uniform_(w)
    bound = np.sqrt(6 / 500)
    assert np.abs(w.detach().numpy()).max() <= bound and np.abs(w.detach().numpy()).max() > 0.99 * bound
    tg.nn.init.kaiming_uniform_(w, a=0, nonlinearity="relu")
    assert np.abs(w.detach().numpy()).max() <= np.sqrt(2) * np.sqrt(3 / 200)
    tg.nn.init.normal_(w, 1.0, 0.01)
    assert abs(w.detach().numpy().mean() - 1.0) < 1e-3 and abs(w.detach().numpy().std() - 0.01) < 1e-3
    tg.nn.init.constant_(w, 0.5)
    assert (w.detach().numpy() == 0.5).all()
    tg.nn.init.zeros_(w)
    assert not w.detach().numpy().any() and w.requires_grad and w.is_leaf
    with pytest.raises(ValueError, match="fan in"):
        tg.nn.init.xavier_uniform_(tg.zeros(3))


def test_models_build_for_both_libraries_with_the_same_keys():
    from tinygrad_edu.models import MODELS, build
    for name in MODELS:
        ours, theirs = build(name, tg.nn), build(name, torch.nn)
        assert [(k, v.shape) for k, v in ours.state_dict().items()] == \
            [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()], name


def test_module_double_casts_parameters_in_place():
    net = tg.nn.Sequential(tg.nn.Linear(2, 3))
    w = net[0].weight
    net.double()
    assert net[0].weight is w and w.dtype == np.float64
    assert net(tg.ones(1, 2, dtype=tg.float64)).dtype == np.float64
