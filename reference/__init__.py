"""The PyTorch side of tinygrad_edu's comparisons: twins of the d2l models, exact weight transfer in
both directions, and the same training loop run on torch.

tinygrad_edu itself never imports torch; this package does.
"""
from .models import MODELS, build_torch
from .train import evaluate_accuracy, train_epoch, train_step
from .transfer import (copy_weights_from_torch, copy_weights_to_torch, from_torch, load_checkpoint_into_torch,
                       model_from_torch, model_to_torch, save_torch_state_dict, to_torch)

__all__ = ["MODELS", "build_torch", "to_torch", "from_torch", "model_to_torch", "model_from_torch",
           "copy_weights_to_torch", "copy_weights_from_torch", "load_checkpoint_into_torch", "save_torch_state_dict", "train_epoch", "train_step",
           "evaluate_accuracy"]
