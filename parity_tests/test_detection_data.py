"""The Fashion-MNIST detection set (d2l ch. 14.6's role): seeded, boxes that frame the pasted
items, classes from the source labels, d2l's label layout, and clear errors."""
import numpy as np
import pytest

from tinygrad_edu import d2l
from tinygrad_edu.data import load_fashion_mnist, make_detection_set


def _source():
    X, y = load_fashion_mnist().arrays("test")
    return X[:200], y[:200]


def test_canvases_hold_their_items_inside_their_boxes():
    X, y = _source()
    images, labels = make_detection_set(X, y, 50, canvas=64, seed=3)
    assert images.shape == (50, 1, 64, 64) and images.dtype == np.float32
    assert labels.shape == (50, 1, 5) and labels.dtype == np.float32
    assert set(np.unique(labels[:, 0, 0]).astype(int)) <= set(range(10))
    for img, (cls, x1, y1, x2, y2) in zip(images, labels[:, 0]):
        assert 0 <= x1 < x2 <= 1 and 0 <= y1 < y2 <= 1
        assert abs((x2 - x1) - (y2 - y1)) < 1e-6 and 16 / 64 <= x2 - x1 <= 40 / 64  # square items, 16-40 px
        l, t, r, b = (int(round(v * 64)) for v in (x1, y1, x2, y2))
        inside = np.zeros((64, 64), bool)
        inside[t:b, l:r] = True
        assert img[0][~inside].max() == 0 and img[0][inside].max() > 0  # nothing outside the box


def test_the_set_is_reproducible_and_several_objects_are_placed():
    X, y = _source()
    a = make_detection_set(X, y, 10, objects=3, seed=7)
    b = make_detection_set(X, y, 10, objects=3, seed=7)
    c = make_detection_set(X, y, 10, objects=3, seed=8)
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not np.array_equal(a[0], c[0])
    assert a[1].shape == (10, 3, 5)


def test_d2l_loader_gives_book_shaped_batches():
    train_iter, test_iter = d2l.load_data_fashion_detection(8, n_train=16, n_test=8)
    X, Y = next(iter(train_iter))
    assert tuple(X.shape) == (8, 1, 64, 64) and tuple(Y.shape) == (8, 1, 5)
    assert len(list(test_iter)) == 1


@pytest.mark.parametrize("kwargs, words", [
    (dict(min_side=50, max_side=40), ("min_side", "max_side")),
    (dict(max_side=80), ("canvas",)),
    (dict(objects=0), ("objects",)),
])
def test_bad_arguments(kwargs, words):
    X, y = _source()
    with pytest.raises(ValueError) as info:
        make_detection_set(X, y, 4, **kwargs)
    assert all(w in str(info.value) for w in words)


def test_empty_source_is_refused():
    with pytest.raises(ValueError, match="make_detection_set"):
        make_detection_set(np.zeros((0, 28, 28)), np.zeros(0), 4)


def test_one_class_labels_every_item_as_class_zero_and_keeps_the_boxes():
    """num_classes=1: the banana set's layout (one object class), same canvases and boxes."""
    (_, many), (_, one) = (next(iter(d2l.load_data_fashion_detection(16, n_train=16, n_test=8, num_classes=k)[1]))
                           for k in (10, 1))
    many, one = many.numpy(), one.numpy()
    assert (one[..., 0] == 0).all() and len(set(many[..., 0].ravel())) > 1
    np.testing.assert_array_equal(one[..., 1:], many[..., 1:])
    with pytest.raises(ValueError, match="num_classes"):
        d2l.load_data_fashion_detection(8, num_classes=3)
