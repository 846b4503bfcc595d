"""segkit.profile.effects: effect sizes and the correction of p-values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from segkit.exceptions import ConfigError
from segkit.profile import profile_segments
from segkit.profile.effects import bh_adjust, smd


def test_smd_uses_the_pooled_standard_deviation():
    a, b = np.array([2.0, 4.0, 6.0]), np.array([1.0, 2.0, 3.0, 4.0])
    pooled = math.sqrt((2 * 4.0 + 3 * np.var(b, ddof=1)) / 5)
    assert smd(a, b) == pytest.approx((4.0 - 2.5) / pooled)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ([5.0, 5.0], [5.0, 5.0], 0.0),
    ([6.0, 6.0], [5.0, 5.0], math.inf),
    ([1.0], [2.0, 3.0], None),
], ids=["constant and equal", "constant and apart", "too few values"])
def test_smd_edge_cases(a, b, expected):
    value = smd(np.array(a), np.array(b))
    assert (math.isnan(value) if expected is None else value == expected)


def test_bh_adjust_leaves_missing_p_values_out_of_the_family():
    adjusted = bh_adjust(pd.Series([0.01, np.nan, 0.02, 0.04]))
    assert np.isnan(adjusted[1])
    assert adjusted[[0, 2, 3]].tolist() == pytest.approx([0.03, 0.03, 0.04])


def test_effects_sizes_and_tests(small_table):
    features, labels, bases = small_table
    p = profile_segments(features, labels, bases=bases, min_cell_size=1)
    e = p.effects.set_index(["segment", "feature", "level"])
    a = features["Income"][labels == 0].to_numpy()
    b = features["Income"][labels != 0].to_numpy()
    pooled = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2))
    row = e.loc[(0, "Income", "")]
    assert row["effect_size"] == pytest.approx((a.mean() - b.mean()) / pooled)
    assert row["p_value"] == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue)
    assert row["effect_measure"] == "smd" and row["test"] == "welch_t"
    # Education for segment 0: 10 PhD vs rest 17 Basic + 3 PhD
    level = e.loc[(0, "Education", "PhD")]
    assert level["effect_size"] == pytest.approx(1.0 - 3 / 20)
    assert level["standardised"] == pytest.approx(2 * math.asin(1.0) - 2 * math.asin(math.sqrt(3 / 20)))
    chi2 = stats.chi2_contingency([[0, 10], [17, 3]], correction=False)[0]
    assert e.loc[(0, "Education", ""), "effect_size"] == pytest.approx(math.sqrt(chi2 / 30))
    assert e.loc[(0, "Education", ""), "effect_measure"] == "cramers_v"
    # Benjamini-Hochberg over every test of the profile
    ok = p.effects["p_value"].notna()
    expected = stats.false_discovery_control(p.effects.loc[ok, "p_value"], method="bh")
    assert np.allclose(p.effects.loc[ok, "p_adjusted"], expected)
    mw = profile_segments(features, labels, bases=bases, min_cell_size=1, numeric_test="mannwhitney")
    row = mw.effects.query("segment == 0 and feature == 'Income'").iloc[0]
    assert row["p_value"] == pytest.approx(stats.mannwhitneyu(a, b).pvalue)
    with pytest.raises(ConfigError, match="numeric_test"):
        profile_segments(features, labels, numeric_test="ttest")
