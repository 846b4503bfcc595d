"""Tests for segkit.features: hand-built logs with exact values, bad input, real data."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import duckdb
import numpy as np
import pandas as pd
import pytest
import sqlglot

from segkit.exceptions import ColumnError, ConfigError, DataError, SegkitWarning
from segkit.features import (
    DEFAULT_RFM_SEGMENTS,
    FEATURE_COLUMNS,
    CleaningLog,
    FeatureTable,
    build_features,
    clean_customers,
    clean_transactions,
    customer_features,
    feature_sql,
    rfm_scores,
    transaction_features,
)
from segkit.features.rfm import quantile_scores
from segkit.features.sql import safe_identifier


def make_log(rows, columns=("customer_id", "date", "amount", "invoice")) -> pd.DataFrame:
    """A standardised purchase log from tuples (string ids and invoices, parsed dates)."""
    frame = pd.DataFrame(rows, columns=list(columns))
    frame["customer_id"] = frame["customer_id"].astype("string")
    frame["date"] = pd.to_datetime(frame["date"])
    frame["amount"] = frame["amount"].astype("float64")
    for col in ("invoice", "country", "channel", "category"):
        if col in frame:
            frame[col] = frame[col].astype("string")
    return frame


@pytest.fixture
def small_log() -> pd.DataFrame:
    """A: two orders and a return; B: one order written twice; C: a return only; one anonymous line."""
    return make_log(
        [
            ("A", "2024-01-01 09:00", 10.0, "1"),
            ("A", "2024-01-01 09:00", 5.0, "1"),
            ("A", "2024-01-11 14:30", 20.0, "2"),
            ("A", "2024-01-12 10:00", -5.0, "C3"),
            ("B", "2024-01-05 12:00", 8.0, "4"),
            ("B", "2024-01-05 12:00", 8.0, "4"),
            (None, "2024-01-06 08:00", 100.0, "5"),
            ("C", "2024-01-08 16:00", -4.0, "C9"),
        ]
    )


# --- purchase-log features -------------------------------------------------------------


def test_features_can_be_written_to_parquet(small_log, tmp_path):
    # The snapshot date rode along in attrs as a Timestamp, and pandas' to_parquet, which
    # writes attrs as JSON, failed with "Object of type Timestamp is not JSON serializable".
    f = transaction_features(clean_transactions(small_log)[0])
    f.to_parquet(tmp_path / "features.parquet")
    back = pd.read_parquet(tmp_path / "features.parquet")
    assert back.index.tolist() == ["A", "B", "C"] and back["monetary"].tolist() == f["monetary"].tolist()
    assert back.attrs["snapshot_date"] == "2024-01-13T00:00:00"


def test_transaction_features_exact_values(small_log):
    clean, log = clean_transactions(small_log)
    f = transaction_features(clean)
    assert list(f.columns) == list(FEATURE_COLUMNS)
    assert f.index.name == "customer_id" and f.index.dtype == "string"
    assert f.index.tolist() == ["A", "B", "C"]
    assert f.attrs["snapshot_date"] == "2024-01-13T00:00:00"  # text, so that to_parquet works
    a, b, c = (f.loc[k] for k in "ABC")
    # A: orders 1 (15) and 2 (20), cancellation C3 (-5) netted.
    assert (a.recency_days, a.frequency, a.monetary, a.tenure_days) == (2, 2, 30.0, 12)
    assert a.avg_order_value == 15.0 and a.avg_days_between_orders == 10.0
    assert a.return_rate == pytest.approx(5 / 35)
    assert a.first_purchase == pd.Timestamp("2024-01-01 09:00") and a.last_purchase == pd.Timestamp("2024-01-11 14:30")
    # B: one purchase (the duplicate line was dropped); no inter-purchase time.
    assert (b.recency_days, b.frequency, b.monetary, b.tenure_days, b.avg_order_value) == (8, 1, 8.0, 8, 8.0)
    assert math.isnan(b.avg_days_between_orders) and b.return_rate == 0.0
    # C: a return only: no purchase, dates fall back to the return.
    assert (c.frequency, c.monetary, c.recency_days) == (0, -4.0, 5)
    assert math.isnan(c.avg_order_value) and math.isnan(c.return_rate)
    assert f.dtypes["frequency"] == "int64" and f.dtypes["recency_days"] == "int64"


def test_duplicates_kept_when_asked(small_log):
    clean, log = clean_transactions(small_log, drop_duplicates=False)
    f = transaction_features(clean)
    assert f.loc["B", "monetary"] == 16.0 and f.loc["B", "frequency"] == 1
    assert log["duplicates"].action == "kept" and log["duplicates"].rows == 1


def test_cleaning_log_counts(small_log):
    clean, log = clean_transactions(small_log)
    assert len(clean) == 6
    assert (log["missing_customer_id"].rows, log["missing_customer_id"].revenue) == (1, 100.0)
    assert (log["duplicates"].rows, log["duplicates"].revenue) == (1, 8.0)
    assert (log["cancellations"].rows, log["cancellations"].revenue, log["cancellations"].action) == (2, -9.0, "netted")
    assert log.rows_dropped == 2 and log.revenue_dropped == 108.0
    frame = log.to_frame()
    assert list(frame.columns) == ["rule", "action", "column", "rows", "revenue", "description"]
    assert frame["rule"].iloc[0] == "cancellations"
    data = json.loads(json.dumps(log.to_dict()))
    assert data["rows_dropped"] == 2 and data["entries"][1]["rule"] == "negative_quantities"
    assert "missing_customer_id [customer_id]: dropped 1 row (revenue 100.00)" in repr(log)
    assert isinstance(log + CleaningLog(), CleaningLog)


def test_cleaning_rules_configurable():
    log = make_log(
        [
            ("1", "2024-01-01", 10.0, "1"),
            ("1", "2024-01-02", -3.0, "C2"),
            ("1", "2024-01-03", 0.0, "3"),
            ("2", "2024-01-04", -50.0, "A4"),
            ("2", "2024-03-01", 7.0, "5"),
        ]
    )
    clean, cl = clean_transactions(log, rules={"cancellations": "drop", "zero_prices": "drop"}, snapshot_date="2024-02-01")
    assert clean["invoice"].tolist() == ["1"]
    assert [cl[r].rows for r in ("cancellations", "adjustments", "zero_prices", "future_dates")] == [1, 1, 1, 1]
    assert cl["future_dates"].revenue == 7.0
    with pytest.raises(ConfigError, match="did you mean 'duplicates'"):
        clean_transactions(log, rules={"duplicate": "drop"})
    with pytest.raises(ConfigError, match="must be one of"):
        clean_transactions(log, rules={"cancellations": "ignore"})


def test_invoice_codes_that_only_start_with_c_are_not_cancellations():
    log = make_log([("1", "2024-01-01", 10.0, "CUST-9"), ("1", "2024-01-02", 5.0, "C100")])
    _, cl = clean_transactions(log)
    assert cl["cancellations"].rows == 1


def test_negative_prices_dropped():
    log = make_log([("1", "2024-01-01", 10.0, "1", 2.0), ("1", "2024-01-02", -11062.06, "2", -11062.06)],
                   columns=("customer_id", "date", "amount", "invoice", "price"))
    clean, cl = clean_transactions(log)
    assert len(clean) == 1 and cl["negative_prices"].rows == 1 and cl["negative_prices"].revenue == -11062.06


def test_frequency_without_invoice_counts_customer_days():
    log = make_log(
        [("x", "2024-01-01 10:00", 1.0), ("x", "2024-01-01 15:00", 2.0), ("x", "2024-01-03 09:00", 4.0)],
        columns=("customer_id", "date", "amount"),
    )
    log["invoice"] = pd.array([pd.NA] * 3, dtype="string")
    f = transaction_features(log)
    assert f.loc["x", "frequency"] == 2 and f.loc["x", "avg_order_value"] == 3.5
    assert f.loc["x", "avg_days_between_orders"] == 2.0
    assert transaction_features(log.drop(columns="invoice")).loc["x", "frequency"] == 2


def test_two_step_order_count_equals_distinct_count(small_log):
    f = transaction_features(small_log)
    con = duckdb.connect()
    con.register("t", small_log)
    distinct = dict(
        con.sql(
            "SELECT customer_id, COUNT(DISTINCT invoice) FROM t WHERE customer_id IS NOT NULL "
            "AND amount > 0 GROUP BY 1"
        ).fetchall()
    )
    assert {k: int(v) for k, v in f["frequency"].items() if v} == distinct


def test_share_columns_top_values_and_other():
    log = make_log(
        [
            ("1", "2024-01-01", 30.0, "1", "United Kingdom"),
            ("1", "2024-01-01", 10.0, "1", "EIRE"),
            ("1", "2024-01-02", -5.0, "C2", "EIRE"),
            ("2", "2024-01-02", 20.0, "3", "Channel Islands"),
            ("2", "2024-01-03", 20.0, "4", "United Kingdom"),
            ("3", "2024-01-03", 5.0, "5", None),
        ],
        columns=("customer_id", "date", "amount", "invoice", "country"),
    )
    f = transaction_features(log, top_n=1)
    shares = [c for c in f.columns if c.startswith("share_")]
    assert shares == ["share_country_united_kingdom", "share_country_other"]
    assert f.loc["1", "share_country_united_kingdom"] == 0.75  # gross revenue, returns not subtracted
    assert f.loc["2"].share_country_other == 0.5 and f.loc["3"].share_country_other == 1.0
    f_all = transaction_features(log, top_n=5)
    assert "share_country_channel_islands" in f_all and "share_country_other" in f_all  # a missing value
    assert np.allclose(f_all.filter(like="share_").sum(axis=1), 1.0)


def test_share_columns_order_level_path_and_fallback(monkeypatch):
    """Shares summed per order (values constant within orders) equal shares summed per line,
    and an order with mixed values that the first-lines guess missed triggers the line path."""
    import segkit.features.transactions as tx

    log = make_log(
        [
            ("1", "2024-01-01", 30.0, "1", "United Kingdom"),
            ("1", "2024-01-01", 10.0, "1", "United Kingdom"),
            ("1", "2024-01-02", -5.0, "C2", "EIRE"),
            ("2", "2024-01-02", 20.0, "3", "Channel Islands"),
            ("2", "2024-01-03", 20.0, "4", "United Kingdom"),
            ("3", "2024-01-03", 5.0, "5", None),
        ],
        columns=("customer_id", "date", "amount", "invoice", "country"),
    )
    calls = []
    real_run = tx._run
    monkeypatch.setattr(tx, "_run", lambda *a: calls.append(list(a[-1].order_level_shares)) or real_run(*a))
    by_order = transaction_features(log, top_n=1)
    assert calls == [["country"]]  # one pass, shares per order
    assert "mixed_orders" not in by_order
    assert by_order.loc["1", "share_country_united_kingdom"] == 1.0
    assert by_order.loc["2"].share_country_other == 0.5 and by_order.loc["3"].share_country_other == 1.0
    calls.clear()
    monkeypatch.setattr(tx, "_order_level_candidates", lambda *a: [])
    pd.testing.assert_frame_equal(transaction_features(log, top_n=1), by_order)
    assert calls == [[]]

    mixed = log.copy()
    mixed.loc[1, "country"] = "EIRE"  # order 1 now spans two countries
    monkeypatch.setattr(tx, "_order_level_candidates", lambda rows, rel, shares, inv: list(shares))
    calls.clear()
    f = transaction_features(mixed, top_n=1)
    assert calls == [["country"], []]  # the order-level pass saw the mixed order and was redone
    assert f.loc["1", "share_country_united_kingdom"] == 0.75
    assert "mixed_orders" not in f


@pytest.mark.parametrize(
    ("value", "expected"),
    [("United Kingdom", "united_kingdom"), ("Café/Bar", "cafe_bar"), ("", "blank"), ("RSA", "rsa")],
    ids=["space", "punctuation", "empty", "upper"],
)
def test_safe_identifier(value, expected):
    assert safe_identifier(value) == expected


def test_snapshot_parameter_and_lines_after_it(small_log):
    clean, _ = clean_transactions(small_log)
    with pytest.warns(SegkitWarning, match="on or after the snapshot"):
        f = transaction_features(clean, snapshot_date="2024-01-10")
    assert f.loc["A", "monetary"] == 15.0 and f.loc["A", "recency_days"] == 9
    assert "C" in f.index


def test_path_input_matches_dataframe(small_log, tmp_path):
    clean, _ = clean_transactions(small_log)
    clean = clean.reset_index(drop=True)
    expected = transaction_features(clean)
    clean.to_parquet(tmp_path / "log.parquet")
    clean.to_csv(tmp_path / "log.csv", index=False)
    pd.testing.assert_frame_equal(transaction_features(tmp_path / "log.parquet"), expected, check_freq=False)
    from_csv = transaction_features(str(tmp_path / "*.csv"))
    pd.testing.assert_series_equal(from_csv["monetary"], expected["monetary"])


def test_integer_ids_in_a_file_come_back_as_text_sorted_as_text(tmp_path):
    log = pd.DataFrame({
        "customer_id": [10, 9, 10, 123],
        "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-03"]),
        "amount": [1.0, 2.0, 3.0, 4.0],
        "invoice": [1, 2, 3, 4],
    })
    log.to_parquet(tmp_path / "ints.parquet")
    f = transaction_features(tmp_path / "ints.parquet")
    assert f.index.dtype == "string"
    assert f.index.tolist() == ["10", "123", "9"]
    assert f.loc["10", "frequency"] == 2 and f.loc["10", "monetary"] == 4.0


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


# --- bad input ---------------------------------------------------------------------------


def test_snapshot_before_first_purchase(small_log):
    with pytest.raises(DataError, match=r"snapshot_date 2023-12-01 .*column 'date' starts at 2024-01-01 09:00:00 \(row 1\)"):
        transaction_features(small_log, snapshot_date="2023-12-01")


def test_log_without_any_customer_id(small_log):
    log = small_log.assign(customer_id=pd.array([pd.NA] * len(small_log), dtype="string"))
    with pytest.raises(DataError, match=r"column 'customer_id' has 8 missing values \(e.g. <NA> at row 1\)"):
        transaction_features(log)


def test_unparseable_date():
    log = pd.DataFrame({"customer_id": ["1", "2"], "date": ["2024-01-01", "yesterday"], "amount": [1.0, 2.0]})
    with pytest.raises(DataError, match=r"column 'date' has 1 values that are not dates \(e.g. 'yesterday' at row 2\)"):
        transaction_features(log, source="orders.csv")


def test_non_numeric_amount():
    log = pd.DataFrame({"customer_id": ["1", "2"], "date": pd.to_datetime(["2024-01-01"] * 2), "amount": ["1.5", "abc"]})
    with pytest.raises(DataError, match=r"orders.csv: column 'amount' has 1 non-numeric values \(e.g. 'abc' at row 2\)"):
        transaction_features(log, source="orders.csv")


def test_missing_column():
    with pytest.raises(ColumnError, match="column 'amount' is missing"):
        transaction_features(pd.DataFrame({"customer_id": ["1"], "date": pd.to_datetime(["2024-01-01"])}))
    with pytest.raises(ColumnError, match="column 'date' is missing"):
        clean_transactions(pd.DataFrame({"customer_id": ["1"], "amount": [1.0]}))


# --- RFM ---------------------------------------------------------------------------------


@pytest.fixture
def one_purchase_features() -> pd.DataFrame:
    """Ten customers, seven of whom bought once: a value qcut of frequency would fail."""
    ids = [f"c{i:02d}" for i in range(10)]
    return pd.DataFrame(
        {
            "recency_days": [5, 5, 5, 40, 40, 90, 90, 200, 300, 365],
            "frequency": [1, 1, 1, 1, 1, 1, 1, 2, 3, 9],
            "monetary": [10.0, 20, 30, 40, 50, 60, 70, 80, 90, 100],
        },
        index=pd.Index(ids, name="customer_id"),
    )


def test_rfm_quintiles_with_ties(one_purchase_features):
    scores = rfm_scores(one_purchase_features)
    # Ties broken by customer id: c00..c06 bought once, so c00,c01 -> 1, c02,c03 -> 2, ...
    assert scores["f_score"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # Recency reversed: the most recent get 5; within a tie the later id ranks higher.
    assert scores["r_score"].tolist() == [4, 5, 5, 3, 4, 2, 3, 2, 1, 1]
    assert scores["m_score"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert scores["r_score"].dtype == "Int8" and scores["rfm_segment"].dtype == "string"
    assert scores["rfm_segment"].tolist() == [
        "Promising", "New Customers", "Potential Loyalist", "About To Sleep", "Potential Loyalist",
        "At Risk", "Loyal Customers", "At Risk", "Can't Lose Them", "Can't Lose Them",
    ]


def test_rfm_scores_do_not_depend_on_row_order(one_purchase_features):
    shuffled = one_purchase_features.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(rfm_scores(shuffled).sort_index(), rfm_scores(one_purchase_features))


def test_default_segments_cover_every_score_pair():
    grid = pd.DataFrame(
        [(r, f) for r in range(1, 6) for f in range(1, 6)], columns=["recency_days", "frequency"]
    )
    table = DEFAULT_RFM_SEGMENTS
    for r, f in grid.itertuples(index=False):
        hits = table[(table.r_min <= r) & (table.r_max >= r) & (table.f_min <= f) & (table.f_max >= f)]
        assert len(hits) >= 1, (r, f)
    assert set(table["segment"]) >= {"Champions", "Loyal Customers", "At Risk", "Can't Lose Them", "Hibernating", "Lost"}
    assert len(table) == 11


def test_rfm_custom_segments_first_match_and_other(one_purchase_features):
    rules = [
        {"segment": "Big spenders", "r_min": 1, "r_max": 5, "f_min": 1, "f_max": 5, "m_min": 5, "m_max": 5},
        {"segment": "Recent", "r_min": 4, "r_max": 5, "f_min": 1, "f_max": 5},
        {"segment": "Never reached", "r_min": 1, "r_max": 5, "f_min": 1, "f_max": 5, "m_min": 5, "m_max": 5},
    ]
    seg = rfm_scores(one_purchase_features, segments=rules)["rfm_segment"]
    assert seg.value_counts().to_dict() == {"Other": 4, "Recent": 4, "Big spenders": 2}
    with pytest.raises(ConfigError, match="outside 1..5"):
        rfm_scores(one_purchase_features, segments=[{"segment": "x", "r_min": 0, "r_max": 6}])
    with pytest.raises(ColumnError, match="monetary"):
        rfm_scores(one_purchase_features.drop(columns="monetary"))


def test_quantile_scores_missing_values():
    s = pd.Series([3.0, np.nan, 1.0, 2.0, 5.0, 4.0], index=list("abcdef"))
    assert quantile_scores(s).tolist() == [3, pd.NA, 1, 2, 5, 4]


# --- customer table ----------------------------------------------------------------------


@pytest.fixture
def customer_table() -> tuple[pd.DataFrame, SimpleNamespace]:
    n = 60
    table = pd.DataFrame(
        {
            "customer_id": pd.array([str(i) for i in range(1, n + 1)], dtype="string"),
            "Year_Birth": [1960 + i % 30 for i in range(n)],
            "Income": [40000.0 + 500 * i for i in range(n)],
            "Kidhome": [i % 2 for i in range(n)],
            "Teenhome": [i % 3 == 0 for i in range(n)],
            "Marital_Status": pd.array(["Married"] * 30 + ["Single"] * 29 + ["YOLO"], dtype="string"),
            "Country": pd.array(["SP"] * 40 + ["CA"] * 20, dtype="string"),
            "MntWines": list(range(n)),
            "Device": pd.array(["ios", "android"] * 30, dtype="string"),
            "AcceptedCmp1": pd.array([1, 0, 0] * 20, dtype="Int8"),
            "Response": pd.array([1, 1, 0, 0] * 15, dtype="Int8"),
            "Z_CostContact": [3] * n,
        }
    )
    table.loc[0, "Year_Birth"] = 1893
    table.loc[1, "Income"] = 666666.0
    table.loc[2, "MntWines"] = -4
    roles = SimpleNamespace(
        customer_id="customer_id",
        demographics=["Year_Birth", "Income", "Kidhome", "Teenhome", "Marital_Status"],
        geography=["Country"],
        behaviour=["MntWines"],
        technographics=["Device"],
        campaigns=["AcceptedCmp1", "Response"],
        constants=["Z_CostContact"],
    )
    return table, roles


def test_clean_customers_rules(customer_table):
    table, roles = customer_table
    clean, log = clean_customers(table, roles, reference_year=2014)
    assert pd.isna(clean.loc[0, "Year_Birth"]) and pd.isna(clean.loc[1, "Income"]) and pd.isna(clean.loc[2, "MntWines"])
    assert clean["Income"].notna().sum() == 59  # ordinary incomes (up to 69,500) untouched
    assert log["impossible_birth_years"].rows == 1 and log["income_outliers"].rows == 1
    assert log["impossible_birth_years"].column == "Year_Birth"
    capped, _ = clean_customers(table, roles, rules={"income_outliers": "cap"}, reference_year=2014)
    assert 69500 < capped.loc[1, "Income"] < 666666
    assert table.loc[1, "Income"] == 666666.0  # the input is not modified


def test_customer_features_bases_and_derived(customer_table):
    table, roles = customer_table
    X, bases = customer_features(table, roles, reference_year=2014)
    assert X.index.name == "customer_id" and X.index.dtype == "string" and len(X) == 60
    assert "Year_Birth" not in X and "Z_CostContact" not in X
    assert X.loc["2", "age"] == 2014 - 1961 and pd.isna(X.loc["1", "age"])
    assert pd.isna(X.loc["2", "Income"])  # the 666666 outlier
    assert X.loc["1", "children"] == 1 and X.loc["1", "household_size"] == 3  # married, kid + teen
    assert X["Marital_Status"].cat.categories.tolist() == ["Married", "Single", "Other"]  # YOLO: 1 of 60 < 2%
    assert X.loc["1", "campaigns_accepted"] == 2 and X.loc["3", "any_accepted"] == 0
    assert bases == {
        "age": "demographic", "Income": "demographic", "Kidhome": "demographic", "Teenhome": "demographic",
        "Marital_Status": "demographic", "children": "demographic", "household_size": "demographic",
        "Country": "geographic", "MntWines": "behavioural", "Device": "technographic",
        "AcceptedCmp1": "campaign", "Response": "campaign", "campaigns_accepted": "campaign",
        "any_accepted": "campaign",
    }


def test_customer_features_missing_role_column(customer_table):
    table, roles = customer_table
    roles.behaviour = ["MntWine"]
    with pytest.raises(ColumnError, match=r"'MntWine' \(role behaviour\) is missing; close matches: \['MntWines'\]"):
        customer_features(table, roles)


# --- build_features + FeatureTable -------------------------------------------------------


def test_build_features_joins_and_selects(small_log, customer_table):
    table, roles = customer_table
    table = table.iloc[:3].assign(customer_id=pd.array(["A", "B", "Z"], dtype="string"))
    ft = build_features(customers=table, transactions=small_log, roles=roles)
    assert isinstance(ft, FeatureTable)
    assert ft.join == {"customers_only": 1, "transactions_only": 1, "both": 2}
    assert ft.frame.index.tolist() == ["A", "B", "C", "Z"]
    assert ft.frame.loc["Z", "frequency"] == 0 and pd.isna(ft.frame.loc["Z", "recency_days"])
    assert ft.snapshot_date == pd.Timestamp("2024-01-13")
    assert ft.frame.loc["A", "age"] == 2024 - 1893 or pd.isna(ft.frame.loc["A", "age"])
    assert ft.bases["monetary"] == "value" and ft.bases["return_rate"] == "behavioural"
    assert ft.select(basis="value").columns.tolist() == ["monetary", "avg_order_value"]
    behaviour = ft.select(basis=["behaviour"]).columns.tolist()
    assert "recency_days" in behaviour and "MntWines" in behaviour and "first_purchase" not in behaviour
    assert ft.select(features=["recency_days", "frequency"]).columns.tolist() == ["recency_days", "frequency"]
    with pytest.raises(ColumnError, match=r"feature 'recency' is not in the feature table; close matches: \[.*'recency_days'"):
        ft.select(features=["recency"])
    with pytest.raises(ConfigError, match="did you mean 'demographic'"):
        ft.select(basis=["demographix"])
    assert ft.rfm.index.tolist() == ["A", "B", "C"]
    text = repr(ft)
    assert "4 customers" in text and "join: customers_only 1" in text and "snapshot: 2024-01-13" in text
    assert {e.rule for e in ft.cleaning} >= {"duplicates", "income_outliers"}


def test_build_features_needs_input():
    with pytest.raises(ConfigError, match="neither"):
        build_features()


# --- real data ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def online_retail(shared_data) -> pd.DataFrame:
    files = sorted((shared_data / "online_retail" / "by-day").glob("*.csv"))
    raw = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False, na_values=[""]) for f in files], ignore_index=True)
    quantity = raw["Quantity"].astype("float64")
    price = raw["UnitPrice"].astype("float64")
    return pd.DataFrame(
        {
            "customer_id": raw["CustomerID"].str.removesuffix(".0").astype("string"),
            "date": pd.to_datetime(raw["InvoiceDate"], format="%Y-%m-%d %H:%M:%S"),
            "amount": quantity * price,
            "quantity": quantity,
            "price": price,
            "invoice": raw["InvoiceNo"].astype("string"),
            "country": raw["Country"].astype("string"),
            # product columns kept so the exact-duplicate rule sees whole lines
            "stock_code": raw["StockCode"].astype("string"),
            "description": raw["Description"].astype("string"),
        }
    )


@pytest.mark.slow
def test_online_retail(online_retail):
    assert len(online_retail) == 541_909
    ft = build_features(transactions=online_retail)
    assert len(ft.frame) == 4_372
    assert ft.cleaning["cancellations"].rows == 9_288
    assert ft.cleaning["missing_customer_id"].rows == 135_080
    assert ft.cleaning["missing_customer_id"].revenue == pytest.approx(1_447_682.12)
    assert ft.cleaning["duplicates"].rows == 5_225  # of the 5,268 duplicate lines, those with a customer
    assert ft.snapshot_date == pd.Timestamp("2011-12-10")
    assert ft.frame["share_country_united_kingdom"].between(0, 1 + 1e-9).all()  # rounding
    assert ft.frame.loc["12346", "monetary"] == 0.0  # bought 74,215 units and cancelled them
    assert ft.frame.loc["12346", "frequency"] == 1
    assert ft.rfm["rfm_segment"].nunique() == 11 and (ft.rfm["rfm_segment"] != "Other").all()
    assert ft.rfm["f_score"].value_counts().sort_index().tolist() == [875, 874, 875, 874, 874]


@pytest.mark.slow
def test_cdnow(shared_data):
    raw = pd.read_csv(shared_data / "cdnow" / "CDNOW_master.txt", sep=r"\s+", dtype=str)
    log = pd.DataFrame(
        {
            "customer_id": raw["customer_id"].astype("string"),
            "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "amount": raw["dollar_value"].astype("float64"),
            "quantity": raw["number_of_cds"].astype("float64"),
            "price": np.nan,
            "invoice": pd.array([pd.NA] * len(raw), dtype="string"),
        }
    )
    ft = build_features(transactions=log, drop_duplicates=False)  # repeated lines are real purchases
    assert len(ft.frame) == 23_570
    assert round(ft.frame["monetary"].sum(), 2) == 2_500_315.63
    assert ft.cleaning["duplicates"].action == "kept"
    assert ft.frame["frequency"].max() > 1 and ft.frame["avg_days_between_orders"].notna().any()


@pytest.mark.slow
def test_marketing_campaign(shared_data):
    table = pd.read_csv(shared_data / "marketing_campaign" / "marketing_campaign.csv", sep="\t")
    table.insert(0, "customer_id", table.pop("ID").astype(str).astype("string"))
    campaigns = ["AcceptedCmp1", "AcceptedCmp2", "AcceptedCmp3", "AcceptedCmp4", "AcceptedCmp5", "Response"]
    roles = SimpleNamespace(
        demographics=["Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Teenhome"],
        behaviour=["Recency", "MntWines", "MntFruits", "MntMeatProducts", "NumWebPurchases", "NumStorePurchases"],
        campaigns=campaigns,
        constants=["Z_CostContact", "Z_Revenue"],
    )
    ft = build_features(customers=table, roles=roles, reference_year=2014)
    X = ft.frame
    assert len(X) == 2_240
    born_1893 = table.loc[table["Year_Birth"] == 1893, "customer_id"].iloc[0]
    rich = table.loc[table["Income"] == 666666, "customer_id"].iloc[0]
    assert pd.isna(X.loc[born_1893, "age"]) and pd.isna(X.loc[rich, "Income"])
    assert X["Income"].max() == 162_397  # ordinary high incomes kept
    assert X["Income"].isna().sum() == 24 + 1
    assert ft.cleaning["income_outliers"].rows == 1
    assert "Other" in X["Marital_Status"].cat.categories and "YOLO" not in X["Marital_Status"].cat.categories
    assert X["campaigns_accepted"].sum() == table[campaigns].to_numpy().sum()
    assert ft.select(basis="campaign").shape == (2_240, 8)
