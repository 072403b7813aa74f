"""multinomial: torch's distribution (not its random sequence, which comes from another generator).
Frequencies are checked with a chi-square bound; the draws without replacement are checked for
what they must be (distinct, nonzero-weight categories)."""
import numpy as np
import torch

import tinygrad_edu as tg


def _chi_square(counts: np.ndarray, p: np.ndarray) -> float:
    expected = counts.sum() * p
    keep = expected > 0
    return float((((counts - expected) ** 2)[keep] / expected[keep]).sum())


def test_multinomial_with_replacement_follows_the_weights_like_torch():
    weights = np.array([0.5, 0.0, 3.0, 1.5, 1.0], np.float32)  # unnormalised, one zero
    p = weights / weights.sum()
    n = 40_000
    tg.manual_seed(0)
    ours = np.bincount(tg.multinomial(tg.tensor(weights), n, replacement=True).numpy(), minlength=5)
    torch.manual_seed(0)
    theirs = np.bincount(torch.multinomial(torch.tensor(weights), n, replacement=True).numpy(), minlength=5)
    assert ours[1] == 0 and theirs[1] == 0
    # 3 degrees of freedom: P(chi2 > 20) < 2e-4; a wrong distribution (say uniform) gives thousands
    assert _chi_square(ours, p) < 20 and _chi_square(theirs, p) < 20
    assert _chi_square(ours, np.full(5, 0.2)) > 1000


def test_multinomial_without_replacement_draws_distinct_categories():
    tg.manual_seed(1)
    rows = tg.tensor(np.array([[1, 1, 0, 1, 5], [0, 2, 2, 2, 0]], np.float32))
    out = tg.multinomial(rows, 3).numpy()
    assert out.shape == (2, 3) and out.dtype == np.int64
    for r, drawn in enumerate(out):
        assert len(set(drawn)) == 3 and all(rows.numpy()[r, c] > 0 for c in drawn)
    # the first draw of a row follows the weights: category 4 (weight 5 of 8) most often
    firsts = np.bincount([tg.multinomial(rows[0], 1).item() for _ in range(2000)], minlength=5)
    assert firsts[2] == 0 and firsts[4] > firsts[0] + firsts[1] + firsts[3]


def test_multinomial_is_reproducible_from_a_seed_or_a_generator():
    w = tg.tensor([0.2, 0.3, 0.5])
    tg.manual_seed(7)
    a = tg.multinomial(w, 10, True).numpy()
    tg.manual_seed(7)
    assert np.array_equal(a, w.multinomial(10, True).numpy())
    g1, g2 = tg.Generator().manual_seed(3), tg.Generator().manual_seed(3)
    assert np.array_equal(tg.multinomial(w, 10, True, generator=g1).numpy(),
                          tg.multinomial(w, 10, True, generator=g2).numpy())
