"""The ops that share their work between threads (tinygrad_edu/parallel.py) give bit-identical
results on one thread and on several, forward and backward; the worker threads keep NumPy's
error state, pass exceptions back and survive a fork; ``import tinygrad_edu`` shortens
OpenBLAS's spinning only when NumPy is not imported yet, and picks its default from that.

Every array in these tests is small, so the split threshold is lowered to one element: each op
here really runs in parts on the worker thread.
"""
import contextlib
import os
import select
import signal
import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import arrays

import tinygrad_edu as tg
from tinygrad_edu import parallel

F = tg.nn.functional


@contextlib.contextmanager
def splitting():
    """Every split op runs in parts, whatever the array size, on two threads."""
    previous = parallel.MIN_WORK, tg.get_num_threads()
    parallel.MIN_WORK = 1
    tg.set_num_threads(2)
    try:
        yield
    finally:
        parallel.MIN_WORK = previous[0]
        tg.set_num_threads(previous[1])


def _forward_backward(fn, inputs, upstream_seed):
    """Output and every input's gradient of fn(*inputs) under a random upstream gradient."""
    leaves = [tg.tensor(a, requires_grad=True) for a in inputs]
    out = fn(*leaves)
    up = np.random.default_rng(upstream_seed).normal(size=out.shape).astype(out.detach().numpy().dtype)
    out.backward(tg.tensor(up))
    return [out.detach().numpy()] + [leaf.grad.numpy() for leaf in leaves]


def _on_one_and_two_threads(fn, inputs, seed=0):
    with splitting():
        tg.set_num_threads(1)
        one = _forward_backward(fn, inputs, seed)
        tg.set_num_threads(2)
        two = _forward_backward(fn, inputs, seed)
    for a, b in zip(one, two):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b, strict=True)  # bit-identical, not merely close
    return two


def _batch_innermost(x: np.ndarray) -> np.ndarray:
    """x (N, C, H, W) with the batch innermost in memory, as a conv's output lies."""
    return np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)


dtypes = st.sampled_from([np.float32, np.float64])
maps = st.tuples(st.integers(1, 3), st.integers(1, 5), st.integers(4, 9), st.integers(4, 9))


@given(dtype=dtypes, shape=st.tuples(st.integers(1, 4), st.integers(1, 5), st.integers(1, 6)),
       data=st.data(), batch_innermost=st.booleans())
def test_sigmoid_split_equals_one_thread(dtype, shape, data, batch_innermost):
    x = data.draw(arrays(dtype, shape, elements=st.floats(-100, 100, width=32)))
    if batch_innermost:
        x = np.ascontiguousarray(x.transpose(2, 1, 0)).transpose(2, 1, 0)
    _on_one_and_two_threads(tg.sigmoid, [x])


@given(dtype=dtypes, shape=maps, out_channels=st.integers(1, 4), kernel=st.integers(1, 3),
       stride=st.integers(1, 2), padding=st.integers(0, 1), bias=st.booleans(), seed=st.integers(0, 99),
       batch_innermost=st.booleans())
def test_conv2d_split_equals_one_thread(dtype, shape, out_channels, kernel, stride, padding,
                                        bias, seed, batch_innermost):
    """im2col's copies (by kernel offset), the bias (by output channel), col2im's additions (by
    input channel) and the bias gradient (by output channel) in parts."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape).astype(dtype)
    x = _batch_innermost(x) if batch_innermost else x
    w = rng.normal(size=(out_channels, shape[1], kernel, kernel)).astype(dtype)
    inputs = [x, w] + ([rng.normal(size=out_channels).astype(dtype)] if bias else [])
    _on_one_and_two_threads(lambda *t: F.conv2d(*t, stride=stride, padding=padding), inputs, seed)


@given(dtype=dtypes, shape=st.one_of(st.tuples(st.integers(2, 6), st.integers(1, 5)), maps),
       affine=st.booleans(), seed=st.integers(0, 99), batch_innermost=st.booleans())
def test_batch_norm_split_equals_one_thread(dtype, shape, affine, seed, batch_innermost):
    """Batch norm's elementwise passes in parts by channel (its per-channel sums stay whole)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(2.0, 3.0, size=shape).astype(dtype)
    if batch_innermost and x.ndim == 4:
        x = _batch_innermost(x)
    c = shape[1]
    inputs = [x] + ([rng.normal(size=c).astype(dtype), rng.normal(size=c).astype(dtype)] if affine else [])
    _on_one_and_two_threads(lambda t, *wb: F.batch_norm(t, None, None, *wb, training=True), inputs, seed)


def test_large_arrays_split_by_default_and_small_ones_do_not(monkeypatch):
    """Without the test fixture: only work of MIN_WORK element-passes or more is shared out."""
    calls = []
    monkeypatch.setattr(parallel, "_threads", 2)
    real_split = parallel.split
    monkeypatch.setattr(parallel, "split", lambda work, count, passes: (calls.append(passes), real_split(work, count, passes)))
    n = parallel.MIN_WORK // 4                          # a sigmoid makes 4 passes over its n elements
    tg.sigmoid(tg.zeros(n - 1))
    tg.sigmoid(tg.zeros(n))
    assert calls == [4 * n]


def test_the_worker_keeps_the_ops_floating_point_state():
    """exp overflows for x < -88 in float32; inside an op that is silent (fpstate.py), in the
    worker's half too: warnings turned into errors would otherwise come back from the worker."""
    x = np.full(64, -1000.0, dtype=np.float32)
    with splitting(), warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="warn"):
            y = tg.sigmoid(tg.tensor(x)).numpy()
    assert (y == 0).all()


def test_an_exception_in_the_worker_reaches_the_caller():
    done = []

    def work(start, stop):
        if start > 0:
            raise ValueError(f"part {start}:{stop} failed")
        done.append((start, stop))
    with splitting(), pytest.raises(ValueError, match="part 5:10 failed"):
        parallel.split(work, 10, 10)
    assert done == [(0, 5)]  # the caller's half ran, and the call waited for the worker's


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_starts_its_own_worker():
    """A fork copies the pool object but not its thread; the child must not wait on it forever."""
    x = np.linspace(-5, 5, 1000)
    with splitting():
        expected = tg.sigmoid(tg.tensor(x)).numpy()  # the parent's worker thread now exists
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            try:
                ok = np.array_equal(tg.sigmoid(tg.tensor(x)).numpy(), expected)
                os.write(write, b"1" if ok else b"0")
            finally:
                os._exit(0)
    os.close(write)
    ready, _, _ = select.select([read], [], [], 30)
    answer = os.read(read, 1) if ready else b"timeout"
    os.close(read)
    if not ready:
        os.kill(pid, signal.SIGKILL)  # the child hangs waiting for a thread it does not have
    os.waitpid(pid, 0)
    assert answer == b"1"


@pytest.mark.parametrize("value", [0, -1, "2", 2.0, True])
def test_set_num_threads_refuses_what_torch_refuses(value):
    """Side by side with torch: the same exception class for the same argument, a message that
    names the call, and the thread count unchanged by the refused call."""
    import torch
    previous = tg.get_num_threads()
    with pytest.raises(RuntimeError) as theirs:
        torch.set_num_threads(value)
    with pytest.raises(type(theirs.value), match="set_num_threads.*(positive|expected an int)"):
        tg.set_num_threads(value)
    assert tg.get_num_threads() == previous


def test_set_num_threads_sets_what_get_num_threads_reports():
    previous = tg.get_num_threads()
    tg.set_num_threads(1)
    assert tg.get_num_threads() == 1
    tg.set_num_threads(previous)
    assert tg.get_num_threads() == previous


def _python(code: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"} | env
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environ, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


REPORT = ("import os, tinygrad_edu as tg; "
          "print(os.environ.get('OPENBLAS_THREAD_TIMEOUT'), tg.get_num_threads(), tg.parallel._available_cores())")


def test_importing_tinygrad_edu_first_shortens_openblas_spinning():
    timeout, threads, cores = _python(REPORT).split()
    assert timeout == str(parallel.BLAS_SPIN_EXPONENT)
    openblas = "openblas" in np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"].lower()
    assert threads == (cores if openblas else "1")


def test_numpy_imported_first_or_a_users_setting_is_left_alone():
    timeout, threads, _ = _python("import numpy; " + REPORT).split()
    assert (timeout, threads) == ("None", "1")   # too late to set: one thread (see parallel.py)
    timeout, threads, _ = _python(REPORT, OPENBLAS_THREAD_TIMEOUT="25").split()
    assert (timeout, threads) == ("25", "1")     # the user's value kept; it spins long, so one thread


def test_openblas_worker_sleeps_soon_after_a_product():
    """The effect itself: CPU time the process burns in a 0.2 s sleep right after a product
    (about 0.1 s with OpenBLAS's default spin on a multi-core machine, measured)."""
    code = ("import time, tinygrad_edu, numpy as np; a = np.ones((512, 512), np.float32); a @ a; "
            "c = time.process_time(); time.sleep(0.2); print(time.process_time() - c)")
    assert float(_python(code)) < 0.03
