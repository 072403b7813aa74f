# d2l 1.0, 8.3 Network in Network (NiN): the book's PyTorch code (its PyTorch tabs): nin_block, the
# NiN classifier (lazy layers, dropout with the same masks on both sides, global average pooling),
# its layer summary at 224x224 and its training through apply_init and d2l.Trainer. On a
# Fashion-MNIST stand-in in torchvision's layout (32 training and 16 test images,
# parity_tests/stand_in_data.py). Two changes: batches of 16 instead of 128 and 1 epoch instead of 10.
from d2l import torch as d2l
import torch
from torch import nn

def nin_block(out_channels, kernel_size, strides, padding):
    return nn.Sequential(
        nn.LazyConv2d(out_channels, kernel_size, strides, padding), nn.ReLU(),
        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU(),
        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())

class NiN(d2l.Classifier):
    def __init__(self, lr=0.1, num_classes=10):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nin_block(96, kernel_size=11, strides=4, padding=0),
            nn.MaxPool2d(3, stride=2),
            nin_block(256, kernel_size=5, strides=1, padding=2),
            nn.MaxPool2d(3, stride=2),
            nin_block(384, kernel_size=3, strides=1, padding=1),
            nn.MaxPool2d(3, stride=2),
            nn.Dropout(0.5),
            nin_block(num_classes, kernel_size=3, strides=1, padding=1),
            nn.AdaptiveAvgPool2d((1, 1)),
            nn.Flatten())
        self.net.apply(d2l.init_cnn)

NiN().layer_summary((1, 1, 224, 224))

model = NiN(lr=0.05)
trainer = d2l.Trainer(max_epochs=1, num_gpus=1)
data = d2l.FashionMNIST(batch_size=16, resize=(224, 224))
model.apply_init([next(iter(data.get_dataloader(True)))[0]], d2l.init_cnn)
trainer.fit(model, data)

RESULTS = {"kinds": [type(m).__name__ for m in model.net], "conv1": model.net[0][0].weight,
           "out": model.net[7][4].weight, "board": {k: [p.y for p in v] for k, v in model.board.data.items()}}
