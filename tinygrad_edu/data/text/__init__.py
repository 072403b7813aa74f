"""The Time Machine, bundled (see SOURCE.md), with its SHA-1 checked on every load."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Optional, Union

TIME_MACHINE = Path(__file__).with_name("timemachine.txt")
TIME_MACHINE_SHA1 = "090b5e7e70c295757f55df93cb0a180b9691891a"


class TextDataError(RuntimeError):
    """A text data file is missing or is not the file it should be."""


def read_time_machine_text(path: Optional[Union[str, Path]] = None) -> str:
    """The raw text of H. G. Wells' *The Time Machine*: the copy bundled with tinygrad_edu (or
    ``path``), after checking that its SHA-1 is the one d2l's download has."""
    path = Path(path) if path is not None else TIME_MACHINE
    if not path.is_file():
        raise TextDataError(f"read_time_machine: {path} not found")
    data = path.read_bytes()
    digest = hashlib.sha1(data).hexdigest()
    if digest != TIME_MACHINE_SHA1:
        raise TextDataError(f"read_time_machine: {path} has SHA-1 {digest}, expected {TIME_MACHINE_SHA1} "
                            f"(the file d2l downloads); it is corrupt or a different edition")
    return data.decode("utf-8")


def describe() -> str:
    return (f"The Time Machine (H. G. Wells): {TIME_MACHINE.stat().st_size:,} bytes bundled with "
            f"tinygrad_edu, SHA-1 {TIME_MACHINE_SHA1} verified (the file d2l downloads)")
