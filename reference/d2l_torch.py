"""d2l's companion on PyTorch: tinygrad_edu/d2l's own source, run with its four ``# backend``
import lines swapped for torch's. The same helpers then drive either framework, which is the
project's promise made literal: the code is identical but for the imports."""
from __future__ import annotations

import sys
import types
from pathlib import Path

import tinygrad_edu.d2l as _ours

SWAPS = {
    "import tinygrad_edu as torch  # backend": "import torch  # backend",
    "from tinygrad_edu import nn  # backend": "from torch import nn  # backend",
    "from tinygrad_edu.utils import data  # backend": "from torch.utils import data  # backend",
    "import tinygrad_edu.vision as torchvision  # backend": "import torchvision  # backend",
}


def load() -> types.ModuleType:
    """The torch twin of tinygrad_edu.d2l, built once per process."""
    name = "reference._d2l_torch_twin"
    if name in sys.modules:
        return sys.modules[name]
    source = Path(_ours.__file__).read_text()
    for ours, theirs in SWAPS.items():
        if source.count(ours) != 1:
            raise RuntimeError(f"reference.d2l_torch: expected the line {ours!r} once in {_ours.__file__}")
        source = source.replace(ours, theirs)
    module = types.ModuleType(name)
    module.__file__ = _ours.__file__
    sys.modules[name] = module
    exec(compile(source, f"{_ours.__file__} (torch twin)", "exec"), module.__dict__)
    return module


def __getattr__(name: str) -> types.ModuleType:
    """``from reference.d2l_torch import d2l``: the torch twin, as a notebook's import cell takes it."""
    if name == "d2l":
        return load()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
