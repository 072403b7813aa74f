"""``torch.utils``: the data-loading names d2l uses (``tinygrad_edu.utils.data``)."""
from . import data

__all__ = ["data"]
