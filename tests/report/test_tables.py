"""segkit.report.tables: the report's tables read like a report: words for names, no NaN,
percentages, no row numbers, captions that say what a column would only repeat."""

from __future__ import annotations

import pandas as pd
import pytest

from segkit import tables
from segkit.exceptions import SegkitWarning
from segkit.target import targeting_table
from tests.shapes import two_segments


def test_targeting_table_says_how_many_customers_had_no_response():
    labels = two_segments(40)
    response = pd.Series([1, 0, None, 0] * 10, index=labels.index, name="Responded", dtype="Float64")
    with pytest.warns(SegkitWarning):
        t = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11, min_cell_size=2)
    caption = tables.targeting_table(t).caption
    assert "10 customers have no response in Responded and are left out" in caption
    assert caption.startswith("Break-even response rate: 27.3% of contacts.")
