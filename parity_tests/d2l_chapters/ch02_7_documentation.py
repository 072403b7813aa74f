# d2l 2.7 Documentation
import io
from contextlib import redirect_stdout

import torch

names = dir(torch.distributions)
with redirect_stdout(io.StringIO()) as text:
    help(torch.ones)
ones = torch.ones(4)

RESULTS = {"has_multinomial": "multinomial" in names, "help_mentions_ones": "ones" in text.getvalue(), "ones": ones}
