"""Neural-network building blocks (``tinygrad_edu.nn.functional`` for now)."""
from . import functional

__all__ = ["functional"]
