"""The d2l companion in a real Jupyter kernel (nbclient + ipykernel) draws inline, as d2l does on
torch: SVG after use_svg_display(), one Animator figure redrawn in place, no files written. Outside
a kernel it writes PNG files, and it never replaces a backend the user chose."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = str(Path(__file__).resolve().parents[1])  # the kernel imports the tree under test, not an install

CELLS = [
    "import tinygrad_edu as torch\nfrom tinygrad_edu import d2l\nd2l.use_svg_display()",
    "x = torch.arange(0, 3, 0.1)\nd2l.plot(x, [x * x, 2 * x], 'x', 'f(x)', legend=['f(x)', 'tangent'])",
    "animator = d2l.Animator(xlabel='epoch', xlim=[1, 3], legend=['train loss', 'test acc'])\n"
    "for epoch in range(3):\n    animator.add(epoch + 1, (1 - epoch * 0.2, 0.5 + epoch * 0.1))",
    "d2l.show_images(torch.rand(4, 5, 5), 1, 4, titles=['a', 'b', 'c', 'd']);",
    "import matplotlib\nprint(matplotlib.get_backend())",
    "import tinygrad_edu\nprint(tinygrad_edu.__file__)",
]


def _images(cell) -> list[str]:
    return [kind for out in cell.outputs if out.output_type in ("display_data", "execute_result")
            for kind in out.get("data", {}) if kind.startswith("image/")]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    figures = tmp_path_factory.mktemp("figures")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    saved = {k: os.environ.get(k) for k in ("D2L_FIGURE_DIR", "PYTHONPATH")}
    os.environ["D2L_FIGURE_DIR"] = str(figures)  # the kernel inherits both
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [ROOT, saved["PYTHONPATH"]]))
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(figures)}}).execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return nb, figures


def test_every_plotting_cell_shows_its_figure_inline_as_svg(executed):
    nb, _ = executed
    for index in (1, 3):
        assert _images(nb.cells[index]) == ["image/svg+xml"], f"cell {index}: {nb.cells[index].outputs}"


def test_the_animator_redraws_one_figure_in_place(executed):
    nb, _ = executed
    images = _images(nb.cells[2])
    assert images == ["image/svg+xml"], nb.cells[2].outputs  # three adds, one figure left on screen


def test_in_a_kernel_the_backend_is_the_inline_one_and_no_file_is_written(executed):
    nb, figures = executed
    assert nb.cells[0].outputs == [], nb.cells[0].outputs
    assert "inline" in nb.cells[4].outputs[0]["text"]
    assert nb.cells[5].outputs[0]["text"].startswith(ROOT), "the kernel must import the tree under test"
    assert not list(Path(figures).rglob("*.png")), "figures should be shown, not written, inside a kernel"


def _script(code: str, tmp_path: Path, **env: str) -> str:
    full = dict(os.environ, D2L_FIGURE_DIR=str(tmp_path), PYTHONPATH=ROOT, **env)
    if "MPLBACKEND" not in env:
        full.pop("MPLBACKEND", None)
    return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True,
                          check=True, cwd=tmp_path).stdout.strip()


def test_outside_a_kernel_figures_are_png_files(tmp_path):
    out = _script("from tinygrad_edu import d2l\nimport tinygrad_edu as torch\n"
                  "path = d2l.plot(torch.arange(3.0), torch.arange(3.0))\n"
                  "import matplotlib\nprint(path, matplotlib.get_backend())", tmp_path)
    path, backend = out.split()
    assert Path(path).is_file() and path.endswith(".png") and backend.lower() == "agg"


def test_a_backend_the_user_chose_is_kept(tmp_path):
    out = _script("from tinygrad_edu import d2l\nimport tinygrad_edu as torch\n"
                  "d2l.plot(torch.arange(3.0), torch.arange(3.0))\nimport matplotlib\nprint(matplotlib.get_backend())",
                  tmp_path, MPLBACKEND="svg")
    assert out == "svg"
