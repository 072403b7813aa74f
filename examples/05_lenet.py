"""d2l 7.6: LeNet, with d2l's sigmoid + average pooling (--model lenet, lr 0.9) or the modern
ReLU + max pooling variant (--model lenet_relu, lr 0.1).

    python examples/05_lenet.py [--model lenet|lenet_relu] [--backend numpy|torch] [--compare] ...
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tinygrad_edu.__main__ import example_main  # noqa: E402

if __name__ == "__main__":
    sys.exit(example_main(["lenet", "lenet_relu"], __doc__.splitlines()[0], default_epochs=10))
