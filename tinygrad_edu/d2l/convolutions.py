"""Chapters 6, 7 and 13: ``corr2d``, ``train_ch6`` (and ``evaluate_accuracy_gpu``), ResNet's
blocks, ``train_batch_ch13``/``train_ch13``.

Part of the d2l companion (``tinygrad_edu/d2l/__init__.py`` says how it is built and tested).
"""
from __future__ import annotations

from typing import Any, Iterable, Optional, Sequence


import tinygrad_edu as torch  # backend
from tinygrad_edu import nn  # backend

from tinygrad_edu.models import modern as _modern  # models written over an nn namespace: either backend
from .linear_models import accuracy
from .plotting import Animator
from .short_names import size
from .utilities import Accumulator, Timer, try_all_gpus

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


