"""VGG (Simonyan & Zisserman 2015) as torchvision builds it: ``features`` (3x3 convolutions and
2x2 max-pools), a 7x7 adaptive average pool, and a three-layer ``classifier``."""
from __future__ import annotations

from enum import Enum
from typing import Any, Optional, Union

from ... import nn
from ...functions import flatten
from ...tensor import Tensor
from .weights import Weights, load_into, resolve

CONFIGS: dict[str, list[Union[int, str]]] = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


def make_layers(cfg: list[Union[int, str]], batch_norm: bool = False) -> Any:
    layers: list[Any] = []
    in_channels = 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        layers.append(nn.Conv2d(in_channels, int(v), kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(int(v)))
        layers.append(nn.ReLU(inplace=True))
        in_channels = int(v)
    return nn.Sequential(*layers)


class VGG(nn.Module):
    def __init__(self, features: Any, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5) -> None:
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes))
        if init_weights:
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                    nn.init.zeros_(m.bias)  # type: ignore[type-var]
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.ones_(m.weight)
                    nn.init.zeros_(m.bias)  # type: ignore[type-var]
                elif isinstance(m, nn.Linear):
                    nn.init.normal_(m.weight, 0, 0.01)
                    nn.init.zeros_(m.bias)  # type: ignore[type-var]

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(flatten(self.avgpool(self.features(x)), 1))


class VGG11_Weights(Enum):
    IMAGENET1K_V1 = Weights("https://download.pytorch.org/models/vgg11-8a719046.pth", {"num_params": 132863336})
    DEFAULT = IMAGENET1K_V1


class VGG19_Weights(Enum):
    IMAGENET1K_V1 = Weights("https://download.pytorch.org/models/vgg19-dcbb9e9d.pth", {"num_params": 143667240})
    DEFAULT = IMAGENET1K_V1


def _vgg(name: str, cfg: str, enum: Any, weights: Any, pretrained: Optional[bool], kwargs: dict[str, Any]) -> VGG:
    kwargs.pop("progress", None)
    chosen = resolve(name, enum, weights, pretrained, kwargs)
    if chosen is not None:
        kwargs["init_weights"] = False
    return load_into(VGG(make_layers(CONFIGS[cfg]), **kwargs), name, chosen)


def vgg11(*, weights: Any = None, progress: bool = True, pretrained: Optional[bool] = None, **kwargs: Any) -> VGG:
    """VGG-11 (configuration A)."""
    return _vgg("vgg11", "A", VGG11_Weights, weights, pretrained, kwargs)


def vgg19(*, weights: Any = None, progress: bool = True, pretrained: Optional[bool] = None, **kwargs: Any) -> VGG:
    """VGG-19 (configuration E)."""
    return _vgg("vgg19", "E", VGG19_Weights, weights, pretrained, kwargs)
