# d2l 1.0, 10.3 Deep Recurrent Neural Networks: the book's PyTorch code (its PyTorch tabs) on The
# Time Machine that tinygrad_edu ships: a stack of two RNNScratch layers trained through
# d2l.RNNLMScratch, then the two-layer GRU through d2l.RNNLM. One change: 2 epochs instead of 100
# (each is 10 batches of 1024 windows of 32 characters).
from d2l import torch as d2l
import torch
from torch import nn

class StackedRNNScratch(d2l.Module):
    def __init__(self, num_inputs, num_hiddens, num_layers, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.rnns = nn.Sequential(*[d2l.RNNScratch(
            num_inputs if i==0 else num_hiddens, num_hiddens, sigma)
                                    for i in range(num_layers)])

@d2l.add_to_class(StackedRNNScratch)
def forward(self, inputs, Hs=None):
    outputs = inputs
    if Hs is None: Hs = [None] * self.num_layers
    for i in range(self.num_layers):
        outputs, Hs[i] = self.rnns[i](outputs, Hs[i])
        outputs = d2l.stack(outputs, 0)
    return outputs, Hs

data = d2l.TimeMachine(batch_size=1024, num_steps=32)
rnn_block = StackedRNNScratch(num_inputs=len(data.vocab),
                              num_hiddens=32, num_layers=2)
model = d2l.RNNLMScratch(rnn_block, vocab_size=len(data.vocab), lr=2)
trainer = d2l.Trainer(max_epochs=2, gradient_clip_val=1, num_gpus=1)
trainer.fit(model, data)
scratch = {"W_hq": model.W_hq, "W_hh": rnn_block.rnns[1].W_hh,
           "board": {k: [p.y for p in v] for k, v in model.board.data.items()}}

class GRU(d2l.RNN):  #@save
    """The multi-layer GRU model."""
    def __init__(self, num_inputs, num_hiddens, num_layers, dropout=0):
        d2l.Module.__init__(self)
        self.save_hyperparameters()
        self.rnn = nn.GRU(num_inputs, num_hiddens, num_layers,
                          dropout=dropout)

gru = GRU(num_inputs=len(data.vocab), num_hiddens=32, num_layers=2)
model = d2l.RNNLM(gru, vocab_size=len(data.vocab), lr=2)
trainer.fit(model, data)

prediction = model.predict('it has', 20, data.vocab, d2l.try_gpu())

RESULTS = {"scratch": scratch, "gru": {"linear": model.linear.weight, "w_hh_l1": gru.rnn.weight_hh_l1,
                                       "board": {k: [p.y for p in v] for k, v in model.board.data.items()}},
           "prediction": prediction}
