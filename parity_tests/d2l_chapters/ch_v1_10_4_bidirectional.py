# d2l 1.0, 10.4 Bidirectional Recurrent Neural Networks: the book's PyTorch code (its PyTorch tabs):
# BiRNNScratch from two d2l.RNNScratch (`reversed(inputs)` flips a tensor along its first dim, as
# torch's does) and the concise BiGRU. The section defines them without running them; the lines
# after the book's code run both on a small batch, on each side.
from d2l import torch as d2l
import torch
from torch import nn

class BiRNNScratch(d2l.Module):
    def __init__(self, num_inputs, num_hiddens, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.f_rnn = d2l.RNNScratch(num_inputs, num_hiddens, sigma)
        self.b_rnn = d2l.RNNScratch(num_inputs, num_hiddens, sigma)
        self.num_hiddens *= 2  # The output dimension will be doubled

@d2l.add_to_class(BiRNNScratch)
def forward(self, inputs, Hs=None):
    f_H, b_H = Hs if Hs is not None else (None, None)
    f_outputs, f_H = self.f_rnn(inputs, f_H)
    b_outputs, b_H = self.b_rnn(reversed(inputs), b_H)
    outputs = [d2l.concat((f, b), -1) for f, b in zip(
        f_outputs, reversed(b_outputs))]
    return outputs, (f_H, b_H)

class BiGRU(d2l.RNN):
    def __init__(self, num_inputs, num_hiddens):
        d2l.Module.__init__(self)
        self.save_hyperparameters()
        self.rnn = nn.GRU(num_inputs, num_hiddens, bidirectional=True)
        self.num_hiddens *= 2

birnn = BiRNNScratch(num_inputs=5, num_hiddens=8)
X = torch.randn(4, 2, 5)
outputs, (f_H, b_H) = birnn(X)
bigru = BiGRU(5, 8)
gru_out, gru_H = bigru(X)
RESULTS = {"scratch": (outputs, f_H, b_H), "num_hiddens": (birnn.num_hiddens, bigru.num_hiddens),
           "gru": (gru_out, gru_H)}
