"""Tests for segkit.monitor.ids: the labels a comparison reads, the Jaccard index it matches on, the
alignment of segment ids, stable ids for a refresh, and the migration matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import DataError
from segkit.monitor import GONE_LABEL, NEW_LABEL, align_segments, migration_matrix, stable_ids
from segkit.monitor.ids import as_labels, jaccard_index
from tests.shapes import customer_ids


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


def test_relabelled_segments_get_their_old_ids_back():
    rng = np.random.default_rng(0)
    old = pd.Series(rng.integers(0, 4, 400), index=customer_ids(400))
    permutation = {0: 2, 1: 3, 2: 0, 3: 1}
    new = old.map(permutation)
    mapping = align_segments(old, new)
    assert mapping == {new_id: old_id for old_id, new_id in permutation.items()}
    assert (new.map(mapping) == old).all()


def test_a_new_segment_without_counterpart_gets_a_fresh_id():
    old = pd.Series([0] * 50 + [1] * 50, index=customer_ids(100))
    # segment 1 splits in two halves; the second half becomes a new segment 2
    new = pd.Series([0] * 50 + [1] * 25 + [2] * 25, index=customer_ids(100))
    mapping = align_segments(old, new)
    assert mapping[0] == 0 and mapping[1] == 1 and mapping[2] == 2
    unrelated = pd.Series([5] * 100, index=customer_ids(100))
    # one new segment holding everyone overlaps old 0 with Jaccard 0.5: it keeps id 0
    assert align_segments(old, unrelated) == {5: 0}


def test_runs_without_shared_customers_are_an_error():
    with pytest.raises(DataError, match="no customer id in common"):
        align_segments(pd.Series([0, 1], index=["a", "b"]), pd.Series([0, 1], index=["x", "y"]))


def test_migration_matrix_counts_movers_newcomers_and_leavers():
    old = pd.Series([0, 0, 0, 1, 1], index=["a", "b", "c", "d", "e"])
    new = pd.Series([0, 1, 1, 1, 0], index=["a", "b", "c", "d", "f"])
    m = migration_matrix(old, new)
    assert m.loc[0, 0] == 1 and m.loc[0, 1] == 2 and m.loc[1, 1] == 1
    assert m.loc[1, GONE_LABEL] == 1  # e left
    assert m.loc[NEW_LABEL, 0] == 1  # f arrived
    assert int(m.to_numpy().sum()) == 6


def test_stable_ids_keep_ids_in_range_and_follow_the_customers():
    old = pd.Series([0] * 30 + [1] * 30 + [2] * 30 + [3] * 10, index=customer_ids(100))
    # the new run has three segments: old 3 vanished, old 1 is now id 0, old 2 is id 1, old 0 is id 2
    new = pd.Series([2] * 30 + [0] * 30 + [1] * 40, index=customer_ids(100))
    assert stable_ids(old, new).tolist() == [1, 2, 0]
