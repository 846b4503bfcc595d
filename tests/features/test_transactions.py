"""segkit.features.transactions: purchase-log features (recency, orders, spend, tenure, returns,
shares) computed with DuckDB, checked on hand-built logs with exact values."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ColumnError, DataError, SegkitWarning
from segkit.features import FEATURE_COLUMNS, clean_transactions, transaction_features
from tests.runs import analysis
from tests.shapes import make_log


def test_refunds_are_netted_and_give_a_return_rate(tmp_path):
    rng = np.random.default_rng(3)
    n = 600
    pd.DataFrame({
        "customerID": [f"CU{i}" for i in rng.integers(0, 80, n)],
        "OrderDate": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 600, n), unit="D"))
        .strftime("%Y-%m-%dT%H:%M:%SZ"),
        "qty": rng.integers(1, 4, n), "unit_price": rng.gamma(2, 20, n).round(2),
        "type": np.where(rng.random(n) < 0.1, "refund", "sale"),
    }).to_csv(tmp_path / "log.csv", index=False)
    run = analysis(tmp_path, transactions="log.csv")
    features = run.build_features()
    assert features.cleaning["negative_quantities"].rows == int((pd.read_csv(tmp_path / "log.csv")["type"]
                                                                 == "refund").sum())
    assert features.frame["return_rate"].max() > 0


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


@pytest.mark.parametrize("amount", [6.564e290, -1e30, 1e24, math.inf, -math.inf],
                         ids=["huge-float", "huge-negative-refund", "at-the-limit", "infinite", "minus-infinite"])
@pytest.mark.parametrize("as_file", [False, True], ids=["frame", "parquet-file"])
def test_amount_too_large_to_sum_exactly_is_a_data_error(amount, as_file, tmp_path):
    log = make_log([("a", "2024-01-01", 5.0, "1"), ("b", "2024-01-02", 7.5, "2"), ("b", "2024-01-03", amount, "3"),
                    ("c", "2024-01-04", 1.0, "4")])
    source = log
    if as_file:
        source = tmp_path / "orders.parquet"
        log.to_parquet(source)
    row = r" at row 3" if not as_file else ""
    with pytest.raises(DataError, match=rf"orders.parquet: column 'amount' has 1 values too large to sum exactly "
                                        rf"\(e.g. .*{row}\); expected finite amounts below 1e\+24"):
        transaction_features(source, source="orders.parquet") if not as_file else transaction_features(source)


def test_amount_just_below_the_limit_is_summed():
    log = make_log([("a", "2024-01-01", 9.9e23, "1"), ("a", "2024-01-02", 1.0, "2")])
    assert transaction_features(log)["monetary"].iloc[0] == pytest.approx(9.9e23)


def test_missing_column():
    with pytest.raises(ColumnError, match="column 'amount' is missing"):
        transaction_features(pd.DataFrame({"customer_id": ["1"], "date": pd.to_datetime(["2024-01-01"])}))
    with pytest.raises(ColumnError, match="column 'date' is missing"):
        clean_transactions(pd.DataFrame({"customer_id": ["1"], "amount": [1.0]}))


@pytest.mark.parametrize("buckets", [1, 3, 16], ids=["one-bucket", "some-buckets", "buckets-left-empty"])
def test_a_purchase_log_in_memory_or_in_customer_buckets_gives_the_frames_features(small_log, buckets):
    """A PurchaseLog is read as what it holds: in memory, its frame; on disk in buckets by
    customer, one bucket at a time (some of them empty, some customers without a purchase)."""
    from segkit.io import PurchaseLog, PurchaseLogWriter

    expected = transaction_features(small_log, snapshot_date="2024-02-01")
    in_memory = transaction_features(PurchaseLog(small_log), snapshot_date="2024-02-01")
    with PurchaseLogWriter("log.csv", buckets=buckets, by="customer") as writer:
        writer.write(small_log.iloc[:5])
        writer.write(small_log.iloc[5:])
        stored = writer.close()
    on_disk = transaction_features(stored, snapshot_date="2024-02-01")
    pd.testing.assert_frame_equal(in_memory, expected)
    pd.testing.assert_frame_equal(on_disk, expected)
