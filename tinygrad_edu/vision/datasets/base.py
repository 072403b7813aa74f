"""What every data set here shares: ``root``, ``transform``/``target_transform`` and the
``download`` refusal."""
from __future__ import annotations

import os
from typing import Any, Callable, Optional


class VisionDataset:
    """Items are ``(transform(image), target_transform(target))``; ``len`` is the number of items."""

    def __init__(self, root: Any, transform: Optional[Callable[[Any], Any]] = None,
                 target_transform: Optional[Callable[[Any], Any]] = None) -> None:
        self.root = os.path.expanduser(os.fspath(root)) if root is not None else None
        self.transform, self.target_transform = transform, target_transform

    def _apply(self, img: Any, target: Any) -> tuple[Any, Any]:
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __repr__(self) -> str:
        return f"Dataset {type(self).__name__}\n    Number of datapoints: {len(self)}\n    Root location: {self.root}"

    def __len__(self) -> int:
        raise NotImplementedError


def cannot_download(name: str, where: str, files: str, source: str) -> RuntimeError:
    """The error for ``download=True`` when the files are not there."""
    return RuntimeError(f"{name}: the data set is not in {where} and tinygrad_edu does not download "
                        f"(download=True cannot fetch it): put {files} there, from {source}")
