"""segkit.inputs: what a config names is read, given its roles, filtered by data.where and joined:
a customer table and a purchase log must describe the same customers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.config import load_config, make_config
from segkit.exceptions import ColumnError, ConfigError, DataError
from segkit.inputs import load_inputs
from segkit.pipeline import Analysis
from tests.runs import analysis, log_analysis


def test_response_without_customer_table_is_a_config_error(tmp_path):
    pd.DataFrame({"customer_id": [1], "date": ["2024-01-01"], "amount": [1.0]}).to_csv(tmp_path / "log.csv")
    run = analysis(tmp_path, transactions="log.csv", set_r="campaign.response=Response")
    with pytest.raises(ConfigError, match="campaign.response is 'Response' but no customer table"):
        run.load()


@pytest.fixture
def shop(tmp_path, rng):
    """A customer table and receipts whose id columns no detection can name."""
    n = 120
    pd.DataFrame({"Kto": [f"K{i:04d}" for i in range(n)], "Alter": rng.integers(18, 80, n)}).to_csv(
        tmp_path / "kunden.csv", sep=";", index=False)
    pd.DataFrame({
        "Käufer": [f"K{i:04d}" for i in rng.integers(0, n, 900)],
        "ts": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 365 * 24, 900), unit="h"),
        "net_sales": rng.gamma(2, 30, 900).round(2),
    }).to_csv(tmp_path / "bons.csv", index=False)
    return tmp_path


def test_id_named_differently_in_each_table_is_given_as_a_list(shop):
    run = analysis(shop, customers="kunden.csv", transactions="bons.csv",
                    set_id="columns.customer_id=[Kto, Käufer]")
    run.load()
    assert run.inputs.customer_roles.customer_id == "Kto" and run.inputs.transaction_roles.customer_id == "Käufer"
    features = run.build_features()
    assert features.join["both"] == 120 and features.join["transactions_only"] == 0


def test_tables_that_cannot_be_joined_are_errors(shop):
    # No id column found in the customer table: rows numbered 1..n cannot meet the log's ids.
    run = analysis(shop, customers="kunden.csv", transactions="bons.csv", set_id="columns.customer_id=Käufer")
    with pytest.raises(ColumnError, match=r"kunden.csv: no customer id column found, so its customers cannot be "
                                          r"matched with those of bons.csv \(column 'Käufer'\)"):
        run.load()
    # Ids in both, but none the same.
    pd.read_csv(shop / "kunden.csv", sep=";").assign(Kto=lambda d: d["Kto"].str.lower()).to_csv(
        shop / "kunden.csv", sep=";", index=False)
    run = analysis(shop, customers="kunden.csv", transactions="bons.csv", set_id="columns.customer_id=[Kto, Käufer]")
    with pytest.raises(DataError, match=r"no customer id is in both tables \(e.g. 'k0000' in column 'Kto' of "
                                        r"kunden.csv, 'K\d{4}' in column 'Käufer' of bons.csv\)"):
        run.load()


def test_misspelt_id_with_two_tables_is_an_error_not_ignored(shop):
    run = analysis(shop, customers="kunden.csv", transactions="bons.csv", set_id="columns.customer_id=Kaeufer")
    with pytest.raises(ColumnError, match=r"kunden.csv and bons.csv: column 'Kaeufer' \(columns.customer_id\) is in "
                                          r"neither table; did you mean 'Käufer'\?"):
        run.load()


def test_the_combined_timestamp_is_printed_and_checked(tmp_path, capsys):
    pd.DataFrame({"Date": ["2024-03-05", "2024-03-05", "2024-03-09"], "Time": ["09:12", "17:40", "08:05"],
                  "Member": ["M1", "M1", "M2"], "Sales": [3.0, 4.0, 5.0]}).to_csv(tmp_path / "till.csv", index=False)
    run = log_analysis(tmp_path, "till.csv", verbose=True)
    inputs = run.load()
    assert "  time            Time (time of day, combined with Date into one timestamp)" in capsys.readouterr().out
    assert inputs.transactions["date"].tolist() == [pd.Timestamp("2024-03-05 09:12"), pd.Timestamp("2024-03-05 17:40"),
                                                    pd.Timestamp("2024-03-09 08:05")]
    quality = inputs.quality["transactions"]
    assert (quality.first_date, quality.last_date) == ("2024-03-05 09:12:00", "2024-03-09 08:05:00")


def test_a_given_date_is_used_as_given_and_a_given_time_is_added(tmp_path):
    pd.DataFrame({"Order Date": ["2024-03-05", "2024-03-06"], "Order Time": ["14:02", "09:10"],
                  "Member": ["M1", "M2"], "Sales": [3.0, 4.0]}).to_csv(tmp_path / "till.csv", index=False)
    given = log_analysis(tmp_path, "till.csv", "columns.date=Order Date").load()
    assert given.transaction_roles.time is None
    assert given.transactions["date"].tolist() == [pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-06")]
    both = log_analysis(tmp_path, "till.csv", "columns.date=Order Date", "columns.time=Order Time").load()
    assert both.transactions["date"].tolist() == [pd.Timestamp("2024-03-05 14:02"), pd.Timestamp("2024-03-06 09:10")]
    with pytest.raises(ConfigError, match=r"'columns.time' must be a column name"):
        load_config(None, overrides=["columns.time=[a, b]"])


def test_duplicates_are_judged_on_the_whole_raw_line(tmp_path):
    # Two different products on one invoice at the same price and quantity are two real lines;
    # only the repeated SKU-B line is a duplicate.
    pd.DataFrame({
        "InvoiceNo": ["1", "1", "1", "2"],
        "StockCode": ["SKU-A", "SKU-B", "SKU-B", "SKU-A"],
        "CustomerID": ["7", "7", "7", "8"],
        "InvoiceDate": ["2024-01-02", "2024-01-02", "2024-01-02", "2024-02-03"],
        "Quantity": [1, 1, 1, 2],
        "UnitPrice": [5.0, 5.0, 5.0, 5.0],
    }).to_csv(tmp_path / "log.csv", index=False)
    run = Analysis(load_config(None, overrides=[f"data.transactions={tmp_path / 'log.csv'}"]), verbose=False)
    run.load()
    features = run.build_features()
    log = features.cleaning.to_frame().set_index("rule")
    assert log.loc["duplicates", "rows"] == 1
    assert features.frame.loc["7", "monetary"] == 10.0
    assert features.frame.loc["8", "monetary"] == 10.0


def test_data_where_ignores_case_and_spaces_around_values():
    from segkit.inputs import apply_where as _apply_where

    raw = pd.DataFrame({"Status": ["succeeded", "Succeeded ", "failed", None, "SUCCEEDED"], "x": range(5)})
    kept = _apply_where(raw, {"Status": ["succeeded"]}, "charges.csv")
    assert kept["x"].tolist() == [0, 1, 4]
    with pytest.raises(DataError, match=r"charges.csv: no rows where column 'Status' is \['refunded'\]"):
        _apply_where(raw, {"Status": "refunded"}, "charges.csv")


def test_weights_need_a_table_of_respondents(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("customer,date,amount\na,2024-01-01,3\n")
    config = make_config({"data": {"transactions": str(log)}, "survey": {"weight": "w"}})
    with pytest.raises(ConfigError, match="survey.weight is 'w' but no customer table"):
        load_inputs(config)


# -- a long purchase log read in chunks ------------------------------------------------------------
import segkit.inputs as inputs_module  # noqa: E402
from segkit.config import make_config  # noqa: E402
from segkit.features.build import build_features  # noqa: E402
from segkit.inputs import load_inputs  # noqa: E402
from segkit.io import PurchaseLog  # noqa: E402
from tests.shapes import LOG_SHAPES, raw_purchase_log  # noqa: E402


def _both_ways(monkeypatch, config, chunk_rows):
    """The inputs read whole and read in chunks of ``chunk_rows`` lines."""
    whole = load_inputs(config)
    monkeypatch.setattr(inputs_module, "CHUNK_ROWS", chunk_rows)
    chunked = load_inputs(config, stream_from=0)
    assert isinstance(chunked.transactions, PurchaseLog) and not chunked.transactions.in_memory
    return whole, chunked


def _assert_same_results(whole, chunked, **build):
    pd.testing.assert_frame_equal(whole.transactions, chunked.transactions.to_pandas())
    assert whole.quality["transactions"].to_dict() == chunked.quality["transactions"].to_dict()
    a = build_features(transactions=whole.transactions, **build)
    b = build_features(transactions=chunked.transactions, **build)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    pd.testing.assert_frame_equal(a.rfm, b.rfm)
    assert [(e.rule, e.action, e.rows) for e in a.cleaning.entries] == \
        [(e.rule, e.action, e.rows) for e in b.cleaning.entries]
    for x, y in zip(a.cleaning.entries, b.cleaning.entries, strict=True):
        assert (x.revenue is None) == (y.revenue is None)
        assert x.revenue is None or x.revenue == pytest.approx(y.revenue, abs=1e-6)


@pytest.mark.parametrize("shape", LOG_SHAPES, ids=LOG_SHAPES)
@pytest.mark.parametrize("seed", [0, 1], ids=["seed0", "seed1"])
def test_a_log_read_in_chunks_gives_the_results_of_the_log_read_whole(tmp_path, monkeypatch, shape, seed):
    raw_purchase_log(shape, seed=seed).to_csv(tmp_path / "log.csv", index=False)
    whole, chunked = _both_ways(monkeypatch, make_config({"data": {"transactions": str(tmp_path / "log.csv")}}), 700)
    _assert_same_results(whole, chunked)


@pytest.mark.parametrize("shape, by", [("plain", "customer"), ("refunds", "order")])
def test_a_log_read_in_chunks_is_bucketed_by_customer_unless_cleaning_needs_whole_orders(tmp_path, monkeypatch,
                                                                                           shape, by):
    """Refunds are taken down per order, and an order's lines can name different customers (as in
    this log); without them, the buckets the log is read into are the feature query's."""
    raw_purchase_log(shape, seed=0).to_csv(tmp_path / "log.csv", index=False)
    _, chunked = _both_ways(monkeypatch, make_config({"data": {"transactions": str(tmp_path / "log.csv")}}), 700)
    log = chunked.transactions
    assert log.by == by
    key = "customer_id" if by == "customer" else "invoice"
    seen = {}
    for i, bucket in enumerate(log.buckets()):
        for value in bucket[key].dropna().unique():
            assert seen.setdefault(value, i) == i
    assert len(seen) > 16


def test_a_folder_of_parquet_files_read_in_chunks_gives_the_same_results(tmp_path, monkeypatch):
    log = raw_purchase_log("shares", n=2000)
    log["Quantity"] = log["Quantity"].astype("Int64")
    log.loc[1500, "Quantity"] = None  # a missing number in a late file only: every chunk types the column alike
    for i, part in enumerate((log.iloc[:900], log.iloc[900:])):
        part.to_parquet(tmp_path / f"part-{i}.parquet", index=False)
    whole, chunked = _both_ways(monkeypatch, make_config({"data": {"transactions": str(tmp_path)}}), 400)
    _assert_same_results(whole, chunked)


def test_a_bad_date_in_a_late_chunk_names_the_files_own_row(tmp_path, monkeypatch):
    log = raw_purchase_log("plain", n=2000)
    log.loc[1733, "InvoiceDate"] = "yesterday"
    log.to_csv(tmp_path / "log.csv", index=False)
    monkeypatch.setattr(inputs_module, "CHUNK_ROWS", 500)
    config = make_config({"data": {"transactions": str(tmp_path / "log.csv")}})
    with pytest.raises(DataError, match=r"log.csv: column 'InvoiceDate' .*'yesterday' at row 1734\b"):
        load_inputs(config, stream_from=0)
    with pytest.raises(DataError, match=r"'yesterday' at row 1734\b"):
        load_inputs(config)


def test_a_log_that_fails_in_a_late_chunk_leaves_no_parts_behind(tmp_path, monkeypatch):
    """The chunks written before the bad one are removed with their folder (they were left in the
    temporary folder, a log's worth of Parquet at 10M lines)."""
    import tempfile
    from pathlib import Path

    log = raw_purchase_log("plain", n=2000)
    log.loc[1733, "InvoiceDate"] = "yesterday"
    log.to_csv(tmp_path / "log.csv", index=False)
    monkeypatch.setattr(inputs_module, "CHUNK_ROWS", 500)
    config = make_config({"data": {"transactions": str(tmp_path / "log.csv")}})
    before = set(Path(tempfile.gettempdir()).glob("segkit-log-*"))
    with pytest.raises(DataError, match="yesterday"):
        load_inputs(config, stream_from=0)
    assert set(Path(tempfile.gettempdir()).glob("segkit-log-*")) == before


def test_a_bad_number_in_a_late_file_of_a_folder_names_that_files_row(tmp_path, monkeypatch):
    log = raw_purchase_log("amount_only", n=1200)
    log.iloc[:600].to_csv(tmp_path / "2011-01.csv", index=False)
    late = log.iloc[600:].copy()
    late["Sales"] = late["Sales"].astype(object)
    late.iloc[450, late.columns.get_loc("Sales")] = "n/a?"
    late.to_csv(tmp_path / "2011-02.csv", index=False)
    monkeypatch.setattr(inputs_module, "CHUNK_ROWS", 250)
    config = make_config({"data": {"transactions": str(tmp_path)}})
    with pytest.raises(DataError) as whole:
        load_inputs(config)
    with pytest.raises(DataError) as chunked:
        load_inputs(config, stream_from=0)
    assert "row 451 of 2011-02.csv" in str(whole.value)
    assert str(chunked.value) == str(whole.value)


def test_data_where_keeps_the_same_lines_of_a_log_read_in_chunks(tmp_path, monkeypatch):
    raw_purchase_log("shares", n=2000).to_csv(tmp_path / "log.csv", index=False)
    config = make_config({"data": {"transactions": str(tmp_path / "log.csv"), "where": {"Country": "france"}}})
    whole, chunked = _both_ways(monkeypatch, config, 300)
    _assert_same_results(whole, chunked)
    nowhere = make_config({"data": {"transactions": str(tmp_path / "log.csv"), "where": {"Country": "Peru"}}})
    with pytest.raises(DataError, match="no rows where column 'Country' is"):
        load_inputs(nowhere, stream_from=0)


def test_a_short_log_is_read_whole_below_the_threshold(tmp_path):
    raw_purchase_log("plain", n=500).to_csv(tmp_path / "log.csv", index=False)
    inputs = load_inputs(make_config({"data": {"transactions": str(tmp_path / "log.csv")}}), stream_from=501)
    assert isinstance(inputs.transactions, pd.DataFrame)


def test_a_customer_table_joins_a_log_read_in_chunks(tmp_path, monkeypatch):
    log = raw_purchase_log("plain", n=2000, customers=200)
    log.to_csv(tmp_path / "log.csv", index=False)
    ids = sorted(set(log["CustomerID"]))
    pd.DataFrame({"CustomerID": ids[:150] + ["99999"], "Region": ["North", "South"] * 75 + ["East"]}).to_csv(
        tmp_path / "customers.csv", index=False)
    config = make_config({"data": {"transactions": str(tmp_path / "log.csv"),
                                   "customers": str(tmp_path / "customers.csv"), "where": {"Region": "North"}}})
    whole, chunked = _both_ways(monkeypatch, config, 600)
    pd.testing.assert_frame_equal(whole.customers, chunked.customers)
    pd.testing.assert_frame_equal(whole.transactions.reset_index(drop=True), chunked.transactions.to_pandas())


@pytest.mark.parametrize("data, drop_duplicates, files", [
    ("cdnow/CDNOW_master.txt", False, None),
    ("online_retail/by-day", True, "2011-11-1*.csv"),
], ids=["whitespace_text_cdnow", "folder_of_daily_csv_online_retail"])
def test_shared_logs_read_in_chunks_give_the_same_results(shared_data, monkeypatch, data, drop_duplicates, files):
    source = shared_data / data
    if not source.exists():
        pytest.skip(f"{source} not found")
    path = str(source / files) if files else str(source)
    config = make_config({"data": {"transactions": path}, "cleaning": {"drop_duplicates": drop_duplicates}})
    whole, chunked = _both_ways(monkeypatch, config, 15_000)
    _assert_same_results(whole, chunked, drop_duplicates=drop_duplicates)


def test_returns_marked_only_in_a_late_chunk_are_read_as_in_the_log_read_whole(tmp_path, monkeypatch):
    log = raw_purchase_log("plain", n=2000)
    log["Type"] = np.where(np.arange(len(log)) >= 1800, "refund", "sale")  # refunds at the end only
    log.to_csv(tmp_path / "log.csv", index=False)
    config = make_config({"data": {"transactions": str(tmp_path / "log.csv")}, "columns": {"returns": "Type"}})
    whole, chunked = _both_ways(monkeypatch, config, 500)
    _assert_same_results(whole, chunked)
    log["Type"] = "sale"
    log.to_csv(tmp_path / "log.csv", index=False)
    with pytest.raises(DataError) as read_whole:
        load_inputs(config)
    with pytest.raises(DataError) as read_in_chunks:
        load_inputs(config, stream_from=0)
    assert str(read_in_chunks.value) == str(read_whole.value)
    assert "column 'Type' (columns.returns) has no value that marks a return" in str(read_whole.value)


def test_data_where_keeping_no_line_of_the_first_chunk_reads_the_rest(tmp_path, monkeypatch):
    log = raw_purchase_log("shares", n=2000)
    log.loc[1500:, "Country"] = "Iceland"  # only in the last chunks
    log.to_csv(tmp_path / "log.csv", index=False)
    config = make_config({"data": {"transactions": str(tmp_path / "log.csv"), "where": {"Country": "iceland"}}})
    whole, chunked = _both_ways(monkeypatch, config, 300)
    _assert_same_results(whole, chunked)
    assert len(chunked.transactions) == 500
