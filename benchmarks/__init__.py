"""Benchmarks: tinygrad_edu (NumPy) against PyTorch, per op and (later) per training epoch."""
# tinygrad_edu before NumPy: importing it first lets it shorten OpenBLAS's spinning before NumPy
# loads OpenBLAS, which its threaded elementwise ops need (tinygrad_edu/parallel.py).
import tinygrad_edu  # noqa: F401
