"""segkit.profile.suppression: which cells a breakdown hides, and why."""

from __future__ import annotations

import pandas as pd

from segkit.profile.suppression import COMPLEMENTARY, SMALL_CELL, SMALL_SEGMENT, breakdown_cells, sparse_segments


def _counts(rows: dict[int, list[int]], levels: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index", columns=levels).rename_axis("segment")


def test_a_small_segment_hides_every_cell_and_each_line_keeps_two_hidden_or_none():
    counts = _counts({0: [40, 20, 15], 1: [4, 3, 2], 2: [35, 30, 25]}, ["a", "b", "c"])
    hidden, why = breakdown_cells(counts, 10)
    assert why.loc[1].tolist() == [SMALL_SEGMENT] * 3
    assert set(why.loc[[0, 2]].to_numpy().ravel()) <= {"", COMPLEMENTARY}
    for line in (hidden.sum(axis=0), hidden.sum(axis=1)):
        assert not (line == 1).any()


def test_empty_cells_are_shown():
    counts = _counts({0: [40, 0, 25], 1: [30, 0, 35]}, ["a", "b", "c"])
    hidden, why = breakdown_cells(counts, 10)
    assert not hidden.to_numpy().any() and (why == "").all().all()


def test_nothing_is_hidden_without_a_minimum():
    counts = _counts({0: [1, 2], 1: [3, 0]}, ["a", "b"])
    for minimum in (0, 1):
        hidden, why = breakdown_cells(counts, minimum)
        assert not hidden.to_numpy().any() and (why == "").all().all()


def test_a_small_cell_is_named_as_such():
    counts = _counts({0: [50, 5, 30], 1: [60, 40, 20]}, ["a", "b", "c"])
    _, why = breakdown_cells(counts, 10)
    assert why.loc[0, "b"] == SMALL_CELL


def test_sparse_segments_count_known_values_only():
    labels = pd.Series([0] * 15 + [1] * 15 + [2] * 3)
    values = pd.Series([1.0] * 15 + [2.0] * 9 + [None] * 6 + [None] * 3)
    assert sparse_segments(values, labels, min_cell_size=10) == [1]  # segment 2 has nothing to draw
