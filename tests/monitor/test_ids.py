"""Tests for segkit.monitor.ids: the labels a comparison reads and the Jaccard index it matches on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import DataError
from segkit.monitor.ids import as_labels, jaccard_index


def test_as_labels_reads_ids_as_text_and_segments_as_ints():
    labels = as_labels(pd.Series([0.0, np.nan, 2.0], index=[101, 102, 103]), "old segments")
    assert labels.to_dict() == {"101": 0, "103": 2}
    assert labels.dtype == int


@pytest.mark.parametrize(("labels", "message"), [
    ([0, 1], r"old segments: got list; expected a pandas Series of segment ids"),
    (pd.Series([0, 1], index=["a", "a"]), r"old segments: customer id 'a' appears more than once"),
], ids=["a-list", "duplicate-customer"])
def test_as_labels_says_what_it_expected(labels, message):
    with pytest.raises(DataError, match=message):
        as_labels(labels, "old segments")


def test_jaccard_index_of_a_cross_tabulation():
    overlap = np.array([[3, 1], [0, 2], [0, 0]])
    expected = np.array([[3 / 4, 1 / 6], [0.0, 2 / 3], [0.0, 0.0]])  # empty row: 0, not NaN
    np.testing.assert_allclose(jaccard_index(overlap), expected)
