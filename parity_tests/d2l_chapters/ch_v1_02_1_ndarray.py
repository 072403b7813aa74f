# d2l 1.0, 2.1 Data Manipulation: the book's PyTorch code: creating tensors, reshaping, indexing
# and writing, elementwise operations, concatenation, comparison, broadcasting, in-place updates
# and conversion to NumPy and Python numbers. Changed: the values the cells show are also kept
# for RESULTS.
import torch

x = torch.arange(12, dtype=torch.float32)
x

x.numel()

x.shape

X = x.reshape(3, 4)
X

torch.zeros((2, 3, 4))

torch.ones((2, 3, 4))

torch.randn(3, 4)
drawn = torch.randn(3, 4)

torch.tensor([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
made = torch.tensor([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])

X[-1], X[1:3]
sliced = (X[-1], X[1:3])

X[1, 2] = 17
X
written = X.clone()

X[:2, :] = 12
X

torch.exp(x)
exp = torch.exp(x)

x = torch.tensor([1.0, 2, 4, 8])
y = torch.tensor([2, 2, 2, 2])
x + y, x - y, x * y, x / y, x ** y
elementwise = (x + y, x - y, x * y, x / y, x ** y)

X = torch.arange(12, dtype=torch.float32).reshape((3,4))
Y = torch.tensor([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
torch.cat((X, Y), dim=0), torch.cat((X, Y), dim=1)
cat = (torch.cat((X, Y), dim=0), torch.cat((X, Y), dim=1))

X == Y

X.sum()

a = torch.arange(3).reshape((3, 1))
b = torch.arange(2).reshape((1, 2))
a, b

a + b

before = id(Y)
Y = Y + X
id(Y) == before
new_memory = id(Y) == before

Z = torch.zeros_like(Y)
print('id(Z):', id(Z))
first_id = id(Z)
Z[:] = X + Y
print('id(Z):', id(Z))
same_Z = id(Z) == first_id

before = id(X)
X += Y
id(X) == before
same_X = id(X) == before

A = X.numpy()
B = torch.from_numpy(A)
type(A), type(B)
kinds = (type(A).__name__, type(B).__name__)

a = torch.tensor([3.5])
a, a.item(), float(a), int(a)

RESULTS = {"numel": x.numel(), "shape": tuple(X.shape), "drawn": drawn, "made": made, "sliced": sliced,
           "written": written, "exp": exp, "elementwise": elementwise, "cat": cat, "equal": cat[0][:3] == Y,
           "sum": X.sum(), "broadcast": a.item() + (torch.arange(3).reshape((3, 1)) + torch.arange(2).reshape((1, 2))),
           "memory": (new_memory, same_Z, same_X), "Z": Z, "X": X, "kinds": kinds,
           "scalars": (a.item(), float(a), int(a))}
