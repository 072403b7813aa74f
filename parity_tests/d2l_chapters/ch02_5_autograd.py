# d2l 2.5 Automatic Differentiation
import torch

x = torch.arange(4.0)
x.requires_grad_(True)
y = 2 * torch.dot(x, x)
y.backward()
grad_dot = x.grad.clone()
check = x.grad == 4 * x
x.grad.zero_()
y = x.sum()
y.backward()
grad_sum = x.grad.clone()
x.grad.zero_()
y = x * x
y.backward(gradient=torch.ones(len(y)))
grad_vector = x.grad.clone()
x.grad.zero_()
y = x * x
u = y.detach()
z = u * x
z.sum().backward()
detached = x.grad == u
x.grad.zero_()
y.sum().backward()
grad_y = x.grad == 2 * x


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
control_flow = a.grad == d / a

RESULTS = {"grad_dot": grad_dot, "check": check, "grad_sum": grad_sum, "grad_vector": grad_vector,
           "detached": detached, "grad_y": grad_y, "a": a.detach(), "d": d.detach(), "a.grad": a.grad,
           "control_flow": control_flow}
