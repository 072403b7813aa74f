"""Results as JSON, a markdown report and PNG plots."""
from __future__ import annotations

import statistics

import json
from collections import defaultdict
from pathlib import Path
from typing import Any


def _ms(t: dict[str, float]) -> str:
    return f"{t['median'] * 1e3:.3f} ({t['min'] * 1e3:.3f}-{t['max'] * 1e3:.3f})"


def ratio_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Pair each tinygrad_edu op timing with torch-cpu's for the same op and size."""
    by_key = {(r["op"], r["size"], r["backend"], r["device"]): r for r in results["ops"]}
    rows = []
    for (op, size, backend, device), ours in by_key.items():
        if backend != "tinygrad_edu":
            continue
        row = {"op": op, "size": size, "ours": ours}
        for dev in ("cpu", "cuda"):
            if (op, size, "torch", dev) in by_key:
                row[f"torch_{dev}"] = by_key[(op, size, "torch", dev)]
        rows.append(row)
    return rows


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}; NumPy {m['numpy']} "
             f"({m['numpy_blas']}, {m['numpy_blas_threads']} threads"
             + (f"; OPENBLAS_THREAD_TIMEOUT={m['openblas_thread_timeout']}" if m.get("openblas_thread_timeout") else "")
             + (f"; tinygrad_edu's elementwise threads {m['tinygrad_edu_threads']}" if "tinygrad_edu_threads" in m else "")
             + f"); torch {m['torch']} "
             f"({m['torch_threads']} threads); CUDA: {m['cuda'] or 'not available'}. "
             f"Command: `{results['command']}`, {results['date']}.", ""]
    if results.get("ops"):
        has_cuda = any(r["device"] == "cuda" for r in results["ops"])
        head = "| op | size | tinygrad_edu fwd ms | torch fwd ms | tinygrad_edu fwd+bwd ms | torch fwd+bwd ms | ratio fwd+bwd |"
        if has_cuda:
            head += " torch CUDA fwd+bwd ms |"
        lines += ["Per op: median (min-max) per call; ratio = tinygrad_edu / torch CPU, same run.", "",
                  head, "|" + "---|" * head.count("|")[:-1] if False else "|" + "---|" * (head.count("|") - 1)]
        for row in ratio_rows(results):
            o, t = row["ours"], row.get("torch_cpu")
            if t is None:
                continue
            r = o["forward_backward"]["median"] / t["forward_backward"]["median"]
            line = (f"| {row['op']} | {row['size']} | {_ms(o['forward'])} | {_ms(t['forward'])} | "
                    f"{_ms(o['forward_backward'])} | {_ms(t['forward_backward'])} | {r:.2f} |")
            if has_cuda:
                c = row.get("torch_cuda")
                line += f" {_ms(c['forward_backward']) if c else '-'} |"
            lines.append(line)
        lines.append("")
    if results.get("overhead"):
        o = results["overhead"]
        lines += ["Framework overhead: a chain of 1,000 tiny ops on a (4,) tensor, forward+backward, per op:",
                  f"tinygrad_edu {o['tinygrad_edu_us_per_op']:.2f} us, torch {o['torch_us_per_op']:.2f} us, "
                  f"ratio {o['ratio']:.2f}.", ""]
    if results.get("training"):
        rows = training_rows(results["training"])
        rounds = max(len(r["round_ratios"]) for r in rows)
        lines += ["| model | backend | examples/s | epoch s median (min-max) | peak RSS MB | ratio (time, vs torch CPU) |"
                  + (" ratio in each round |" if rounds > 1 else ""),
                  "|---|---|---|---|---|---|" + ("---|" if rounds > 1 else "")]
        for r in rows:
            name = r["backend"] if r["device"] == "cpu" else f"{r['backend']} ({r['device']})"
            line = (f"| {r['model']} | {name} | {r['examples_per_s']:,.0f} | {r['epoch_s']:.3f} "
                    f"({r['epoch_s_min']:.3f}-{r['epoch_s_max']:.3f}) | {r['peak_rss_mb']:.0f} | {r['ratio']:.2f} |")
            if rounds > 1:
                line += " " + " / ".join(f"{v:.2f}" for v in r["round_ratios"]) + " |"
            lines.append(line)
        if rounds > 1:
            lines += ["", f"{rounds} rounds: each round runs every model on each backend, one process after the "
                      "other, so the two processes of a pair are minutes apart at most. The ratio column is the "
                      "median of the rounds' ratios; the epoch times are medians over all rounds."]
        described = {}
        for r in results["training"]:
            unit = r.get("unit", "examples")
            batch = "batch 32, 35 steps, lr 1, clipping 1" if unit == "tokens" else f"batch {r.get('batch_size', 256)}"
            described.setdefault(f"{r['data']}; {batch}; {r['examples']} {unit} per timed epoch", []).append(r["model"])
        lines += [""] + [f"Data ({', '.join(dict.fromkeys(models))}): {text}." for text, models in described.items()]
        lines += ["Language models count tokens, not examples, in the examples/s column.", ""] \
            if any(r.get("unit") == "tokens" for r in results["training"]) else [""]
    return "\n".join(lines)


def training_rows(training: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (model, backend, device) from the per-round rows of ``--rounds``: epoch times
    are medians over the rounds, the ratio the median of each round's ratio to torch CPU."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in training:
        groups.setdefault((r["model"], r["backend"], r["device"]), []).append(r)
    torch_by_round = {(r["model"], r.get("round", 0)): r["epoch_s"] for r in training
                      if r["backend"] == "torch" and r["device"] == "cpu"}
    rows = []
    for (model, backend, device), runs in groups.items():
        ratios = [r["epoch_s"] / torch_by_round[(model, r.get("round", 0))] for r in runs
                  if (model, r.get("round", 0)) in torch_by_round]
        med = statistics.median(r["epoch_s"] for r in runs)
        rows.append({**runs[0], "epoch_s": med, "epoch_s_min": min(r["epoch_s_min"] for r in runs),
                     "epoch_s_max": max(r["epoch_s_max"] for r in runs), "examples_per_s": runs[0]["examples"] / med,
                     "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
                     "ratio": statistics.median(ratios) if ratios else float("nan"), "round_ratios": ratios})
    return rows


def plots(results: dict[str, Any], out: Path) -> list[Path]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    written = []
    series: dict[str, dict[str, list[tuple[int, float]]]] = defaultdict(lambda: defaultdict(list))
    for r in results.get("ops", []):
        label = r["backend"] if r["device"] == "cpu" else f"{r['backend']} {r['device']}"
        series[r["op"]][label].append((r["size"], r["forward_backward"]["median"] * 1e3))
    if series:
        names = sorted(series)
        cols = 4
        rows = -(-len(names) // cols)
        fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3.2 * rows), squeeze=False)
        for ax, name in zip(axes.ravel(), names):
            for label, pts in sorted(series[name].items()):
                pts.sort()
                ax.loglog([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label)
            sizes = sorted({p[0] for pts in series[name].values() for p in pts})
            ax.set_xticks(sizes, [f"{v:,}" for v in sizes], fontsize=7)
            ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
            ax.set_title(name)
            ax.set_xlabel(results["size_labels"].get(name, "size"))
            ax.set_ylabel("fwd+bwd ms")
            ax.legend(fontsize=7)
        for ax in axes.ravel()[len(names):]:
            ax.axis("off")
        fig.tight_layout()
        path = out / "ops.png"
        fig.savefig(path, dpi=90)
        plt.close(fig)
        written.append(path)
    if results.get("training"):
        training = training_rows(results["training"])
        models = sorted({r["model"] for r in training})
        labels = sorted({r["backend"] if r["device"] == "cpu" else f"{r['backend']} {r['device']}"
                         for r in training})
        fig, ax = plt.subplots(figsize=(7, 3.5))
        width = 0.8 / len(labels)
        for i, label in enumerate(labels):
            vals = []
            for m in models:
                match = [r for r in training if r["model"] == m and
                         (r["backend"] if r["device"] == "cpu" else f"{r['backend']} {r['device']}") == label]
                vals.append(match[0]["examples_per_s"] if match else 0)
            ax.bar([j + i * width for j in range(len(models))], vals, width, label=label)
        ax.set_xticks([j + 0.4 - width / 2 for j in range(len(models))], models)
        ax.set_ylabel("training examples (tokens for language models) / s")
        ax.set_yscale("log")
        ax.legend()
        fig.tight_layout()
        path = out / "training.png"
        fig.savefig(path, dpi=90)
        plt.close(fig)
        written.append(path)
    return written


def write(results: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1))
    (out / "results.md").write_text(markdown(results))
    return [out / "results.json", out / "results.md", *plots(results, out)]


if __name__ == "__main__":  # python -m benchmarks.report results.json [out_dir]: redraw from saved results
    import sys

    src = Path(sys.argv[1])
    written = write(json.loads(src.read_text()), Path(sys.argv[2]) if len(sys.argv) > 2 else src.parent)
    print("wrote " + ", ".join(str(p) for p in written))
