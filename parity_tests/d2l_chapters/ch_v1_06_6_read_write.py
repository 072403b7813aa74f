# d2l 1.0, 6.6 File I/O: the book's PyTorch code (its PyTorch tabs): a tensor, a list and a dict of
# tensors saved and loaded, an MLP of lazy layers saved through its state_dict, and a fresh lazy
# clone that loads it (the saved shapes materialise it) and computes the same output. Run in an
# empty folder of its own.
import torch
from torch import nn
from torch.nn import functional as F

x = torch.arange(4)
torch.save(x, 'x-file')

x2 = torch.load('x-file')
x2

y = torch.zeros(4)
torch.save([x, y],'x-files')
x2, y2 = torch.load('x-files')
(x2, y2)

mydict = {'x': x, 'y': y}
torch.save(mydict, 'mydict')
mydict2 = torch.load('mydict')
mydict2

class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.LazyLinear(256)
        self.output = nn.LazyLinear(10)

    def forward(self, x):
        return self.output(F.relu(self.hidden(x)))

net = MLP()
X = torch.randn(size=(2, 20))
Y = net(X)

torch.save(net.state_dict(), 'mlp.params')

clone = MLP()
clone.load_state_dict(torch.load('mlp.params'))
clone.eval()

Y_clone = clone(X)
Y_clone == Y

RESULTS = {"x2": x2, "y2": y2, "mydict2": mydict2, "Y": Y, "same": Y_clone == Y,
           "kinds": [type(clone.hidden).__name__, type(clone.output).__name__]}
