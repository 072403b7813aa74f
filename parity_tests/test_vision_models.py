"""tinygrad_edu.vision.models against torchvision.models: the same state-dict keys and shapes,
the same outputs from the same weights (written by torch.save, read without torch), and
``weights=``/``pretrained=True`` from torch's hub cache; plus torch's checkpoint format itself
(zip and legacy, float32/float16/bfloat16, shared storages and views) and its refusals."""
from __future__ import annotations

import pickle
import zipfile

import numpy as np
import pytest
import torch
import torchvision

import tinygrad_edu as tg
import tinygrad_edu.vision as tv
from tinygrad_edu.safe_pickle import UnsafePickleError
from tinygrad_edu.torch_checkpoint import CheckpointFormatError, load_torch_checkpoint

# float32 forward passes through up to 50 layers, summed in another order: a few ulps per layer,
# relative to the largest output
RTOL = 1e-5


# VGG's classifier holds 120 million weights: about 15 s per model to build, save and load on
# both sides, so the whole VGGs are compared in `make test-slow`; their convolutional part is
# compared in every run (test_vgg_features_match).
WHOLE = [("resnet18", 64), ("resnet34", 32), ("resnet50", 64), ("alexnet", 80),
         pytest.param("vgg11", 32, marks=pytest.mark.slow), pytest.param("vgg19", 32, marks=pytest.mark.slow)]


@pytest.mark.parametrize("name, size", WHOLE)
def test_model_has_torchvisions_keys_and_computes_its_outputs(name, size, tmp_path):
    torch.manual_seed(0)
    theirs = getattr(torchvision.models, name)().eval()
    ours = getattr(tv.models, name)()
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    path = tmp_path / f"{name}.pth"
    torch.save(theirs.state_dict(), path)
    ours.load_state_dict(tg.load(path))
    ours.eval()
    x = np.random.default_rng(0).standard_normal((2, 3, size, size)).astype(np.float32)
    with torch.no_grad():
        ref = theirs(torch.tensor(x)).numpy()
    out = ours(tg.tensor(x)).detach().numpy()
    assert out.shape == ref.shape == (2, 1000)
    np.testing.assert_allclose(out, ref, rtol=0, atol=RTOL * np.abs(ref).max())


@pytest.mark.parametrize("cfg", ["A", "E"])
def test_vgg_features_match(cfg):
    from torchvision.models import vgg as tv_vgg

    from tinygrad_edu.vision.models import vgg
    torch.manual_seed(0)
    theirs, ours = tv_vgg.make_layers(tv_vgg.cfgs[cfg]).eval(), vgg.make_layers(vgg.CONFIGS[cfg])
    ours.load_state_dict({k: tg.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((1, 3, 32, 32)).astype(np.float32)
    with torch.no_grad():
        ref = theirs(torch.tensor(x)).numpy()
    np.testing.assert_allclose(ours(tg.tensor(x)).detach().numpy(), ref, rtol=0, atol=RTOL * np.abs(ref).max())


def test_pretrained_weights_come_from_the_hub_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError) as info:
        tv.models.resnet18(pretrained=True)
    where = tmp_path / "hub" / "checkpoints" / "resnet18-f37072fd.pth"
    assert str(where) in str(info.value) and "does not download" in str(info.value)
    torch.manual_seed(1)
    reference = torchvision.models.resnet18()
    where.parent.mkdir(parents=True)
    torch.save(reference.state_dict(), where)
    for model in (tv.models.resnet18(pretrained=True), tv.models.resnet18(weights="DEFAULT"),
                  tv.models.resnet18(weights=tv.models.ResNet18_Weights.IMAGENET1K_V1)):
        np.testing.assert_array_equal(model.fc.weight.detach().numpy(), reference.fc.weight.detach().numpy())
    with pytest.raises(ValueError, match="no weights named 'IMAGENET'"):
        tv.models.resnet18(weights="IMAGENET")
    with pytest.raises(ValueError, match="not both"):
        tv.models.resnet18(weights="DEFAULT", pretrained=True)


def test_fine_tuning_pattern_of_the_book(tmp_path):
    """d2l 14.2: a pretrained ResNet-18's fc replaced by a new nn.Linear, which mixes freely."""
    finetune_net = tv.models.resnet18()
    finetune_net.fc = tg.nn.Linear(finetune_net.fc.in_features, 2)
    tg.nn.init.xavier_uniform_(finetune_net.fc.weight)
    out = finetune_net(tg.randn(2, 3, 32, 32))
    out.sum().backward()
    assert out.shape == (2, 2) and finetune_net.conv1.weight.grad is not None


def test_mismatched_state_dict_keys_are_refused_and_nothing_changes():
    model = tv.models.resnet18()
    before = model.fc.weight.detach().numpy().copy()
    state = dict(model.state_dict())
    state["fc.extra"] = tg.zeros(1)
    del state["bn1.running_mean"]
    state["fc.weight"] = tg.zeros(1000, 512)
    with pytest.raises((KeyError, RuntimeError)) as info:
        model.load_state_dict(state)
    assert "fc.extra" in str(info.value) and "bn1.running_mean" in str(info.value)
    np.testing.assert_array_equal(model.fc.weight.detach().numpy(), before)


@pytest.mark.parametrize("zip_format", [True, False])
def test_torch_checkpoint_reader(tmp_path, zip_format):
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    obj = {"a": base, "column": base[:, 1], "t": base.t(), "half": torch.randn(5).half(),
           "bf16": torch.tensor([1.5, -2.25]).bfloat16(), "long": torch.arange(3), "flags": torch.tensor([True, False]),
           "param": torch.nn.Parameter(torch.ones(2)), "f64": torch.randn(2, 2, dtype=torch.float64),
           "plain": [1, "x", (2.0, None)]}
    path = tmp_path / "c.pth"
    torch.save(obj, path, _use_new_zipfile_serialization=zip_format)
    out = load_torch_checkpoint(path)
    for k, v in obj.items():
        if k == "plain":
            assert out[k] == v
            continue
        expected = v.detach().float().numpy() if k == "bf16" else v.detach().numpy()
        got = out[k].detach().numpy()
        assert got.dtype == expected.dtype and got.shape == expected.shape, k
        np.testing.assert_array_equal(got, expected)
    assert isinstance(out["param"], tg.nn.Parameter) and out["param"].requires_grad
    out["column"].detach().numpy()[0] = -1  # views of one storage load as independent tensors
    assert out["a"].numpy()[0, 1] == 1


def test_corrupt_and_unsafe_checkpoints_are_refused(tmp_path):
    good = tmp_path / "good.pth"
    torch.save({"w": torch.ones(3)}, good)
    data = good.read_bytes()
    truncated = tmp_path / "truncated.pth"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointFormatError, match="truncated.pth"):
        load_torch_checkpoint(truncated)
    legacy = tmp_path / "legacy.pth"
    torch.save({"w": torch.ones(300)}, legacy, _use_new_zipfile_serialization=False)
    cut = tmp_path / "cut.pth"
    cut.write_bytes(legacy.read_bytes()[:-100])
    with pytest.raises(CheckpointFormatError, match="truncated"):
        load_torch_checkpoint(cut)

    class Evil:
        def __reduce__(self):
            return (print, ("ran code",))

    evil = tmp_path / "evil.pth"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("evil/data.pkl", pickle.dumps({"w": Evil()}, protocol=2))
        z.writestr("evil/byteorder", "little")
    with pytest.raises(UnsafePickleError, match="unexpected pickle global (builtins|__builtin__).print"):
        tg.load(evil)
