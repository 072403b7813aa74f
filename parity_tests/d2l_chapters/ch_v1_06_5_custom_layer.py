# d2l 1.0, 6.5 Custom Layers: the book's PyTorch code: CenteredLayer (no parameters) alone and
# after a lazy layer, then MyLinear (nn.Parameter weights) alone and stacked.
from d2l import torch as d2l
import torch
from torch import nn
from torch.nn import functional as F

class CenteredLayer(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, X):
        return X - X.mean()

layer = CenteredLayer()
layer(d2l.tensor([1.0, 2, 3, 4, 5]))
centered = layer(d2l.tensor([1.0, 2, 3, 4, 5]))

net = nn.Sequential(nn.LazyLinear(128), CenteredLayer())

Y = net(d2l.rand(4, 8))
Y.mean()

class MyLinear(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_units, units))
        self.bias = nn.Parameter(torch.randn(units,))
        
    def forward(self, X):
        linear = torch.matmul(X, self.weight.data) + self.bias.data
        return F.relu(linear)

linear = MyLinear(5, 3)
linear.weight
weight = linear.weight

linear(torch.rand(2, 5))
out = linear(torch.rand(2, 5))

net = nn.Sequential(MyLinear(64, 8), MyLinear(8, 1))
net(torch.rand(2, 64))

RESULTS = {"centered": centered, "Y": Y, "mean": Y.mean(), "weight": weight, "out": out,
           "net": net(torch.rand(2, 64))}
