"""Execute the notebooks in notebooks/ in a real Jupyter kernel (nbclient + ipykernel), on either
backend, and read back what they show.

The notebooks are MyST Markdown files paired with Jupyter by jupytext. Each chapter notebook has a
cell tagged ``parameters`` (the backend and the run's sizes) and a cell tagged ``imports``. Like
papermill, ``execute`` adds a cell after the parameters cell that sets new values; with
``referee=True`` it also adds, after the imports cell, the cell that makes a run comparable with
the same notebook on torch: both frameworks seeded, tinygrad_edu drawing its random numbers from
torch's generator (so both start from identical weights), and the d2l companion serving a few fixed
batches of the bundled sample (``d2l_compat``). The reader's notebook itself stays the book's code.

    python -m parity_tests.notebooks notebooks/ch03_6_softmax_scratch.md --backend torch --out nb.ipynb
"""
from __future__ import annotations

import argparse
import atexit
import json
import os
import time
from pathlib import Path
from typing import Any, Optional

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

REFEREE_CELL = """\
from parity_tests.notebooks import same_weights_and_batches
d2l = same_weights_and_batches(d2l, torch, dtype={dtype!r}, perturb={perturb!r})"""

SUMMARY_CELL = "import json as _json\nprint(_json.dumps(summary, default=float))"


_KEPT: list[Any] = []


def same_weights_and_batches(d2l: Any, lib: Any, dtype: str = "float32", perturb: bool = False,
                             seed: int = 0) -> Any:
    """Run inside the kernel after the imports: seed everything, let tinygrad_edu draw from torch's
    generator, and return the companion serving fixed batches (see d2l_compat). ``dtype``: both
    frameworks' default float dtype for the rest of the kernel's life ('float64': the same run at
    double precision, torch drawing float32 numbers as in the float32 run; d2l_compat.float32_draws).
    ``perturb``: every float32 image served and every number torch's random functions return move
    by one ulp (d2l_compat.perturbed_images; the calibration run of the float32 comparisons)."""
    import random

    import numpy as np
    import torch

    import tinygrad_edu
    from tinygrad_edu import creation

    from . import d2l_compat
    from .d2l_compat import TorchRNG, _with_fixed_data
    if dtype != "float32":  # left on (and kept referenced) until the kernel ends with the notebook
        _KEPT.extend([d2l_compat.default_float(dtype), d2l_compat.float32_draws()])
        for context in _KEPT:
            context.__enter__()
        atexit.register(lambda: [context.__exit__(None, None, None) for context in reversed(_KEPT)])
    if perturb:
        d2l_compat._PERTURB[0] = np.random.default_rng(seed)
        _perturb_torch_draws(np.random.default_rng(seed + 1))
    torch.manual_seed(seed)
    tinygrad_edu.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002  (the book's helpers use NumPy's and Python's global generators)
    if lib is tinygrad_edu:
        creation._rng = TorchRNG()  # type: ignore[assignment]  (for the rest of this kernel's life)
    return _with_fixed_data(d2l, lib)


def _perturb_torch_draws(rng: Any) -> None:
    """torch's random factories and in-place initialisers return their numbers moved by one ulp
    (up or down at random), for the rest of the kernel's life: initial weights one rounding apart."""
    import torch

    from .harness import one_ulp_apart

    def moved(t: Any) -> Any:
        if not t.is_floating_point():
            return t
        with torch.no_grad():
            return t.copy_(torch.from_numpy(one_ulp_apart(t.detach().cpu().numpy(), rng)))

    def factory(draw: Any) -> Any:
        def make(*args: Any, **kwargs: Any) -> Any:
            return moved(draw(*args, **kwargs))
        return make

    def in_place(fill: Any) -> Any:
        def fill_(self: Any, *args: Any, **kwargs: Any) -> Any:
            return moved(fill(self, *args, **kwargs))
        return fill_

    torch.rand, torch.randn, torch.normal = factory(torch.rand), factory(torch.randn), factory(torch.normal)
    torch.Tensor.uniform_, torch.Tensor.normal_ = in_place(torch.Tensor.uniform_), in_place(torch.Tensor.normal_)


def notebook_names() -> list[str]:
    return sorted(p.stem for p in NOTEBOOKS.glob("*.md"))


def read(name: str) -> nbformat.NotebookNode:
    return jupytext.read(NOTEBOOKS / f"{name}.md")


def _tagged(nb: nbformat.NotebookNode, tag: str) -> Optional[int]:
    for i, cell in enumerate(nb.cells):
        if tag in cell.get("metadata", {}).get("tags", []):
            return i
    return None


def execute(name: str, backend: str = "tinygrad_edu", params: Optional[dict[str, Any]] = None,
            referee: bool = False, dtype: str = "float32", perturb: bool = False, timeout: int = 600) -> tuple[nbformat.NotebookNode, dict[str, Any], float]:
    """Run notebook ``name`` on ``backend`` in a fresh kernel; returns the executed notebook, the
    ``summary`` its last cell shows (as JSON values) and the seconds it took."""
    nb = read(name)
    at = _tagged(nb, "parameters")
    if at is not None:
        values = {"BACKEND": backend, **(params or {})}
        source = "\n".join(f"{k} = {v!r}" for k, v in values.items())
        nb.cells.insert(at + 1, nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]}))
    elif backend != "tinygrad_edu" or params:
        raise ValueError(f"{name}: this notebook has no parameters cell, so it runs only as written")
    if referee:
        imports = _tagged(nb, "imports")
        if imports is None:
            raise ValueError(f"{name}: referee=True needs a cell tagged 'imports'")
        nb.cells.insert(imports + 1, nbformat.v4.new_code_cell(REFEREE_CELL.format(dtype=dtype, perturb=perturb), metadata={"tags": ["referee"]}))
    nb.cells.append(nbformat.v4.new_code_cell(SUMMARY_CELL, metadata={"tags": ["summary"]}))
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), saved]))  # the kernel imports this tree
    start = time.perf_counter()
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved
    seconds = time.perf_counter() - start
    summary_out = nb.cells.pop()
    summary = json.loads("".join(o.get("text", "") for o in summary_out.outputs if o.output_type == "stream"))
    return nb, summary, seconds


def images(cell: nbformat.NotebookNode) -> list[str]:
    """The image formats a cell displayed."""
    return [kind for out in cell.get("outputs", []) if out.output_type in ("display_data", "execute_result")
            for kind in out.get("data", {}) if kind.startswith("image/")]


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="execute a notebook of notebooks/ in a Jupyter kernel")
    parser.add_argument("name", help="a notebook's name or path (notebooks/ch03_6_softmax_scratch.md)")
    parser.add_argument("--backend", default="tinygrad_edu", choices=["tinygrad_edu", "torch"])
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="override a value of the parameters cell (a Python literal)")
    parser.add_argument("--referee", action="store_true", help="identical weights and fixed batches (as the tests)")
    parser.add_argument("--dtype", default="float32", choices=["float32", "float64"],
                        help="with --referee: both frameworks' default float dtype")
    parser.add_argument("--perturb", action="store_true", help="with --referee: images moved by one ulp")
    parser.add_argument("--out", help="write the executed notebook here (.ipynb)")
    args = parser.parse_args(argv)
    import ast
    params = {k: ast.literal_eval(v) for k, v in (p.split("=", 1) for p in args.param)}
    nb, summary, seconds = execute(Path(args.name).stem, args.backend, params, args.referee,
                                   args.dtype, args.perturb)
    if args.out:
        nbformat.write(nb, args.out)
    print(json.dumps({"notebook": Path(args.name).stem, "backend": args.backend, "seconds": round(seconds, 1),
                      "summary": summary}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
