"""Train a d2l classifier on Fashion-MNIST with either backend, or both side by side.

This is the driver behind ``python -m tinygrad_edu train|compare`` and the chapter examples. A
run is described by :class:`Config`; :func:`train` returns a :class:`History` per backend. In a
comparison both backends start from identical weights and see identical batches, so their
curves should agree. The torch backend is imported only when asked for.
"""
from __future__ import annotations

import gc
import sys
import time
from dataclasses import asdict, dataclass, field
from types import ModuleType
from typing import Any, Callable, Optional

import numpy as np

from . import training
from .data import DataLoader, FashionMNIST, get_fashion_mnist_labels, load_fashion_mnist
from .models import build


@dataclass
class Config:
    model: str = "lenet"
    epochs: int = 5
    batch_size: int = 256
    lr: Optional[float] = None           # None: d2l's learning rate for the model
    seed: int = 0
    device: str = "cpu"                  # torch's device; tinygrad_edu always runs on NumPy
    data: Optional[str] = None           # folder with the Fashion-MNIST files
    steps: int = 0                       # >0: at most this many batches per epoch (quick runs, tests)
    momentum: float = 0.0

    def learning_rate(self) -> float:
        return self.lr if self.lr is not None else {"lenet": 0.9}.get(self.model, 0.1)


@dataclass
class History:
    backend: str
    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    test_acc: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ProgressBar:
    """A one-line text progress bar (stderr), quiet when not attached to a terminal if asked."""

    def __init__(self, total: int, label: str, stream: Any = None) -> None:
        self.total, self.label, self.done = max(total, 1), label, 0
        self.stream = stream or sys.stderr

    def update(self, n: int = 1) -> None:
        self.done += n
        filled = int(24 * self.done / self.total)
        self.stream.write(f"\r  {self.label} [{'=' * filled}{' ' * (24 - filled)}] {self.done}/{self.total}")
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


_frozen = False


def _freeze_import_objects() -> None:
    """Move the objects that exist now (torch's import leaves ~180,000) out of the cycle
    collector's view, once per process.

    Python's cycle collector rescans every tracked object at each full collection, and building
    tinygrad_edu's graphs (Python objects) triggers those: in a process that had imported torch,
    a chain of tiny ops cost about twice as much per op on average. A comparison in one process
    must time tinygrad_edu as a process of its own would.
    """
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True


def backend_module(backend: str) -> ModuleType:
    if backend == "numpy":
        import tinygrad_edu
        return tinygrad_edu
    if backend == "torch":
        try:
            import torch
        except ImportError:
            raise SystemExit("the torch backend needs PyTorch: pip install -e '.[reference]'") from None
        _freeze_import_objects()
        return torch
    raise ValueError(f"unknown backend {backend!r} (numpy or torch)")


def make_models(cfg: Config, backends: list[str]) -> dict[str, Any]:
    """The model for each backend; all start from the same (tinygrad_edu-initialised) weights."""
    import tinygrad_edu as tg

    tg.manual_seed(cfg.seed)
    ours = build(cfg.model, tg.nn)
    models: dict[str, Any] = {}
    for b in backends:
        if b == "numpy":
            models[b] = ours
        else:
            import reference
            models[b] = reference.model_to_torch(ours, cfg.model, cfg.device)
    return models


def train(cfg: Config, backends: list[str], data: Optional[FashionMNIST] = None, progress: bool = True,
          on_epoch: Optional[Callable[[int, dict[str, History]], None]] = None) -> tuple[dict[str, History], dict[str, Any], FashionMNIST]:
    """Train ``cfg.model`` on each backend in lockstep: same initial weights, same batches."""
    data = data or load_fashion_mnist(cfg.data)
    X, y = data.arrays("train")
    Xt, yt = data.arrays("test")
    test = [(Xt[i:i + 1000], yt[i:i + 1000]) for i in range(0, len(yt), 1000)]
    models = make_models(cfg, backends)
    libs = {b: backend_module(b) for b in backends}
    optims = {b: libs[b].optim.SGD(models[b].parameters(), lr=cfg.learning_rate(), momentum=cfg.momentum)
              for b in backends}
    loader = DataLoader(X, y, batch_size=cfg.batch_size, shuffle=True, seed=cfg.seed, as_tensors=False)
    histories = {b: History(b) for b in backends}
    for epoch in range(1, cfg.epochs + 1):
        batches = loader.batch_indices()
        if cfg.steps:
            batches = batches[:cfg.steps]
        pairs = [(X[i], y[i]) for i in batches]
        for b in backends:
            lib, device = libs[b], (cfg.device if b == "torch" else None)
            bar = ProgressBar(len(pairs), f"epoch {epoch} {b:>5}") if progress else None
            models[b].train()
            loss_sum = correct = n = 0.0
            t0 = time.perf_counter()
            for Xb, yb in pairs:
                loss, right = training.train_step(models[b], Xb, yb, lib.nn.CrossEntropyLoss(), optims[b], lib, device)
                loss_sum, correct, n = loss_sum + loss * len(yb), correct + right, n + len(yb)
                if bar:
                    bar.update()
            h = histories[b]
            h.seconds.append(time.perf_counter() - t0)
            h.train_loss.append(loss_sum / n)
            h.train_acc.append(correct / n)
            h.test_acc.append(training.evaluate_accuracy(models[b], test, lib, device))
        if on_epoch:
            on_epoch(epoch, histories)
    return histories, models, data


def predictions(model: Any, backend: str, data: FashionMNIST, n: int = 8, device: str = "cpu") -> list[tuple[str, str]]:
    """d2l's predict_ch3: (true label, predicted label) for the first n test images."""
    lib = backend_module(backend)
    Xt, yt = data.arrays("test")
    model.eval()
    with lib.no_grad():
        x = lib.as_tensor(Xt[:n], device=device) if backend == "torch" else lib.as_tensor(Xt[:n])
        pred = model(x).argmax(1)
    pred = pred.cpu().numpy() if backend == "torch" else pred.numpy()
    return list(zip(get_fashion_mnist_labels(yt[:n]), get_fashion_mnist_labels(pred)))


def save_curves(histories: dict[str, History], path: str, title: str) -> str:
    """Loss and accuracy per epoch for each backend, overlaid, as a PNG."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.5))
    for b, h in histories.items():
        epochs = range(1, len(h.train_loss) + 1)
        style = "-" if b == "numpy" else "--"
        name = "tinygrad_edu" if b == "numpy" else "torch"
        ax1.plot(epochs, h.train_loss, style, marker="o", label=f"{name} train loss")
        ax2.plot(epochs, h.train_acc, style, marker="o", label=f"{name} train acc")
        ax2.plot(epochs, h.test_acc, style, marker="s", label=f"{name} test acc")
    ax1.set_xlabel("epoch")
    ax2.set_xlabel("epoch")
    ax1.set_title("loss")
    ax2.set_title("accuracy")
    ax1.legend(fontsize=8)
    ax2.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def save_prediction_grid(data: FashionMNIST, pairs: list[tuple[str, str]], path: str) -> str:
    """The first test images with 'true / predicted' labels, as d2l's show_images."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(pairs), figsize=(1.6 * len(pairs), 2.0))
    for ax, img, (true, pred) in zip(np.atleast_1d(axes), data.test_images, pairs):
        ax.imshow(img, cmap="gray")
        ax.set_title(f"{true}\n{pred}", fontsize=7, color="black" if true == pred else "red")
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def epoch_table(histories: dict[str, History]) -> str:
    """Per-epoch numbers of each backend, and their agreement and speed when there are two."""
    both = "numpy" in histories and "torch" in histories
    lines = []
    if both:
        lines.append("epoch |   loss ours    loss torch   |diff|  | train acc ours/torch | test acc ours/torch "
                     "|  s ours / torch  ratio")
        h, t = histories["numpy"], histories["torch"]
        for e in range(len(h.train_loss)):
            lines.append(f"{e + 1:5d} | {h.train_loss[e]:10.6f} {t.train_loss[e]:10.6f} {abs(h.train_loss[e] - t.train_loss[e]):8.1e} "
                         f"|   {h.train_acc[e]:.4f} / {t.train_acc[e]:.4f}   |   {h.test_acc[e]:.4f} / {t.test_acc[e]:.4f}  "
                         f"| {h.seconds[e]:6.2f} / {t.seconds[e]:6.2f}  {h.seconds[e] / t.seconds[e]:5.2f}")
    else:
        (b, h), = histories.items()
        lines.append(f"epoch | train loss | train acc | test acc | seconds   ({'tinygrad_edu' if b == 'numpy' else 'torch'})")
        for e in range(len(h.train_loss)):
            lines.append(f"{e + 1:5d} | {h.train_loss[e]:10.6f} | {h.train_acc[e]:9.4f} | {h.test_acc[e]:8.4f} | {h.seconds[e]:7.2f}")
    return "\n".join(lines)


def comparison_summary(histories: dict[str, History]) -> str:
    h, t = histories["numpy"], histories["torch"]
    diff = max(abs(a - b) for a, b in zip(h.train_loss, t.train_loss))
    ratio = sum(h.seconds) / sum(t.seconds)
    return (f"largest per-epoch loss difference: {diff:.2e}; time tinygrad_edu / torch: {ratio:.2f} "
            f"({sum(h.seconds):.1f} s / {sum(t.seconds):.1f} s)")
