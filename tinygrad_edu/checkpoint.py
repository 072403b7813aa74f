"""``save(obj, f)`` / ``load(f)`` (torch.save/torch.load) for tensors, lists and dicts of them,
and state dicts of models and optimisers.

Format: one ``.npz`` file (NumPy's zip of ``.npy`` arrays) read with ``allow_pickle=False``, so
loading never runs code. Nested dicts and lists of arrays, numbers, strings, bools and None are
flattened: every array becomes one entry, and a JSON document (stored as a uint8 array under
``__tinygrad_edu__``) records the structure and the plain values. Round trips are bit-exact.

Writing is atomic: the file is written to a temporary name in the same folder, flushed and
fsync'ed, then renamed over the target, so a crash leaves either the old checkpoint or the new
one, never half of one.
"""
from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Union

import numpy as np

from .tensor import Tensor

MANIFEST = "__tinygrad_edu__"
FORMAT_VERSION = 1
PathLike = Union[str, "os.PathLike[str]"]


class CheckpointError(RuntimeError):
    """A checkpoint file is missing, truncated, corrupt, or not a tinygrad_edu checkpoint."""


def _flatten(obj: Any, arrays: dict[str, np.ndarray], where: str) -> Any:
    """JSON-able description of ``obj``; arrays are moved into ``arrays`` under fresh names.
    A Tensor is stored as its array plus a flag (and requires_grad), so load gives a Tensor back."""
    if isinstance(obj, Tensor):
        desc = _flatten(obj.detach().numpy(), arrays, where)
        desc["tensor"] = True
        if obj.requires_grad and obj.is_leaf:
            desc["requires_grad"] = True
        return desc
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind not in "biuf":
            raise TypeError(f"save: {where}: arrays of dtype {obj.dtype} cannot be stored without pickle")
        key = f"a{len(arrays)}"
        arrays[key] = obj
        return {"__array__": key}
    if isinstance(obj, dict):
        items = []
        for k, v in obj.items():
            if not isinstance(k, (str, int)) or isinstance(k, bool):
                raise TypeError(f"save: {where}: dict keys must be str or int, got {type(k).__name__}")
            items.append([k, _flatten(v, arrays, f"{where}[{k!r}]")])
        return {"__dict__": items}
    if isinstance(obj, (list, tuple)):
        return {"__list__": [_flatten(v, arrays, f"{where}[{i}]") for i, v in enumerate(obj)],
                "tuple": isinstance(obj, tuple)}
    if isinstance(obj, (np.generic,)):
        obj = obj.item()
    if obj is None or isinstance(obj, (bool, int, float, str)):
        if isinstance(obj, float) and not np.isfinite(obj):
            return {"__float__": repr(obj)}
        return obj
    raise TypeError(f"save: {where}: cannot store a {type(obj).__name__} (arrays, Tensors, numbers, "
                    f"strings, None, and dicts/lists of those only)")


def _unflatten(desc: Any, arrays: dict[str, np.ndarray], path: str) -> Any:
    if isinstance(desc, dict):
        if "__array__" in desc:
            if desc["__array__"] not in arrays:
                raise CheckpointError(f"{path}: array {desc['__array__']} listed in the manifest is missing")
            arr = arrays[desc["__array__"]]
            if desc.get("tensor"):
                return Tensor(arr, requires_grad=bool(desc.get("requires_grad")))
            return arr
        if "__dict__" in desc:
            return {k: _unflatten(v, arrays, path) for k, v in desc["__dict__"]}
        if "__list__" in desc:
            items = [_unflatten(v, arrays, path) for v in desc["__list__"]]
            return tuple(items) if desc.get("tuple") else items
        if "__float__" in desc:
            return float(desc["__float__"])
        raise CheckpointError(f"{path}: unknown entry in the manifest: {list(desc)}")
    return desc


def save(obj: Any, f: Any, pickle_module: Any = None, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True, _disable_byteorder_record: bool = False) -> Any:
    """Write ``obj`` (a tensor, a list or dict of tensors, a model's or optimiser's state dict) to
    ``f``: a path, written atomically, or a binary file object. torch's pickle arguments are
    accepted and unused: nothing is ever pickled."""
    arrays: dict[str, np.ndarray] = {}
    manifest = {"format": FORMAT_VERSION, "object": _flatten(obj, arrays, "obj")}
    arrays[MANIFEST] = np.frombuffer(json.dumps(manifest).encode(), dtype=np.uint8)
    if hasattr(f, "write"):
        np.savez(f, **arrays)  # type: ignore[arg-type]  # NumPy's stub types **kwds as allow_pickle's bool
        return f
    path = Path(f)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            np.savez(out, **arrays)  # type: ignore[arg-type]  # (as above)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
    return path


def load(f: Any, map_location: Any = None, pickle_module: Any = None, *, weights_only: Any = None,
         mmap: Any = None, **pickle_load_args: Any) -> Any:
    """Read what :func:`save` wrote (a path or a binary file object), or a file written by
    torch.save (read without torch by ``torch_checkpoint``, which builds only tensors and
    containers), so ``weights_only`` is always effectively True. ``map_location`` may name the
    CPU only."""
    from .device import check_device
    if map_location is not None and not callable(map_location) and not isinstance(map_location, dict):
        check_device("load", map_location)
    path = f if hasattr(f, "read") else Path(f)
    if not hasattr(f, "read") and not path.is_file():
        raise CheckpointError(f"checkpoint not found: {path}")
    if not hasattr(f, "read"):
        from .torch_checkpoint import is_torch_checkpoint, load_torch_checkpoint
        if is_torch_checkpoint(path):
            return load_torch_checkpoint(path)
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError) as e:
        raise CheckpointError(f"{path}: not a readable checkpoint (corrupt or truncated .npz: {e})") from None
    if MANIFEST not in arrays:
        raise CheckpointError(f"{path}: an .npz file but not a tinygrad_edu checkpoint (no {MANIFEST} entry)")
    try:
        manifest = json.loads(arrays.pop(MANIFEST).tobytes().decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CheckpointError(f"{path}: corrupt checkpoint manifest ({e})") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise CheckpointError(f"{path}: checkpoint format {manifest.get('format')!r}, expected {FORMAT_VERSION}")
    return _unflatten(manifest["object"], arrays, str(path))
