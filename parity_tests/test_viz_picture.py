"""tinygrad_edu.viz.draw: the graph as a picture, by Graphviz or (without it) matplotlib."""
from __future__ import annotations

import shutil

import pytest

import tinygrad_edu as tg
from tinygrad_edu.viz import picture


def _graph():
    w = tg.ones(2, 3, requires_grad=True)
    x = tg.tensor([[1.0, 2.0]])
    y = (x @ w).relu().sum()
    return y, {"w": w, "x": x, "y": y}


def test_matplotlib_draws_every_node_with_its_label(tmp_path):
    y, names = _graph()
    pic = tg.viz.draw(y, names, engine="matplotlib")
    svg = pic.svg()
    assert pic.engine == "matplotlib" and svg.startswith("<?xml")
    for label in ("w: leaf", "x: constant", "MatMul", "Relu", "y: Sum"):
        assert label in svg, label
    assert pic._repr_svg_() == svg
    assert pic.save(tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "g.svg").exists() is False and pic.save(tmp_path / "g.svg").read_text() == svg


def test_without_graphviz_the_default_is_matplotlib_and_graphviz_is_refused(monkeypatch):
    monkeypatch.setattr(picture.shutil, "which", lambda name: None)
    y, names = _graph()
    assert tg.viz.draw(y, names).engine == "matplotlib"
    with pytest.raises(RuntimeError, match="dot"):
        tg.viz.draw(y, names, engine="graphviz")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_graphviz_draws_the_same_nodes():
    y, names = _graph()
    pic = tg.viz.draw(y, names)
    assert pic.engine == "graphviz"
    assert "MatMul" in pic.svg() and "y: Sum" in pic.svg()


def test_bad_arguments_are_refused(tmp_path):
    y, names = _graph()
    with pytest.raises(ValueError, match="engine"):
        tg.viz.draw(y, names, engine="tikz")
    with pytest.raises(ValueError, match=r"\.svg or \.png"):
        tg.viz.draw(y, names, engine="matplotlib").save(tmp_path / "g.pdf")
