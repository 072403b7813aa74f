"""Reading PyTorch's checkpoint files (``torch.save``) without torch.

Two formats exist:

* the zip format (torch >= 1.6): an archive ``<name>/data.pkl`` (the pickled object) plus one
  raw little-endian file ``<name>/data/<key>`` per storage;
* the legacy format: four pickles in a row (a magic number, a protocol version, system info,
  the object), the list of storage keys, then for each key an 8-byte element count and the raw
  bytes.

In both, a tensor is pickled as ``torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
requires_grad, hooks)`` whose storage is a *persistent id* ``('storage', <dtype>Storage, key,
location, numel, ...)``; a parameter wraps one in ``_rebuild_parameter``. The reader resolves
exactly those globals (``safe_pickle``): any other global fails with an error that names it, so
a file cannot run code. Tensors viewing one storage (shared storages, strided views) are read
from the same bytes. Each tensor comes back as a tinygrad_edu Tensor (a parameter with
requires_grad); bfloat16 storages become float32.
"""
from __future__ import annotations

import collections
import io
import os
import pickle
import struct
import zipfile
from typing import Any, Callable

import numpy as np

from .safe_pickle import NUMPY_GLOBALS, SafeUnpickler, UnsafePickleError

STORAGE_DTYPES = {
    "DoubleStorage": np.float64, "FloatStorage": np.float32, "HalfStorage": np.float16,
    "BFloat16Storage": np.uint16, "LongStorage": np.int64, "IntStorage": np.int32, "ShortStorage": np.int16,
    "CharStorage": np.int8, "ByteStorage": np.uint8, "BoolStorage": np.bool_,
}
LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


class CheckpointFormatError(RuntimeError):
    """The file is not a readable torch checkpoint (truncated, corrupt, or of another kind)."""


class _StorageType:
    """Stands for ``torch.FloatStorage`` and its kind while unpickling."""

    def __init__(self, name: str) -> None:
        self.name, self.dtype = name, np.dtype(STORAGE_DTYPES[name])


class _Rebuilt:
    """A tensor read from a storage: (storage key, offset, size, stride, requires_grad)."""

    def __init__(self, storage: np.ndarray, offset: int, size: Any, stride: Any, requires_grad: bool,
                 bfloat16: bool) -> None:
        itemsize = storage.dtype.itemsize
        if len(size) != len(stride):
            raise CheckpointFormatError(f"tensor of size {tuple(size)} with stride {tuple(stride)}")
        last = offset + sum((s - 1) * st for s, st in zip(size, stride)) if all(s > 0 for s in size) else offset - 1
        if offset < 0 or last >= len(storage) or min(stride, default=0) < 0:
            raise CheckpointFormatError(f"tensor of size {tuple(size)}, stride {tuple(stride)} at offset {offset} "
                                        f"reaches outside its storage of {len(storage)} elements")
        view = np.lib.stride_tricks.as_strided(storage[offset:] if len(storage) else storage, shape=tuple(size),
                                               strides=tuple(st * itemsize for st in stride))
        self.view, self.bfloat16, self.requires_grad = view, bfloat16, bool(requires_grad)

    def array(self) -> np.ndarray:
        """A copy of the view (tensors that shared a storage are independent once loaded); taken
        at the end, since a legacy file stores the bytes after the object."""
        arr = np.array(self.view)
        return (arr.astype(np.uint32) << 16).view(np.float32) if self.bfloat16 else arr


def _globals(storages: dict[str, _StorageType]) -> dict[tuple[str, str], Any]:
    def rebuild_tensor(storage: Any, offset: int, size: Any, stride: Any, requires_grad: bool = False,
                       hooks: Any = None, *rest: Any) -> _Rebuilt:
        if not isinstance(storage, tuple) or len(storage) != 2:
            raise CheckpointFormatError("a tensor whose storage is not a storage reference")
        arr, bfloat16 = storage
        return _Rebuilt(arr, int(offset), tuple(size), tuple(stride), requires_grad, bfloat16)

    def rebuild_parameter(data: Any, requires_grad: bool, hooks: Any, *rest: Any) -> _Rebuilt:
        if not isinstance(data, _Rebuilt):
            raise CheckpointFormatError("a parameter that does not wrap a tensor")
        data.requires_grad = bool(requires_grad)
        return data

    table: dict[tuple[str, str], Any] = dict(NUMPY_GLOBALS)
    table[("torch._utils", "_rebuild_tensor_v2")] = rebuild_tensor
    table[("torch._utils", "_rebuild_parameter")] = rebuild_parameter
    for name in STORAGE_DTYPES:
        table[("torch", name)] = storages.setdefault(name, _StorageType(name))
    return table


class _Reader(SafeUnpickler):
    def __init__(self, file: Any, where: str, fetch: Callable[[str, _StorageType, int], np.ndarray]) -> None:
        self.storages: dict[str, _StorageType] = {}
        super().__init__(file, _globals(self.storages), where, encoding="utf-8")
        self.fetch = fetch
        self.cache: dict[str, Any] = {}

    def persistent_load(self, pid: Any) -> Any:
        if not (isinstance(pid, tuple) and len(pid) >= 5 and pid[0] in ("storage", b"storage")):
            raise UnsafePickleError(f"{self.where}: unexpected persistent id {pid!r:.80}")
        kind, key, numel = pid[1], str(pid[2]), int(pid[4])
        if not isinstance(kind, _StorageType):
            raise CheckpointFormatError(f"{self.where}: storage of unknown type {kind!r}")
        if key not in self.cache:
            self.cache[key] = (self.fetch(key, kind, numel), kind.name == "BFloat16Storage")
        return self.cache[key]


def _to_tensors(obj: Any) -> Any:
    from .nn.module import Parameter
    from .tensor import Tensor
    if isinstance(obj, _Rebuilt):
        arr = obj.array()
        return Parameter(Tensor(arr), requires_grad=True) if obj.requires_grad and arr.dtype.kind == "f" else Tensor(arr)
    if isinstance(obj, collections.OrderedDict):
        out = collections.OrderedDict((k, _to_tensors(v)) for k, v in obj.items())
        if hasattr(obj, "_metadata"):
            out._metadata = obj._metadata  # type: ignore[attr-defined]
        return out
    if isinstance(obj, dict):
        return {k: _to_tensors(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_to_tensors(v) for v in obj)
    return obj


def _read_zip(path: str, data: bytes) -> Any:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except zipfile.BadZipFile as e:
        raise CheckpointFormatError(f"{path}: corrupt zip archive ({e})") from None
    pkl = [n for n in names if n.endswith("/data.pkl") and n.count("/") == 1]
    if len(pkl) != 1:
        raise CheckpointFormatError(f"{path}: a zip archive without exactly one <name>/data.pkl (has {names[:5]})")
    prefix = pkl[0][:-len("data.pkl")]
    byteorder = archive.read(prefix + "byteorder").decode() if prefix + "byteorder" in names else "little"
    if byteorder != "little":
        raise CheckpointFormatError(f"{path}: storages in {byteorder}-endian byte order are not supported")

    def fetch(key: str, kind: _StorageType, numel: int) -> np.ndarray:
        try:
            raw = archive.read(f"{prefix}data/{key}")
        except KeyError:
            raise CheckpointFormatError(f"{path}: storage {key} is missing from the archive") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as e:
            raise CheckpointFormatError(f"{path}: storage {key} is corrupt ({e})") from None
        if len(raw) < numel * kind.dtype.itemsize:
            raise CheckpointFormatError(f"{path}: storage {key} holds {len(raw)} bytes, expected "
                                        f"{numel} x {kind.dtype.itemsize}")
        return np.frombuffer(raw, dtype=kind.dtype, count=numel)

    try:
        body = archive.read(pkl[0])
    except (zipfile.BadZipFile, OSError) as e:
        raise CheckpointFormatError(f"{path}: {pkl[0]} is corrupt ({e})") from None
    return _Reader(io.BytesIO(body), path, fetch).load()


def _read_legacy(path: str, data: bytes) -> Any:
    f = io.BytesIO(data)
    plain = SafeUnpickler(f, {}, path, encoding="utf-8")
    if plain.load() != LEGACY_MAGIC:
        raise CheckpointFormatError(f"{path}: not a torch checkpoint (no zip archive, wrong magic number)")
    plain.load()  # protocol version
    SafeUnpickler(f, {}, path, encoding="utf-8").load()  # system info: a dict of plain values
    pending: dict[str, tuple[_StorageType, int, np.ndarray]] = {}

    def fetch(key: str, kind: _StorageType, numel: int) -> np.ndarray:
        arr = np.empty(numel, dtype=kind.dtype)  # filled once the bytes, stored after the object, are read
        pending[key] = (kind, numel, arr)
        return arr

    obj = _Reader(f, path, fetch).load()
    keys = SafeUnpickler(f, {}, path, encoding="utf-8").load()
    for key in keys:
        kind, numel, arr = pending[str(key)]
        head = f.read(8)
        if len(head) < 8:
            raise CheckpointFormatError(f"{path}: truncated before storage {key}")
        (count,) = struct.unpack("<q", head)
        raw = f.read(count * kind.dtype.itemsize)
        if count != numel or len(raw) < count * kind.dtype.itemsize:
            raise CheckpointFormatError(f"{path}: storage {key} is truncated or of the wrong size "
                                        f"({count} elements announced, {numel} expected)")
        arr[:] = np.frombuffer(raw, dtype=kind.dtype)
    if set(pending) - {str(k) for k in keys}:
        raise CheckpointFormatError(f"{path}: storages {sorted(set(pending) - {str(k) for k in keys})} have no data")
    return obj


def load_torch_checkpoint(path: Any) -> Any:
    """The object a ``torch.save`` file holds, its tensors as tinygrad_edu Tensors."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise CheckpointFormatError(f"cannot read checkpoint {path}: {e}") from None
    try:
        if data[:4] == b"PK\x03\x04":
            obj = _read_zip(path, data)
        else:
            obj = _read_legacy(path, data)
    except (UnsafePickleError, CheckpointFormatError):
        raise
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, KeyError, IndexError, AttributeError,
            struct.error) as e:
        raise CheckpointFormatError(f"{path}: not a readable torch checkpoint ({type(e).__name__}: {e})") from None
    return _to_tensors(obj)


def is_torch_checkpoint(path: Any) -> bool:
    """Whether the file is a torch.save file (a zip holding <name>/data.pkl, or a legacy pickle)."""
    try:
        with open(os.fspath(path), "rb") as fh:
            head = fh.read(2)
        if head == b"\x80\x02":
            return True
        if head != b"PK":
            return False
        with zipfile.ZipFile(os.fspath(path)) as archive:
            return any(n.endswith("/data.pkl") for n in archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
