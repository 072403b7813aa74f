"""The PyTorch side of tinygrad_edu's comparisons: moving values between the two backends.

tinygrad_edu itself never imports torch; this package does.
"""
from .transfer import from_torch, to_torch

__all__ = ["to_torch", "from_torch"]
