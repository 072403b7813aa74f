"""Run the book's chapter code on both frameworks, changing nothing but its import lines.

Each file in ``d2l_chapters/`` is a section of *Dive into Deep Learning* written as the book
writes it, with torch's imports. ``run_chapter(name, backend)`` rewrites only those import lines
(``IMPORTS`` below lists every rewrite) and executes the file; the chapter leaves what it
computed in a dict named ``RESULTS``, which the tests compare between the backends.

Two things make the comparison exact rather than statistical:

* ``TorchRNG`` stands in for tinygrad_edu's NumPy generator while our run executes, and draws
  every random number from torch's generator (seeded the same for both runs), so ``torch.normal``
  in the chapter, ``nn.Linear``'s initialisation and ``train_ch6``'s Xavier init give identical
  weights on both sides;
* the d2l companion given to the chapters serves a few fixed batches of the Fashion-MNIST sample
  (no shuffling), the same on both sides, and shortens nothing else: epochs, learning rates and
  models are the book's.

The torch side runs the companion's own source with torch's imports (reference/d2l_torch.py), so
these tests check the framework under the book's code; the companion itself is checked against
the book's own ``d2l`` package in test_d2l_companion.py, test_boxes.py and test_training_rnn.py.
"""
from __future__ import annotations

import contextlib
import io
import random
import re
import types
from pathlib import Path
from typing import Any, Iterator, Optional

import numpy as np
import torch

import tinygrad_edu
import tinygrad_edu.d2l
from tinygrad_edu import creation

from .harness import one_ulp_apart

CHAPTERS = Path(__file__).parent / "d2l_chapters"

# (the book's line, our line): the only changes made to a chapter's text.
IMPORTS = [
    ("import torch", "import tinygrad_edu as torch"),
    ("import torchvision", "import tinygrad_edu.vision as torchvision"),
    ("from torch import nn", "from tinygrad_edu import nn"),
    ("from torch.nn import functional as F", "from tinygrad_edu.nn import functional as F"),
    ("from torch.utils import data", "from tinygrad_edu.utils import data"),
    ("from torch.distributions import multinomial", "from tinygrad_edu.distributions import multinomial"),
    ("from torch.distributions.multinomial import Multinomial",
     "from tinygrad_edu.distributions.multinomial import Multinomial"),
    ("from d2l import torch as d2l", "from tinygrad_edu import d2l"),
]


class TorchRNG:
    """The subset of ``np.random.Generator`` tinygrad_edu draws from, answered by torch's global
    generator with the calls torch itself makes for the same request, always as float32 draws
    (in a float64 run torch's side draws float32 too: see ``float32_draws``)."""

    def random(self, size: Any = None, dtype: Any = np.float64) -> np.ndarray:
        return torch.rand(_size(size), dtype=torch.float32).double().numpy()

    def standard_normal(self, size: Any = None) -> np.ndarray:
        return torch.randn(_size(size), dtype=torch.float32).double().numpy()

    def normal(self, loc: float = 0.0, scale: float = 1.0, size: Any = None) -> np.ndarray:
        return torch.normal(float(loc), float(scale), _size(size), dtype=torch.float32).double().numpy()

    def uniform(self, low: float = 0.0, high: float = 1.0, size: Any = None) -> np.ndarray:
        return torch.empty(_size(size), dtype=torch.float32).uniform_(low, high).double().numpy()

    def binomial(self, n: int, p: float, size: Any = None) -> np.ndarray:
        if n == 1:  # a Bernoulli mask: dropout's draw (torch's dropout calls bernoulli_(1 - p))
            return torch.empty(_size(size), dtype=torch.float32).bernoulli_(p).numpy().astype(np.int64)
        return torch.binomial(torch.full(_size(size), float(n)), torch.full(_size(size), float(p))).numpy().astype(np.int64)

    def integers(self, low: int, high: int, size: Any = None) -> np.ndarray:
        return torch.randint(low, high, _size(size)).numpy()

    def permutation(self, n: int) -> np.ndarray:
        return torch.randperm(n).numpy()

    def multinomial(self, n: int, pvals: np.ndarray, size: Any = None) -> np.ndarray:
        dist = torch.distributions.Multinomial(n, probs=torch.tensor(pvals, dtype=torch.float32))
        return dist.sample(_size(size)).numpy().astype(np.int64)


def _size(size: Any) -> tuple[int, ...]:
    return tuple(int(s) for s in np.atleast_1d(size)) if size is not None else ()


@contextlib.contextmanager
def float32_draws() -> Iterator[None]:
    """torch's random factories and in-place initialisers draw float32 numbers and cast them while
    a float64 run is under way, so a float64 run of a chapter consumes torch's generator exactly as
    its float32 run does and starts from the same numbers (only the precision differs)."""
    saved = torch.rand, torch.randn, torch.normal, torch.Tensor.uniform_, torch.Tensor.normal_

    def factory(draw: Any) -> Any:
        def make(*args: Any, dtype: Any = None, requires_grad: bool = False, **kwargs: Any) -> Any:
            out = draw(*args, dtype=torch.float32, **kwargs).to(dtype or torch.get_default_dtype())
            return out.requires_grad_(requires_grad)
        return make

    def normal(*args: Any, **kwargs: Any) -> Any:
        if len(args) >= 2 and all(isinstance(a, (int, float)) for a in args[:2]):
            return factory(saved[2])(*args, **kwargs)
        return saved[2](*args, **kwargs)

    def in_place(fill: Any) -> Any:
        def fill_(self: Any, *args: Any, **kwargs: Any) -> Any:
            if self.dtype != torch.float64:
                return fill(self, *args, **kwargs)
            with torch.no_grad():
                return self.copy_(fill(torch.empty(self.shape, dtype=torch.float32), *args, **kwargs))
        return fill_

    patched = factory(saved[0]), factory(saved[1]), normal
    # The companion's short names (``d2l.randn = torch.randn``, ...) are bound when its torch twin
    # is imported, so they are rebound to the patched draws for the run as well.
    aliases = _twin_aliases({id(plain): draw for plain, draw in zip(saved, patched)})
    torch.rand, torch.randn, torch.normal = patched
    torch.Tensor.uniform_, torch.Tensor.normal_ = in_place(saved[3]), in_place(saved[4])  # type: ignore[method-assign]
    try:
        yield
    finally:
        torch.rand, torch.randn, torch.normal, torch.Tensor.uniform_, torch.Tensor.normal_ = saved  # type: ignore[method-assign]
        for module, name, value in aliases:
            setattr(module, name, value)


def _twin_aliases(replacements: dict[int, Any]) -> list[tuple[Any, str, Any]]:
    """Rebind every attribute of the torch twin's modules that is one of torch's random factories
    (by identity) to its replacement; returns what to restore. The twin is imported first, before
    torch's names are patched, so that it never binds a patched draw for good."""
    import sys
    from reference import d2l_torch
    d2l_torch.load()
    saved = []
    for name, module in list(sys.modules.items()):
        if module is None or not (name == d2l_torch.TWIN or name.startswith(d2l_torch.TWIN + ".")):
            continue
        for attr, value in list(vars(module).items()):
            if id(value) in replacements:
                saved.append((module, attr, value))
                setattr(module, attr, replacements[id(value)])
    return saved


def _torch_epoch_order(rng: Any, n: int) -> np.ndarray:
    """torch's RandomSampler: one int64 seed from the global generator, then randperm with a
    generator seeded by it."""
    seed = int(torch.empty((), dtype=torch.int64).random_().item())
    return torch.randperm(n, generator=torch.Generator().manual_seed(seed)).numpy()


@contextlib.contextmanager
def torch_random_numbers() -> Iterator[None]:
    """tinygrad_edu's random numbers drawn from torch's generator (TorchRNG), and a shuffling
    DataLoader's epoch order made as torch's sampler makes it, for the duration."""
    from tinygrad_edu.utils import data as tg_data
    saved, saved_order = creation._rng, tg_data._epoch_order
    creation._rng = TorchRNG()  # type: ignore[assignment]
    tg_data._epoch_order = _torch_epoch_order
    try:
        yield
    finally:
        creation._rng, tg_data._epoch_order = saved, saved_order


def rewrite(source: str, backend: str) -> str:
    """The chapter's text for a backend: torch's own (d2l from reference/) or ours."""
    lines = source.splitlines()
    out = []
    for line in lines:
        stripped = line.strip()
        for theirs, ours in IMPORTS:
            if stripped == theirs:
                if backend == "ours":
                    line = line.replace(theirs, ours)
                elif theirs.startswith("from d2l"):
                    line = line.replace(theirs, "from parity_tests.d2l_compat import torch_d2l as d2l")
                break
        out.append(line)
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- the data the chapters see

BATCHES = 3  # batches per epoch served to the chapters (the book's batch sizes and epochs are kept)


class FixedBatches:
    """Batches of ``lib`` tensors in an order fixed by a NumPy seed, so both backends see the same
    ones: the first ``limit`` batches every epoch (limit=None: all, reshuffled every epoch when
    ``shuffle``, epoch k from seed k)."""

    def __init__(self, lib: Any, X: np.ndarray, y: np.ndarray, batch_size: int,
                 limit: Optional[int] = BATCHES, shuffle: bool = False) -> None:
        self.lib, self.y, self.batch_size, self.limit, self.shuffle = lib, y, batch_size, limit, shuffle
        # images in the run's float dtype (float64 runs: see run_chapter)
        self.X = X.astype(_float_dtype()) if X.dtype.kind == "f" else X
        self.epoch = 0

    def __iter__(self) -> Iterator[Any]:
        n = len(self.X)
        order = np.random.default_rng(self.epoch).permutation(n) if self.shuffle else np.arange(n)
        self.epoch += 1
        stop = n if self.limit is None else min(n, self.limit * self.batch_size)
        for i in range(0, stop, self.batch_size):
            idx = order[i:i + self.batch_size]
            X = self.X[idx]
            if _PERTURB[0] is not None and X.dtype == np.float32:
                X = one_ulp_apart(X, _PERTURB[0])
            yield self.lib.tensor(X), self.lib.tensor(self.y[idx])

    @property
    def dataset(self) -> range:
        """What a DataLoader's ``.dataset`` answers to ``len``: the examples served per epoch."""
        return range(len(self.X) if self.limit is None else min(len(self.X), self.limit * self.batch_size))

    def __len__(self) -> int:
        return -(-len(self.dataset) // self.batch_size)  # noqa: PLE0303  (a ceiling division: never negative)


_PERTURB: list[Optional[np.random.Generator]] = [None]


@contextlib.contextmanager
def perturbed_draws(seed: int = 0) -> Iterator[None]:
    """Every float32 number torch's random factories and in-place initialisers draw moves by one
    ulp, up or down at random: for chapters whose inputs are exact (text as indices, one-hot), the
    initial weights are where a run that differs by one rounding starts (d2l_trajectories)."""
    rng = np.random.default_rng(seed)
    saved = torch.rand, torch.randn, torch.Tensor.uniform_, torch.Tensor.normal_

    def nudge(t: Any) -> Any:
        if t.dtype != torch.float32:
            return t
        with torch.no_grad():
            moved = torch.from_numpy(one_ulp_apart(t.detach().numpy().copy(), rng))
            return t.copy_(moved) if t.is_leaf else moved

    def factory(draw: Any) -> Any:
        def make(*args: Any, **kwargs: Any) -> Any:
            requires_grad = kwargs.pop("requires_grad", False)
            return nudge(draw(*args, **kwargs)).requires_grad_(requires_grad)
        return make

    def in_place(fill: Any) -> Any:
        def fill_(self: Any, *args: Any, **kwargs: Any) -> Any:
            fill(self, *args, **kwargs)
            return nudge(self)
        return fill_

    torch.rand, torch.randn = factory(saved[0]), factory(saved[1])
    torch.Tensor.uniform_, torch.Tensor.normal_ = in_place(saved[2]), in_place(saved[3])  # type: ignore[method-assign]
    try:
        yield
    finally:
        torch.rand, torch.randn, torch.Tensor.uniform_, torch.Tensor.normal_ = saved  # type: ignore[method-assign]


@contextlib.contextmanager
def perturbed_images(seed: int = 0) -> Iterator[None]:
    """Every float32 image the fixed batches serve moves by one ulp, up or down at random: a
    run that differs from the plain one only as much as one rounding differs (d2l_trajectories)."""
    _PERTURB[0] = np.random.default_rng(seed)
    try:
        yield
    finally:
        _PERTURB[0] = None


def _with_fixed_data(d2l: Any, lib: Any, full: bool = False) -> types.ModuleType:
    """A copy of a d2l companion whose load_data_fashion_mnist serves FixedBatches: a few batches
    of the bundled sample, or (full=True) all of the installed data set, reshuffled per epoch."""
    module = types.ModuleType(d2l.__name__ + ".fixed")
    module.__dict__.update({k: v for k, v in vars(d2l).items() if not k.startswith("__")})
    # Loaders that the chapters build themselves (14.1's load_cifar10) ask for
    # get_dataloader_workers() processes. torch's workers draw random augmentations from
    # generators of their own, seeded from one draw of the main generator, in an order that depends
    # on process scheduling; loading in the calling process draws them all from the main
    # generator, the one stream both frameworks share here.
    module.get_dataloader_workers = lambda: 0
    source = tinygrad_edu.data.fashion_mnist.load_fashion_mnist() if full else \
        tinygrad_edu.data.fashion_mnist.load_sample()
    order = np.random.default_rng(0).permutation(len(source.arrays("train")[1]))

    def load_data_fashion_mnist(batch_size: int, resize: Any = None, *, train_augs: Any = None,
                                test_augs: Any = None) -> tuple[Any, Any]:
        loaders = _fixed_fashion_mnist(batch_size, resize)
        return tuple(loader if augs is None else d2l._AugmentedLoader(loader, augs)
                     for loader, augs in zip(loaders, (train_augs, test_augs)))

    def _fixed_fashion_mnist(batch_size: int, resize: Any = None) -> tuple[Any, Any]:
        Xtr, ytr = source.arrays("train")
        Xte, yte = source.arrays("test")
        if full:
            loaders = (FixedBatches(lib, Xtr, ytr.astype(np.int64), batch_size, None, shuffle=True),
                       FixedBatches(lib, Xte, yte.astype(np.int64), batch_size, None))
        else:
            loaders = (FixedBatches(lib, Xtr[order], ytr[order].astype(np.int64), batch_size),
                       FixedBatches(lib, Xte, yte.astype(np.int64), batch_size))
        if resize:  # the companion's own resizing, applied to these batches
            size = (resize, resize) if isinstance(resize, int) else tuple(resize)
            return tuple(d2l._ResizedLoader(loader, size, Xtr.shape[-2:]) for loader in loaders)
        return loaders

    def load_data_time_machine(batch_size: int, num_steps: int, use_random_iter: bool = False,
                               max_tokens: int = 10000) -> tuple[Any, Any]:
        data_iter, vocab = d2l.load_data_time_machine(batch_size, num_steps, use_random_iter, max_tokens)
        return (data_iter if full else FirstBatches(data_iter, TEXT_BATCHES)), vocab

    def load_data_fashion_detection(batch_size: int, n_train: int = 1000, n_test: int = 100, canvas: int = 64,
                                    objects: int = 1, num_classes: int = 10) -> tuple[Any, Any]:
        from tinygrad_edu.data.detection import make_detection_set, single_class
        loaders = []
        for split, n, seed in (("train", n_train, 0), ("test", n_test, 1)):
            X, y = source.arrays(split)
            images, labels = make_detection_set(X, y, n, canvas=canvas, objects=objects, seed=seed)
            labels = single_class(labels) if num_classes == 1 else labels
            loaders.append(FixedBatches(lib, images, labels, batch_size, None if full else BATCHES,
                                        shuffle=full and split == "train"))
        return loaders[0], loaders[1]

    module.load_data_fashion_mnist = load_data_fashion_mnist
    module.load_data_fashion_detection = load_data_fashion_detection
    module.load_data_time_machine = load_data_time_machine
    return module


TEXT_BATCHES = 1  # minibatches per epoch of The Time Machine served to ch. 8-9 (the book's epochs are kept)


class FirstBatches:
    """The first ``limit`` minibatches of each epoch of a loader (it still draws its random offset,
    so both backends consume Python's ``random`` identically)."""

    def __init__(self, loader: Any, limit: int) -> None:
        self.loader, self.limit = loader, limit

    def __iter__(self) -> Iterator[Any]:
        for k, batch in enumerate(self.loader):
            if k == self.limit:
                break
            yield batch


def _torch_d2l(full: bool = False) -> types.ModuleType:
    from reference import d2l_torch
    return _with_fixed_data(d2l_torch.load(), torch, full)


torch_d2l: Any = None  # set by run_chapter for the torch run (the chapter imports it by this name)


def _float_dtype() -> np.dtype:
    """The float dtype of the chapter run under way: torch's default float dtype, which
    ``run_chapter`` sets to the dtype asked for (tinygrad_edu's is set alongside)."""
    return np.dtype(str(torch.get_default_dtype()).replace("torch.", ""))


@contextlib.contextmanager
def default_float(dtype: str) -> Iterator[None]:
    """Both frameworks' default float dtype set to ``dtype`` for the duration (and restored)."""
    saved = torch.get_default_dtype(), tinygrad_edu.get_default_dtype()
    torch.set_default_dtype(getattr(torch, dtype))
    tinygrad_edu.set_default_dtype(getattr(tinygrad_edu, dtype))
    try:
        yield
    finally:
        torch.set_default_dtype(saved[0])
        tinygrad_edu.set_default_dtype(saved[1])


def run_chapter(name: str, backend: str, seed: int = 0, figure_dir: str = "out/d2l", full: bool = False,
                quiet: bool = True, dtype: str = "float32") -> dict[str, Any]:
    """Execute one chapter on ``backend`` ('ours' or 'torch'); returns its RESULTS, as NumPy.
    ``full``: the whole installed Fashion-MNIST, reshuffled each epoch, instead of a few batches.
    ``dtype``: the default float dtype of both frameworks during the run ('float64' runs the
    book's code in double precision: its data, parameters and random draws, both sides alike)."""
    draws = float32_draws() if dtype != "float32" else contextlib.nullcontext()
    with default_float(dtype), draws:
        return _run_chapter(name, backend, seed, figure_dir, full, quiet)


def _run_chapter(name: str, backend: str, seed: int, figure_dir: str, full: bool, quiet: bool) -> dict[str, Any]:
    global torch_d2l
    source = rewrite((CHAPTERS / f"{name}.py").read_text(), backend)
    ours_d2l = _with_fixed_data(tinygrad_edu.d2l, tinygrad_edu, full)
    tinygrad_edu.d2l.FIGURE_DIR = figure_dir
    if backend == "ours":
        source = source.replace("from tinygrad_edu import d2l", "d2l = __ours_d2l__")
    else:
        from reference import d2l_torch
        d2l_torch.load().FIGURE_DIR = figure_dir
        torch_d2l = _torch_d2l(full)
    env: dict[str, Any] = {"__name__": f"d2l_chapter_{name}", "__ours_d2l__": ours_d2l}
    import matplotlib.pyplot as plt
    plt.close("all")  # each run draws on figures of its own, as each notebook kernel would
    torch.manual_seed(seed)
    tinygrad_edu.manual_seed(seed)
    random.seed(seed)  # the book's own data_iter (3.2) shuffles with Python's random
    np.random.seed(seed)  # noqa: NPY002  4.4 draws its polynomial data with NumPy's global generator
    context = torch_random_numbers() if backend == "ours" else contextlib.nullcontext()
    output = contextlib.redirect_stdout(io.StringIO()) if quiet else contextlib.nullcontext()
    companion = tinygrad_edu.d2l if backend == "ours" else d2l_torch.load()
    with context, output, classes_kept(companion):
        exec(compile(source, str(CHAPTERS / f"{name}.py"), "exec"), env)
    return {k: _plain(v) for k, v in env["RESULTS"].items()}


@contextlib.contextmanager
def classes_kept(companion: types.ModuleType) -> Iterator[None]:
    """The companion's classes as they were before the block: the book's ``@d2l.add_to_class``
    cells (6.7's Trainer.__init__, 4.3's configure_optimizers) rebind methods of d2l's own
    classes, and a chapter run later in the same process must not see what an earlier one
    rebound."""
    classes = {v for v in vars(companion).values() if isinstance(v, type)
               and v.__module__.startswith(companion.__name__)}
    saved = {cls: dict(vars(cls)) for cls in classes}
    try:
        yield
    finally:
        for cls, before in saved.items():
            for key in set(vars(cls)) - set(before):
                delattr(cls, key)
            for key, value in before.items():
                if vars(cls).get(key) is not value:
                    setattr(cls, key, value)


def _plain(v: Any) -> Any:
    if hasattr(v, "detach"):
        return np.array(v.detach().numpy())
    if isinstance(v, (list, tuple)):
        return type(v)(_plain(x) for x in v)
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def chapter_names() -> list[str]:
    return sorted(p.stem for p in CHAPTERS.glob("ch*.py"))


def changed_lines(name: str) -> list[tuple[str, str]]:
    """Every line that differs between the book's text and ours (for the docs and a test)."""
    book = (CHAPTERS / f"{name}.py").read_text().splitlines()
    ours = rewrite("\n".join(book), "ours").splitlines()
    return [(a, b) for a, b in zip(book, ours) if a != b]


def imports_only(name: str) -> bool:
    return all(re.match(r"\s*(import|from) ", a) for a, _ in changed_lines(name))
