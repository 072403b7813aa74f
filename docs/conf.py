"""Sphinx configuration of the documentation site (``make docs`` builds it into site/).

Pages are Markdown (MyST); the notebooks in notebooks/ (MyST Markdown paired with Jupyter by
jupytext) are executed at build time by MyST-NB and cached in site/.jupyter_cache; the op
reference, the tour of the core and the benchmark results are generated from the code and the
recorded runs by docs/generate.py before the build reads anything.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS))

import generate  # noqa: E402

generate.write_all()
os.environ.setdefault("D2L_FIGURE_DIR", str(ROOT / "out" / "docs_figures"))  # scripts only; kernels draw inline
GRAPHS = "Graphviz (dot)" if shutil.which("dot") else "matplotlib (Graphviz's dot is not installed)"
print(f"docs: computation graphs are drawn by {GRAPHS}")

project = "tinygrad_edu"
author = "the tinygrad_edu authors"
copyright = "the tinygrad_edu authors, MIT licence"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
    "sphinx.ext.mathjax",
]
source_suffix = {".md": "myst-nb", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "benchmarks/*.md", "ch14/*", "**/.ipynb_checkpoints", "generate.py"]

# Docstrings are plain text (the math as it is written in the source, ``code`` in double
# backquotes), not reStructuredText: autodoc shows each one as a preformatted block, as it reads
# in the source, and their doctest examples are run by parity_tests/test_doctests.py.


def _docstring_as_text(app, what, name, obj, options, lines):  # noqa: ANN001
    if lines:
        text = list(lines)
        lines[:] = ["::", ""] + ["    " + line for line in text] + [""]


def setup(app):  # noqa: ANN001
    app.connect("autodoc-process-docstring", _docstring_as_text)

myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

# MyST-NB: run every notebook page once, keep the outputs in a cache keyed by the notebook's
# code, and fail the build on any error in a cell.
nb_execution_mode = "cache"
nb_execution_cache_path = str(ROOT / "site" / ".jupyter_cache")
nb_execution_timeout = 1800
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
autodoc_member_order = "bysource"
autodoc_typehints = "none"

html_theme = "sphinx_book_theme"
html_title = "tinygrad_edu"
html_theme_options = {"show_toc_level": 2, "use_download_button": False}
# MathJax from a local copy when `make docs` could install one (npm's mathjax, into
# .venv/mathjax), so that the formulas render without a network; otherwise Sphinx's CDN default.
MATHJAX = Path(os.environ.get("MATHJAX_DIR", ROOT / ".venv" / "mathjax" / "node_modules" / "mathjax"))
if (MATHJAX / "es5" / "tex-mml-chtml.js").exists():
    html_static_path = [str(MATHJAX)]
    mathjax_path = "es5/tex-mml-chtml.js"
    print(f"docs: MathJax from {MATHJAX}")
else:
    html_static_path = []
    print("docs: MathJax from its CDN (no local copy: formulas need a network to render)")
