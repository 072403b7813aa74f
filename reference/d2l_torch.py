"""d2l's companion on PyTorch: tinygrad_edu/d2l's own source, run with its ``# backend`` import
lines swapped for torch's. The same helpers then drive either framework, which is the project's
promise made literal: the code is identical but for the imports.

The companion is a package (``__init__.py`` and one file per topic). Its twin is the package
``reference._d2l_torch_twin``, imported through a finder of its own: every file of the twin is
read from tinygrad_edu/d2l/, its backend lines swapped, and compiled afresh (never from the
bytecode cache, which holds our side's code)."""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any, Optional, Sequence

import tinygrad_edu.d2l as _ours

TWIN = "reference._d2l_torch_twin"
SWAPS = {
    "import tinygrad_edu as torch  # backend": "import torch  # backend",
    "from tinygrad_edu import nn  # backend": "from torch import nn  # backend",
    "from tinygrad_edu.utils import data  # backend": "from torch.utils import data  # backend",
    "import tinygrad_edu.vision as torchvision  # backend": "import torchvision  # backend",
    "from tinygrad_edu.nn import functional as F  # backend": "from torch.nn import functional as F  # backend",
}
FOLDER = Path(_ours.__file__).parent


def swap(source: str, where: str) -> str:
    """The source with each backend line swapped (each may appear at most once per file)."""
    for ours, theirs in SWAPS.items():
        if source.count(ours) > 1:
            raise RuntimeError(f"reference.d2l_torch: the line {ours!r} appears more than once in {where}")
        source = source.replace(ours, theirs)
    return source


class _TwinLoader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname: str) -> Any:
        source = swap(Path(self.path).read_text(), self.path)
        return compile(source, f"{self.path} (torch twin)", "exec")


class _TwinFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Optional[Sequence[str]], target: Any = None) -> Any:
        if fullname != TWIN and not fullname.startswith(TWIN + "."):
            return None
        part = fullname[len(TWIN) + 1:]
        file = FOLDER / "__init__.py" if not part else FOLDER / (part.replace(".", "/") + ".py")
        if not file.exists():
            return None
        return importlib.util.spec_from_file_location(
            fullname, file, loader=_TwinLoader(fullname, str(file)),
            submodule_search_locations=[str(FOLDER)] if not part else None)


def load() -> types.ModuleType:
    """The torch twin of tinygrad_edu.d2l, built once per process."""
    if TWIN in sys.modules:
        return sys.modules[TWIN]
    source = "".join(p.read_text() for p in sorted(FOLDER.glob("*.py")))
    for line in list(SWAPS)[:4]:  # the four every companion has
        if line not in source:
            raise RuntimeError(f"reference.d2l_torch: expected the line {line!r} in {FOLDER}")
    if not any(isinstance(f, _TwinFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _TwinFinder())
    module = importlib.import_module(TWIN)
    return module


def __getattr__(name: str) -> types.ModuleType:
    """``from reference.d2l_torch import d2l``: the torch twin, as a notebook's import cell takes it."""
    if name == "d2l":
        return load()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
