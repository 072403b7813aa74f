# d2l 2.4 Calculus (the plot is written to a PNG)
import numpy as np
from d2l import torch as d2l


def f(x):
    return 3 * x ** 2 - 4 * x


def numerical_lim(f, x, h):
    return (f(x + h) - f(x)) / h


h = 0.1
limits = []
for i in range(5):
    limits.append(numerical_lim(f, 1, h))
    h *= 0.1
x = np.arange(0, 3, 0.1)
path = d2l.plot(x, [f(x), 2 * x - 3], 'x', 'f(x)', legend=['f(x)', 'Tangent line (x=1)'])

RESULTS = {"limits": limits, "plotted": path.endswith(".png")}
