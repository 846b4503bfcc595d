"""segkit.io.quality: the data-quality summary before cleaning, and duplicate lines found by hashing."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.io import DataQuality, detect_roles, duplicated_rows, quality_report, standardise_transactions


def test_quality_of_a_log():
    raw = pd.DataFrame({
        "CustomerID": ["1", "1", None, "2", "2"],
        "InvoiceDate": ["2011-01-01", "2011-01-01", "2011-01-02", "2011-01-03", "2011-01-05"],
        "Quantity": [2, 2, -1, 0, 1], "UnitPrice": [1.5, 1.5, 4.0, 2.0, -3.0],
    })
    q = quality_report(raw, detect_roles(raw, kind="transactions"), label="log.csv")
    assert q.to_dict() == {
        "label": "log.csv", "kind": "transactions", "rows": 5, "columns": 4, "missing": {"CustomerID": 1},
        "duplicate_rows": 1, "duplicate_ids": None, "missing_ids": 1, "negative_amounts": 2,
        "negative_amount_total": -7.0, "zero_amounts": 1, "negative_quantities": 1,
        "first_date": "2011-01-01 00:00:00", "last_date": "2011-01-05 00:00:00",
        "impossible": [{"column": "UnitPrice", "problem": "negative prices", "count": 1, "example": -3.0,
                        "row": "row 5"}],
    }
    assert repr(q) == ("DataQuality('log.csv', transactions: 5 rows x 4 columns, 1 missing value in 1 column, "
                       "1 duplicate rows, 1 rows without id, 2 negative amounts, 1 impossible values)")
    frame = q.to_frame()
    assert list(frame.columns) == ["check", "column", "count", "detail"]
    assert frame.set_index("check").loc["negative amounts", "detail"] == "total -7.00"
    # a standardised log is recognised without roles
    assert quality_report(standardise_transactions(raw)).negative_amounts == 2


def test_quality_of_a_customer_table():
    this_year = pd.Timestamp.today().year
    raw = pd.DataFrame({
        "ID": ["1", "2", "3", "3"], "Year_Birth": [1893, 1970, this_year + 1, 1980], "Age": [30, 131, 40, 20],
        "Income": [-5.0, np.nan, 1000.0, 2000.0],
    })
    q = quality_report(raw, label="crm.csv")
    assert (q.kind, q.duplicate_ids, q.duplicate_rows, q.missing) == ("customers", 1, 0, {"Income": 1})
    assert [(i["column"], i["count"], i["example"], i["row"]) for i in q.impossible] == [
        ("Year_Birth", 2, 1893, "row 1"), ("Age", 1, 131, "row 2"), ("Income", 1, -5.0, "row 1"),
    ]
    assert json.loads(json.dumps(q.to_dict())) == q.to_dict()
    assert isinstance(DataQuality(label="x", kind="customers", rows=0, columns=0).to_frame(), pd.DataFrame)


@pytest.mark.parametrize("keep", ["first", "last", False])
def test_duplicate_lines_found_by_hashing_are_exactly_pandas_duplicates(rng, keep):
    # long enough to take the hashed path; -0.0 and 0.0, NaN and NaN, <NA> and <NA> are equal to pandas
    n = 250_000
    df = pd.DataFrame({"amount": rng.integers(0, 40, n).astype(float),
                       "channel": pd.array(rng.choice(["web", "store", None], n), dtype="string"),
                       "date": pd.to_datetime(rng.integers(0, 20, n), unit="D"),
                       "quantity": rng.integers(0, 30, n)})
    df.loc[::7, "amount"] = -0.0
    df.loc[::11, "amount"] = np.nan
    expected = df.duplicated(keep=keep).to_numpy()
    assert 0 < expected.sum() < n
    np.testing.assert_array_equal(duplicated_rows(df, keep=keep), expected)
    mixed = df.assign(note=np.resize(np.array([1, "1", None], dtype=object), n))  # DuckDB cannot read it
    np.testing.assert_array_equal(duplicated_rows(mixed, keep=keep), mixed.duplicated(keep=keep).to_numpy())


@pytest.mark.parametrize("keep", ["first", "last", False])
@pytest.mark.parametrize("shape", ["distinct-first-columns", "repeated-first-columns", "every-line-repeated-first"],
                         ids=["lines-apart-on-first-columns", "lines-alike-on-first-columns-apart-later",
                              "first-columns-all-repeated"])
def test_duplicate_lines_of_a_wide_table_are_exactly_pandas_duplicates(rng, keep, shape):
    # more columns than the first-columns search looks at, with lines equal in full, equal only on
    # the first columns, equal only on later ones, and NaN / <NA> cells that pandas calls equal
    n, p = 300, 45
    codes = rng.integers(0, {"distinct-first-columns": 50, "repeated-first-columns": 3,
                             "every-line-repeated-first": 1}[shape], (n, p))
    df = pd.DataFrame(codes.astype(float), columns=[f"c{j}" for j in range(p)])
    df.iloc[:, 30:] = rng.integers(0, 2, (n, p - 30)).astype(float)
    df.loc[::13, "c40"] = np.nan
    df["code"] = pd.array(rng.choice(["a", None], n), dtype="string")
    df.iloc[100:140] = df.iloc[0:40].to_numpy()  # whole lines repeated
    expected = df.duplicated(keep=keep).to_numpy()
    assert expected.any()
    np.testing.assert_array_equal(duplicated_rows(df, keep=keep), expected)


def test_the_quality_of_chunks_adds_up_to_that_of_the_whole_log():
    from segkit.io import combine_quality, detect_roles

    log = pd.DataFrame({"CustomerID": ["1", None, "2", "3", "3", None],
                        "InvoiceDate": ["2024-01-02", "2024-01-03", "2024-01-01", "2024-02-01", "2024-01-05", "2024-01-06"],
                        "Quantity": [1, -2, 3, 1, 4, -1], "UnitPrice": [2.0, 1.5, -3.0, 0.0, -1.0, 2.0]})
    roles = detect_roles(log, kind="transactions")
    whole = quality_report(log, roles, label="log.csv")
    parts = []
    for start in (0, 3):
        chunk = log.iloc[start:start + 3].copy()
        chunk.attrs["segkit_source"] = {"rows": 6, "chunk": True, "row_offset": start}
        parts.append(quality_report(chunk, roles, label="log.csv"))
    combined = combine_quality(parts, duplicate_rows=whole.duplicate_rows)
    assert combined.to_dict() == whole.to_dict()
    assert combined.impossible[0]["count"] == 2 and combined.impossible[0]["row"] == "row 3"


@pytest.mark.parametrize("n_copies", [0, 1, 50], ids=["no-copies", "one-copy", "many-copies"])
def test_duplicates_found_through_a_key_column_are_pandas_own(n_copies):
    """A long log whose lines carry a hash of the raw line: that column serves as the hash, and
    the lines sharing it are still compared in full (a key shared by lines that differ elsewhere
    does not make them copies)."""
    rng = np.random.default_rng(n_copies)
    n = 250_000
    df = pd.DataFrame({"customer_id": rng.integers(0, 1000, n).astype(str), "amount": rng.integers(1, 5, n) * 1.0})
    df["line_hash"] = rng.integers(0, 2**63, n, dtype=np.uint64)
    df.loc[df.index[:1000], "line_hash"] = np.uint64(7)  # shared by lines that are not all equal
    if n_copies:
        df = pd.concat([df, df.sample(n_copies, random_state=0)], ignore_index=True)
    found = duplicated_rows(df, key="line_hash")
    np.testing.assert_array_equal(found, df.duplicated().to_numpy())
    assert found.sum() >= n_copies


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["a", "b", None]), st.integers(0, 2), st.booleans()),
                max_size=40),
       st.sampled_from(["first", "last", False]), st.booleans())
def test_duplicates_among_some_lines_are_those_of_the_lines_cut_out(lines, keep, keyed):
    """``among`` (the lines a cleaning rule still keeps) gives what cutting those lines out and
    looking for duplicates in them gives: with a key column (hashes shared by lines that
    differ elsewhere, too) or without."""
    df = pd.DataFrame({"amount": [float(a) for a, *_ in lines], "channel": pd.array([c for _, c, *_ in lines],
                                                                                     dtype="string")})
    if keyed:
        df["line_hash"] = np.array([h for *_, h, _ in lines], dtype=np.uint64)
    among = np.array([m for *_, m in lines], dtype=bool)
    expected = np.zeros(len(df), dtype=bool)
    expected[among] = df[among].duplicated(keep=keep).to_numpy()
    found = duplicated_rows(df, keep, key="line_hash" if keyed else None, among=among)
    np.testing.assert_array_equal(found, expected)


@pytest.mark.parametrize(("columns", "shown"), [(20, 20), (21, 11), (3_000, 11)],
                         ids=["as-many-as-shown", "one-more-than-shown", "wide-table"])
def test_the_checks_of_a_wide_table_show_the_largest_and_count_the_other_columns(columns, shown):
    """Missing values in thousands of columns: the report's table names the ten largest and counts
    the rest in one row; every column's count stays in to_dict (summary.json) and to_frame(most=None)."""
    missing = {f"reading_{j:04d}": 1 + (j * 7919) % 97 for j in range(columns)}
    q = DataQuality(label="wide.csv", kind="customers", rows=100, columns=columns + 1, missing=missing)
    table = q.to_frame()
    rows = table[table["check"] == "missing values"]
    assert len(rows) == shown
    assert int(rows["count"].sum()) == sum(missing.values())
    if shown < columns:
        largest = sorted(missing, key=lambda c: (-missing[c], c))[:10]
        assert set(rows["column"].iloc[:-1]) == set(largest)
        assert rows["column"].iloc[-1] == f"... {columns - 10:,} more columns"
    assert len(q.to_frame(most=None)) == len(table) - len(rows) + columns
    assert q.to_dict()["missing"] == missing
