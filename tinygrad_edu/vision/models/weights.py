"""Pretrained weights: where torchvision keeps each file, and loading it into a model."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Optional


@dataclass(frozen=True)
class Weights:
    """A checkpoint torchvision publishes: its ``url`` (whose last part is the file name in the
    hub cache) and what it was trained for."""
    url: str
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def file_name(self) -> str:
        return self.url.rsplit("/", 1)[-1]


def hub_checkpoint_dir() -> str:
    """torch.hub's checkpoint folder: $TORCH_HOME/hub/checkpoints, else $XDG_CACHE_HOME/torch/...,
    else ~/.cache/torch/hub/checkpoints."""
    home = os.getenv("TORCH_HOME") or os.path.join(os.getenv("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "torch")
    return os.path.join(os.path.expanduser(home), "hub", "checkpoints")


def resolve(builder: str, enum: Any, weights: Any, pretrained: Optional[bool], kwargs: dict[str, Any]) -> Any:
    """The enum member asked for by ``weights`` (member, name or 'DEFAULT') or ``pretrained=True``."""
    if pretrained is not None:
        if weights is not None:
            raise ValueError(f"{builder}: pass either weights= or the older pretrained=, not both")
        weights = enum.DEFAULT if pretrained else None
    if weights is None:
        return None
    if isinstance(weights, str):
        try:
            weights = enum[weights]
        except KeyError:
            names = ", ".join(m for m in enum.__members__)
            raise ValueError(f"{builder}: no weights named {weights!r}; {enum.__name__} has {names}") from None
    if not isinstance(weights, enum):
        raise TypeError(f"{builder}: weights should be a {enum.__name__} member, its name or None, got {weights!r}")
    if "num_classes" in kwargs and kwargs["num_classes"] != 1000:
        raise ValueError(f"{builder}: the pretrained weights have 1000 classes, got num_classes={kwargs['num_classes']}")
    return weights


def load_into(model: Any, builder: str, weights: Optional[Enum]) -> Any:
    """Read the member's file from the hub cache into ``model`` (strict: every key must match)."""
    if weights is None:
        return model
    from ...checkpoint import load
    w: Weights = weights.value
    path = os.path.join(hub_checkpoint_dir(), w.file_name)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"{builder}: the weights {type(weights).__name__}.{weights.name} are not in {path}, and tinygrad_edu "
            f"does not download. Put torchvision's file there ({w.url}; torch saves it there on first use), "
            f"set TORCH_HOME to the folder above hub/, or load any copy with "
            f"model.load_state_dict(tinygrad_edu.load(path))")
    model.load_state_dict(load(path))
    return model
