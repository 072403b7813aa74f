"""The notebooks in notebooks/ run in a real Jupyter kernel on both backends, show every figure
inline, and end with the numbers the same notebook gives on torch.

Each chapter notebook runs here at a small size (``SMALL``: the epochs below, on a few fixed
batches of the bundled sample) with the referee cell of ``notebooks.py``: identical initial
weights and batches on both sides. Its final ``summary`` is then compared as the chapter files'
trained values are (d2l_trajectories.py gives the derivation):

* in float64 (``F64``: rtol 1e-9, atol 1e-12) where the notebook's code runs in float64 on torch;
  accuracies are counts, so they must match exactly;
* in float32 where it cannot (6.6's shape printout feeds a float32 image to the network; the
  book's RNN helpers make float32 one-hot inputs, and torch refuses mixed dtypes in all three):
  each value within ``FACTOR`` times torch's own spread when its input images and initial
  weights move by one ulp, never below the few-ops bound, and accuracies within ``FACTOR`` times
  torch's own difference in samples (at least ``FACTOR``). These three networks have no ReLU,
  max-pooling or dropout, so their float32 runs grow apart smoothly.

The full-size notebooks (their own parameters) run in ``make docs``.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from .d2l_compat import BATCHES
from .d2l_trajectories import F64, FACTOR, FLOOR, check_counts
from .notebooks import execute, images, notebook_names, read

# name: (parameters for the small run, dtype of the comparison, summary keys that are accuracies).
# Accuracies count hits over the examples served: BATCHES fixed batches of batch_size.
SMALL: dict[str, tuple[dict[str, Any], str, tuple[str, ...]]] = {
    "ch03_6_softmax_scratch": ({"num_epochs": 2, "batch_size": 64}, "float64", ("train acc", "test acc")),
    "ch06_6_lenet": ({"num_epochs": 2, "batch_size": 64}, "float32", ("train acc", "test acc")),
    "ch07_6_resnet": ({"num_epochs": 1, "batch_size": 16}, "float64", ("train acc", "test acc")),
    # train_ch8 plots every 10th epoch
    "ch08_5_rnn_scratch": ({"num_epochs": 10, "batch_size": 8, "num_steps": 10}, "float32", ()),
    "ch09_2_lstm": ({"num_epochs": 10, "batch_size": 8, "num_steps": 10}, "float32", ()),
    "ch14_4_anchor_boxes": ({}, "float64", ()),
    "ch14_7_ssd": ({"num_epochs": 1, "batch_size": 8}, "float64", ()),
}
# A code cell that calls one of these draws a figure, so it must be tagged 'figure' (and show one).
PLOTTING = re.compile(r"\b(train_ch3|train_ch6|train_ch8|predict_ch3|plot|show_images|show_bboxes|"
                      r"show_heatmaps|Animator|imshow|viz\.draw)\b")


def test_every_notebook_is_covered():
    assert sorted(SMALL) + ["how_backward_works"] == sorted(notebook_names())


@pytest.mark.parametrize("name", notebook_names())
def test_plotting_cells_are_tagged(name):
    for i, cell in enumerate(read(name).cells):
        if cell.cell_type == "code" and PLOTTING.search(cell.source):
            assert "figure" in cell.metadata.get("tags", []), f"{name}: cell {i} draws but is not tagged 'figure'"


def _figures_shown(nb: Any, name: str, backend: str) -> None:
    tagged = [c for c in nb.cells if "figure" in c.metadata.get("tags", [])]
    assert tagged, f"{name}: no figure cells"
    for cell in tagged:
        assert "image/svg+xml" in images(cell) or "image/png" in images(cell), \
            f"{name} on {backend}: a figure cell shows no image: {cell.source[:80]!r} -> {cell.outputs}"


def _compare(name: str, ours: dict[str, Any], theirs: dict[str, Any], bounds: dict[str, dict[str, float]],
             counts: dict[str, int], slack: dict[str, int]) -> None:
    assert set(ours) == set(theirs), name
    for key, value in theirs.items():
        where = f"{name}: summary[{key!r}]"
        if key in counts:
            check_counts(ours[key], value, counts[key], slack[key], where)
        elif isinstance(value, float):
            np.testing.assert_allclose(ours[key], value, err_msg=where, **bounds[key])
        else:
            assert ours[key] == value, f"{where}: {ours[key]!r} != torch's {value!r}"


@pytest.mark.parametrize("name", sorted(SMALL))
def test_notebook_runs_on_both_backends_shows_its_figures_and_agrees_with_torch(name):
    params, dtype, accuracies = SMALL[name]
    counts = {key: BATCHES * params["batch_size"] for key in accuracies}
    theirs_nb, theirs, _ = execute(name, "torch", params, referee=True, dtype=dtype)
    ours_nb, ours, _ = execute(name, "tinygrad_edu", params, referee=True, dtype=dtype)
    _figures_shown(theirs_nb, name, "torch")
    _figures_shown(ours_nb, name, "tinygrad_edu")
    floats = [k for k, v in theirs.items() if isinstance(v, float) and k not in counts]
    if dtype == "float64":
        bounds = {k: F64 for k in floats}
        slack = {k: 0 for k in counts}
    else:  # torch's own sensitivity to one ulp in the images (module docstring)
        _, perturbed, _ = execute(name, "torch", params, referee=True, dtype=dtype, perturb=True)
        bounds = {k: dict(rtol=FLOOR["rtol"], atol=max(FLOOR["atol"], FACTOR * abs(theirs[k] - perturbed[k])))
                  for k in floats}
        slack = {k: max(FACTOR, FACTOR * abs(round(theirs[k] * n) - round(perturbed[k] * n)))
                 for k, n in counts.items()}
    _compare(name, ours, theirs, bounds, counts, slack)


def test_how_backward_works_draws_its_graph_and_matches_torch():
    nb, summary, _ = execute("how_backward_works")
    _figures_shown(nb, "how_backward_works", "tinygrad_edu")
    assert summary["gradcheck"] is True
    assert summary["loss"] == pytest.approx(summary["torch loss"], rel=FLOOR["rtol"])
    assert summary["network grad"] <= FLOOR["atol"]  # a few float32 ops from identical weights
    # torch's softplus returns x itself above its threshold 20 (and passes the gradient through
    # unchanged), where log(1 + e^x) differs from x by at most e^-20 = 2.1e-9; the notebook draws
    # |x| up to ~100 and an upstream gradient of |g| < 5
    assert summary["softplus forward"] <= np.exp(-20)
    assert summary["softplus grad"] <= 5 * np.exp(-20)
