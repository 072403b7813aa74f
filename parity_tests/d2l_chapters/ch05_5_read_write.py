# d2l 5.5 File I/O (files in a temporary folder)
import os
import tempfile

import torch
from torch import nn
from torch.nn import functional as F

folder = tempfile.mkdtemp()
x = torch.arange(4)
torch.save(x, os.path.join(folder, 'x-file'))
x2 = torch.load(os.path.join(folder, 'x-file'))
y = torch.zeros(4)
torch.save([x, y], os.path.join(folder, 'x-files'))
x2, y2 = torch.load(os.path.join(folder, 'x-files'))
mydict = {'x': x, 'y': y}
torch.save(mydict, os.path.join(folder, 'mydict'))
mydict2 = torch.load(os.path.join(folder, 'mydict'))


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(20, 256)
        self.output = nn.Linear(256, 10)

    def forward(self, x):
        return self.output(F.relu(self.hidden(x)))


net = MLP()
X = torch.randn(size=(2, 20))
Y = net(X)
torch.save(net.state_dict(), os.path.join(folder, 'mlp.params'))
clone = MLP()
clone.load_state_dict(torch.load(os.path.join(folder, 'mlp.params')))
clone.eval()
Y_clone = clone(X)
same = Y_clone == Y

RESULTS = {"x2": x2, "y2": y2, "mydict2": mydict2, "Y": Y, "same": same}
