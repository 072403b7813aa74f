"""d2l ch. 14.2's fine-tuning, on Fashion-MNIST and on both backends side by side.

A small ResNet (d2l's Residual blocks, 16-32-64 channels) is pretrained on the *source* classes
0-4 (T-shirt, trouser, pullover, dress, coat). For the *target* classes 5-9 (sandal, shirt,
sneaker, bag, ankle boot; relabelled 0-4), with few training images per class:

  fine-tuned  every layer but the last copied from the pretrained net, a new output layer;
              SGD with parameter groups: the body at lr / 10, the new layer at lr (d2l's
              ``param_group=True``);
  frozen      the same copy, the body frozen with ``requires_grad_(False)``, only the new
              layer trained;
  scratch     the same architecture from its initial weights, everything at lr;

all for the same number of steps on the same batches. tinygrad_edu and torch start every run
from identical weights (copied by state dict) and see identical batches.

    python examples/fine_tuning.py [--source-per-class 2000] [--target-per-class 100]
                                   [--pretrain-epochs 2] [--epochs 10] [--lr 0.1] [--test-per-class 0]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import tinygrad_edu  # noqa: F401  first, before NumPy: it lets both cores work (tinygrad_edu/parallel.py)
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

import tinygrad_edu as tg  # noqa: E402
from tinygrad_edu import training  # noqa: E402
from tinygrad_edu.data import DataLoader, load_fashion_mnist  # noqa: E402
from tinygrad_edu.models.modern import blocks  # noqa: E402


def small_resnet(nn: ModuleType, classes: int = 5) -> Any:
    """Stem (3x3, 16 channels), three Residual blocks (16, 32 stride 2, 64 stride 2), global
    average pooling and the output layer ``fc`` (the part fine-tuning replaces)."""
    Residual = blocks(nn).Residual
    net = nn.Sequential()
    net.add_module("stem", nn.Sequential(nn.Conv2d(1, 16, kernel_size=3, padding=1), nn.BatchNorm2d(16), nn.ReLU()))
    net.add_module("body", nn.Sequential(Residual(16, 16), Residual(16, 32, use_1x1conv=True, strides=2),
                                         Residual(32, 64, use_1x1conv=True, strides=2),
                                         nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten()))
    net.add_module("fc", nn.Linear(64, classes))
    return net


def subset(X: np.ndarray, y: np.ndarray, classes: range, per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``per_class`` images of each class (all of them if 0), labels renumbered from 0."""
    rng = np.random.default_rng(seed)
    keep = []
    for c in classes:
        idx = np.flatnonzero(y == c)
        keep.append(rng.permutation(idx)[:per_class] if per_class else idx)
    order = np.sort(np.concatenate(keep))
    return X[order], (y[order] - classes.start).astype(np.int64)


def run(lib: ModuleType, net: Any, groups: list, train: tuple, test: tuple, epochs: int, seed: int) -> tuple[float, float]:
    """Train for ``epochs`` on ``train`` (same shuffled batches for both backends); returns
    (test accuracy, seconds)."""
    optimizer = lib.optim.SGD(groups, lr=groups[0]["lr"], weight_decay=0.001)
    loss_fn = lib.nn.CrossEntropyLoss()
    loader = DataLoader(train[0], train[1], batch_size=64, shuffle=True, seed=seed, as_tensors=False)
    t0 = time.perf_counter()
    for _ in range(epochs):
        net.train()
        for idx in loader.batch_indices():
            training.train_step(net, train[0][idx], train[1][idx], loss_fn, optimizer, lib)
    seconds = time.perf_counter() - t0
    batches = [(test[0][i:i + 500], test[1][i:i + 500]) for i in range(0, len(test[1]), 500)]
    return training.evaluate_accuracy(net, batches, lib), seconds


def model(lib: ModuleType, state: dict) -> Any:
    """The small ResNet on ``lib`` (tinygrad_edu or torch) holding the weights ``state`` (NumPy)."""
    net = small_resnet(lib.nn)
    net.load_state_dict(state if lib is tg else {k: torch.tensor(np.asarray(v)) for k, v in state.items()})
    return net


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source-per-class", type=int, default=2000)
    parser.add_argument("--target-per-class", type=int, default=100)
    parser.add_argument("--pretrain-epochs", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--test-per-class", type=int, default=0, help="test images per class (0: all 1,000)")
    args = parser.parse_args()
    torch.set_num_threads(1)

    data = load_fashion_mnist()
    print(data.describe())
    Xtr, ytr = data.arrays("train")
    Xte, yte = data.arrays("test")
    source = subset(Xtr, ytr, range(0, 5), args.source_per_class, 0)
    source_test = subset(Xte, yte, range(0, 5), args.test_per_class, 0)
    target = subset(Xtr, ytr, range(5, 10), args.target_per_class, 1)
    target_test = subset(Xte, yte, range(5, 10), args.test_per_class, 1)
    print(f"source: {len(source[1])} training images of classes 0-4; target: {len(target[1])} of classes 5-9, "
          f"tested on {len(target_test[1])}")

    tg.manual_seed(0)
    init = {k: v.numpy().copy() for k, v in small_resnet(tg.nn).state_dict().items()}
    results: dict[str, list] = {}

    # 1. pretrain on the source classes (both backends, identical start)
    ours, theirs = model(tg, init), model(torch, init)
    pre = []
    for lib, net in ((tg, ours), (torch, theirs)):
        pre.append(run(lib, net, [{"params": list(net.parameters()), "lr": args.lr}], source, source_test,
                       args.pretrain_epochs, seed=0))
    results["pretrained on classes 0-4 (tested on 0-4)"] = pre
    pretrained = {"ours": ours.state_dict(), "torch": theirs.state_dict()}

    # 2. the target task: a new output layer on each backend's own pretrained body
    tg.manual_seed(1)
    fresh_fc = {k: v.numpy().copy() for k, v in tg.nn.Linear(64, 5).state_dict().items()}
    for variant in ("fine-tuned (body lr/10, new layer lr)", "frozen body (new layer only)", "scratch (all at lr)"):
        row = []
        for lib, key in ((tg, "ours"), (torch, "torch")):
            if variant.startswith("scratch"):
                state = dict(init)
            else:
                state = {k: np.asarray(v.detach().cpu().numpy() if hasattr(v, "detach") else v.numpy())
                         for k, v in pretrained[key].items()}
            state.update({f"fc.{k}": v for k, v in fresh_fc.items()})  # copy all but the last layer
            net = model(lib, state)
            head = list(net.fc.parameters())
            body = [p for name, p in net.named_parameters() if not name.startswith("fc.")]
            if variant.startswith("fine"):
                groups = [{"params": body, "lr": args.lr / 10}, {"params": head, "lr": args.lr}]
            elif variant.startswith("frozen"):
                for p in body:
                    p.requires_grad_(False)
                groups = [{"params": head, "lr": args.lr}]
            else:
                groups = [{"params": body + head, "lr": args.lr}]
            row.append(run(lib, net, groups, target, target_test, args.epochs, seed=1))
        results[variant] = row

    print("\n| run | test accuracy tinygrad_edu | test accuracy torch | seconds tinygrad_edu / torch |")
    print("|---|---|---|---|")
    for name, ((acc_o, s_o), (acc_t, s_t)) in results.items():
        print(f"| {name} | {acc_o:.4f} | {acc_t:.4f} | {s_o:.1f} / {s_t:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
