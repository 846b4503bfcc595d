"""Tests for segkit.target.rates: responses read as 0/1, the normal quantile, Wilson intervals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from segkit.exceptions import ConfigError, DataError
from segkit.target import wilson_interval
from segkit.target.rates import binary_responses, z_critical


@pytest.mark.parametrize(("values", "expected"), [
    ([1, 0, None], [1.0, 0.0, np.nan]),
    ([True, False], [1.0, 0.0]),
    (["yes", " No ", "Y", "n", "TRUE", "false", ""], [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, np.nan]),
    (["oui", "nein", "ja"], [1.0, 0.0, 1.0]),
], ids=["numbers", "booleans", "english-words", "other-languages"])
def test_binary_responses_read_the_usual_ways_of_writing_an_answer(values, expected):
    out = binary_responses(pd.Series(values, dtype=object if None in values else None), "response")
    np.testing.assert_array_equal(out.to_numpy(), np.array(expected))


@pytest.mark.parametrize(("values", "message"), [
    ([0, 1, 2], r"response has 1 values that are not a response \(e.g. 2 at row 3\)"),
    (["yes", "maybe"], r"response has 1 values that are not a response \(e.g. 'maybe' at row 2\)"),
], ids=["number-2", "maybe"])
def test_binary_responses_name_a_value_that_is_not_an_answer(values, message):
    with pytest.raises(DataError, match=message):
        binary_responses(pd.Series(values), "response")


def test_z_critical_is_the_two_sided_quantile_and_checks_the_level():
    assert z_critical(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_critical(0.9) == pytest.approx(1.644854, abs=1e-6)
    with pytest.raises(ConfigError, match="confidence must be between 0 and 1"):
        z_critical(95)


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [(10, 100, 0.0552, 0.1744), (0, 20, 0.0, 0.1611), (20, 20, 0.8389, 1.0), (50, 100, 0.4038, 0.5962),
     (1, 10, 0.0179, 0.4042)],
    ids=["10/100", "0/20", "20/20", "50/100", "1/10"],
)
def test_wilson_interval_known_values(k, n, low, high):
    """Published / textbook Wilson 95% intervals (e.g. Newcombe 1998, Table I)."""
    lo, hi = wilson_interval(k, n)
    assert (round(lo, 4), round(hi, 4)) == (low, high)


def test_wilson_interval_is_vectorised_and_handles_empty():
    low, high = wilson_interval(np.array([10, 0, 5]), np.array([100, 0, 5]), confidence=0.9)
    assert low.shape == (3,) and np.isnan(low[1]) and np.isnan(high[1])
    z = stats.norm.ppf(0.95)
    p, n = 0.1, 100
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert low[0] == pytest.approx(centre - half, abs=1e-12) and high[0] == pytest.approx(centre + half, abs=1e-12)
    with pytest.raises(DataError):
        wilson_interval(5, 3)
    with pytest.raises(ConfigError, match="confidence"):
        wilson_interval(1, 3, confidence=95)
