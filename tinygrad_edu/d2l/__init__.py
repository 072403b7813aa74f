"""The companion of *Dive into Deep Learning*: ``from tinygrad_edu import d2l``.

The helpers the book's chapters call (``d2l.load_data_fashion_mnist``, ``d2l.train_ch3``,
``d2l.train_ch6``, ``d2l.Animator``, ...) and the 1.0 edition's classes (``d2l.Module``,
``d2l.Trainer``, ...), written for this project on tinygrad_edu's public API only, so the book's
code runs with two changed import lines::

    import tinygrad_edu as torch
    from tinygrad_edu import d2l

One file per topic, every name also here, as in d2l's flat module:

=================  ===========================================================================
``short_names``    ``d2l.reshape``, ``d2l.argmax``, ... (the framework-neutral names)
``plotting``       ``plot``, ``show_images``, ``Animator``
``utilities``      ``Timer``, ``Accumulator``, ``try_gpu``
``linear_models``  chapters 3-5: data loaders and the training loop ``train_ch3``
``convolutions``   chapters 6, 7, 13: ``train_ch6``, ResNet's blocks, ``train_ch13``
``sequences``      chapters 8-9: text, vocabularies, samplers, ``train_ch8``
``detection``      chapter 14: boxes, anchors, ``multibox_target``/``multibox_detection``
``vision_data``    chapter 14's data sets, read from local files
``oo``             the 1.0 edition: ``HyperParameters``, ``Module``, ``DataModule``, ``Trainer``, ...
``recurrent``      the 1.0 edition's ``TimeMachine`` and recurrent models (``RNNLMScratch``, ``GRU``)
``translation``    the 1.0 edition's ``MTFraEng``, encoder-decoder, ``Seq2Seq`` and ``bleu``
``attention``      the 1.0 edition's attention: ``masked_softmax``, multi-head, the Transformer encoder
=================  ===========================================================================

In every file the import lines marked ``# backend`` are the only ones that name tinygrad_edu's
tensor, nn, data and vision packages: ``reference/d2l_torch.py`` runs these very files on PyTorch
by swapping them, which is how the compatibility suite compares the book's code on both
frameworks.

In a Jupyter kernel figures appear inline; elsewhere plots, the training ``Animator`` and the
1.0 ``ProgressBoard`` are written as PNG files (in ``$D2L_FIGURE_DIR``, default ``out/d2l``) and
the Animator prints one progress line per update.
"""
from __future__ import annotations

import os

import tinygrad_edu as torch  # backend  # noqa: F401
from tinygrad_edu import nn  # backend  # noqa: F401
from tinygrad_edu.utils import data  # backend  # noqa: F401
import tinygrad_edu.vision as torchvision  # backend  # noqa: F401

FIGURE_DIR = os.environ.get("D2L_FIGURE_DIR", os.path.join("out", "d2l"))


# The companion by topic; every name is also here, as d2l's flat module has it.
from .short_names import (  # noqa: E402,F401
    abs, arange, argmax, astype, batch_matmul, concat, cos, cosh, exp, expand_dims, eye, float32, int32, int64, linspace, log, matmul, meshgrid, nn_Module, normal, numpy, ones, ones_like, rand, randn, reduce_mean, reduce_sum, repeat, reshape, sigmoid, sin, sinh, size, stack, swapaxes, tanh, tensor, to, transpose, zeros, zeros_like)

from .plotting import (  # noqa: E402,F401
    _as_numpy, _backend_chosen, _figure_dir, _figures, _kernel, _LazyPyplot, _plt, Animator, plot, plt, savefig, set_axes, set_figsize, show_images, use_svg_display)
from .utilities import (  # noqa: E402,F401
    Accumulator, get_dataloader_workers, Timer, try_all_gpus, try_gpu)
from .linear_models import (  # noqa: E402,F401
    _AugmentedLoader, _resize_matrix, _ResizedLoader, accuracy, evaluate_accuracy, evaluate_loss, get_fashion_mnist_labels, linreg, load_array, load_data_fashion_detection, load_data_fashion_mnist, predict_ch3, sgd, squared_loss, synthetic_data, train_ch3, train_epoch_ch3)
from .convolutions import (  # noqa: E402,F401
    corr2d, evaluate_accuracy_gpu, Residual, ResNeXtBlock, resnet18, train_batch_ch13, train_ch13, train_ch6)
from .sequences import (  # noqa: E402,F401
    count_corpus, grad_clipping, load_corpus_time_machine, load_data_time_machine, predict_ch8, read_time_machine, RNNModel, RNNModelScratch, seq_data_iter_random, seq_data_iter_sequential, SeqDataLoader, tokenize, train_ch8, train_epoch_ch8, Vocab)
from .detection import (  # noqa: E402,F401
    _check_boxes, assign_anchor_to_bbox, bbox_to_rect, box_center_to_corner, box_corner_to_center, box_iou, multibox_detection, multibox_prior, multibox_target, nms, offset_boxes, offset_inverse, show_bboxes)
from .vision_data import (  # noqa: E402,F401
    BananasDataset, copyfile, DATA_HUB, DATA_URL, download, download_extract, extract, Image, load_data_bananas, load_data_voc, read_csv_labels, read_data_bananas, read_voc_images, reorg_test, reorg_train_valid, VOC_CLASSES, VOC_COLORMAP, voc_colormap2label, voc_label_indices, voc_rand_crop, VOCSegDataset)
# The object-oriented API of the book's current edition (it uses the helpers above).
from .oo import (  # noqa: E402,F401
    SGD, Classifier, DataModule, FashionMNIST, HyperParameters, LeNet, LinearRegression, LinearRegressionScratch,
    Module, ProgressBoard, SoftmaxRegression, SyntheticRegressionData, Trainer, add_to_class, cpu, gpu, init_cnn,
    num_gpus)
from .recurrent import (  # noqa: E402,F401
    GRU, RNN, RNNLM, RNNLMScratch, RNNScratch, TimeMachine, check_len, check_shape)
from .translation import (  # noqa: E402,F401
    Decoder, Encoder, EncoderDecoder, MTFraEng, Seq2Seq, Seq2SeqEncoder, bleu, init_seq2seq, show_list_len_pair_hist)
from .attention import (  # noqa: E402,F401
    AddNorm, AdditiveAttention, AttentionDecoder, DotProductAttention, MultiHeadAttention, PositionalEncoding,
    PositionWiseFFN, TransformerEncoder, TransformerEncoderBlock, masked_softmax, show_heatmaps)
