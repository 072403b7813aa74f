# d2l 1.0, 2.5 Automatic Differentiation: the book's PyTorch code: the gradient of 2 x.x,
# accumulation and zero_, backward of a vector with a gradient argument, detach, and a gradient
# through Python control flow. Changed: the values the cells show are also kept for RESULTS.
import torch

x = torch.arange(4.0)
x

# Can also create x = torch.arange(4.0, requires_grad=True)
x.requires_grad_(True)
x.grad  # The gradient is None by default
before = x.grad is None

y = 2 * torch.dot(x, x)
y

y.backward()
x.grad
first = x.grad.clone()

x.grad == 4 * x

x.grad.zero_()  # Reset the gradient
y = x.sum()
y.backward()
x.grad
second = x.grad.clone()

x.grad.zero_()
y = x * x
y.backward(gradient=torch.ones(len(y)))  # Faster: y.sum().backward()
x.grad
third = x.grad.clone()

x.grad.zero_()
y = x * x
u = y.detach()
z = u * x

z.sum().backward()
x.grad == u
detached = (x.grad.clone(), x.grad == u)

x.grad.zero_()
y.sum().backward()
x.grad == 2 * x
kept = (x.grad.clone(), x.grad == 2 * x)

def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c

a = torch.randn(size=(), requires_grad=True)
d = f(a)
d.backward()

a.grad == d / a

RESULTS = {"before": before, "first": first, "second": second, "third": third, "detached": detached,
           "kept": kept, "a": a, "d": d, "a_grad": a.grad, "linear": a.grad == d / a}
