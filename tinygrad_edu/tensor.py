"""``Tensor``: a NumPy array plus what reverse-mode autograd needs.

A Tensor holds
    array          the values (an ``np.ndarray``; float32 unless asked otherwise),
    requires_grad  whether gradients should flow to it,
    grad           dL/d(this tensor) after ``backward()`` (leaves, or after ``retain_grad()``),
    _ctx           the graph node (a ``Function`` instance) that produced it, None for leaves.

Every method that computes something calls a primitive ``Function`` from ``tinygrad_edu.ops``
or composes several of them (``mean`` = sum / count, ``softmax`` = exp / sum of exp, ...), so
the backward rule of every op lives in exactly one place.
"""
from __future__ import annotations

import numbers
import builtins
from typing import Any, Iterator, Optional, Sequence, Union

import numpy as np

from . import autograd, indexing, printing
from . import ops
from .tensor_extra import ExtraMethods

float16 = np.dtype(np.float16)
float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
int16 = np.dtype(np.int16)
int8 = np.dtype(np.int8)
uint8 = np.dtype(np.uint8)
bool_ = np.dtype(np.bool_)

_default_float = float32  # set_default_dtype changes it; everyone reads it through get_default_dtype


def get_default_dtype() -> np.dtype:
    """The float dtype of Python floats, random draws, new layers' parameters and integer true
    division (torch's name; float32 unless ``set_default_dtype`` changed it)."""
    return _default_float


def set_default_dtype(d: Any) -> None:
    """torch's ``set_default_dtype``: only float16, float32 and float64 are accepted (torch raises
    TypeError for anything else, Python's ``float`` included)."""
    ok = isinstance(d, np.dtype) and d in (float16, float32, float64)
    if not ok:
        raise TypeError(f"set_default_dtype: only floating-point types are supported as the default type "
                        f"(float16, float32 or float64), got {d!r}")
    global _default_float
    _default_float = d

Scalar = Union[int, float, bool]
TensorLike = Union["Tensor", Scalar, np.ndarray, Sequence[Any]]


def _is_float(dtype: np.dtype) -> bool:
    return dtype.kind == "f"


def _to_array(data: Any, dtype: Any = None) -> np.ndarray:
    """Convert data as ``torch.tensor`` does: Python floats -> the default float dtype (float32), ints -> int64, bools -> bool;
    NumPy arrays keep their dtype unless ``dtype`` is given."""
    if isinstance(data, Tensor):
        data = data.array
    if dtype is not None:
        return np.asarray(data, dtype=np.dtype(dtype))
    arr = np.asarray(data)
    if not isinstance(data, np.ndarray) and not isinstance(data, np.generic):
        if arr.dtype.kind == "f":
            arr = arr.astype(get_default_dtype())
        elif arr.dtype.kind in "iu":
            arr = arr.astype(int64)
        elif arr.dtype.kind not in "b":
            raise ValueError(f"tensor(): cannot build a tensor from data of type {arr.dtype} "
                            f"(expected numbers, nested lists of numbers or a numeric NumPy array)")
    elif arr.dtype.kind not in "fiub":
        raise TypeError(f"tensor(): unsupported NumPy dtype {arr.dtype} "
                        f"(expected a float, integer or bool array)")
    return arr


def _result_dtype(a: np.dtype, b: np.dtype) -> np.dtype:
    """torch's promotion for two tensors: float beats int beats bool; wider float beats narrower."""
    if _is_float(a) and _is_float(b):
        return np.promote_types(a, b)
    if _is_float(a):
        return a
    if _is_float(b):
        return b
    return np.promote_types(a, b)


def _normalize_dim(dim: int, ndim: int, op: str) -> int:
    n = max(ndim, 1)
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError(f"{op}: dim must be an int, got {type(dim).__name__}")
    if not -n <= dim < n:
        raise IndexError(f"{op}: dimension out of range (expected to be in range of "
                         f"[{-n}, {n - 1}], but got {dim})")
    return int(dim) % n


def _shape_args(op: str, args: tuple[Any, ...]) -> tuple[int, ...]:
    """Accept f(2, 3), f((2, 3)) and f([2, 3]) as torch does."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    if not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in args):
        raise TypeError(f"{op}: sizes must be ints, got {args}")
    return tuple(int(s) for s in args)


class Size(tuple[int, ...]):
    """A shape, as ``torch.Size``: a tuple of ints that also answers ``numel()``."""

    def numel(self) -> int:
        return int(np.prod(self, dtype=np.int64))

    def __repr__(self) -> str:
        return f"Size({list(self)})"


class Tensor(ExtraMethods):
    """A multi-dimensional array that records the operations applied to it for ``backward()``."""

    __array_priority__ = 1000  # make ``ndarray + Tensor`` call Tensor.__radd__
    # Weak references to the graph nodes that took this tensor as an input (set by
    # autograd.Function.apply): an op recorded in place on the tensor hands them its old value.
    _consumers: Optional[list[Any]] = None

    def __init__(self, data: Any, dtype: Any = None, requires_grad: bool = False) -> None:
        self.array: np.ndarray = _to_array(data, dtype)
        self.grad: Optional[Tensor] = None
        self._ctx: Optional[autograd.Function] = None
        self._retains_grad = False
        self._version = [0]  # shared by tensors sharing this array (.data, .detach())
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _from_op(cls, array: np.ndarray, requires_grad: bool = False) -> "Tensor":
        """Wrap an op's output array without converting or copying it."""
        t = cls.__new__(cls)
        t.array = array if isinstance(array, np.ndarray) else np.asarray(array)
        t.grad = None
        t._ctx = None
        t._retains_grad = False
        t._version = [0]
        t.requires_grad = requires_grad
        return t

    # ------------------------------------------------------------------ basic properties
    @property
    def shape(self) -> tuple[int, ...]:
        return self.array.shape

    @property
    def dtype(self) -> np.dtype:
        return self.array.dtype

    @property
    def ndim(self) -> int:
        return self.array.ndim

    @property
    def device(self) -> Any:
        """Always ``device(type='cpu')``: tinygrad_edu's arrays are NumPy arrays in main memory."""
        from .device import CPU
        return CPU

    @property
    def is_cuda(self) -> bool:
        return False

    @property
    def is_leaf(self) -> bool:
        """True for tensors created by the user (not by an op that recorded a graph node)."""
        return self._ctx is None

    @property
    def grad_fn(self) -> Optional[autograd.Function]:
        return self._ctx

    def size(self, dim: Optional[int] = None) -> Union[Size, int]:
        if dim is None:
            return Size(self.shape)
        return self.shape[_normalize_dim(dim, self.ndim, "size")]

    def dim(self) -> int:
        return self.ndim

    def numel(self) -> int:
        return int(self.array.size)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self) -> Iterator["Tensor"]:
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.shape[0]))

    def __hash__(self) -> int:
        return id(self)

    # ------------------------------------------------------------------ conversion
    def item(self) -> Scalar:
        """The value of a one-element tensor as a Python number."""
        if self.array.size != 1:
            raise RuntimeError(f"item(): a Tensor with {self.array.size} elements cannot be "
                               f"converted to a Python scalar (shape {self.shape})")
        return self.array.reshape(()).item()

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied), as torch's ``.numpy()``."""
        if self.requires_grad:
            raise RuntimeError("numpy(): can't call numpy() on a Tensor that requires grad; "
                               "use tensor.detach().numpy() instead")
        return self.array

    def tolist(self) -> Any:
        return self.array.tolist()

    def __array__(self, dtype: Any = None, copy: Optional[bool] = None) -> np.ndarray:
        """NumPy's protocol: np.asarray(t) shares t's memory (as with a CPU torch tensor), while
        np.array(t) (copy=True) returns a copy, so writing into it leaves t unchanged."""
        arr = self.detach().array
        if dtype is not None and np.dtype(dtype) != arr.dtype:
            if copy is False:
                raise ValueError(f"__array__: converting a {arr.dtype} tensor to {np.dtype(dtype)} needs a copy")
            return arr.astype(dtype)
        return arr.copy() if copy else arr

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __bool__(self) -> bool:
        if self.array.size != 1:
            raise RuntimeError(f"Boolean value of a Tensor with {self.array.size} elements "
                               f"(shape {self.shape}) is ambiguous")
        return bool(self.item())

    def __format__(self, spec: str) -> str:
        """f"{loss:.3f}" formats a 0-d tensor as its number, as torch does."""
        if self.ndim == 0:
            return format(self.item(), spec)
        return object.__format__(self, spec)

    def __index__(self) -> int:
        if self.dtype.kind not in "iu" or self.array.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __repr__(self) -> str:
        """torch's layout (tinygrad_edu/printing.py): the values, then the size of an empty
        non-vector (or of any tensor when edgeitems is 0), a dtype that is not the default's, and
        the grad_fn or requires_grad."""
        suffixes = []
        if self.array.size == 0:
            if self.ndim != 1:
                suffixes.append(f"size={tuple(self.shape)}")
            if self.dtype != get_default_dtype():
                suffixes.append(f"dtype={self.dtype}")
        else:
            if not printing.OPTIONS.edgeitems:  # every value elided: torch shows the size
                suffixes.append(f"size={tuple(self.shape)}")
            if self.dtype not in (get_default_dtype(), int64, bool_):
                suffixes.append(f"dtype={self.dtype}")
        if self._ctx is not None:
            suffixes.append(f"grad_fn=<{self._ctx.name()}Backward>")
        elif self.requires_grad:
            suffixes.append("requires_grad=True")
        return printing.tensor_repr(self.array, suffixes)

    # ------------------------------------------------------------------ autograd API
    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        if requires_grad and not _is_float(self.dtype):
            raise RuntimeError(f"requires_grad_: only Tensors of floating point dtype can require "
                               f"gradients, this one is {self.dtype}")
        if not requires_grad and not self.is_leaf:
            raise RuntimeError("requires_grad_: you can only change requires_grad flags of leaf "
                               "variables; use detach() to get a tensor without a graph")
        self.requires_grad = bool(requires_grad)
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this non-leaf tensor after backward (leaves always keep it)."""
        if not self.requires_grad:
            raise RuntimeError("retain_grad: can't retain_grad on a Tensor that has requires_grad=False")
        self._retains_grad = True

    def detach(self) -> "Tensor":
        """The same values (shared array) outside the graph: requires_grad False."""
        t = Tensor._from_op(self.array)
        t._version = self._version
        return t

    def detach_(self) -> "Tensor":
        """Cut this tensor out of the graph in place (d2l ch. 8 detaches the hidden state between
        minibatches, so backpropagation through time stops at the batch boundary)."""
        self._ctx = None
        self.requires_grad = False
        return self

    @property
    def data(self) -> "Tensor":
        """A tensor sharing this one's array but outside the graph, as torch's ``.data``: changing
        it in place (``w.data.normal_(0, 0.01)``) changes this tensor without being recorded."""
        return self.detach()

    @data.setter
    def data(self, value: "Tensor") -> None:
        value = value if isinstance(value, Tensor) else Tensor(value)
        self.array = value.array
        self._version[0] += 1

    def backward(self, gradient: Optional[TensorLike] = None, retain_graph: bool = False,
                 trace: Any = False) -> None:
        """Compute d(self)/d(leaf) for every leaf that requires grad, and add it to ``leaf.grad``.

        ``gradient`` is dL/d(self); it may be omitted only when self has a single element (it is
        then 1). Gradients accumulate across calls until set to zero or None. ``trace=True``
        prints every node as backward processes it (see tinygrad_edu.viz.trace).

        >>> import tinygrad_edu as tg
        >>> x = tg.arange(4.0, requires_grad=True)
        >>> (2 * tg.dot(x, x)).backward()      # y = 2 x.x, dy/dx = 4x
        >>> x.grad
        tensor([ 0.,  4.,  8., 12.])
        >>> (x * x).backward(tg.ones(4))       # a second backward adds to .grad
        >>> x.grad
        tensor([ 0.,  6., 12., 18.])
        """
        if not self.requires_grad:
            raise RuntimeError("backward: element 0 of tensors does not require grad and does not "
                               "have a grad_fn (none of the inputs that produced it requires grad)")
        if gradient is None:
            if self.array.size != 1:
                raise RuntimeError(f"backward: grad can be implicitly created only for scalar outputs; "
                                   f"this tensor has shape {self.shape}, pass gradient= of that shape")
            grad = np.ones(self.shape, dtype=self.dtype)
        else:
            grad = _to_array(gradient.array if isinstance(gradient, Tensor) else gradient)
            if grad.shape != self.shape:
                raise RuntimeError(f"backward: gradient has shape {grad.shape} but the tensor has "
                                   f"shape {self.shape}; they must match")
            if not _is_float(grad.dtype):
                raise TypeError(f"backward: gradient must be a floating point tensor, got {grad.dtype}")
            grad = grad.astype(self.dtype, copy=False)
        from .viz.trace import BackwardTrace, current
        tracer = BackwardTrace(echo=True) if trace is True else (trace or current())
        autograd.backward(self, grad, retain_graph=retain_graph, trace=tracer)

    def _accumulate_grad(self, g: np.ndarray, handed_out: Optional[set[int]] = None) -> None:
        if self.grad is None:
            # Keep the array itself only when nothing else can see it: it owns its memory, is
            # writable, has this tensor's dtype and was not given to another tensor (Add hands the
            # same array to both inputs); otherwise store a copy.
            private = (handed_out is not None and id(g) not in handed_out and g.flags.owndata
                       and g.flags.writeable and g.dtype == self.dtype)
            self.grad = Tensor._from_op(g if private else np.array(g, dtype=self.dtype, copy=True))
            if handed_out is not None:
                handed_out.add(id(self.grad.array))
        elif self.grad.array.flags.writeable and self.grad.shape == g.shape:
            np.add(self.grad.array, g, out=self.grad.array, casting="unsafe")  # in place, as torch
            self.grad._version[0] += 1
        else:
            self.grad = Tensor._from_op((self.grad.array + g).astype(self.dtype, copy=False))

    # ------------------------------------------------------------------ operand helpers
    def _scalar_array(self, value: Scalar) -> np.ndarray:
        """A Python number as a 0-d array of the dtype torch would give ``self (op) value``."""
        if type(value) is float and self.array.dtype.kind == "f":  # the common case, first
            return np.asarray(value, dtype=self.array.dtype)
        if isinstance(value, bool):
            dtype = self.dtype if self.dtype != bool_ else bool_
        elif isinstance(value, numbers.Integral):
            dtype = self.dtype if self.dtype != bool_ else int64
        elif isinstance(value, numbers.Real):
            dtype = self.dtype if _is_float(self.dtype) else get_default_dtype()
        else:
            raise TypeError(f"unsupported operand type {type(value).__name__} for a Tensor "
                            f"(expected a Tensor, a Python number or a NumPy array)")
        return np.asarray(value, dtype=dtype)

    def _operand(self, other: Any) -> "Tensor":
        if isinstance(other, Tensor):
            return other
        if isinstance(other, (np.ndarray, list, tuple)):
            return Tensor(other)
        return Tensor._from_op(self._scalar_array(other))

    def _binary(self, fn: builtins.type[autograd.Function], other: Any, op: str, reverse: bool = False) -> "Tensor":
        if type(other) is float and self.array.dtype.kind == "f":
            # the most common case (x * 0.5): a 0-d array of x's dtype; it broadcasts against any
            # shape and needs no cast, so none of the checks below can fail
            scalar = Tensor._from_op(np.asarray(other, dtype=self.array.dtype))
            return fn.apply(scalar, self) if reverse else fn.apply(self, scalar)
        other = self._operand(other)
        a, b = (other, self) if reverse else (self, other)
        sa, sb = a.array.shape, b.array.shape
        if sa != sb and sa and sb:
            try:
                np.broadcast_shapes(sa, sb)
            except ValueError:
                raise RuntimeError(f"{op}: the shapes {sa} and {sb} are not broadcastable "
                                   f"(each dim, from the right, must match or be 1)") from None
        da, db = a.array.dtype, b.array.dtype
        dtype = da if da == db else _result_dtype(da, db)
        if fn is ops.Div and dtype.kind in "iub":
            dtype = get_default_dtype()  # true division of integers gives floats, as torch
        if fn is ops.Pow and dtype.kind in "iu" and b.array.dtype.kind in "iu" and (b.array < 0).any():
            raise RuntimeError(f"pow: integers to negative integer powers are not allowed (base "
                               f"{a.dtype} of shape {a.shape}, exponent {b.array.min()} of dtype {b.dtype})")
        a, b = a._cast(dtype), b._cast(dtype)
        return fn.apply(a, b)

    def _cast(self, dtype: np.dtype) -> "Tensor":
        return self if self.array.dtype == dtype else ops.Copy.apply(self, dtype=dtype)

    # ------------------------------------------------------------------ arithmetic operators
    def __add__(self, other: Any) -> "Tensor": return self._binary(ops.Add, other, "add")
    def __radd__(self, other: Any) -> "Tensor": return self._binary(ops.Add, other, "add", reverse=True)
    def __sub__(self, other: Any) -> "Tensor": return self._binary(ops.Sub, other, "sub")
    def __rsub__(self, other: Any) -> "Tensor": return self._binary(ops.Sub, other, "sub", reverse=True)
    def __mul__(self, other: Any) -> "Tensor": return self._binary(ops.Mul, other, "mul")
    def __rmul__(self, other: Any) -> "Tensor": return self._binary(ops.Mul, other, "mul", reverse=True)
    def __truediv__(self, other: Any) -> "Tensor": return self._binary(ops.Div, other, "div")
    def __rtruediv__(self, other: Any) -> "Tensor": return self._binary(ops.Div, other, "div", reverse=True)
    def __pow__(self, other: Any) -> "Tensor": return self._binary(ops.Pow, other, "pow")
    def __rpow__(self, other: Any) -> "Tensor": return self._binary(ops.Pow, other, "pow", reverse=True)
    def __neg__(self) -> "Tensor": return ops.Neg.apply(self)
    def __matmul__(self, other: Any) -> "Tensor": return self.matmul(other)
    def __rmatmul__(self, other: Any) -> "Tensor": return self._operand(other).matmul(self)

    neg = __neg__  # add, sub, mul and div (with torch's alpha= and rounding_mode=) are in tensor_extra.py

    def pow(self, exponent: Any) -> "Tensor":
        return self.__pow__(exponent)

    def square(self) -> "Tensor":
        return self * self

    # comparisons: bool tensors, outside the graph
    def _compare(self, other: Any, fn: Any, op: str) -> "Tensor":
        other = self._operand(other)
        try:
            return Tensor._from_op(fn(self.array, other.array))
        except ValueError:
            raise RuntimeError(f"{op}: the shapes {self.shape} and {other.shape} are not "
                               f"broadcastable") from None

    def __eq__(self, other: Any) -> "Tensor": return self._compare(other, np.equal, "eq")  # type: ignore[override]
    def __ne__(self, other: Any) -> "Tensor": return self._compare(other, np.not_equal, "ne")  # type: ignore[override]
    def __lt__(self, other: Any) -> "Tensor": return self._compare(other, np.less, "lt")
    def __le__(self, other: Any) -> "Tensor": return self._compare(other, np.less_equal, "le")
    def __gt__(self, other: Any) -> "Tensor": return self._compare(other, np.greater, "gt")
    def __ge__(self, other: Any) -> "Tensor": return self._compare(other, np.greater_equal, "ge")
    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    # ------------------------------------------------------------------ unary math
    def exp(self) -> "Tensor": return ops.Exp.apply(self._as_float("exp"))
    def log(self) -> "Tensor": return ops.Log.apply(self._as_float("log"))
    def sqrt(self) -> "Tensor": return ops.Sqrt.apply(self._as_float("sqrt"))
    def abs(self) -> "Tensor": return ops.Abs.apply(self)
    def relu(self) -> "Tensor":
        if self.dtype == np.bool_:
            raise NotImplementedError("relu: Boolean inputs not supported (as in torch); convert with .float() or .long()")
        return ops.Relu.apply(self)

    def sigmoid(self) -> "Tensor": return ops.Sigmoid.apply(self._as_float("sigmoid"))
    def tanh(self) -> "Tensor": return ops.Tanh.apply(self._as_float("tanh"))
    def sin(self) -> "Tensor": return ops.Sin.apply(self._as_float("sin"))
    def cos(self) -> "Tensor": return ops.Cos.apply(self._as_float("cos"))

    def _as_float(self, op: str) -> "Tensor":
        return self if _is_float(self.dtype) else self._cast(get_default_dtype())

    def maximum(self, other: Any) -> "Tensor":
        return self._binary(ops.Maximum, other, "maximum")

    def minimum(self, other: Any) -> "Tensor":
        return self._binary(ops.Minimum, other, "minimum")

    def clamp(self, min: Optional[float] = None, max: Optional[float] = None) -> "Tensor":
        """Limit every element to [min, max]; either bound may be None."""
        if min is None and max is None:
            raise RuntimeError("clamp: at least one of 'min' or 'max' must not be None")
        for name, bound in (("min", min), ("max", max)):
            if bound is not None and not isinstance(bound, numbers.Real):
                raise TypeError(f"clamp: {name} must be a number, got {type(bound).__name__}")
        return ops.Clamp.apply(self, lo=min, hi=max)

    clip = clamp

    # ------------------------------------------------------------------ reductions
    def _reduce_axes(self, dim: Any, op: str) -> Optional[tuple[int, ...]]:
        if dim is None:
            return None
        dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
        axes = tuple(_normalize_dim(d, self.ndim, op) for d in dims)
        if len(set(axes)) != len(axes):
            raise RuntimeError(f"{op}: dim {dims} appears multiple times in the list of dims")
        return axes if self.ndim > 0 else None

    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> "Tensor":
        """Sum over ``dim`` (an int, a tuple of ints, or None for all); ``dtype`` casts first (bools
        and integers otherwise sum as int64, as torch)."""
        axes = self._reduce_axes(dim, "sum")
        if dtype is not None:
            x = self._cast(np.dtype(dtype))
        else:
            x = self._cast(int64) if self.dtype == bool_ or self.dtype.kind in "iu" else self
        return ops.Sum.apply(x, axes=axes, keepdim=keepdim and self.ndim > 0)

    def mean(self, dim: Any = None, keepdim: bool = False) -> "Tensor":
        """Average over ``dim``: sum / number of elements summed."""
        if not _is_float(self.dtype):
            raise RuntimeError(f"mean: could not infer output dtype; input dtype must be floating "
                               f"point, got {self.dtype}")
        axes = self._reduce_axes(dim, "mean")
        count = self.array.size if axes is None else int(np.prod([self.shape[a] for a in axes]))
        return self.sum(dim, keepdim) / float(count) if count else self.sum(dim, keepdim) * float("nan")

    def _extreme(self, dim: Any, keepdim: bool, largest: bool) -> Any:
        op = "max" if largest else "min"
        if isinstance(dim, Tensor):  # torch.max(x, y): the elementwise maximum (empty is fine)
            return self.maximum(dim) if largest else self.minimum(dim)
        if self.array.size == 0:
            raise RuntimeError(f"{op}(): expected a non-empty tensor, got shape {self.shape}")
        if dim is None:
            return (ops.Max if largest else ops.Min).apply(self)
        d = _normalize_dim(dim, self.ndim, op)
        if self.ndim == 0:
            return MaxResult(self.clone() if self.requires_grad else self, Tensor(np.zeros((), np.int64)))
        index = (np.argmax if largest else np.argmin)(self.array, axis=d)
        values = ops.TakeAlongDim.apply(self, dim=d, keepdim=keepdim, index=index)
        indices = np.expand_dims(index, d) if keepdim else index
        return MaxResult(values, Tensor._from_op(indices.astype(np.int64)))

    def max(self, dim: Any = None, keepdim: bool = False) -> Any:
        """Without ``dim``: the largest element (gradient split among ties). With ``dim``: a pair
        (values, indices) like torch.max; the gradient goes to the returned (first) index."""
        return self._extreme(dim, keepdim, largest=True)

    def min(self, dim: Any = None, keepdim: bool = False) -> Any:
        """The smallest element(s), with the same tie rules as ``max``. Computed directly, not as
        -max(-x): negation overflows at an integer dtype's minimum and is undefined for bool."""
        return self._extreme(dim, keepdim, largest=False)

    def argmax(self, dim: Optional[int] = None, keepdim: bool = False) -> "Tensor":
        """Index of the (first) largest element, over all elements or along ``dim``. No gradient."""
        return self._arg_extreme(dim, keepdim, np.argmax, "argmax")

    def argmin(self, dim: Optional[int] = None, keepdim: bool = False) -> "Tensor":
        """Index of the (first) smallest element, over all elements or along ``dim``. No gradient."""
        return self._arg_extreme(dim, keepdim, np.argmin, "argmin")

    def _arg_extreme(self, dim: Optional[int], keepdim: bool, fn: Any, op: str) -> "Tensor":
        if self.array.size == 0:
            raise RuntimeError(f"{op}(): expected a non-empty tensor, got shape {self.shape}")
        if dim is None:
            found = np.asarray(fn(self.array), dtype=np.int64)
            return Tensor._from_op(found.reshape((1,) * self.ndim) if keepdim else found)
        d = _normalize_dim(dim, self.ndim, op)
        if self.ndim == 0:
            return Tensor._from_op(np.zeros((), np.int64))
        return Tensor._from_op(fn(self.array, axis=d, keepdims=keepdim).astype(np.int64))

    def cumsum(self, dim: int, dtype: Any = None) -> "Tensor":
        """Running totals along ``dim`` (integers and bools sum as int64, as torch)."""
        x = self if dtype is None else self._cast(np.dtype(dtype))
        if x.dtype.kind in "biu" and dtype is None:
            x = x._cast(int64)
        d = _normalize_dim(dim, x.ndim, "cumsum")
        if x.ndim == 0:
            return x.clone()
        return ops.CumSum.apply(x, dim=d)

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> "Tensor":
        """The p-norm over ``dim`` (all elements by default): 'fro' and 2 are the Euclidean norm,
        1 the sum of magnitudes, inf the largest magnitude, 0 the number of nonzeros."""
        x = self if dtype is None else self._cast(np.dtype(dtype))
        if not _is_float(x.dtype):
            raise RuntimeError(f"norm(): input dtype should be floating point, got {x.dtype}")
        if p == "nuc":
            raise NotImplementedError("norm: the nuclear norm needs an SVD, which tinygrad_edu does not have")
        order = 2.0 if p in ("fro", None) else float(p)
        if p == "fro" and isinstance(dim, (tuple, list)) and len(dim) > 2:
            raise RuntimeError(f"norm: the Frobenius norm takes at most 2 dims (a matrix norm), got "
                               f"dim={tuple(dim)}; use p=2 for the vector norm over more dims")
        axes = self._reduce_axes(dim, "norm")
        if order == 0:
            count = (x.detach() != 0).sum(dim, keepdim)._cast(x.dtype)
            return count + x.sum(dim, keepdim) * 0.0  # the count has gradient 0 everywhere
        if order < 0:
            raise NotImplementedError(f"norm: negative orders (p={p}) are not supported")
        return ops.Norm.apply(x, p=order, axes=axes, keepdim=keepdim and x.ndim > 0)

    def repeat(self, *sizes: Any) -> "Tensor":
        """Tile the tensor ``sizes[i]`` times along dim i (new leading dims when sizes is longer).
        A composite: put a size-1 dim before each dim, expand it to the repeat count, merge."""
        sizes = _shape_args("repeat", sizes)
        if len(sizes) < self.ndim:
            raise RuntimeError(f"repeat: number of dimensions of repeat dims ({len(sizes)}) can not be "
                               f"smaller than number of dimensions of tensor ({self.ndim}, shape {self.shape})")
        if any(r < 0 for r in sizes):
            raise RuntimeError(f"repeat: repeats must be non-negative, got {sizes}")
        shape = (1,) * (len(sizes) - self.ndim) + self.shape
        interleaved = [v for s in shape for v in (1, s)]
        target = [v for r, s in zip(sizes, shape) for v in (r, s)]
        x = self.reshape(*interleaved).expand(*target)
        return x.reshape(*[r * s for r, s in zip(sizes, shape)])

    def repeat_interleave(self, repeats: Any, dim: Optional[int] = None, output_size: Optional[int] = None) -> "Tensor":
        """Repeat each element ``repeats`` times (an int, or one count per element along ``dim``);
        without ``dim`` the tensor is flattened first. Written as indexing with repeated positions,
        so the gradient of every copy is added back to its source."""
        x = self.reshape(-1) if dim is None else self
        d = 0 if dim is None else _normalize_dim(dim, x.ndim, "repeat_interleave")
        counts = repeats.array if isinstance(repeats, Tensor) else np.asarray(repeats)
        if counts.dtype.kind not in "iu":
            raise RuntimeError(f"repeat_interleave: repeats must be integers, got {counts.dtype}")
        n = x.shape[d] if x.ndim else 1
        if counts.ndim > 1 or (counts.ndim == 1 and counts.size not in (1, n)):
            raise RuntimeError(f"repeat_interleave: repeats must have the same size as input along dim "
                               f"{d} ({n}), got shape {counts.shape}")
        if (counts < 0).any():
            raise RuntimeError("repeat_interleave: repeats can not be negative")
        positions = np.repeat(np.arange(n), counts.reshape(-1) if counts.ndim else int(counts))
        if output_size is not None and positions.size != output_size:
            raise RuntimeError(f"repeat_interleave: output_size {output_size} does not match the "
                               f"{positions.size} repeated elements")
        return x[(slice(None),) * d + (positions,)]

    def mm(self, mat2: "Tensor") -> "Tensor":
        """Matrix product of two 2-D tensors (torch.mm: no broadcasting, no 1-D)."""
        if self.ndim != 2 or mat2.ndim != 2:
            raise RuntimeError(f"mm: both arguments must be matrices (2-D), got shapes {self.shape} and "
                               f"{mat2.shape}")
        return self.matmul(mat2)

    def mv(self, vec: "Tensor") -> "Tensor":
        """Matrix (2-D) times vector (1-D)."""
        if self.ndim != 2 or vec.ndim != 1:
            raise RuntimeError(f"mv: expected a matrix (2-D) and a vector (1-D), got shapes {self.shape} "
                               f"and {vec.shape}")
        return self.matmul(vec)

    # ------------------------------------------------------------------ matmul
    def matmul(self, other: Any) -> "Tensor":
        """Matrix product with torch.matmul's rules (1-D, 2-D, batched with broadcasting)."""
        other = self._operand(other)
        a, b = self, other
        if a.ndim == 0 or b.ndim == 0:
            raise RuntimeError(f"matmul: both arguments need at least 1 dimension, got shapes "
                               f"{a.shape} and {b.shape}")
        k_a = a.shape[-1]
        k_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
        if k_a != k_b:
            raise RuntimeError(f"matmul: shapes {a.shape} and {b.shape} cannot be multiplied "
                               f"({k_a} != {k_b}: the last dim of the first must equal the "
                               f"{'only' if b.ndim == 1 else 'second-to-last'} dim of the second)")
        try:
            np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            raise RuntimeError(f"matmul: batch dims of {a.shape} and {b.shape} are not "
                               f"broadcastable") from None
        dtype = _result_dtype(a.dtype, b.dtype)
        return ops.MatMul.apply(a._cast(dtype), b._cast(dtype))

    def dot(self, other: "Tensor") -> "Tensor":
        if self.ndim != 1 or other.ndim != 1:
            raise RuntimeError(f"dot: 1D tensors expected, but got {self.ndim}D and {other.ndim}D")
        return self.matmul(other)

    # ------------------------------------------------------------------ movement
    def reshape(self, *shape: Any) -> "Tensor":
        """Same elements in a new shape; one dim may be -1 (inferred)."""
        shape = _shape_args("reshape", shape)
        if shape.count(-1) > 1:
            raise RuntimeError(f"reshape: only one dimension can be inferred, got {shape}")
        known = int(np.prod([s for s in shape if s != -1]))
        if -1 in shape:
            if known == 0 or self.numel() % known:
                raise RuntimeError(f"reshape: shape {shape} is invalid for input of size {self.numel()}")
            shape = tuple(self.numel() // known if s == -1 else s for s in shape)
        if int(np.prod(shape)) != self.numel() or any(s < 0 for s in shape):
            raise RuntimeError(f"reshape: shape {shape} is invalid for input of size {self.numel()} "
                               f"(shape {self.shape})")
        if shape == self.shape:
            return self
        return ops.Reshape.apply(self, shape=shape)

    def view(self, *shape: Any) -> "Tensor":
        """``reshape``, or with a dtype, the same bytes read as that dtype (torch's
        ``view(dtype)``): an element size that differs splits or merges the last dim. The bytes
        are reinterpreted, not converted, so the result has no gradient (torch's has none either)."""
        if len(shape) == 1 and isinstance(shape[0], np.dtype):
            dtype, a = shape[0], self.array
            if dtype.itemsize != a.dtype.itemsize:
                if a.ndim == 0:
                    raise RuntimeError(f"view: self.dim() cannot be 0 to view {a.dtype} as {dtype} (different "
                                       f"element sizes)")
                ratio = dtype.itemsize / a.dtype.itemsize
                if ratio > 1 and a.shape[-1] % int(ratio):
                    raise RuntimeError(f"view: self.size(-1) must be divisible by {int(ratio)} to view {a.dtype} "
                                       f"as {dtype} (different element sizes), but got {a.shape[-1]}")
            return Tensor._from_op(np.ascontiguousarray(a).view(dtype))
        return self.reshape(*shape)

    def permute(self, *dims: Any) -> "Tensor":
        dims = _shape_args("permute", dims)
        if len(dims) != self.ndim:
            raise RuntimeError(f"permute: number of dims {len(dims)} doesn't match the tensor's "
                               f"{self.ndim} (shape {self.shape})")
        order = tuple(_normalize_dim(d, self.ndim, "permute") for d in dims)
        if sorted(order) != list(range(self.ndim)):
            raise RuntimeError(f"permute: dims {dims} are not a permutation of 0..{self.ndim - 1}")
        return ops.Permute.apply(self, order=order)

    def transpose(self, dim0: int, dim1: int) -> "Tensor":
        if self.ndim == 0:
            return self
        d0 = _normalize_dim(dim0, self.ndim, "transpose")
        d1 = _normalize_dim(dim1, self.ndim, "transpose")
        order = list(range(self.ndim))
        order[d0], order[d1] = order[d1], order[d0]
        return self.permute(*order)

    def t(self) -> "Tensor":
        if self.ndim > 2:
            raise RuntimeError(f"t(): expects a tensor with <= 2 dimensions, got shape {self.shape}")
        return self.transpose(0, 1) if self.ndim == 2 else self

    @property
    def T(self) -> "Tensor":
        """All dims reversed (the matrix transpose for 2-D tensors)."""
        return self.permute(*reversed(range(self.ndim))) if self.ndim > 1 else self

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> "Tensor":
        if self.ndim == 0:
            return self.reshape(1)
        s = _normalize_dim(start_dim, self.ndim, "flatten")
        e = _normalize_dim(end_dim, self.ndim, "flatten")
        if s > e:
            raise RuntimeError(f"flatten: start_dim {start_dim} cannot come after end_dim {end_dim}")
        return self.reshape(*self.shape[:s], int(np.prod(self.shape[s:e + 1])), *self.shape[e + 1:])

    def squeeze(self, dim: Optional[int] = None) -> "Tensor":
        if dim is None:
            return self.reshape(*[s for s in self.shape if s != 1])
        d = _normalize_dim(dim, self.ndim, "squeeze")
        if self.ndim == 0:
            return self
        if self.shape[d] != 1:
            return self
        return self.reshape(*self.shape[:d], *self.shape[d + 1:])

    def unsqueeze(self, dim: int) -> "Tensor":
        d = _normalize_dim(dim, self.ndim + 1, "unsqueeze")
        return self.reshape(*self.shape[:d], 1, *self.shape[d:])

    def expand(self, *sizes: Any) -> "Tensor":
        """Repeat size-1 dims (without copying) to ``sizes``; -1 keeps a dim."""
        sizes = _shape_args("expand", sizes)
        if len(sizes) < self.ndim:
            raise RuntimeError(f"expand: the number of sizes provided ({len(sizes)}) must be greater "
                               f"or equal to the number of dimensions in the tensor ({self.ndim})")
        lead = len(sizes) - self.ndim
        target = tuple(
            (self.shape[i - lead] if s == -1 else s) if i >= lead else s for i, s in enumerate(sizes))
        for i in range(self.ndim):
            have, want = self.shape[i], target[lead + i]
            if have != want and have != 1:
                raise RuntimeError(f"expand: the expanded size of the tensor ({want}) must match "
                                   f"the existing size ({have}) at non-singleton dimension {lead + i}; "
                                   f"target sizes {sizes}, tensor shape {self.shape}")
        if target == self.shape:
            return self
        return ops.Expand.apply(self, shape=target)

    def expand_as(self, other: "Tensor") -> "Tensor":
        return self.expand(*other.shape)

    def clone(self) -> "Tensor":
        """A copy that stays in the graph (dy/dx = 1)."""
        return ops.Copy.apply(self)

    def contiguous(self) -> "Tensor":
        return self

    def __getitem__(self, index: Any) -> "Tensor":
        """x[index] with torch's rules (see tinygrad_edu/indexing.py): the index is normalised
        and checked once, then applied in one step, or two when integers are mixed with arrays."""
        out = self
        for step in indexing.steps(indexing.normalize(index, self.shape)):
            out = ops.Index.apply(out, index=step)
        return out

    def __setitem__(self, index: Any, value: Any) -> None:
        """x[index] = value. Inside the graph (x or value requires grad) it is recorded, as in
        torch: x becomes the output of an IndexPut of its old value (see ops/movement.py)."""
        recorded = self._check_inplace("setitem") or (
            autograd.is_grad_enabled() and isinstance(value, Tensor) and value.requires_grad)
        if not recorded and not self.array.flags.writeable:
            raise RuntimeError("setitem: this tensor is a read-only view (from expand); clone() it first")
        parts = indexing.steps(indexing.normalize(index, self.shape))
        val = value.array if isinstance(value, Tensor) else np.asarray(value)
        target = ops.IndexPut.select(self.array, parts)  # basic indexing: a view, so writing into it writes self
        selection = target[parts[-1]].shape
        val = ops.IndexPut.fit(val, selection)  # torch drops a value's leading size-1 dims (x[i] = net(...))
        try:
            np.broadcast_to(val, selection)
        except ValueError:
            raise RuntimeError(f"setitem: cannot assign a value of shape {val.shape} to "
                               f"{indexing.describe(index)} of a tensor of shape {self.shape} "
                               f"(the selection has shape {selection})") from None
        if recorded:
            v = value if isinstance(value, Tensor) else Tensor._from_op(val)
            self._record_inplace("setitem", lambda old: ops.IndexPut.apply(old, v._cast(self.dtype), steps=tuple(parts)))
            return
        target[parts[-1]] = val
        self._version[0] += 1

    def gather(self, dim: int, index: "Tensor") -> "Tensor":
        """out[i][j] = self[i][index[i][j]] for dim=1 (torch.gather). ``index`` has self's rank
        and may be smaller than self in every dim (in the other dims it reads self's leading part)."""
        d = _normalize_dim(dim, self.ndim, "gather")
        idx = index.array if isinstance(index, Tensor) else np.asarray(index)
        if idx.dtype.kind not in "iu":
            raise RuntimeError(f"gather: expected an integer (int64) index tensor, got {idx.dtype}")
        if idx.ndim != self.ndim:
            raise RuntimeError(f"gather: index tensor must have the same number of dimensions as the "
                               f"input tensor: index shape {idx.shape}, input shape {self.shape}")
        if any(i != d and idx.shape[i] > self.shape[i] for i in range(self.ndim)):
            raise RuntimeError(f"gather: size does not match at dimension {d}: expected index "
                               f"{list(idx.shape)} to be smaller than self {list(self.shape)} apart "
                               f"from dimension {d}")
        if idx.size and (idx.min() < 0 or idx.max() >= max(self.shape[d] if self.ndim else 1, 0)):
            bad = int(idx.max() if idx.max() >= self.shape[d] else idx.min())
            raise RuntimeError(f"gather: index {bad} is out of bounds for dimension {d} with size "
                               f"{self.shape[d]} (index shape {idx.shape}, input shape {self.shape})")
        if self.ndim == 0:
            return ops.Gather.apply(self.reshape(1), dim=0, index=idx.reshape(1).astype(np.int64)).reshape(())
        return ops.Gather.apply(self, dim=d, index=idx.astype(np.int64, copy=False))

    # ------------------------------------------------------------------ softmax family
    def log_softmax(self, dim: int) -> "Tensor":
        """log(softmax(x)) computed stably in one op (see ops.loss.LogSoftmax)."""
        x = self._as_float("log_softmax")
        if x.ndim == 0:
            return ops.LogSoftmax.apply(x.reshape(1), dim=0).reshape(())
        return ops.LogSoftmax.apply(x, dim=_normalize_dim(dim, x.ndim, "log_softmax"))

    def softmax(self, dim: int) -> "Tensor":
        """exp(x - max) / sum(exp(x - max)): subtracting the (constant) max changes nothing
        mathematically but keeps exp from overflowing; it is detached because softmax is
        invariant to it, so its gradient contribution is exactly zero."""
        x = self._as_float("softmax")
        d = _normalize_dim(dim, x.ndim, "softmax")
        if x.ndim == 0:  # softmax over one element is the constant 1 (gradient 0); exp(0 * x)
            return (x * 0.0).exp()  # keeps it nan for a nan or infinite input, as torch does
        m = np.max(x.array, axis=d, keepdims=True)
        m = np.where(np.isfinite(m), m, 0).astype(x.dtype)
        e = (x - Tensor._from_op(m)).exp()
        return e / e.sum(d, keepdim=True)

    # ------------------------------------------------------------------ dtype conversion
    def to(self, *args: Any, **kwargs: Any) -> "Tensor":
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)``: casts are recorded
        in the graph; the only device is the CPU ('cpu', 'cpu:0', device('cpu')), any other raises."""
        from .device import check_device, device
        dtype = kwargs.pop("dtype", None)
        check_device("to", kwargs.pop("device", None))
        unknown = set(kwargs) - {"non_blocking", "copy", "memory_format"}
        if unknown:
            raise TypeError(f"to() got unexpected keyword arguments {sorted(unknown)}")
        for a in args:
            if isinstance(a, (str, device)) or (isinstance(a, int) and not isinstance(a, bool)):
                check_device("to", a)
            elif isinstance(a, Tensor):
                dtype = a.dtype
            elif isinstance(a, bool):  # positional non_blocking / copy
                continue
            else:
                dtype = a
        out = self if dtype is None else self._cast(np.dtype(dtype))
        return out.clone() if kwargs.get("copy") and out is self else out

    def cuda(self, device: Any = None, non_blocking: bool = False) -> "Tensor":
        from .device import check_device
        check_device("cuda", "cuda" if device is None else device)
        return self  # pragma: no cover (check_device always raises for CUDA)

    def type(self, dtype: Any) -> "Tensor":
        return self.to(dtype)

    def type_as(self, other: "Tensor") -> "Tensor":
        return self._cast(other.dtype)

    def float(self) -> "Tensor": return self._cast(float32)
    def double(self) -> "Tensor": return self._cast(float64)
    def long(self) -> "Tensor": return self._cast(int64)
    def int(self) -> "Tensor": return self._cast(int32)
    def bool(self) -> "Tensor": return self._cast(bool_)
    def cpu(self) -> "Tensor": return self

    # ------------------------------------------------------------------ in-place ops
    def _check_inplace(self, op: str) -> builtins.bool:
        """Return True if the change must be recorded in the graph (see torch's rules)."""
        if not autograd.is_grad_enabled():
            return False
        if self.requires_grad and self.is_leaf:
            raise RuntimeError(f"{op}: a leaf Variable that requires grad is being used in an "
                               f"in-place operation; wrap it in no_grad() or change .data")
        return self.requires_grad

    def _inplace(self, fn: builtins.type[autograd.Function], other: Any, op: str) -> "Tensor":
        other = self._operand(other)
        try:
            out_shape = self.shape if other.shape in (self.shape, ()) else np.broadcast_shapes(self.shape, other.shape)
        except ValueError:
            out_shape = None
        if out_shape != self.shape:
            raise RuntimeError(f"{op}: output with shape {self.shape} doesn't match the broadcast "
                               f"shape of {self.shape} and {other.shape}")
        if _result_dtype(self.dtype, other.dtype) != self.dtype and not (
                _is_float(self.dtype) and _is_float(other.dtype)):
            raise RuntimeError(f"{op}: result type {_result_dtype(self.dtype, other.dtype)} can't "
                               f"be cast to the desired output type {self.dtype}")
        if self._check_inplace(op) or (autograd.is_grad_enabled() and other.requires_grad):
            self._record_inplace(op, lambda old: fn.apply(old, other._cast(self.dtype)))
            return self
        if not self.array.flags.writeable:
            raise RuntimeError(f"{op}: this tensor is a read-only view (from expand); clone() it first")
        _ufunc_for[fn](self.array, other.array, out=self.array, casting="unsafe")  # dtypes checked above
        self._version[0] += 1
        return self

    def _record_inplace(self, op: str, apply: Any) -> None:
        """Record an in-place op: the old value becomes a hidden tensor, and this tensor the op's
        output. The graph's edges are tensor objects, so the nodes that already took this tensor
        as an input are pointed at the hidden old value: their gradient goes where torch sends
        it, to the value they computed with (otherwise ``y = x * 1; z = y * 3; y.mul_(2)`` would
        give x a gradient of 6 instead of 3)."""
        old = Tensor._from_op(self.array, self.requires_grad)
        old._ctx, old._version = self._ctx, self._version
        for ref in self._consumers or ():
            node = ref()
            if node is not None and getattr(node, "parents", None) is not None:
                node.parents = tuple(old if p is self else p for p in node.parents)
        old._consumers, self._consumers = self._consumers, None
        result = apply(old)
        self.array, self._ctx, self.requires_grad = result.array, result._ctx, result.requires_grad
        self._version = [self._version[0] + 1]

    def _write(self, values: np.ndarray, op: str) -> None:
        if not self.array.flags.writeable:
            raise RuntimeError(f"{op}: this tensor is a read-only view (from expand); clone() it first")
        self.array[...] = values
        self._version[0] += 1

    def __iadd__(self, other: Any) -> "Tensor": return self._inplace(ops.Add, other, "add_")
    def __isub__(self, other: Any) -> "Tensor": return self._inplace(ops.Sub, other, "sub_")
    def __imul__(self, other: Any) -> "Tensor": return self._inplace(ops.Mul, other, "mul_")
    def __itruediv__(self, other: Any) -> "Tensor": return self._inplace(ops.Div, other, "div_")
    add_, sub_, mul_, div_ = __iadd__, __isub__, __imul__, __itruediv__

    def _fill_with(self, values: np.ndarray, op: str) -> "Tensor":
        if self._check_inplace(op):
            raise RuntimeError(f"{op}: in-place overwrite of a tensor inside the graph is not "
                               f"supported; use no_grad() or .data")
        self._write(values, op)
        return self

    def relu_(self) -> "Tensor":
        """max(x, 0) in place. Inside the graph it is recorded as relu of the old value (see
        _record_inplace); outside, the array itself is overwritten."""
        if self.dtype == np.bool_:
            raise NotImplementedError("relu_: Boolean inputs not supported (as in torch); convert with .float() or .long()")
        if self._check_inplace("relu_"):
            self._record_inplace("relu_", lambda old: old.relu())
            return self
        if not self.array.flags.writeable:
            raise RuntimeError("relu_: this tensor is a read-only view (from expand); clone() it first")
        np.maximum(self.array, 0, out=self.array)
        self._version[0] += 1
        return self

    def zero_(self) -> "Tensor":
        return self._fill_with(np.zeros((), self.dtype), "zero_")

    def fill_(self, value: Scalar) -> "Tensor":
        return self._fill_with(np.asarray(value, dtype=self.dtype), "fill_")

    def normal_(self, mean: builtins.float = 0.0, std: builtins.float = 1.0) -> "Tensor":
        from .creation import _generator
        if std < 0:
            raise RuntimeError(f"normal_: expects std >= 0.0, but found std {std}")
        return self._fill_with(_generator().normal(mean, std, self.shape).astype(self.dtype), "normal_")

    def uniform_(self, a: builtins.float = 0.0, b: builtins.float = 1.0) -> "Tensor":
        from .creation import _generator
        if a > b:
            raise RuntimeError(f"uniform_: expects 'from' <= 'to', but got from={a} > to={b}")
        return self._fill_with(_generator().uniform(a, b, self.shape).astype(self.dtype), "uniform_")

    def copy_(self, src: Any) -> "Tensor":
        src_arr = src.array if isinstance(src, Tensor) else np.asarray(src)
        try:
            np.broadcast_to(src_arr, self.shape)
        except ValueError:
            raise RuntimeError(f"copy_: source of shape {src_arr.shape} can't be broadcast to the "
                               f"destination's shape {self.shape}") from None
        return self._fill_with(src_arr.astype(self.dtype, copy=False), "copy_")


_ufunc_for = {ops.Add: np.add, ops.Sub: np.subtract, ops.Mul: np.multiply, ops.Div: np.divide}


class MaxResult(tuple[Any, ...]):
    """(values, indices) as returned by ``max(dim)``/``min(dim)``, also readable by name."""

    def __new__(cls, values: Tensor, indices: Tensor) -> "MaxResult":
        return super().__new__(cls, (values, indices))

    @property
    def values(self) -> Tensor:
        return self[0]

    @property
    def indices(self) -> Tensor:
        return self[1]
