"""segkit.profile.suppression: which cells a breakdown hides, and why."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from segkit.profile import profile_segments
from segkit.profile.suppression import COMPLEMENTARY, SMALL_CELL, SMALL_SEGMENT, breakdown_cells, sparse_segments
from tests.shapes import breakdown


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


def test_small_segment_is_suppressed_everywhere(small_table):
    """Segment 2 has 5 customers < min_cell_size 10: no figure about it leaves the profile."""
    features, labels, bases = small_table
    p = profile_segments(features, labels, bases=bases, value_col="Income", min_cell_size=10)
    assert p.summary.loc[2, "suppressed"]
    assert p.summary.loc[2, ["size", "share", "revenue", "revenue_share"]].isna().all()
    seg2 = p.long[p.long["segment"] == 2]
    assert len(seg2) > 0 and seg2["suppressed"].all() and seg2["value"].isna().all() and seg2["n"].isna().all()
    assert p.wide.loc[2].drop("suppressed").isna().all() and p.wide.loc[2, "suppressed"]
    assert p.lift.loc[2].drop("suppressed").isna().all() and p.lift.loc[2, "suppressed"]
    e2 = p.effects[p.effects["segment"] == 2]
    assert e2["suppressed"].all() and e2[["effect_size", "p_value", "p_adjusted", "n"]].isna().all().all()
    c2 = p.categories[p.categories["segment"] == 2]
    assert c2["suppressed"].all() and c2[["count", "share"]].isna().all().all()
    # The other segments are shown
    assert not p.long.loc[p.long["segment"] == 0, "suppressed"].all()


def test_small_category_cells_are_suppressed(small_table):
    """Education (two levels): segment 1 has 3 PhDs, segment 0 no Basic, segment 2 is small.

    Segment 1's small cell would be given away by its other cell (segment size minus the
    cell shown), so both are hidden; segment 0's empty cell describes nobody and is shown,
    so its row stays whole (each hidden column still has two hidden cells).
    """
    features, labels, bases = small_table
    p = profile_segments(features, labels, bases=bases, min_cell_size=10)
    cats = p.categories.set_index(["segment", "feature", "level"])
    phd = cats.loc[(1, "Education", "PhD")]  # 3 customers
    assert phd["suppressed"] and np.isnan(phd["share"]) and np.isnan(phd["count"])
    assert phd["suppressed_reason"] == "small cell"
    basic = cats.loc[(1, "Education", "Basic")]  # 12 customers, but 15 - 12 = 3
    assert basic["suppressed"] and np.isnan(basic["count"]) and basic["suppressed_reason"] == "complementary"
    assert cats.loc[(0, "Education", "PhD"), "count"] == 10 and cats.loc[(0, "Education", "Basic"), "count"] == 0
    assert cats.loc[(2, "Education", "Basic"), "suppressed_reason"] == "small segment"
    assert cats.loc[([1, 2], "Education", slice(None)), "count"].isna().all()
    assert np.isnan(p.wide.loc[1, "Education=PhD"]) and np.isnan(p.wide.loc[1, "Education=Basic"])
    long_phd = p.long.query("segment == 1 and feature == 'Education' and level == 'PhD'")
    assert long_phd["suppressed"].all() and long_phd["value"].isna().all()
    assert (long_phd["suppressed_reason"] == "small cell").all()


def _hidden_cells(p, column: str) -> dict[tuple[int, str], str]:
    c = p.categories[(p.categories["feature"] == column) & p.categories["suppressed"]]
    return dict(zip(zip(c["segment"], c["level"]), c["suppressed_reason"]))


def test_complementary_suppression_of_a_breakdown():
    """One small cell (segment 0, phone: 3) hides a rectangle of four cells.

    Row 0 hides its smallest other cell (web, 30); the phone and web columns then each
    hide their smallest cell still shown (segment 1: 25 and 15). Each row and column now
    has two hidden cells or none, so no hidden count is a total minus cells shown.
    """
    counts = {0: {"catalogue": 50, "store": 40, "phone": 3, "web": 30},
              1: {"catalogue": 60, "store": 20, "phone": 25, "web": 15},
              2: {"catalogue": 45, "store": 35, "phone": 30, "web": 40}}
    features, labels = breakdown(counts, "channel")
    p = profile_segments(features, labels, min_cell_size=10)
    assert _hidden_cells(p, "channel") == {(0, "phone"): "small cell", (0, "web"): "complementary",
                                           (1, "phone"): "complementary", (1, "web"): "complementary"}
    cats = p.categories.set_index(["segment", "level"])
    shown = cats[~cats["suppressed"]]
    assert {k: int(v) for k, v in shown["count"].items()} == {
        (s, level): n for s, per in counts.items() for level, n in per.items()
        if (s, level) not in {(0, "phone"), (0, "web"), (1, "phone"), (1, "web")}}
    assert cats.loc[cats["suppressed"], ["count", "share", "lift"]].isna().all().all()
    # the same cells are hidden in the wide table, profiles.csv and the effects
    assert p.wide.loc[[0, 1], ["channel=phone", "channel=web"]].isna().all().all()
    assert p.wide.loc[2, ["channel=phone", "channel=web"]].notna().all()
    long = p.long[(p.long["feature"] == "channel") & (p.long["level"] != "")]
    hidden = long[long["suppressed"]]
    assert set(zip(hidden["segment"], hidden["level"])) == {(0, "phone"), (0, "web"), (1, "phone"), (1, "web")}
    assert hidden["value"].isna().all() and hidden["n"].isna().all()
    assert (hidden.loc[hidden["level"] == "web", "suppressed_reason"] == "complementary").all()
    e = p.effects[(p.effects["feature"] == "channel") & p.effects["suppressed"]]
    assert set(zip(e["segment"], e["level"])) == {(0, "phone"), (0, "web"), (1, "phone"), (1, "web"), (0, ""), (1, "")}
    hidden_values = ["n", "segment_value", "rest_value", "effect_size", "statistic", "p_value", "p_adjusted"]
    assert e[hidden_values].isna().all().all()
    # Cramér's V is hidden for the segments with hidden cells, and only for them
    v = p.long.query("feature == 'channel' and metric == 'cramers_v'").set_index("segment")
    assert v["suppressed"].tolist() == [True, True, False] and v.loc[2, "value"] > 0
    assert v.loc[0, "suppressed_reason"] == "complementary"
    # hidden tests leave the Benjamini-Hochberg family
    ok = p.effects["p_value"].notna()
    expected = stats.false_discovery_control(p.effects.loc[ok, "p_value"], method="bh")
    assert np.allclose(p.effects.loc[ok, "p_adjusted"], expected)


def test_complementary_suppression_protects_a_small_segment():
    """Segment 2 (5 customers) is hidden; without more, the level totals would give its counts.

    Each level column hides its smallest other cell (family 15, couple 25, single 10);
    segment 0, then left with one hidden cell, hides its smaller remaining one (family 20).
    """
    counts = {0: {"couple": 30, "family": 20, "single": 10},
              1: {"couple": 25, "family": 15, "single": 20},
              2: {"couple": 2, "family": 2, "single": 1}}
    features, labels = breakdown(counts, "household")
    p = profile_segments(features, labels, min_cell_size=10)
    assert _hidden_cells(p, "household") == {
        (2, "couple"): "small segment", (2, "family"): "small segment", (2, "single"): "small segment",
        (1, "couple"): "complementary", (1, "family"): "complementary", (0, "single"): "complementary",
        (0, "family"): "complementary"}
    shown = p.categories[(p.categories["feature"] == "household") & ~p.categories["suppressed"]]
    assert dict(zip(zip(shown["segment"], shown["level"]), shown["count"])) == {(0, "couple"): 30, (1, "single"): 20}
    assert p.summary.loc[2, "suppressed"] and np.isnan(p.summary.loc[2, "size"])
    assert (p.long.loc[p.long["segment"] == 2, "suppressed_reason"] == "small segment").all()


def test_cramers_v_is_hidden_with_hidden_cells_even_without_complementary_ones():
    """Two small cells per row and column need no complement, but the chi-square would solve them."""
    counts = {0: {"a": 3, "b": 4, "c": 50}, 1: {"a": 2, "b": 5, "c": 60}, 2: {"a": 30, "b": 30, "c": 30}}
    features, labels = breakdown(counts, "tier")
    p = profile_segments(features, labels, min_cell_size=10)
    assert set(_hidden_cells(p, "tier").values()) == {"small cell"}
    v = p.effects.query("feature == 'tier' and level == ''").set_index("segment")
    assert v["suppressed"].tolist() == [True, True, False]
    assert v.loc[[0, 1], ["effect_size", "statistic", "p_value"]].isna().all().all()
    assert v.loc[[0, 1], "suppressed_reason"].tolist() == ["complementary", "complementary"]


def test_no_complementary_suppression_without_small_cells_or_when_disabled():
    counts = {0: {"couple": 30, "family": 20}, 1: {"couple": 25, "family": 3}}
    features, labels = breakdown(counts, "household")
    off = profile_segments(features, labels, min_cell_size=1)
    assert not off.categories["suppressed"].any()
    shown = profile_segments(features, labels.replace({1: 0}), min_cell_size=10)
    assert not shown.categories["suppressed"].any()  # one segment: family 23 >= 10
