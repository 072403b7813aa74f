"""Small stand-in data sets in the formats the book downloads, written from seeded random
numbers: an image folder per class, and CIFAR-10's pickled batches (``cifar-10-batches-py``)."""
from __future__ import annotations

import pickle
from pathlib import Path
from typing import Sequence

import numpy as np

CIFAR_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def write_image_folder(root: Path, classes: Sequence[str], per_class: int = 3, size: tuple[int, int] = (12, 10),
                       seed: int = 0, ext: str = ".png") -> Path:
    """``root/<class>/<k><ext>``: random RGB pictures of ``size`` (h, w), a few per class."""
    from PIL import Image
    rng = np.random.default_rng(seed)
    for name in classes:
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for k in range(per_class):
            pixels = rng.integers(0, 256, (*size, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(folder / f"{k}{ext}")
    return root


def write_cifar10(root: Path, per_batch: int = 6, test: int = 8, seed: int = 0) -> Path:
    """``root/cifar-10-batches-py`` as the real archive extracts: five training batches, a test
    batch and ``batches.meta``, each a protocol-2 pickle of a dict (data: uint8 (N, 3072) rows in
    channel-major order, labels: a list of ints)."""
    rng = np.random.default_rng(seed)
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    for name in names:
        n = test if name == "test_batch" else per_batch
        batch = {"batch_label": name, "labels": [int(v) for v in rng.integers(0, 10, n)],
                 "data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
                 "filenames": [f"{name}_{k}.png" for k in range(n)]}
        (folder / name).write_bytes(pickle.dumps(batch, protocol=2))
    meta = {"num_cases_per_batch": per_batch, "label_names": CIFAR_CLASSES, "num_vis": 3072}
    (folder / "batches.meta").write_bytes(pickle.dumps(meta, protocol=2))
    return root


def _smooth_picture(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """An RGB picture of soft colour gradients and a few blobs (JPEG keeps it without artefacts
    worth the name, unlike pure noise)."""
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    img = np.stack([np.sin(3 * xx + c) * 0.5 + np.cos(2 * yy - c) * 0.3 for c in rng.uniform(0, 6, 3)], -1)
    for _ in range(4):
        cy, cx, r = rng.uniform(0, 1, 3) * [h / max(h, w), w / max(h, w), 0.3]
        img += (((yy - cy) ** 2 + (xx - cx) ** 2) < r * r)[..., None] * rng.uniform(-0.5, 0.5, 3)
    return np.clip((img + 1) * 127.5, 0, 255).astype(np.uint8)


def write_book_pictures(img_dir: Path, seed: int = 0) -> Path:
    """The pictures the vision chapter opens from ``../img`` (cat1, catdog, banana, rainier,
    autumn-oak), as smooth JPEGs of the book's sizes."""
    from PIL import Image
    rng = np.random.default_rng(seed)
    img_dir.mkdir(parents=True, exist_ok=True)
    sizes = {"cat1.jpg": (400, 500), "catdog.jpg": (561, 728), "banana.jpg": (256, 256),
             "rainier.jpg": (300, 450), "autumn-oak.jpg": (300, 450)}
    for name, (h, w) in sizes.items():
        Image.fromarray(_smooth_picture(rng, h, w)).save(img_dir / name, quality=95)
    return img_dir


def write_bananas(data_dir: Path, n_train: int = 12, n_val: int = 4, edge: int = 256, seed: int = 0) -> Path:
    """``banana-detection/bananas_{train,val}/{images/<k>.png, label.csv}`` as the archive
    extracts: 256x256 RGB pictures with one yellow banana-like ellipse each, and its box
    (label 0, xmin, ymin, xmax, ymax in pixels)."""
    from PIL import Image, ImageDraw
    rng = np.random.default_rng(seed)
    root = data_dir / "banana-detection"
    for split, n in (("bananas_train", n_train), ("bananas_val", n_val)):
        images = root / split / "images"
        images.mkdir(parents=True, exist_ok=True)
        rows = ["img_name,label,xmin,ymin,xmax,ymax"]
        for k in range(n):
            picture = Image.fromarray(_smooth_picture(rng, edge, edge))
            bw, bh = (int(v) for v in rng.integers(30, 90, 2))
            x0, y0 = int(rng.integers(0, edge - bw)), int(rng.integers(0, edge - bh))
            ImageDraw.Draw(picture).ellipse([x0, y0, x0 + bw, y0 + bh], fill=(235, 215, 40))
            picture.save(images / f"{k}.png")
            rows.append(f"{k}.png,0,{x0},{y0},{x0 + bw},{y0 + bh}")
        (root / split / "label.csv").write_text("\n".join(rows) + "\n")
    return root


VOC_COLORS = [(0, 0, 0), (128, 0, 0), (0, 128, 0), (128, 128, 0), (0, 0, 128), (128, 0, 128), (0, 128, 128),
              (128, 128, 128), (64, 0, 0), (192, 0, 0), (64, 128, 0), (192, 128, 0), (64, 0, 128), (192, 0, 128),
              (64, 128, 128), (192, 128, 128), (0, 64, 0), (128, 64, 0), (0, 192, 0), (128, 192, 0), (0, 64, 128)]


def write_voc(data_dir: Path, n_train: int = 6, n_val: int = 3, size: tuple[int, int] = (330, 490),
              small: int = 1, seed: int = 0) -> Path:
    """``VOCdevkit/VOC2012`` as the archive extracts, for segmentation: JPEGImages/<id>.jpg,
    SegmentationClass/<id>.png (palette images of VOC's colours, objects outlined by the 'void'
    index 255) and ImageSets/Segmentation/{train,val}.txt. The last ``small`` images per split are
    smaller than d2l's 320x480 crop, which VOCSegDataset leaves out."""
    from PIL import Image, ImageDraw
    rng = np.random.default_rng(seed)
    voc = data_dir / "VOCdevkit" / "VOC2012"
    for sub in ("JPEGImages", "SegmentationClass", "ImageSets/Segmentation"):
        (voc / sub).mkdir(parents=True, exist_ok=True)
    palette = [v for c in VOC_COLORS for v in c] + [0] * 3 * (255 - len(VOC_COLORS)) + [224, 224, 192]
    for split, n in (("train", n_train), ("val", n_val)):
        ids = []
        for k in range(n):
            name = f"2007_{split}{k:04d}"
            h, w = (200, 300) if k >= n - small else size
            labels = Image.new("P", (w, h), 0)
            labels.putpalette(palette)
            draw = ImageDraw.Draw(labels)
            for _ in range(3):
                cls = int(rng.integers(1, 21))
                x0, y0 = int(rng.integers(0, w - 60)), int(rng.integers(0, h - 60))
                box = [x0, y0, x0 + int(rng.integers(40, 150)), y0 + int(rng.integers(40, 150))]
                draw.rectangle(box, fill=cls, outline=255, width=3)
            labels.save(voc / "SegmentationClass" / f"{name}.png")
            Image.fromarray(_smooth_picture(rng, h, w)).save(voc / "JPEGImages" / f"{name}.jpg", quality=95)
            ids.append(name)
        (voc / "ImageSets" / "Segmentation" / f"{split}.txt").write_text("\n".join(ids) + "\n")
    return voc


def write_hotdog(data_dir: Path, train_per_class: int = 8, test_per_class: int = 2, seed: int = 0) -> Path:
    """``hotdog/{train,test}/{hotdog,not-hotdog}/<k>.jpg`` as the archive extracts: JPEG pictures
    of varying sizes (the book's are photographs of a few hundred pixels)."""
    from PIL import Image
    rng = np.random.default_rng(seed)
    root = data_dir / "hotdog"
    for split, n in (("train", train_per_class), ("test", test_per_class)):
        for cls in ("hotdog", "not-hotdog"):
            folder = root / split / cls
            folder.mkdir(parents=True, exist_ok=True)
            for k in range(n):
                h, w = (int(v) for v in rng.integers(120, 300, 2))
                Image.fromarray(_smooth_picture(rng, h, w)).save(folder / f"{k}.jpg", quality=95)
    return root


def write_pretrained(torch_home: Path, name: str, seed: int = 0) -> Path:
    """A stand-in for torchvision's pretrained file of model ``name`` in torch's hub cache
    (``torch_home/hub/checkpoints/<the published file name>``): the seeded, untrained weights,
    written by torch.save. torch.hub reads a cached file without checking its hash."""
    import torch
    import torchvision
    builder = getattr(torchvision.models, name)
    weights = torchvision.models.get_model_weights(builder).DEFAULT
    path = torch_home / "hub" / "checkpoints" / weights.url.rsplit("/", 1)[-1]
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    torch.save(builder().state_dict(), path)
    return path


def write_kaggle_tiny(data_dir: Path, kind: str, classes: int = 4, per_class: int = 80, test: int = 5,
                      seed: int = 0) -> Path:
    """The Kaggle sample archives as they extract: ``kaggle_cifar10_tiny/{train,test}/<id>.png``
    (32x32) with ``trainLabels.csv``, or ``kaggle_dog_tiny/{train,test}/<hex id>.jpg`` (pictures of
    varying size) with ``labels.csv``; header line, then ``id,label`` rows. The book keeps
    ``max(1, floor(n / 10))`` images of each class for validation and drops the last partial batch
    of 32, so ``classes * (per_class // 10)`` >= 32 gives it one validation batch (and nine
    training batches, more than the five its progress plot divides by)."""
    from PIL import Image
    rng = np.random.default_rng(seed)
    cifar = kind == "cifar10"
    root = data_dir / ("kaggle_cifar10_tiny" if cifar else "kaggle_dog_tiny")
    labels = [CIFAR_CLASSES[c] if cifar else f"breed_{c:03d}" for c in range(classes)] * per_class
    rng.shuffle(labels)
    rows = []
    for split, n in (("train", len(labels)), ("test", test)):
        (root / split).mkdir(parents=True, exist_ok=True)
        for k in range(n):
            name = str(k + 1) if cifar else f"{int(rng.integers(0, 2**63)):016x}"
            h, w = (32, 32) if cifar else (int(v) for v in rng.integers(40, 90, 2))
            picture = Image.fromarray(_smooth_picture(rng, h, w))
            if cifar:
                picture.save(root / split / f"{name}.png")
            else:
                picture.save(root / split / f"{name}.jpg", quality=95)
            if split == "train":
                rows.append(f"{name},{labels[k]}")
    (root / ("trainLabels.csv" if cifar else "labels.csv")).write_text(
        ("id,label\n" if cifar else "id,breed\n") + "\n".join(rows) + "\n")
    return root


def write_fashion_mnist(data_dir: Path, n_train: int = 1000, n_test: int = 500) -> Path:
    """``FashionMNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte`` as torchvision's download
    leaves them, holding the first images of the project's bundled Fashion-MNIST sample."""
    import struct
    from tinygrad_edu.data import fashion_mnist
    sample = fashion_mnist.load_sample()
    raw = data_dir / "FashionMNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for split, prefix, n in (("train", "train", n_train), ("test", "t10k", n_test)):
        X, y = sample.arrays(split)
        pixels = np.rint(X[:n, 0] * 255).astype(np.uint8)
        (raw / f"{prefix}-images-idx3-ubyte").write_bytes(struct.pack(">IIII", 2051, *pixels.shape) + pixels.tobytes())
        labels = np.asarray(y[:n], np.uint8)
        (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(struct.pack(">II", 2049, len(labels)) + labels.tobytes())
    return raw


_ENGLISH_FRENCH = [
    ("go.", "va !"), ("i lost.", "j'ai perdu."), ("he's calm.", "il est calme."), ("i'm home.", "je suis chez moi."),
    ("run!", "cours !"), ("who?", "qui ?"), ("wow!", "ça alors !"), ("help!", "à l'aide !"),
]
_SUBJECTS = [("i am", "je suis"), ("you are", "tu es"), ("he is", "il est"), ("she is", "elle est"),
             ("we are", "nous sommes"), ("they are", "ils sont")]
_STATES = [("calm", "calme"), ("home", "chez moi"), ("tired", "fatigué"), ("happy", "heureux"),
           ("here", "ici"), ("late", "en retard"), ("ready", "prêt"), ("busy", "occupé"), ("sick", "malade"),
           ("hungry", "affamé"), ("alone", "seul"), ("lost", "perdu")]


def write_fra_eng(data_dir: Path, n: int = 800, seed: int = 0) -> Path:
    """``fra-eng.zip`` holding ``fra-eng/fra.txt`` as the book's archive does: one English sentence,
    a tab and its French translation per line, capitals and punctuation as written (no space before
    . , ! ?, a non-breaking space before French ! and ?). The first lines are the book's own
    examples; the rest are drawn from a small grammar, so that most words occur often enough for
    the vocabularies (min_freq=2)."""
    import zipfile
    rng = np.random.default_rng(seed)
    narrow = "\u202f"  # the archive's narrow no-break space before French ! and ?
    lines = [en.capitalize() + "\t" + fr.capitalize().replace(" !", narrow + "!").replace(" ?", narrow + "?")
             for en, fr in _ENGLISH_FRENCH]
    while len(lines) < n:
        (se, sf), (ae, af) = _SUBJECTS[rng.integers(len(_SUBJECTS))], _STATES[rng.integers(len(_STATES))]
        end = "." if rng.random() < 0.8 else "!"
        french_end = "." if end == "." else "\xa0!"
        lines.append(f"{se.capitalize()} {ae}{end}\t{sf.capitalize()} {af}{french_end}")
    data_dir.mkdir(parents=True, exist_ok=True)
    archive = data_dir / "fra-eng.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("fra-eng/fra.txt", "\n".join(lines) + "\n")
    return archive


# The Ames housing columns of Kaggle's house-price files, in their order, and for each categorical
# one a few of its codes; the numeric columns hold integers (areas, years, counts, grades) and a
# few of them, as in the real files, have missing values.
_HOUSE_COLUMNS = (
    "MSSubClass MSZoning LotFrontage LotArea Street Alley LotShape LandContour Utilities LotConfig "
    "LandSlope Neighborhood Condition1 Condition2 BldgType HouseStyle OverallQual OverallCond YearBuilt "
    "YearRemodAdd RoofStyle RoofMatl Exterior1st Exterior2nd MasVnrType MasVnrArea ExterQual ExterCond "
    "Foundation BsmtQual BsmtCond BsmtExposure BsmtFinType1 BsmtFinSF1 BsmtFinType2 BsmtFinSF2 BsmtUnfSF "
    "TotalBsmtSF Heating HeatingQC CentralAir Electrical 1stFlrSF 2ndFlrSF LowQualFinSF GrLivArea "
    "BsmtFullBath BsmtHalfBath FullBath HalfBath BedroomAbvGr KitchenAbvGr KitchenQual TotRmsAbvGrd "
    "Functional Fireplaces FireplaceQu GarageType GarageYrBlt GarageFinish GarageCars GarageArea "
    "GarageQual GarageCond PavedDrive WoodDeckSF OpenPorchSF EnclosedPorch 3SsnPorch ScreenPorch PoolArea "
    "PoolQC Fence MiscFeature MiscVal MoSold YrSold SaleType SaleCondition").split()
_HOUSE_CODES = {
    "MSZoning": "RL RM FV RH", "Street": "Pave Grvl", "Alley": "Grvl Pave", "LotShape": "Reg IR1 IR2",
    "LandContour": "Lvl Bnk HLS", "Utilities": "AllPub", "LotConfig": "Inside Corner CulDSac FR2",
    "LandSlope": "Gtl Mod", "Neighborhood": "CollgCr Veenker Crawfor NoRidge Mitchel Somerst",
    "Condition1": "Norm Feedr PosN", "Condition2": "Norm", "BldgType": "1Fam 2fmCon Duplex TwnhsE",
    "HouseStyle": "2Story 1Story 1.5Fin", "RoofStyle": "Gable Hip", "RoofMatl": "CompShg",
    "Exterior1st": "VinylSd MetalSd Wd HdBoard", "Exterior2nd": "VinylSd MetalSd Wd Shng",
    "MasVnrType": "BrkFace Stone", "ExterQual": "Gd TA Ex", "ExterCond": "TA Gd", "Foundation": "PConc CBlock BrkTil",
    "BsmtQual": "Gd TA Ex", "BsmtCond": "TA Gd", "BsmtExposure": "No Gd Mn Av", "BsmtFinType1": "GLQ ALQ Unf",
    "BsmtFinType2": "Unf BLQ", "Heating": "GasA", "HeatingQC": "Ex Gd TA", "CentralAir": "Y N",
    "Electrical": "SBrkr FuseA", "KitchenQual": "Gd TA Ex", "Functional": "Typ", "FireplaceQu": "TA Gd",
    "GarageType": "Attchd Detchd BuiltIn", "GarageFinish": "RFn Unf Fin", "GarageQual": "TA", "GarageCond": "TA",
    "PavedDrive": "Y N", "PoolQC": "Ex", "Fence": "MnPrv GdWo", "MiscFeature": "Shed",
    "SaleType": "WD New COD", "SaleCondition": "Normal Abnorml Partial"}
_HOUSE_MISSING = {"LotFrontage": 0.2, "Alley": 0.9, "MasVnrType": 0.5, "MasVnrArea": 0.05, "FireplaceQu": 0.5,
                  "GarageYrBlt": 0.05, "PoolQC": 0.95, "Fence": 0.8, "MiscFeature": 0.9, "BsmtQual": 0.03}


def write_kaggle_house(data_dir: Path, n_train: int = 120, n_test: int = 119, seed: int = 0) -> tuple[Path, Path]:
    """``kaggle_house_pred_train.csv`` and ``kaggle_house_pred_test.csv`` as the book downloads
    them: a header, then one house per line with ``Id``, the 79 Ames columns (numbers, codes,
    ``NA`` where missing) and, in the training file only, ``SalePrice``, which grows with the
    living area and the overall quality, as the real prices do."""
    rng = np.random.default_rng(seed)
    data_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    first_id = 1
    for name, n, labelled in (("train", n_train, True), ("test", n_test, False)):
        columns: dict[str, list[str]] = {"Id": [str(first_id + i) for i in range(n)]}
        first_id += n
        for col in _HOUSE_COLUMNS:
            if col in _HOUSE_CODES:
                codes = _HOUSE_CODES[col].split()
                values = [codes[k] for k in rng.integers(len(codes), size=n)]
            elif col.startswith(("Year", "GarageYr")):
                values = [str(v) for v in rng.integers(1900, 2010, size=n)]
            elif col in ("OverallQual", "OverallCond"):
                values = [str(v) for v in rng.integers(1, 11, size=n)]
            elif col.endswith(("SF", "Area", "Frontage")) or col in ("MiscVal", "EnclosedPorch", "3SsnPorch",
                                                                      "ScreenPorch", "WoodDeckSF"):
                values = [str(v) for v in rng.integers(0, 2000, size=n)]
            else:  # counts, classes and months
                values = [str(v) for v in rng.integers(0, 13, size=n)]
            missing = rng.random(n) < _HOUSE_MISSING.get(col, 0.0)
            columns[col] = ["NA" if m else v for v, m in zip(values, missing)]
        if labelled:
            area = np.array([float(v) for v in columns["GrLivArea"]])
            quality = np.array([float(v) for v in columns["OverallQual"]])
            price = 30000 + 60 * area + 12000 * quality + rng.normal(0, 15000, n)
            columns["SalePrice"] = [str(int(max(p, 20000))) for p in price]
        path = data_dir / f"kaggle_house_pred_{name}.csv"
        lines = [",".join(columns)] + [",".join(columns[c][i] for c in columns) for i in range(n)]
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    return paths[0], paths[1]
