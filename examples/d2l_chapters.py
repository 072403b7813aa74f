"""Run sections of *Dive into Deep Learning* (parity_tests/d2l_chapters/) on tinygrad_edu and on
PyTorch, with only their import lines changed, from identical initial weights on identical
batches, and print what each learned side by side.

    python examples/d2l_chapters.py                      # every section, a few batches (seconds)
    python examples/d2l_chapters.py --full ch03_7 ch04_3  # the book's runs on the full data set
    python examples/d2l_chapters.py --full --seed 1 ch07_5  # other initial weights (same batches)

--full uses the installed Fashion-MNIST (all 60,000 training images, reshuffled every epoch with
the same order on both sides) and the book's epochs; it takes minutes per section.
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import tinygrad_edu  # noqa: F401  first, before NumPy: it lets both cores work (tinygrad_edu/parallel.py)
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parity_tests.d2l_compat import changed_lines, chapter_names, run_chapter  # noqa: E402

warnings.filterwarnings("ignore", message="Converting a tensor with requires_grad")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sections", nargs="*", help="section names (default: all), e.g. ch03_7_softmax_concise")
    parser.add_argument("--full", action="store_true", help="the whole data set and the book's epochs")
    parser.add_argument("--show-imports", action="store_true", help="print the lines that change")
    parser.add_argument("--backend", choices=["numpy", "torch", "both"], default="both",
                        help="run on tinygrad_edu (numpy), on PyTorch, or both and compare (default)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of torch's, tinygrad_edu's, NumPy's and Python's generators (initial weights)")
    args = parser.parse_args()
    names = [n for n in chapter_names() if not args.sections or any(n.startswith(s) for s in args.sections)]
    if not names:
        parser.error(f"no section matches {args.sections}; known: {', '.join(chapter_names())}")
    for name in names:
        if args.show_imports:
            for book, ours in changed_lines(name):
                print(f"  {book:45s} -> {ours}")
        timings, results = {}, {}
        backends = {"numpy": ["ours"], "torch": ["torch"], "both": ["torch", "ours"]}[args.backend]
        for backend in backends:
            start = time.perf_counter()
            results[backend] = run_chapter(name, backend, seed=args.seed, full=args.full, quiet=not args.full,
                                           figure_dir=f"out/d2l/{backend}")
            timings[backend] = time.perf_counter() - start
        if args.backend != "both":
            print(f"{name}: {timings[backends[0]]:.1f} s; results: {sorted(results[backends[0]])}")
            continue
        line = f"{name:36s} torch {timings['torch']:7.1f} s   tinygrad_edu {timings['ours']:7.1f} s"
        for key, t in results["torch"].items():
            o = results["ours"][key]
            if key.startswith("train_ch8"):  # (perplexity, tokens/s, text after 'time traveller')
                line += (f"\n    {key:18s} perplexity {o[0]:.2f}/{t[0]:.2f}  tokens/s {o[1]:,.0f}/{t[1]:,.0f}"
                         f"\n      ours:  {o[2]!r}\n      torch: {t[2]!r}")
            elif key in ("class_err", "bbox_mae"):  # 14.7: per epoch
                line += f"\n    {key:10s} last epoch {o[-1]:.2e}/{t[-1]:.2e} (ours/torch), first {o[0]:.2e}/{t[0]:.2e}"
            elif key == "test_iou":  # 14.7: the top detection's IoU with the truth, per test canvas
                line += "\n    test canvases: " + " / ".join(
                    f"mean IoU {np.mean(v):.3f}, IoU > 0.5 on {np.mean(np.array(v) > 0.5):.0%} of {len(v)}"
                    for v in (o, t)) + " (ours / torch)"
            elif key == "detections":  # 14.7: (class, score, box) rows after NMS on one test canvas
                line += f"\n    detections: {len(o)}/{len(t)} boxes (ours/torch); best " + \
                    " / ".join(f"class {int(d[0][0])} score {d[0][1]:.2f} box {np.round(d[0][2:], 2).tolist()}"
                               for d in (o, t) if len(d))
            elif isinstance(t, tuple) and len(t) == 3 and all(isinstance(v, float) for v in t):  # a training run
                line += (f"\n    {key:10s} train loss {o[0]:.4f}/{t[0]:.4f}  train acc {o[1]:.4f}/{t[1]:.4f}  "
                         f"test acc {o[2]:.4f}/{t[2]:.4f} (ours/torch, |diff| {abs(o[2] - t[2]):.4f})")
        print(line, flush=True)


if __name__ == "__main__":
    main()
