"""Hypothesis profiles and torch settings shared by every parity test.

HYPOTHESIS_PROFILE=ci (default) keeps `make test` to a few minutes on 2 cores and draws the same
examples on every run; HYPOTHESIS_PROFILE=thorough draws at least 500 fresh examples per test.
"""
import os

import torch
from hypothesis import HealthCheck, settings

_common = dict(deadline=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# ci: derandomized, so a given commit always draws the same examples (CI is reproducible and a
# green run stays green); thorough and dev draw fresh random examples every run.
settings.register_profile("ci", max_examples=40, derandomize=True, **_common)
settings.register_profile("thorough", max_examples=500, **_common)
settings.register_profile("dev", max_examples=10, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Compare against exact float32 on CUDA: TF32 would round matmul/conv inputs to 10 mantissa bits.
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
torch.use_deterministic_algorithms(False)

# Under pytest-xdist each worker gets one thread: 2 workers x (2 BLAS + 2 torch threads) on a
# 2-core machine oversubscribe it and torch's OpenMP spin-waits make training tests ~10x slower.
# (Timings are never asserted in tests; benchmarks/ measures speed with full threads.)
if os.environ.get("PYTEST_XDIST_WORKER"):
    torch.set_num_threads(1)
