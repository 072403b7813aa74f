# d2l 1.0, 2.6 Probability and Statistics: the book's PyTorch code: coin tosses with Python's
# random, then Multinomial samples of a fair coin, and the running estimates of 10,000 single
# tosses converging to 1/2, plotted. The two frameworks draw their samples differently, so the
# samples are compared through what the section says of them (counts, shapes, convergence).
from d2l import torch as d2l
import random
import torch
from torch.distributions.multinomial import Multinomial

num_tosses = 100
heads = sum([random.random() > 0.5 for _ in range(num_tosses)])
tails = num_tosses - heads
print("heads, tails: ", [heads, tails])

fair_probs = torch.tensor([0.5, 0.5])
Multinomial(100, fair_probs).sample()
hundred = Multinomial(100, fair_probs).sample()

Multinomial(100, fair_probs).sample() / 100

counts = Multinomial(10000, fair_probs).sample()
counts / 10000
frequencies = counts / 10000

counts = Multinomial(1, fair_probs).sample((10000,))
cum_counts = counts.cumsum(dim=0)
estimates = cum_counts / cum_counts.sum(dim=1, keepdims=True)
estimates = estimates.numpy()

d2l.set_figsize((4.5, 3.5))
d2l.plt.plot(estimates[:, 0], label=("P(coin=heads)"))
d2l.plt.plot(estimates[:, 1], label=("P(coin=tails)"))
d2l.plt.axhline(y=0.5, color='black', linestyle='dashed')
d2l.plt.gca().set_xlabel('Samples')
d2l.plt.gca().set_ylabel('Estimated probability')
d2l.plt.legend();

RESULTS = {"python_tosses": (heads, tails), "hundred": (hundred.sum(), hundred.dtype == fair_probs.dtype),
           "frequencies": (frequencies.sum(), bool((frequencies - 0.5).abs().max() < 0.05)),
           "single": (counts.sum(dim=1), tuple(counts.shape)), "estimates": (estimates.shape, str(estimates.dtype)),
           "converged": bool(abs(estimates[-1, 0] - 0.5) < 0.05), "rows": estimates.sum(axis=1)}
