"""The d2l examples, the command line, and the tools for studying backward."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.autograd import topological_order
from tinygrad_edu.data.fashion_mnist import SAMPLE_DIR
from tinygrad_edu.models import build
from tinygrad_edu.viz import to_dot, trace_backward

ROOT = Path(__file__).resolve().parents[1]
QUICK = ["--epochs", "1", "--steps", "3", "--data", str(SAMPLE_DIR), "--no-progress"]


def run(args, tmp_path):
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{args}: {proc.stderr[-2000:]}"
    return proc.stdout


@pytest.mark.parametrize("script,extra", [
    ("examples/03_softmax_regression.py", []),
    ("examples/04_mlp.py", ["--backend", "torch"]),
    ("examples/05_lenet.py", ["--model", "lenet_relu"]),
    ("examples/05_lenet.py", ["--compare"]),
])
def test_chapter_examples_run_on_the_sample(script, extra, tmp_path):
    plot, grid = tmp_path / "curves.png", tmp_path / "pred.png"
    out = run([script, *QUICK, *extra, "--plot", str(plot), "--predictions", str(grid)], tmp_path)
    assert "data: Fashion-MNIST: 5000 training and 1000 test images" in out
    assert re.search(r"^\s+1 \|", out, re.M), out  # the per-epoch row
    assert "predictions (true -> predicted):" in out
    assert plot.stat().st_size > 1000 and grid.stat().st_size > 1000
    if "--compare" in extra:
        assert "largest per-epoch loss difference" in out


def test_scratch_softmax_example_shows_the_overflow_and_trains(tmp_path):
    out = run(["examples/02_softmax_regression_scratch.py", *QUICK, "--compare", "--plot", str(tmp_path / "s.png")], tmp_path)
    assert "naive softmax       : [[nan" in out and "library softmax     : [[1.0" in out
    assert "largest per-epoch loss difference" in out


def test_linear_regression_example(tmp_path):
    out = run(["examples/01_linear_regression.py", "--epochs", "1", "--steps", "20", "--plot", str(tmp_path / "l.png")], tmp_path)
    assert "error in w" in out and (tmp_path / "l.png").exists()


def test_how_backward_works_walkthrough(tmp_path):
    out = run(["examples/how_backward_works.py", "--out", str(tmp_path)], tmp_path)
    for section in range(1, 7):
        assert f"=== {section}." in out
    assert "gradcheck passed" in out and "a third backward raises" in out
    assert list(tmp_path.glob("how_backward_works.*"))


def test_cli_compare_and_graph(tmp_path):
    out = run(["-m", "tinygrad_edu", "compare", "--model", "mlp", *QUICK, "--plot", str(tmp_path / "c.png")], tmp_path)
    assert "largest per-epoch loss difference" in out and "tinygrad_edu (NumPy), torch (cpu)" in out
    out = run(["-m", "tinygrad_edu", "graph", "--model", "lenet", "--data", str(SAMPLE_DIR), "--out", str(tmp_path / "g.svg")], tmp_path)
    assert "graph of lenet" in out and list(tmp_path.glob("g.*"))


def test_comparing_in_one_process_freezes_the_import_objects():
    """`compare` times both backends in one process: after the torch backend is set up, the
    objects of the imports are out of the cycle collector's view (gc.freeze), so tinygrad_edu's
    graphs do not trigger rescans of torch's ~180,000 import objects (see experiment.py)."""
    code = ("import gc, torch\n"
            "from tinygrad_edu.experiment import backend_module\n"
            "assert gc.get_freeze_count() == 0\n"
            "backend_module('torch')\n"
            "print(gc.get_freeze_count())")
    frozen = int(run(["-c", code], None).strip())
    assert frozen > 100_000, frozen


@pytest.mark.parametrize("args", [["-m", "tinygrad_edu", "--help"], ["-m", "tinygrad_edu", "train", "--help"],
                                  ["-m", "tinygrad_edu", "compare", "--help"], ["-m", "tinygrad_edu", "graph", "--help"],
                                  ["examples/01_linear_regression.py", "--help"],
                                  ["examples/02_softmax_regression_scratch.py", "--help"],
                                  ["examples/03_softmax_regression.py", "--help"], ["examples/04_mlp.py", "--help"],
                                  ["examples/05_lenet.py", "--help"], ["examples/how_backward_works.py", "--help"],
                                  ["examples/d2l_milestones.py", "--help"]])
def test_help(args, tmp_path):
    assert "usage:" in run(args, tmp_path)


NODE = re.compile(r'^  (t\d+) \[label="([^"]*)"(, style=filled, fillcolor="#[0-9a-f]{6}")?\];$')
EDGE = re.compile(r"^  (t\d+) -> (t\d+);$")


def parse_dot(text):
    """A strict reader for the DOT subset to_dot writes; every line must be understood."""
    lines = text.splitlines()
    assert lines[0].startswith("digraph ") and lines[0].endswith("{") and lines[-1] == "}"
    nodes, edges = {}, []
    for line in lines[1:-1]:
        if line.strip() in ("rankdir=TB;",) or line.strip().startswith("node ["):
            continue
        if m := NODE.match(line):
            nodes[m.group(1)] = m.group(2)
        elif m := EDGE.match(line):
            edges.append((m.group(1), m.group(2)))
        else:
            raise AssertionError(f"unparsable DOT line: {line!r}")
    assert all(a in nodes and b in nodes for a, b in edges)
    return nodes, edges


def test_lenet_graph_dot_parses_and_names_every_op(tmp_path):
    tg.manual_seed(0)
    net = build("lenet", tg.nn)
    x = tg.tensor(np.random.default_rng(0).random((2, 1, 28, 28)).astype(np.float32))
    loss = tg.nn.functional.cross_entropy(net(x), tg.tensor([3, 7]))
    loss.backward(retain_graph=True)
    dot = to_dot(loss, dict(net.named_parameters()))
    nodes, edges = parse_dot(dot)
    ops = {t._ctx.name() for t in topological_order(loss) if t._ctx is not None}
    labels = " ".join(nodes.values())
    assert ops >= {"Conv2d", "Sigmoid", "AvgPool2d", "Reshape", "Linear", "LogSoftmax"}
    for op in ops:
        assert op in labels, f"{op} missing from the DOT graph"
    assert "0.weight: leaf" in labels and "grad (6, 1, 5, 5)" in labels
    assert len(edges) >= len(nodes) - 1
    if shutil.which("dot"):
        subprocess.run(["dot", "-Tsvg", "-o", str(tmp_path / "g.svg")], input=dot.encode(), check=True)


def test_trace_lists_every_node_once_in_topological_order():
    a = tg.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
    b = tg.tensor([0.5, 2.0], requires_grad=True)
    y = ((a * b).relu() + a).sum()
    with trace_backward() as log:
        y.backward()
    expected = [t._ctx.name() for t in reversed(topological_order(y)) if t._ctx is not None]
    assert [r.op for r in log.records] == expected == ["Sum", "Add", "Relu", "Mul"]
    assert [r.step for r in log.records] == [1, 2, 3, 4]
    mul = log.records[-1]
    assert mul.input_shapes == [(2, 2), (2,)] and mul.sent[1][0] == (2,)
    assert any("summed over broadcast dims, (2, 2) -> (2,)" in r for r in mul.reductions)
    assert "Relu: inputs (2, 2) -> output (2, 2)" in str(log)


def test_fine_tuning_example_runs_both_backends_alike(tmp_path):
    """d2l 14.2 on Fashion-MNIST (examples/fine_tuning.py) with a few images: every run's test
    accuracy on tinygrad_edu equals torch's (same weights, same batches) to float32 drift."""
    out = run(["examples/fine_tuning.py", "--source-per-class", "40", "--target-per-class", "8",
               "--pretrain-epochs", "1", "--epochs", "2", "--test-per-class", "40"], tmp_path)
    rows = re.findall(r"^\| ([a-z].*?) \| ([0-9.]+) \| ([0-9.]+) \|", out, re.M)
    assert [r[0].split(" ")[0] for r in rows] == ["pretrained", "fine-tuned", "frozen", "scratch"], out
    for name, ours, theirs in rows:
        assert abs(float(ours) - float(theirs)) <= 0.02, (name, ours, theirs)
