# d2l 6.3 Padding and Stride
import torch
from torch import nn


def comp_conv2d(conv2d, X):
    X = X.reshape((1, 1) + X.shape)
    Y = conv2d(X)
    return Y.reshape(Y.shape[2:])


conv2d = nn.Conv2d(1, 1, kernel_size=3, padding=1)
X = torch.rand(size=(8, 8))
shapes = [tuple(comp_conv2d(conv2d, X).shape)]
conv2d = nn.Conv2d(1, 1, kernel_size=(5, 3), padding=(2, 1))
shapes.append(tuple(comp_conv2d(conv2d, X).shape))
conv2d = nn.Conv2d(1, 1, kernel_size=3, padding=1, stride=2)
shapes.append(tuple(comp_conv2d(conv2d, X).shape))
conv2d = nn.Conv2d(1, 1, kernel_size=(3, 5), padding=(0, 1), stride=(3, 4))
last = comp_conv2d(conv2d, X)
shapes.append(tuple(last.shape))

RESULTS = {"shapes": shapes, "last": last.detach()}
