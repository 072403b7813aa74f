"""The documentation pages that are generated from the code and from recorded runs, written into
docs/_generated/ when Sphinx starts (conf.py calls ``write_all``):

* ``ops.md``: every primitive op (each ``Function`` in tinygrad_edu/ops/) with the derivative its
  backward's docstring states, the catalogue rows whose graphs use it (their torch spelling), the
  dtypes they are compared in, and what those rows draw;
* ``tour.md``: the files of the core in reading order, what each holds and how many lines it has;
* ``benchmark_results.md``: the tables and plots of every recorded benchmark run
  (docs/benchmarks/*.json, and benchmarks/results/results.json when ``make bench`` has run here).

    python docs/generate.py        # writes the pages without building the site
"""
from __future__ import annotations

import inspect
import json
import sys
import textwrap
import warnings
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
OUT = DOCS / "_generated"

# The core, in the order to read it: (path, what it holds).
TOUR = [
    ("tinygrad_edu/autograd.py", "`Function` (one per primitive op), grad mode, the iterative topological sort and "
                                 "`backward`: the whole of reverse mode"),
    ("tinygrad_edu/tensor.py", "`Tensor`: a NumPy array, its `.grad`, `requires_grad` and the op that made it; its "
                               "methods call the ops"),
    ("tinygrad_edu/ops/elementwise.py", "`+ - * /`, `exp`, `log`, `relu`, ...: one `Function` each, and `unbroadcast`, "
                                        "the one helper that sums a gradient back to an input's shape"),
    ("tinygrad_edu/ops/reduce.py", "`sum`, `max`, `cumsum`, `norm`: reductions and where their gradient goes"),
    ("tinygrad_edu/ops/movement.py", "reshape, permute, expand, slicing, concatenation: gradients that move numbers"),
    ("tinygrad_edu/ops/matmul.py", "the matrix product and the linear layer's fused product"),
    ("tinygrad_edu/ops/unary.py", "the rest of the one-input functions (sin, tanh, erf, ...)"),
    ("tinygrad_edu/ops/conv.py", "convolution as im2col and one matrix product, and its transpose"),
    ("tinygrad_edu/ops/pool.py", "max and average pooling"),
    ("tinygrad_edu/ops/norm.py", "batch and layer normalisation, with their derived backward"),
    ("tinygrad_edu/ops/loss.py", "log-softmax and the losses that need it fused"),
    ("tinygrad_edu/ops/recurrent.py", "the fused RNN, GRU and LSTM steps"),
    ("tinygrad_edu/ops/scatter.py", "gather, scatter and index_add"),
    ("tinygrad_edu/creation.py", "factories (`zeros`, `randn`, `arange`, ...) and the random generator"),
    ("tinygrad_edu/nn/functional.py", "softmax, cross-entropy, dropout, ...: composites of the primitives"),
    ("tinygrad_edu/nn/module.py", "`Module`, `Parameter`, `Sequential`: parameters found by walking attributes"),
    ("tinygrad_edu/nn/layers.py", "`Linear`, `Conv2d`, `Flatten`, ...: modules over the functional ops"),
    ("tinygrad_edu/optim/sgd.py", "`SGD`: the update rule in a few lines"),
    ("tinygrad_edu/gradcheck.py", "finite differences in float64, with a readable report"),
    ("tinygrad_edu/viz/trace.py", "the backward trace: what every node receives and sends"),
    ("tinygrad_edu/viz/picture.py", "the graph as a picture (Graphviz or matplotlib)"),
]


def _first_paragraph(doc: str | None) -> str:
    text = inspect.cleandoc(doc or "").split("\n\n")[0]
    return " ".join(line.strip() for line in text.splitlines())


def _code_block(text: str) -> str:
    return "```text\n" + text.rstrip() + "\n```\n"


def _primitives() -> list[tuple[str, type]]:
    import tinygrad_edu.ops as ops
    from tinygrad_edu.autograd import Function
    found = []
    for path in sorted((ROOT / "tinygrad_edu" / "ops").glob("*.py")):
        if path.stem == "__init__":
            continue
        module = __import__(f"tinygrad_edu.ops.{path.stem}", fromlist=["_"])
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, Function) and obj is not Function \
                    and obj.__module__ == module.__name__:
                found.append((path.stem, obj))
    del ops
    return found


def _rows_per_primitive() -> dict[str, list[Any]]:
    """Which catalogue rows use which primitive: each row is evaluated once on a drawn input and
    the types of the Functions in its graph are collected."""
    import numpy as np
    from hypothesis.errors import NonInteractiveExampleWarning

    from parity_tests.catalogue import CATALOGUE
    from parity_tests.harness import run_ours
    from tinygrad_edu.autograd import topological_order
    uses: dict[str, list[Any]] = {}
    for case in CATALOGUE:
        seen: set[str] = set()
        for _ in range(3):  # a drawn example may be one without a graph (no input needing a gradient)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", NonInteractiveExampleWarning)
                warnings.simplefilter("ignore", RuntimeWarning)
                warnings.simplefilter("ignore", UserWarning)
                try:
                    draw = case.inputs(np.dtype(np.float64), True).example()
                    outs, _ = run_ours(case, draw)
                except Exception:  # noqa: BLE001  such a draw is skipped; the next one is tried
                    continue
            for out in outs:
                if getattr(out, "requires_grad", False):
                    seen |= {type(t._ctx).__name__ for t in topological_order(out) if t._ctx is not None}
            if seen:
                break
        for name in seen:  # rows that use fewer primitives come first: the op itself before its composites
            uses.setdefault(name, []).append((len(seen), case, draw))
    return {name: [(case, draw) for _, case, draw in sorted(rows, key=lambda r: r[0])]
            for name, rows in uses.items()}


def _draw_text(case: Any, draw: Any) -> str:
    func = getattr(case.inputs, "func", case.inputs)
    keywords = getattr(case.inputs, "keywords", {}) or {}
    how = getattr(func, "__name__", "a strategy")
    if keywords:
        how += "(" + ", ".join(f"{k}={v!r}" for k, v in keywords.items()) + ")"
    shapes = ", ".join(f"{k} {tuple(v.shape)}" for k, v in draw.arrays.items())
    params = ", ".join(f"{k}={textwrap.shorten(repr(v), 24, placeholder='...')}" for k, v in draw.params.items())
    return f"`{how}`; for example {shapes}" + (f", {params}" if params else "")


def ops_page() -> str:
    from parity_tests.harness import DTYPES
    uses = _rows_per_primitive()
    lines = ["# Op reference", "",
             "Every primitive op of tinygrad_edu: one `Function` in `tinygrad_edu/ops/`, with a `forward` on",
             "NumPy arrays and a `backward` whose docstring states the derivative (shown here as written).",
             "Under each: the rows of the parity catalogue (`parity_tests/catalogue.py`) whose graphs use",
             "the primitive, written as the same expression runs on torch; each row is compared with torch",
             f"in {' and '.join(d.name for d in DTYPES)} (forward and every input gradient, a random upstream",
             "gradient; on CUDA too when a GPU is present) and checked by finite differences in float64",
             "unless marked. *Draws* names the Hypothesis strategy of the row and one example of its shapes.",
             "This page is generated from the code (`docs/generate.py`).", ""]
    family = None
    for module, fn in _primitives():
        if module != family:
            family = module
            lines += [f"## `ops/{module}.py`", ""]
        lines += [f"### `{fn.__name__}`", "", inspect.getdoc(fn) or "", ""]
        backward = inspect.getdoc(fn.backward)
        if backward:
            lines += ["Backward:", "", _code_block(backward)]
        rows = uses.get(fn.__name__, [])
        if rows:
            lines += ["| catalogue row | torch | draws | gradcheck |", "|---|---|---|---|"]
            for case, draw in rows[:12]:
                torch_expr = (case.torch_expr or case.expr).replace("|", "\\|")
                check = "float64" if case.gradcheck else "no"
                lines.append(f"| `{case.name}` | `{torch_expr}` | {_draw_text(case, draw).replace('|', '/')} | {check} |")
            if len(rows) > 12:
                lines.append(f"| ... and {len(rows) - 12} more rows | | | |")
            lines.append("")
        else:
            lines += ["No row of the op catalogue builds this primitive; its own parity tests do "
                      "(the layer tests, `parity_tests/test_rnn.py`, `test_indexing.py`).", ""]
    return "\n".join(lines) + "\n"


def tour_page() -> str:
    lines = ["# A tour of the core", "",
             "The files to read, in this order, to see all of reverse-mode autograd and the ops on top",
             "of it. Line counts are of the current source (this page is generated by `docs/generate.py`);",
             "*source* opens the highlighted file.", "",
             "| # | file | lines | what it holds |", "|---|---|---|---|"]
    total = 0
    for i, (path, what) in enumerate(TOUR, 1):
        n = len((ROOT / path).read_text().splitlines())
        total += n
        module = path[:-3].replace("/", ".")
        href = "../_modules/" + path[:-3] + ".html"
        lines.append(f'| {i} | <a href="{href}">{path}</a> ({{py:mod}}`api <{module}>`) | {n} | {what} |')
    lines += ["", f"{total} lines in all.", ""]
    return "\n".join(lines) + "\n"


def benchmark_page() -> str:
    sys.path.insert(0, str(ROOT))
    from benchmarks import report
    runs = sorted((DOCS / "benchmarks").glob("*.json"))
    local = ROOT / "benchmarks" / "results" / "results.json"
    if local.exists():
        runs.append(local)
    images = OUT / "benchmarks"
    images.mkdir(parents=True, exist_ok=True)
    lines = ["# Benchmark results", "",
             "Both backends timed in the same run: per op (forward, and forward plus backward) and per",
             "training epoch; medians, ratios tinygrad_edu / torch. Each section is one recorded run,",
             "with its machine, date and command (`make bench` writes `benchmarks/results/results.json`,",
             "and this page includes it when present). Generated by `docs/generate.py`.", ""]
    for path in runs:
        results = json.loads(path.read_text())
        where = path.relative_to(ROOT)
        lines += [f"## {results.get('date', '?')}: {results['machine'].get('cpu', '?')}"
                  f"{', CUDA ' + str(results['machine']['cuda']) if results['machine'].get('cuda') else ''}", "",
                  f"From `{where}`.", ""]
        (images / path.stem).mkdir(parents=True, exist_ok=True)
        for png in report.plots(results, images / path.stem):
            lines += [f"![{png.stem}](benchmarks/{path.stem}/{png.name})", ""]
        lines += [report.markdown(results), ""]
    return "\n".join(lines) + "\n"


def copy_notebooks() -> None:
    """notebooks/*.md into docs/notebooks/ (not tracked), so that the site's pages can link them."""
    target = DOCS / "notebooks"
    target.mkdir(exist_ok=True)
    for source in sorted((ROOT / "notebooks").glob("*.md")):
        copy = target / source.name
        if not copy.exists() or copy.read_text() != source.read_text():
            copy.write_text(source.read_text())


def write_all() -> list[Path]:
    OUT.mkdir(exist_ok=True)
    copy_notebooks()
    sys.path.insert(0, str(ROOT))
    written = []
    for name, make in (("ops.md", ops_page), ("tour.md", tour_page), ("benchmark_results.md", benchmark_page)):
        path = OUT / name
        text = make()
        if not path.exists() or path.read_text() != text:  # unchanged pages keep their time stamp
            path.write_text(text)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_all():
        print(p.relative_to(ROOT), textwrap.shorten(p.read_text(), 60))
