"""segkit.io.purchase_log: a standardised log in memory or in Parquet parts answers alike."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from segkit.io import PurchaseLog, PurchaseLogWriter, as_purchase_log, bucket_count
from segkit.io.purchase_log import BUCKETS, LINES_PER_BUCKET, WRITING_AT_ONCE


def _standard_log(n: int = 400, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = pd.array([f"c{i}" for i in rng.integers(0, 60, n)], dtype="string")
    ids[::37] = pd.NA
    invoices = pd.array([f"{i}" for i in rng.integers(100, 250, n)], dtype="string")
    invoices[::11] = pd.NA
    return pd.DataFrame({
        "customer_id": ids,
        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 200 * 24, n), unit="h"),
        "amount": rng.gamma(2, 10, n).round(2),
        "invoice": invoices,
        "line_hash": rng.integers(0, 2**63, n).astype("uint64"),
    })


def _stored(log: pd.DataFrame, chunk: int = 90, buckets: int = 5, by: str = "order") -> PurchaseLog:
    writer = PurchaseLogWriter("log.csv", buckets=buckets, by=by)
    for start in range(0, len(log), chunk):
        writer.write(log.iloc[start:start + chunk])
    return writer.close(attrs={"segkit_roles": {"customer_id": "id"}})


@pytest.mark.parametrize("chunk", [90, 1000], ids=["several_chunks", "one_chunk"])
def test_a_log_on_disk_reads_back_as_written_in_order(chunk):
    log = _standard_log()
    stored = _stored(log, chunk=chunk)
    assert not stored.in_memory and len(stored) == len(log)
    pd.testing.assert_frame_equal(stored.to_pandas(), log)
    assert list(stored.columns) == list(log.columns)
    assert stored.to_pandas().attrs["segkit_roles"] == {"customer_id": "id"}


def test_every_line_of_an_order_and_of_a_customer_without_invoices_is_in_one_bucket():
    log = _standard_log()
    seen_orders, seen_customers = {}, {}
    for i, bucket in enumerate(_stored(log).buckets()):
        assert bucket.index.is_monotonic_increasing  # in the order read
        for order in bucket["invoice"].dropna().unique():
            assert seen_orders.setdefault(order, i) == i
        for customer in bucket.loc[bucket["invoice"].isna(), "customer_id"].dropna().unique():
            assert seen_customers.setdefault(customer, i) == i
    assert sum(len(b) for b in _stored(log).buckets()) == len(log)


@pytest.mark.parametrize("chunk", [90, 1000], ids=["several_chunks", "one_chunk"])
def test_buckets_by_customer_hold_every_line_of_a_customer_and_read_back_in_order(chunk):
    log = _standard_log()
    stored = _stored(log, chunk=chunk, buckets=7, by="customer")
    seen = {}
    for i, bucket in enumerate(stored.buckets()):
        assert bucket.index.is_monotonic_increasing
        for customer in bucket["customer_id"].dropna().unique():
            assert seen.setdefault(customer, i) == i
    assert len(seen) == log["customer_id"].nunique() and len(seen) > 7
    pd.testing.assert_frame_equal(stored.to_pandas(), log)
    assert stored.by == "customer" and stored.restrict(["c1"]).by == "customer"


def test_lines_without_a_customer_id_are_spread_by_invoice_in_buckets_by_customer():
    """Cleaning drops them, but they are read first: one bucket holding all of them would hold
    far more than its share of a log with many guest checkouts."""
    log = _standard_log(n=2000)
    log.loc[log.index[:1000], "customer_id"] = pd.NA
    holding = [int(b["customer_id"].isna().sum()) for b in _stored(log, buckets=4, by="customer").buckets()]
    assert sum(holding) == int(log["customer_id"].isna().sum()) and max(holding) < 0.5 * sum(holding)


def test_a_chunk_written_to_one_bucket_goes_there_whole_and_reads_back_in_order():
    """A bucket of a log bucketed by customer, cleaned, is written as it is (no hashing, no sorting)."""
    log = _standard_log()
    writer = PurchaseLogWriter("log.csv", buckets=3, by="customer")
    writer.write(log.iloc[200:], bucket=2)
    writer.write(log.iloc[:200], bucket=0)  # written after, read before: the order read is kept
    with pytest.raises(ValueError, match=r"bucket must be in 0..2, got 3"):
        writer.write(log.iloc[:5], bucket=3)
    stored = writer.close()
    assert [len(b) for b in stored.buckets()] == [200, 200]
    assert sorted(p.parent.name for p in stored.folder.glob("*/*.parquet")) == ["bucket=0", "bucket=2"]
    pd.testing.assert_frame_equal(stored.to_pandas(), log)


@pytest.mark.parametrize("lines, expected", [(0, BUCKETS), (BUCKETS * LINES_PER_BUCKET, BUCKETS),
                                             (BUCKETS * LINES_PER_BUCKET + 1, BUCKETS + 1),
                                             (50 * LINES_PER_BUCKET, 50)])
def test_a_longer_log_gets_more_buckets_of_at_most_lines_per_bucket(lines, expected):
    assert bucket_count(lines) == expected


def test_an_error_in_the_writing_thread_is_raised_by_close(tmp_path):
    """Chunks are written by the writer's own thread: what fails there reaches the caller."""
    (tmp_path / "bucket=0").write_text("a file where a bucket's folder goes")
    writer = PurchaseLogWriter("log.csv", buckets=1, folder=tmp_path)
    writer.write(_standard_log(20))
    with pytest.raises(FileExistsError):
        writer.close()


def test_an_error_in_writing_one_chunk_stops_a_later_write_and_nothing_is_left(tmp_path):
    """Several chunks are written at once: the write that has to wait for the failed one raises
    it, and giving up the log removes every bucket written, the other chunks' included."""
    (tmp_path / "bucket=1").write_text("a file where a bucket's folder goes")
    writer = PurchaseLogWriter("log.csv", buckets=2, folder=tmp_path)
    chunk = _standard_log(40)
    with pytest.raises(FileExistsError), writer:
        for start in range(0, 40 * (WRITING_AT_ONCE + 2), 40):
            writer.write(chunk.set_axis(pd.RangeIndex(start, start + 40)))
    assert writer.parts <= WRITING_AT_ONCE + 1  # stopped by the write that waited for the first chunk
    assert not list(tmp_path.glob("bucket=*/*.parquet"))


def test_a_log_on_disk_and_in_memory_answer_the_same_questions():
    log = _standard_log()
    stored, memory = _stored(log), PurchaseLog(log, label="log.csv")
    assert stored.date_range() == memory.date_range() == (log["date"].min(), log["date"].max())
    assert stored.customer_ids().tolist() == memory.customer_ids().tolist() == sorted(log["customer_id"].dropna().unique())
    queries = []
    for each in (stored, memory):
        con = duckdb.connect()
        each.register(con)
        queries.append(con.execute("SELECT customer_id, ROUND(SUM(amount), 6), COUNT(*) FROM log GROUP BY 1 ORDER BY 1")
                       .fetchall())
        assert [r[0] for r in con.execute("DESCRIBE log").fetchall()] == list(log.columns)
        con.close()
    assert queries[0] == queries[1]


def test_restricting_a_log_keeps_the_lines_of_the_customers_given():
    log = _standard_log()
    keep = ["c1", "c2", "c40"]
    restricted = _stored(log).restrict(keep)
    expected = log[log["customer_id"].isin(keep).fillna(False)].reset_index(drop=True)
    pd.testing.assert_frame_equal(restricted.to_pandas(), expected)
    pd.testing.assert_frame_equal(PurchaseLog(log).restrict(keep).frame.reset_index(drop=True), expected)


def test_the_repr_says_where_the_log_is_and_what_it_spans():
    stored = _stored(_standard_log())
    assert repr(stored).startswith("PurchaseLog('log.csv', 400 lines on disk in 5 buckets, 2024-01-01 to ")
    assert "in memory" in repr(as_purchase_log(_standard_log()))


def test_the_temporary_folder_goes_with_the_log():
    stored = _stored(_standard_log())
    folder = stored.folder
    assert folder.is_dir()
    del stored
    import gc

    gc.collect()
    assert not folder.exists()


def test_a_log_needs_a_frame_or_a_folder():
    with pytest.raises(ValueError, match="a frame or a folder"):
        PurchaseLog()
