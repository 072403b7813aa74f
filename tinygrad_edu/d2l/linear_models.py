"""Chapters 3-5: synthetic data, Fashion-MNIST loaders, accuracy, and the training loop
``train_ch3`` (with ``train_epoch_ch3``, ``evaluate_accuracy``, ``predict_ch3``).

Part of the d2l companion (``tinygrad_edu/d2l/__init__.py`` says how it is built and tested).
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np

import tinygrad_edu as torch  # backend
from tinygrad_edu import nn  # backend
from tinygrad_edu.utils import data  # backend

from tinygrad_edu.data import fashion_mnist as _fmnist  # NumPy only: the same files for both backends
from .plotting import _as_numpy, Animator, show_images
from .short_names import argmax, astype, reduce_sum, reshape, size
from .utilities import Accumulator

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


