# d2l 5.2 Parameter Management
import torch
from torch import nn

net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
X = torch.rand(size=(2, 4))
out = net(X)
state_keys = list(net[2].state_dict().keys())
bias_type = type(net[2].bias).__name__
bias_data = net[2].bias.data
grad_is_none = net[2].weight.grad == None
names = [(name, tuple(param.shape)) for name, param in net.named_parameters()]
by_name = net.state_dict()['2.bias'].data


def block1():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(),
                         nn.Linear(8, 4), nn.ReLU())


def block2():
    net = nn.Sequential()
    for i in range(4):
        net.add_module(f'block {i}', block1())
    return net


rgnet = nn.Sequential(block2(), nn.Linear(4, 1))
out_rgnet = rgnet(X)
rgnet_bias = rgnet[0][1][0].bias.data


def init_normal(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, mean=0, std=0.01)
        nn.init.zeros_(m.bias)


net.apply(init_normal)
after_normal = (net[0].weight.data[0], net[0].bias.data[0])


def init_constant(m):
    if type(m) == nn.Linear:
        nn.init.constant_(m.weight, 1)
        nn.init.zeros_(m.bias)


net.apply(init_constant)
after_constant = (net[0].weight.data[0], net[0].bias.data[0])


def init_xavier(m):
    if type(m) == nn.Linear:
        nn.init.xavier_uniform_(m.weight)


def init_42(m):
    if type(m) == nn.Linear:
        nn.init.constant_(m.weight, 42)


net[0].apply(init_xavier)
net[2].apply(init_42)
mixed = (net[0].weight.data[0], net[2].weight.data)


def my_init(m):
    if type(m) == nn.Linear:
        nn.init.uniform_(m.weight, -10, 10)
        m.weight.data *= m.weight.data.abs() >= 5


net.apply(my_init)
custom = net[0].weight[:2]
net[0].weight.data[:] += 1
net[0].weight.data[0, 0] = 42
direct = net[0].weight.data[0]
shared = nn.Linear(8, 8)
net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(),
                    shared, nn.ReLU(),
                    shared, nn.ReLU(),
                    nn.Linear(8, 1))
out_shared = net(X)
tied = net[2].weight.data[0] == net[4].weight.data[0]
net[2].weight.data[0, 0] = 100
still_tied = net[2].weight.data[0] == net[4].weight.data[0]
shared_keys = list(net.state_dict().keys())

RESULTS = {"out": out, "state_keys": state_keys, "bias_type": bias_type, "bias_data": bias_data,
           "grad_is_none": grad_is_none, "names": names, "by_name": by_name, "out_rgnet": out_rgnet,
           "rgnet_bias": rgnet_bias, "rgnet_repr_lines": len(repr(rgnet).splitlines()),
           "after_normal": after_normal, "after_constant": after_constant, "mixed": mixed,
           "custom": custom.detach(), "direct": direct, "out_shared": out_shared, "tied": tied,
           "still_tied": still_tied, "shared_keys": shared_keys}
