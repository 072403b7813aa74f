"""tinygrad_edu.save / load: .npz without pickle, atomic writes, bit-exact round trips (model and
optimiser), clear errors for bad files, and the torch twin reading and writing the format."""
import os
import zipfile

import numpy as np
import pytest
import torch

import reference
import tinygrad_edu as tg
from tinygrad_edu.models import build


def _trained(steps=3):
    tg.manual_seed(0)
    net = build("mlp", tg.nn)
    opt = tg.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4)
    rng = np.random.default_rng(0)
    for _ in range(steps):
        X, y = tg.tensor(rng.random((8, 1, 28, 28)).astype(np.float32)), tg.tensor(rng.integers(0, 10, 8))
        loss = tg.nn.functional.cross_entropy(net(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return net, opt


def test_round_trip_is_bit_exact_including_optimizer_state(tmp_path):
    net, opt = _trained()
    path = tmp_path / "ckpt.npz"
    tg.save({"model": net.state_dict(), "optimizer": opt.state_dict(), "epoch": 3, "note": None}, path)
    back = tg.load(path)
    assert back["epoch"] == 3 and back["note"] is None
    for k, v in net.state_dict().items():
        assert back["model"][k].dtype == v.dtype and np.array_equal(back["model"][k], v.numpy())
    sd = opt.state_dict()
    assert back["optimizer"]["param_groups"] == sd["param_groups"]
    for i, s in sd["state"].items():
        assert np.array_equal(back["optimizer"]["state"][i]["momentum_buffer"], s["momentum_buffer"])
    # a restored model + optimiser continue exactly like the original
    net2, opt2 = build("mlp", tg.nn, init=False), None
    net2.load_state_dict(back["model"])
    opt2 = tg.optim.SGD(net2.parameters(), lr=1.0)
    opt2.load_state_dict(back["optimizer"])
    X, y = tg.tensor(np.ones((2, 1, 28, 28), np.float32)), tg.tensor([1, 2])
    for n, o in ((net, opt), (net2, opt2)):
        o.zero_grad()
        tg.nn.functional.cross_entropy(n(X), y).backward()
        o.step()
    for (k, a), b in zip(net.named_parameters(), net2.parameters()):
        assert np.array_equal(a.detach().numpy(), b.detach().numpy()), k


def test_write_is_atomic_a_failed_save_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.npz"
    tg.save({"w": np.arange(3.0)}, path)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(OSError, match="simulated"):
        tg.save({"w": np.zeros(3)}, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt.npz"]  # no temporary file left


def test_bad_files_raise_clear_errors(tmp_path):
    path = tmp_path / "ckpt.npz"
    tg.save({"w": np.arange(1000.0)}, path)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(path.read_bytes()[:300])
    with pytest.raises(tg.CheckpointError, match="truncated.npz.*corrupt or truncated"):
        tg.load(truncated)
    junk = tmp_path / "junk.npz"
    junk.write_bytes(os.urandom(256))
    with pytest.raises(tg.CheckpointError, match="junk.npz"):
        tg.load(junk)
    plain = tmp_path / "plain.npz"
    np.savez(plain, w=np.zeros(2))
    with pytest.raises(tg.CheckpointError, match="not a tinygrad_edu checkpoint"):
        tg.load(plain)
    with pytest.raises(tg.CheckpointError, match="not found"):
        tg.load(tmp_path / "missing.npz")


def test_loading_never_unpickles(tmp_path):
    evil = tmp_path / "evil.npz"
    with zipfile.ZipFile(evil, "w") as z:  # an object array needs pickle to load
        import io
        buf = io.BytesIO()
        np.save(buf, np.array([{"x": 1}], dtype=object), allow_pickle=True)
        z.writestr("a0.npy", buf.getvalue())
        buf = io.BytesIO()
        np.save(buf, np.frombuffer(b'{"format": 1, "object": {"__array__": "a0"}}', dtype=np.uint8))
        z.writestr("__tinygrad_edu__.npy", buf.getvalue())
    with pytest.raises(tg.CheckpointError, match="corrupt or truncated"):
        tg.load(evil)


def test_unsupported_values_are_refused_before_writing(tmp_path):
    with pytest.raises(TypeError, match="cannot store a set"):
        tg.save({"x": {1, 2}}, tmp_path / "c.npz")
    assert not list(tmp_path.iterdir())


def test_torch_twin_reads_and_writes_the_format(tmp_path):
    net, _ = _trained(1)
    path = tmp_path / "m.npz"
    tg.save(net.state_dict(), path)
    twin = reference.load_checkpoint_into_torch(str(path), reference.build_torch("mlp", init=False))
    x = np.random.default_rng(1).random((3, 1, 28, 28)).astype(np.float32)
    np.testing.assert_allclose(twin(torch.tensor(x)).detach().numpy(), net(tg.tensor(x)).detach().numpy(),
                               rtol=1e-6, atol=1e-6)
    torch.manual_seed(5)
    other = reference.build_torch("mlp")
    reference.save_torch_state_dict(other, str(tmp_path / "t.npz"))
    ours = build("mlp", tg.nn, init=False)
    ours.load_state_dict(tg.load(tmp_path / "t.npz"))
    for (k, p), tp in zip(ours.named_parameters(), other.parameters()):
        assert np.array_equal(p.detach().numpy(), tp.detach().numpy()), k
