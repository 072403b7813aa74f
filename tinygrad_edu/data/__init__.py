"""Data: Fashion-MNIST/MNIST IDX files, a bundled sample, batching, and d2l's synthetic data."""
from .fashion_mnist import (TEXT_LABELS, FashionMNIST, get_fashion_mnist_labels, load_fashion_mnist,
                            load_mnist, load_sample)
from .detection import make_detection_set
from .idx import IDXError, parse_idx, read_idx
from .loader import DataLoader, load_array
from .synthetic import synthetic_data

__all__ = ["FashionMNIST", "load_fashion_mnist", "load_sample", "load_mnist", "get_fashion_mnist_labels",
           "TEXT_LABELS", "IDXError", "read_idx", "parse_idx", "DataLoader", "load_array", "synthetic_data",
           "make_detection_set"]
