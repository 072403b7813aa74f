"""d2l 5.2: multilayer perceptron 784-256-10 with ReLU, concise.

    python examples/04_mlp.py [--backend numpy|torch] [--compare] [--epochs 10] [--lr 0.1] ...
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tinygrad_edu.__main__ import example_main  # noqa: E402

if __name__ == "__main__":
    sys.exit(example_main(["mlp"], __doc__.splitlines()[0], default_epochs=10))
