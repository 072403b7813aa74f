# d2l 1.0, 5.1 Multilayer Perceptrons: the book's PyTorch code: ReLU, sigmoid and tanh over
# arange(-8, 8, 0.1) and their gradients by backward with a ones gradient, each plotted. x[80]
# is ReLU's kink (arange gives torch's values there), so its derivative there is compared too.
# Changed: the gradients are also kept for RESULTS (each backward overwrites x.grad).
import torch
from d2l import torch as d2l

x = torch.arange(-8.0, 8.0, 0.1, requires_grad=True)
y = torch.relu(x)
d2l.plot(x.detach(), y.detach(), 'x', 'relu(x)', figsize=(5, 2.5))

y.backward(torch.ones_like(x), retain_graph=True)
d2l.plot(x.detach(), x.grad, 'x', 'grad of relu', figsize=(5, 2.5))
relu = (y.detach(), x.grad.clone())

y = torch.sigmoid(x)
d2l.plot(x.detach(), y.detach(), 'x', 'sigmoid(x)', figsize=(5, 2.5))

# Clear out previous gradients
x.grad.data.zero_()
y.backward(torch.ones_like(x),retain_graph=True)
d2l.plot(x.detach(), x.grad, 'x', 'grad of sigmoid', figsize=(5, 2.5))
sigmoid = (y.detach(), x.grad.clone())

y = torch.tanh(x)
d2l.plot(x.detach(), y.detach(), 'x', 'tanh(x)', figsize=(5, 2.5))

# Clear out previous gradients
x.grad.data.zero_()
y.backward(torch.ones_like(x),retain_graph=True)
d2l.plot(x.detach(), x.grad, 'x', 'grad of tanh', figsize=(5, 2.5))

RESULTS = {"relu": relu, "sigmoid": sigmoid, "tanh": (y.detach(), x.grad), "kink": (float(x[80]), float(relu[1][80]))}
