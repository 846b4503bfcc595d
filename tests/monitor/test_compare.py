"""segkit.monitor.compare: two runs' segments compared: stable ids, size changes, migration, the
PSI of the segment mix, and the alerts a reader sees."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import DataError
from segkit.monitor import GONE_LABEL, NEW_LABEL, compare, psi
from tests.shapes import customer_ids


def test_compare_on_plain_lists_is_a_segkit_error():
    with pytest.raises(DataError, match="old segments: got list; expected a pandas Series"):
        compare([0, 1, 1], [0, 1, 1])


def test_an_id_reused_for_another_segments_customers_is_not_reported_as_grown():
    # Last month: 0 young (90), 1 store (80), 2 big spenders (70). This month only two segments:
    # the store customers split, and the big spenders (plus newcomers) hold id 1, as a report
    # keeps ids 0..k-1.
    ids = [f"c{i}" for i in range(240)] + [f"n{i}" for i in range(60)]
    old = pd.Series([0] * 90 + [1] * 80 + [2] * 70, index=ids[:240])
    new = pd.Series([0] * 90 + [0] * 45 + [1] * 35 + [1] * 70 + [1] * 60, index=ids)
    result = compare(old, new, old_names={0: "Young", 1: "Store", 2: "Big spenders"},
                     new_names={0: "Young", 1: "Big spenders"}, align=False)
    assert not any("grew" in a for a in result.alerts if a.startswith("Segment 1"))
    assert ("Segment 1 now holds other customers: 55% of customers, Big spenders, most of them from the earlier "
            "segment 2 (Big spenders); the earlier segment 1 (Store) held 33%.") in result.alerts
    assert ("Segment 2 (Big spenders) is gone: it held 29% of customers; all its returning customers are now in "
            "segment 1 (Big spenders).") in result.alerts


def test_comparison_reports_stable_ids_size_changes_and_alerts():
    old = pd.Series([0] * 60 + [1] * 40, index=customer_ids(100))
    # new run: ids swapped; 20 of old 0 moved to old 1; 10 customers gone, 30 new (all in old 1)
    new_ids = customer_ids(90) + customer_ids(30, start=100)
    new = pd.Series([1] * 40 + [0] * 20 + [0] * 30 + [0] * 30, index=new_ids)
    result = compare(old, new, old_names={0: "Loyal", 1: "Bargain"}, new_names={0: "Bargain hunters", 1: "Loyal"})
    assert result.mapping == {0: 1, 1: 0}
    assert result.sizes.loc[0, "old_share"] == pytest.approx(0.6)
    assert result.sizes.loc[0, "new_share"] == pytest.approx(40 / 120)
    assert result.sizes.loc[0, "stayed"] == pytest.approx(40 / 60)
    assert result.sizes.loc[1, "new_name"] == "Bargain hunters"
    assert result.migration.loc[NEW_LABEL].sum() == 30 and result.migration[GONE_LABEL].sum() == 10
    assert any("shrank from 60% to 33%" in a for a in result.alerts)
    assert any("grew from 40% to 67%" in a for a in result.alerts)
    assert repr(result).startswith("Comparison('old' -> 'new': 90 returning customers")
    payload = result.to_dict()
    assert payload["mapping"] == {"0": 1, "1": 0} and json.dumps(payload, allow_nan=False)


def test_a_quiet_refresh_raises_no_alert():
    rng = np.random.default_rng(3)
    old = pd.Series(rng.integers(0, 3, 3000), index=customer_ids(3000))
    new = old.copy()
    flip = rng.random(3000) < 0.02
    new[flip] = (new[flip] + 1) % 3
    result = compare(old, new)
    assert result.alerts == [] and result.size_psi < 0.01


def test_an_id_reused_for_other_customers_is_said_so():
    # a report keeps ids 0..k-1: with one segment fewer, id 1 may be handed to other customers
    old = pd.Series([0] * 40 + [1] * 20 + [2] * 40, index=customer_ids(100))
    new = pd.Series([0] * 40 + [0] * 18 + [1] * 2 + [1] * 40, index=customer_ids(100))
    result = compare(old, new, align=False, old_names={1: "Gamers"}, new_names={1: "Readers"})
    assert not result.sizes.loc[1, "continues"] and result.sizes.loc[0, "continues"]
    assert any(a.startswith("Segment 1 now holds other customers: 42% of customers, Readers, most of them from "
                            "the earlier segment 2; the earlier segment 1 (Gamers) held 20%") for a in result.alerts)
    assert not any("grew" in a and "Segment 1" in a for a in result.alerts)


@pytest.mark.parametrize(("n", "expected"), [
    # old 60/30/10 %, new 70/30/0 %: 0.1 ln(0.7/0.6) + (0.5/n - 0.1) ln(0.5/n / 0.1)
    (1000, 0.1 * math.log(7 / 6) + 0.0995 * math.log(200)),   # 0.5426 (a 1e-4 floor: 0.7055)
    (100, 0.1 * math.log(7 / 6) + 0.095 * math.log(20)),      # 0.3000 (a 1e-4 floor: 0.7055)
], ids=["1000 customers", "100 customers"])
def test_a_vanished_segment_counts_as_half_a_customer(n, expected):
    ids = customer_ids(n)
    old = pd.Series([0] * (6 * n // 10) + [1] * (3 * n // 10) + [2] * (n // 10), index=ids)
    new = pd.Series([0] * (6 * n // 10) + [1] * (3 * n // 10) + [0] * (n // 10), index=ids)
    result = compare(old, new)
    assert result.size_psi == pytest.approx(expected, rel=1e-12)
    assert psi([6, 3, 1], [7, 3, 0], n=(n, n)) == pytest.approx(expected, rel=1e-12)
    assert any(a.startswith("Segment 2 is gone: it held 10% of customers") for a in result.alerts)
    assert any(a.startswith(f"The segment mix shifted: PSI {expected:.2f} (major)") for a in result.alerts)


def test_a_new_segment_counts_as_half_of_one_old_customer():
    """800 old customers (500/300); the new run adds 200 customers in a new segment."""
    old = pd.Series([0] * 500 + [1] * 300, index=customer_ids(800))
    new = pd.Series([0] * 500 + [1] * 300 + [2] * 200, index=customer_ids(1000))
    result = compare(old, new)
    expected = (0.5 - 0.625) * math.log(0.5 / 0.625) + (0.3 - 0.375) * math.log(0.3 / 0.375) \
        + (0.2 - 0.5 / 800) * math.log(0.2 / (0.5 / 800))  # 1.1947 (a 1e-4 floor: 1.5640)
    assert result.size_psi == pytest.approx(expected, rel=1e-12)
    assert any(a.startswith("New segment 2: 20% of customers") for a in result.alerts)
