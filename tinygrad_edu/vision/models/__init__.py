"""``torchvision.models``: ResNet-18/34/50, VGG-11/19 and AlexNet with torchvision's module
names and shapes, so their ``state_dict`` keys are torchvision's and its checkpoints load.

``weights=`` (an enum member such as ``ResNet18_Weights.IMAGENET1K_V1``, its name, or
``"DEFAULT"``) and the older ``pretrained=True`` load torchvision's file from torch's hub cache
(``$TORCH_HOME/hub/checkpoints``, by default ``~/.cache/torch/hub/checkpoints``), read without
torch (``tinygrad_edu.torch_checkpoint``). Nothing is downloaded: without the file, the error
says where to put it. Any other file: ``model.load_state_dict(tinygrad_edu.load(path))``.
"""
from __future__ import annotations

from .alexnet import AlexNet, AlexNet_Weights, alexnet
from .resnet import BasicBlock, Bottleneck, ResNet, ResNet18_Weights, ResNet34_Weights, ResNet50_Weights, \
    resnet18, resnet34, resnet50
from .vgg import VGG, VGG11_Weights, VGG19_Weights, vgg11, vgg19
from .weights import Weights, hub_checkpoint_dir

__all__ = ["AlexNet", "AlexNet_Weights", "alexnet", "BasicBlock", "Bottleneck", "ResNet", "ResNet18_Weights",
           "ResNet34_Weights", "ResNet50_Weights", "resnet18", "resnet34", "resnet50", "VGG", "VGG11_Weights",
           "VGG19_Weights", "vgg11", "vgg19", "Weights", "hub_checkpoint_dir"]
