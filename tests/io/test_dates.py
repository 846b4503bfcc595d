"""segkit.io.dates: a date outside pandas' range, however written, is read as missing with a
warning naming the column, never a crash."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from segkit.io import read_table, standardise_customers
from segkit.io.dates import parse_dates

#: Columns of dates of every shape with one value out of pandas' range (1677-09-22..2262-04-11).
OUT_OF_RANGE = {
    "iso-open-end": ["2020-01-01", "9999-12-31", "2021-03-04"],
    "iso-beginning-of-time": ["0001-01-01", "2020-01-01", "2021-03-04"],
    "day-first": ["31/12/9999", "01/01/2020", "13/02/2021"],
    "date-and-time": ["2020-01-01 10:00", "3000-01-01 00:00", "2021-03-04 08:30"],
    "yyyymmdd-numbers": [20200101, 99991231, 20210304],
    "typed-datetimes": np.array(["2020-01-01", "9999-12-31", "2021-03-04"], dtype="datetime64[s]"),
}


@pytest.mark.parametrize("values", list(OUT_OF_RANGE.values()), ids=list(OUT_OF_RANGE))
def test_a_date_outside_the_range_is_missing_and_named(values):
    s = pd.Series(values)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parsed = parse_dates(s, label="c.csv", column="valid_to", frame=s.to_frame())
    assert str(parsed.dtype) == "datetime64[ns]"
    assert parsed.isna().sum() == 1 and parsed.notna().sum() == 2
    told = [str(w.message) for w in caught if "outside 1677-09-22..2262-04-11" in str(w.message)]
    assert len(told) == 1 and told[0].startswith("c.csv: column 'valid_to' has 1 date outside")


def test_a_customer_table_with_an_open_end_date_reads(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text("ID,Income,Dt_Customer\nC1,100,9999-12-31\nC2,200,2020-01-01\nC3,300,2020-02-01\n")
    with pytest.warns(UserWarning, match="column 'Dt_Customer' has 1 date outside"):
        out = standardise_customers(read_table(path, label="customers.csv"))
    assert out["Dt_Customer"].isna().tolist() == [True, False, False]
