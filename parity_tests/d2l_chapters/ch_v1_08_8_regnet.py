# d2l 1.0, 8.8 Designing Convolution Network Architectures (AnyNet, RegNetX): the book's PyTorch
# code (its PyTorch tabs): the AnyNet stem, stages of d2l.ResNeXtBlock (grouped convolutions),
# RegNetX-32's layer summary at 96x96 and its training through d2l.Trainer. On a Fashion-MNIST
# stand-in in torchvision's layout (32 training and 16 test images, parity_tests/stand_in_data.py).
# Two changes: batches of 16 instead of 128 and 1 epoch instead of 10.
import torch
from torch import nn
from torch.nn import functional as F
from d2l import torch as d2l

class AnyNet(d2l.Classifier):
    def stem(self, num_channels):
        return nn.Sequential(
            nn.LazyConv2d(num_channels, kernel_size=3, stride=2, padding=1),
            nn.LazyBatchNorm2d(), nn.ReLU())

@d2l.add_to_class(AnyNet)
def stage(self, depth, num_channels, groups, bot_mul):
    blk = []
    for i in range(depth):
        if i == 0:
            blk.append(d2l.ResNeXtBlock(num_channels, groups, bot_mul,
                use_1x1conv=True, strides=2))
        else:
            blk.append(d2l.ResNeXtBlock(num_channels, groups, bot_mul))
    return nn.Sequential(*blk)

@d2l.add_to_class(AnyNet)
def __init__(self, arch, stem_channels, lr=0.1, num_classes=10):
    super(AnyNet, self).__init__()
    self.save_hyperparameters()
    self.net = nn.Sequential(self.stem(stem_channels))
    for i, s in enumerate(arch):
        self.net.add_module(f'stage{i+1}', self.stage(*s))
    self.net.add_module('head', nn.Sequential(
        nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(),
        nn.LazyLinear(num_classes)))
    self.net.apply(d2l.init_cnn)

class RegNetX32(AnyNet):
    def __init__(self, lr=0.1, num_classes=10):
        stem_channels, groups, bot_mul = 32, 16, 1
        depths, channels = (4, 6), (32, 80)
        super().__init__(
            ((depths[0], channels[0], groups, bot_mul),
             (depths[1], channels[1], groups, bot_mul)),
            stem_channels, lr, num_classes)

RegNetX32().layer_summary((1, 1, 96, 96))

model = RegNetX32(lr=0.05)
trainer = d2l.Trainer(max_epochs=1, num_gpus=1)
data = d2l.FashionMNIST(batch_size=16, resize=(96, 96))
trainer.fit(model, data)

RESULTS = {"names": [n for n, _ in model.net.named_children()], "groups": model.net.stage2[1].conv2.groups,
           "stem": model.net[0][0].weight, "grouped": model.net.stage2[1].conv2.weight,
           "head": model.net.head[2].weight, "board": {k: [p.y for p in v] for k, v in model.board.data.items()}}
