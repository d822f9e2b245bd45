"""Tests of ccmetrics.multitest: Holm and Benjamini–Hochberg adjustments.

Expected values are hand calculations shown beside each assertion and the output of
statsmodels' ``statsmodels.stats.multitest.multipletests`` (methods "holm", "fdr_bh").
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from ccmetrics import multitest


def test_holm_by_hand_and_against_statsmodels():
    # sorted 0.01, 0.03, 0.04 -> 3·0.01, max(0.03, 2·0.03), max(0.06, 1·0.04)
    assert multitest.holm([0.01, 0.04, 0.03]).tolist() == pytest.approx([0.03, 0.06, 0.06])
    p = [0.001, 0.2, 0.04, 0.03, 0.5, np.nan]
    expected = multipletests(p[:5], method="holm")[1]
    got = multitest.holm(p)
    np.testing.assert_allclose(got[:5], expected)
    assert math.isnan(got[5])


def test_benjamini_hochberg_by_hand():
    # m = 4, sorted 0.01, 0.02, 0.03, 0.5: m·p/i = 0.04, 0.04, 0.04, 0.5; running minimum
    # from the largest leaves them; back in input order
    got = multitest.benjamini_hochberg([0.5, 0.02, 0.01, 0.03])
    assert got.tolist() == pytest.approx([0.5, 0.04, 0.04, 0.04])
    # m = 3, sorted 0.01, 0.03, 0.04: 0.03, 0.045, 0.04 -> the running minimum from the
    # largest lowers 0.045 to 0.04
    assert multitest.benjamini_hochberg([0.01, 0.04, 0.03]).tolist() == pytest.approx(
        [0.03, 0.04, 0.04]
    )


@pytest.mark.parametrize(("method", "statsmodels_method"), [("holm", "holm"), ("bh", "fdr_bh")])
def test_adjust_matches_statsmodels(method, statsmodels_method):
    rng = np.random.default_rng(7)
    # small and large p-values, ties and a 1.0
    p = np.concatenate([rng.uniform(0, 0.05, 20), rng.uniform(0, 1, 30), [0.01, 0.01, 1.0]])
    np.testing.assert_allclose(
        multitest.adjust(p, method), multipletests(p, method=statsmodels_method)[1], rtol=1e-12
    )


def test_nan_is_kept_and_not_counted():
    # NaN p-values stay NaN; the adjustments see m = 3 tests, as for the finite values alone
    p = [0.01, np.nan, 0.04, 0.03, np.nan]
    for method in multitest.METHODS:
        got = multitest.adjust(p, method)
        assert np.isnan(got[[1, 4]]).all()
        np.testing.assert_allclose(got[[0, 2, 3]], multitest.adjust([0.01, 0.04, 0.03], method))
        assert np.isnan(multitest.adjust([np.nan, np.nan], method)).all()


def test_empty_shape_and_bounds():
    for method in multitest.METHODS:
        assert multitest.adjust([], method).shape == (0,)
        # the shape of the input is kept
        table = multitest.adjust([[0.01, 0.04], [0.03, 0.2]], method)
        assert table.shape == (2, 2)
        np.testing.assert_allclose(table.ravel(), multitest.adjust([0.01, 0.04, 0.03, 0.2], method))
        # adjusted p-values stay in [0, 1]; inputs just outside (rounding) are clipped
        got = multitest.adjust([-1e-17, 0.6, 1 + 1e-12], method)
        assert ((got >= 0) & (got <= 1)).all()
    with pytest.raises(ValueError, match="method"):
        multitest.adjust([0.1], "sidak")
