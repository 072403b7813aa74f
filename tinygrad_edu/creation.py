"""Ways to make tensors, torch-style: ``tensor``, ``zeros``, ``randn``, ... and the random generator."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .device import check_device
from . import ranges
from .tensor import Tensor, get_default_dtype, _shape_args, _to_array

_rng: Optional[np.random.Generator] = None


def manual_seed(seed: int) -> None:
    """Seed the generator behind rand, randn, normal, normal_, uniform_, dropout and init."""
    global _rng
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"manual_seed: seed must be a non-negative int, got {seed!r}")
    _rng = np.random.default_rng(int(seed))


def _generator() -> np.random.Generator:
    global _rng
    if _rng is None:
        _rng = np.random.default_rng()
    return _rng


def _check_device(op: str, device: Any) -> None:
    check_device(op, device)


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """A new tensor holding a copy of ``data`` (numbers, nested lists, a NumPy array or a Tensor)."""
    _check_device("tensor", device)
    arr = _to_array(data, dtype)
    if isinstance(data, np.ndarray) and arr is data or isinstance(data, Tensor):
        arr = arr.copy()
    return Tensor(arr, requires_grad=requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Like ``tensor`` but shares memory with a NumPy array when no conversion is needed (torch.as_tensor)."""
    _check_device("as_tensor", device)
    if isinstance(data, Tensor) and (dtype is None or np.dtype(dtype) == data.dtype):
        return data
    return Tensor(_to_array(data, dtype))


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing ``array``'s memory (no copy)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray, got {type(array).__name__}")
    return Tensor(array)


def _filled(op: str, value: float, size: tuple[Any, ...], dtype: Any, requires_grad: bool,
            device: Any) -> Tensor:
    _check_device(op, device)
    shape = _shape_args(op, size)
    return Tensor(np.full(shape, value, dtype=np.dtype(dtype) if dtype is not None else get_default_dtype()),
                  requires_grad=requires_grad)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    return _filled("zeros", 0, size, dtype, requires_grad, device)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    return _filled("ones", 1, size, dtype, requires_grad, device)


def full(size: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False,
         device: Any = None) -> Tensor:
    if dtype is None and not isinstance(fill_value, Tensor):  # torch infers it from the fill value
        if isinstance(fill_value, (bool, np.bool_)):
            dtype = np.bool_
        elif isinstance(fill_value, (int, np.integer)):
            dtype = np.int64
    return _filled("full", fill_value, (size,), dtype, requires_grad, device)


def zeros_like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return zeros(*t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def ones_like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return ones(*t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def rand(*size: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """Uniform samples in [0, 1)."""
    _check_device("rand", device)
    arr = _generator().random(_shape_args("rand", size), dtype=np.float64)
    return Tensor(arr.astype(dtype or get_default_dtype()), requires_grad=requires_grad)


def randn(*size: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """Standard normal samples."""
    _check_device("randn", device)
    arr = _generator().standard_normal(_shape_args("randn", size))
    return Tensor(arr.astype(dtype or get_default_dtype()), requires_grad=requires_grad)


def normal(mean: float, std: float, size: Any, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Samples from N(mean, std^2) of the given size (torch.normal(mean, std, size))."""
    if std < 0:
        raise RuntimeError(f"normal: expects std >= 0.0, but found std {std}")
    shape = _shape_args("normal", (size,))
    arr = _generator().normal(mean, std, shape)
    return Tensor(arr.astype(dtype or get_default_dtype()), requires_grad=requires_grad)


def arange(start: float, end: Optional[float] = None, step: float = 1, *, dtype: Any = None,
           requires_grad: bool = False, device: Any = None, out: Any = None, layout: Any = None) -> Tensor:
    """Values from start (inclusive) to end (exclusive) by step; ints give int64, as torch."""
    _check_device("arange", device)
    if out is not None:
        raise NotImplementedError("arange: out= is not supported here")
    if end is None:
        start, end = 0, start
    start, end, step = (v.item() if isinstance(v, Tensor) else v for v in (start, end, step))
    n = ranges.arange_count("arange", start, end, step)
    if dtype is None:
        dtype = np.int64 if all(isinstance(v, (int, np.integer)) for v in (start, end, step)) \
            else get_default_dtype()
    return Tensor(ranges.arange_values(start, step, n, np.dtype(dtype)), requires_grad=requires_grad)


def empty(*size: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """An uninitialised tensor in torch; here it is filled with zeros (NumPy's ``empty`` would hand
    out whatever memory held, which only makes results irreproducible)."""
    return _filled("empty", 0, size, dtype, requires_grad, device)


def full_like(input: Tensor, fill_value: float, dtype: Any = None, requires_grad: bool = False,
              device: Any = None) -> Tensor:
    return full(input.shape, fill_value, dtype=dtype or input.dtype, requires_grad=requires_grad, device=device)


def empty_like(input: Tensor, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    return zeros(*input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad, device=device)


def eye(n: int, m: Optional[int] = None, dtype: Any = None, requires_grad: bool = False,
        device: Any = None) -> Tensor:
    """The n x m identity matrix (m = n by default)."""
    _check_device("eye", device)
    m = n if m is None else m
    if n < 0 or m < 0:
        raise RuntimeError(f"eye: n and m must be non-negative, got n={n}, m={m}")
    return Tensor(np.eye(n, m, dtype=np.dtype(dtype) if dtype is not None else get_default_dtype()),
                  requires_grad=requires_grad)


def linspace(start: float, end: float, steps: int, dtype: Any = None, requires_grad: bool = False,
             device: Any = None) -> Tensor:
    """``steps`` evenly spaced values from start to end, both included."""
    _check_device("linspace", device)
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise RuntimeError(f"linspace: number of steps must be a non-negative int, got {steps!r}")
    values = ranges.linspace_values(start, end, int(steps), np.dtype(dtype or get_default_dtype()))
    return Tensor(values, requires_grad=requires_grad)


def logspace(start: float, end: float, steps: int, base: float = 10.0, dtype: Any = None,
             requires_grad: bool = False, device: Any = None) -> Tensor:
    """``steps`` values from base**start to base**end, evenly spaced in the exponent."""
    _check_device("logspace", device)
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise RuntimeError(f"logspace: number of steps must be a non-negative int, got {steps!r}")
    values = ranges.logspace_values(start, end, int(steps), base, np.dtype(dtype or get_default_dtype()))
    return Tensor(values, requires_grad=requires_grad)


def randint(*args: Any, size: Any = None, dtype: Any = None, requires_grad: bool = False,
            device: Any = None, generator: Any = None) -> Tensor:
    """Random integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``."""
    _check_device("randint", device)
    if size is not None:
        args = args + (size,)
    if len(args) == 2:
        low, (high, size) = 0, args
    elif len(args) == 3:
        low, high, size = args
    else:
        raise TypeError(f"randint(): expected (high, size) or (low, high, size), got {len(args)} arguments")
    if high <= low:
        raise RuntimeError(f"randint: expects 'from' to be less than 'to', but got from={low} >= to={high}")
    shape = _shape_args("randint", (size,))
    values = _generator().integers(int(low), int(high), size=shape)
    return Tensor(values.astype(dtype or np.int64), requires_grad=requires_grad)


def _legacy(dtype: Any, name: str) -> Any:
    def make(*data: Any) -> Tensor:
        """torch's legacy typed constructor: ``FloatTensor([1, 2])`` is a float32 tensor of the
        values; ``FloatTensor(2, 3)`` (sizes) an uninitialised one, zeros here."""
        if len(data) == 1 and not isinstance(data[0], (int, np.integer)):
            return Tensor(_to_array(data[0], dtype))
        return zeros(*data, dtype=dtype)
    make.__name__ = make.__qualname__ = name
    return make


FloatTensor = _legacy(np.float32, "FloatTensor")
DoubleTensor = _legacy(np.float64, "DoubleTensor")
LongTensor = _legacy(np.int64, "LongTensor")
IntTensor = _legacy(np.int32, "IntTensor")
BoolTensor = _legacy(np.bool_, "BoolTensor")
