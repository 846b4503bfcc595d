"""segkit.io.dates: dates beyond what pandas holds are open ends (missing and counted), in every format."""

from __future__ import annotations

import pandas as pd
import pytest

from segkit.io import detect_roles, quality_report, standardise_customers
from segkit.io.dates import read_dates

OPEN_ENDS = {"iso": ("2025-06-30", "9999-12-31"), "iso-year-1": ("2025-06-30", "0001-01-01"),
             "dmy-dot": ("30.06.2025", "31.12.9999"), "dmy-slash": ("30/06/2025", "31/12/2999"),
             "iso-time": ("2025-06-30 12:00:00", "9999-12-31 23:59:59")}


@pytest.mark.parametrize("form", OPEN_ENDS, ids=OPEN_ENDS.keys())
def test_an_open_end_is_missing_and_counted(form):
    day, end = OPEN_ENDS[form]
    values = pd.Series([day, end, None, day])
    dates, open_ends = read_dates(values, label="contracts.csv", column="valid to", frame=values.to_frame())
    assert dates.isna().tolist() == [False, True, True, False] and open_ends.tolist() == [False, True, False, False]
    assert str(dates.dtype) == "datetime64[ns]"


def test_a_date_column_with_open_ends_loads_and_says_how_many():
    table = pd.DataFrame({"customer id": [f"C{i}" for i in range(8)], "contract end": ["2026-01-31"] * 5
                          + ["9999-12-31"] * 2 + ["0001-01-01"], "plan": ["Basic", "Premium"] * 4})
    roles = detect_roles(table, kind="customers")
    assert roles.columns["contract end"].kind == "date"
    loaded = standardise_customers(table, roles, label="contracts.csv")
    assert loaded["contract end"].isna().sum() == 3
    quality = quality_report(table, roles, label="contracts.csv")
    problem = next(p for p in quality.impossible if p["column"] == "contract end")
    assert problem["count"] == 3 and problem["problem"].startswith("open-ended dates")
    assert problem["example"] == "9999-12-31" and problem["row"] == "row 6"


def test_numbers_read_as_dates_may_be_open_ends():
    values = pd.Series([20240131, 99991231])
    dates, open_ends = read_dates(values, label="x.csv", column="end", frame=values.to_frame())
    assert dates.isna().tolist() == [False, True] and open_ends.tolist() == [False, True]
