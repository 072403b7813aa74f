# d2l 1.0, 9.3 Language Models: the book's PyTorch code: TimeMachine as a data module of
# (input, input shifted by one) pairs of 10 characters, and its first shuffled minibatch.
from d2l import torch as d2l
import torch

@d2l.add_to_class(d2l.TimeMachine)  #@save
def __init__(self, batch_size, num_steps, num_train=10000, num_val=5000):
    super(d2l.TimeMachine, self).__init__()
    self.save_hyperparameters()
    corpus, self.vocab = self.build(self._download())
    array = d2l.tensor([corpus[i:i+num_steps+1] 
                        for i in range(len(corpus)-num_steps)])
    self.X, self.Y = array[:,:-1], array[:,1:]

@d2l.add_to_class(d2l.TimeMachine)  #@save
def get_dataloader(self, train):
    idx = slice(0, self.num_train) if train else slice(
        self.num_train, self.num_train + self.num_val)
    return self.get_tensorloader([self.X, self.Y], train, idx)

data = d2l.TimeMachine(batch_size=2, num_steps=10)
for X, Y in data.train_dataloader():
    print('X:', X, '\nY:', Y)
    break

RESULTS = {"X": X, "Y": Y, "shapes": (tuple(data.X.shape), tuple(data.Y.shape)), "vocab": len(data.vocab),
           "val": next(iter(data.val_dataloader()))}
