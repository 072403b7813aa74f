# d2l 1.0, 9.6 Concise Implementation of Recurrent Neural Networks: the book's PyTorch code on The
# Time Machine (the copy tinygrad_edu ships; d2l.TimeMachine reads it where the book downloads).
# One change: 2 epochs instead of 100 (each is 10 batches of 1024 windows of 32 characters).
import torch
from torch import nn
from torch.nn import functional as F
from d2l import torch as d2l

class RNN(d2l.Module):  #@save
    """The RNN model implemented with high-level APIs."""
    def __init__(self, num_inputs, num_hiddens):
        super().__init__()
        self.save_hyperparameters()
        self.rnn = nn.RNN(num_inputs, num_hiddens)

    def forward(self, inputs, H=None):
        return self.rnn(inputs, H)

class RNNLM(d2l.RNNLMScratch):  #@save
    """The RNN-based language model implemented with high-level APIs."""
    def init_params(self):
        self.linear = nn.LazyLinear(self.vocab_size)

    def output_layer(self, hiddens):
        return d2l.swapaxes(self.linear(hiddens), 0, 1)

data = d2l.TimeMachine(batch_size=1024, num_steps=32)
rnn = RNN(num_inputs=len(data.vocab), num_hiddens=32)
model = RNNLM(rnn, vocab_size=len(data.vocab), lr=1)
before = model.predict('it has', 20, data.vocab)

trainer = d2l.Trainer(max_epochs=2, gradient_clip_val=1, num_gpus=1)
trainer.fit(model, data)

after = model.predict('it has', 20, data.vocab, d2l.try_gpu())

RESULTS = {"vocab": data.vocab.idx_to_token, "X": data.X[:3], "Y": data.Y[:3], "before": before,
           "after": after, "linear": model.linear.weight, "w_hh": rnn.rnn.weight_hh_l0,
           "board": {k: [p.y for p in v] for k, v in model.board.data.items()}}
