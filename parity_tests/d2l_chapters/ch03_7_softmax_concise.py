# d2l 3.7 Concise Implementation of Softmax Regression
import torch
from torch import nn
from d2l import torch as d2l

batch_size = 256
train_iter, test_iter = d2l.load_data_fashion_mnist(batch_size)
net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))


def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)


net.apply(init_weights)
loss = nn.CrossEntropyLoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=0.1)
num_epochs = 10
result = d2l.train_ch3(net, train_iter, test_iter, loss, num_epochs, trainer)

RESULTS = {"train_ch3": result, "weight": net[1].weight.detach(), "bias": net[1].bias.detach()}
