# d2l 2.6 Probability and Statistics (sampling; the plot is written to a PNG)
import torch
from torch.distributions import multinomial
from d2l import torch as d2l

fair_probs = torch.ones([6]) / 6
one = multinomial.Multinomial(1, fair_probs).sample()
ten = multinomial.Multinomial(10, fair_probs).sample()
counts = multinomial.Multinomial(1000, fair_probs).sample()
frequencies = counts / 1000
counts = multinomial.Multinomial(10, fair_probs).sample((500,))
cum_counts = counts.cumsum(dim=0)
estimates = cum_counts / cum_counts.sum(dim=1, keepdims=True)
d2l.set_figsize((6, 4.5))
for i in range(6):
    d2l.plt.plot(estimates[:, i].numpy(), label=("P(die=" + str(i + 1) + ")"))
d2l.plt.axhline(y=0.167, color='black', linestyle='dashed')
d2l.plt.gca().set_xlabel('Groups of experiments')
d2l.plt.gca().set_ylabel('Estimated probability')
d2l.plt.legend()

RESULTS = {"one_sum": one.sum(), "ten_sum": ten.sum(), "frequency_error": (frequencies - 1 / 6).abs().max(),
           "rows": counts.sum(dim=1), "last_estimate_error": (estimates[-1] - 1 / 6).abs().max(),
           "shapes": (tuple(one.shape), tuple(counts.shape), tuple(estimates.shape))}
