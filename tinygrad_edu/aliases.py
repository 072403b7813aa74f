"""The names and keywords torch accepts besides its own, translated in this one place.

torch's argument parser accepts NumPy's spelling for a few keywords (``x.sum(axis=1,
keepdims=True)``, ``X.argmax(axis=1)``) and factories take their shape as ``size=``
(``torch.zeros(size=(2, 3))``). Rather than teach every method these spellings, the methods and
functions listed below are wrapped once, at import, by :func:`install`: the wrapper renames the
keyword and calls the method a student reads in tensor.py unchanged.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

KEYWORD_ALIASES = {"axis": "dim", "keepdims": "keepdim"}

# Tensor methods and package-level functions that take ``dim``/``keepdim``.
WITH_DIM = ("sum", "mean", "max", "min", "argmax", "argmin", "cumsum", "norm", "softmax", "log_softmax",
            "squeeze", "unsqueeze", "cat", "concat", "concatenate", "stack", "repeat_interleave", "gather",
            "flatten", "var", "std", "var_mean", "std_mean", "prod", "logsumexp", "all", "any", "cumprod", "sort", "argsort", "topk")
# Factories whose shape may be given as ``size=``.
SIZE_FACTORIES = ("zeros", "ones", "rand", "randn", "empty")


def _with_aliases(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            for alias, name in KEYWORD_ALIASES.items():
                if alias in kwargs:
                    if name in kwargs:
                        raise TypeError(f"{fn.__name__}() got both {name!r} and its alias {alias!r}")
                    kwargs[name] = kwargs.pop(alias)
        return fn(*args, **kwargs)

    call.__wrapped_aliases__ = True  # type: ignore[attr-defined]
    return call


def _with_size(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if "size" in kwargs:
            if args:
                raise TypeError(f"{fn.__name__}() got the shape both positionally {args} and as size=")
            args = (kwargs.pop("size"),)
        return fn(*args, **kwargs)

    return call


def install(tensor_class: type, namespace: dict[str, Any]) -> None:
    """Wrap the Tensor methods and the package-level functions named above (idempotent)."""
    for name in WITH_DIM:
        method = getattr(tensor_class, name, None)  # also methods Tensor inherits (tensor_extra.py)
        if method is not None and not getattr(method, "__wrapped_aliases__", False):
            setattr(tensor_class, name, _with_aliases(method))
        fn = namespace.get(name)
        if callable(fn) and not getattr(fn, "__wrapped_aliases__", False):
            namespace[name] = _with_aliases(fn)
    for name in SIZE_FACTORIES:
        if name in namespace:
            namespace[name] = _with_size(namespace[name])
