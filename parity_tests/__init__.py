"""Parity tests: tinygrad_edu against PyTorch, op by op and (later) whole training runs."""
