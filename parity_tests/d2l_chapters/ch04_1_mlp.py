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

# x[80] is the kink of relu: torch's vectorised arange makes it +4e-16, NumPy's -3e-14 (float
# rounding of -8 + 80 * 0.1), so the derivative there is 1 on one side and 0 on the other.
away_from_kink = x.detach().abs() > 1e-6
RESULTS = {"relu_grad": relu_grad[away_from_kink], "sigmoid_grad": sigmoid_grad, "tanh_grad": tanh_grad, "tanh": y.detach()}
