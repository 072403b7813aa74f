# d2l 8.6 Concise Implementation of Recurrent Neural Networks
import torch
from torch import nn
from torch.nn import functional as F
from d2l import torch as d2l

batch_size, num_steps = 32, 35
train_iter, vocab = d2l.load_data_time_machine(batch_size, num_steps)
num_hiddens = 256
rnn_layer = nn.RNN(len(vocab), num_hiddens)
state = torch.zeros((1, batch_size, num_hiddens))
X = torch.rand(size=(num_steps, batch_size, len(vocab)))
Y, state_new = rnn_layer(X, state)
shapes = (tuple(Y.shape), tuple(state_new.shape))
device = d2l.try_gpu()
net = d2l.RNNModel(rnn_layer, vocab_size=len(vocab))
net = net.to(device)
untrained = d2l.predict_ch8('time traveller', 10, net, vocab, device)
num_epochs, lr = 500, 1
result = d2l.train_ch8(net, train_iter, vocab, lr, num_epochs, device)

RESULTS = {"shapes": shapes, "Y": Y, "untrained": untrained, "perplexity": result[0], "train_ch8": result}
