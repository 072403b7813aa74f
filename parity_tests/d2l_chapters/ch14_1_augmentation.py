# d2l 14.1 Image Augmentation: training with augmentation (train_with_data_aug), on Fashion-MNIST.
# The book trains d2l.resnet18(10, 3) on CIFAR-10 read through torchvision, which cannot be
# downloaded here. Changes: the data come from d2l.load_data_fashion_mnist(batch_size,
# train_augs=..., test_augs=...) instead of load_cifar10, the network takes 1 channel, and the
# augmentations take no ToTensor, since the images already are tensors. The rest is the book's:
# torchvision's random flip (drawn from torch's generator on both sides), Xavier init, Adam at
# lr 0.001, train_ch13.
import torch
import torchvision
from torch import nn
from d2l import torch as d2l

train_augs = torchvision.transforms.Compose([
     torchvision.transforms.RandomHorizontalFlip()])
test_augs = torchvision.transforms.Compose([])

batch_size, devices, net = 256, d2l.try_all_gpus(), d2l.resnet18(10, 1)


def init_weights(m):
    if type(m) in [nn.Linear, nn.Conv2d]:
        nn.init.xavier_uniform_(m.weight)


net.apply(init_weights)


def train_with_data_aug(train_augs, test_augs, net, lr=0.001):
    train_iter, test_iter = d2l.load_data_fashion_mnist(batch_size, train_augs=train_augs,
                                                        test_augs=test_augs)
    loss = nn.CrossEntropyLoss(reduction="none")
    trainer = torch.optim.Adam(net.parameters(), lr=lr)
    return d2l.train_ch13(net, train_iter, test_iter, loss, trainer, 10, devices)


result = train_with_data_aug(train_augs, test_augs, net)
RESULTS = {"train_with_data_aug": result}
