# d2l 3.5 The Image Classification Dataset, through d2l's loader (torchvision's FashionMNIST
# class and its download are not available here: this is the one changed step, see docs/d2l.md)
from d2l import torch as d2l

train_iter, test_iter = d2l.load_data_fashion_mnist(18)
X, y = next(iter(train_iter))
labels = d2l.get_fashion_mnist_labels(y)
axes = d2l.show_images(X.reshape(18, 28, 28), 2, 9, titles=d2l.get_fashion_mnist_labels(y))
timer = d2l.Timer()
for X, y in train_iter:
    continue
elapsed = timer.stop() >= 0
train_iter, test_iter = d2l.load_data_fashion_mnist(32, resize=64)
for X, y in train_iter:
    shapes = (tuple(X.shape), str(X.dtype).replace("torch.", ""), tuple(y.shape), str(y.dtype).replace("torch.", ""))
    break

RESULTS = {"labels": labels, "shapes": shapes, "X": X, "elapsed": elapsed, "axes": len(axes)}
