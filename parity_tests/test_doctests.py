"""The examples in the package's docstrings run and print what they show (doctest)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import tinygrad_edu

SKIP = {"tinygrad_edu.__main__"}  # the command line: importing it parses sys.argv


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(tinygrad_edu.__path__, "tinygrad_edu.") if m.name not in SKIP)


def test_docstring_examples_run():
    failed, attempted, where = 0, 0, []
    for name in _modules():
        result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
        failed += result.failed
        attempted += result.attempted
        if result.failed:
            where.append(name)
    assert failed == 0, f"docstring examples failed in {where}"
    assert attempted >= 19, f"only {attempted} docstring examples found: were some removed?"
