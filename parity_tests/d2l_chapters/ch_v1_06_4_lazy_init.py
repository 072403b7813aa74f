# d2l 1.0, 6.4 Lazy Initialization: the book's PyTorch code (its PyTorch tabs): an MLP of lazy
# layers whose weight is an uninitialized parameter until the first batch, then its shape, and
# `apply_init` added to d2l.Module.
from d2l import torch as d2l
import torch
from torch import nn

net = nn.Sequential(nn.LazyLinear(256), nn.ReLU(), nn.LazyLinear(10))

net[0].weight
before = (type(net[0].weight).__name__, tuple(net[0].weight.data.shape), len(list(net.parameters())))

X = torch.rand(2, 20)
net(X)

net[0].weight.shape

@d2l.add_to_class(d2l.Module)  #@save
def apply_init(self, inputs, init=None):
    self.forward(*inputs)
    if init is not None:
        self.net.apply(init)

RESULTS = {"before": before, "after": (type(net[0].weight).__name__, tuple(net[0].weight.shape)),
           "kinds": [type(m).__name__ for m in net], "out": net(X), "weight": net[2].weight}
