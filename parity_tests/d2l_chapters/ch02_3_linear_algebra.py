# d2l 2.3 Linear Algebra
import torch

x = torch.tensor(3.0)
y = torch.tensor(2.0)
scalar_ops = [x + y, x * y, x / y, x ** y]
x = torch.arange(3)
A = torch.arange(6).reshape(3, 2)
AT = A.T
B = torch.tensor([[1, 2, 3], [2, 0, 4], [3, 4, 5]])
symmetric = B == B.T
X = torch.arange(24).reshape(2, 3, 4)
A = torch.arange(6, dtype=torch.float32).reshape(2, 3)
B = A.clone()
hadamard = A * B
a = 2
X_ops = [a + X, (a * X).shape]
x = torch.arange(3, dtype=torch.float32)
sums = [x.sum(), A.sum(axis=0), A.sum(axis=1), A.sum(axis=[0, 1]), A.mean(), A.sum() / A.numel(),
        A.mean(axis=0), A.sum(axis=0) / A.shape[0]]
sum_A = A.sum(axis=1, keepdims=True)
normalized = A / sum_A
cumulative = A.cumsum(axis=0)
y = torch.ones(3, dtype=torch.float32)
dots = [torch.dot(x, y), torch.sum(x * y)]
mv = [A.shape, x.shape, torch.mv(A, x), A @ x]
B = torch.ones(3, 4)
mm = [torch.mm(A, B), A @ B]
u = torch.tensor([3.0, -4.0])
norms = [torch.norm(u), torch.abs(u).sum(), torch.norm(torch.ones((4, 9)))]

RESULTS = {"scalar_ops": scalar_ops, "AT": AT, "symmetric": symmetric, "hadamard": hadamard,
           "X_ops": [X_ops[0], tuple(X_ops[1])], "sums": sums, "sum_A": sum_A, "normalized": normalized,
           "cumulative": cumulative, "dots": dots, "mv": [tuple(mv[0]), tuple(mv[1]), mv[2], mv[3]],
           "mm": mm, "norms": norms}
