"""Tests for segkit.monitor.alerts: each kind of alert from a small hand-built comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.monitor.alerts import find_alerts
from segkit.monitor.ids import GONE_LABEL, NEW_LABEL

NO_DRIFT = pd.DataFrame(columns=["psi", "level", "old_median", "new_median", "changed_most"])


def _sizes(rows: dict[int, dict]) -> pd.DataFrame:
    defaults = {"old_name": "", "new_name": "", "old_share": 0.5, "new_share": 0.5, "change": 0.0, "stayed": 1.0,
                "continues": True}
    frame = pd.DataFrame([{**defaults, **row} for row in rows.values()], index=pd.Index(list(rows), name="segment"))
    frame["change"] = frame["new_share"] - frame["old_share"]
    return frame


def _migration(counts: list[list[int]], old: list, new: list) -> pd.DataFrame:
    return pd.DataFrame(counts, index=[*old, NEW_LABEL], columns=[*new, GONE_LABEL])


def _alerts(sizes, migration, size_psi=0.0, drift=NO_DRIFT, **kwargs):
    return find_alerts(sizes, size_psi, drift, migration, share_change=kwargs.get("share_change", 0.05),
                       min_stayed=kwargs.get("min_stayed", 0.5), feature_label=kwargs.get("feature_label", str))


def test_a_new_segment():
    sizes = _sizes({0: {"old_share": 1.0, "new_share": 0.8}, 1: {"old_share": 0.0, "new_share": 0.2,
                                                                 "new_name": "Fresh", "stayed": np.nan}})
    migration = _migration([[80, 0, 0], [0, 20, 0]], [0], [0, 1])
    assert _alerts(sizes, migration) == [
        "Segment 0 shrank from 100% to 80% of customers.",
        "New segment 1 (Fresh): 20% of customers, with no counterpart in the old run.",
    ]


@pytest.mark.parametrize(("to_zero", "to_two", "sentence"), [
    (30, 0, "all its returning customers are now in segment 0"),
    (20, 10, "most of its returning customers (67%) are now in segment 0"),
    (15, 15, "the largest part of its returning customers (50%) is now in segment 0"),
], ids=["all-moved", "most-moved", "split"])
def test_a_gone_segment_says_where_its_customers_went(to_zero, to_two, sentence):
    sizes = _sizes({0: {"old_share": 0.4, "new_share": 0.4}, 1: {"old_share": 0.3, "new_share": 0.0},
                    2: {"old_share": 0.3, "new_share": 0.6}})
    migration = _migration([[40, 0, 0], [to_zero, to_two, 0], [0, 30, 0], [0, 0, 0]], [0, 1, 2], [0, 2])
    found = _alerts(sizes, migration, share_change=0.5)
    assert found == [f"Segment 1 is gone: it held 30% of customers; {sentence}."]


def test_a_reused_id_says_where_its_customers_come_from_and_skips_the_stayed_alert():
    sizes = _sizes({0: {"old_name": "Old", "new_name": "New", "continues": False, "stayed": 0.1},
                    1: {"old_name": "Loyal"}})
    migration = _migration([[5, 45, 0], [45, 5, 0], [0, 0, 0]], [0, 1], [0, 1])
    assert _alerts(sizes, migration, min_stayed=0.5) == [
        "Segment 0 now holds other customers: 50% of customers, New, most of them from the earlier segment 1 "
        "(Loyal); the earlier segment 0 (Old) held 50%.",
    ]


def test_few_customers_stayed_and_a_major_feature_shift():
    sizes = _sizes({0: {"stayed": 0.4, "new_name": "Big"}})
    migration = _migration([[40, 0], [0, 0]], [0], [0])
    drift = pd.DataFrame({"psi": [0.6, 0.3, 0.05], "level": ["major", "major", "stable"],
                          "old_median": [10.0, np.nan, 1.0], "new_median": [25.0, np.nan, 1.0],
                          "changed_most": ["", "web 40% -> 55%", ""]}, index=["monetary", "channel", "age"])
    assert _alerts(sizes, migration, size_psi=0.3, drift=drift, feature_label=str.upper) == [
        "The segment mix shifted: PSI 0.30 (major).",
        "Only 40% of segment 0 (Big)'s returning customers stayed in it.",
        "Feature MONETARY shifted (PSI 0.60): median 10 -> 25.",
        "Feature CHANNEL shifted (PSI 0.30): web 40% -> 55%.",
    ]


def test_a_quiet_comparison_has_no_alert():
    sizes = _sizes({0: {}, 1: {}})
    assert _alerts(sizes, _migration([[50, 0, 0], [0, 50, 0], [0, 0, 0]], [0, 1], [0, 1])) == []
