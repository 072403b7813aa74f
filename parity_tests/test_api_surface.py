"""The torch API surface d2l's chapters use, beyond the op catalogue: devices, keyword aliases,
factories, modules and containers, torch.utils.data, distributions, save/load. Each behaviour is
checked against torch where torch has it, and the CPU-only answers are checked to be honest."""
from __future__ import annotations

import io
from collections import OrderedDict

import numpy as np
import pytest
import torch

import tinygrad_edu as tg
from tinygrad_edu.utils import data as tdata


# ----------------------------------------------------------------------------- devices

def test_cuda_answers_honestly_and_cpu_works():
    assert tg.cuda.is_available() is False and tg.cuda.device_count() == 0
    x = tg.ones(2, 3)
    assert x.device == "cpu" and x.device == tg.device("cpu") and str(x.device) == "cpu"
    assert x.to("cpu") is x and x.to(tg.device("cpu:0")) is x and x.cpu() is x and not x.is_cuda
    assert x.to("cpu", tg.float64).dtype == np.float64 and x.to(tg.zeros(1, dtype=tg.int64)).dtype == np.int64


@pytest.mark.parametrize("call", [
    lambda: tg.ones(2).to("cuda"), lambda: tg.ones(2).to(tg.device("cuda", 0)), lambda: tg.ones(2).cuda(),
    lambda: tg.zeros(2, device="cuda"), lambda: tg.tensor([1.0], device="cuda:0"), lambda: tg.ones(2).to(0),
    lambda: tg.nn.Linear(2, 2).to("cuda"), lambda: tg.cuda.synchronize(),
], ids=["to-cuda", "to-device", "cuda()", "zeros", "tensor", "to-index", "module", "synchronize"])
def test_cuda_requests_fail_with_a_clear_reason(call):
    with pytest.raises(RuntimeError, match="(?i)numpy|cuda"):
        call()


def test_d2l_try_gpu_picks_the_cpu():
    def try_gpu(i=0):  # d2l's own code
        if tg.cuda.device_count() >= i + 1:
            return tg.device(f"cuda:{i}")
        return tg.device("cpu")
    assert try_gpu() == tg.device("cpu")
    assert tg.ones(2, device=try_gpu()).device == "cpu"


# ----------------------------------------------------------------------------- aliases and factories

def test_numpy_style_keywords_mean_what_torch_means():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4) % 5
    for ours, theirs in [
        (lambda T: T.tensor(x).sum(axis=1, keepdims=True), None),
        (lambda T: T.tensor(x).argmax(axis=1), None),
        (lambda T: T.tensor(x).max(axis=2)[0], None),
        (lambda T: T.tensor(x).mean(axis=0), None),
        (lambda T: T.sum(T.tensor(x), axis=(0, 2)), None),
        (lambda T: T.cat([T.tensor(x), T.tensor(x)], axis=1), None),
        (lambda T: T.tensor(x).cumsum(axis=0), None),
    ]:
        np.testing.assert_array_equal(ours(tg).numpy(), ours(torch).numpy())
    with pytest.raises(TypeError, match="alias"):
        tg.tensor(x).sum(dim=0, axis=1)


def test_size_keyword_of_factories():
    assert tg.zeros(size=(2, 3)).shape == tuple(torch.zeros(size=(2, 3)).shape)
    assert tg.ones(size=[4]).shape == (4,)
    assert tg.rand(size=(2, 2)).shape == (2, 2) and tg.randn(size=(3,)).shape == (3,)
    assert tg.normal(0, 1, size=(2, 5)).shape == (2, 5)
    assert tg.normal(0, 0.01, size=(2, 1), requires_grad=True).requires_grad
    with pytest.raises(TypeError):
        tg.zeros(2, size=(2, 3))


def test_factories_match_torch():
    np.testing.assert_array_equal(tg.eye(3, 4).numpy(), torch.eye(3, 4).numpy())
    np.testing.assert_allclose(tg.linspace(-1, 2, 7).numpy(), torch.linspace(-1, 2, 7).numpy(), rtol=1e-6)
    r = tg.randint(2, 5, (1000,))
    assert r.dtype == np.int64 and r.min().item() == 2 and r.max().item() == 4
    assert tg.randint(3, (2, 2)).shape == (2, 2)
    assert tg.full_like(tg.ones(2), 7.0).tolist() == [7.0, 7.0] and tg.empty(2, 3).shape == (2, 3)
    assert tg.is_tensor(tg.ones(1)) and not tg.is_tensor(np.ones(1)) and tg.numel(tg.ones(2, 3)) == 6
    assert tg.ones(2, 3).size() == tg.Size([2, 3]) and tg.Size([2, 3]).numel() == 6
    assert (tg.float, tg.long, tg.int, tg.double, tg.bool) == (np.float32, np.int64, np.int32, np.float64, np.bool_)
    assert tg.ones(2, dtype=tg.long).dtype == np.int64


def test_max_and_min_of_two_tensors_are_elementwise():
    a, b = np.array([1.0, -2.0, 3.0]), np.array([0.0, 0.0, 5.0])
    for fn in ("max", "min"):
        ours = getattr(tg, fn)(tg.tensor(a), tg.tensor(b))
        theirs = getattr(torch, fn)(torch.tensor(a), torch.tensor(b))
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_set_grad_enabled_as_call_and_context():
    with tg.set_grad_enabled(False):
        assert not tg.is_grad_enabled()
    assert tg.is_grad_enabled()
    tg.set_grad_enabled(False)
    try:
        assert not (tg.ones(1, requires_grad=True) * 2).requires_grad
    finally:
        tg.set_grad_enabled(True)


# ----------------------------------------------------------------------------- modules

def _nets(lib):
    nn = lib.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("scale", lib.ones(3))
            self.register_buffer("cache", lib.zeros(1), persistent=False)
            self.lin = nn.Linear(3, 3)
            self.extra = nn.ParameterList([nn.Parameter(lib.zeros(2)), nn.Parameter(lib.ones(1))])

    net = nn.Sequential(nn.Linear(4, 3), Block(), nn.ModuleList([nn.Identity(), nn.Linear(3, 2)]))
    net.add_module("heads", nn.ModuleDict({"a": nn.Linear(2, 1), "b": nn.ReLU()}))
    return net


def test_state_dict_keys_and_order_match_torch_with_buffers_and_containers():
    ours, theirs = _nets(tg), _nets(torch)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    ours.load_state_dict({k: tg.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    for (k, a), (_, b) in zip(ours.state_dict().items(), theirs.state_dict().items()):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=k)


def test_apply_visits_modules_in_torch_order():
    seen = {}
    for lib in (tg, torch):
        names: list[str] = []
        _nets(lib).apply(lambda m, names=names: names.append(type(m).__name__))
        seen[lib.__name__] = names
    assert seen["tinygrad_edu"] == seen["torch"]


def test_d2l_init_weights_through_apply():
    def init_weights(m, nn):  # d2l 5.2, with nn passed in
        if type(m) == nn.Linear:
            nn.init.normal_(m.weight, mean=0, std=0.01)
            nn.init.zeros_(m.bias)
    net = tg.nn.Sequential(tg.nn.Linear(4, 8), tg.nn.ReLU(), tg.nn.Linear(8, 1))
    net.apply(lambda m: init_weights(m, tg.nn))
    assert net[0].bias.abs().sum().item() == 0 and 0 < net[0].weight.abs().max().item() < 0.1


@pytest.mark.parametrize("make", [
    lambda nn: nn.LazyLinear(5), lambda nn: nn.LazyConv2d(4, kernel_size=3, padding=1)], ids=["linear", "conv"])
def test_lazy_modules_take_their_input_size_from_the_first_batch(make):
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 6)).astype(np.float32)
    shapes = {}
    for lib in (tg, torch):
        m = make(lib.nn)
        inp = lib.tensor(x.reshape(2, -1) if isinstance(m, (tg.nn.LazyLinear, torch.nn.LazyLinear)) else x)
        out = m(inp)
        shapes[lib.__name__] = (tuple(out.shape), [tuple(p.shape) for p in m.parameters()])
    assert shapes["tinygrad_edu"] == shapes["torch"]


def test_sequential_from_an_ordered_dict_and_slicing():
    net = tg.nn.Sequential(OrderedDict([("fc", tg.nn.Linear(2, 3)), ("act", tg.nn.ReLU())]))
    assert list(net.state_dict()) == ["fc.weight", "fc.bias"] and isinstance(net[:1], tg.nn.Sequential)


# ----------------------------------------------------------------------------- torch.utils.data

def test_d2l_load_array_over_tensor_dataset():
    X, y = tg.randn(103, 2), tg.arange(103)

    def load_array(data_arrays, batch_size, is_train=True):  # d2l 3.3, unchanged
        dataset = tdata.TensorDataset(*data_arrays)
        return tdata.DataLoader(dataset, batch_size, shuffle=is_train)
    batches = list(load_array((X, y), 10))
    assert len(batches) == 11 and batches[-1][0].shape == (3, 2)
    assert sorted(np.concatenate([b[1].numpy() for b in batches]).tolist()) == list(range(103))
    rows = np.concatenate([b[0].numpy() for b in batches])
    order = np.concatenate([b[1].numpy() for b in batches])
    np.testing.assert_array_equal(rows, X.numpy()[order])


def test_dataloader_options():
    ds = tdata.TensorDataset(tg.arange(10))
    assert [len(b[0]) for b in tdata.DataLoader(ds, 4, drop_last=True)] == [4, 4]
    g1, g2 = tg.Generator().manual_seed(3), tg.Generator().manual_seed(3)
    a = [b[0].tolist() for b in tdata.DataLoader(ds, 4, shuffle=True, generator=g1, num_workers=4)]
    b = [b[0].tolist() for b in tdata.DataLoader(ds, 4, shuffle=True, generator=g2)]
    assert a == b and sorted(sum(a, [])) == list(range(10))
    with pytest.raises(ValueError, match="batch_size"):
        tdata.DataLoader(ds, 0)
    with pytest.raises(ValueError, match="size mismatch"):
        tdata.TensorDataset(tg.ones(3), tg.ones(4))


def test_custom_dataset_and_random_split():
    class Squares(tdata.Dataset):
        def __len__(self):
            return 7

        def __getitem__(self, i):
            return tg.tensor([float(i)]), i * i

    xs, ys = next(iter(tdata.DataLoader(Squares(), batch_size=7)))
    assert xs.shape == (7, 1) and ys.tolist() == [i * i for i in range(7)]
    parts = tdata.random_split(Squares(), [5, 2], generator=tg.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [5, 2]
    assert sorted(parts[0].indices + parts[1].indices) == list(range(7))


# ----------------------------------------------------------------------------- distributions

def test_multinomial_as_d2l_samples():
    from tinygrad_edu.distributions import multinomial
    tg.manual_seed(0)
    fair_probs = tg.ones([6]) / 6
    one = multinomial.Multinomial(1, fair_probs).sample()
    assert one.shape == (6,) and one.sum().item() == 1
    counts = multinomial.Multinomial(1000, fair_probs).sample((50,))
    assert counts.shape == (50, 6) and np.all(counts.sum(dim=1).numpy() == 1000)
    freq = counts.sum(dim=0) / 50000
    assert np.abs(freq.numpy() - 1 / 6).max() < 0.01
    with pytest.raises(ValueError):
        multinomial.Multinomial(1, tg.tensor([-1.0, 2.0]))


# ----------------------------------------------------------------------------- save / load

def test_save_and_load_as_d2l_5_5(tmp_path):
    x = tg.arange(4)
    tg.save(x, tmp_path / "x-file")
    x2 = tg.load(tmp_path / "x-file")
    assert isinstance(x2, tg.Tensor) and x2.tolist() == [0, 1, 2, 3]
    y = tg.zeros(4)
    tg.save([x, y], tmp_path / "x-files")
    x2, y2 = tg.load(tmp_path / "x-files")
    assert y2.tolist() == [0.0] * 4
    tg.save({"x": x, "y": y}, tmp_path / "mydict")
    assert set(tg.load(tmp_path / "mydict")) == {"x", "y"}
    net = tg.nn.Sequential(tg.nn.Linear(3, 2))
    tg.save(net.state_dict(), tmp_path / "mlp.params")
    clone = tg.nn.Sequential(tg.nn.Linear(3, 2))
    clone.load_state_dict(tg.load(tmp_path / "mlp.params", map_location="cpu", weights_only=True))
    np.testing.assert_array_equal(clone[0].weight.detach().numpy(), net[0].weight.detach().numpy())
    buffer = io.BytesIO()
    tg.save(tg.ones(2, requires_grad=True), buffer)
    buffer.seek(0)
    back = tg.load(buffer)
    assert back.requires_grad and back.tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="cuda"):
        tg.load(tmp_path / "x-file", map_location="cuda")


def test_numpy_array_copies_and_asarray_shares_as_with_torch():
    """np.array(t) is a copy (writing into it leaves t alone); np.asarray(t) shares memory, as for
    a CPU torch tensor. (np.array used to hand out the tensor's own buffer.)"""
    for lib in (tg, torch):
        t = lib.tensor([1.0, 2.0])
        copied = np.array(t)
        copied[0] = 99.0
        assert float(t[0]) == 1.0, lib.__name__
        shared = np.asarray(t)
        shared[1] = 7.0
        assert float(t[1]) == 7.0, lib.__name__
        assert np.array(t, dtype=np.float64).dtype == np.float64


def test_data_parallel_without_gpus_runs_the_module_as_torch_does():
    """nn.DataParallel on a machine without CUDA (torch's own behaviour there): the same outputs
    and gradients, parameters under 'module.', state dicts that load across."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3)).astype(np.float32)
    nets = {lib: lib.nn.DataParallel(lib.nn.Sequential(lib.nn.Linear(3, 2)), device_ids=[lib.device("cpu")])
            for lib in (tg, torch)}
    assert list(nets[tg].state_dict()) == list(nets[torch].state_dict()) == ["module.0.weight", "module.0.bias"]
    nets[torch].load_state_dict({k: torch.tensor(v.numpy()) for k, v in nets[tg].state_dict().items()})
    outs = {lib: net(lib.tensor(x)) for lib, net in nets.items()}
    for lib, out in outs.items():
        out.sum().backward()
    np.testing.assert_allclose(outs[tg].detach().numpy(), outs[torch].detach().numpy(), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(nets[tg].module[0].weight.grad.numpy(), nets[torch].module[0].weight.grad.numpy())
    with pytest.raises(TypeError, match="DataParallel"):
        tg.nn.DataParallel("not a module")
