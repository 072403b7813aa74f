"""The README's Python blocks run as written (each in a fresh interpreter, in a scratch folder), and
what they say they print is what they print."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"^```python\n(.*?)^```", (ROOT / "README.md").read_text(), flags=re.S | re.M)


def test_the_readme_has_python_blocks() -> None:
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_block_runs(index: int, tmp_path: Path) -> None:
    code = BLOCKS[index]
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1",
                                 "D2L_FIGURE_DIR": str(tmp_path)}, timeout=300)
    assert result.returncode == 0, f"README block {index} failed:\n{code}\n{result.stderr[-3000:]}"
    # comment lines right after a call that prints ("# [4] Mul: ...") must appear in its output
    shown = [line[2:].rstrip() for line in code.splitlines() if re.match(r"# (\[\d+\]|  )", line)]
    for line in shown:
        assert line.strip() in result.stdout, f"README block {index} says it prints {line!r}:\n{result.stdout}"
