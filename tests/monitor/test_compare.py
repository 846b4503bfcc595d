"""segkit.monitor.compare: two runs' segments compared: stable ids, size changes, migration, the
PSI of the segment mix, and the alerts a reader sees."""

from __future__ import annotations

import pandas as pd
import pytest

from segkit.exceptions import DataError
from segkit.monitor import compare


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
