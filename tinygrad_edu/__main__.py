"""python -m tinygrad_edu: train d2l models, compare with PyTorch, draw graphs.

    python -m tinygrad_edu compare                 # LeNet on both backends side by side (make demo)
    python -m tinygrad_edu train --model mlp --epochs 10
    python -m tinygrad_edu graph --model lenet --out lenet.svg

Only ``--backend torch`` and ``compare`` import PyTorch.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

from . import experiment
from .models import MODELS

CLASSIFIERS = [m for m in MODELS if m != "linear_regression"]


def _training_args(p: argparse.ArgumentParser, default_epochs: int) -> None:
    p.add_argument("--model", default="lenet", choices=CLASSIFIERS)
    p.add_argument("--epochs", type=int, default=default_epochs)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--lr", type=float, default=None, help="default: d2l's (0.9 for LeNet, 0.1 otherwise)")
    p.add_argument("--momentum", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"], help="torch's device")
    p.add_argument("--data", default=None, help="folder with the Fashion-MNIST files (default: look them up)")
    p.add_argument("--steps", type=int, default=0, help="at most this many batches per epoch")
    p.add_argument("--plot", default=None, help="PNG for the curves (default: out/<command>_<model>.png)")
    p.add_argument("--predictions", default=None, help="PNG grid of a few test predictions")
    p.add_argument("--no-progress", action="store_true")


def _config(a: argparse.Namespace) -> experiment.Config:
    return experiment.Config(model=a.model, epochs=a.epochs, batch_size=a.batch_size, lr=a.lr, seed=a.seed,
                             device=a.device, data=a.data, steps=a.steps, momentum=a.momentum)


def _run(a: argparse.Namespace, backends: list[str]) -> int:
    cfg = _config(a)
    print(f"{cfg.model}: {cfg.epochs} epochs, batch {cfg.batch_size}, lr {cfg.learning_rate()}, "
          f"momentum {cfg.momentum}, seed {cfg.seed}; backends: "
          + ", ".join("tinygrad_edu (NumPy)" if b == "numpy" else f"torch ({cfg.device})" for b in backends))
    data = experiment.load_fashion_mnist(cfg.data)
    print(f"data: {data.describe()}")
    histories, models, _ = experiment.train(cfg, backends, data, progress=not a.no_progress)
    print(experiment.epoch_table(histories))
    if len(backends) == 2:
        print(experiment.comparison_summary(histories))
    plot = a.plot or f"out/{a.command}_{cfg.model}.png"
    Path(plot).parent.mkdir(parents=True, exist_ok=True)
    experiment.save_curves(histories, plot, f"{cfg.model} on {'the bundled sample' if data.is_sample else 'Fashion-MNIST'}")
    print(f"curves: {plot}")
    b = backends[0]
    pairs = experiment.predictions(models[b], b, data, device=cfg.device)
    print("predictions (true -> predicted): " + ", ".join(f"{t} -> {p}" for t, p in pairs))
    if a.predictions:
        Path(a.predictions).parent.mkdir(parents=True, exist_ok=True)
        experiment.save_prediction_grid(data, pairs, a.predictions)
        print(f"predictions: {a.predictions}")
    return 0


def _graph(a: argparse.Namespace) -> int:
    import tinygrad_edu as tg
    from .models import build
    from .viz import render, to_dot

    tg.manual_seed(0)
    net = build(a.model, tg.nn)
    data = experiment.load_fashion_mnist(a.data)
    X, y = data.arrays("train")
    x, target = tg.tensor(X[:a.batch_size]), tg.tensor(y[:a.batch_size])
    loss = tg.nn.functional.cross_entropy(net(x), target)
    loss.backward(retain_graph=True)
    names = {name: p for name, p in net.named_parameters()}
    names.update({"input": x, "loss": loss})
    out = render(to_dot(loss, names, title=a.model), a.out)
    print(f"graph of {a.model} (batch {a.batch_size}, loss {float(loss):.4f}): {out}")
    return 0


def example_main(models: list[str], description: str, default_epochs: int = 10,
                 argv: Optional[list[str]] = None) -> int:
    """Entry point of the chapter examples: one model family, ``--backend`` or ``--compare``."""
    parser = argparse.ArgumentParser(description=description)
    _training_args(parser, default_epochs)
    parser.set_defaults(model=models[0])
    for action in parser._actions:
        if action.dest == "model":
            action.choices = models
    parser.add_argument("--backend", default="numpy", choices=["numpy", "torch"])
    parser.add_argument("--compare", action="store_true", help="run both backends from identical weights")
    a = parser.parse_args(argv)
    a.command = "compare" if a.compare else "train"
    return _run(a, ["numpy", "torch"] if a.compare else [a.backend])


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tinygrad_edu", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train a d2l model on one backend")
    _training_args(t, default_epochs=10)
    t.add_argument("--backend", default="numpy", choices=["numpy", "torch"])
    c = sub.add_parser("compare", help="train on tinygrad_edu and torch side by side from identical weights")
    _training_args(c, default_epochs=5)
    g = sub.add_parser("graph", help="draw a model's computation graph (DOT; SVG/PNG with graphviz)")
    g.add_argument("--model", default="lenet", choices=CLASSIFIERS)
    g.add_argument("--batch-size", type=int, default=4)
    g.add_argument("--data", default=None)
    g.add_argument("--out", default="out/graph.svg")
    a = parser.parse_args(argv)
    if a.command == "graph":
        Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        return _graph(a)
    return _run(a, [a.backend] if a.command == "train" else ["numpy", "torch"])


if __name__ == "__main__":
    sys.exit(main())
