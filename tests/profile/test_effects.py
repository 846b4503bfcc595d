"""segkit.profile.effects: effect sizes and the correction of p-values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

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
