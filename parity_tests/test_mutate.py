"""The mutation catalogue (parity_tests/mutate.py) stays complete and applicable; running it is
``python -m parity_tests.mutate`` (minutes, outside make test)."""
import ast

import pytest

from parity_tests.mutate import MUTANTS, ROOT


def _backward_classes() -> set[tuple[str, str]]:
    found = set()
    for path in sorted((ROOT / "tinygrad_edu" / "ops").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef) and any(
                    isinstance(f, ast.FunctionDef) and f.name == "backward" for f in node.body):
                found.add((str(path.relative_to(ROOT)), node.name))
    return found


def test_every_backward_in_ops_has_a_mutant():
    covered = {(m.path, m.anchor[len("class "):].rstrip("(")) for m in MUTANTS if m.anchor.startswith("class ")}
    missing = sorted(c for c in _backward_classes() if c not in covered)
    assert not missing, f"backward methods without a mutant in parity_tests/mutate.py: {missing}"


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_mutant_applies_and_changes_the_source(mutant):
    source = (ROOT / mutant.path).read_text()
    assert mutant.apply(source) != source


def test_mutant_names_are_unique():
    names = [m.name for m in MUTANTS]
    assert len(names) == len(set(names))
