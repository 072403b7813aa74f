# d2l 1.0, 6.2 Parameter Management: the book's PyTorch code: a lazy MLP's state_dict, one bias
# and its data, a gradient not yet computed, all named parameters, and a layer tied in two places.
# Changed: what the two prints show is kept for RESULTS.
import torch
from torch import nn

net = nn.Sequential(nn.LazyLinear(8), nn.ReLU(), nn.LazyLinear(1))
X = torch.rand(size=(2, 4))
net(X).shape

net[2].state_dict()
state = {k: v for k, v in net[2].state_dict().items()}

type(net[2].bias), net[2].bias.data
bias = (type(net[2].bias).__name__, net[2].bias.data)

net[2].weight.grad == None
no_grad = net[2].weight.grad == None

[(name, param.shape) for name, param in net.named_parameters()]
named = [(name, tuple(param.shape)) for name, param in net.named_parameters()]

# We need to give the shared layer a name so that we can refer to its
# parameters
shared = nn.LazyLinear(8)
net = nn.Sequential(nn.LazyLinear(8), nn.ReLU(),
                    shared, nn.ReLU(),
                    shared, nn.ReLU(),
                    nn.LazyLinear(1))
net(X)
# Check whether the parameters are the same
print(net[2].weight.data[0] == net[4].weight.data[0])
same_before = net[2].weight.data[0] == net[4].weight.data[0]
net[2].weight.data[0, 0] = 100
# Make sure that they are actually the same object rather than just having the
# same value
print(net[2].weight.data[0] == net[4].weight.data[0])
same_after = net[2].weight.data[0] == net[4].weight.data[0]

# Added: the tied layer's gradient is the sum over its two uses, as the section says.
net(X).sum().backward()
RESULTS = {"state": state, "bias": bias, "no_grad": no_grad, "named": named, "same": (same_before, same_after),
           "tied": (net[2].weight is net[4].weight, len(list(net.parameters()))), "tied_grad": net[2].weight.grad,
           "out": net(X)}
