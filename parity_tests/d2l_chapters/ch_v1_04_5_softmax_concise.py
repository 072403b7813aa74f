# d2l 1.0, 4.5 Concise Implementation of Softmax Regression: the book's PyTorch code unchanged, on
# a Fashion-MNIST stand-in in torchvision's layout (../data/FashionMNIST/raw: the first 1000
# training and 500 test images of the bundled sample, parity_tests/stand_in_data.py).
import torch
from torch import nn
from torch.nn import functional as F
from d2l import torch as d2l

class SoftmaxRegression(d2l.Classifier):  #@save
    """The softmax regression model."""
    def __init__(self, num_outputs, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Flatten(),
                                 nn.LazyLinear(num_outputs))

    def forward(self, X):
        return self.net(X)

@d2l.add_to_class(d2l.Classifier)  #@save
def loss(self, Y_hat, Y, averaged=True):
    Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
    Y = Y.reshape((-1,))
    return F.cross_entropy(
        Y_hat, Y, reduction='mean' if averaged else 'none')

data = d2l.FashionMNIST(batch_size=256)
model = SoftmaxRegression(num_outputs=10, lr=0.1)
trainer = d2l.Trainer(max_epochs=10)
trainer.fit(model, data)

RESULTS = {"weight": model.net[1].weight, "board": {k: [p.y for p in v] for k, v in model.board.data.items()}}
