"""AlexNet (Krizhevsky et al. 2012) as torchvision builds it ("one weird trick" channel counts)."""
from __future__ import annotations

from enum import Enum
from typing import Any, Optional

from ... import nn
from ...functions import flatten
from ...tensor import Tensor
from .weights import Weights, load_into, resolve


class AlexNet(nn.Module):
    def __init__(self, num_classes: int = 1000, dropout: float = 0.5) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2))
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(p=dropout), nn.Linear(4096, 4096), nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes))

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(flatten(self.avgpool(self.features(x)), 1))


class AlexNet_Weights(Enum):
    IMAGENET1K_V1 = Weights("https://download.pytorch.org/models/alexnet-owt-7be5be79.pth", {"num_params": 61100840})
    DEFAULT = IMAGENET1K_V1


def alexnet(*, weights: Any = None, progress: bool = True, pretrained: Optional[bool] = None,
            **kwargs: Any) -> AlexNet:
    kwargs.pop("progress", None)
    chosen = resolve("alexnet", AlexNet_Weights, weights, pretrained, kwargs)
    return load_into(AlexNet(**kwargs), "alexnet", chosen)
