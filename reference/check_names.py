"""Which of torch's names does some code use, and does tinygrad_edu have each of them?

    python -m reference.check_names PATH [PATH ...]

PATH is a Python file, a Markdown file (the book's chapters: its ``{.python .input}`` code blocks
are read, IPython magics dropped) or a folder of them. Every attribute chain the code reads from
``torch``, ``torch.nn``, ``torch.nn.functional`` or ``torch.optim`` (under whatever names the
code imports them as: ``nn``, ``F``, ...) is looked up in torch and in tinygrad_edu. The report
lists each name with the files that use it; the exit status is 1 when a name torch has is
missing from tinygrad_edu.
"""
from __future__ import annotations

import ast
import importlib
import re
import sys
from pathlib import Path
from typing import Iterable, Iterator

ROOTS = ("torch", "torch.nn", "torch.nn.functional", "torch.optim", "torch.utils.data")
DEFAULT_ALIASES = {"torch": "torch", "nn": "torch.nn", "F": "torch.nn.functional"}
_BLOCK = re.compile(r"```\{\.python \.input[^}]*\}\n(.*?)```", re.S)


def sources(paths: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(name, Python source) for every file under ``paths``."""
    for p in map(Path, paths):
        files = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in files:
            if f.suffix == ".py":
                yield str(f), f.read_text()
            elif f.suffix == ".md":
                blocks = [b for b in _BLOCK.findall(f.read_text()) if _is_torch_block(b)]
                code = "\n".join(line for b in blocks for line in b.splitlines()
                                 if not line.lstrip().startswith(("%", "!", "#@tab")))
                yield str(f), code


def _is_torch_block(block: str) -> bool:
    first = block.lstrip().splitlines()[0] if block.strip() else ""
    if first.startswith("#@tab") or first.startswith("%%tab"):
        return "pytorch" in first or "all" in first
    return "import mxnet" not in block and "from mxnet" not in block and "tensorflow" not in block


def _aliases(tree: ast.AST) -> dict[str, str]:
    found = dict(DEFAULT_ALIASES)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("torch"):
                    found[a.asname or a.name.split(".")[0]] = a.name if a.asname else "torch"
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("torch"):
            for a in node.names:
                found[a.asname or a.name] = f"{node.module}.{a.name}"
    return found


def _chain(node: ast.AST) -> list[str]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return []


def names_used(source: str) -> set[str]:
    """The dotted torch names (``torch.nn.LazyLinear``) the source reads."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    aliases, used = _aliases(tree), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and not isinstance(getattr(node, "ctx", None), ast.Store):
            chain = _chain(node)
            if len(chain) >= 2 and chain[0] in aliases:
                full = aliases[chain[0]].split(".") + chain[1:]
                # the longest prefix that is one of ROOTS plus one more name
                for k in range(len(full) - 1, 0, -1):
                    if ".".join(full[:k]) in ROOTS:
                        used.add(".".join(full[:k + 1]))
                        break
    return used


def resolve(dotted: str, top: str) -> bool:
    """Whether ``dotted`` (a torch name) exists with ``top`` ('torch' or 'tinygrad_edu') as root."""
    parts = dotted.split(".")
    mapping = {"torch": top}
    module_name = mapping[parts[0]]
    if top == "tinygrad_edu" and parts[1:3] == ["utils", "data"]:
        module_name, parts = "tinygrad_edu.utils.data", ["torch"] + parts[3:]
    try:
        obj = importlib.import_module(module_name)
    except ImportError:
        return False
    for part in parts[1:]:
        if not hasattr(obj, part):
            try:
                obj = importlib.import_module(f"{obj.__name__}.{part}")
                continue
            except (ImportError, AttributeError):
                return False
        obj = getattr(obj, part)
    return True


def report(paths: Iterable[str]) -> tuple[dict[str, list[str]], list[str]]:
    """({name: files}, names torch has that tinygrad_edu lacks)."""
    where: dict[str, list[str]] = {}
    for name, source in sources(paths):
        for used in names_used(source):
            where.setdefault(used, []).append(name)
    missing = [n for n in sorted(where) if resolve(n, "torch") and not resolve(n, "tinygrad_edu")]
    return where, missing


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    where, missing = report(argv)
    for name in sorted(where):
        mark = "MISSING" if name in missing else ("ok" if resolve(name, "torch") else "not in torch")
        print(f"{mark:12} {name}  ({len(where[name])} file{'s' if len(where[name]) > 1 else ''})")
    print(f"\n{len(where)} names, {len(missing)} missing from tinygrad_edu" + (f": {', '.join(missing)}" if missing else ""))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
