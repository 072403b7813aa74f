"""How the chapters that train are compared, so that the comparison holds whatever BLAS kernel and
thread count run the products.

Why a float32 tolerance on trained values cannot work: the book trains at learning rates up to 1
for tens of steps, through ReLU, dropout and max-pooling, which route by comparisons. Two float32
runs of the same code whose products sum in another order (another OpenBLAS kernel: Haswell,
SkylakeX, Zen; another thread count; MKL or Accelerate) start one ulp apart. Most of the time
the gap grows smoothly (to ~1e-7 after 30 steps here); but when a pre-activation lies within that
gap of zero, one run keeps a unit the other drops, and from that step on the runs differ by a
whole unit's gradient: 4.6's dropout MLP under OpenBLAS's Haswell kernel ends 1.5e-3 apart in
loss, 7.9e-3 in a weight and 13 of 768 test images, against 1.6e-7 under SkylakeX. Whether such
a flip happens depends on the kernel, not on the code being right, and no bound measured on one
machine holds on the next; a bound loose enough for every flip would hide real bugs.

So each training chapter (``TRAJECTORIES``) is compared in two runs per framework:

1. **float64: every result, tightly** (``FLOAT64``). Both frameworks run the chapter with their
   default float dtype set to float64; the random numbers are the float32 draws of the float32 run,
   cast (``d2l_compat.float32_draws``), so it is the same run at another precision. Summation
   order then moves results by 1e-16, and a flip needs a pre-activation within ~1e-16 of zero,
   which the book's data rarely produce (14.7's class error, a metric over 33,024 nearly tied
   anchors, is the exception: ``F64_COUNTS``); growth over the book's steps takes 1e-16 to at most
   ~1e-12 (measured largest: 1.2e-12, 7.5's running mean), so ``F64`` = rtol 1e-9, atol 1e-12
   leaves three orders of magnitude and is still 1e5 times tighter than any wrong derivative
   moves a trained value (a gradient 1 % off moves them by 1e-4 or more).
2. **float32: the book's dtype, compared up to the first step that can flip.** Everything the
   chapter computes before training (its tensors, untrained outputs, shapes) is compared as in
   the other chapters (rtol 2e-5, atol 1e-6). Trained values (``TRAINED``) must have torch's
   dtype and shape and be finite; their values are compared in float64 (1.).

Three chapters cannot run in float64 and train smoothly: LeNet (6.6) feeds a float32 image to the
float64 network in its shape printout, and torch refuses mixed dtypes there (so do the 1.0
edition's RNN sections, with their float32 one-hot inputs; ``PERTURBED_DRAWS``). Its network has no comparison in
training (sigmoid and average pooling; argmax only counts accuracy), so its float32 trajectory
grows smoothly, and its trained values get a bound from torch's own sensitivity (``PERTURBED``):
a second torch float32 run whose input images each move by one float32 ulp (the size of one
product summed in another order) gives ``d`` per result, and |ours - torch| <= ``FACTOR`` d
(FACTOR 4: the triangle inequality gives 2, and one rounding sequence may land twice as far as
another), never below the few-ops bound (for the RNN sections the perturbed run's initial weights
move by one ulp instead, their inputs being exact indices). Accuracy counts (a count of argmax hits over ``n``
examples) get ``FACTOR`` times torch's own difference in samples, at least ``FACTOR`` samples.

Checked against injected bugs (the linear layer's weight gradient scaled by 1.01):
``test_trajectory_bounds_catch_a_wrong_gradient`` in test_d2l_compat.py runs 4.6 (float64) and
6.6 (float32) with it and expects both to fail.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

import numpy as np

from . import d2l_compat
from .d2l_compat import run_chapter

FACTOR = 4
F64 = dict(rtol=1e-9, atol=1e-12)
FLOOR = dict(rtol=2e-5, atol=1e-6)

# Trained results of each training chapter (top-level RESULTS keys).
TRAINED = {
    "ch03_2_linear_regression_scratch": {"w", "b", "epoch_losses", "w_error", "b_error"},
    "ch03_6_softmax_scratch": {"train_ch3", "W", "b", "pairs"},
    "ch03_7_softmax_concise": {"train_ch3", "weight", "bias"},
    "ch04_2_mlp_scratch": {"train_ch3", "W1", "b2"},
    "ch04_3_mlp_concise": {"train_ch3", "state"},
    "ch04_5_weight_decay": {"scratch_0", "scratch_3", "concise_0", "concise_3"},
    "ch04_6_dropout": {"train_ch3", "lin3"},
    "ch06_6_lenet": {"train_ch6", "conv1", "out"},
    "ch07_5_batch_norm": {"scratch", "gamma_beta", "moving", "concise", "bn_state"},
    "ch14_7_ssd": {"class_err", "bbox_mae"},
    "ch14_7_ssd_bananas": {"class_err", "bbox_mae"},
    "ch14_2_fine_tuning": {"fine_tuned", "scratch"},
    "ch14_11_fcn": {"final_conv", "transpose_conv", "predictions"},
    "ch14_12_neural_style": {"output"},
    "ch_v1_03_4_linear_regression_scratch": {"w", "b", "board"},
    "ch_v1_03_5_linear_regression_concise": {"w", "b", "board"},
    "ch_v1_03_7_weight_decay": {"scratch_norms", "concise_norm", "w_b", "board"},
    "ch_v1_04_4_softmax_scratch": {"W", "b", "board", "labels"},
    "ch_v1_04_5_softmax_concise": {"weight", "board"},
    "ch_v1_07_6_lenet": {"conv1", "out", "board"},
    "ch_v1_09_1_sequence": {"w_b", "board", "onestep", "multistep", "kstep"},
    "ch_v1_09_6_rnn_concise": {"after", "linear", "w_hh", "board"},
    "ch_v1_09_5_rnn_scratch": {"trained", "prediction"},
    "ch_v1_10_3_deep_rnn": {"scratch", "gru", "prediction"},
    "ch_v1_10_1_lstm": {"scratch", "concise", "prediction"},
    "ch_v1_10_2_gru": {"scratch", "concise", "prediction"},
    "ch_v1_10_7_seq2seq": {"dense", "w_hh_l1", "board", "preds", "translations", "bleu"},
    # 8.6's ResNeXt block output: three convolutions with batch statistics over 1.2M values of
    # magnitude up to ~5, summed with its input: float32 places them a few ulps of 5 (~2e-6)
    # apart, beyond the few-ops atol; its value is compared in the float64 run.
    "ch_v1_08_6_resnet": {"b1", "last", "bn", "board", "resnext"},
    "ch_v1_08_1_alexnet": {"conv1", "out", "board"},
    "ch_v1_08_2_vgg": {"conv1", "out", "board"},
    "ch_v1_08_3_nin": {"conv1", "out", "board"},
    "ch_v1_05_6_dropout": {"scratch", "concise"},
    "ch_v1_05_2_mlp_implementation": {"scratch", "concise"},
    "ch_v1_05_7_kaggle_house_price": {"val_losses", "weights", "biases", "ensemble"},
    "ch_v1_08_5_batch_norm": {"scratch", "concise"},
    "ch_v1_08_7_densenet": {"conv1", "last", "bn", "board"},
    "ch_v1_08_8_regnet": {"stem", "grouped", "head", "board"},
    "ch_v1_08_4_googlenet": {"conv1", "inception", "out", "board"},
    "ch_v1_11_4_bahdanau": {"dense", "w_v", "board", "preds", "translations", "attention"},
    "ch_v1_11_8_vit": {"patch", "cls", "pos", "head", "board"},
    "ch_v1_11_7_transformer": {"dense", "board", "preds", "translations", "enc_attention", "dec_self",
                               "dec_inter"},
    "ch14_13_kaggle_cifar10": {"net", "preds"},
    "ch14_14_kaggle_dog": {"output_new", "preds"},
    "ch08_5_rnn_scratch": {"perplexity"},
    "ch08_6_rnn_concise": {"perplexity"},
    "ch09_1_gru": {"scratch", "concise"},
    "ch09_2_lstm": {"scratch", "concise"},
    "ch14_1_augmentation": {"train_with_data_aug"},
    "ch14_1_image_augmentation": {"net"},
}
PERTURBED = {"ch06_6_lenet"}
# The 1.0 edition's RNN sections one-hot their input as float32 (``.type(torch.float32)``), which
# torch refuses to feed a float64 network, so they cannot run in float64 either. Their training is
# smooth as LeNet's (tanh and GRU gates, no ReLU or pooling; the gradient clipping compares a norm
# with 1, which a one-ulp change crosses only at an exact tie), so they get the same bound; their
# inputs are exact (character indices), so the perturbed torch run moves the initial weights by
# one ulp instead (``d2l_compat.perturbed_draws``).
PERTURBED_DRAWS = {"ch_v1_09_5_rnn_scratch", "ch_v1_09_6_rnn_concise", "ch_v1_10_1_lstm", "ch_v1_10_2_gru", "ch_v1_10_3_deep_rnn"}
# 9.1 builds its series as sin(0.01 * t) of a float32 t (``dtype=d2l.float32``), whatever the
# default dtype: torch's float32 sin and NumPy's differ in the last bit for 18 % of the 1000 times,
# so no float64 run of it is the same run on both sides. Its model is a linear regression, whose
# training is smooth; the perturbed run moves its noise draws by one ulp, as sin moves the series.
PERTURBED_DRAWS.add("ch_v1_09_1_sequence")
# 5.7 reads its houses as float32 (``dtype=d2l.float32``) whatever the default dtype, which torch
# refuses to feed a float64 network; its model is a linear regression, trained smoothly, so the
# perturbed run moves its initial weights by one ulp (checked as test_trajectory_bounds_catch_a_
# wrong_gradient does: with the linear layer's weight gradient 1 % too large, its comparison fails).
PERTURBED_DRAWS.add("ch_v1_05_7_kaggle_house_price")
PERTURBED |= PERTURBED_DRAWS
# 14.7 on the banana stand-in ends by feeding ``read_image(...).float()`` (float32) to the trained
# network, 14.11's VOC data normalise ``img.float() / 255`` and 14.1's CIFAR-10 loader ends in
# ``ToTensor`` (float32): torch refuses all three in a float64 run. 14.7's training is the same code
# as ch14_7_ssd's and 14.1's the same as ch14_1_augmentation's, both compared in float64 there; in
# all three the untrained values are compared and the trained ones checked for kind and finiteness.
FLOAT32_ONLY = {"ch14_7_ssd_bananas", "ch14_11_fcn", "ch14_1_image_augmentation"}
# 11.7 builds a float32 tensor (``dtype=torch.float32``) for its layer-norm example, which torch
# refuses to normalise with float64 parameters, and its positional table is computed in float32
# by the book's own code (torch's float32 pow and sin differ from NumPy's in the last bit), so no
# float64 run of it is the same run on both sides; its training routes through ReLU and dropout,
# so the perturbed bound does not apply either. Its untrained blocks, norms and FFN are compared;
# the encoder's forward and every gradient are compared in float64 in test_d2l_editions.py.
FLOAT32_ONLY.add("ch_v1_11_7_transformer")
# 10.2's concise GRU (nn.GRU at lr 4, clipped) ends 5.2e-5 from torch in 14 of its 896 output
# weights, where torch's own one-ulp-perturbed run moves them 3.5e-6: its trajectory is more
# sensitive to the rounding of every step than to one rounding at the start. nn.GRU itself is not
# the cause: its float32 forward and gradients are as close to a float64 reference as torch's
# (weight_hh 3.7e-7 against torch's 1.7e-7, relative), the op's rows compare it in float64, and the
# same layer trains to 1e-9 in float64 in the 0.17 edition's 9.1 (make test-slow). Its trained
# values are checked for dtype, shape and finiteness; the scratch GRU before it keeps the bound.
KIND_ONLY = {"ch_v1_10_2_gru": {"concise"}}
FLOAT64 = set(TRAINED) - PERTURBED - FLOAT32_ONLY
TRAJECTORIES = set(TRAINED)

# 6.6's accuracies: train_ch6 returns (loss, train accuracy, test accuracy), each accuracy over
# 3 batches of 256 images.
# 14.7's class error counts argmax hits over 33,024 anchors per epoch (3 batches x 32 canvases x
# 344 anchors) whose 11 class scores start nearly equal: among that many, a few are tied to within
# float64's summation-order noise and flip (one anchor, 3e-5, at epoch 10 in float64); the count may
# differ by FACTOR anchors, while the box error (continuous) and every weight keep F64.
F64_COUNTS = {"ch14_7_ssd": {"class_err": 33024}, "ch14_7_ssd_bananas": {"class_err": 12 * 5444}}
# 14.7 routes through ReLU and max-pooling over canvases that are mostly exact zeros, so even in
# float64 a near-tie flips a routing at some step: the runs agree to 1e-9 through epoch 5 and then
# part (bbox MAE 7e-3 apart by epoch 10). Its float64 comparison covers the epochs before that.
F64_EPOCHS = {"ch14_7_ssd": {"class_err": 5, "bbox_mae": 5}}
# 8.8 (RegNetX) feeds Fashion-MNIST's constant black backgrounds through 21 batch norms: torch's
# float64 batch norm there is 4e-12 from the exact result (computed in long double; ours: 1.4e-14),
# and after two steps at lr 0.05 the stem's weights differ by up to 5e-11 (relative 2.3e-9). The
# bound is a few hundred times that and still 1e4 times below what a gradient 1 % off moves a
# weight here (checked: test_trajectory_bounds_catch_a_wrong_gradient).
F64_BOUNDS = {"ch_v1_08_8_regnet": dict(rtol=1e-6, atol=1e-8)}
COUNTS = {"ch06_6_lenet": {"['train_ch6'][1]": 768, "['train_ch6'][2]": 768}}


def leaves(results: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) for every leaf of a RESULTS structure, paths written as the test prints them."""
    if isinstance(results, dict):
        for k, v in results.items():
            yield from leaves(v, f"{path}[{k!r}]")
    elif isinstance(results, (list, tuple)) and not _is_shape(results):
        for i, v in enumerate(results):
            yield from leaves(v, f"{path}[{i}]")
    else:
        yield path, results


def _is_shape(v: Any) -> bool:
    return isinstance(v, tuple) and all(isinstance(x, int) for x in v) and len(v) <= 8


def _is_float(v: Any) -> bool:
    return isinstance(v, float) or (isinstance(v, np.ndarray) and v.dtype.kind == "f")


def _parent(path: str) -> str:
    """The list a value belongs to: "['train_ch6'][0]" -> "['train_ch6']"."""
    last = path.rfind("[")
    return path[:last] if last > 0 and path[last + 1:-1].isdigit() else path


def spreads(run: dict[str, Any], other: dict[str, Any], counted: dict[str, int]) -> dict[str, float]:
    """Largest |run - other| per float result; a scalar in a list or tuple of scalars takes the
    largest over its list, so that one lucky scalar does not make its own bound tiny."""
    a, b = dict(leaves(run)), dict(leaves(other))
    out = {p: float(np.max(np.abs(np.asarray(x, np.float64) - np.asarray(b[p], np.float64)), initial=0))
           for p, x in a.items() if _is_float(x) and p not in counted}
    by_list: dict[str, float] = {}
    for p, d in out.items():
        if np.ndim(a[p]) == 0:
            by_list[_parent(p)] = max(by_list.get(_parent(p), 0.0), d)
    return {p: max(d, by_list.get(_parent(p), 0.0)) if np.ndim(a[p]) == 0 else d for p, d in out.items()}


def check_counts(ours: float, theirs: float, n: int, slack: int, where: str) -> None:
    diff = abs(round(ours * n) - round(theirs * n))
    assert diff <= slack, f"{where}: {ours} != torch's {theirs}: {diff} of {n} examples differ (allowed: {slack})"


def _trained(path: str, keys: set[str]) -> bool:
    return any(path.startswith(f"[{k!r}]") for k in keys)


def check_trajectory(name: str, figure_dir: str, compare: Callable[..., None],
                     not_compared: Optional[set[str]] = None) -> None:
    """Run a training chapter on both frameworks and compare as described above."""
    skip = not_compared or set()

    def run(backend: str, **kwargs: Any) -> dict[str, Any]:
        return {k: v for k, v in run_chapter(name, backend, figure_dir=figure_dir, **kwargs).items() if k not in skip}

    if name in FLOAT64:
        ours64, theirs64 = run("ours", dtype="float64"), run("torch", dtype="float64")
        for key, epochs in F64_EPOCHS.get(name, {}).items():
            ours64[key], theirs64[key] = ours64[key][:epochs], theirs64[key][:epochs]
        for key, n in F64_COUNTS.get(name, {}).items():
            for i, (x, y) in enumerate(zip(ours64.pop(key), theirs64.pop(key), strict=True)):
                check_counts(x, y, n, FACTOR, f"{name} (float64)[{key!r}][{i}]")
        compare(ours64, theirs64, f"{name} (float64)", F64_BOUNDS.get(name, F64))
    theirs, ours = run("torch"), run("ours")
    noise: dict[str, float] = {}
    counted = COUNTS.get(name, {})
    if name in PERTURBED:
        with d2l_compat.perturbed_draws() if name in PERTURBED_DRAWS else d2l_compat.perturbed_images():
            perturbed = run("torch")
        noise, reference = spreads(theirs, perturbed, counted), dict(leaves(perturbed))
    a, b = dict(leaves(ours)), dict(leaves(theirs))
    assert set(a) == set(b), f"{name}: results {sorted(set(a) ^ set(b))} on one side only"
    for path, x in a.items():
        where = f"{name} (float32){path}"
        if not _trained(path, TRAINED[name]):
            compare(x, b[path], where, FLOOR)
        elif path in counted:
            n = counted[path]
            torch_own = abs(round(b[path] * n) - round(reference[path] * n))
            check_counts(x, b[path], n, FACTOR * max(torch_own, 1), where)
        elif name in PERTURBED and _is_float(x) and not _trained(path, KIND_ONLY.get(name, set())):
            compare(x, b[path], where, dict(rtol=FLOOR["rtol"], atol=max(FLOOR["atol"], FACTOR * noise[path])))
        elif _is_float(x):
            _same_kind(x, b[path], where)
            assert np.all(np.isfinite(x)), f"{where}: not finite after training: {x}"
        else:
            _same_kind(x, b[path], where)


def _same_kind(ours: Any, theirs: Any, where: str) -> None:
    if isinstance(theirs, np.ndarray):
        assert isinstance(ours, np.ndarray) and ours.shape == theirs.shape and ours.dtype == theirs.dtype, \
            f"{where}: {getattr(ours, 'dtype', type(ours))}{getattr(ours, 'shape', '')} != torch's " \
            f"{theirs.dtype}{theirs.shape}"
    else:
        assert type(ours) is type(theirs), f"{where}: {type(ours).__name__} != torch's {type(theirs).__name__}"
