"""The project speaks of itself only: no tracked text describes how it was built (work stops,
sessions, tasks, lent machines, issue numbers); the README stays a front page."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HISTORY = re.compile(r"\bissues? #?\d+|\b(?:this|that|previous|first|second|third|earlier|next|last) "
                     r"(?:stop|session|task)\b|\b(?:stop|session|task) \d+\b|\bstop's\b|\blent\b", re.I)
TEXT = (".py", ".md", ".cfg", ".toml", ".txt", ".yml", ".yaml", "Makefile", "run")
BOOK_TEXT = {"tinygrad_edu/data/text/timemachine.txt"}  # the novel, as it is


def _tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [f for f in out.splitlines() if f.endswith(TEXT) and f not in BOOK_TEXT]


def test_no_tracked_file_speaks_of_how_the_project_was_built() -> None:
    found = []
    for name in _tracked():
        for number, line in enumerate((ROOT / name).read_text(errors="replace").splitlines(), 1):
            if HISTORY.search(line) and name != "parity_tests/test_project_text.py":
                found.append(f"{name}:{number}: {line.strip()[:120]}")
    assert not found, "\n".join(found)


def test_the_readme_is_a_front_page() -> None:
    assert len((ROOT / "README.md").read_text().splitlines()) <= 200
