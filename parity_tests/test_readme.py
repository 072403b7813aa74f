"""The Python blocks of the README and of the docs pages run as written (each in a fresh
interpreter, in a scratch folder), and what they say they print is what they print."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCKS = [(page.relative_to(ROOT), code) for page in PAGES
          for code in re.findall(r"^```python\n(.*?)^```", page.read_text(), flags=re.S | re.M)]


def test_the_readme_has_a_python_block() -> None:
    assert any(str(page) == "README.md" for page, _ in BLOCKS) and len(BLOCKS) >= 4


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_block_runs(index: int, tmp_path: Path) -> None:
    page, code = BLOCKS[index]
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1",
                                 "D2L_FIGURE_DIR": str(tmp_path)}, timeout=300)
    assert result.returncode == 0, f"{page}, block {index} failed:\n{code}\n{result.stderr[-3000:]}"
    # comment lines right after a call that prints ("# [4] Mul: ...") must appear in its output
    shown = [line[2:].rstrip() for line in code.splitlines() if re.match(r"# (\[\d+\]|  |tensor\()", line)]
    for line in shown:
        assert line.strip() in result.stdout, f"{page}, block {index} says it prints {line!r}:\n{result.stdout}"
