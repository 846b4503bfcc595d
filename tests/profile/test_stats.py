"""segkit.profile.stats: the breakdowns the report draws, computed once with the profile."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.profile.stats import BREAKDOWN_LEVELS, OTHER_LEVEL, profile_segments

SCALE = ["Never", "Sometimes", "Often", "Always"]


def _frame(columns: dict[str, list], segments: list[int]) -> tuple[pd.DataFrame, pd.Series]:
    idx = pd.Index([f"c{i:03d}" for i in range(len(segments))], name="customer_id")
    return pd.DataFrame(columns, index=idx), pd.Series(segments, index=idx, name="segment")


def test_a_breakdown_holds_counts_shares_and_the_hidden_part_of_each_segment():
    # segment 0: 30 app, 3 web (small), 20 store; segment 1: 25 app, 25 web, 25 store
    channel = ["app"] * 30 + ["web"] * 3 + ["store"] * 20 + ["app"] * 25 + ["web"] * 25 + ["store"] * 25
    features, labels = _frame({"channel": channel}, [0] * 53 + [1] * 75)
    b = profile_segments(features, labels, min_cell_size=10).breakdowns.set_index(["segment", "level"])
    assert b.loc[(0, "web"), "suppressed_reason"] == "small cell" and np.isnan(b.loc[(0, "web"), "share"])
    # segment 0 protects its web cell with its smallest other one (store); the store and web
    # columns then protect theirs with segment 1's
    assert b.loc[(0, "store"), "suppressed_reason"] == "complementary"
    assert b.loc[(1, "store"), "suppressed_reason"] == b.loc[(1, "web"), "suppressed_reason"] == "complementary"
    assert b.loc[(0, "app"), "count"] == 30 and b.loc[(0, "app"), "share"] == pytest.approx(30 / 53)
    assert b.loc[(0, "app"), "suppressed_share"] == pytest.approx(23 / 53)
    assert b.loc[(1, "app"), "suppressed_share"] == pytest.approx(50 / 75)
    # shown and hidden parts make up each segment whole
    shown = b["share"].fillna(0).groupby(level="segment").sum()
    whole = shown + b["suppressed_share"].groupby(level="segment").first()
    assert whole.tolist() == pytest.approx([1.0, 1.0])


def test_breakdown_rows_are_stacked_in_scale_order_or_most_frequent_first():
    answers = ["Always"] * 12 + ["Never"] * 30 + ["Often"] * 18
    plan = ["basic"] * 15 + ["premium"] * 45
    features, labels = _frame({"usage": pd.Categorical(answers, categories=SCALE, ordered=True), "plan": plan},
                              [0] * 30 + [1] * 30)
    b = profile_segments(features, labels, min_cell_size=0).breakdowns
    usage = b[(b["feature"] == "usage") & (b["segment"] == 0)]
    assert usage["level"].tolist() == ["Never", "Often", "Always"] and usage["ordered"].all()
    plan_rows = b[(b["feature"] == "plan") & (b["segment"] == 1)]
    assert plan_rows["level"].tolist() == ["premium", "basic"] and not plan_rows["ordered"].any()


def test_a_breakdown_pools_rare_levels_and_counts_missing_values():
    levels = [f"L{i}" for i in range(12)]
    values = [levels[i % 12] for i in range(120)] + [None] * 6
    features, labels = _frame({"city": values}, [i % 2 for i in range(126)])
    profile = profile_segments(features, labels, min_cell_size=0)
    b = profile.breakdowns
    assert b["level"].nunique() == BREAKDOWN_LEVELS and OTHER_LEVEL in set(b["level"])
    assert set(b["missing"]) == {6}
    # the profile's own category table keeps more levels (max_levels)
    assert profile.categories["level"].nunique() == 12


def test_yes_no_columns_get_a_breakdown_and_numbers_do_not():
    features, labels = _frame({"member": [True] * 15 + [False] * 25, "spend": np.arange(40.0)}, [0] * 20 + [1] * 20)
    b = profile_segments(features, labels, min_cell_size=0).breakdowns
    assert set(b["feature"]) == {"member"} and set(b["level"]) == {"True", "False"}


def test_hidden_segments_are_those_with_too_few_known_values():
    spend = [10.0] * 20 + [30.0] * 4 + [None] * 16
    features, labels = _frame({"spend": spend}, [0] * 20 + [1] * 20)
    profile = profile_segments(features, labels, min_cell_size=10)
    assert profile.hidden_segments("spend") == [1]
    assert profile_segments(features, labels, min_cell_size=3).hidden_segments("spend") == []


def test_profiles_take_the_segmenters_label_array():
    from segkit.exceptions import DataError
    from segkit.profile import profile_segments

    idx = pd.Index([f"c{i}" for i in range(40)], name="customer_id")
    features = pd.DataFrame({"spend": [10.0, 12.0] * 10 + [90.0, 95.0] * 10}, index=idx)
    labels = np.array([0] * 20 + [1] * 20)  # Segmenter.labels_, in the rows' order
    profile = profile_segments(features, labels, min_cell_size=0)
    assert profile.summary["size"].tolist() == [20, 20]
    with pytest.raises(DataError, match=r"labels: 39 labels for 40 customers; expected one label per row"):
        profile_segments(features, labels[:-1])
