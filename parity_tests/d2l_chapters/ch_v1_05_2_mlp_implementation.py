# d2l 1.0, 5.2 Implementation of Multilayer Perceptrons: the book's PyTorch code: an MLP from
# scratch (nn.Parameter weights, a hand-written ReLU), then the concise one of lazy layers, each
# trained 10 epochs by d2l.Trainer on Fashion-MNIST. Stand-in: Fashion-MNIST's files in their real
# format, smaller (see STAND_INS), as nothing can be downloaded here.
from d2l import torch as d2l
import torch
from torch import nn

class MLPScratch(d2l.Classifier):
    def __init__(self, num_inputs, num_outputs, num_hiddens, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.W1 = nn.Parameter(torch.randn(num_inputs, num_hiddens) * sigma)
        self.b1 = nn.Parameter(torch.zeros(num_hiddens))
        self.W2 = nn.Parameter(torch.randn(num_hiddens, num_outputs) * sigma)
        self.b2 = nn.Parameter(torch.zeros(num_outputs))

def relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)

@d2l.add_to_class(MLPScratch)
def forward(self, X):
    X = d2l.reshape(X, (-1, self.num_inputs))
    H = relu(d2l.matmul(X, self.W1) + self.b1)
    return d2l.matmul(H, self.W2) + self.b2

model = MLPScratch(num_inputs=784, num_outputs=10, num_hiddens=256, lr=0.1)
data = d2l.FashionMNIST(batch_size=256)
trainer = d2l.Trainer(max_epochs=10)
trainer.fit(model, data)
scratch = {"W1": model.W1, "b2": model.b2, "board": {k: [p.y for p in v] for k, v in model.board.data.items()}}

class MLP(d2l.Classifier):
    def __init__(self, num_outputs, num_hiddens, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Flatten(), nn.LazyLinear(num_hiddens),
                                 nn.ReLU(), nn.LazyLinear(num_outputs))

model = MLP(num_outputs=10, num_hiddens=256, lr=0.1)
trainer.fit(model, data)

RESULTS = {"scratch": scratch, "concise": {"w2": model.net[3].weight, "b1": model.net[1].bias,
           "board": {k: [p.y for p in v] for k, v in model.board.data.items()}},
           "kinds": [type(m).__name__ for m in model.net]}
