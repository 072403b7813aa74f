"""The companion of *Dive into Deep Learning*: ``from tinygrad_edu import d2l``.

The helpers the book's chapters 2-6 call (``d2l.load_data_fashion_mnist``, ``d2l.train_ch3``,
``d2l.train_ch6``, ``d2l.Animator``, ...), written for this project on tinygrad_edu's public API
only, so the book's code runs with two changed import lines::

    import tinygrad_edu as torch
    from tinygrad_edu import d2l

The three import lines marked ``# backend`` below are the only ones that name tinygrad_edu:
``reference/d2l_torch.py`` runs this very file on PyTorch by swapping them, which is how the
compatibility suite compares the book's code on both frameworks.

There is no notebook here: plots and the training ``Animator`` are written as PNG files (in
``$D2L_FIGURE_DIR``, default ``out/d2l``) and the Animator prints one progress line per update.
"""
from __future__ import annotations

import os
import time
from typing import Any, Iterable, Optional, Sequence

import numpy as np

import tinygrad_edu as torch  # backend
from tinygrad_edu import nn  # backend
from tinygrad_edu.utils import data  # backend

from tinygrad_edu.data import fashion_mnist as _fmnist  # NumPy only: the same files for both backends

FIGURE_DIR = os.environ.get("D2L_FIGURE_DIR", os.path.join("out", "d2l"))

# ----------------------------------------------------------------------------- short aliases
# d2l's code calls these framework-neutral names (d2l.reshape, d2l.argmax, ...).
ones, zeros, tensor, arange, meshgrid = torch.ones, torch.zeros, torch.tensor, torch.arange, torch.meshgrid
linspace, exp, log, normal, rand, randn = torch.linspace, torch.exp, torch.log, torch.normal, torch.rand, torch.randn
matmul, concat, stack, abs, eye, tanh, sigmoid = torch.matmul, torch.cat, torch.stack, torch.abs, torch.eye, \
    torch.tanh, torch.sigmoid
int32, int64, float32 = torch.int32, torch.int64, torch.float32


def numpy(x: Any, *args: Any, **kwargs: Any) -> np.ndarray: return x.detach().numpy(*args, **kwargs)
def size(x: Any, *args: Any, **kwargs: Any) -> int: return x.numel(*args, **kwargs)
def reshape(x: Any, *args: Any, **kwargs: Any) -> Any: return x.reshape(*args, **kwargs)
def to(x: Any, *args: Any, **kwargs: Any) -> Any: return x.to(*args, **kwargs)
def reduce_sum(x: Any, *args: Any, **kwargs: Any) -> Any: return x.sum(*args, **kwargs)
def reduce_mean(x: Any, *args: Any, **kwargs: Any) -> Any: return x.mean(*args, **kwargs)
def argmax(x: Any, *args: Any, **kwargs: Any) -> Any: return x.argmax(*args, **kwargs)
def astype(x: Any, *args: Any, **kwargs: Any) -> Any: return x.type(*args, **kwargs)
def transpose(x: Any, *args: Any, **kwargs: Any) -> Any: return x.t(*args, **kwargs)


# ----------------------------------------------------------------------------- plotting (to PNG files)

def _plt() -> Any:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot
    return pyplot


class _LazyPyplot:
    """``d2l.plt``: matplotlib.pyplot, imported (with the file-writing Agg backend) on first use."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_plt(), name)


plt = _LazyPyplot()
_figures = [0]


def use_svg_display() -> None:
    """A no-op: there is no notebook to display into (figures are written as PNG files)."""


def set_figsize(figsize: tuple[float, float] = (3.5, 2.5)) -> None:
    _plt().rcParams["figure.figsize"] = figsize


def savefig(name: Optional[str] = None) -> str:
    """Write the current figure to FIGURE_DIR and return the path (the notebook's display)."""
    os.makedirs(FIGURE_DIR, exist_ok=True)
    _figures[0] += 1
    path = os.path.join(FIGURE_DIR, name or f"figure_{_figures[0]}.png")
    _plt().savefig(path, dpi=100, bbox_inches="tight")
    return path


def set_axes(axes: Any, xlabel: Any, ylabel: Any, xlim: Any, ylim: Any, xscale: str, yscale: str,
             legend: Any) -> None:
    """Label, limit and scale one matplotlib Axes, with an optional legend."""
    axes.set_xlabel(xlabel), axes.set_ylabel(ylabel)
    axes.set_xscale(xscale), axes.set_yscale(yscale)
    axes.set_xlim(xlim), axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()


def _as_numpy(v: Any) -> Any:
    return v.detach().numpy() if hasattr(v, "detach") else v


def plot(X: Any, Y: Any = None, xlabel: Any = None, ylabel: Any = None, legend: Any = None, xlim: Any = None,
         ylim: Any = None, xscale: str = "linear", yscale: str = "linear",
         fmts: Sequence[str] = ("-", "m--", "g-.", "r:"), figsize: tuple[float, float] = (3.5, 2.5),
         axes: Any = None) -> str:
    """Plot one or several curves (d2l.plot) and write the figure to a PNG file; returns its path."""
    if legend is None:
        legend = []
    set_figsize(figsize)
    axes = axes if axes else _plt().gca()

    def has_one_axis(v: Any) -> bool:
        return (hasattr(v, "ndim") and v.ndim == 1) or (isinstance(v, list) and not hasattr(v[0], "__len__"))

    if has_one_axis(X):
        X = [X]
    if Y is None:
        X, Y = [[]] * len(X), X
    elif has_one_axis(Y):
        Y = [Y]
    if len(X) != len(Y):
        X = X * len(Y)
    axes.cla()
    for x, y, fmt in zip(X, Y, fmts):
        x, y = _as_numpy(x), _as_numpy(y)
        axes.plot(x, y, fmt) if len(x) else axes.plot(y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
    return savefig()


def show_images(imgs: Any, num_rows: int, num_cols: int, titles: Optional[Sequence[str]] = None,
                scale: float = 1.5) -> Any:
    """A grid of images (tensors or arrays), written to a PNG file; returns the Axes."""
    figsize = (num_cols * scale, num_rows * scale)
    _, axes = _plt().subplots(num_rows, num_cols, figsize=figsize)
    axes = np.asarray(axes).flatten()
    for i, (ax, img) in enumerate(zip(axes, imgs)):
        ax.imshow(_as_numpy(img))
        ax.axes.get_xaxis().set_visible(False)
        ax.axes.get_yaxis().set_visible(False)
        if titles:
            ax.set_title(titles[i])
    savefig()
    return axes


class Animator:
    """Curves that grow during training (d2l.Animator). Each ``add`` appends points, redraws
    ``FIGURE_DIR/animator.png`` and prints one progress line."""

    def __init__(self, xlabel: Any = None, ylabel: Any = None, legend: Any = None, xlim: Any = None,
                 ylim: Any = None, xscale: str = "linear", yscale: str = "linear",
                 fmts: Sequence[str] = ("-", "m--", "g-.", "r:"), nrows: int = 1, ncols: int = 1,
                 figsize: tuple[float, float] = (3.5, 2.5), path: Optional[str] = None) -> None:
        self.legend = legend or []
        self.config = dict(xlabel=xlabel, ylabel=ylabel, xlim=xlim, ylim=ylim, xscale=xscale, yscale=yscale)
        self.fmts, self.shape, self.figsize = fmts, (nrows, ncols), figsize
        self.path = path or os.path.join(FIGURE_DIR, "animator.png")
        self.X: Optional[list[list[float]]] = None
        self.Y: Optional[list[list[float]]] = None

    def add(self, x: Any, y: Any) -> None:
        if not hasattr(y, "__len__"):
            y = [y]
        n = len(y)
        if not hasattr(x, "__len__"):
            x = [x] * n
        if self.X is None:
            self.X, self.Y = [[] for _ in range(n)], [[] for _ in range(n)]
        for i, (a, b) in enumerate(zip(x, y)):
            if a is not None and b is not None:
                self.X[i].append(float(a))
                self.Y[i].append(float(b))
        names = self.legend or [f"y{i}" for i in range(n)]
        print(f"{self.config['xlabel'] or 'x'} {float(x[0]):g}: "
              + ", ".join(f"{name} {float(v):.3f}" for name, v in zip(names, y) if v is not None), flush=True)
        self._draw()

    def _draw(self) -> None:
        try:
            pyplot = _plt()
        except ImportError:  # matplotlib is optional: the progress lines still show the numbers
            return
        fig, axes = pyplot.subplots(*self.shape, figsize=self.figsize)
        ax = np.asarray(axes).flatten()[0]
        for x, y, fmt in zip(self.X, self.Y, self.fmts):
            ax.plot(x, y, fmt)
        set_axes(ax, legend=self.legend, **self.config)
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        fig.savefig(self.path, dpi=100, bbox_inches="tight")
        pyplot.close(fig)


# ----------------------------------------------------------------------------- small utilities

class Timer:
    """Record several running times."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.start()

    def start(self) -> None:
        self.tik = time.time()

    def stop(self) -> float:
        self.times.append(time.time() - self.tik)
        return self.times[-1]

    def avg(self) -> float:
        return sum(self.times) / len(self.times)

    def sum(self) -> float:
        return sum(self.times)

    def cumsum(self) -> list[float]:
        return np.array(self.times).cumsum().tolist()


class Accumulator:
    """Running sums of n quantities."""

    def __init__(self, n: int) -> None:
        self.data = [0.0] * n

    def add(self, *args: Any) -> None:
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self) -> None:
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx: int) -> float:
        return self.data[idx]


def try_gpu(i: int = 0) -> Any:
    """The i-th GPU if it exists, else the CPU (always the CPU on tinygrad_edu)."""
    if torch.cuda.device_count() >= i + 1:
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")


def try_all_gpus() -> list[Any]:
    devices = [torch.device(f"cuda:{i}") for i in range(torch.cuda.device_count())]
    return devices if devices else [torch.device("cpu")]


# ----------------------------------------------------------------------------- ch. 3: linear models

def synthetic_data(w: Any, b: float, num_examples: int) -> tuple[Any, Any]:
    """y = Xw + b + noise, X ~ N(0, 1), noise ~ N(0, 0.01^2)."""
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


def linreg(X: Any, w: Any, b: Any) -> Any:
    """The linear regression model."""
    return torch.matmul(X, w) + b


def squared_loss(y_hat: Any, y: Any) -> Any:
    """Squared loss, halved."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params: Iterable[Any], lr: float, batch_size: int) -> None:
    """Minibatch stochastic gradient descent on the parameters' values, then zero their grads."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def load_array(data_arrays: Sequence[Any], batch_size: int, is_train: bool = True) -> Any:
    """A DataLoader over tensors, shuffled when training."""
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


def get_fashion_mnist_labels(labels: Any) -> list[str]:
    """Text labels of Fashion-MNIST class indices."""
    return _fmnist.get_fashion_mnist_labels([int(i) for i in labels])


def _resize_matrix(n_in: int, n_out: int) -> np.ndarray:
    """Bilinear interpolation as a matrix (n_out, n_in), half-pixel centres (align_corners=False)."""
    pos = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n_in - 1)
    frac = pos - lo
    m = np.zeros((n_out, n_in), np.float32)
    m[np.arange(n_out), lo] += 1 - frac
    m[np.arange(n_out), hi] += frac
    return m


class _ResizedLoader:
    """Batches of a loader with every image resized (bilinear) to ``size``: one matmul on each
    side, so 60,000 large images never sit in memory at once."""

    def __init__(self, loader: Any, size: tuple[int, int], in_size: tuple[int, int]) -> None:
        self.loader = loader
        self.rows = torch.tensor(_resize_matrix(in_size[0], size[0]))
        self.cols = torch.tensor(_resize_matrix(in_size[1], size[1]).T.copy())

    def __len__(self) -> int:
        return len(self.loader)

    def __iter__(self) -> Any:
        for X, y in self.loader:
            yield torch.matmul(torch.matmul(self.rows, X), self.cols), y


def load_data_fashion_mnist(batch_size: int, resize: Any = None) -> tuple[Any, Any]:
    """Fashion-MNIST as (train_iter, test_iter) of (X, y) batches: X float32 (N, 1, 28, 28) in
    [0, 1] (or resized), y int64. Uses the full data set when installed, else the sample bundled
    with tinygrad_edu, and says which."""
    found = _fmnist.load_fashion_mnist()
    print(found.describe())
    iters = []
    for split in ("train", "test"):
        X, y = found.arrays(split)
        loader = load_array((torch.tensor(X), torch.tensor(y.astype(np.int64))), batch_size,
                            is_train=split == "train")
        if resize:
            out = (resize, resize) if isinstance(resize, int) else tuple(resize)
            loader = _ResizedLoader(loader, out, X.shape[-2:])
        iters.append(loader)
    return iters[0], iters[1]


def accuracy(y_hat: Any, y: Any) -> float:
    """The number of correct predictions."""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = argmax(y_hat, axis=1)
    cmp = astype(y_hat, y.dtype) == y
    return float(reduce_sum(astype(cmp, y.dtype)))


def evaluate_accuracy(net: Any, data_iter: Iterable[Any]) -> float:
    """The accuracy of a model on a data set."""
    if isinstance(net, nn.Module):
        net.eval()
    metric = Accumulator(2)
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), size(y))
    return metric[0] / metric[1]


def train_epoch_ch3(net: Any, train_iter: Iterable[Any], loss: Any, updater: Any) -> tuple[float, float]:
    """One epoch: returns (mean training loss, training accuracy). ``updater`` is an optimizer
    or a function of the batch size (the from-scratch ``sgd``)."""
    if isinstance(net, nn.Module):
        net.train()
    metric = Accumulator(3)
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            l.sum().backward()
            updater(X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    return metric[0] / metric[2], metric[1] / metric[2]


def train_ch3(net: Any, train_iter: Any, test_iter: Any, loss: Any, num_epochs: int, updater: Any) -> tuple[float, float, float]:
    """Train and report per epoch; returns (train loss, train accuracy, test accuracy) of the
    last epoch. (The book's version asserts accuracy thresholds meant for the full data set;
    this one returns the numbers instead, so it also runs on the bundled sample.)"""
    animator = Animator(xlabel="epoch", xlim=[1, num_epochs], ylim=[0.3, 0.9],
                        legend=["train loss", "train acc", "test acc"])
    train_loss = train_acc = test_acc = float("nan")
    for epoch in range(num_epochs):
        train_loss, train_acc = train_epoch_ch3(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        animator.add(epoch + 1, (train_loss, train_acc, test_acc))
    return train_loss, train_acc, test_acc


def predict_ch3(net: Any, test_iter: Any, n: int = 6) -> list[tuple[str, str]]:
    """Predict labels of the first test batch; shows (and returns) true/predicted pairs."""
    for X, y in test_iter:
        break
    trues = get_fashion_mnist_labels(y)
    preds = get_fashion_mnist_labels(argmax(net(X), axis=1))
    titles = [true + "\n" + pred for true, pred in zip(trues, preds)]
    try:
        show_images(reshape(X[0:n], (n, 28, 28)), 1, n, titles=titles[0:n])
    except ImportError:
        pass
    return list(zip(trues[:n], preds[:n]))


def evaluate_loss(net: Any, data_iter: Iterable[Any], loss: Any) -> float:
    """The mean loss of a model on a data set."""
    metric = Accumulator(2)
    for X, y in data_iter:
        out = net(X)
        y = reshape(y, out.shape)
        l = loss(out, y)
        metric.add(reduce_sum(l), size(l))
    return metric[0] / metric[1]


# ----------------------------------------------------------------------------- ch. 6: convolutions

def corr2d(X: Any, K: Any) -> Any:
    """2-D cross-correlation, written with loops as the book does (to show what conv2d computes)."""
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
    return Y


def evaluate_accuracy_gpu(net: Any, data_iter: Iterable[Any], device: Any = None) -> float:
    """Accuracy on a data set, moving each batch to the model's device (the CPU here)."""
    if isinstance(net, nn.Module):
        net.eval()
        if not device:
            device = next(iter(net.parameters())).device
    metric = Accumulator(2)
    with torch.no_grad():
        for X, y in data_iter:
            if isinstance(X, list):
                X = [x.to(device) for x in X]
            else:
                X = X.to(device)
            y = y.to(device)
            metric.add(accuracy(net(X), y), size(y))
    return metric[0] / metric[1]


def train_ch6(net: Any, train_iter: Any, test_iter: Any, num_epochs: int, lr: float, device: Any) -> tuple[float, float, float]:
    """Train a CNN with SGD and Xavier-initialised weights (d2l ch. 6); returns (train loss,
    train accuracy, test accuracy) of the last epoch and prints examples/sec."""
    def init_weights(m: Any) -> None:
        if type(m) == nn.Linear or type(m) == nn.Conv2d:
            nn.init.xavier_uniform_(m.weight)
    net.apply(init_weights)
    print("training on", device)
    net.to(device)
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    loss = nn.CrossEntropyLoss()
    animator = Animator(xlabel="epoch", xlim=[1, num_epochs], legend=["train loss", "train acc", "test acc"])
    timer, num_batches = Timer(), len(train_iter)
    train_l = train_acc = test_acc = float("nan")
    for epoch in range(num_epochs):
        metric = Accumulator(3)
        net.train()
        for i, (X, y) in enumerate(train_iter):
            timer.start()
            optimizer.zero_grad()
            X, y = X.to(device), y.to(device)
            y_hat = net(X)
            l = loss(y_hat, y)
            l.backward()
            optimizer.step()
            with torch.no_grad():
                metric.add(l * X.shape[0], accuracy(y_hat, y), X.shape[0])
            timer.stop()
            train_l, train_acc = metric[0] / metric[2], metric[1] / metric[2]
        test_acc = evaluate_accuracy_gpu(net, test_iter)
        animator.add(epoch + 1, (train_l, train_acc, test_acc))
    print(f"loss {train_l:.3f}, train acc {train_acc:.3f}, test acc {test_acc:.3f}")
    print(f"{metric[2] * num_epochs / timer.sum():.1f} examples/sec on {str(device)}")
    return train_l, train_acc, test_acc
