"""reference/check_names.py: the torch names some code uses, looked up in torch and tinygrad_edu."""
from __future__ import annotations

from pathlib import Path

from reference import check_names

CHAPTERS = Path(__file__).parent / "d2l_chapters"


def test_every_torch_name_the_chapters_use_exists_here():
    where, missing = check_names.report([str(CHAPTERS)])
    assert len(where) > 60 and "torch.nn.LazyLinear" in where and "torch.nn.functional.cross_entropy" in where
    assert missing == []


def test_the_everyday_names_an_outside_op_suite_asked_for_are_here(tmp_path):
    names = ("acosh asinh atanh copysign cummax cummin diag diagonal fmod isfinite isinf isnan lerp logaddexp "
             "logcumsumexp unflatten nonzero_static bmm baddbmm pow swapaxes swapdims").split()
    source = "import torch\n" + "\n".join(f"torch.{n}" for n in names) + "\nx.unfold\n"
    (tmp_path / "ops.py").write_text(source)
    where, missing = check_names.report([str(tmp_path)])
    assert {f"torch.{n}" for n in names} <= set(where) and missing == []


def test_a_missing_name_is_reported_with_its_aliases_resolved(tmp_path, capsys):
    (tmp_path / "a.py").write_text("import torch.nn as tnn\nfrom torch.nn import functional as G\n"
                                   "tnn.Linear; G.relu; torch.fft.fft; tnn.TransformerEncoderLayer\n")
    (tmp_path / "b.md").write_text("```{.python .input}\n%%tab pytorch\nimport torch\ntorch.special.erfcx(x)\n```\n"
                                   "```{.python .input}\n%%tab mxnet\nfrom mxnet import np\nnp.zeros(1)\n```\n")
    where, missing = check_names.report([str(tmp_path)])
    assert {"torch.nn.Linear", "torch.nn.functional.relu", "torch.fft", "torch.special"} <= set(where)
    assert "torch.fft" in missing and "torch.nn.TransformerEncoderLayer" in missing
    assert check_names.main([str(tmp_path)]) == 1
    assert "MISSING      torch.fft" in capsys.readouterr().out
