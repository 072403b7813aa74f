# d2l 1.0, 8.2 Networks Using Blocks (VGG): the book's PyTorch code (its PyTorch tabs): vgg_block,
# the VGG classifier with its lazy layers and dropout (the same masks on both sides), VGG-11's layer
# summary at 224x224, and the narrower VGG's training at 224x224 through apply_init and
# d2l.Trainer. On a Fashion-MNIST stand-in in torchvision's layout (32 training and 16 test
# images, parity_tests/stand_in_data.py). Two changes: batches of 16 instead of 128 and 1 epoch
# instead of 10.
from d2l import torch as d2l
import torch
from torch import nn

def vgg_block(num_convs, out_channels):
    layers = []
    for _ in range(num_convs):
        layers.append(nn.LazyConv2d(out_channels, kernel_size=3, padding=1))
        layers.append(nn.ReLU())
    layers.append(nn.MaxPool2d(kernel_size=2,stride=2))
    return nn.Sequential(*layers)

class VGG(d2l.Classifier):
    def __init__(self, arch, lr=0.1, num_classes=10):
        super().__init__()
        self.save_hyperparameters()
        conv_blks = []
        for (num_convs, out_channels) in arch:
            conv_blks.append(vgg_block(num_convs, out_channels))
        self.net = nn.Sequential(
            *conv_blks, nn.Flatten(),
            nn.LazyLinear(4096), nn.ReLU(), nn.Dropout(0.5),
            nn.LazyLinear(4096), nn.ReLU(), nn.Dropout(0.5),
            nn.LazyLinear(num_classes))
        self.net.apply(d2l.init_cnn)

VGG(arch=((1, 64), (1, 128), (2, 256), (2, 512), (2, 512))).layer_summary(
    (1, 1, 224, 224))

model = VGG(arch=((1, 16), (1, 32), (2, 64), (2, 128), (2, 128)), lr=0.01)
trainer = d2l.Trainer(max_epochs=1, num_gpus=1)
data = d2l.FashionMNIST(batch_size=16, resize=(224, 224))
model.apply_init([next(iter(data.get_dataloader(True)))[0]], d2l.init_cnn)
trainer.fit(model, data)

RESULTS = {"kinds": [type(m).__name__ for m in model.net], "conv1": model.net[0][0].weight,
           "out": model.net[-1].weight, "board": {k: [p.y for p in v] for k, v in model.board.data.items()}}
