"""Parity of the conv ops against torch (forward and every input gradient), and float64 gradcheck.

The rows come from parity_tests/catalogue.py; the checks from parity_tests/harness.py.
"""
import numpy as np
import pytest

from .catalogue import cases
from .harness import check_parity, make_gradcheck_test, make_parity_test
from .strategies import Draw

test_parity = make_parity_test(cases("conv"))
test_gradcheck = make_gradcheck_test(cases("conv"))


@pytest.mark.parametrize("pad", [(-2, -2), (-1, -3), (-2, -2, 1, 0)])
def test_pad_that_crops_everything_stays_in_the_graph(pad: tuple) -> None:
    """Negative constant padding that leaves no element: torch's empty result still requires grad
    and sends a zero gradient (a case the thorough profile drew on a GPU machine; pinned here)."""
    case = next(c for c in cases("conv") if c.name == "pad")
    x = np.arange(8, dtype=np.float64).reshape(2, 4)
    check_parity(case, Draw({"x": x}, {"pad": pad, "mode": "constant", "value": 0.0}), x.dtype, "cpu", seed=0)
