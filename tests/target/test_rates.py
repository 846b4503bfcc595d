"""Tests for segkit.target.rates: responses read as 0/1, the normal quantile, Wilson intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ConfigError, DataError
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
