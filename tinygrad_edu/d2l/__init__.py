"""The companion of *Dive into Deep Learning*: ``from tinygrad_edu import d2l``.

The helpers the book's chapters 2-6 call (``d2l.load_data_fashion_mnist``, ``d2l.train_ch3``,
``d2l.train_ch6``, ``d2l.Animator``, ...), written for this project on tinygrad_edu's public API
only, so the book's code runs with two changed import lines::

    import tinygrad_edu as torch
    from tinygrad_edu import d2l

The four import lines marked ``# backend`` below are the only ones that name tinygrad_edu:
``reference/d2l_torch.py`` runs this very file on PyTorch by swapping them, which is how the
compatibility suite compares the book's code on both frameworks.

There is no notebook here: plots and the training ``Animator`` are written as PNG files (in
``$D2L_FIGURE_DIR``, default ``out/d2l``) and the Animator prints one progress line per update.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Any, Iterable, Optional, Sequence

import numpy as np

import tinygrad_edu as torch  # backend
from tinygrad_edu import nn  # backend
from tinygrad_edu.utils import data  # backend
import tinygrad_edu.vision as torchvision  # backend

from tinygrad_edu.data import fashion_mnist as _fmnist  # NumPy only: the same files for both backends
from tinygrad_edu.models import modern as _modern  # models written over an nn namespace: either backend

FIGURE_DIR = os.environ.get("D2L_FIGURE_DIR", os.path.join("out", "d2l"))

# ----------------------------------------------------------------------------- short aliases
# d2l's code calls these framework-neutral names (d2l.reshape, d2l.argmax, ...).
ones, zeros, tensor, arange, meshgrid = torch.ones, torch.zeros, torch.tensor, torch.arange, torch.meshgrid
linspace, exp, log, normal, rand, randn = torch.linspace, torch.exp, torch.log, torch.normal, torch.rand, torch.randn
matmul, concat, stack, abs, eye, tanh, sigmoid = torch.matmul, torch.cat, torch.stack, torch.abs, torch.eye, \
    torch.tanh, torch.sigmoid
sin, cos = torch.sin, torch.cos
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


# ----------------------------------------------------------------------------- plotting
# Inside a Jupyter (IPython) kernel figures appear inline, as with d2l on torch; in scripts and CI
# they are written as PNG files under FIGURE_DIR. A matplotlib backend the user or the kernel has
# already chosen (matplotlib.use, MPLBACKEND, %matplotlib) is never replaced.

def _kernel() -> bool:
    """True inside an IPython kernel (Jupyter, nbclient); False in scripts and plain IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and getattr(shell, "kernel", None) is not None


def _backend_chosen(matplotlib: Any) -> bool:
    params = matplotlib.rcParams
    if hasattr(params, "_get_backend_or_none"):
        return params._get_backend_or_none() is not None
    from matplotlib import rcsetup
    return dict.__getitem__(params, "backend") is not getattr(rcsetup, "_auto_backend_sentinel", None)


def _plt() -> Any:
    import matplotlib
    if not _backend_chosen(matplotlib):  # nobody chose: the kernel's inline display, else files
        matplotlib.use("module://matplotlib_inline.backend_inline" if _kernel() else "Agg")
    import matplotlib.pyplot as pyplot
    return pyplot


class _LazyPyplot:
    """``d2l.plt``: matplotlib.pyplot (with the backend ``_plt`` settles), imported on first use."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_plt(), name)


plt = _LazyPyplot()
_figures = [0]


def use_svg_display() -> None:
    """Show inline figures as SVG in a Jupyter kernel (d2l's setting); outside one, figures are
    written as PNG files and this does nothing."""
    if _kernel():
        _plt()
        from matplotlib_inline import backend_inline
        backend_inline.set_matplotlib_formats("svg")


def set_figsize(figsize: tuple[float, float] = (3.5, 2.5)) -> None:
    _plt().rcParams["figure.figsize"] = figsize


def savefig(name: Optional[str] = None) -> Optional[str]:
    """Outside a kernel: write the current figure to FIGURE_DIR and return the path (the
    notebook's display). Inside one the figure is shown inline when the cell ends; None."""
    if _kernel():
        return None
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
         axes: Any = None) -> Optional[str]:
    """Plot one or several curves (d2l.plot): inline in a kernel, else a PNG file (its path)."""
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
    """Curves that grow during training (d2l.Animator). Each ``add`` appends points, prints one
    progress line and redraws: in a kernel one figure in place (display, then clear_output with
    wait=True, as d2l does), elsewhere ``FIGURE_DIR/animator.png``."""

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
        self.fig: Any = None  # the figure redrawn in place inside a kernel

    def add(self, x: Any, y: Any) -> None:
        if not hasattr(y, "__len__"):
            y = [y]
        n = len(y)
        if not hasattr(x, "__len__"):
            x = [x] * n
        if self.X is None or self.Y is None:
            self.X, self.Y = [[] for _ in range(n)], [[] for _ in range(n)]
        X, Y = self.X, self.Y
        for i, (a, b) in enumerate(zip(x, y)):
            if a is not None and b is not None:
                X[i].append(float(a))
                Y[i].append(float(b))
        names = self.legend or [f"y{i}" for i in range(n)]
        print(f"{self.config['xlabel'] or 'x'} {float(x[0]):g}: "
              + ", ".join(f"{name} {float(v):.3f}" for name, v in zip(names, y) if v is not None), flush=True)
        self._draw()

    def _draw(self) -> None:
        try:
            pyplot = _plt()
        except ImportError:  # matplotlib is optional: the progress lines still show the numbers
            return
        inline = _kernel()
        if inline and self.fig is not None:
            fig = self.fig
            ax = fig.axes[0]
            ax.cla()
        else:
            fig, axes = pyplot.subplots(*self.shape, figsize=self.figsize)
            ax = np.asarray(axes).flatten()[0]
        for x, y, fmt in zip(self.X or [], self.Y or [], self.fmts):
            ax.plot(x, y, fmt)
        set_axes(ax, legend=self.legend, **self.config)
        if inline:
            from IPython import display
            self.fig = fig
            display.display(fig)
            display.clear_output(wait=True)
            return
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
        self.tik = time.perf_counter()

    def stop(self) -> float:
        self.times.append(time.perf_counter() - self.tik)
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


def get_dataloader_workers() -> int:
    """The worker processes d2l's loaders ask for."""
    return 4


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


class _AugmentedLoader:
    """Batches of a loader with ``augs`` (a transforms pipeline: tinygrad_edu.vision.transforms,
    or torchvision's on torch) applied to every (C, H, W) image tensor on its own, as a data
    set's transform would be."""

    def __init__(self, loader: Any, augs: Any) -> None:
        self.loader, self.augs = loader, augs

    def __len__(self) -> int:
        return len(self.loader)

    def __iter__(self) -> Any:
        for X, y in self.loader:
            images = np.stack([np.asarray(_as_numpy(self.augs(X[i]))) for i in range(len(X))])
            yield torch.tensor(images.astype(_as_numpy(X).dtype, copy=False)), y  # the batch's float dtype


def load_data_fashion_mnist(batch_size: int, resize: Any = None, *, train_augs: Any = None,
                            test_augs: Any = None) -> tuple[Any, Any]:
    """Fashion-MNIST as (train_iter, test_iter) of (X, y) batches: X float32 (N, 1, 28, 28) in
    [0, 1] (or resized), y int64. Uses the full data set when installed, else the sample bundled
    with tinygrad_edu, and says which. ``train_augs``/``test_augs`` (transforms
    pipelines on (1, H, W) images, applied after ``resize``) augment each split (d2l ch. 14.1)."""
    found = _fmnist.load_fashion_mnist()
    print(found.describe())
    iters = []
    for split, augs in (("train", train_augs), ("test", test_augs)):
        X, y = found.arrays(split)
        loader = load_array((torch.tensor(X), torch.tensor(y.astype(np.int64))), batch_size,
                            is_train=split == "train")
        if resize:
            out = (resize, resize) if isinstance(resize, int) else tuple(resize)
            loader = _ResizedLoader(loader, out, X.shape[-2:])
        if augs is not None:
            loader = _AugmentedLoader(loader, augs)
        iters.append(loader)
    return iters[0], iters[1]


def load_data_fashion_detection(batch_size: int, n_train: int = 1000, n_test: int = 100, canvas: int = 64,
                                objects: int = 1, num_classes: int = 10) -> tuple[Any, Any]:
    """d2l's ``load_data_bananas`` for the Fashion-MNIST detection set made here
    (tinygrad_edu.data.detection): batches of (images (N, 1, canvas, canvas), labels (N, objects, 5)).
    ``num_classes=1`` labels every item class 0 ("an object"), as the banana set has one class."""
    from tinygrad_edu.data.detection import make_detection_set, single_class
    if num_classes not in (1, 10):
        raise ValueError(f"load_data_fashion_detection: num_classes must be 10 (Fashion-MNIST's classes) or 1 "
                         f"(one 'object' class), got {num_classes}")
    found = _fmnist.load_fashion_mnist()
    iters = []
    for split, n, seed in (("train", n_train, 0), ("test", n_test, 1)):
        X, y = found.arrays(split)
        images, labels = make_detection_set(X, y, n, canvas=canvas, objects=objects, seed=seed)
        if num_classes == 1:
            labels = single_class(labels)
        iters.append(load_array((torch.tensor(images), torch.tensor(labels)), batch_size, is_train=split == "train"))
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
    timer = Timer()
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


# ----------------------------------------------------------------------------- ch. 7 and 13: ResNet, train_ch13

# The residual block of d2l 7.6 (tinygrad_edu.models, written once over either framework's nn).
Residual = _modern.blocks(nn).Residual


def resnet18(num_classes: int, in_channels: int = 1) -> Any:
    """d2l's slightly modified ResNet-18 (ch. 13.5/14.1): a 3x3 first convolution with stride 1 and
    no max-pool, so that small images keep their resolution."""
    def stage(in_channels: int, out_channels: int, num_residuals: int, first_block: bool = False) -> Any:
        return nn.Sequential(*_modern.resnet_block(nn, in_channels, out_channels, num_residuals, first_block))

    net = nn.Sequential(nn.Conv2d(in_channels, 64, kernel_size=3, stride=1, padding=1), nn.BatchNorm2d(64), nn.ReLU())
    net.add_module("resnet_block1", stage(64, 64, 2, first_block=True))
    net.add_module("resnet_block2", stage(64, 128, 2))
    net.add_module("resnet_block3", stage(128, 256, 2))
    net.add_module("resnet_block4", stage(256, 512, 2))
    net.add_module("global_avg_pool", nn.AdaptiveAvgPool2d((1, 1)))
    net.add_module("fc", nn.Sequential(nn.Flatten(), nn.Linear(512, num_classes)))
    return net


def train_batch_ch13(net: Any, X: Any, y: Any, loss: Any, trainer: Any, devices: Sequence[Any]) -> tuple[Any, float]:
    """One minibatch (d2l 13.5): the loss is per example (reduction='none') and its sum is
    backpropagated; returns (sum of losses, number correct)."""
    X = [x.to(devices[0]) for x in X] if isinstance(X, list) else X.to(devices[0])
    y = y.to(devices[0])
    net.train()
    trainer.zero_grad()
    pred = net(X)
    l = loss(pred, y)
    l.sum().backward()
    trainer.step()
    return l.sum(), accuracy(pred, y)


def train_ch13(net: Any, train_iter: Any, test_iter: Any, loss: Any, trainer: Any, num_epochs: int,
               devices: Optional[Sequence[Any]] = None) -> tuple[float, float, float]:
    """d2l's training loop of ch. 13-14 (the network wrapped in nn.DataParallel); returns (train
    loss, train accuracy, test accuracy) of the last epoch and prints them and examples/sec."""
    devices = list(devices) if devices is not None else try_all_gpus()
    timer, num_batches = Timer(), len(train_iter)
    animator = Animator(xlabel="epoch", xlim=[1, num_epochs], ylim=[0, 1],
                        legend=["train loss", "train acc", "test acc"])
    net = nn.DataParallel(net, device_ids=devices).to(devices[0])
    for epoch in range(num_epochs):
        metric = Accumulator(4)  # sum of losses, number correct, examples, predictions
        for i, (features, labels) in enumerate(train_iter):
            timer.start()
            l, acc = train_batch_ch13(net, features, labels, loss, trainer, devices)
            metric.add(float(l.detach()), acc, labels.shape[0], labels.numel())
            timer.stop()
            if (i + 1) % max(num_batches // 5, 1) == 0 or i == num_batches - 1:
                animator.add(epoch + (i + 1) / num_batches, (metric[0] / metric[2], metric[1] / metric[3], None))
        test_acc = evaluate_accuracy_gpu(net, test_iter)
        animator.add(epoch + 1, (None, None, test_acc))
    print(f"loss {metric[0] / metric[2]:.3f}, train acc {metric[1] / metric[3]:.3f}, test acc {test_acc:.3f}")
    print(f"{metric[2] * num_epochs / timer.sum():.1f} examples/sec on {str(devices)}")
    return metric[0] / metric[2], metric[1] / metric[3], test_acc


# ----------------------------------------------------------------------------- ch. 8-9: sequences and text

import collections  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402

from tinygrad_edu.data import text as _text  # NumPy-free: the bundled file, checksum verified


def read_time_machine() -> list[str]:
    """The Time Machine as lines of lower-case letters and spaces (everything else becomes a
    space). The text is the copy bundled with tinygrad_edu, checked against d2l's SHA-1."""
    return [re.sub("[^A-Za-z]+", " ", line).strip().lower()
            for line in _text.read_time_machine_text().splitlines(keepends=True)]


def tokenize(lines: list[str], token: str = "word") -> list[list[str]]:
    """Split each line into words or characters."""
    if token == "word":
        return [line.split() for line in lines]
    if token == "char":
        return [list(line) for line in lines]
    raise ValueError(f"tokenize: unknown token type {token!r} (expected 'word' or 'char')")


def count_corpus(tokens: list[Any]) -> collections.Counter:
    """Token frequencies of a flat list of tokens or of a list of token lists."""
    if len(tokens) == 0 or isinstance(tokens[0], list):
        tokens = [tok for line in tokens for tok in line]
    return collections.Counter(tokens)


class Vocab:
    """Token <-> index maps: index 0 is '<unk>', then the reserved tokens, then the corpus's
    tokens from most to least frequent (those at least ``min_freq`` times)."""

    def __init__(self, tokens: Optional[list[Any]] = None, min_freq: int = 0,
                 reserved_tokens: Optional[list[str]] = None) -> None:
        if tokens is not None and len(tokens) == 0:
            raise ValueError("Vocab: the corpus is empty (no tokens to count); pass tokens=None for a "
                             "vocabulary of the reserved tokens only")
        tokens = tokens if tokens is not None else []
        counts = count_corpus(tokens)
        self._token_freqs = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
        self.idx_to_token = ["<unk>"] + list(reserved_tokens or [])
        self.token_to_idx = {tok: i for i, tok in enumerate(self.idx_to_token)}
        for tok, freq in self._token_freqs:
            if freq < min_freq:
                break
            if tok not in self.token_to_idx:
                self.token_to_idx[tok] = len(self.idx_to_token)
                self.idx_to_token.append(tok)

    def __len__(self) -> int:
        return len(self.idx_to_token)

    def __getitem__(self, tokens: Any) -> Any:
        if not isinstance(tokens, (list, tuple)):
            return self.token_to_idx.get(tokens, self.unk)
        return [self[tok] for tok in tokens]

    def to_tokens(self, indices: Any) -> Any:
        if not isinstance(indices, (list, tuple)):
            return self.idx_to_token[int(indices)]
        return [self.idx_to_token[int(i)] for i in indices]

    @property
    def unk(self) -> int:
        return 0

    @property
    def token_freqs(self) -> list[tuple[Any, int]]:
        return self._token_freqs


def load_corpus_time_machine(max_tokens: int = -1) -> tuple[list[int], Vocab]:
    """The character indices of The Time Machine (the first ``max_tokens``) and its vocabulary."""
    tokens = tokenize(read_time_machine(), "char")
    vocab = Vocab(tokens)
    corpus = [vocab[tok] for line in tokens for tok in line]
    if max_tokens > 0:
        corpus = corpus[:max_tokens]
    return corpus, vocab


def seq_data_iter_random(corpus: list[int], batch_size: int, num_steps: int) -> Any:
    """Minibatches of subsequences starting at random offsets (Python's ``random``, as the book,
    so a seed gives the same batches on any backend); Y is X shifted by one token."""
    corpus = corpus[random.randint(0, num_steps - 1):]
    num_subseqs = (len(corpus) - 1) // num_steps
    starts = list(range(0, num_subseqs * num_steps, num_steps))
    random.shuffle(starts)
    num_batches = num_subseqs // batch_size
    for i in range(0, batch_size * num_batches, batch_size):
        chosen = starts[i:i + batch_size]
        X = [corpus[j:j + num_steps] for j in chosen]
        Y = [corpus[j + 1:j + 1 + num_steps] for j in chosen]
        yield torch.tensor(X), torch.tensor(Y)


def seq_data_iter_sequential(corpus: list[int], batch_size: int, num_steps: int) -> Any:
    """Minibatches whose rows continue where the previous batch's rows stopped (so the hidden
    state can be carried over); a random initial offset."""
    offset = random.randint(0, num_steps)
    num_tokens = ((len(corpus) - offset - 1) // batch_size) * batch_size
    Xs = torch.tensor(corpus[offset:offset + num_tokens]).reshape(batch_size, -1)
    Ys = torch.tensor(corpus[offset + 1:offset + 1 + num_tokens]).reshape(batch_size, -1)
    num_batches = Xs.shape[1] // num_steps
    for i in range(0, num_steps * num_batches, num_steps):
        yield Xs[:, i:i + num_steps], Ys[:, i:i + num_steps]


class SeqDataLoader:
    """Iterates over Time Machine minibatches with one of the two samplers."""

    def __init__(self, batch_size: int, num_steps: int, use_random_iter: bool, max_tokens: int) -> None:
        self.data_iter_fn = seq_data_iter_random if use_random_iter else seq_data_iter_sequential
        self.corpus, self.vocab = load_corpus_time_machine(max_tokens)
        self.batch_size, self.num_steps = batch_size, num_steps

    def __iter__(self) -> Any:
        return self.data_iter_fn(self.corpus, self.batch_size, self.num_steps)


def load_data_time_machine(batch_size: int, num_steps: int, use_random_iter: bool = False,
                           max_tokens: int = 10000) -> tuple[SeqDataLoader, Vocab]:
    """The Time Machine's minibatch iterator and vocabulary."""
    data_iter = SeqDataLoader(batch_size, num_steps, use_random_iter, max_tokens)
    return data_iter, data_iter.vocab


class RNNModelScratch:
    """An RNN written from scratch: ``get_params`` makes the weights, ``init_state`` the initial
    state, ``forward_fn`` runs the time steps on one-hot inputs."""

    def __init__(self, vocab_size: int, num_hiddens: int, device: Any, get_params: Any, init_state: Any,
                 forward_fn: Any) -> None:
        self.vocab_size, self.num_hiddens = vocab_size, num_hiddens
        self.params = get_params(vocab_size, num_hiddens, device)
        self.init_state, self.forward_fn = init_state, forward_fn

    def __call__(self, X: Any, state: Any) -> Any:
        X = nn.functional.one_hot(X.T, self.vocab_size).type(torch.float32)
        return self.forward_fn(X, state, self.params)

    def begin_state(self, batch_size: int, device: Any) -> Any:
        return self.init_state(batch_size, self.num_hiddens, device)


def predict_ch8(prefix: str, num_preds: int, net: Any, vocab: Vocab, device: Any) -> str:
    """Warm the state up on ``prefix``, then generate ``num_preds`` characters greedily."""
    state = net.begin_state(batch_size=1, device=device)
    outputs = [vocab[prefix[0]]]

    def last() -> Any:
        return torch.tensor([outputs[-1]], device=device).reshape((1, 1))

    for ch in prefix[1:]:
        _, state = net(last(), state)
        outputs.append(vocab[ch])
    for _ in range(num_preds):
        y, state = net(last(), state)
        outputs.append(int(y.argmax(dim=1).reshape(1)))
    return "".join(vocab.idx_to_token[i] for i in outputs)


def grad_clipping(net: Any, theta: float) -> None:
    """Rescale the gradients so that their joint L2 norm is at most ``theta``."""
    if isinstance(net, nn.Module):
        params = [p for p in net.parameters() if p.requires_grad]
    else:
        params = net.params
    grads: list[Any] = [p.grad for p in params]
    squares: Any = sum(torch.sum(g ** 2) for g in grads)
    norm = torch.sqrt(squares)
    if norm > theta:
        for g in grads:
            g[:] *= theta / norm


def train_epoch_ch8(net: Any, train_iter: Any, loss: Any, updater: Any, device: Any,
                    use_random_iter: bool) -> tuple[float, float]:
    """One epoch of language-model training; returns (perplexity, tokens per second). The state
    is reset for random minibatches and carried over (detached) for sequential ones."""
    state, timer = None, Timer()
    metric = Accumulator(2)
    for X, Y in train_iter:
        if state is None or use_random_iter:
            state = net.begin_state(batch_size=X.shape[0], device=device)
        elif isinstance(net, nn.Module) and not isinstance(state, tuple):
            state.detach_()
        else:
            for s in state:
                s.detach_()
        y = Y.T.reshape(-1)
        X, y = X.to(device), y.to(device)
        y_hat, state = net(X, state)
        l = loss(y_hat, y.long()).mean()
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.backward()
            grad_clipping(net, 1)
            updater.step()
        else:
            l.backward()
            grad_clipping(net, 1)
            updater(batch_size=1)
        metric.add(l * y.numel(), y.numel())
    return math.exp(metric[0] / metric[1]), metric[1] / max(timer.stop(), 1e-9)


def train_ch8(net: Any, train_iter: Any, vocab: Vocab, lr: float, num_epochs: int, device: Any,
              use_random_iter: bool = False) -> tuple[float, float, str]:
    """Train a character-level language model; prints perplexity, tokens/s and a generated text
    as the book does, and returns (perplexity, tokens/s, text after 'time traveller')."""
    loss = nn.CrossEntropyLoss()
    animator = Animator(xlabel="epoch", ylabel="perplexity", legend=["train"], xlim=[10, num_epochs])
    if isinstance(net, nn.Module):
        updater: Any = torch.optim.SGD(net.parameters(), lr)
    else:
        updater = lambda batch_size: sgd(net.params, lr, batch_size)  # noqa: E731
    predict = lambda prefix: predict_ch8(prefix, 50, net, vocab, device)  # noqa: E731
    ppl, speed = float("nan"), 0.0
    for epoch in range(num_epochs):
        ppl, speed = train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter)
        if (epoch + 1) % 10 == 0:
            print(predict("time traveller"))
            animator.add(epoch + 1, [ppl])
    print(f"perplexity {ppl:.1f}, {speed:.1f} tokens/sec on {str(device)}")
    text = predict("time traveller")
    print(text)
    print(predict("traveller"))
    return ppl, speed, text


class RNNModel(nn.Module):
    """A language model around a recurrent layer: one-hot inputs, the layer, a linear output."""

    def __init__(self, rnn_layer: Any, vocab_size: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.num_hiddens = self.rnn.hidden_size
        self.num_directions = 2 if self.rnn.bidirectional else 1
        self.linear = nn.Linear(self.num_hiddens * self.num_directions, self.vocab_size)

    def forward(self, inputs: Any, state: Any) -> Any:
        X = nn.functional.one_hot(inputs.T.long(), self.vocab_size).to(torch.float32)
        Y, state = self.rnn(X, state)
        return self.linear(Y.reshape((-1, Y.shape[-1]))), state

    def begin_state(self, device: Any, batch_size: int = 1) -> Any:
        shape = (self.num_directions * self.rnn.num_layers, batch_size, self.num_hiddens)
        if not isinstance(self.rnn, nn.LSTM):
            return torch.zeros(shape, device=device)
        return torch.zeros(shape, device=device), torch.zeros(shape, device=device)


# ----------------------------------------------------------------------------- ch. 14: boxes and anchors
# Boxes are (x1, y1, x2, y2) corners or (cx, cy, w, h) centres, one per row.

def _check_boxes(op: str, boxes: Any, name: str = "boxes", corners: bool = True) -> None:
    """Refuse what would silently give wrong IoUs: not (n, 4), or x2 < x1 / y2 < y1 for corner boxes."""
    if boxes.ndim != 2 or boxes.shape[-1] != 4:
        raise ValueError(f"{op}: {name} must have shape (n, 4), got {tuple(boxes.shape)}")
    if corners and boxes.shape[0]:
        bad = (boxes[:, 2] < boxes[:, 0]) | (boxes[:, 3] < boxes[:, 1])
        if bad.any():
            i = int(torch.nonzero(bad)[0, 0])
            raise ValueError(f"{op}: {name}[{i}] = {boxes[i].tolist()} has x_max < x_min or y_max < y_min "
                             f"(corner boxes are (x_min, y_min, x_max, y_max))")


def box_corner_to_center(boxes: Any) -> Any:
    """(x1, y1, x2, y2) -> (cx, cy, w, h)."""
    x1, y1, x2, y2 = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    return torch.stack(((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1), dim=-1)


def box_center_to_corner(boxes: Any) -> Any:
    """(cx, cy, w, h) -> (x1, y1, x2, y2)."""
    cx, cy, w, h = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    return torch.stack((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), dim=-1)


def bbox_to_rect(bbox: Any, color: str) -> Any:
    """A matplotlib rectangle (unfilled) for a corner box."""
    x1, y1, x2, y2 = (float(v) for v in bbox)
    return _plt().Rectangle(xy=(x1, y1), width=x2 - x1, height=y2 - y1, fill=False, edgecolor=color, linewidth=2)


def multibox_prior(data: Any, sizes: Sequence[float], ratios: Sequence[float]) -> Any:
    """Anchor boxes centred on every pixel of ``data``'s (h, w) map, in coordinates scaled to
    [0, 1]: for sizes s_1..s_n and ratios r_1..r_m, the n + m - 1 boxes (s_i, r_1) and (s_1, r_j),
    width s sqrt(r) (times h / w, so that the ratio holds in pixels) and height s / sqrt(r).
    Returns (1, h * w * (n + m - 1), 4)."""
    if not len(sizes) or not len(ratios) or min(sizes) <= 0 or min(ratios) <= 0:
        raise ValueError(f"multibox_prior: sizes {list(sizes)} and ratios {list(ratios)} must be non-empty "
                         f"and positive")
    if data.ndim < 2:
        raise ValueError(f"multibox_prior: data must end with (height, width), got shape {tuple(data.shape)}")
    in_height, in_width = data.shape[-2:]
    device, per_pixel = data.device, len(sizes) + len(ratios) - 1
    size_t = torch.tensor(sizes, device=device)
    ratio_t = torch.tensor(ratios, device=device)
    centre_h = (torch.arange(in_height, device=device) + 0.5) / in_height
    centre_w = (torch.arange(in_width, device=device) + 0.5) / in_width
    cy, cx = torch.meshgrid(centre_h, centre_w, indexing="ij")
    cy, cx = cy.reshape(-1), cx.reshape(-1)
    widths = torch.cat((size_t * torch.sqrt(ratio_t[0]), sizes[0] * torch.sqrt(ratio_t[1:]))) * in_height / in_width
    heights = torch.cat((size_t / torch.sqrt(ratio_t[0]), sizes[0] / torch.sqrt(ratio_t[1:])))
    half = torch.stack((-widths, -heights, widths, heights)).T.repeat(in_height * in_width, 1) / 2
    centres = torch.stack([cx, cy, cx, cy], dim=1).repeat_interleave(per_pixel, dim=0)
    return (centres + half).unsqueeze(0)


def show_bboxes(axes: Any, bboxes: Any, labels: Any = None, colors: Any = None) -> None:
    """Draw boxes (and their labels) on matplotlib axes."""
    def as_list(obj: Any, default: Any) -> list[Any]:
        obj = default if obj is None else obj
        return list(obj) if isinstance(obj, (list, tuple)) else [obj]
    labels = as_list(labels, [])
    colors = as_list(colors, ["b", "g", "r", "m", "c"])
    for i, bbox in enumerate(bboxes):
        color = colors[i % len(colors)]
        rect = bbox_to_rect(_as_numpy(bbox), color)
        axes.add_patch(rect)
        if i < len(labels):
            text_color = "k" if color == "w" else "w"
            axes.text(rect.xy[0], rect.xy[1], labels[i], va="center", ha="center", fontsize=9,
                      color=text_color, bbox=dict(facecolor=color, lw=0))


def box_iou(boxes1: Any, boxes2: Any) -> Any:
    """Intersection over union of every pair: (n1, n2). The intersection of two boxes is the box
    between the larger upper-left and the smaller lower-right corner (empty if they cross)."""
    _check_boxes("box_iou", boxes1, "boxes1")
    _check_boxes("box_iou", boxes2, "boxes2")
    area = lambda b: (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])  # noqa: E731
    upper_left = torch.max(boxes1[:, None, :2], boxes2[:, :2])
    lower_right = torch.min(boxes1[:, None, 2:], boxes2[:, 2:])
    sides = (lower_right - upper_left).clamp(min=0)
    inter = sides[:, :, 0] * sides[:, :, 1]
    return inter / (area(boxes1)[:, None] + area(boxes2) - inter)


def assign_anchor_to_bbox(ground_truth: Any, anchors: Any, device: Any, iou_threshold: float = 0.5) -> Any:
    """For each anchor, the index of its ground-truth box or -1. First the greedy pass: the
    largest IoU left in the table pairs its anchor and box, whose row and column are then struck
    out, once per box; then every other anchor whose best IoU reaches the threshold takes that box.
    (The book's code compares with 0.5 whatever ``iou_threshold`` says; this one honours it.)"""
    n_anchors, n_boxes = anchors.shape[0], ground_truth.shape[0]
    iou = box_iou(anchors, ground_truth)
    assigned = torch.full((n_anchors,), -1, dtype=torch.long, device=device)
    best, best_box = torch.max(iou, dim=1)
    good = best >= iou_threshold
    assigned[torch.nonzero(good).reshape(-1)] = best_box[good]
    for _ in range(n_boxes):
        flat = torch.argmax(iou)
        box, anchor = (flat % n_boxes).long(), (flat // n_boxes).long()
        assigned[anchor] = box
        iou[:, box] = -1
        iou[anchor, :] = -1
    return assigned


def offset_boxes(anchors: Any, assigned_bb: Any, eps: float = 1e-6) -> Any:
    """The regression targets: centre shifts in anchor widths / 0.1 and log size ratios / 0.2."""
    a, b = box_corner_to_center(anchors), box_corner_to_center(assigned_bb)
    xy = 10 * (b[:, :2] - a[:, :2]) / a[:, 2:]
    wh = 5 * torch.log(eps + b[:, 2:] / a[:, 2:])
    return torch.cat([xy, wh], dim=1)


def multibox_target(anchors: Any, labels: Any) -> tuple[Any, Any, Any]:
    """Per image: box offsets (zero for background anchors), a mask of the anchors that have a
    box, and class labels (0 = background, box class + 1 otherwise)."""
    if labels.ndim != 3 or labels.shape[-1] != 5:
        raise ValueError(f"multibox_target: labels must be (batch, boxes, 5) rows of (class, x1, y1, x2, y2), "
                         f"got shape {tuple(labels.shape)}")
    if anchors.ndim != 3 or anchors.shape[0] != 1 or anchors.shape[-1] != 4:
        raise ValueError(f"multibox_target: anchors must be (1, n, 4) as multibox_prior makes them (shared by the "
                         f"batch of {labels.shape[0]}), got shape {tuple(anchors.shape)}")
    if labels.shape[1] == 0:
        raise ValueError(f"multibox_target: every image needs at least one ground-truth box to match anchors "
                         f"against; got labels of shape {tuple(labels.shape)} (0 boxes)")
    batch, anchors = labels.shape[0], anchors.squeeze(0)
    offsets, masks, classes = [], [], []
    device, n_anchors = anchors.device, anchors.shape[0]
    for i in range(batch):
        label = labels[i, :, :]
        assigned = assign_anchor_to_bbox(label[:, 1:], anchors, device)
        mask = (assigned >= 0).float().unsqueeze(-1).repeat(1, 4)
        cls = torch.zeros(n_anchors, dtype=torch.long, device=device)
        boxes = torch.zeros((n_anchors, 4), dtype=torch.float32, device=device)
        positive = torch.nonzero(assigned >= 0)
        which = assigned[positive]
        cls[positive] = label[which, 0].long() + 1
        boxes[positive] = label[which, 1:]
        offsets.append((offset_boxes(anchors, boxes) * mask).reshape(-1))
        masks.append(mask.reshape(-1))
        classes.append(cls)
    return torch.stack(offsets), torch.stack(masks), torch.stack(classes)


def offset_inverse(anchors: Any, offset_preds: Any) -> Any:
    """Boxes from anchors and predicted offsets (the inverse of offset_boxes)."""
    a = box_corner_to_center(anchors)
    xy = offset_preds[:, :2] * a[:, 2:] / 10 + a[:, :2]
    wh = torch.exp(offset_preds[:, 2:] / 5) * a[:, 2:]
    return box_center_to_corner(torch.cat((xy, wh), dim=1))


def nms(boxes: Any, scores: Any, iou_threshold: float) -> Any:
    """Non-maximum suppression: repeatedly keep the best-scoring box left and drop the others
    that overlap it by more than ``iou_threshold``. Returns the kept indices, best first."""
    _check_boxes("nms", boxes)
    if scores.ndim != 1 or scores.shape[0] != boxes.shape[0]:
        raise ValueError(f"nms: scores must be one per box: boxes {tuple(boxes.shape)}, scores {tuple(scores.shape)}")
    order = torch.argsort(scores, dim=-1, descending=True)
    keep = []
    while order.numel() > 0:
        best = order[0]
        keep.append(best)
        if order.numel() == 1:
            break
        iou = box_iou(boxes[best, :].reshape(-1, 4), boxes[order[1:], :].reshape(-1, 4)).reshape(-1)
        order = order[torch.nonzero(iou <= iou_threshold).reshape(-1) + 1]
    return torch.tensor(keep, dtype=torch.int64, device=boxes.device)


def multibox_detection(cls_probs: Any, offset_preds: Any, anchors: Any, nms_threshold: float = 0.5,
                       pos_threshold: float = 0.009999999) -> Any:
    """Per image, one row per anchor: (class or -1, confidence, box). Each anchor's box is
    predicted from its offsets, NMS runs over all boxes regardless of class, and the suppressed
    ones (and those below ``pos_threshold``) are marked background (-1); kept boxes come first."""
    if cls_probs.ndim != 3 or offset_preds.shape != (cls_probs.shape[0], 4 * cls_probs.shape[2]) \
            or tuple(anchors.shape) != (1, cls_probs.shape[2], 4):
        raise ValueError(f"multibox_detection: expected cls_probs (batch, classes + 1, n), offset_preds (batch, 4n) "
                         f"and anchors (1, n, 4); got {tuple(cls_probs.shape)}, {tuple(offset_preds.shape)}, "
                         f"{tuple(anchors.shape)}")
    anchors = anchors.squeeze(0)
    n_anchors, rows = cls_probs.shape[2], []
    for i in range(cls_probs.shape[0]):
        probs, offsets = cls_probs[i], offset_preds[i].reshape(-1, 4)
        conf, class_id = torch.max(probs[1:], 0)
        boxes = offset_inverse(anchors, offsets)
        keep = nms(boxes, conf, nms_threshold)
        everyone = torch.arange(n_anchors, dtype=torch.long, device=keep.device)
        values, counts = torch.cat((keep, everyone)).unique(return_counts=True)
        dropped = values[counts == 1]
        order = torch.cat((keep, dropped))
        class_id[dropped] = -1
        class_id, conf, boxes = class_id[order], conf[order], boxes[order]
        weak = conf < pos_threshold
        class_id[weak] = -1
        conf[weak] = 1 - conf[weak]
        rows.append(torch.cat((class_id.unsqueeze(1), conf.unsqueeze(1), boxes), dim=1))
    return torch.stack(rows)


# ----------------------------------------------------------------------------- ch. 14: the vision data sets
# The book downloads these; here nothing is fetched. ``download``/``download_extract`` use a file
# already in ``../data`` (or its extracted folder), and otherwise say where to put it.
import hashlib  # noqa: E402
import tarfile  # noqa: E402
import zipfile  # noqa: E402

from PIL import Image  # noqa: E402,F401  (d2l.Image: the book opens its pictures with it)

DATA_URL = "http://d2l-data.s3-accelerate.amazonaws.com/"
DATA_HUB: dict[str, tuple[str, str]] = {
    "banana-detection": (DATA_URL + "banana-detection.zip", "5de26c8fce5ccdea9f91267273464dc968d20d72"),
    "voc2012": (DATA_URL + "VOCtrainval_11-May-2012.tar", "4e443f8a2eca6b1dac8a6c57641b67dd40621a49"),
    "hotdog": (DATA_URL + "hotdog.zip", "fba480ffa8aa7e0febbb511d181409f899b9baa5"),
    "cifar10_tiny": (DATA_URL + "kaggle_cifar10_tiny.zip", "2068874e4b9a9f0fb07ebe0ad2b29754449ccacd"),
    "dog_tiny": (DATA_URL + "kaggle_dog_tiny.zip", "0cb91d09b814ecdc07b50f31f8dcad3e81d6a86d"),
}


def download(name: str, cache_dir: str = os.path.join("..", "data")) -> str:
    """The path of DATA_HUB's file ``name`` in ``cache_dir``; it must be there already."""
    if name not in DATA_HUB:
        raise KeyError(f"download: {name!r} is not in d2l.DATA_HUB (it has {', '.join(sorted(DATA_HUB))})")
    url, sha1_hash = DATA_HUB[name]
    fname = os.path.join(cache_dir, url.split("/")[-1])
    if not os.path.exists(fname):
        raise FileNotFoundError(f"download: {fname} is not here, and this d2l does not download: fetch {url} "
                                f"(sha1 {sha1_hash}) and put it in {os.path.abspath(cache_dir)}, or its extracted "
                                f"folder next to it")
    sha1 = hashlib.sha1()
    with open(fname, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            sha1.update(chunk)
    if sha1.hexdigest() != sha1_hash:
        print(f"download: {fname} is not the published file (sha1 {sha1.hexdigest()}, expected {sha1_hash}); "
              f"using it as it is", file=sys.stderr)
    return fname


def download_extract(name: str, folder: Optional[str] = None) -> str:
    """The folder of DATA_HUB's archive ``name``, extracted next to it (or already extracted)."""
    if name not in DATA_HUB:
        raise KeyError(f"download_extract: {name!r} is not in d2l.DATA_HUB (it has {', '.join(sorted(DATA_HUB))})")
    cache_dir = os.path.join("..", "data")
    archive = os.path.join(cache_dir, DATA_HUB[name][0].split("/")[-1])
    base_dir, data_dir = os.path.dirname(archive), os.path.splitext(archive)[0]
    target = os.path.join(base_dir, folder) if folder else data_dir
    if not os.path.exists(archive) and os.path.isdir(target):
        return target
    fname = download(name, cache_dir)
    if fname.endswith(".zip"):
        with zipfile.ZipFile(fname, "r") as z:
            z.extractall(base_dir)
    elif fname.endswith((".tar", ".gz")):
        with tarfile.open(fname, "r") as t:
            t.extractall(base_dir, filter="data")
    else:
        raise ValueError(f"download_extract: only zip/tar files can be extracted, got {fname}")
    return target


def read_data_bananas(is_train: bool = True) -> tuple[list[Any], Any]:
    """The banana detection images (uint8 CHW tensors) and their labels (N, 1, 5): class, then
    the box corners divided by the 256-pixel edge."""
    import pandas as pd
    data_dir = download_extract("banana-detection")
    split = "bananas_train" if is_train else "bananas_val"
    csv_data = pd.read_csv(os.path.join(data_dir, split, "label.csv")).set_index("img_name")
    images, targets = [], []
    for img_name, target in csv_data.iterrows():
        images.append(torchvision.io.read_image(os.path.join(data_dir, split, "images", f"{img_name}")))
        targets.append(list(target))
    return images, torch.tensor(targets).unsqueeze(1) / 256


class BananasDataset(data.Dataset):
    """The banana detection set as a Dataset of (float image, label)."""

    def __init__(self, is_train: bool) -> None:
        self.features, self.labels = read_data_bananas(is_train)
        print("read " + str(len(self.features)) + (" training examples" if is_train else " validation examples"))

    def __getitem__(self, idx: int) -> tuple[Any, Any]:
        return self.features[idx].float(), self.labels[idx]

    def __len__(self) -> int:
        return len(self.features)


def load_data_bananas(batch_size: int) -> tuple[Any, Any]:
    """Loaders of the banana training (shuffled) and validation sets."""
    train_iter = data.DataLoader(BananasDataset(is_train=True), batch_size, shuffle=True)
    val_iter = data.DataLoader(BananasDataset(is_train=False), batch_size)
    return train_iter, val_iter


def read_voc_images(voc_dir: str, is_train: bool = True) -> tuple[list[Any], list[Any]]:
    """Pascal VOC 2012's segmentation images and their colour label maps (uint8 CHW tensors)."""
    txt_fname = os.path.join(voc_dir, "ImageSets", "Segmentation", "train.txt" if is_train else "val.txt")
    mode = torchvision.io.image.ImageReadMode.RGB
    with open(txt_fname, "r") as f:
        images = f.read().split()
    features, labels = [], []
    for fname in images:
        features.append(torchvision.io.read_image(os.path.join(voc_dir, "JPEGImages", f"{fname}.jpg")))
        labels.append(torchvision.io.read_image(os.path.join(voc_dir, "SegmentationClass", f"{fname}.png"), mode))
    return features, labels


VOC_COLORMAP = [[0, 0, 0], [128, 0, 0], [0, 128, 0], [128, 128, 0], [0, 0, 128], [128, 0, 128], [0, 128, 128],
                [128, 128, 128], [64, 0, 0], [192, 0, 0], [64, 128, 0], [192, 128, 0], [64, 0, 128], [192, 0, 128],
                [64, 128, 128], [192, 128, 128], [0, 64, 0], [128, 64, 0], [0, 192, 0], [128, 192, 0], [0, 64, 128]]
VOC_CLASSES = ["background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
               "diningtable", "dog", "horse", "motorbike", "person", "potted plant", "sheep", "sofa", "train",
               "tv/monitor"]


def voc_colormap2label() -> Any:
    """A table from packed RGB colour (r * 256 + g) * 256 + b to VOC class index."""
    colormap2label = torch.zeros(256 ** 3, dtype=torch.long)
    for i, colormap in enumerate(VOC_COLORMAP):
        colormap2label[(colormap[0] * 256 + colormap[1]) * 256 + colormap[2]] = i
    return colormap2label


def voc_label_indices(colormap: Any, colormap2label: Any) -> Any:
    """The class index of every pixel of a colour label map."""
    colormap = colormap.permute(1, 2, 0).numpy().astype("int32")
    idx = ((colormap[:, :, 0] * 256 + colormap[:, :, 1]) * 256 + colormap[:, :, 2])
    return colormap2label[idx]


def voc_rand_crop(feature: Any, label: Any, height: int, width: int) -> tuple[Any, Any]:
    """The same random window of an image and its label map."""
    rect = torchvision.transforms.RandomCrop.get_params(feature, (height, width))
    feature = torchvision.transforms.functional.crop(feature, *rect)
    label = torchvision.transforms.functional.crop(label, *rect)
    return feature, label


class VOCSegDataset(data.Dataset):
    """VOC segmentation examples at least ``crop_size`` large, normalised, randomly cropped."""

    def __init__(self, is_train: bool, crop_size: tuple[int, int], voc_dir: str) -> None:
        self.transform = torchvision.transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
        self.crop_size = crop_size
        features, labels = read_voc_images(voc_dir, is_train=is_train)
        self.features = [self.normalize_image(feature) for feature in self.filter(features)]
        self.labels = self.filter(labels)
        self.colormap2label = voc_colormap2label()
        print("read " + str(len(self.features)) + " examples")

    def normalize_image(self, img: Any) -> Any:
        return self.transform(img.float() / 255)

    def filter(self, imgs: list[Any]) -> list[Any]:
        return [img for img in imgs if (img.shape[1] >= self.crop_size[0] and img.shape[2] >= self.crop_size[1])]

    def __getitem__(self, idx: int) -> tuple[Any, Any]:
        feature, label = voc_rand_crop(self.features[idx], self.labels[idx], *self.crop_size)
        return (feature, voc_label_indices(label, self.colormap2label))

    def __len__(self) -> int:
        return len(self.features)


def load_data_voc(batch_size: int, crop_size: tuple[int, int]) -> tuple[Any, Any]:
    """Loaders of the VOC segmentation training (shuffled) and test sets."""
    voc_dir = download_extract("voc2012", os.path.join("VOCdevkit", "VOC2012"))
    num_workers = get_dataloader_workers()
    train_iter = data.DataLoader(VOCSegDataset(True, crop_size, voc_dir), batch_size, shuffle=True,
                                 drop_last=True, num_workers=num_workers)
    test_iter = data.DataLoader(VOCSegDataset(False, crop_size, voc_dir), batch_size, drop_last=True,
                                num_workers=num_workers)
    return train_iter, test_iter
