"""segkit.io.dates: every way a table writes a date or a time of day, read to one clock; dates beyond
what pandas holds are open ends (missing and counted), in every format."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import DataError, SegkitWarning
from segkit.io import detect_roles, quality_report, read_table, standardise_customers, standardise_transactions
from segkit.io.dates import parse_dates, read_dates

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


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["13-01-2011", "02-03-2011"], ["2011-01-13", "2011-03-02"]),
        (["01/13/2011", "03/02/2011"], ["2011-01-13", "2011-03-02"]),
        (["13/01/2011", "02/03/2011"], ["2011-01-13", "2011-03-02"]),
        ([19970101, 19971231], ["1997-01-01", "1997-12-31"]),
        (["20110113", "20110302"], ["2011-01-13", "2011-03-02"]),
        (["12/1/2010 8:26", "12/13/2010 16:05"], ["2010-12-01 08:26", "2010-12-13 16:05"]),
        (["2011-01-13T10:00:00+01:00", "2011-03-02T00:00:00Z"], ["2011-01-13 09:00", "2011-03-02"]),
        (["13 Jan 2011", "2 Mar 2011"], ["2011-01-13", "2011-03-02"]),
        (["13.01.2011", None], ["2011-01-13", None]),
    ],
    ids=["dd-mm-yyyy", "mm/dd/yyyy", "dd/mm/yyyy", "yyyymmdd-int", "yyyymmdd-text", "us-with-time",
         "iso-with-zone", "day-month-name", "dotted-with-missing"],
)
def test_date_formats_are_inferred(values, expected):
    raw = pd.DataFrame({"customer_id": ["a", "b"], "date": values, "amount": [1.0, 2.0]})
    out = standardise_transactions(raw)
    assert out["date"].dtype == "datetime64[ns]"
    assert out["date"].tolist() == [pd.Timestamp(v) if v else pd.NaT for v in expected]


def test_ambiguous_dates_warn():
    raw = pd.DataFrame({"customer_id": ["a", "b"], "date": ["01-02-2011", "03-04-2011"], "amount": [1.0, 2.0]})
    with pytest.warns(SegkitWarning, match=r"column 'date' has dates that fit both '%d-%m-%Y' and '%m-%d-%Y'"):
        out = standardise_transactions(raw)
    assert out["date"].iloc[0] == pd.Timestamp("2011-02-01")


def test_timestamps_with_time_zones_and_us_dates():
    log = pd.DataFrame({
        "client": ["000123", "123", "000123"],
        "order_ts": ["2023-12-31T14:05:00+01:00", "2023-12-31T08:05:00-05:00", "2024-01-02T00:00:00Z"],
        "total_eur": ["$1,234.50", "$3.00", "$10"],
    })
    out = standardise_transactions(log)
    assert out["customer_id"].tolist() == ["000123", "123", "000123"]  # distinct ids
    assert out["date"].tolist() == [pd.Timestamp("2023-12-31 13:05"), pd.Timestamp("2023-12-31 13:05"),
                                    pd.Timestamp("2024-01-02")]  # one clock: UTC
    assert out["amount"].tolist() == [1234.5, 3.0, 10.0]
    us = standardise_transactions(pd.DataFrame({"Customer Number": [1, 2], "Purchase Date": ["12/31/2023 14:05",
                                                                                             "01/02/2024 09:00"],
                                                "Qty": [2, 1], "Unit Price": [1.5, 4.0]}))
    assert us["date"].tolist() == [pd.Timestamp("2023-12-31 14:05"), pd.Timestamp("2024-01-02 09:00")]
    assert us["amount"].tolist() == [3.0, 4.0]


def test_excel_serial_day_numbers_in_a_date_column():
    log = pd.DataFrame({"cust": ["1", "2", "3"], "Date": [45448, 45506.75, 45621], "Revenue": ["$283.90", "$1", "$2"]})
    out = standardise_transactions(log)
    assert out["date"].tolist() == [pd.Timestamp("2024-06-05"), pd.Timestamp("2024-08-02 18:00"),
                                    pd.Timestamp("2024-11-25")]


def test_a_column_of_clock_times_is_not_the_date():
    log = pd.DataFrame({"Store": ["S1", "S2"], "Time": ["14:02:11", "09:10:00"], "Date": ["2024-03-05", "2024-03-06"],
                        "Member": ["M1", "M2"], "Qty": [2, 1], "Unit Price": [1.5, 4.0]})
    roles = detect_roles(log, kind="transactions")
    assert roles.date == "Date" and roles.time == "Time"  # the time of day of each date
    assert standardise_transactions(log, roles)["date"].tolist() == [pd.Timestamp("2024-03-05 14:02:11"),
                                                                     pd.Timestamp("2024-03-06 09:10:00")]


@pytest.mark.parametrize(("date", "time", "times", "expected"), [
    ("Date", "Time", ["14:02:11", "09:10:00", "23:59:59"], ["14:02:11", "09:10:00", "23:59:59"]),
    ("Order Date", "Order Time", ["2:05 PM", "9:10 AM", "12:00 AM"], ["14:05:00", "09:10:00", "00:00:00"]),
    ("InvoiceDate", "InvoiceTime", ["14:02", "9:10", None], ["14:02:00", "09:10:00", "00:00:00"]),
    ("date", "hour", [14, 9, 0], ["14:00:00", "09:00:00", "00:00:00"]),
    ("Fecha", "Hora", ["14:02", "09:10", "00:30"], ["14:02:00", "09:10:00", "00:30:00"]),
], ids=["date-time", "order-am-pm", "invoice-blank-time", "date-hour", "spanish"])
def test_a_date_and_a_time_column_make_one_timestamp(date, time, times, expected):
    log = pd.DataFrame({time: times, "Customer": ["a", "b", "a"], date: ["3/15/2024", "3/16/2024", "3/17/2024"],
                        "Amount": [3.0, 4.0, 5.0]})
    roles = detect_roles(log, kind="transactions")
    assert (roles.date, roles.time) == (date, time) and roles.unused == []
    assert standardise_transactions(log, roles)["date"].tolist() == [
        pd.Timestamp(f"2024-03-15 {expected[0]}"), pd.Timestamp(f"2024-03-16 {expected[1]}"),
        pd.Timestamp(f"2024-03-17 {expected[2]}")]


def test_a_value_that_is_not_a_time_names_column_value_and_row():
    log = pd.DataFrame({"Customer": ["a", "b", "c"], "Date": ["2024-03-05"] * 3, "Time": ["14:02", "09:10", "25:61"],
                        "Amount": [3.0, 4.0, 5.0]})
    with pytest.raises(DataError, match=r"^till.csv: column 'Time' has 1 value that is not a time of day "
                                        r"\(e.g. '25:61' at row 3\); expected times like 14:02:11 or 2:02 PM$"):
        standardise_transactions(log, {"time": "Time"}, label="till.csv")


#: More shapes of a column with one date beyond pandas' range (1677-09-22..2262-04-11): a clock
#: time, a year no sentinel uses, yyyymmdd numbers and values already typed as datetimes.
OUT_OF_RANGE = {
    "iso-open-end": ["2020-01-01", "9999-12-31", "2021-03-04"],
    "iso-beginning-of-time": ["0001-01-01", "2020-01-01", "2021-03-04"],
    "day-first": ["31/12/9999", "01/01/2020", "13/02/2021"],
    "date-and-time": ["2020-01-01 10:00", "3000-01-01 00:00", "2021-03-04 08:30"],
    "yyyymmdd-numbers": [20200101, 99991231, 20210304],
    "typed-datetimes": np.array(["2020-01-01", "9999-12-31", "2021-03-04"], dtype="datetime64[s]"),
}


@pytest.mark.parametrize("values", list(OUT_OF_RANGE.values()), ids=list(OUT_OF_RANGE))
def test_a_date_outside_the_range_is_an_open_end_never_a_crash(values):
    s = pd.Series(values)
    dates, open_ends = read_dates(s, label="c.csv", column="valid_to", frame=s.to_frame())
    assert str(dates.dtype) == "datetime64[ns]"
    assert dates.isna().sum() == 1 and dates.notna().sum() == 2
    assert open_ends.tolist() == dates.isna().tolist()


def test_a_customer_table_with_an_open_end_date_reads_and_counts_it(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text("ID,Income,Dt_Customer\nC1,100,9999-12-31\nC2,200,2020-01-01\nC3,300,2020-02-01\n")
    table = read_table(path, label="customers.csv")
    out = standardise_customers(table, label="customers.csv")
    assert out["Dt_Customer"].isna().tolist() == [True, False, False]
    problem = next(p for p in quality_report(table, label="customers.csv").impossible if p["column"] == "Dt_Customer")
    assert problem["count"] == 1 and problem["problem"].startswith("open-ended dates")


@pytest.mark.parametrize("values, first", [
    (["2024/04/07 8:54:18 PM GMT+5:30", "2024/04/08 10:11:12 AM GMT+5:30"], "2024-04-07 15:24:18"),
    (["2024/04/07 8:54:18 PM GMT", "2024/04/08 10:11:12 AM GMT-3"], "2024-04-07 20:54:18"),
    (["04/07/2024 08:54:18 PM", "04/18/2024 10:11:12 AM"], "2024-04-07 20:54:18"),
    (["2024-04-07 20:54:18", "2024-04-08 10:11:12"], "2024-04-07 20:54:18"),
], ids=["google-forms-with-offset", "gmt-and-negative-offset", "surveymonkey-12-hour", "typeform-utc"])
def test_survey_tool_timestamps_are_dates_in_utc(values, first):
    s = pd.Series(values)
    parsed = parse_dates(s, label="export.csv", column="Timestamp", frame=s.to_frame())
    assert parsed.notna().all() and parsed.iloc[0] == pd.Timestamp(first)
    table = pd.DataFrame({"id": ["a", "b"], "Timestamp": values})
    assert detect_roles(table, kind="customers").columns["Timestamp"].kind == "date"
