"""One training epoch of a d2l model on one backend, in its own process (so that its peak memory
is its own). Prints one JSON line.

    python -m benchmarks.epoch --model lenet --backend numpy [--epochs 3] [--steps N] [--device cpu]

The language models of ch. 8-9 (``rnn_scratch``, ``rnn``, ``gru``, ``lstm``) time one epoch of
d2l's ``train_epoch_ch8`` at the book's settings: The Time Machine's first 10,000 characters,
batch 32, 35 steps, sequential sampling, the book's hidden sizes, lr 1, clipping at 1; the
examples counted are tokens.
"""
from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import sys
import time


import tinygrad_edu as tg
from tinygrad_edu import training
from tinygrad_edu.data import DataLoader, load_fashion_mnist
from tinygrad_edu.models import build

LR = {"softmax_regression": 0.1, "mlp": 0.1, "lenet": 0.9, "lenet_relu": 0.1, "lenet_bn": 1.0, "resnet18": 0.05}
SIZED = ("lenet_bn", "resnet18")  # ch. 7 builders: 28x28 inputs
LANGUAGE = {"rnn_scratch": "scratch", "rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}  # ch. 8-9, lr 1


def rss_mb() -> float:
    """This process's peak resident set size in MB.

    On Linux it is the kernel's high-water mark of this process's own memory (VmHWM in
    /proc/self/status). Not ``getrusage``'s ru_maxrss: Linux carries that over from the parent
    across fork and exec, so every epoch process started by ``python -m benchmarks`` reported
    the driver's peak (the same 1,236 MB for every model in the 2026-11-25 run of record).
    Elsewhere ru_maxrss is all there is (kB on Linux, bytes on macOS).
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 ** 2 if sys.platform == "darwin" else peak / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True, choices=list(LR) + list(LANGUAGE))
    parser.add_argument("--backend", required=True, choices=["numpy", "torch"])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs (median reported)")
    parser.add_argument("--steps", type=int, default=0, help="limit each epoch to this many batches")
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args()
    if args.threads:
        tg.set_num_threads(args.threads)  # tinygrad_edu's elementwise threads, as torch gets below
    if args.model in LANGUAGE:
        return language_epoch(args)

    data = load_fashion_mnist()
    X, y = data.arrays("train")
    tg.manual_seed(0)
    size = {"size": 28} if args.model in SIZED else {}
    model = build(args.model, tg.nn, **size)
    lib, device = tg, None
    if args.backend == "torch":
        import torch

        import reference
        if args.threads:
            torch.set_num_threads(args.threads)
        model = reference.model_to_torch(model, args.model, args.device, **size)
        lib, device = torch, args.device
    optimizer = lib.optim.SGD(model.parameters(), lr=LR[args.model])
    loss_fn = lib.nn.CrossEntropyLoss()
    loader = DataLoader(X, y, batch_size=args.batch_size, shuffle=True, seed=0, as_tensors=False)
    sync = None
    if args.backend == "torch" and args.device == "cuda":
        import torch
        sync = torch.cuda.synchronize

    gc.collect()
    gc.freeze()  # as in benchmarks/__main__.py: imports' objects are not rescanned by the cyclic GC
    # warm-up: a few steps (they also move the weights, identically on both backends)
    for idx in loader.batch_indices()[:5]:
        training.train_step(model, X[idx], y[idx], loss_fn, optimizer, lib, device)
    baseline = rss_mb()
    seconds, examples = [], 0
    for _ in range(args.epochs):
        batches = loader.batch_indices()
        if args.steps:
            batches = batches[:args.steps]
        examples = sum(len(b) for b in batches)
        t0 = time.perf_counter()
        for idx in batches:
            training.train_step(model, X[idx], y[idx], loss_fn, optimizer, lib, device)
        if sync:
            sync()
        seconds.append(time.perf_counter() - t0)
    med = statistics.median(seconds)
    print(json.dumps({"model": args.model, "backend": args.backend, "device": args.device,
                      "data": data.describe(), "examples": examples, "epoch_s": med,
                      "epoch_s_min": min(seconds), "epoch_s_max": max(seconds),
                      "examples_per_s": examples / med, "peak_rss_mb": rss_mb(),
                      "rss_after_warmup_mb": baseline, "epochs": len(seconds), "batch_size": args.batch_size}))
    return 0


def language_epoch(args: argparse.Namespace) -> int:
    """Time train_epoch_ch8 on both backends from the same weights and the same minibatches."""
    import random

    from tinygrad_edu import d2l
    from tinygrad_edu.models.language import BOOK_HIDDEN, concise_rnn, copy_scratch_weights, scratch_rnn
    kind = LANGUAGE[args.model]
    random.seed(0)
    train_iter, vocab = d2l.load_data_time_machine(32, 35)
    batches = [(X.numpy(), Y.numpy()) for X, Y in train_iter]
    tg.manual_seed(0)
    if kind == "scratch":
        net = scratch_rnn(tg, d2l, len(vocab), BOOK_HIDDEN[kind])
    else:
        net = concise_rnn(tg, d2l, kind, 1, len(vocab), BOOK_HIDDEN[kind])
    lib, companion, device = tg, d2l, "cpu"
    if args.backend == "torch":
        import torch

        from reference import d2l_torch
        if args.threads:
            torch.set_num_threads(args.threads)
        lib, companion, device = torch, d2l_torch.load(), args.device
        if kind == "scratch":
            theirs = scratch_rnn(torch, companion, len(vocab), BOOK_HIDDEN[kind], device)
            copy_scratch_weights(net, theirs, torch)
        else:
            theirs = concise_rnn(torch, companion, kind, 1, len(vocab), BOOK_HIDDEN[kind])
            theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in net.state_dict().items()})
            theirs.to(device)
        net = theirs
    if kind == "scratch":
        updater: object = lambda batch_size: companion.sgd(net.params, 1.0, batch_size)  # noqa: E731
    else:
        updater = lib.optim.SGD(net.parameters(), 1.0)
    loss = lib.nn.CrossEntropyLoss()
    tensors = [(lib.tensor(X), lib.tensor(Y)) for X, Y in batches]
    sync = None
    if args.backend == "torch" and args.device == "cuda":
        import torch
        sync = torch.cuda.synchronize
    gc.collect()
    gc.freeze()
    companion.train_epoch_ch8(net, tensors, loss, updater, device, False)  # warm-up epoch
    baseline = rss_mb()
    seconds = []
    for _ in range(args.epochs):
        t0 = time.perf_counter()
        companion.train_epoch_ch8(net, tensors, loss, updater, device, False)
        if sync:
            sync()
        seconds.append(time.perf_counter() - t0)
    tokens = sum(Y.size for _, Y in batches)
    med = statistics.median(seconds)
    print(json.dumps({"model": args.model, "backend": args.backend, "device": args.device,
                      "data": f"The Time Machine, 10,000 characters, {len(batches)} batches of 32x35 tokens",
                      "examples": tokens, "unit": "tokens", "epoch_s": med,
                      "epoch_s_min": min(seconds), "epoch_s_max": max(seconds),
                      "examples_per_s": tokens / med, "peak_rss_mb": rss_mb(),
                      "rss_after_warmup_mb": baseline, "epochs": len(seconds)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
