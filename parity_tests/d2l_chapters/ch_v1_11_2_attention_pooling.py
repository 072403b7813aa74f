# d2l 1.0, 11.2 Attention Pooling by Similarity: the book's PyTorch code (its PyTorch tabs): four
# kernels plotted, noisy training data (`torch.sort` of uniform draws), Nadaraya-Watson
# regression (`y_train@k`), its estimates and attention weights drawn with matplotlib straight
# from tensors, and Gaussian kernels of four widths.
from d2l import torch as d2l
import torch
from torch import nn
from torch.nn import functional as F
import numpy as np

d2l.use_svg_display()
fig, axes = d2l.plt.subplots(1, 4, sharey=True, figsize = (12,3))

# define some kernels
gauss = lambda x: d2l.exp(-2 * x**2)
boxcar = lambda x: d2l.abs(x) < 1.0
constant = lambda x: 1.0 + 0 * x
epanechikov = lambda x: torch.max(1 - d2l.abs(x), torch.zeros_like(x))
kernels = (gauss, boxcar, constant, epanechikov)
names = ('Gauss', 'Boxcar', 'Constant', 'Epanechikov')

x = d2l.arange(-2.5, 2.5, 0.1)
for kernel, name, ax in zip(kernels, names, axes):
    ax.plot(d2l.numpy(x), d2l.numpy(kernel(x)));
    ax.set_xlabel(name)

n = 40
f = lambda x: 2 * d2l.sin(x) + x
x_train, _ = torch.sort(d2l.rand(n) * 5)
y_train = f(x_train) + d2l.randn(n)
x_test = d2l.arange(0, 5, 0.1)
y_test = f(x_test)

def watson_nadaraya(x_train, y_train, x_test, kernel):
    dists = d2l.reshape(x_train, (-1, 1)) - d2l.reshape(x_test, (1, -1))
    k = kernel(dists) # compute attention mask
    k = k / k.sum(0)  # normalization
    y_hat = y_train@k
    return y_hat, k

def plot_results(x_train, y_train, x_test, y_test, kernels, names, attention = False):
    fig, axes = d2l.plt.subplots(1, 4, sharey=True, figsize = (12, 3))
    for kernel, name, ax in zip(kernels, names, axes):
        y_hat, k = watson_nadaraya(x_train, y_train, x_test, kernel)
        if attention: pcm = ax.imshow(d2l.numpy(k), cmap='Reds')
        else:
            ax.plot(x_test, y_hat)
            ax.plot(x_test, y_test)
            ax.plot(x_train, y_train, 'o', alpha=0.5);
        ax.set_xlabel(name)
    if attention: fig.colorbar(pcm, ax=axes, shrink=0.7)

plot_results(x_train, y_train, x_test, y_test, kernels, names)

plot_results(x_train, y_train, x_test, y_test, kernels, names, attention = True)
estimates = [watson_nadaraya(x_train, y_train, x_test, kernel) for kernel in kernels]

sigmas = (0.1, 0.2, 0.5, 1)
names = ['Sigma ' + str(sigma) for sigma in sigmas]
def getfun(sigma): return (lambda x: d2l.exp(-(1/(2*sigma**2)) * x**2))
kernels = [getfun(sigma) for sigma in sigmas]

plot_results(x_train, y_train, x_test, y_test, kernels, names)

plot_results(x_train, y_train, x_test, y_test, kernels, names, attention=True)

RESULTS = {"x_train": x_train, "y_train": y_train, "estimates": estimates,
           "widths": [watson_nadaraya(x_train, y_train, x_test, kernel) for kernel in kernels]}
