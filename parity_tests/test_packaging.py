"""tinygrad_edu needs only NumPy: it imports and trains with torch made unimportable."""
import subprocess
import sys
from pathlib import Path

import numpy as np

import tinygrad_edu as tg

ROOT = Path(__file__).resolve().parents[1]


def test_import_and_backward_without_torch():
    code = ("import sys; sys.modules['torch'] = None\n"
            "import tinygrad_edu as tg\n"
            "x = tg.tensor([1.0, 2.0], requires_grad=True)\n"
            "tg.nn.functional.cross_entropy(x.reshape(1, 2), tg.tensor([1])).backward()\n"
            "assert 'torch' not in [m for m in sys.modules if sys.modules[m] is not None]\n"
            "print(x.grad.shape)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "(2,)"


def test_in_place_fillers_used_by_d2l():
    w = tg.zeros(3, 4, requires_grad=True)
    tg.manual_seed(1)
    with tg.no_grad():
        w.uniform_(-0.5, 0.5)
    v = w.detach().numpy()
    assert v.min() >= -0.5 and v.max() < 0.5 and np.unique(v).size == 12
    src = tg.ones(4)
    with tg.no_grad():
        w.copy_(src * 2)   # broadcast copy, as torch
    np.testing.assert_array_equal(w.detach().numpy(), np.full((3, 4), 2.0))
    assert w.requires_grad and w.is_leaf


def test_demo_runs_and_both_backends_agree():
    out = subprocess.run([sys.executable, "examples/01_linear_regression.py", "--epochs", "2", "--compare",
                          "--plot", str(ROOT / "out" / "test_linreg.png")],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    last = [line for line in out.stdout.splitlines() if "largest difference" in line][0]
    assert float(last.split(":")[1]) < 1e-5
    assert "error in b" in out.stdout


def test_malloc_tuning_is_applied_and_can_be_turned_off():
    code = "import tinygrad_edu as tg; print(tg.memory._tuned)"
    on = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    off = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**__import__("os").environ, "TINYGRAD_EDU_TUNE_MALLOC": "0"})
    assert on.stdout.strip() == ("True" if sys.platform.startswith("linux") else "False")
    assert off.stdout.strip() == "False"


def test_every_primitive_op_documents_its_derivative():
    import inspect

    from tinygrad_edu import ops
    from tinygrad_edu.autograd import Function
    functions = [obj for obj in vars(ops).values()
                 if inspect.isclass(obj) and issubclass(obj, Function) and obj is not Function]
    assert len(functions) >= 30
    for f in functions:
        doc = f.__doc__ or ""
        assert any(m in doc for m in ("dy/d", "dL/d", "gradient")), f"{f.__name__}: docstring lacks its derivative"
