"""Optimisers (torch.optim's names and update rules)."""
from .sgd import SGD

__all__ = ["SGD"]
