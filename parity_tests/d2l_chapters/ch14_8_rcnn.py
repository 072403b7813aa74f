# d2l 14.8 Region-based CNNs (R-CNNs): the region of interest pooling example.
import torch
import torchvision

X = torch.arange(16.).reshape(1, 1, 4, 4)
X

rois = torch.Tensor([[0, 0, 0, 20, 20], [0, 0, 10, 30, 30]])

pooled = torchvision.ops.roi_pool(X, rois, output_size=(2, 2), spatial_scale=0.1)

RESULTS = {"X": X, "pooled": pooled}
