"""The object-oriented API of the book's 1.0 edition (``d2l`` 1.0.3), next to the 0.17 helpers:
``HyperParameters``, ``ProgressBoard``, ``Module``, ``DataModule``, ``Trainer``, ``SGD``,
``Classifier`` and the models and data modules of chapters 3-7 built on them.

The pattern, in four lines: a ``DataModule`` hands out loaders, a ``Module`` says how to compute
its loss on a batch (``training_step``) and which optimizer to use (``configure_optimizers``),
and ``Trainer.fit(model, data)`` runs the epochs::

    model = d2l.LinearRegression(lr=0.03)
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
    trainer = d2l.Trainer(max_epochs=3)
    trainer.fit(model, data)

As the rest of the companion, this file names the framework only in its ``# backend`` lines, so
``reference/d2l_torch.py`` runs it on torch too.
"""
from __future__ import annotations

import collections
import inspect
import os
import sys
from typing import TYPE_CHECKING, Any, Callable, Optional, cast

import tinygrad_edu as torch  # backend
from tinygrad_edu import nn  # backend
from tinygrad_edu.nn import functional as F  # backend
import tinygrad_edu.vision as torchvision  # backend

from . import _kernel, _plt, show_images, use_svg_display


def _figure_dir() -> str:
    """The companion's FIGURE_DIR, read from the package at each use (tests and users set it there)."""
    return getattr(sys.modules[__package__], "FIGURE_DIR", os.path.join("out", "d2l"))


def add_to_class(Class: type) -> Callable[[Any], None]:
    """Register the decorated function as a method of ``Class`` (the book defines a class's
    methods one cell at a time)."""
    def wrapper(obj: Any) -> None:
        setattr(Class, obj.__name__, obj)
    return wrapper


class HyperParameters:
    """Base class whose ``save_hyperparameters()`` stores the calling ``__init__``'s arguments as
    attributes (and in ``self.hparams``), except those in ``ignore`` and private ones."""

    if TYPE_CHECKING:  # the attributes save_hyperparameters sets, for the type checker
        def __getattr__(self, name: str) -> Any: ...

    def save_hyperparameters(self, ignore: Optional[list[str]] = None) -> None:
        frame = inspect.currentframe()
        caller = frame.f_back if frame is not None else None
        if caller is None or caller.f_code.co_name != "__init__" or caller.f_locals.get("self") is not self:
            where = caller.f_code.co_name if caller is not None else "?"
            raise RuntimeError(f"save_hyperparameters: call it from the __init__ of {type(self).__name__} "
                               f"(it reads that call's arguments), not from {where}()")
        _, _, _, local_vars = inspect.getargvalues(caller)
        skip = set(ignore or []) | {"self"}
        self.hparams = {k: v for k, v in local_vars.items() if k not in skip and not k.startswith("_")}
        for k, v in self.hparams.items():
            setattr(self, k, v)


class ProgressBoard(HyperParameters):
    """Curves drawn while training: ``draw(x, y, label, every_n)`` averages every ``every_n``
    points of a curve into one. Inside a kernel the figure is redrawn in place; elsewhere it is
    written to ``FIGURE_DIR/progress.png``."""

    fig: Any
    axes: Any
    xlabel: Any
    xlim: Any

    def __init__(self, xlabel: Any = None, ylabel: Any = None, xlim: Any = None, ylim: Any = None,
                 xscale: str = "linear", yscale: str = "linear", ls: Any = ("-", "--", "-.", ":"),
                 colors: Any = ("C0", "C1", "C2", "C3"), fig: Any = None, axes: Any = None,
                 figsize: tuple[float, float] = (3.5, 2.5), display: bool = True) -> None:
        self.save_hyperparameters()

    def draw(self, x: Any, y: Any, label: str, every_n: int = 1) -> None:
        Point = collections.namedtuple("Point", ["x", "y"])
        if not hasattr(self, "raw_points"):
            self.raw_points: dict[str, list[Any]] = collections.OrderedDict()
            self.data: dict[str, list[Any]] = collections.OrderedDict()
        points = self.raw_points.setdefault(label, [])
        line = self.data.setdefault(label, [])
        points.append(Point(float(x), float(y)))
        if len(points) != every_n:
            return
        line.append(Point(sum(p.x for p in points) / len(points), sum(p.y for p in points) / len(points)))
        points.clear()
        if not self.display:
            return
        self._render()

    def _render(self) -> None:
        try:
            pyplot = _plt()
        except ImportError:  # matplotlib is optional
            return
        use_svg_display()
        if self.fig is None:
            self.fig = pyplot.figure(figsize=self.figsize)
        axes = self.axes if self.axes else self.fig.gca()
        axes.cla()
        lines = [axes.plot([p.x for p in v], [p.y for p in v], linestyle=ls, color=color)[0]
                 for v, ls, color in zip(self.data.values(), self.ls, self.colors)]
        if self.xlim:
            axes.set_xlim(self.xlim)
        if self.ylim:
            axes.set_ylim(self.ylim)
        axes.set_xlabel(self.xlabel or "x")
        axes.set_ylabel(self.ylabel)
        axes.set_xscale(self.xscale)
        axes.set_yscale(self.yscale)
        axes.legend(lines, list(self.data))
        if _kernel():
            from IPython import display
            display.display(self.fig)
            display.clear_output(wait=True)
            return
        os.makedirs(_figure_dir(), exist_ok=True)
        self.fig.savefig(os.path.join(_figure_dir(), "progress.png"), dpi=100, bbox_inches="tight")


def cpu() -> Any:
    return torch.device("cpu")


def gpu(i: int = 0) -> Any:
    return torch.device(f"cuda:{i}")


def num_gpus() -> int:
    return torch.cuda.device_count()


class Module(nn.Module, HyperParameters):
    """The base class of the 1.0 edition's models: a network (``self.net``), its loss, its
    training and validation steps, and its optimizer."""

    def __init__(self, plot_train_per_epoch: int = 2, plot_valid_per_epoch: int = 1) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.board = ProgressBoard()

    def loss(self, y_hat: Any, y: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.loss: define the model's loss")

    def forward(self, X: Any) -> Any:
        if not hasattr(self, "net"):
            raise AttributeError(f"{type(self).__name__}.forward: define self.net or override forward")
        return self.net(X)

    def plot(self, key: str, value: Any, train: bool) -> None:
        """Draw ``value`` on the board, twice per epoch for training, once for validation."""
        if not hasattr(self, "trainer"):
            raise RuntimeError(f"{type(self).__name__}.plot: the model is not being trained by a Trainer")
        self.board.xlabel = "epoch"
        if train:
            x = self.trainer.train_batch_idx / self.trainer.num_train_batches
            n = self.trainer.num_train_batches / self.plot_train_per_epoch
        else:
            x = self.trainer.epoch + 1
            n = self.trainer.num_val_batches / self.plot_valid_per_epoch
        self.board.draw(x, value.to(cpu()).detach().numpy(), ("train_" if train else "val_") + key,
                        every_n=max(int(n), 1))

    def training_step(self, batch: Any) -> Any:
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", l, train=True)
        return l

    def validation_step(self, batch: Any) -> None:
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", l, train=False)

    def configure_optimizers(self) -> Any:
        return torch.optim.SGD(self.parameters(), lr=self.lr)

    def apply_init(self, inputs: Any, init: Any = None) -> None:
        """One dry batch (the lazy layers learn their sizes), then ``init`` on every layer."""
        self.forward(*inputs)
        if init is not None:
            self.net.apply(init)


class DataModule(HyperParameters):
    """The base class of the 1.0 edition's data: ``train_dataloader()`` and ``val_dataloader()``."""

    def __init__(self, root: str = "../data", num_workers: int = 4) -> None:
        self.save_hyperparameters()

    def get_dataloader(self, train: bool) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.get_dataloader: define how to load the data")

    def train_dataloader(self) -> Any:
        return self.get_dataloader(train=True)

    def val_dataloader(self) -> Any:
        return self.get_dataloader(train=False)

    def get_tensorloader(self, tensors: Any, train: bool, indices: Any = slice(0, None)) -> Any:
        tensors = tuple(a[indices] for a in tensors)
        dataset = torch.utils.data.TensorDataset(*tensors)
        return torch.utils.data.DataLoader(dataset, self.batch_size, shuffle=train)


class Trainer(HyperParameters):
    """Runs ``max_epochs`` epochs of a model's training and validation steps on a data module."""

    def __init__(self, max_epochs: int, num_gpus: int = 0, gradient_clip_val: float = 0) -> None:
        self.save_hyperparameters()
        self.gpus = [gpu(i) for i in range(min(num_gpus, globals()["num_gpus"]()))]

    def prepare_data(self, data: Any) -> None:
        train, val = data.train_dataloader(), data.val_dataloader()
        if len(train) == 0:  # checked before the trainer changes
            raise ValueError(f"Trainer.fit: {type(data).__name__}'s train_dataloader() has no batches "
                             f"(an empty data set, or fewer examples than one batch with drop_last)")
        self.train_dataloader, self.val_dataloader = train, val
        self.num_train_batches = len(self.train_dataloader)
        self.num_val_batches = len(self.val_dataloader) if self.val_dataloader is not None else 0

    def prepare_model(self, model: Any) -> None:
        model.trainer = self
        model.board.xlim = [0, self.max_epochs]
        if self.gpus:
            model.to(self.gpus[0])
        self.model = model

    def fit(self, model: Any, data: Any) -> None:
        self.prepare_data(data)
        self.prepare_model(model)
        self.optim = model.configure_optimizers()
        self.epoch = 0
        self.train_batch_idx = 0
        self.val_batch_idx = 0
        for epoch in range(self.max_epochs):
            self.epoch = epoch
            self.fit_epoch()

    def fit_epoch(self) -> None:
        self.model.train()
        for batch in self.train_dataloader:
            loss = self.model.training_step(self.prepare_batch(batch))
            self.optim.zero_grad()
            with torch.no_grad():
                loss.backward()
                if self.gradient_clip_val > 0:
                    self.clip_gradients(self.gradient_clip_val, self.model)
                self.optim.step()
            self.train_batch_idx += 1
        if self.val_dataloader is None:
            return
        self.model.eval()
        for batch in self.val_dataloader:
            with torch.no_grad():
                self.model.validation_step(self.prepare_batch(batch))
            self.val_batch_idx += 1

    def prepare_batch(self, batch: Any) -> Any:
        if self.gpus:
            batch = [a.to(self.gpus[0]) for a in batch]
        return batch

    def clip_gradients(self, grad_clip_val: float, model: Any) -> None:
        """Scale all gradients together so that their joint norm is at most ``grad_clip_val``."""
        params = [p for p in model.parameters() if p.requires_grad]
        total: Any = sum(torch.sum((p.grad ** 2)) for p in params)
        norm = torch.sqrt(total)
        if norm > grad_clip_val:
            for param in params:
                param.grad[:] *= grad_clip_val / norm


class SyntheticRegressionData(DataModule):
    """y = Xw + b + noise, with X ~ N(0, 1): ``num_train`` training and ``num_val`` validation rows."""

    def __init__(self, w: Any, b: Any, noise: float = 0.01, num_train: int = 1000, num_val: int = 1000,
                 batch_size: int = 32) -> None:
        super().__init__()
        self.save_hyperparameters()
        n = num_train + num_val
        self.X = torch.randn(n, len(w))
        eps = torch.randn(n, 1) * noise
        self.y = torch.matmul(self.X, w.reshape((-1, 1))) + b + eps

    def get_dataloader(self, train: bool) -> Any:
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)


class SGD(HyperParameters):
    """Minibatch stochastic gradient descent written out: param -= lr * grad."""

    def __init__(self, params: Any, lr: float) -> None:
        self.save_hyperparameters()

    def step(self) -> None:
        for param in self.params:
            param -= self.lr * param.grad

    def zero_grad(self) -> None:
        for param in self.params:
            if param.grad is not None:
                param.grad.zero_()


class LinearRegressionScratch(Module):
    """Linear regression with its weights as plain tensors (chapter 3.4)."""

    def __init__(self, num_inputs: int, lr: float, sigma: float = 0.01) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.w = torch.normal(0, sigma, (num_inputs, 1), requires_grad=True)
        self.b = torch.zeros(1, requires_grad=True)

    def forward(self, X: Any) -> Any:
        return torch.matmul(X, self.w) + self.b

    def loss(self, y_hat: Any, y: Any) -> Any:
        l = (y_hat - y) ** 2 / 2
        return l.mean()

    def configure_optimizers(self) -> Any:
        return SGD([self.w, self.b], self.lr)


class LinearRegression(Module):
    """Linear regression with ``nn.LazyLinear(1)`` (chapter 3.5)."""

    def __init__(self, lr: float) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.LazyLinear(1)
        self.net.weight.data.normal_(0, 0.01)
        cast(Any, self.net.bias).data.fill_(0)  # (bias=True: never None; said for the type checker)

    def forward(self, X: Any) -> Any:
        return self.net(X)

    def loss(self, y_hat: Any, y: Any) -> Any:
        fn = nn.MSELoss()
        return fn(y_hat, y)

    def configure_optimizers(self) -> Any:
        return torch.optim.SGD(self.parameters(), self.lr)

    def get_w_b(self) -> tuple[Any, Any]:
        return (self.net.weight.data, cast(Any, self.net.bias).data)


class FashionMNIST(DataModule):
    """Fashion-MNIST as a data module, read from ``root`` (``../data``) as torchvision lays it out."""

    def __init__(self, batch_size: int = 64, resize: Any = (28, 28)) -> None:
        super().__init__()
        self.save_hyperparameters()
        trans = torchvision.transforms.Compose([torchvision.transforms.Resize(resize),
                                                torchvision.transforms.ToTensor()])
        self.train: Any = torchvision.datasets.FashionMNIST(root=self.root, train=True, transform=trans, download=True)
        self.val: Any = torchvision.datasets.FashionMNIST(root=self.root, train=False, transform=trans, download=True)

    def text_labels(self, indices: Any) -> list[str]:
        labels = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
                  "ankle boot"]
        return [labels[int(i)] for i in indices]

    def get_dataloader(self, train: bool) -> Any:
        data = self.train if train else self.val
        return torch.utils.data.DataLoader(data, self.batch_size, shuffle=train, num_workers=self.num_workers)

    def visualize(self, batch: Any, nrows: int = 1, ncols: int = 8, labels: Any = ()) -> None:
        X, y = batch
        if not labels:
            labels = self.text_labels(y)
        show_images(X.squeeze(1), nrows, ncols, titles=labels)


class Classifier(Module):
    """A model whose validation also reports accuracy; cross-entropy loss."""

    def validation_step(self, batch: Any) -> None:
        Y_hat = self(*batch[:-1])
        self.plot("loss", self.loss(Y_hat, batch[-1]), train=False)
        self.plot("acc", self.accuracy(Y_hat, batch[-1]), train=False)

    def accuracy(self, Y_hat: Any, Y: Any, averaged: bool = True) -> Any:
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        preds = Y_hat.argmax(axis=1).type(Y.dtype)
        compare = (preds == Y.reshape(-1)).type(torch.float32)
        return compare.mean() if averaged else compare

    def loss(self, Y_hat: Any, Y: Any, averaged: bool = True) -> Any:
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        Y = Y.reshape((-1,))
        return F.cross_entropy(Y_hat, Y, reduction="mean" if averaged else "none")

    def layer_summary(self, X_shape: Any) -> None:
        X = torch.randn(*X_shape)
        for layer in self.net:
            X = layer(X)
            print(layer.__class__.__name__, "output shape:\t", X.shape)


class SoftmaxRegression(Classifier):
    """Softmax regression: Flatten, then ``nn.LazyLinear(num_outputs)`` (chapter 4.5)."""

    def __init__(self, num_outputs: int, lr: float) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Flatten(), nn.LazyLinear(num_outputs))

    def forward(self, X: Any) -> Any:
        return self.net(X)


def init_cnn(module: Any) -> None:
    """Xavier-uniform weights for every Linear and Conv2d (apply after a dry batch)."""
    if type(module) == nn.Linear or type(module) == nn.Conv2d:
        nn.init.xavier_uniform_(module.weight)


class LeNet(Classifier):
    """LeNet-5 of chapter 7.6 on lazy layers."""

    def __init__(self, lr: float = 0.1, num_classes: int = 10) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.LazyConv2d(6, kernel_size=5, padding=2), nn.Sigmoid(),
            nn.AvgPool2d(kernel_size=2, stride=2),
            nn.LazyConv2d(16, kernel_size=5), nn.Sigmoid(),
            nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Flatten(),
            nn.LazyLinear(120), nn.Sigmoid(),
            nn.LazyLinear(84), nn.Sigmoid(),
            nn.LazyLinear(num_classes))
