# d2l 4.1 Multilayer Perceptrons (activation functions and their derivatives)
import torch
from d2l import torch as d2l

x = torch.arange(-8.0, 8.0, 0.1, requires_grad=True)
y = torch.relu(x)
d2l.plot(x.detach(), y.detach(), 'x', 'relu(x)', figsize=(5, 2.5))
y.backward(torch.ones_like(x), retain_graph=True)
relu_grad = x.grad.clone()
d2l.plot(x.detach(), x.grad, 'x', 'grad of relu', figsize=(5, 2.5))
y = torch.sigmoid(x)
d2l.plot(x.detach(), y.detach(), 'x', 'sigmoid(x)', figsize=(5, 2.5))
x.grad.data.zero_()
y.backward(torch.ones_like(x), retain_graph=True)
sigmoid_grad = x.grad.clone()
y = torch.tanh(x)
x.grad.data.zero_()
y.backward(torch.ones_like(x), retain_graph=True)
tanh_grad = x.grad.clone()
d2l.plot(x.detach(), x.grad, 'x', 'grad of tanh', figsize=(5, 2.5))

# x[80] is relu's kink, 4.4e-16 on both sides: arange computes torch's values, so the derivative
# there (1) is compared with the rest.
RESULTS = {"relu_grad": relu_grad, "sigmoid_grad": sigmoid_grad, "tanh_grad": tanh_grad, "tanh": y.detach()}
