# d2l 1.0, 3.1 Linear Regression: the book's PyTorch code (its PyTorch tabs; `%%tab all` cells as
# the PyTorch notebook has them): vectorized against looped addition, the normal densities plotted.
# Changed: the two timings are kept as numbers (the book shows them as strings), and the figure's
# path is kept, for RESULTS.
import math
import torch
import numpy as np
import time
from d2l import torch as d2l

n = 10000
a = d2l.ones(n)
b = d2l.ones(n)

c = d2l.zeros(n)
t = time.time()
for i in range(n):
    c[i] = a[i] + b[i]
loop_seconds = time.time() - t
f'{time.time() - t:.5f} sec'

t = time.time()
d = a + b
vector_seconds = time.time() - t
f'{time.time() - t:.5f} sec'

def normal(x, mu, sigma):
    p = 1 / math.sqrt(2 * math.pi * sigma**2)
    return p * np.exp(-0.5 * (x - mu)**2 / sigma**2)

# Use numpy again for visualization
x = np.arange(-7, 7, 0.01)

# Mean and standard deviation pairs
params = [(0, 1), (0, 2), (3, 1)]
path = d2l.plot(x, [normal(x, mu, sigma) for mu, sigma in params], xlabel='x',
         ylabel='p(x)', figsize=(4.5, 2.5),
         legend=[f'mean {mu}, std {sigma}' for mu, sigma in params])

RESULTS = {"c": c, "d": d, "timed": loop_seconds >= 0 and vector_seconds >= 0,
           "densities": [normal(x, mu, sigma) for mu, sigma in params]}
