# d2l 1.0, 5.4 Numerical Stability and Initialization: the book's PyTorch code: the sigmoid and
# its vanishing gradient over arange(-8, 8, 0.1), plotted, and a product of 100 Gaussian 4x4
# matrices exploding. Changed: what the two prints show is kept for RESULTS.
from d2l import torch as d2l
import torch

x = torch.arange(-8.0, 8.0, 0.1, requires_grad=True)
y = torch.sigmoid(x)
y.backward(torch.ones_like(x))

d2l.plot(x.detach().numpy(), [y.detach().numpy(), x.grad.numpy()],
         legend=['sigmoid', 'gradient'], figsize=(4.5, 2.5))

M = torch.normal(0, 1, size=(4, 4))
print('a single matrix \n',M)
single = M
for i in range(100):
    M = M @ torch.normal(0, 1, size=(4, 4))
print('after multiplying 100 matrices\n', M)

RESULTS = {"y": y, "grad": x.grad, "single": single, "after": M}
