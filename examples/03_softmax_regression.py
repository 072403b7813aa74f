"""d2l 4.5: softmax regression, concise (nn.Sequential(Flatten, Linear(784, 10)), CrossEntropyLoss, SGD).

    python examples/03_softmax_regression.py [--backend numpy|torch] [--compare] [--epochs 10] ...
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tinygrad_edu.__main__ import example_main  # noqa: E402

if __name__ == "__main__":
    sys.exit(example_main(["softmax_regression"], __doc__.splitlines()[0], default_epochs=10))
