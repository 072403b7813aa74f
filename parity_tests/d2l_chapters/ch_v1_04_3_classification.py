# d2l 1.0, 4.3 The Base Classification Model: the book's PyTorch code: the Classifier base
# class, its SGD optimizer and its accuracy. The section defines them only; here they are then
# used once, on a fixed batch (added lines at the end, marked).
from d2l import torch as d2l
import torch

class Classifier(d2l.Module):  #@save
    def validation_step(self, batch):
        Y_hat = self(*batch[:-1])
        self.plot('loss', self.loss(Y_hat, batch[-1]), train=False)
        self.plot('acc', self.accuracy(Y_hat, batch[-1]), train=False)

@d2l.add_to_class(d2l.Module)  #@save
def configure_optimizers(self):
    return torch.optim.SGD(self.parameters(), lr=self.lr)

@d2l.add_to_class(Classifier)  #@save
def accuracy(self, Y_hat, Y, averaged=True):
    """Compute the number of correct predictions."""
    Y_hat = d2l.reshape(Y_hat, (-1, Y_hat.shape[-1]))
    preds = d2l.astype(d2l.argmax(Y_hat, axis=1), Y.dtype)
    compare = d2l.astype(preds == d2l.reshape(Y, -1), d2l.float32)
    return d2l.reduce_mean(compare) if averaged else compare

# Added: the class used once. Scores with ties (argmax takes the first, as torch's does).
model = Classifier()
model.lr = 0.1
model.w = torch.nn.Parameter(torch.zeros(3))  # the optimizer needs a parameter to hold
Y_hat = torch.tensor([[0.1, 0.7, 0.2], [0.5, 0.5, 0.0], [0.3, 0.3, 0.4], [0.9, 0.0, 0.1]])
Y = torch.tensor([1, 1, 2, 0])
RESULTS = {"acc": model.accuracy(Y_hat, Y), "each": model.accuracy(Y_hat, Y, averaged=False),
           "optimizer": type(model.configure_optimizers()).__name__}
