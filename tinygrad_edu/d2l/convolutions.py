"""Chapters 6, 7 and 13: ``corr2d``, ``train_ch6`` (and ``evaluate_accuracy_gpu``), ResNet's
blocks, ``train_batch_ch13``/``train_ch13``.

Part of the d2l companion (``tinygrad_edu/d2l/__init__.py`` says how it is built and tested).
"""
from __future__ import annotations

from typing import Any, Iterable, Optional, Sequence


import tinygrad_edu as torch  # backend
from tinygrad_edu import nn  # backend
from tinygrad_edu.nn import functional as F  # backend

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

_Residual: Any = _modern.blocks(nn).Residual  # d2l 7.6's block (tinygrad_edu.models, either framework)


def _edition_one_residual(args: tuple, kwargs: dict) -> bool:
    """Whether a ``Residual(...)`` call is the 1.0 edition's ``(num_channels, use_1x1conv=False,
    strides=1)`` rather than 0.17's ``(input_channels, num_channels, use_1x1conv=False,
    strides=1)``: 0.17 passes two channel counts, 1.0 one count and then a flag."""
    if "input_channels" in kwargs:
        return False
    if len(args) >= 2:
        return isinstance(args[1], bool)
    return not (len(args) == 1 and "num_channels" in kwargs)


class Residual(_Residual):
    """The residual block of ResNet, in either edition's form: ``Residual(input_channels,
    num_channels, use_1x1conv=False, strides=1)`` (0.17, sized layers) or ``Residual(num_channels,
    use_1x1conv=False, strides=1)`` (1.0, lazy layers that learn the input's channels at the first
    call). Both compute relu(bn2(conv2(relu(bn1(conv1(X))))) + shortcut(X))."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not _edition_one_residual(args, kwargs):
            super().__init__(*args, **kwargs)
            return
        nn.Module.__init__(self)
        self._lazy_layers(*args, **kwargs)

    def _lazy_layers(self, num_channels: int, use_1x1conv: bool = False, strides: int = 1) -> None:
        self.conv1 = nn.LazyConv2d(num_channels, kernel_size=3, padding=1, stride=strides)
        self.conv2 = nn.LazyConv2d(num_channels, kernel_size=3, padding=1)
        self.conv3 = nn.LazyConv2d(num_channels, kernel_size=1, stride=strides) if use_1x1conv else None
        self.bn1 = nn.LazyBatchNorm2d()
        self.bn2 = nn.LazyBatchNorm2d()


class ResNeXtBlock(nn.Module):
    """The ResNeXt block (d2l 1.0, 8.6): a 1x1 bottleneck to ``num_channels * bot_mul`` channels, a
    grouped 3x3 convolution (``groups`` channels per group), a 1x1 back to ``num_channels``, each
    with batch norm, plus the input (through a 1x1 convolution when ``use_1x1conv``)."""

    def __init__(self, num_channels: int, groups: int, bot_mul: float, use_1x1conv: bool = False,
                 strides: int = 1) -> None:
        super().__init__()
        bot_channels = int(round(num_channels * bot_mul))
        self.conv1 = nn.LazyConv2d(bot_channels, kernel_size=1, stride=1)
        self.conv2 = nn.LazyConv2d(bot_channels, kernel_size=3, stride=strides, padding=1,
                                   groups=bot_channels // groups)
        self.conv3 = nn.LazyConv2d(num_channels, kernel_size=1, stride=1)
        self.bn1 = nn.LazyBatchNorm2d()
        self.bn2 = nn.LazyBatchNorm2d()
        self.bn3 = nn.LazyBatchNorm2d()
        self.conv4: Optional[Any] = None
        if use_1x1conv:
            self.conv4 = nn.LazyConv2d(num_channels, kernel_size=1, stride=strides)
            self.bn4 = nn.LazyBatchNorm2d()

    def forward(self, X: Any) -> Any:
        Y = F.relu(self.bn1(self.conv1(X)))
        Y = F.relu(self.bn2(self.conv2(Y)))
        Y = self.bn3(self.conv3(Y))
        if self.conv4:
            X = self.bn4(self.conv4(X))
        return F.relu(Y + X)


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


