"""segkit.features.sql: the feature SQL kept in one place, transpiled by sqlglot and run on another
engine (SQLite) with the same results as DuckDB."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
import sqlglot

from segkit.features import feature_sql
from segkit.features.sql import safe_identifier
from tests.shapes import make_log


@pytest.mark.parametrize(
    ("value", "expected"),
    [("United Kingdom", "united_kingdom"), ("Café/Bar", "cafe_bar"), ("", "blank"), ("RSA", "rsa")],
    ids=["space", "punctuation", "empty", "upper"],
)
def test_safe_identifier(value, expected):
    assert safe_identifier(value) == expected


@pytest.mark.parametrize("dialect", ["spark", "snowflake", "bigquery", "postgres", "databricks"])
def test_feature_sql_transpiles(dialect):
    sql = feature_sql(snapshot_date="2011-12-10", shares={"country": ["United Kingdom", "EIRE"]}, dialect=dialect)
    assert "share_country_united_kingdom" in sql
    parsed = sqlglot.parse_one(sql, read=dialect)
    assert parsed.find(sqlglot.exp.Group) is not None
    if dialect == "spark":
        assert "DATEDIFF" in sql


@pytest.mark.parametrize(
    ("has_invoice", "order_level"),
    [(True, False), (True, True), (False, False)],
    ids=["invoices", "order-level shares", "customer-days"],
)
def test_the_sql_gives_the_same_features_on_another_engine(small_log, has_invoice, order_level):
    """Portability checked by running the transpiled SQL, not only by parsing it.

    SQLite (in the standard library) stands in for the warehouse: it has no date type and
    no DATE_DIFF, so the query only agrees with DuckDB if every definition survives the
    translation (calendar days between purchases made at different times of day, integer
    division in the order-level share codes, customer-days as orders).
    """
    import sqlite3

    log = pd.concat([small_log, make_log([
        ("D", "2024-01-02 23:30", 12.0, "6"), ("D", "2024-01-09 00:10", 7.5, "7"),
        ("D", "2024-01-09 08:00", 2.5, "7"), ("E", "2024-01-12 23:59", 3.0, "8"),
        ("E", "2024-01-20 10:00", 9.0, "10"),  # after the snapshot: ignored
    ])], ignore_index=True)
    log["channel"] = ["web", "web", "store", "store", "app", "app", "web", "app", "store", "web", "web", "app", "app"]
    kwargs = dict(snapshot_date="2024-01-13", has_invoice=has_invoice, shares={"channel": ["web", "store"]},
                  order_level_shares=["channel"] if order_level else ())
    con = duckdb.connect()
    con.register("transactions", log)
    expected = con.sql(feature_sql(**kwargs)).df()
    lite = sqlite3.connect(":memory:")
    log.assign(date=log["date"].dt.strftime("%Y-%m-%d %H:%M:%S")).to_sql("transactions", lite, index=False)
    got = pd.read_sql(feature_sql(**kwargs, dialect="sqlite"), lite)
    assert list(got.columns) == list(expected.columns) and len(expected) == 5
    for column in expected.columns:
        if column in ("first_purchase", "last_purchase"):
            pd.testing.assert_series_equal(pd.to_datetime(got[column]).astype("datetime64[ns]"),
                                           expected[column].astype("datetime64[ns]"),
                                           check_names=False)
        elif column == "customer_id":
            assert got[column].tolist() == expected[column].tolist()
        else:
            np.testing.assert_allclose(got[column].astype(float), expected[column].astype(float), err_msg=column)
    # the day counts are calendar days: D's first purchase at 23:30 is 11 days before the snapshot
    assert expected.set_index("customer_id").loc["D", "tenure_days"] == 11


def test_feature_sql_duckdb_runs_as_written(small_log):
    con = duckdb.connect()
    con.register("transactions", small_log)
    rows = con.sql(feature_sql(snapshot_date="2024-01-13")).fetchall()
    assert [r[0] for r in rows] == ["A", "B", "C"]
