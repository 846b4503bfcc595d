"""Customer features from a standardised purchase log, computed by DuckDB.

The SQL lives in :mod:`segkit.features.sql`; this module validates the input, works out the
snapshot date and the top share values, runs the query and returns pandas.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from segkit.exceptions import (
    ColumnError, DataError, InputNotFoundError, SegkitWarning, quote, user_stacklevel,
)
from segkit.features.sql import (EXACT_AMOUNT, FEATURE_COLUMNS, MAX_EXACT_AMOUNT, feature_sql, share_code,
                                 timestamp_literal)
from segkit.io.purchase_log import PurchaseLog

__all__ = ["FeaturePlan", "default_snapshot", "plan_features", "transaction_features"]

REQUIRED_COLUMNS = ("customer_id", "date", "amount")
_VIEW = "segkit_transactions"
_ARROW_STRINGS = (pa.string(), pa.large_string(), pa.string_view())


def _row_example(series: pd.Series, mask: np.ndarray) -> tuple[int, object]:
    """1-based row number and value of the first row where ``mask`` is true."""
    pos = int(np.flatnonzero(mask)[0])
    return pos + 1, series.iloc[pos]


def _source_sql(path: str | os.PathLike) -> str:
    text = str(path)
    quoted = "'" + text.replace("'", "''") + "'"
    lower = text.lower()
    if lower.endswith((".parquet", ".parq", ".pq")) or Path(text).is_dir():
        if Path(text).is_dir():
            quoted = "'" + str(Path(text) / "**" / "*.parquet").replace("'", "''") + "'"
        return f"read_parquet({quoted})"
    if lower.endswith((".csv", ".csv.gz", ".tsv", ".txt")):
        return f"read_csv({quoted}, header = true)"
    raise DataError(
        f"{text}: cannot tell the format from the name; expected a .parquet or .csv file, folder or glob"
    )


def _check_frame(log: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check the standardised columns of a DataFrame log; coerce what can be coerced safely."""
    missing = [c for c in REQUIRED_COLUMNS if c not in log.columns]
    if missing:
        raise ColumnError(
            f"{source}: column {missing[0]!r} is missing (columns: {list(log.columns)}); "
            "expected a standardised purchase log with customer_id, date and amount "
            "(see segkit.io.standardise_transactions)"
        )
    log = log.reset_index(drop=True)
    if not pd.api.types.is_datetime64_any_dtype(log["date"]):
        parsed = pd.to_datetime(log["date"], errors="coerce", format="mixed")
        bad = (parsed.isna() & log["date"].notna()).to_numpy()
        if bad.any():
            row, value = _row_example(log["date"], bad)
            raise DataError(
                f"{source}: column 'date' has {int(bad.sum())} values that are not dates "
                f"(e.g. {quote(value)} at row {row}); expected dates such as '2011-12-09 12:50'"
            )
        log = log.assign(date=parsed)
    if getattr(log["date"].dtype, "tz", None) is not None:
        log = log.assign(date=log["date"].dt.tz_localize(None))
    if not pd.api.types.is_numeric_dtype(log["amount"]) or pd.api.types.is_bool_dtype(log["amount"]):
        parsed = pd.to_numeric(log["amount"], errors="coerce")
        bad = (parsed.isna() & log["amount"].notna()).to_numpy()
        if bad.any():
            row, value = _row_example(log["amount"], bad)
            raise DataError(
                f"{source}: column 'amount' has {int(bad.sum())} non-numeric values "
                f"(e.g. {quote(value)} at row {row}); expected numbers"
            )
        log = log.assign(amount=parsed.astype("float64"))
    if log["customer_id"].dtype != "string":
        ids = log["customer_id"]
        log = log.assign(customer_id=ids.astype("string").where(ids.notna(), pd.NA))
    if "invoice" in log.columns and log["invoice"].dtype != "string":
        log = log.assign(invoice=log["invoice"].astype("string"))
    return log


def default_snapshot(last_purchase: datetime | date | str | pd.Timestamp) -> pd.Timestamp:
    """The default snapshot date: midnight of the day after the last purchase.

    Examples
    --------
    >>> default_snapshot("2011-12-09 12:50")
    Timestamp('2011-12-10 00:00:00')
    """
    return pd.Timestamp(last_purchase).normalize() + pd.Timedelta(days=1)


def transaction_features(
    transactions: pd.DataFrame | str | os.PathLike,
    *,
    snapshot_date: datetime | date | str | pd.Timestamp | None = None,
    share_columns: Sequence[str] = ("channel", "category", "country"),
    top_n: int = 5,
    source: str | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
    temp_directory: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """Compute one row of purchase-log features per customer, with DuckDB.

    Parameters
    ----------
    transactions : DataFrame, PurchaseLog or path
        A standardised purchase log (``customer_id``, ``date``, ``amount``, optionally
        ``invoice`` and share columns; see ``docs/architecture.md``), or a Parquet/CSV
        file, folder or glob with those columns, read directly by DuckDB (for logs larger
        than memory). A :class:`~segkit.io.PurchaseLog` on disk in buckets by customer is
        aggregated one bucket at a time. Clean it first with :func:`segkit.features.clean_transactions`.
    snapshot_date : date-like, optional
        The date the features are computed "as of". Default: the day after the last
        purchase in the log. Lines on or after the snapshot are ignored (with a warning).
    share_columns : sequence of str
        Columns for the ``share_<column>_<value>`` revenue shares; those absent from the log
        are skipped.
    top_n : int
        Number of values per share column (by total gross revenue) that get their own
        column; the rest go to ``share_<column>_other``.
    source : str, optional
        Name of the input used in error messages (default: the path, or "transactions").
    threads : int, optional
        DuckDB worker threads (default: all cores).
    memory_limit : str, optional
        DuckDB memory limit such as ``"1GB"``; above it DuckDB spills to disk instead of
        failing (default: DuckDB's, 80% of RAM).
    temp_directory : path, optional
        Where DuckDB spills above ``memory_limit`` (default: DuckDB's, ``.tmp`` in the
        working directory).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (string, sorted), one row per customer with an id, with
        the columns of :data:`segkit.features.sql.FEATURE_COLUMNS` then the shares. See
        :func:`segkit.features.sql.feature_sql` for the exact definitions. The snapshot
        date used is in ``attrs["snapshot_date"]`` (ISO text, so the frame can be written
        to Parquet).

    Raises
    ------
    ColumnError
        A required column is missing.
    DataError
        Dates or amounts do not parse, no line has a customer id, or the snapshot date is
        before the first purchase.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "customer_id": pd.array(["a", "a", "a", "b"], dtype="string"),
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-11", "2024-01-05"]),
    ...     "amount": [10.0, 5.0, 20.0, 8.0],
    ...     "invoice": pd.array(["1", "1", "2", "3"], dtype="string"),
    ... })
    >>> f = transaction_features(log)
    >>> f[["recency_days", "frequency", "monetary", "avg_days_between_orders"]]  # doctest: +NORMALIZE_WHITESPACE
                 recency_days  frequency  monetary  avg_days_between_orders
    customer_id
    a                       1          2      35.0                     10.0
    b                       7          1       8.0                      NaN
    """
    if top_n < 0:
        raise ValueError(f"top_n must be >= 0, got {top_n}")
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads TO {int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    if temp_directory:
        con.execute("SET temp_directory = '" + str(temp_directory).replace("'", "''") + "'")
    # Row order of intermediate results is irrelevant (the result is sorted), and not keeping
    # it lets DuckDB stream with less memory.
    con.execute("SET preserve_insertion_order = false")
    try:
        buckets = None
        if isinstance(transactions, PurchaseLog) and transactions.in_memory:
            transactions = transactions.frame
        if isinstance(transactions, pd.DataFrame):
            name = source or "transactions"
            log = _check_frame(transactions, name)
            con.register(_VIEW, log)
            relation = _VIEW
            columns = list(log.columns)
        elif isinstance(transactions, PurchaseLog) and not transactions.in_memory:
            name, log = source or transactions.label, None
            relation, columns = transactions.parquet_sql(), list(transactions.columns)
            if transactions.by == "customer":  # a customer's lines are in one bucket: one bucket at a time
                buckets = transactions.bucket_sql()
        else:
            name = source or str(transactions)
            relation = _source_sql(transactions)
            try:
                columns = [row[0] for row in con.sql(f"DESCRIBE SELECT * FROM {relation}").fetchall()]
            except duckdb.IOException as err:
                raise InputNotFoundError(f"{name}: cannot read ({err})") from err
            missing = [c for c in REQUIRED_COLUMNS if c not in columns]
            if missing:
                raise ColumnError(
                    f"{name}: column {missing[0]!r} is missing (columns: {columns}); "
                    "expected a standardised purchase log with customer_id, date and amount"
                )
            log = None
        plan = plan_features(lambda sql: con.sql(sql).fetchall(), relation, columns, name, snapshot_date, share_columns, top_n, log=log)
        frame = _run(con, buckets or [relation], plan)
        if plan.order_level_shares:
            mixed = frame.pop("mixed_orders")
            if bool(mixed.any()):
                # Some order has lines in different share values: recompute shares per line.
                frame = _run(con, buckets or [relation], plan.line_level())
        # As text: attrs must stay JSON-able, or pandas' to_parquet fails on the frame.
        frame.attrs["snapshot_date"] = plan.snapshot_date.isoformat()
        return frame
    finally:
        con.close()


@dataclass(frozen=True)
class FeaturePlan:
    """What the feature query needs to know about a log, worked out by :func:`plan_features`.

    The arguments of :func:`segkit.features.sql.feature_sql` other than the source and the
    dialect, so that every engine (DuckDB here, Spark in :mod:`segkit.features.spark`) runs
    the same query for the same log.
    """

    snapshot_date: pd.Timestamp
    has_invoice: bool
    shares: dict[str, list[object]]
    share_other: dict[str, bool]
    order_level_shares: list[str]

    def sql(self, source: str, *, dialect: str = "duckdb", order_by: bool = True) -> str:
        """The feature query over ``source`` in ``dialect`` (rows in customer id order with ``order_by``)."""
        return feature_sql(
            source=source,
            order_by=order_by,
            snapshot_date=self.snapshot_date,
            has_invoice=self.has_invoice,
            shares=self.shares,
            share_other=self.share_other,
            order_level_shares=self.order_level_shares,
            dialect=dialect,
        )

    def line_level(self) -> FeaturePlan:
        """The same plan with every share summed per line (for logs with mixed orders)."""
        return replace(self, order_level_shares=[])


def plan_features(
    rows: Callable[[str], list[tuple]],
    relation: str,
    columns: Sequence[str],
    name: str,
    snapshot_date: datetime | date | str | pd.Timestamp | None,
    share_columns: Sequence[str],
    top_n: int,
    *,
    log: pd.DataFrame | None = None,
) -> FeaturePlan:
    """Check a standardised log and work out the snapshot date and the top share values.

    ``rows(sql)`` runs a query written in DuckDB's dialect on the engine holding
    ``relation`` and returns its rows as tuples; ``log`` is the DataFrame behind the
    relation, when there is one (only used to name the row of the first purchase).
    """
    invoices = "COUNT(invoice)" if "invoice" in columns else "0"
    n_lines, n_ids, first, last, largest, n_invoices = rows(
        f"SELECT COUNT(*), COUNT(customer_id), MIN(date), MAX(date), MAX(ABS(amount)), {invoices} FROM {relation}")[0]
    if n_lines == 0:
        raise DataError(f"{name}: the purchase log has no lines; expected at least one purchase")
    if largest is not None and not float(largest) < MAX_EXACT_AMOUNT:
        _too_large(rows, relation, name, log)
    if n_ids == 0:
        raise DataError(
            f"{name}: column 'customer_id' has {n_lines} missing values (e.g. <NA> at row 1); "
            "expected a customer id on at least one line"
        )
    if first is None:
        raise DataError(
            f"{name}: column 'date' has {n_lines} missing values (e.g. NaT at row 1); expected purchase dates"
        )
    snapshot = default_snapshot(last) if snapshot_date is None else pd.Timestamp(snapshot_date)
    if snapshot <= pd.Timestamp(first):
        where = f" (row {_first_row(log)})" if log is not None else ""
        raise DataError(
            f"{name}: snapshot_date {snapshot.date()} is not after the first purchase: column 'date' "
            f"starts at {pd.Timestamp(first)}{where}; expected a snapshot after the first purchase"
        )
    if snapshot_date is not None and pd.Timestamp(last) >= snapshot:
        n_after = rows(f"SELECT COUNT(*) FROM {relation} WHERE date >= {timestamp_literal(snapshot)}")[0][0]
        warnings.warn(
            f"{name}: {n_after} lines dated on or after the snapshot {snapshot.date()} are ignored "
            f"(last purchase {pd.Timestamp(last)})",
            SegkitWarning,
            stacklevel=user_stacklevel(),
        )

    shares, share_other = _top_values(rows, relation, [c for c in dict.fromkeys(share_columns) if c in columns],
                                      snapshot, top_n)
    has_invoice = n_invoices > 0
    by_order = _order_level_candidates(rows, relation, shares, has_invoice)
    return FeaturePlan(snapshot, has_invoice, shares, share_other, by_order)


def _too_large(rows, relation: str, name: str, log: pd.DataFrame | None) -> None:
    """Raise the DataError for line amounts the exact sums cannot hold (|amount| >= MAX_EXACT_AMOUNT)."""
    outside = f"NOT (ABS(amount) < {MAX_EXACT_AMOUNT:.0e})".replace("+", "")
    n_bad, example = rows(f"SELECT COUNT(*), MAX(ABS(amount)) FROM {relation} WHERE {outside}")[0]
    where = ""
    if log is not None:
        amounts = log["amount"].to_numpy(dtype="float64", na_value=np.nan)
        bad = np.abs(amounts) >= MAX_EXACT_AMOUNT
        row, example = _row_example(log["amount"], bad if bad.any() else np.isnan(amounts))
        where = f" at row {row}"
    raise DataError(
        f"{name}: column 'amount' has {n_bad} values too large to sum exactly (e.g. {float(example):g}{where}); "
        f"expected finite amounts below {MAX_EXACT_AMOUNT:.0e} in absolute value"
    )


def _top_values(rows, relation: str, present: Sequence[str], snapshot: pd.Timestamp,
                top_n: int) -> tuple[dict[str, list[object]], dict[str, bool]]:
    """The ``top_n`` values of every share column by gross revenue, largest first, and whether
    each column has others (or missing values) for its ``other`` share; one scan (GROUPING SETS)."""
    shares: dict[str, list[object]] = {}
    share_other: dict[str, bool] = {}
    if not present:
        return shares, share_other
    sets = ", ".join(f"({c})" for c in present)
    picks = ", ".join(f"CAST({c} AS VARCHAR) AS {c}" for c in present)
    groups = ", ".join(f"GROUPING({c}) AS g_{i}" for i, c in enumerate(present))
    found = rows(
        f"SELECT {picks}, {groups}, CAST(SUM(CASE WHEN amount > 0 THEN {EXACT_AMOUNT} ELSE 0 END) AS DOUBLE) AS gross "
        f"FROM {relation} WHERE customer_id IS NOT NULL AND date < {timestamp_literal(snapshot)} "
        f"GROUP BY GROUPING SETS ({sets})"
    )
    k = len(present)
    for i, column in enumerate(present):
        mine = [(r[i], r[-1]) for r in found if r[k + i] == 0]
        mine.sort(key=lambda vg: (-(vg[1] or 0.0), str(vg[0])))
        values = [v for v, _ in mine if v is not None]
        shares[column] = values[:top_n]
        share_other[column] = len(values) > top_n or any(v is None for v, _ in mine)
    return shares, share_other


#: Lines read to guess which share columns are constant within orders (only a guess: the
#: main query checks every order and falls back to line-level shares if the guess was wrong).
_SAMPLE_LINES = 100_000


def _order_level_candidates(rows, relation, shares, has_invoice) -> list[str]:
    """Share columns constant within every order of the log's first lines.

    For these the feature query carries one value code per order instead of per-line sums
    (see :func:`segkit.features.sql.feature_sql`); it verifies the assumption on all orders.
    """
    if not shares:
        return []
    order_key = "invoice" if has_invoice else "CAST(date AS DATE)"
    codes = [f"{share_code(c, list(v))} AS k{i}" for i, (c, v) in enumerate(shares.items())]
    mixed = ", ".join(f"MAX(CASE WHEN lo{i} <> hi{i} THEN 1 ELSE 0 END)" for i in range(len(shares)))
    bounds = ", ".join(f"MIN(k{i}) AS lo{i}, MAX(k{i}) AS hi{i}" for i in range(len(shares)))
    row = rows(
        f"SELECT {mixed} FROM (SELECT {bounds} FROM (SELECT customer_id, {order_key} AS order_key, {', '.join(codes)} "
        f"FROM (SELECT * FROM {relation} LIMIT {_SAMPLE_LINES}) WHERE customer_id IS NOT NULL) "
        "GROUP BY customer_id, order_key)"
    )[0]
    return [c for c, m in zip(shares, row) if not m]


def _run(con, relations: Sequence[str], plan: FeaturePlan) -> pd.DataFrame:
    """Run the feature query; return it as pandas, indexed by customer id.

    Several ``relations`` are buckets of one log that no customer spans: each is aggregated on
    its own (hash tables a bucket's size, which stay in memory and in cache, where the whole
    log's spilled), and the rows put in customer id order as one query's ``ORDER BY`` would.
    """
    if len(relations) == 1:
        return tidy_features(con.sql(plan.sql(relations[0])).to_arrow_table())
    parts = [con.sql(plan.sql(r, order_by=False)).to_arrow_table() for r in relations]
    table = pa.concat_tables(parts)
    return tidy_features(table.take(pc.sort_indices(table, [("customer_id", "ascending")])))


def tidy_features(table: pa.Table) -> pd.DataFrame:
    """The feature query's result (Arrow) as pandas: indexed by customer id, fixed dtypes."""
    # Arrow strings straight into pandas' pyarrow-backed "string" dtype (no Python objects).
    string_dtype = pd.StringDtype("pyarrow", na_value=pd.NA)
    frame = table.to_pandas(types_mapper=lambda t: string_dtype if t in _ARROW_STRINGS else None)
    frame = frame.set_index("customer_id")
    for col in ("recency_days", "frequency", "tenure_days"):
        frame[col] = frame[col].astype("int64")
    for col in ("first_purchase", "last_purchase"):
        frame[col] = frame[col].astype("datetime64[ns]")
    keep = FEATURE_COLUMNS[:3] + ("tenure_days", "first_purchase", "last_purchase", "mixed_orders")
    float_cols = [c for c in frame.columns if c not in keep]
    frame[float_cols] = frame[float_cols].astype("float64")
    return frame


def _first_row(log: pd.DataFrame) -> int:
    """1-based row of the earliest line."""
    return int(np.argmin(log["date"].to_numpy())) + 1
