"""Run the training and chapter comparisons under every OpenBLAS kernel this machine can run, at 1
and 2 BLAS threads, and print a table: the referee must not depend on the kernel (see
d2l_trajectories.py for why float32 training runs would otherwise).

    python -m parity_tests.portability                 # all core types, 1 and 2 threads
    python -m parity_tests.portability --core-types Haswell Prescott --threads 1

OpenBLAS picks its kernel from OPENBLAS_CORETYPE when NumPy loads, so each cell is a fresh
pytest process. A core type needs the instructions its kernel uses (SkylakeX: AVX-512); the
processor's flags decide which cells can run, and the others are reported as skipped.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

CORE_TYPES = {"Haswell": "avx2", "Zen": "avx2", "SkylakeX": "avx512f", "Prescott": "pni", "Sandybridge": "avx"}
TESTS = ["parity_tests/test_training.py", "parity_tests/test_training_rnn.py",
         "parity_tests/test_training_modern.py", "parity_tests/test_d2l_compat.py"]


def cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    match = re.search(r"^flags\s*:\s*(.*)$", text, re.M)
    return set(match.group(1).split()) if match else set()


def run_cell(core_type: str, threads: int, workers: str) -> tuple[str, float]:
    env = dict(os.environ, OPENBLAS_CORETYPE=core_type, OPENBLAS_NUM_THREADS=str(threads),
               OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads), PYTHONWARNINGS="ignore")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-n", workers, *TESTS],
                          env=env, capture_output=True, text=True)
    summary = [line for line in proc.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)]
    failed = [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("FAILED")]
    text = summary[-1].strip("= ") if summary else f"pytest exit {proc.returncode}"
    if failed:
        text += " | " + ", ".join(f.split("::")[-1] for f in failed)
    return text, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--core-types", nargs="*", default=list(CORE_TYPES))
    parser.add_argument("--threads", nargs="*", type=int, default=[1, 2])
    parser.add_argument("--workers", default="2", help="pytest-xdist workers per cell (default 2)")
    args = parser.parse_args(argv)
    flags = cpu_flags()
    rows, ok = [], True
    for core in args.core_types:
        needs = CORE_TYPES.get(core)
        for threads in args.threads:
            if needs and flags and needs not in flags:
                rows.append((core, threads, f"skipped: this processor lacks {needs}", 0.0))
                continue
            text, seconds = run_cell(core, threads, args.workers)
            ok &= " failed" not in text and "exit" not in text
            rows.append((core, threads, text, seconds))
            print(f"{core:>14}  {threads} thread(s)  {seconds:6.0f} s  {text}", flush=True)
    print("\n| OPENBLAS_CORETYPE | BLAS threads | training and chapter tests | time |")
    print("|---|---|---|---|")
    for core, threads, text, seconds in rows:
        print(f"| {core} | {threads} | {text} | {seconds:.0f} s |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
