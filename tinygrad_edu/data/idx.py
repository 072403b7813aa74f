"""Reading the IDX files of MNIST and Fashion-MNIST (plain or gzip-compressed).

An IDX file is a big-endian header followed by raw values:
    bytes 0-1  zero
    byte  2    type code (0x08 = unsigned byte, the only type these data sets use)
    byte  3    number of dimensions d
    then d 4-byte sizes, then prod(sizes) values.
Every check below raises :class:`IDXError` naming the file, before anything is returned.
"""
from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path
from typing import Optional, Union

import numpy as np

PathLike = Union[str, "os.PathLike[str]"]


class IDXError(ValueError):
    """A file is missing, truncated, corrupt or not in IDX format."""


def read_bytes(path: PathLike) -> bytes:
    """The file's contents, decompressed when it is gzip (told by its magic bytes, not its name)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise IDXError(f"IDX file not found: {p}") from None
    except OSError as e:
        raise IDXError(f"cannot read IDX file {p}: {e}") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError) as e:
            raise IDXError(f"{p}: corrupt or truncated gzip data ({e})") from None
    return raw


def parse_idx(data: bytes, name: str = "<bytes>", expected_ndim: Optional[int] = None) -> np.ndarray:
    """Parse IDX bytes into a uint8 array, validating the header against the payload size."""
    if len(data) < 4:
        raise IDXError(f"{name}: {len(data)} bytes is too short for an IDX header")
    if data[0] != 0 or data[1] != 0:
        raise IDXError(f"{name}: not an IDX file (magic bytes {data[:4].hex()}, expected 0000 08 0d)")
    if data[2] != 0x08:
        raise IDXError(f"{name}: unsupported IDX value type 0x{data[2]:02x} (expected 0x08, unsigned byte)")
    ndim = data[3]
    if expected_ndim is not None and ndim != expected_ndim:
        raise IDXError(f"{name}: has {ndim} dimensions, expected {expected_ndim}")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise IDXError(f"{name}: truncated header ({len(data)} bytes, need {header})")
    shape = tuple(int(v) for v in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    count = int(np.prod(shape)) if shape else 1
    if len(data) != header + count:
        raise IDXError(f"{name}: header says shape {shape} ({count} values) but the file holds "
                       f"{len(data) - header} values: {'truncated' if len(data) < header + count else 'trailing bytes'}")
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)


def read_idx(path: PathLike, expected_ndim: Optional[int] = None, sha256: Optional[str] = None) -> np.ndarray:
    """Read and validate one IDX file; ``sha256`` (of the decompressed bytes) is checked if given."""
    data = read_bytes(path)
    if sha256 is not None:
        digest = hashlib.sha256(data).hexdigest()
        if digest != sha256:
            raise IDXError(f"{path}: checksum mismatch (sha256 of the IDX contents is {digest}, "
                           f"expected {sha256}); the file is corrupt or not the expected data set")
    return parse_idx(data, str(path), expected_ndim)


def write_idx(path: PathLike, array: np.ndarray) -> None:
    """Write a uint8 array as a gzip-compressed IDX file (used to build the bundled sample)."""
    arr = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, arr.ndim]) + np.asarray(arr.shape, dtype=">u4").tobytes()
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(header + arr.tobytes())
