"""The benchmark suite runs and writes what it promises (no timing is asserted here)."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_quick_benchmark_writes_json_markdown_and_plots(tmp_path):
    out = tmp_path / "bench"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--ops", "relu", "sgd_step", "--sizes", "1000",
         "--models", "softmax_regression", "--repeats", "1", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    results = json.loads((out / "results.json").read_text())
    assert {(r["op"], r["backend"]) for r in results["ops"]} >= {("relu", "tinygrad_edu"), ("relu", "torch"),
                                                                 ("sgd_step", "tinygrad_edu")}
    for r in results["ops"]:
        t = r["forward_backward"]
        assert 0 < t["min"] <= t["median"] <= t["max"]
    assert {r["backend"] for r in results["training"]} == {"tinygrad_edu", "torch"}
    assert all(r["examples_per_s"] > 0 and r["peak_rss_mb"] > 0 for r in results["training"])
    assert results["overhead"]["tinygrad_edu_us_per_op"] > 0
    md = (out / "results.md").read_text()
    assert "| relu | 1000 |" in md and "softmax_regression" in md and results["machine"]["cpu"] in md
    assert (out / "ops.png").stat().st_size > 1000 and (out / "training.png").stat().st_size > 1000
    if "CUDA" not in proc.stdout:
        assert results["machine"]["cuda"] is not None
    else:
        assert "not available" in proc.stdout


def test_help():
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0 and "--quick" in proc.stdout


def test_cat_and_residual_add_allocate_only_their_output():
    """Modern CNNs: cat along channels and residual additions copy nothing beyond their output
    (measured with tracemalloc; the full-size numbers are in `python -m benchmarks.copies`)."""
    from benchmarks.copies import cat_case, residual_case
    for row in (cat_case(4, [32, 64, 32], 32), residual_case(4, 64, 32)):  # ~1-2 MB: fixed overheads negligible
        assert row["peak_over_output"] < 1.1, row


def test_rounds_report_the_median_of_each_rounds_ratio():
    """`--rounds`: the ratio is taken within each round (the pair of adjacent processes), then the
    median over rounds, so one slow episode of the machine moves one round, not the result."""
    from benchmarks.report import markdown, training_rows

    def row(backend: str, seconds: float, round_: int) -> dict:
        return {"model": "mlp", "backend": backend, "device": "cpu", "epoch_s": seconds, "epoch_s_min": seconds,
                "epoch_s_max": seconds, "examples": 1000, "examples_per_s": 1000 / seconds, "peak_rss_mb": 1.0,
                "data": "d", "round": round_}
    training = [row("tinygrad_edu", 1.0, 0), row("torch", 1.0, 0), row("tinygrad_edu", 3.0, 1), row("torch", 1.0, 1),
                row("tinygrad_edu", 1.2, 2), row("torch", 1.0, 2)]
    ours = next(r for r in training_rows(training) if r["backend"] == "tinygrad_edu")
    assert ours["round_ratios"] == [1.0, 3.0, 1.2] and ours["ratio"] == 1.2 and ours["epoch_s"] == 1.2
    assert ours["epoch_s_min"] == 1.0 and ours["epoch_s_max"] == 3.0
    md = markdown({"machine": {"cpu": "c", "cores": 2, "python": "3", "numpy": "2", "numpy_blas": "b",
                               "numpy_blas_threads": 2, "torch": "t", "torch_threads": 2, "cuda": None},
                   "command": "x", "date": "d", "ops": [], "training": training})
    assert "1.00 / 3.00 / 1.20" in md and "3 rounds" in md


def test_an_epoch_process_reports_its_own_peak_memory_not_its_parents():
    """The peak RSS of an epoch process is its own: Linux carries getrusage's ru_maxrss over from
    the parent across fork and exec, so a process started by a large driver used to report the
    driver's peak (the same number for every model)."""
    import numpy as np

    from benchmarks.epoch import rss_mb
    ballast = np.ones(400 * 2 ** 20, dtype=np.uint8)  # touched: the parent's peak is now >= 400 MB
    parent_peak = rss_mb()
    child = subprocess.run([sys.executable, "-c", "from benchmarks.epoch import rss_mb; print(rss_mb())"],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    del ballast
    assert child.returncode == 0, child.stderr
    child_peak = float(child.stdout)
    assert 0 < child_peak < parent_peak - 300, (child_peak, parent_peak)


def test_opsplit_times_every_op_of_a_step_and_restores_the_ops():
    """`python -m benchmarks.opsplit`: each op class's forward and backward per step, and the
    wrapped methods are put back afterwards (the parity tests run in the same processes)."""
    import collections

    import numpy as np

    import tinygrad_edu as tg
    from benchmarks.opsplit import instrument
    from tinygrad_edu.ops.pool import MaxPool2d

    before = MaxPool2d.__dict__["backward"]
    seconds, mismatched = collections.defaultdict(float), collections.defaultdict(float)
    undo = instrument(seconds, mismatched)
    try:
        x = tg.tensor(np.random.default_rng(0).standard_normal((2, 3, 8, 8)).astype(np.float32), requires_grad=True)
        w = tg.tensor(np.random.default_rng(1).standard_normal((4, 3, 3, 3)).astype(np.float32))
        pooled = tg.nn.functional.max_pool2d(tg.nn.functional.conv2d(x, w), 2)
        (pooled.reshape(2, -1) @ tg.ones(36, 1)).sum().backward()
    finally:
        undo()
    assert MaxPool2d.__dict__["backward"] is before
    assert {("Conv2d", "forward"), ("Conv2d", "backward"), ("MaxPool2d", "backward")} <= set(seconds)
    assert all(v > 0 for v in seconds.values())
    # the flatten hands the pooling an (N, C, H, W)-ordered gradient; the conv output is batch-innermost
    assert any(name == "MaxPool2d" for name, *_ in mismatched), dict(mismatched)
    proc = subprocess.run([sys.executable, "-m", "benchmarks.opsplit", "lenet", "--steps", "2", "--batch", "8"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "| Conv2d | backward |" in proc.stdout and "(outside ops)" in proc.stdout


def test_floors_times_the_three_products_of_a_convolution():
    """`python -m benchmarks.floors`: the products of an im2col convolution alone (three, or two
    when the input needs no gradient), in seconds."""
    from benchmarks.floors import products
    three = products(2, 3, 4, 6, 3, 1, repeats=1)
    two = products(2, 1, 4, 6, 3, 1, repeats=1)
    assert set(three) == {"forward W@cols", "weight dY@cols^T", "input W^T@dY"} and len(two) == 2
    assert all(0 < t < 1 for t in [*three.values(), *two.values()])
    from benchmarks.floors import mlp_products
    assert len(mlp_products(8, repeats=1)) == 5
