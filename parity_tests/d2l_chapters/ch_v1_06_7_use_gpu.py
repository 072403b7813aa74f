# d2l 1.0, 6.7 GPUs: the book's PyTorch code on a machine without a GPU, as the book's helpers
# allow: the device names, num_gpus, try_gpu falling back to the CPU, tensors and a lazy network
# placed on try_gpu(), and the Trainer's GPU support added with add_to_class.
# Changed: the three cells that copy to a second GPU (`Z = X.cuda(1)`, then `Y + Z` and
# `Z.cuda(1) is Z`) fail without one on torch as here (RuntimeError); the file records that the
# copy raises and goes on.
from d2l import torch as d2l
import torch
from torch import nn

def cpu():  #@save
    """Get the CPU device."""
    return torch.device('cpu')

def gpu(i=0):  #@save
    """Get a GPU device."""
    return torch.device(f'cuda:{i}')

cpu(), gpu(), gpu(1)
devices = [str(d) for d in (cpu(), gpu(), gpu(1))]

def num_gpus():  #@save
    """Get the number of available GPUs."""
    return torch.cuda.device_count()

num_gpus()

def try_gpu(i=0):  #@save
    """Return gpu(i) if exists, otherwise return cpu()."""
    if num_gpus() >= i + 1:
        return gpu(i)
    return cpu()

def try_all_gpus():  #@save
    """Return all available GPUs, or [cpu(),] if no GPU exists."""
    return [gpu(i) for i in range(num_gpus())]

try_gpu(), try_gpu(10), try_all_gpus()
tried = (str(try_gpu()), str(try_gpu(10)), try_all_gpus())

x = torch.tensor([1, 2, 3])
x.device

X = torch.ones(2, 3, device=try_gpu())
X

Y = torch.rand(2, 3, device=try_gpu(1))
Y

try:
    Z = X.cuda(1)
    copied = "copied"
except RuntimeError:
    copied = "RuntimeError"

net = nn.Sequential(nn.LazyLinear(1))
net = net.to(device=try_gpu())

net(X)

net[0].weight.data.device

@d2l.add_to_class(d2l.Trainer)  #@save
def __init__(self, max_epochs, num_gpus=0, gradient_clip_val=0):
    self.save_hyperparameters()
    self.gpus = [d2l.gpu(i) for i in range(min(num_gpus, d2l.num_gpus()))]

@d2l.add_to_class(d2l.Trainer)  #@save
def prepare_batch(self, batch):
    if self.gpus:
        batch = [d2l.to(a, self.gpus[0]) for a in batch]
    return batch

@d2l.add_to_class(d2l.Trainer)  #@save
def prepare_model(self, model):
    model.trainer = self
    model.board.xlim = [0, self.max_epochs]
    if self.gpus:
        model.to(self.gpus[0])
    self.model = model

trainer = d2l.Trainer(max_epochs=1, num_gpus=1)
RESULTS = {"devices": devices, "num_gpus": num_gpus(), "tried": tried, "x_device": str(x.device),
           "X": X, "Y": Y, "copied": copied, "out": net(X), "weight_device": str(net[0].weight.data.device),
           "trainer_gpus": trainer.gpus, "batch": trainer.prepare_batch([X, Y])}
