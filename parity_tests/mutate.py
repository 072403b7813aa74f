"""Mutation check of the referee: does the parity suite notice a small bug in the derivative code?

    python -m parity_tests.mutate                 # every mutant (about 10 minutes on 2 cores)
    python -m parity_tests.mutate --list          # the catalogue, without running anything
    python -m parity_tests.mutate --only pow_exponent_guard maxpool_nan
    python -m parity_tests.mutate --quick         # survivors of the family tests are not re-run
                                                  # against the whole suite

Each mutant is one small textual change (a sign flip, a dropped term, a 0.1 % scaling, a changed
tie or boundary rule, sum instead of mean, overwrite instead of add, a skipped block, a changed
optimiser rule, a lost accumulation) in a copy of the repository. The tests of the mutant's family
run first (``-x``: the first failure kills it); a mutant that survives them is run against the
whole ``make test`` suite, and only a mutant that survives that is reported as a survivor. A
mutant whose text no longer matches the source is an error of this script, so the catalogue
cannot silently rot. Nothing in the working tree is modified.

The catalogue gives every ``backward`` in ``tinygrad_edu/ops`` at least one mutant
(``test_mutate.py`` checks that, and that every mutant still applies).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

E, RD, MV, MM, LS, PL, CV, NM = ("tinygrad_edu/ops/elementwise.py", "tinygrad_edu/ops/reduce.py",
                                  "tinygrad_edu/ops/movement.py", "tinygrad_edu/ops/matmul.py",
                                  "tinygrad_edu/ops/loss.py", "tinygrad_edu/ops/pool.py",
                                  "tinygrad_edu/ops/conv.py", "tinygrad_edu/ops/norm.py")
T_E, T_R, T_M, T_MM, T_L = ("parity_tests/test_elementwise.py", "parity_tests/test_reduce.py",
                            "parity_tests/test_movement.py", "parity_tests/test_matmul.py",
                            "parity_tests/test_loss.py")
T_P, T_C, T_N = "parity_tests/test_pool.py", "parity_tests/test_conv.py", "parity_tests/test_normalization.py"
RC, T_RNN = "tinygrad_edu/ops/recurrent.py", "parity_tests/test_rnn.py"
PAR, T_PAR = "tinygrad_edu/parallel.py", "parity_tests/test_parallel.py"
DATA, T_DATA = "tinygrad_edu/utils/data.py", "parity_tests/test_data.py"
SCHED, T_ADAM = "tinygrad_edu/optim/lr_scheduler.py", "parity_tests/test_optim_adam.py"
TRANSFORMS, T_TRANSFORMS = "tinygrad_edu/vision/transforms/functional.py", "parity_tests/test_transforms.py"
KERNELS = "tinygrad_edu/vision/transforms/array_kernels.py"
D2L, T_BOXES, T_COMPANION = "tinygrad_edu/d2l/", "parity_tests/test_boxes.py", "parity_tests/test_d2l_companion.py"


@dataclasses.dataclass(frozen=True)
class Mutant:
    """Replace the first ``old`` after ``anchor`` in ``path`` by ``new``. ``tests`` (the mutant's
    family) run first, restricted to ``-k k`` when ``k`` is given, then unrestricted."""
    name: str
    path: str
    anchor: str
    old: str
    new: str
    kind: str
    tests: tuple[str, ...]
    k: str = ""

    def apply(self, source: str) -> str:
        start = source.find(self.anchor)
        if start < 0:
            raise LookupError(f"mutant {self.name}: anchor {self.anchor!r} not found in {self.path}")
        at = source.find(self.old, start)
        if at < 0:
            raise LookupError(f"mutant {self.name}: {self.old!r} not found after {self.anchor!r} in {self.path}")
        return source[:at] + self.new + source[at + len(self.old):]


def _m(name: str, path: str, anchor: str, old: str, new: str, kind: str, *tests: str, k: str = "") -> Mutant:
    return Mutant(name, path, anchor, old, new, kind, tests, k)


SCALE, SIGN, DROP, TIE, SUM_MEAN, OVERWRITE, SKIP, RULE, ACCUM = (
    "0.1% scaling", "sign flip", "dropped term", "tie/boundary rule", "sum vs mean",
    "overwrite vs add", "skipped block", "update rule", "lost accumulation")

MUTANTS: list[Mutant] = [
    # ---- elementwise.py
    _m("unbroadcast_mean", E, "def unbroadcast", "grad.sum(axis=axes, keepdims=True)",
       "grad.mean(axis=axes, keepdims=True)", SUM_MEAN, T_E),
    _m("add_b_scaled", E, "class Add(", "unbroadcast(grad, sb)", "unbroadcast(grad * 1.001, sb)", SCALE, T_E),
    _m("sub_b_sign", E, "class Sub(", "unbroadcast(-grad, sb)", "unbroadcast(grad, sb)", SIGN, T_E),
    _m("mul_b_uses_b", E, "class Mul(", "unbroadcast(grad * a, b.shape)", "unbroadcast(grad * b, b.shape)",
       DROP, T_E),
    _m("div_b_scaled", E, "class Div(", "-grad * (y / b)", "-grad * (y / b) * 1.001", SCALE, T_E),
    _m("div_a_sign", E, "class Div(", "unbroadcast(grad / b, a_shape)", "unbroadcast(-grad / b, a_shape)", SIGN, T_E),
    _m("neg_sign", E, "class Neg(", "return -grad", "return grad", SIGN, T_E),
    _m("pow_base_guard", E, "class Pow(", "np.where(b == 0, 0, grad * b", "np.where(b == 1, 0, grad * b", TIE, T_E),
    _m("pow_base_exponent", E, "class Pow(", "np.power(a, b - 1)", "np.power(a, b - 1.001)", SCALE, T_E),
    _m("pow_exponent_guard", E, "class Pow(", "(a == 0) & (b >= 0)", "(a == 0) & (b > 0)", TIE, T_E),
    _m("pow_exponent_log", E, "class Pow(", "grad * y * np.log(a)", "grad * y * np.log(a) * 1.001", SCALE, T_E),
    _m("exp_scaled", E, "class Exp(", "return grad * y", "return grad * y * 1.001", SCALE, T_E),
    _m("log_scaled", E, "class Log(", "return grad / x", "return grad / x * 1.001", SCALE, T_E),
    _m("sqrt_factor", E, "class Sqrt(", "grad / (2 * y)", "grad / y", DROP, T_E),
    _m("abs_at_zero", E, "class Abs(", "grad * np.sign(x)", "grad * np.where(x >= 0, 1, -1).astype(grad.dtype)", TIE, T_E),
    _m("relu_at_zero", E, "class Relu(", "grad * (y > 0)", "grad * (y >= 0)", TIE, T_E),
    _m("sigmoid_term", E, "class Sigmoid(", "grad * (y * (1 - y))", "grad * (y * (1.001 - y))", SCALE, T_E),
    _m("tanh_square", E, "class Tanh(", "grad * (1 - y * y)", "grad * (1 - y)", DROP, T_E),
    _m("sin_scaled", E, "class Sin(", "grad * np.cos(x)", "grad * np.cos(x) * 1.001", SCALE, T_E),
    _m("cos_sign", E, "class Cos(", "-grad * np.sin(x)", "grad * np.sin(x)", SIGN, T_E),
    _m("maximum_tie", E, "class Maximum(", "0.5 * (a == b)", "1.0 * (a == b)", TIE, T_E),
    _m("minimum_tie", E, "class Minimum(", "0.5 * (a == b)", "0.0 * (a == b)", TIE, T_E),
    _m("split_b_scaled", E, "def _split", "grad * (1 - share_a)", "grad * (1.001 - share_a)", SCALE, T_E),
    _m("clamp_low_boundary", E, "class Clamp(", "inside &= x > lo", "inside &= x >= lo", TIE, T_E),
    _m("clamp_high_boundary", E, "class Clamp(", "inside &= x < hi", "inside &= x <= hi", TIE, T_E),
    _m("where_swapped", E, "class Where(", "np.where(cond, zero, grad)", "np.where(cond, grad, zero)", DROP, T_E),
    # ---- reduce.py
    _m("sum_scaled", RD, "class Sum(", "np.broadcast_to(grad.reshape(ctx.kept), ctx.in_shape)",
       "np.broadcast_to(grad.reshape(ctx.kept), ctx.in_shape) * 1.001", SCALE, T_R),
    _m("max_ties_not_split", RD, "class Max(", "(grad / winners.sum())", "grad", TIE, T_R),
    _m("take_along_scaled", RD, "class TakeAlongDim(", "grad.reshape(idx.shape)",
       "grad.reshape(idx.shape) * 1.001", SCALE, T_R),
    _m("cumsum_direction", RD, "class CumSum(", "np.flip(np.cumsum(flipped, axis=ctx.dim), axis=ctx.dim)",
       "np.cumsum(grad, axis=ctx.dim)", RULE, T_R),
    _m("norm2_scaled", RD, "class Norm(", "local = x / np.where(y == 0, 1, y)",
       "local = x / np.where(y == 0, 1, y) * 1.001", SCALE, T_R),
    _m("norm_inf_ties", RD, "class Norm(", "np.sign(x) * winners / winners.sum(", "np.sign(x) * winners / (0 * winners).sum(",
       TIE, T_R),
    _m("norm_p_exponent", RD, "class Norm(", "safe ** (p - 1)", "safe ** (p - 1.001)", SCALE, T_R),
    _m("norm1_at_zero", RD, "elif p == 1:", "local = np.sign(x)\n", "local = np.where(x >= 0, 1.0, -1.0)\n", TIE, T_R),
    _m("norm_inf_sign_at_zero", RD, "if p == np.inf:", "local = np.sign(x) * winners",
       "local = np.where(x >= 0, 1.0, -1.0) * winners", TIE, T_R),
    # ---- movement.py
    _m("reshape_order", MV, "class Reshape(", "return grad.reshape(ctx.in_shape)",
       "return np.ascontiguousarray(grad.reshape(ctx.in_shape[::-1]).T)", RULE, T_M),
    _m("permute_forward_order", MV, "class Permute(", "return grad.transpose(ctx.inverse)",
       "return grad.transpose(np.argsort(ctx.inverse))", RULE, T_M),
    _m("expand_mean", MV, "class Expand(", "return unbroadcast(grad, ctx.in_shape)",
       "return unbroadcast(grad, ctx.in_shape) / (grad.size / max(1, int(np.prod(ctx.in_shape))))",
       SUM_MEAN, T_M),
    _m("copy_dtype", MV, "class Copy(", "return grad.astype(ctx.in_dtype, copy=False)", "return grad", RULE, T_M),
    _m("index_overwrite", MV, "class Index(", "np.add.at(out, ctx.index, grad)", "out[ctx.index] = grad",
       OVERWRITE, T_M, "parity_tests/test_indexing.py"),
    _m("index_basic_scaled", MV, "class Index(", "out[ctx.index] = grad", "out[ctx.index] = grad * 1.001",
       SCALE, T_M),
    _m("index_put_keeps_overwritten", MV, "class IndexPut(", "target[ctx.steps[-1]] = 0",
       "target[ctx.steps[-1]] *= 1", DROP, "parity_tests/test_indexing.py", k="setitem"),
    _m("index_put_value_scaled", MV, "class IndexPut(", "return dx, unbroadcast(dv, ctx.fitted_shape)",
       "return dx, 1.001 * unbroadcast(dv, ctx.fitted_shape)", SCALE, "parity_tests/test_indexing.py", k="setitem"),
    _m("cat_order", MV, "class Cat(", "tuple(np.split(grad, ctx.bounds, axis=ctx.dim))",
       "tuple(np.split(grad, ctx.bounds, axis=ctx.dim))[::-1]", RULE, T_M),
    # ---- matmul.py
    _m("matmul_a_scaled", MM, "class MatMul(", "np.matmul(g, np.swapaxes(b2, -1, -2))",
       "np.matmul(g, np.swapaxes(b2, -1, -2)) * 1.001", SCALE, T_MM),
    _m("matmul_b_unbroadcast", MM, "class MatMul(", "unbroadcast(np.matmul(np.swapaxes(a2, -1, -2), g), b2.shape)",
       "unbroadcast(np.matmul(np.swapaxes(a2, -1, -2), g), b2.shape) / max(1, g.size // max(1, g.shape[-1] * g.shape[-2]))",
       SUM_MEAN, T_MM),
    _m("linear_bias_mean", MM, "class Linear(", "grad.sum(axis=0)", "grad.mean(axis=0)", SUM_MEAN, T_MM),
    _m("linear_weight_scaled", MM, "class Linear(", "grad.T @ x", "(grad.T @ x) * 1.001", SCALE, T_MM),
    _m("linear_input_scaled", MM, "class Linear(", "grad @ w if", "grad @ w * 1.001 if", SCALE, T_MM),
    # ---- loss.py
    _m("log_softmax_mean", LS, "class LogSoftmax(", "grad.sum(axis=ctx.dim, keepdims=True)",
       "grad.mean(axis=ctx.dim, keepdims=True)", SUM_MEAN, T_L),
    _m("log_softmax_dropped", LS, "class LogSoftmax(", "return grad - np.exp(y) * ", "return grad - 0 * ", DROP, T_L),
    _m("gather_overwrite", LS, "class Gather(", "np.add.at(out[ctx.block], tuple(grid), grad)",
       "out[ctx.block][tuple(grid)] = grad", OVERWRITE, T_M),
    # ---- pool.py
    _m("maxpool_nan", PL, "def first_max_masks", "hit |= np.isnan(v)", "pass", TIE, T_P),
    _m("maxpool_first_only", PL, "def first_max_masks", "hit &= unclaimed", "hit = hit", TIE, T_P),
    _m("maxpool_overwrite", PL, "class MaxPool2d(", "window += np.multiply(grad, hit, out=routed)",
       "window[...] = np.multiply(grad, hit, out=routed)", OVERWRITE, T_P),
    _m("avgpool_overwrite", PL, "class AvgPool2d(", "window += g", "window[...] = g", OVERWRITE, T_P),
    _m("pool_disjoint_off_by_one", PL, "def _scatter_buffer(", "disjoint = all(s >= span", "disjoint = all(s >= span - 1",
       TIE, T_P),
    _m("pool_tiling_ignores_size", PL, "def _scatter_buffer(", "and o * s == size", "", TIE, T_P),
    _m("pool_tiling_ignores_stride", PL, "def _scatter_buffer(", "all(s == k and o * s", "all(o * s", TIE, T_P),
    _m("avgpool_divisor", PL, "class AvgPool2d(", "in_memory_order(grad, ctx.order) / divisor",
       "in_memory_order(grad, ctx.order) / divisor.max()", TIE, T_P),
    # ---- parallel.py (the ops' work shared between threads)
    _m("split_skips_worker_part", PAR, "def split(", "for k in range(1, parts)]", "for k in range(2, parts)]",
       SKIP, T_PAR),
    _m("worker_without_error_state", PAR, "def split(", "_pool.submit(contextvars.copy_context().run, work,",
       "_pool.submit(work,", DROP, T_PAR),
    _m("batch_norm_part_reads_first_channels", NM, "def input_grad(", "d += through_mean[:, lo:hi]",
       "d += through_mean[:, :hi - lo]", TIE, T_PAR),
    # ---- conv.py
    _m("col2im_overwrite", CV, "def col2im", "wo, sw)] += dcols[start:stop, i, j]",
       "wo, sw)] = dcols[start:stop, i, j]",
       OVERWRITE, T_C),
    _m("weight_grad_skipped_block", CV, "def weight_grad", "for start in range(0, m, block):",
       "for start in range(block, m, block):", SKIP, T_C, "parity_tests/test_training.py"),
    _m("conv_bias_dropped", CV, "class Conv2d(", "db = grad.sum(axis=(0, 2, 3))",
       "db = grad[:, :, :1].sum(axis=(0, 2, 3))", DROP, T_C),
    _m("conv_input_scaled", CV, "class Conv2d(", "np.matmul(w_g.transpose(0, 2, 1), g)",
       "np.matmul(w_g.transpose(0, 2, 1), g) * 1.001", SCALE, T_C),
    _m("conv_weight_scaled", CV, "class Conv2d(", "dw = weight_grad(g, cols_g, w_shape)", "dw = weight_grad(g, cols_g, w_shape) * 1.001",
       SCALE, T_C),
    # ---- norm.py
    _m("normalize_dropped_term", NM, "class Normalize(", " - x_hat * mean_gx)", ")", DROP, T_N, T_L),
    _m("normalize_sum", NM, "class Normalize(", "mean_g = grad.mean(", "mean_g = grad.sum(", SUM_MEAN, T_N, T_L),
    _m("batchnorm_variance_path_dropped", NM, "class BatchNorm(", "through_var, through_mean, scale = inv_std * (sum_gx / m),",
       "through_var, through_mean, scale = 0 * inv_std,", DROP, T_N),
    _m("batchnorm_mean_path_sum", NM, "class BatchNorm(", "through_mean, scale = inv_std * (sum_gx / m), sum_g / m,",
       "through_mean, scale = inv_std * (sum_gx / m), sum_g,", SUM_MEAN, T_N),
    _m("batchnorm_gamma_grad_without_x_hat", NM, "class BatchNorm(", "d_gamma = sum_gx if", "d_gamma = sum_g if",
       DROP, T_N),
    _m("batchnorm_input_grad_unscaled", NM, "class BatchNorm(", "sum_g / m, gamma * inv_std", "sum_g / m, inv_std + 0 * gamma",
       DROP, T_N),
    # ---- unary.py, the rest of reduce.py, scatter.py, the transposed convolution, BCE (the ops added after the core)
    _m("tan_square", "tinygrad_edu/ops/unary.py", "class Tan(", "grad * (1 + y * y)", "grad * (1 + y)", DROP, T_E, k="tan"),
    _m("atan_sign", "tinygrad_edu/ops/unary.py", "class Atan(", "grad / (1 + x * x)", "grad / (1 - x * x)", SIGN, T_E, k="atan"),
    _m("asin_scaled", "tinygrad_edu/ops/unary.py", "class Asin(", "grad / np.sqrt(1 - x * x)",
       "grad / np.sqrt(1.001 - x * x)", SCALE, T_E, k="asin"),
    _m("acos_sign", "tinygrad_edu/ops/unary.py", "class Acos(", "-grad / np.sqrt(1 - x * x)",
       "grad / np.sqrt(1 - x * x)", SIGN, T_E, k="acos"),
    _m("sinh_uses_sinh", "tinygrad_edu/ops/unary.py", "class Sinh(", "grad * np.cosh(x)", "grad * np.sinh(x)", RULE, T_E,
       k="sinh"),
    _m("cosh_scaled", "tinygrad_edu/ops/unary.py", "class Cosh(", "grad * np.sinh(x)", "grad * np.sinh(x) * 1.001",
       SCALE, T_E, k="cosh"),
    _m("asinh_scaled", "tinygrad_edu/ops/unary.py", "class Asinh(", "grad / np.sqrt(x * x + 1)",
       "grad / np.sqrt(x * x + 1.01)", SCALE, T_E, k="asinh"),
    _m("acosh_sign", "tinygrad_edu/ops/unary.py", "class Acosh(", "grad / np.sqrt(x * x - 1)",
       "grad / np.sqrt(x * x + 1)", SIGN, T_E, k="acosh"),
    _m("atanh_square", "tinygrad_edu/ops/unary.py", "class Atanh(", "grad / (1 - x * x)", "grad / (1 - x)", DROP, T_E,
       k="atanh"),
    _m("log1p_dropped_one", "tinygrad_edu/ops/unary.py", "class Log1p(", "grad / (1 + x)", "grad / x", DROP, T_E,
       k="log1p"),
    _m("expm1_dropped_one", "tinygrad_edu/ops/unary.py", "class Expm1(", "grad * (y + 1)", "grad * y", DROP, T_E,
       k="expm1"),
    _m("erf_scaled", "tinygrad_edu/ops/unary.py", "class Erf(", "np.exp(-x * x)", "np.exp(-x * x) * 1.001", SCALE, T_E,
       T_L, k="erf or gelu"),
    _m("stepwise_passes_grad", "tinygrad_edu/ops/unary.py", "class Stepwise(", "return np.zeros_like(grad)",
       "return grad", RULE, T_E, k="rounding or div_rounding"),
    _m("remainder_b_sign", "tinygrad_edu/ops/unary.py", "class Remainder(", "-grad * np.floor_divide(a, b)",
       "grad * np.floor_divide(a, b)", SIGN, T_E, k="remainder"),
    _m("fmod_b_floor", "tinygrad_edu/ops/unary.py", "class Fmod(", "-grad * np.trunc(a / b)",
       "-grad * np.floor(a / b)", TIE, T_E, k="fmod"),
    _m("logcumsumexp_forward_sum", "tinygrad_edu/ops/unary.py", "class LogCumSumExp(",
       "np.flip(np.logaddexp.accumulate(np.flip(a, d), axis=d), d)", "np.logaddexp.accumulate(a, axis=d)",
       DROP, T_R, k="logcumsumexp"),
    _m("floor_divide_passes_grad", "tinygrad_edu/ops/unary.py", "class FloorDivide(",
       "np.zeros(sa, dtype=grad.dtype) if", "_sum_to(grad, sa) if", RULE, T_E, k="div_rounding"),
    _m("prod_left_only", RD, "class Prod(", "return g * left * right", "return g * left", DROP, T_R, k="prod"),
    _m("prod_all_scaled", RD, "class Prod(", "(grad * left * right).reshape(x.shape)",
       "(grad * left * right * 1.001).reshape(x.shape)", SCALE, T_R, k="prod"),
    _m("cumprod_diagonal", RD, "class CumProd(", "later | np.eye(n, dtype=bool)", "later", DROP, T_R, k="cumprod"),
    _m("scatter_self_not_zeroed", "tinygrad_edu/ops/scatter.py", "class Scatter(", "gx[where] = 0", "pass", RULE, T_M,
       k="scatter"),
    _m("scatter_src_scaled", "tinygrad_edu/ops/scatter.py", "class Scatter(", "= grad[where]", "= grad[where] * 1.001",
       SCALE, T_M, k="scatter"),
    _m("scatter_mean_count", "tinygrad_edu/ops/scatter.py", "class ScatterReduce(", "share = grad / np.where(hit, count, 1)",
       "share = grad", SUM_MEAN, T_M, k="scatter_reduce"),
    _m("scatter_amax_ties", "tinygrad_edu/ops/scatter.py", "class ScatterReduce(", "share = grad / np.maximum(winners, 1)",
       "share = grad", TIE, T_M, k="scatter_reduce"),
    _m("scatter_sum_self", "tinygrad_edu/ops/scatter.py", "class ScatterReduce(", "gx, gs = np.where(self_counts, grad, 0)",
       "gx, gs = grad", RULE, T_M, k="scatter_reduce"),
    _m("conv_transpose_dx_scaled", CV, "class ConvTranspose2d(", "dx = np.matmul(w_g, cols)",
       "dx = np.matmul(w_g * 1.001, cols)", SCALE, T_C, k="conv_transpose"),
    _m("conv_transpose_dw_scaled", CV, "class ConvTranspose2d(", "dw = weight_grad(x_g, cols, w.shape)",
       "dw = weight_grad(x_g, cols, w.shape) * 1.001", SCALE, T_C, k="conv_transpose"),
    _m("conv_transpose_bias_mean", CV, "class ConvTranspose2d(", "db = grad.sum(axis=(0, 2, 3))",
       "db = grad.mean(axis=(0, 2, 3))", SUM_MEAN, T_C, k="conv_transpose"),
    _m("bce_eps_dropped", LS, "class BinaryCrossEntropy(", "np.maximum(p * (1 - p), 1e-12)", "(p * (1 - p))", TIE,
       T_L, k="binary or bce"),
    _m("bce_target_sign", LS, "class BinaryCrossEntropy(", "(np.log1p(-p) - np.log(p))", "(np.log(p) - np.log1p(-p))",
       SIGN, T_L, k="binary or bce"),
    _m("einsum_scaled", MM, "class Einsum(", "g = np.einsum(\",\".join(terms)", "g = 1.001 * np.einsum(\",\".join(terms)",
       SCALE, T_MM, k="einsum"),
    _m("einsum_diagonal_dropped", MM, "class Einsum(", "out[where] = g", "out[where] = 0", DROP, T_MM, k="einsum"),
    _m("einsum_summed_letters_scaled", MM, "class Einsum(", "np.ones(tuple(sizes[c] for c in only_here), dtype=grad.dtype)",
       "np.full(tuple(sizes[c] for c in only_here), 1.001, dtype=grad.dtype)", SCALE, T_MM, k="einsum"),
    _m("scatter_prod_zero_rule", "tinygrad_edu/ops/scatter.py", "def _others(",
       "np.where(zeros == 1, nonzero_product, 0)", "np.where(zeros == 1, 0 * nonzero_product, 0)", TIE, T_M,
       k="scatter_reduce"),
    # ---- autograd: accumulation
    _m("paths_not_summed", "tinygrad_edu/autograd.py", "def backward(root", "grads[key] + pg", "pg", ACCUM,
       "parity_tests/test_autograd.py", "parity_tests/test_fuzz_graphs.py"),
    _m("inplace_keeps_earlier_uses_on_the_new_value", "tinygrad_edu/tensor.py", "def _record_inplace",
       "node.parents = tuple(old if p is self else p for p in node.parents)", "pass", SKIP,
       "parity_tests/test_autograd.py"),
    _m("grad_not_accumulated", "tinygrad_edu/tensor.py", "def _accumulate_grad",
       "np.add(self.grad.array, g, out=self.grad.array, casting=\"unsafe\")",
       "np.copyto(self.grad.array, g, casting=\"unsafe\")", ACCUM, "parity_tests/test_autograd.py"),
    # ---- recurrent.py (the fused layers: backpropagation through time by hand)
    _m("rnn_tanh_derivative_dropped", RC, "class RNNLayer(", "dh * (1 - h * h)", "dh",
       DROP, T_RNN),
    _m("bptt_state_gradient_dropped", RC, "class RNNLayer(", "dh_next = w_hh_t @ d",
       "dh_next = 0 * (w_hh_t @ d)", DROP, T_RNN),
    _m("gru_reset_gate_dropped", RC, "class GRULayer(", "step[2 * H:] *= r",
       "step[2 * H:] *= 1", DROP, T_RNN),
    _m("gru_update_gate_sign", RC, "class GRULayer(", "g * (h_prev[:, t] - n) * z",
       "g * (n - h_prev[:, t]) * z", SIGN, T_RNN),
    _m("lstm_forget_gate_dropped", RC, "class LSTMLayer(",
       "np.multiply(G, f[t], out=dc_next)", "np.copyto(dc_next, G)", DROP, T_RNN),
    _m("lstm_cell_gate_scaled", RC, "def _local_factors(",
       "np.subtract(1, jg, out=jg)", "np.subtract(1.001, jg, out=jg)", SCALE, T_RNN),
    _m("lstm_output_tanh_dropped", RC, "def _local_factors(",
       "np.subtract(1, K, out=K)", "K.fill(1)", DROP, T_RNN),
    _m("lstm_forget_factor_wrong_state", RC, "def _local_factors(",
       "np.multiply(ds[:, H:2 * H], c_prev,", "np.multiply(ds[:, H:2 * H], tanh_c,", RULE, T_RNN),
    _m("lstm_gates_not_reordered", RC, "def _stacked(",
       "enumerate((0, 1, 3, 2))", "enumerate((0, 1, 2, 3))", RULE, T_RNN),
    _m("lstm_bias_column_dropped", RC, "def _stacked(",
       "np.add(b_ih[block], b_hh[block], out=w[mine, inputs])", "w[mine, inputs] = b_ih[block]", DROP, T_RNN),
    _m("lstm_cell_state_gradient_ignored", RC, "class LSTMLayer(",
       "G += g_c[t]", "G += 0 * g_c[t]", DROP, T_RNN),
    _m("lstm_bias_grad_once", RC, "class LSTMLayer(",
       "db.copy() if needs[6]", "0 * db if needs[6]", DROP, T_RNN),
    _m("recurrent_bias_grad_once", RC, "def _parameter_grads(",
       "db_ih.copy() if da_h is da_x", "db_ih * 0 if da_h is da_x", DROP, T_RNN),
    # ---- optimisers
    _m("sgd_weight_decay_sign", "tinygrad_edu/optim/sgd.py", "def step", "g + group[\"weight_decay\"] * p.array",
       "g - group[\"weight_decay\"] * p.array", SIGN, "parity_tests/test_optim.py"),
    _m("sgd_dampening", "tinygrad_edu/optim/sgd.py", "def step", "(1 - dampening) * g", "g", RULE,
       "parity_tests/test_optim.py"),
    _m("sgd_nesterov", "tinygrad_edu/optim/sgd.py", "def step", "g + momentum * buf if", "momentum * buf if", DROP,
       "parity_tests/test_optim.py"),
    _m("adam_bias_correction", "tinygrad_edu/optim/adam.py", "def step", "math.sqrt(1 - beta2 ** t)", "1.0", DROP,
       "parity_tests/test_optim_adam.py"),
    _m("adamw_coupled", "tinygrad_edu/optim/adam.py", "def step", "p.array *= 1 - lr * wd", "g = g + wd * p.array",
       RULE, "parity_tests/test_optim_adam.py"),
    _m("adam_second_moment", "tinygrad_edu/optim/adam.py", "def step", "(1 - beta2) * g * g", "(1 - beta2) * g",
       DROP, "parity_tests/test_optim_adam.py"),
    # ---- bug classes that an outside catalogue found alive: each is killed by a test that draws
    # its boundary on purpose (sizes that divide, ties, defaults, fractional factors, odd margins)
    _m("dataloader_drop_last_full_batch", DATA, "def batch_indices", "stop = n - n % size if",
       "stop = n - (n % size or size) if", TIE, T_DATA),
    _m("dataloader_len_empty_batch", DATA, "def __len__(self) -> int:\n        n = len(self.dataset)",
       "else -(-n // self.batch_size)", "else n // self.batch_size + 1", TIE, T_DATA),
    _m("random_split_remainder_last", DATA, "def random_split", "counts[i % len(counts)] += 1",
       "counts[-1 - i % len(counts)] += 1", RULE, T_DATA),
    _m("concat_dataset_boundary", DATA, "class ConcatDataset", 'side="right"', 'side="left"', TIE, T_DATA),
    _m("lambda_lr_step_count", SCHED, "class LambdaLR", "f(self.last_epoch)", "f(self.last_epoch + 1)", RULE,
       T_ADAM),
    _m("adam_lerp_second_form", "tinygrad_edu/optim/adam.py", "def _lerp", "(end - start) * (1 - weight)",
       "(end - start) * weight", RULE, T_ADAM),
    _m("var_default_population", "tinygrad_edu/tensor_extra.py", "def var(", "(1 if unbiased is None or unbiased else 0)",
       "(0 if unbiased is None else 1 if unbiased else 0)", RULE, T_R, k="var"),
    _m("uint8_index_as_positions", "tinygrad_edu/indexing.py", "if arr.dtype == np.uint8:",
       "arr = arr.astype(np.bool_)", "arr = arr.astype(np.int64)", RULE, "parity_tests/test_indexing.py"),
    _m("scatter_excluded_self_tie", "tinygrad_edu/ops/scatter.py", "class ScatterReduce(",
       "winners = (x == out).astype(grad.dtype)", "winners = ((x == out) & self_counts).astype(grad.dtype)", TIE,
       "parity_tests/test_movement.py", k="scatter"),
    _m("pool_ceil_window_at_end", PL, "def pool_output_size", "(out - 1) * stride >= size + pad",
       "(out - 1) * stride > size + pad", TIE, T_P),
    _m("interpolate_scale_factor_ignored", "tinygrad_edu/nn/functional.py", "def _resize_positions",
       "scale = 1.0 / scale_factor if scale_factor else n_in / n_out", "scale = n_in / n_out", RULE,
       "parity_tests/test_conv.py", k="interpolate"),
    _m("center_crop_floor", TRANSFORMS, "def center_crop", "int(round((h - ch) / 2.0))", "(h - ch) // 2", TIE,
       T_TRANSFORMS),
    _m("multibox_prior_aspect", D2L + "detection.py", "def multibox_prior", ") * in_height / in_width", ")", DROP, T_BOXES),
    # ---- more of the surfaces the catalogue covered least: data utilities, schedulers,
    # transforms, the companion
    _m("subset_ignores_indices", DATA, "class Subset", "self.dataset[self.indices[index]]", "self.dataset[index]",
       RULE, T_DATA),
    _m("step_lr_first_epoch", SCHED, "class StepLR", "if self.last_epoch == 0 or", "if", TIE, T_ADAM),
    _m("multistep_lr_repeats_once", SCHED, "class MultiStepLR", "self.gamma ** self.milestones[self.last_epoch]",
       "self.gamma", RULE, T_ADAM),
    _m("cosine_lr_restart_sign", SCHED, "class CosineAnnealingLR", "(1 - math.cos(math.pi / self.T_max)) / 2",
       "(1 + math.cos(math.pi / self.T_max)) / 2", SIGN, T_ADAM),
    _m("normalize_multiplies", KERNELS, "def normalize", "return (arr - m) / s", "return (arr - m) * s", RULE,
       T_TRANSFORMS),
    _m("vflip_mirrors_columns", KERNELS, "def vflip", "arr[..., ::-1, :]", "arr[..., ::-1]", RULE, T_TRANSFORMS),
    _m("accuracy_argmax_axis", D2L + "linear_models.py", "def accuracy", "argmax(y_hat, axis=1)", "argmax(y_hat, axis=-2)", RULE,
       T_COMPANION),
    _m("seq_random_offset_range", D2L + "sequences.py", "def seq_data_iter_random", "random.randint(0, num_steps - 1)",
       "random.randint(0, num_steps)", TIE, T_COMPANION),
    _m("vocab_min_freq_boundary", D2L + "sequences.py", "class Vocab", "if freq < min_freq:", "if freq <= min_freq:", TIE,
       T_COMPANION),
    _m("offset_boxes_size_weight", D2L + "detection.py", "def offset_boxes", "wh = 5 * torch.log", "wh = 10 * torch.log", SCALE,
       T_COMPANION),
    _m("uint8_bilinear_truncates", "tinygrad_edu/nn/resize_uint8.py", "def _resize_axis",
       "1 << (bits - 1) if bits else 0", "0", TIE, "parity_tests/test_interpolate_int.py"),
    _m("uint8_bilinear_height_first", "tinygrad_edu/nn/resize_uint8.py", "def bilinear_uint8",
       "wide = _resize_axis(x, 3, size[1], align_corners, scale_factors[1])\n    return _resize_axis(wide, 2, size[0], align_corners, scale_factors[0])",
       "tall = _resize_axis(x, 2, size[0], align_corners, scale_factors[0])\n    return _resize_axis(tall, 3, size[1], align_corners, scale_factors[1])",
       RULE, "parity_tests/test_interpolate_int.py"),
    _m("svg_display_ignored", D2L + "plotting.py", "def use_svg_display", 'set_matplotlib_formats("svg")',
       'set_matplotlib_formats("png")', RULE, "parity_tests/test_notebook_display.py"),
    _m("animator_not_cleared", D2L + "plotting.py", "class Animator", "display.clear_output(wait=True)", "pass", SKIP,
       "parity_tests/test_notebook_display.py"),
    _m("grad_clipping_scale", D2L + "sequences.py", "def grad_clipping", "g[:] *= theta / norm",
       "g[:] *= theta / (norm * norm)", RULE, T_COMPANION),
    _m("residual_edition_by_count", D2L + "convolutions.py", "def _edition_one_residual",
       "return isinstance(args[1], bool)", "return not isinstance(args[1], int)", RULE,
       "parity_tests/test_d2l_editions.py"),
    _m("dropout_keeps_the_dropped", "tinygrad_edu/nn/functional.py", "def dropout",
       "binomial(1, 1.0 - p, input.shape)", "binomial(1, p, input.shape)", RULE, "parity_tests/test_d2l_compat.py",
       k="ch_v1_10_7"),
    _m("sorted_vocab_unsorted", D2L + "recurrent.py", "class _SortedVocab", "self.idx_to_token = sorted(self.idx_to_token)",
       "self.idx_to_token = list(self.idx_to_token)", RULE, "parity_tests/test_d2l_editions.py"),
]


# ----------------------------------------------------------------------------- running

def _copy_repository(dest: Path) -> None:
    """The tracked and untracked-but-not-ignored files, as CI's clean clone would see them."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


def _env() -> dict[str, str]:
    env = os.environ.copy()
    env.update(HYPOTHESIS_PROFILE="ci", PYTHONDONTWRITEBYTECODE="1", OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


def _pytest(copy: Path, args: list[str], timeout: int) -> tuple[str, str]:
    """Run pytest in ``copy``; returns ('killed' | 'survived' | 'error', last output line)."""
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *args]
    try:
        proc = subprocess.run(cmd, cwd=copy, env=_env(), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "killed", f"timed out after {timeout} s (counted as killed: a hang is noticed)"
    tail = (proc.stdout.strip().splitlines() or [""])[-1]
    if proc.returncode == 0:
        return "survived", tail
    if proc.returncode == 1:
        return "killed", tail
    return "error", tail + "\n" + proc.stdout[-2000:] + proc.stderr[-2000:]


def run_mutant(mutant: Mutant, copy: Path, confirm: bool) -> dict:
    target = copy / mutant.path
    original = (ROOT / mutant.path).read_text()
    target.write_text(mutant.apply(original))
    t0 = time.perf_counter()
    try:
        verdict, by = "survived", ""
        if mutant.k:
            verdict, tail = _pytest(copy, ["-n", "0", *mutant.tests, "-k", mutant.k], timeout=900)
            by = f"family tests -k {mutant.k!r}"
        if verdict == "survived":
            verdict, tail = _pytest(copy, ["-n", "0", *mutant.tests], timeout=900)
            by = "family tests"
        if verdict == "survived" and confirm:
            verdict, tail = _pytest(copy, ["-n", "0"], timeout=1800)
            by = "whole suite"
    finally:
        target.write_text(original)
    return {"name": mutant.name, "kind": mutant.kind, "path": mutant.path, "verdict": verdict, "by": by,
            "detail": tail, "seconds": round(time.perf_counter() - t0, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parity_tests.mutate", description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print the catalogue and exit")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these mutants")
    parser.add_argument("--quick", action="store_true", help="do not re-run survivors against the whole suite")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run in parallel (one core each)")
    parser.add_argument("--out", default="out/mutation.json")
    args = parser.parse_args(argv)

    names = [m.name for m in MUTANTS]
    if len(set(names)) != len(names):
        raise SystemExit("duplicate mutant names in the catalogue")
    chosen = MUTANTS
    if args.only:
        unknown = set(args.only) - set(names)
        if unknown:
            raise SystemExit(f"unknown mutants: {sorted(unknown)}; see --list")
        chosen = [m for m in MUTANTS if m.name in args.only]
    for m in chosen:  # every mutant must still apply and change something
        source = (ROOT / m.path).read_text()
        if m.apply(source) == source:
            raise SystemExit(f"mutant {m.name} changes nothing")
    if args.list:
        for m in chosen:
            print(f"{m.name:28s} {m.kind:18s} {m.path}: {m.old!r} -> {m.new!r}")
        return 0

    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        copies = []
        for i in range(max(1, args.jobs)):
            copy = Path(tmp) / f"copy{i}"
            _copy_repository(copy)
            probe = subprocess.run([sys.executable, "-c", "import tinygrad_edu; print(tinygrad_edu.__file__)"],
                                   cwd=copy, env=_env(), capture_output=True, text=True)
            if not probe.stdout.strip().startswith(str(copy)):
                raise SystemExit(f"the copy's tinygrad_edu is not the one imported: {probe.stdout}{probe.stderr}")
            copies.append(copy)
        free = list(copies)
        results = []
        with concurrent.futures.ThreadPoolExecutor(len(copies)) as pool:
            def job(mutant: Mutant) -> dict:
                copy = free.pop()
                try:
                    return run_mutant(mutant, copy, confirm=not args.quick)
                finally:
                    free.append(copy)
            for i, result in enumerate(pool.map(job, chosen)):
                results.append(result)
                print(f"[{i + 1}/{len(chosen)}] {result['name']:28s} {result['verdict']:8s} "
                      f"({result['by']}, {result['seconds']} s) {result['detail'][:90]}", flush=True)

    killed = [r for r in results if r["verdict"] == "killed"]
    survivors = [r for r in results if r["verdict"] == "survived"]
    errors = [r for r in results if r["verdict"] == "error"]
    score = len(killed) / max(1, len(killed) + len(survivors))
    print(f"\n{len(killed)} of {len(results)} mutants killed ({100 * score:.1f} % of those that ran cleanly); "
          f"{len(survivors)} survived{'' if args.quick else ' the whole suite'}; {len(errors)} errors")
    for r in survivors:
        print(f"  survivor: {r['name']} ({r['kind']}, {r['path']})")
    for r in errors:
        print(f"  error: {r['name']}: {r['detail'][:500]}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"killed": len(killed), "survived": len(survivors), "errors": len(errors),
                               "score": score, "results": results}, indent=1))
    print(f"wrote {out}")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
