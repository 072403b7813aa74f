# d2l 6.6 Convolutional Neural Networks (LeNet)
import torch
from torch import nn
from d2l import torch as d2l

net = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Flatten(),
    nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
    nn.Linear(120, 84), nn.Sigmoid(),
    nn.Linear(84, 10))
X = torch.rand(size=(1, 1, 28, 28), dtype=torch.float32)
shapes = []
for layer in net:
    X = layer(X)
    shapes.append((layer.__class__.__name__, tuple(X.shape)))
batch_size = 256
train_iter, test_iter = d2l.load_data_fashion_mnist(batch_size=batch_size)
lr, num_epochs = 0.9, 10
result = d2l.train_ch6(net, train_iter, test_iter, num_epochs, lr, d2l.try_gpu())

RESULTS = {"shapes": shapes, "train_ch6": result, "conv1": net[0].weight.detach(), "out": net[-1].bias.detach()}
