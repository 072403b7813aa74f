"""Benchmarks: tinygrad_edu (NumPy) against PyTorch, per op and (later) per training epoch."""
