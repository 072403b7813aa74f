# d2l 3.1 Linear Regression (vectorization for speed, the normal distribution)
import math

import numpy as np
import torch
from d2l import torch as d2l

n = 10000
a = torch.ones([n])
b = torch.ones([n])
c = torch.zeros(n)
timer = d2l.Timer()
for i in range(n):
    c[i] = a[i] + b[i]
loop_seconds = timer.stop()
timer.start()
d = a + b
vector_seconds = timer.stop()


def normal(x, mu, sigma):
    p = 1 / math.sqrt(2 * math.pi * sigma ** 2)
    return p * np.exp(-0.5 / sigma ** 2 * (x - mu) ** 2)


x = np.arange(-7, 7, 0.01)
params = [(0, 1), (0, 2), (3, 1)]
path = d2l.plot(x, [normal(x, mu, sigma) for mu, sigma in params], xlabel='x', ylabel='p(x)',
                figsize=(4.5, 2.5), legend=[f'mean {mu}, std {sigma}' for mu, sigma in params])

RESULTS = {"c": c, "d": d, "timed": loop_seconds >= 0 and vector_seconds >= 0, "plotted": path.endswith(".png")}
