# d2l 2.1 Data Manipulation
import torch

x = torch.arange(12, dtype=torch.float32)
n = x.numel()
shape = x.shape
X = x.reshape(3, 4)
zeros = torch.zeros((2, 3, 4))
ones = torch.ones((2, 3, 4))
r = torch.randn(3, 4)
t = torch.tensor([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
last, rows = X[-1], X[1:3]
X[1, 2] = 17
X[:2, :] = 12
e = torch.exp(x)
a = torch.tensor([1.0, 2, 4, 8])
b = torch.tensor([2, 2, 2, 2])
elementwise = [a + b, a - b, a * b, a / b, a ** b]
X = torch.arange(12, dtype=torch.float32).reshape((3, 4))
Y = torch.tensor([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
cat0, cat1 = torch.cat((X, Y), dim=0), torch.cat((X, Y), dim=1)
eq = X == Y
total = X.sum()
a = torch.arange(3).reshape((3, 1))
b = torch.arange(2).reshape((1, 2))
broadcast = a + b
before = id(Y)
Y = Y + X
new_object = id(Y) != before
Z = torch.zeros_like(Y)
before = id(Z)
Z[:] = X + Y
same_object = id(Z) == before
before = id(X)
X += Y
in_place = id(X) == before
A = X.numpy()
B = torch.from_numpy(A)
a = torch.tensor([3.5])
scalars = (a.item(), float(a), int(a))

RESULTS = {"n": n, "shape": tuple(shape), "last": last, "rows": rows, "r": r, "t": t, "e": e,
           "elementwise": elementwise, "cat0": cat0, "cat1": cat1, "eq": eq, "total": total,
           "broadcast": broadcast, "ids": (new_object, same_object, in_place), "Z": Z, "A": A, "B": B,
           "scalars": scalars, "types": (type(A).__name__, type(B).__name__ in ("Tensor",))}
