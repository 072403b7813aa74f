"""``torch.distributions``: the sampling d2l ch. 2.6 uses (``multinomial.Multinomial``)."""
from . import multinomial
from .multinomial import Multinomial

__all__ = ["multinomial", "Multinomial"]
