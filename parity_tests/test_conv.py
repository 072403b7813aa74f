"""Parity of the conv ops against torch (forward and every input gradient), and float64 gradcheck.

The rows come from parity_tests/catalogue.py; the checks from parity_tests/harness.py.
"""
from .catalogue import cases
from .harness import make_gradcheck_test, make_parity_test

test_parity = make_parity_test(cases("conv"))
test_gradcheck = make_gradcheck_test(cases("conv"))
