"""The d2l models of chapters 3-7, written once over an ``nn`` namespace.

``build(name, tinygrad_edu.nn)`` gives the tinygrad_edu model and ``build(name, torch.nn)`` its
PyTorch twin with the same layers, parameter names and shapes (the APIs match).
"""
from __future__ import annotations

from types import ModuleType
from typing import Any, Callable

from . import modern

MODELS = ("linear_regression", "softmax_regression", "mlp", "lenet", "lenet_relu")
MODERN = ("alexnet", "vgg11", "vgg11_narrow", "nin", "googlenet", "lenet_bn", "resnet18", "densenet")


def linear_regression(nn: ModuleType) -> Any:
    """d2l 3.5: one Linear(2, 1)."""
    return nn.Sequential(nn.Linear(2, 1))


def softmax_regression(nn: ModuleType) -> Any:
    """d2l 4.5: flatten 28x28 images, Linear(784, 10)."""
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 10))


def mlp(nn: ModuleType) -> Any:
    """d2l 5.2: 784-256-10 with ReLU."""
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


def _lenet(nn: ModuleType, activation: Any, pool: Any) -> Any:
    """LeNet-5's layout: two 5x5 convolutions, each followed by the activation and 2x2 pooling,
    then three fully connected layers."""
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), activation(), pool(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), activation(), pool(kernel_size=2, stride=2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 120), activation(), nn.Linear(120, 84), activation(),
        nn.Linear(84, 10))


def lenet(nn: ModuleType) -> Any:
    """d2l 7.6 (LeNet-5 as d2l writes it): sigmoid activations and average pooling."""
    return _lenet(nn, nn.Sigmoid, nn.AvgPool2d)


def lenet_relu(nn: ModuleType) -> Any:
    """The modern variant: ReLU activations and max pooling."""
    return _lenet(nn, nn.ReLU, nn.MaxPool2d)


def d2l_init(model: Any, name: str, nn: ModuleType) -> Any:
    """d2l's initialisation: N(0, 0.01) weights and zero biases for the linear models and the MLP,
    Xavier-uniform weights for the CNNs (train_ch6; biases keep the layer default)."""
    for layer in model.modules():
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            if name.startswith("lenet") or name in MODERN:
                nn.init.xavier_uniform_(layer.weight)
            else:
                nn.init.normal_(layer.weight, 0.0, 0.01)
                nn.init.zeros_(layer.bias)
    return model


def _vgg11_narrow(nn: ModuleType, size: int = 224) -> Any:
    return modern.vgg(nn, size, ratio=4)


BUILDERS: dict[str, Callable[..., Any]] = {
    "linear_regression": linear_regression, "softmax_regression": softmax_regression, "mlp": mlp,
    "lenet": lenet, "lenet_relu": lenet_relu,
    "alexnet": modern.alexnet, "vgg11": modern.vgg,
    "vgg11_narrow": _vgg11_narrow,
    "nin": modern.nin, "googlenet": modern.googlenet, "lenet_bn": modern.lenet_bn,
    "resnet18": modern.resnet18, "densenet": modern.densenet,
}


def build(name: str, nn: ModuleType, init: bool = True, **kwargs: Any) -> Any:
    """The model ``name`` built from the ``nn`` namespace given (tinygrad_edu.nn or torch.nn);
    the ch. 7 models take ``size``, the side of the input image."""
    if name not in BUILDERS:
        raise ValueError(f"build: unknown model {name!r}, choose from {', '.join(MODELS + MODERN)}")
    model = BUILDERS[name](nn, **kwargs)
    return d2l_init(model, name, nn) if init else model
