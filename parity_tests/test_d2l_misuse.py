"""The d2l 1.0 classes used wrongly fail with an error that says what to do, before anything
changes: ``save_hyperparameters`` outside ``__init__``, ``Trainer.fit`` on a data module with no
training batches, and a lazy model called with a second feature size (torch's error)."""
from __future__ import annotations

import pytest

import tinygrad_edu as tg
from tinygrad_edu import d2l


class _Net(d2l.Module):
    def __init__(self, lr: float = 0.1) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.net = tg.nn.LazyLinear(1)

    def loss(self, y_hat, y):
        return ((y_hat - y) ** 2).mean()


class _Empty(d2l.DataModule):
    def __init__(self, n: int) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.X, self.y = tg.ones(n, 3), tg.ones(n, 1)
        self.batch_size = 4

    def get_dataloader(self, train):
        return self.get_tensorloader((self.X, self.y), train)


def test_save_hyperparameters_outside_init_says_where_to_call_it() -> None:
    net = _Net()
    before = dict(vars(net))
    with pytest.raises(RuntimeError, match="save_hyperparameters: call it from the __init__ of _Net"):
        net.save_hyperparameters()
    assert set(vars(net)) == set(before)

    class Late(d2l.HyperParameters):
        def configure(self, a: int) -> None:
            self.save_hyperparameters()

    with pytest.raises(RuntimeError, match=r"not from configure\(\)"):
        Late().configure(3)


def test_fit_on_a_data_module_without_training_batches_raises_before_the_trainer_changes() -> None:
    trainer, model = d2l.Trainer(max_epochs=1), _Net()
    with pytest.raises(ValueError, match="Trainer.fit: _Empty's train_dataloader\\(\\) has no batches"):
        trainer.fit(model, _Empty(0))
    assert not hasattr(trainer, "train_dataloader") and not hasattr(model, "trainer")
    trainer.fit(model, _Empty(8))  # the same trainer and model still train on real data
    assert model.net.weight.shape == (1, 3)


def test_a_lazy_model_called_with_another_feature_size_gets_torch_s_error() -> None:
    import torch
    model = _Net()
    model(tg.ones(2, 3))
    with pytest.raises(RuntimeError, match=r"input of shape \(2, 5\) has 5 features but weight of shape \(1, 3\) "
                                           "expects 3"):
        model(tg.ones(2, 5))
    theirs = torch.nn.LazyLinear(1)
    theirs(torch.ones(2, 3))
    with pytest.raises(RuntimeError):  # the same type on torch
        theirs(torch.ones(2, 5))
