# d2l 3.3 Concise Implementation of Linear Regression
import numpy as np
import torch
from torch.utils import data
from torch import nn
from d2l import torch as d2l

true_w = torch.tensor([2, -3.4])
true_b = 4.2
features, labels = d2l.synthetic_data(true_w, true_b, 1000)


def load_array(data_arrays, batch_size, is_train=True):
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


batch_size = 10
data_iter = load_array((features, labels), batch_size)
first = next(iter(data_iter))
net = nn.Sequential(nn.Linear(2, 1))
net[0].weight.data.normal_(0, 0.01)
net[0].bias.data.fill_(0)
loss = nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.03)
num_epochs = 3
epoch_losses = []
for epoch in range(num_epochs):
    for X, y in data_iter:
        l = loss(net(X), y)
        trainer.zero_grad()
        l.backward()
        trainer.step()
    l = loss(net(features), labels)
    epoch_losses.append(float(l))
w = net[0].weight.data
b = net[0].bias.data

RESULTS = {"first_shapes": (tuple(first[0].shape), tuple(first[1].shape)),
           "w_error_small": bool((true_w - w.reshape(true_w.shape)).abs().max() < 0.01),
           "b_error_small": bool(abs(true_b - float(b)) < 0.01), "final_loss_small": epoch_losses[-1] < 1e-3}
