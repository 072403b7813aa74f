# d2l 1.0, 2.7 Documentation: the book's PyTorch code: the names in torch.distributions, the help
# text of torch.ones, and a quick test of it. Changed: what dir and help print is captured and
# kept for RESULTS (tinygrad_edu's distributions module holds the one distribution the book
# samples from, Multinomial, and documents ones in its own words).
import contextlib
import io
import torch

print(dir(torch.distributions))
names = dir(torch.distributions)

with contextlib.redirect_stdout(io.StringIO()) as text:
    help(torch.ones)

torch.ones(4)

RESULTS = {"multinomial_listed": "Multinomial" in names, "ones_documented": "ones" in text.getvalue(),
           "ones": torch.ones(4)}
