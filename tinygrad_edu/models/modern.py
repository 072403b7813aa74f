"""The modern CNNs of d2l ch. 7, written once over an ``nn`` namespace (tinygrad_edu.nn or
torch.nn), as the book defines them: AlexNet, VGG, NiN, GoogLeNet, LeNet with batch norm,
ResNet-18, DenseNet. ``size`` is the side of the (square, one-channel) input image: the book's
224 or 96, or 28 for Fashion-MNIST as it is (where the architecture allows). The blocks with a
custom forward (Inception, Residual, DenseBlock) are classes made once per framework by
:func:`blocks`, so the torch twin has the same parameter names.
"""
from __future__ import annotations

import sys
from types import ModuleType, SimpleNamespace
from typing import Any

_BLOCKS: dict[str, SimpleNamespace] = {}


def _lib(nn: ModuleType) -> ModuleType:
    """The framework an ``nn`` namespace belongs to (for cat and relu)."""
    return sys.modules[nn.__name__.rsplit(".", 1)[0]]


def blocks(nn: ModuleType) -> SimpleNamespace:
    """Inception, Residual and DenseBlock for the framework of ``nn`` (made once, then reused)."""
    if nn.__name__ in _BLOCKS:
        return _BLOCKS[nn.__name__]
    lib = _lib(nn)
    relu = nn.functional.relu
    Module: Any = nn.Module  # this framework's Module (the same classes are built for either one)

    class Inception(Module):
        """Four parallel paths (1x1; 1x1 then 3x3; 1x1 then 5x5; 3x3 max-pool then 1x1) joined on
        the channel dim; c1..c4 are the paths' output channels."""

        def __init__(self, in_channels: int, c1: int, c2: tuple, c3: tuple, c4: int) -> None:
            super().__init__()
            self.p1_1 = nn.Conv2d(in_channels, c1, kernel_size=1)
            self.p2_1 = nn.Conv2d(in_channels, c2[0], kernel_size=1)
            self.p2_2 = nn.Conv2d(c2[0], c2[1], kernel_size=3, padding=1)
            self.p3_1 = nn.Conv2d(in_channels, c3[0], kernel_size=1)
            self.p3_2 = nn.Conv2d(c3[0], c3[1], kernel_size=5, padding=2)
            self.p4_1 = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)
            self.p4_2 = nn.Conv2d(in_channels, c4, kernel_size=1)

        def forward(self, x: Any) -> Any:
            p1 = relu(self.p1_1(x))
            p2 = relu(self.p2_2(relu(self.p2_1(x))))
            p3 = relu(self.p3_2(relu(self.p3_1(x))))
            p4 = relu(self.p4_2(self.p4_1(x)))
            return lib.cat((p1, p2, p3, p4), dim=1)

    class Residual(Module):
        """Two 3x3 convolutions with batch norm, plus the input (through a 1x1 convolution when the
        shape changes): relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))."""

        def __init__(self, input_channels: int, num_channels: int, use_1x1conv: bool = False,
                     strides: int = 1) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(input_channels, num_channels, kernel_size=3, padding=1, stride=strides)
            self.conv2 = nn.Conv2d(num_channels, num_channels, kernel_size=3, padding=1)
            self.conv3 = nn.Conv2d(input_channels, num_channels, kernel_size=1, stride=strides) \
                if use_1x1conv else None
            self.bn1 = nn.BatchNorm2d(num_channels)
            self.bn2 = nn.BatchNorm2d(num_channels)

        def forward(self, X: Any) -> Any:
            Y = relu(self.bn1(self.conv1(X)))
            Y = self.bn2(self.conv2(Y))
            if self.conv3:
                X = self.conv3(X)
            Y += X
            return relu(Y)

    class DenseBlock(Module):
        """Convolution blocks whose inputs are the block's input and every earlier output, joined
        on the channel dim."""

        def __init__(self, num_convs: int, input_channels: int, num_channels: int) -> None:
            super().__init__()
            self.net = nn.Sequential(*[_conv_block(nn, num_channels * i + input_channels, num_channels)
                                       for i in range(num_convs)])

        def forward(self, X: Any) -> Any:
            for blk in self.net:
                Y = blk(X)
                X = lib.cat((X, Y), dim=1)
            return X

    _BLOCKS[nn.__name__] = SimpleNamespace(Inception=Inception, Residual=Residual, DenseBlock=DenseBlock)
    return _BLOCKS[nn.__name__]


def _flat_features(nn: ModuleType, features: Any, size: int) -> int:
    """The number of values ``features`` makes of one (1, size, size) image (run once at build)."""
    lib = _lib(nn)
    features.eval()  # one image: batch norm must use its running statistics
    try:
        with lib.no_grad():
            out = features(lib.zeros((1, 1, size, size)))
    except RuntimeError as e:  # a pooling or convolution window larger than what is left
        raise ValueError(f"models: an input of {size}x{size} is too small for this network ({e})") from None
    finally:
        features.train()
    if out.numel() == 0:
        raise ValueError(f"models: an input of {size}x{size} is too small for this network")
    return int(out.numel())


def alexnet(nn: ModuleType, size: int = 224) -> Any:
    """d2l 7.1 (one input channel). Needs size >= 65."""
    features = nn.Sequential(
        nn.Conv2d(1, 96, kernel_size=11, stride=4, padding=1), nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(96, 256, kernel_size=5, padding=2), nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(256, 384, kernel_size=3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 384, kernel_size=3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Flatten())
    n = _flat_features(nn, features, size)
    return nn.Sequential(*features, nn.Linear(n, 4096), nn.ReLU(), nn.Dropout(p=0.5),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(p=0.5), nn.Linear(4096, 10))


VGG11 = ((1, 64), (1, 128), (2, 256), (2, 512), (2, 512))


def _vgg_block(nn: ModuleType, num_convs: int, in_channels: int, out_channels: int) -> Any:
    layers: list[Any] = []
    for _ in range(num_convs):
        layers += [nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1), nn.ReLU()]
        in_channels = out_channels
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*layers)


def vgg(nn: ModuleType, size: int = 224, conv_arch: tuple = VGG11, ratio: int = 1) -> Any:
    """d2l 7.2: VGG blocks of 3x3 convolutions and 2x2 max-pools, then three dense layers.
    ``ratio`` divides every block's channels (d2l trains ratio=4). Needs size >= 32."""
    arch = [(n, c // ratio) for n, c in conv_arch]
    conv_blks, in_channels = [], 1
    for num_convs, out_channels in arch:
        conv_blks.append(_vgg_block(nn, num_convs, in_channels, out_channels))
        in_channels = out_channels
    n = _flat_features(nn, nn.Sequential(*conv_blks, nn.Flatten()), size)
    return nn.Sequential(*conv_blks, nn.Flatten(), nn.Linear(n, 4096), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4096, 10))


def _nin_block(nn: ModuleType, in_channels: int, out_channels: int, kernel_size: int, strides: int,
               padding: int) -> Any:
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, strides, padding), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, kernel_size=1), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, kernel_size=1), nn.ReLU())


def nin(nn: ModuleType, size: int = 224) -> Any:
    """d2l 7.3: NiN blocks (a convolution and two 1x1 convolutions), global average pooling
    instead of dense layers. Needs size >= 63."""
    net = nn.Sequential(
        _nin_block(nn, 1, 96, kernel_size=11, strides=4, padding=0), nn.MaxPool2d(3, stride=2),
        _nin_block(nn, 96, 256, kernel_size=5, strides=1, padding=2), nn.MaxPool2d(3, stride=2),
        _nin_block(nn, 256, 384, kernel_size=3, strides=1, padding=1), nn.MaxPool2d(3, stride=2),
        nn.Dropout(0.5),
        _nin_block(nn, 384, 10, kernel_size=3, strides=1, padding=1),
        nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())
    _flat_features(nn, net, size)  # checks that the input is large enough
    return net


def googlenet(nn: ModuleType, size: int = 96) -> Any:
    """d2l 7.4: a stem, nine Inception blocks in three stages, global average pooling."""
    Inception = blocks(nn).Inception
    b1 = nn.Sequential(nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3), nn.ReLU(),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b2 = nn.Sequential(nn.Conv2d(64, 64, kernel_size=1), nn.ReLU(),
                       nn.Conv2d(64, 192, kernel_size=3, padding=1), nn.ReLU(),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b3 = nn.Sequential(Inception(192, 64, (96, 128), (16, 32), 32), Inception(256, 128, (128, 192), (32, 96), 64),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b4 = nn.Sequential(Inception(480, 192, (96, 208), (16, 48), 64), Inception(512, 160, (112, 224), (24, 64), 64),
                       Inception(512, 128, (128, 256), (24, 64), 64), Inception(512, 112, (144, 288), (32, 64), 64),
                       Inception(528, 256, (160, 320), (32, 128), 128),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b5 = nn.Sequential(Inception(832, 256, (160, 320), (32, 128), 128), Inception(832, 384, (192, 384), (48, 128), 128),
                       nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())
    return nn.Sequential(b1, b2, b3, b4, b5, nn.Linear(1024, 10))


def lenet_bn(nn: ModuleType, size: int = 28) -> Any:
    """d2l 7.5 (concise): LeNet with batch norm after every convolution and dense layer."""
    if size != 28:
        raise ValueError("lenet_bn: d2l's LeNet takes 28x28 images")
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5), nn.BatchNorm2d(6), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.BatchNorm2d(16), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Flatten(), nn.Linear(256, 120), nn.BatchNorm1d(120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.BatchNorm1d(84), nn.Sigmoid(), nn.Linear(84, 10))


def _stem(nn: ModuleType) -> Any:
    return nn.Sequential(nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3), nn.BatchNorm2d(64), nn.ReLU(),
                         nn.MaxPool2d(kernel_size=3, stride=2, padding=1))


def resnet_block(nn: ModuleType, input_channels: int, num_channels: int, num_residuals: int,
                 first_block: bool = False) -> list:
    """d2l 7.6's stage of Residual blocks; the first one halves the size with a strided 1x1
    shortcut unless it is the first stage."""
    Residual = blocks(nn).Residual
    blk = []
    for i in range(num_residuals):
        if i == 0 and not first_block:
            blk.append(Residual(input_channels, num_channels, use_1x1conv=True, strides=2))
        else:
            blk.append(Residual(num_channels, num_channels))
    return blk


def resnet18(nn: ModuleType, size: int = 96) -> Any:
    """d2l 7.6: the stem, four stages of two Residual blocks (64, 128, 256, 512 channels; the
    first block of stages 2-4 halves the size with a strided 1x1 shortcut), average pooling."""
    b2 = nn.Sequential(*resnet_block(nn, 64, 64, 2, first_block=True))
    b3 = nn.Sequential(*resnet_block(nn, 64, 128, 2))
    b4 = nn.Sequential(*resnet_block(nn, 128, 256, 2))
    b5 = nn.Sequential(*resnet_block(nn, 256, 512, 2))
    return nn.Sequential(_stem(nn), b2, b3, b4, b5, nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(512, 10))


def _conv_block(nn: ModuleType, input_channels: int, num_channels: int) -> Any:
    return nn.Sequential(nn.BatchNorm2d(input_channels), nn.ReLU(),
                         nn.Conv2d(input_channels, num_channels, kernel_size=3, padding=1))


def _transition_block(nn: ModuleType, input_channels: int, num_channels: int) -> Any:
    return nn.Sequential(nn.BatchNorm2d(input_channels), nn.ReLU(),
                         nn.Conv2d(input_channels, num_channels, kernel_size=1), nn.AvgPool2d(kernel_size=2, stride=2))


def densenet(nn: ModuleType, size: int = 96, num_convs_in_dense_blocks: tuple = (4, 4, 4, 4),
             growth_rate: int = 32) -> Any:
    """d2l 7.7: the stem, four dense blocks (each conv adds ``growth_rate`` channels) with
    transition blocks halving channels and size between them, then BN, ReLU, average pooling.
    Needs size >= 32."""
    DenseBlock = blocks(nn).DenseBlock
    num_channels, blks = 64, []
    for i, num_convs in enumerate(num_convs_in_dense_blocks):
        blks.append(DenseBlock(num_convs, num_channels, growth_rate))
        num_channels += num_convs * growth_rate
        if i != len(num_convs_in_dense_blocks) - 1:
            blks.append(_transition_block(nn, num_channels, num_channels // 2))
            num_channels = num_channels // 2
    features = [_stem(nn), *blks, nn.BatchNorm2d(num_channels), nn.ReLU(), nn.AdaptiveAvgPool2d((1, 1)),
                nn.Flatten()]
    _flat_features(nn, nn.Sequential(*features), size)  # needs size >= 32: three transitions halve it
    return nn.Sequential(*features, nn.Linear(num_channels, 10))
