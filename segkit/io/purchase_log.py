"""The standardised purchase log as one object, in memory or in Parquet parts on disk.

A short log is a pandas frame (the schema of ``docs/architecture.md``). A long one is
standardised chunk by chunk (:func:`segkit.inputs.load_inputs`) into typed Parquet part files
in a temporary folder, split into buckets by customer, or by order when cleaning needs an
order's lines together (:func:`log_bucketing`), so that the whole log never is a pandas frame:
DuckDB scans the parts (:meth:`PurchaseLog.register`), and cleaning (exact duplicates, refunds
per order) and the feature query read one bucket at a time (:meth:`PurchaseLog.buckets`).
Both kinds answer the same questions: length, columns, first and last date, customer ids.

Examples
--------
>>> log = pd.DataFrame({"customer_id": pd.array(["a", "b", "a"], dtype="string"),
...                     "date": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-02-01"]),
...                     "amount": [10.0, 5.0, 7.5]})
>>> writer = PurchaseLogWriter("log.csv", buckets=2)
>>> writer.write(log.iloc[:2])
>>> writer.write(log.iloc[2:])
>>> stored = writer.close()
>>> stored  # doctest: +ELLIPSIS
PurchaseLog('log.csv', 3 lines on disk in ..., 2024-01-01 to 2024-02-01)
>>> stored.to_pandas().equals(log)
True
>>> PurchaseLog(log, label="log.csv").customer_ids().tolist()
['a', 'b']
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from segkit._duckdb import scratch_cursor

__all__ = ["PurchaseLog", "PurchaseLogWriter", "as_purchase_log", "bucket_count", "log_bucketing",
           "release_arrow_memory"]

#: Buckets a log on disk is split into, at least (a bucket is what cleaning holds at once).
BUCKETS = 16
#: Lines per bucket a long log is split for, at most on average (:func:`bucket_count`): the feature
#: query runs one customer bucket at a time (at 10M lines, 16 buckets of 640,000 lines: 7.8 s of
#: CPU against 9.7 s for the whole log in one query with 1 GB, and 15 s within 500 MB).
LINES_PER_BUCKET = 1_000_000
#: Chunks a PurchaseLogWriter writes at once, each in a thread of its own, while the caller
#: prepares the next: sorting a chunk into its buckets and writing them lets go of the GIL, and
#: with one thread the reading of a 10.3M-line log waited 2.7-3.2 s for it.
WRITING_AT_ONCE = 2
#: What a log's buckets can keep together: an order's lines, or a customer's.
BUCKET_KEYS = frozenset({"order", "customer"})
#: How the parts are written. They are temporary and read back once or twice: plain pages
#: (no dictionary) with LZ4. Measured per 10M standardised lines: Parquet's defaults (dictionary,
#: snappy) 29 bytes a line, 6.1 s of CPU to write and 7.2 s to read back into Arrow; these 38
#: bytes a line, 2.6 s and 1.1 s; uncompressed plain pages 89 bytes a line, 1.4 s and 0.7 s.
PART_OPTIONS = {"compression": "lz4", "use_dictionary": False}
#: The column keeping each line's position in the table read, so a bucket reads back in order.
_ROW = "_row"
_STRINGS = {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype()}


def bucket_count(lines: int) -> int:
    """Buckets for a log of ``lines`` lines: :data:`BUCKETS`, more when they would hold over
    :data:`LINES_PER_BUCKET` lines each.

    >>> bucket_count(10_300_000), bucket_count(50_000_000)
    (16, 50)
    """
    return max(BUCKETS, -(-int(lines) // LINES_PER_BUCKET))


def log_bucketing(refunds: bool) -> str:
    """What the buckets of a long log keep together as it is read: its customers' lines, unless
    cleaning needs every line of an order together.

    Cleaning reads one bucket at a time. Two of its rules look beyond a line: exact duplicates
    (the copies of a line have one customer id, and one invoice, so any bucketing keeps them
    together) and refunds, taken down to what their order was paid, which need an order's lines
    even where they name different customers. A log without refunds is bucketed by customer, the
    buckets the feature query runs on, so its cleaned buckets need no second split.

    >>> log_bucketing(refunds=False), log_bucketing(refunds=True)
    ('customer', 'order')
    """
    return "order" if refunds else "customer"


class PurchaseLog:
    """A standardised purchase log: a pandas frame, or Parquet parts in buckets.

    Parameters
    ----------
    frame : DataFrame, optional
        The standardised log in memory.
    folder : path, optional
        A folder written by :class:`PurchaseLogWriter` (``bucket=<i>/part-<n>.parquet``).
    label : str
        Name of the log in messages.
    rows : int, optional
        Lines in the folder (counted when not given).
    attrs : dict, optional
        What the standardised frame's ``attrs`` would hold (``segkit_source``, ``segkit_roles``).
    by : {"order", "customer"}
        What the folder's buckets keep together (see :class:`PurchaseLogWriter`).
    """

    def __init__(self, frame: pd.DataFrame | None = None, *, folder: str | Path | None = None,
                 label: str = "transactions", rows: int | None = None, attrs: dict | None = None,
                 by: str = "order"):
        if (frame is None) == (folder is None):
            raise ValueError("PurchaseLog needs a frame or a folder, not both or neither")
        if by not in BUCKET_KEYS:
            raise ValueError(f"by must be one of {sorted(BUCKET_KEYS)}, got {by!r}")
        self.by = by
        self.frame = frame
        self.folder = Path(folder) if folder is not None else None
        self.label = label
        self.attrs = dict(attrs if attrs is not None else (frame.attrs if frame is not None else {}))
        self._rows = rows
        self._dates: tuple | None = None

    # -- what it is ------------------------------------------------------------------------
    @property
    def in_memory(self) -> bool:
        """Whether the log is a pandas frame (else Parquet parts on disk)."""
        return self.frame is not None

    @property
    def columns(self) -> pd.Index:
        """The standardised columns (``customer_id``, ``date``, ``amount``, ...)."""
        if self.frame is not None:
            return self.frame.columns
        schema = pq.read_schema(self._files()[0])
        return pd.Index([n for n in schema.names if n != _ROW and not n.startswith("__index_level")])

    def __len__(self) -> int:
        if self.frame is not None:
            return len(self.frame)
        if self._rows is None:
            self._rows = sum(pq.ParquetFile(f).metadata.num_rows for f in self._files())
        return self._rows

    def __repr__(self) -> str:
        n = 0 if self.in_memory else len(self._bucket_dirs())
        where = "in memory" if self.in_memory else f"on disk in {n} {'bucket' if n == 1 else 'buckets'}"
        first, last = self.date_range()
        span = f", {first.date()} to {last.date()}" if pd.notna(first) else ""
        return f"PurchaseLog({self.label!r}, {len(self):,} lines {where}{span})"

    # -- what consumers ask ----------------------------------------------------------------
    def date_range(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The first and last date of the log (``NaT`` when no line has one)."""
        if self._dates is None:
            if self.frame is not None:
                dates = self.frame["date"]
                self._dates = (dates.min(), dates.max())
            else:
                row = self._query('SELECT MIN("date"), MAX("date") FROM log', "fetchone")
                self._dates = tuple(pd.Timestamp(v) if v is not None else pd.NaT for v in row)
        return self._dates

    def customer_ids(self) -> pd.Index:
        """The distinct customer ids with lines (sorted, missing ids left out)."""
        if self.frame is not None:
            ids = self.frame["customer_id"].dropna().unique()
            return pd.Index(sorted(ids), dtype="string")
        ids = self._query("SELECT DISTINCT customer_id FROM log WHERE customer_id IS NOT NULL ORDER BY 1", "fetchnumpy")
        return pd.Index(ids["customer_id"], dtype="string")

    def register(self, con: Any, name: str = "log") -> None:
        """Make the log a view ``name`` in the DuckDB connection ``con``."""
        if self.frame is not None:
            con.register(name, self.frame)
        else:
            con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * EXCLUDE ({_ROW}) FROM {self.parquet_sql()}")

    def parquet_sql(self, bucket: Path | None = None) -> str:
        """``read_parquet(...)`` over the parts, or over one bucket's (a log on disk only)."""
        glob = str((bucket or self.folder / "*") / "*.parquet").replace("'", "''")
        return f"read_parquet('{glob}', hive_partitioning = false)"

    def bucket_sql(self) -> list[str]:
        """``read_parquet(...)`` over each bucket's parts: a query that needs every copy of a line
        (or every line of an order) together can run one bucket at a time, in less memory."""
        return [self.parquet_sql(folder) for folder in self._bucket_dirs()]

    def to_pandas(self, columns: Iterable[str] | None = None) -> pd.DataFrame:
        """The log (or some of its columns) as one frame, in the order read: for short logs,
        or for a few columns of a long one."""
        wanted = list(columns) if columns is not None else None
        if self.frame is not None:
            return self.frame if wanted is None else self.frame[wanted]
        frames = list(self.buckets(wanted))
        out = pd.concat(frames).sort_index() if frames else pd.DataFrame(columns=wanted or list(self.columns))
        out = out.reset_index(drop=True)
        out.attrs = dict(self.attrs)
        return out

    def buckets(self, columns: Iterable[str] | None = None) -> Iterator[pd.DataFrame]:
        """The log one bucket at a time (every line of an order, or of a customer when lines have
        no invoice, is in one bucket; so is every copy of a line; with ``by="customer"``, every
        line of a customer), each in the order read, indexed by the line's position in the log."""
        if self.frame is not None:
            yield self.frame if columns is None else self.frame[list(columns)]
            return
        wanted = None if columns is None else [*columns, _ROW]
        for folder in self._bucket_dirs():
            table = pq.read_table(sorted(folder.glob("*.parquet")), columns=wanted, partitioning=None)
            yield _frame(table)

    def restrict(self, ids: Iterable[str]) -> PurchaseLog:
        """The lines of the customers ``ids`` only."""
        keep = pd.Index(list(ids))
        if self.frame is not None:
            return PurchaseLog(self.frame[self.frame["customer_id"].isin(keep)], label=self.label, attrs=self.attrs)
        writer = PurchaseLogWriter(self.label, buckets=len(self._bucket_dirs()), by=self.by)
        for frame in self.buckets():
            writer.write(frame[frame["customer_id"].isin(keep).fillna(False).to_numpy(dtype=bool)])
        return writer.close(attrs=self.attrs)

    # -- internals -------------------------------------------------------------------------
    def _bucket_dirs(self) -> list[Path]:
        return sorted((p for p in self.folder.iterdir() if p.is_dir()), key=lambda p: int(p.name.split("=")[1]))

    def _files(self) -> list[Path]:
        return sorted(self.folder.glob("*/*.parquet"))

    def _query(self, sql: str, fetch: str):
        import duckdb  # only a log on disk needs it here

        con = duckdb.connect()
        try:
            self.register(con)
            return getattr(con.execute(sql), fetch)()
        finally:
            con.close()


def _frame(table: pa.Table) -> pd.DataFrame:
    """A bucket's Arrow table as the standardised frame: strings as pandas ``string``, in the order read."""
    frame = table.to_pandas(types_mapper=_STRINGS.get)
    if _ROW in frame:
        frame = frame.set_index(_ROW).sort_index(kind="stable")
        frame.index.name = None
    return frame


class PurchaseLogWriter:
    """Writes standardised chunks of a log into Parquet parts, bucketed by order.

    Parameters
    ----------
    label : str
        Name of the log.
    buckets : int
        How many buckets the lines are spread over.
    folder : path, optional
        Where to write; default a new temporary folder, removed with the log.
    by : {"order", "customer"}
        What a bucket keeps together: every line of an order (a hash of the invoice, or of the
        customer id for a line without one), or every line of a customer (a hash of the
        customer id, or of the invoice for a line without one; the feature query then runs one
        bucket at a time).
    """

    def __init__(self, label: str, *, buckets: int = BUCKETS, folder: str | Path | None = None, by: str = "order"):
        if by not in BUCKET_KEYS:
            raise ValueError(f"by must be one of {sorted(BUCKET_KEYS)}, got {by!r}")
        self.label, self.n_buckets, self.by = label, int(buckets), by
        self.temporary = folder is None
        self.folder = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="segkit-log-"))
        self.rows, self.parts, self._schema = 0, 0, None
        self._writing: deque[Future] = deque()
        self._thread: ThreadPoolExecutor | None = None

    def write(self, chunk: pd.DataFrame, bucket: int | None = None) -> None:
        """Add a standardised chunk; its index is each line's position in the log.

        ``bucket``: every line of the chunk belongs to that bucket (a bucket of a log bucketed
        the same way, cleaned): it is written as it is, without hashing or sorting. Otherwise the
        chunk is split into its buckets. Either way it is written by a thread of the writer's own while
        the caller prepares the next chunk (Arrow's sorting and Parquet's writing let go of the
        GIL): at most :data:`WRITING_AT_ONCE` chunks are being written at a time, and an error
        in writing one is raised by a later ``write`` (the one that waits for it) or by
        :meth:`close`.
        """
        if not len(chunk):
            return
        if bucket is not None and not 0 <= bucket < self.n_buckets:
            raise ValueError(f"bucket must be in 0..{self.n_buckets - 1}, got {bucket}")
        table = pa.Table.from_pandas(chunk.assign(**{_ROW: chunk.index.to_numpy(dtype=np.int64)}),
                                     preserve_index=False)
        if self._schema is None:
            self._schema = table.schema.remove_metadata()
        table = table.cast(self._schema).replace_schema_metadata(None)
        self._wait(below=WRITING_AT_ONCE)
        if self._thread is None:
            self._thread = ThreadPoolExecutor(max_workers=WRITING_AT_ONCE, thread_name_prefix="segkit-log-writer")
        self._writing.append(self._thread.submit(self._write_part, table, self.parts, bucket))
        self.rows += len(chunk)
        self.parts += 1

    def _write_part(self, table: pa.Table, part: int, bucket: int | None = None) -> None:
        """Write one chunk's lines into its buckets' folders (all into ``bucket`` when given), as
        ``part-<part>.parquet``."""
        if bucket is not None:
            self._write_bucket(table, bucket, part)
            return
        buckets = self._buckets(table)
        order = np.argsort(buckets, kind="stable")  # each bucket's lines in a row, in the order read
        table, ends = table.take(pa.array(order)), np.cumsum(np.bincount(buckets, minlength=self.n_buckets))
        for b, (start, end) in enumerate(zip(np.r_[0, ends[:-1]], ends, strict=True)):
            if end > start:
                self._write_bucket(table.slice(start, end - start), b, part)

    def _write_bucket(self, table: pa.Table, bucket: int, part: int) -> None:
        """Write lines of one bucket into its folder, as ``part-<part>.parquet``."""
        folder = self.folder / f"bucket={bucket}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / f"part-{part:05d}.parquet", **PART_OPTIONS)

    def _wait(self, below: int = 1) -> None:
        """Wait for the oldest chunks being written until fewer than ``below`` are (raising what
        went wrong in writing one); by default, for all of them."""
        while len(self._writing) >= below:
            self._writing.popleft().result()

    def _buckets(self, table: pa.Table) -> np.ndarray:
        """Each line's bucket: a hash of its invoice, else of its customer id (of its customer id, else
        of its invoice, when the buckets are by customer); DuckDB's hash, fast on strings."""
        key = "customer_id"
        if "invoice" in table.column_names:
            invoice = "CAST(invoice AS VARCHAR)"
            key = f"coalesce({invoice}, customer_id)" if self.by == "order" else f"coalesce(customer_id, {invoice})"
        con = scratch_cursor()  # each writing thread its own cursor
        try:
            keys = table.select([c for c in ("invoice", "customer_id") if c in table.column_names])
            con.register("chunk", keys)
            found = con.execute(f"SELECT CAST(hash({key}) % {self.n_buckets} AS INTEGER) AS b FROM chunk")
            return np.asarray(found.fetchnumpy()["b"], dtype=np.int64)
        finally:
            con.close()

    def _stop(self) -> None:
        """Wait for the chunks being written (raising what went wrong), then end the writing threads."""
        try:
            self._wait()
        finally:
            if self._thread is not None:
                self._thread.shutdown()
                self._thread = None

    def __enter__(self) -> PurchaseLogWriter:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if error is not None:
            self.abort()

    def abort(self) -> None:
        """Give up the log: wait for the chunks being written, then remove what was written (a
        temporary folder goes whole). Used when reading or standardising a later chunk fails."""
        try:
            self._stop()
        except Exception:  # noqa: BLE001, S110 - the caller's error is the one raised
            pass
        finally:
            if self.temporary:
                shutil.rmtree(self.folder, ignore_errors=True)
            else:  # a folder of the caller's: the buckets written into it
                for bucket in self.folder.glob("bucket=*"):
                    shutil.rmtree(bucket, ignore_errors=True)

    def close(self, attrs: dict | None = None) -> PurchaseLog:
        """The log written (removes the temporary folder when the log is no longer used)."""
        self._stop()
        log = PurchaseLog(folder=self.folder, label=self.label, rows=self.rows, attrs=attrs, by=self.by)
        if self.temporary:
            weakref.finalize(log, shutil.rmtree, str(self.folder), True)
        return log


def release_arrow_memory() -> None:
    """Give the memory Arrow's allocator kept from chunks already written back to the system.

    Arrow's allocator (mimalloc by default, jemalloc in a report's kernel) keeps freed memory for
    reuse: after a 10M-line log was read in chunks mimalloc held 640 MB that the later stages
    could not use.
    """
    pa.default_memory_pool().release_unused()


def as_purchase_log(log: pd.DataFrame | PurchaseLog | None, label: str = "transactions") -> PurchaseLog | None:
    """``log`` as a :class:`PurchaseLog` (a frame is wrapped, not copied)."""
    if log is None or isinstance(log, PurchaseLog):
        return log
    source = (log.attrs.get("segkit_source") or {}).get("label")
    return PurchaseLog(log, label=source or label)
