"""The generated pages of the documentation site (docs/generate.py) cover what they promise: the
tour names files that exist, and the op reference has every primitive op with its derivative."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)


def test_the_tour_lists_existing_files_with_their_line_counts():
    page = generate.tour_page()
    for path, _ in generate.TOUR:
        lines = len((ROOT / path).read_text().splitlines())
        assert f">{path}</a>" in page and f"| {lines} |" in page, path


def test_the_op_reference_has_every_primitive_with_its_derivative_and_rows():
    page = generate.ops_page()
    primitives = generate._primitives()
    assert len(primitives) >= 60
    for _, fn in primitives:
        assert f"### `{fn.__name__}`" in page, fn.__name__
        section = page.split(f"### `{fn.__name__}`", 1)[1].split("\n### ", 1)[0]
        first_line = (fn.__doc__ or fn.backward.__doc__ or "").strip().splitlines()[0]
        assert first_line.strip() in section, f"{fn.__name__}: its docstring is not on the page"
    for name in ("Add", "MatMul", "Conv2d", "Relu"):  # the core ops each have parity rows listed
        section = page.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0]
        assert "| catalogue row | torch |" in section, name
