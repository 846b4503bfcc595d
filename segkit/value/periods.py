"""The purchase summaries the value stage reads, for a calibration period, its holdout and
the whole log, from one pass over the purchase log in DuckDB.

A purchase is a *purchase day*, as in :func:`segkit.value.rfm_summary`: a customer's lines of
one day are summed, and the day counts when the sum is positive (a day of returns only is
not a purchase). Lines without customer, date or amount, and lines after the end of
observation, are left out. Times are in weeks (days / 7), as in the papers.

For each customer :func:`period_summaries` gives

* over the whole log: ``x`` (repeat purchase days), ``t_x`` (weeks from the first purchase to
  the last), ``T`` (weeks from the first purchase to the end) and ``m`` (mean amount of the
  repeat days);
* over the calibration period (purchases on or before ``calibration_end``), the same four,
  for the customers who had bought by then (the *cohort*);
* in the holdout (after ``calibration_end``): how many purchase days and how much revenue;

and, for the tracking plot, the cohort's holdout purchase days per day.

Examples
--------
>>> import pandas as pd
>>> log = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b"],
...                     "date": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-02-12",
...                                             "2024-01-29", "2024-01-29"]),
...                     "amount": [10.0, 20.0, 30.0, 5.0, -5.0]})
>>> s = period_summaries(log, calibration_end="2024-01-31", observation_end="2024-02-25")
>>> s.ids.tolist(), s.x.tolist(), s.x_cal.tolist(), s.x_holdout.tolist()
(['a'], [2.0], [1.0], [1.0])
>>> s.holdout_days, round(float(s.T_cal[0]), 3)
(25, 4.286)
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from segkit.exceptions import DataError
from segkit.features.build import STORED_LOG_MEMORY
from segkit.features.sql import EXACT_AMOUNT
from segkit.io.purchase_log import PurchaseLog
from segkit.value.inputs import require_columns

__all__ = ["PeriodSummaries", "period_summaries"]

#: Days per time unit of the summaries (weeks).
UNIT_DAYS = 7.0


@dataclass
class PeriodSummaries:
    """Per customer (arrays in the order of ``ids``) summaries of the whole log, of the
    calibration period and of the holdout. See :mod:`segkit.value.periods`.

    ``in_cohort`` marks the customers who bought on or before ``calibration_end`` (the
    others' calibration figures are 0); ``holdout_by_day[d]`` counts the cohort's purchase
    days on day ``d + 1`` of the holdout.
    """

    ids: np.ndarray | pd.Index
    segment: np.ndarray | None
    x: np.ndarray
    tx: np.ndarray
    T: np.ndarray
    m: np.ndarray
    revenue: np.ndarray
    in_cohort: np.ndarray
    x_cal: np.ndarray
    tx_cal: np.ndarray
    T_cal: np.ndarray
    m_cal: np.ndarray
    x_holdout: np.ndarray
    revenue_holdout: np.ndarray
    holdout_by_day: np.ndarray
    calibration_end: pd.Timestamp
    observation_end: pd.Timestamp

    @property
    def holdout_days(self) -> int:
        """Days from the day after ``calibration_end`` to ``observation_end``, both included."""
        return int((self.observation_end - self.calibration_end).days)

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return (f"PeriodSummaries({len(self):,} customers, {int(self.in_cohort.sum()):,} bought by "
                f"{self.calibration_end.date()}; holdout {self.holdout_days} days to {self.observation_end.date()})")

    def frame(self, which: str = "full") -> pd.DataFrame:
        """The ``full`` or ``calibration`` summary as a frame indexed by ``customer_id`` (the
        columns of :func:`segkit.value.rfm_summary`; the calibration one holds the cohort only)."""
        if which == "full":
            cols, keep = (self.x, self.tx, self.T, self.m), slice(None)
        else:
            cols, keep = (self.x_cal, self.tx_cal, self.T_cal, self.m_cal), self.in_cohort
        out = pd.DataFrame(dict(zip(("frequency", "recency", "T", "monetary_value"), (c[keep] for c in cols))),
                           index=pd.Index(self.ids[keep], name="customer_id"))
        out["frequency"] = out["frequency"].astype("int64")
        return out


# Amounts are summed exactly, as the purchase-log features sum them (EXACT_AMOUNT), so the same
# log gives the same sums whatever order DuckDB's threads add them in (floating-point sums
# differed in the 7th digit from run to run, and so did the spend model fitted on them).
_DAYS_SQL = """
CREATE TEMP TABLE days AS
SELECT CAST(customer_id AS VARCHAR) AS customer_id, CAST("date" AS DATE) AS day,
       SUM({exact}) AS amount
FROM log
WHERE customer_id IS NOT NULL AND "date" IS NOT NULL AND amount IS NOT NULL AND isfinite(amount)
  AND CAST("date" AS DATE) <= DATE '{end}'
GROUP BY ALL
HAVING SUM({exact}) > 0
"""

# The holdout's purchase days and revenue are the whole log's less the calibration period's (exact
# integers and decimals, so the same numbers as counting them apart): two aggregates fewer per
# customer. Each aggregate widens the hash table of the GROUP BY, and at 800k customers on a stored
# log (500 MB limit) the wider table spilled to disk: 2.2 s of CPU against 1.2 s. A customer who first
# bought in the holdout has no calibration figures: 0, not NULL, so that every column comes back
# as a plain array (NumPy's masked arrays cost 0.1-0.2 s more to put in order at 1M customers);
# such customers' calibration and holdout figures are read only for the cohort (``in_cohort``).
_CUSTOMERS_SQL = """
CREATE TEMP TABLE customers AS
SELECT {keep_cols} c.customer_id, c.age, c.span, c.x, CAST(c.revenue AS DOUBLE) AS revenue, c.first_amount, c.n_cal,
       COALESCE(c.span_cal, 0) AS span_cal, CAST(COALESCE(c.revenue_cal, 0) AS DOUBLE) AS revenue_cal,
       CAST(c.revenue - COALESCE(c.revenue_cal, 0) AS DOUBLE) AS revenue_holdout
FROM (
  SELECT customer_id,
         date_diff('day', MIN(day), DATE '{end}') AS age,
         date_diff('day', MIN(day), MAX(day)) AS span,
         COUNT(*) - 1 AS x,
         SUM({amount}) AS revenue,
         CAST(arg_min({amount}, day) AS DOUBLE) AS first_amount,
         COUNT(*) FILTER (WHERE day <= DATE '{cal}') AS n_cal,
         date_diff('day', MIN(day), MAX(day) FILTER (WHERE day <= DATE '{cal}')) AS span_cal,
         SUM({amount}) FILTER (WHERE day <= DATE '{cal}') AS revenue_cal
  FROM days GROUP BY customer_id
) c {join}
"""

# The cohort's holdout purchase days per day. Customers who first bought in the holdout are
# usually few, so leaving them out (NOT IN) is cheaper than picking the cohort.
_TRACKING_SQL = """
SELECT date_diff('day', DATE '{cal}', day) AS d, COUNT(*) AS n
FROM days
WHERE day > DATE '{cal}' AND customer_id NOT IN (SELECT customer_id FROM customers WHERE n_cal = 0)
GROUP BY d
"""


#: DuckDB threads of the summaries (None: DuckDB's default, one per core). At 1M customers on a
#: busy 2-core machine one thread took 2.3-2.8 s of CPU against 2.7-3.9 s for two, but on an idle
#: machine with more cores the threads shorten the wall time, which is what a user waits for; the
#: results are the same either way (exact sums, rows put in order by position).
SUMMARY_THREADS: int | None = None

#: Lines below this (in absolute value) are cast to DECIMAL(18, 6), held in 64 bits: the cast of a
#: double is the same number as DECIMAL(38, 6)'s (tested), three times cheaper, and the sums are
#: DECIMAL(38, 6) either way.
SMALL_EXACT_AMOUNT = 1e12


def _exact_amount(con: duckdb.DuckDBPyConnection) -> str:
    """The exact-decimal cast of the log's amounts: 64-bit decimals when every line fits, else EXACT_AMOUNT."""
    largest = con.execute("SELECT MAX(ABS(amount)) FROM log WHERE isfinite(amount)").fetchone()[0]
    if largest is not None and float(largest) < SMALL_EXACT_AMOUNT:
        return EXACT_AMOUNT.replace("DECIMAL(38, 6)", "DECIMAL(18, 6)")
    return EXACT_AMOUNT


def _day_amount(con: duckdb.DuckDBPyConnection) -> str:
    """The days' amounts as the per-customer sums read them: 64-bit decimals when every day fits.

    A day's sum is a ``DECIMAL(38, 6)`` (128-bit) whatever its size; cast back to
    ``DECIMAL(18, 6)`` when every day is under :data:`SMALL_EXACT_AMOUNT`, the same numbers are
    summed (exactly, into ``DECIMAL(38, 6)`` again) at a lower cost.
    """
    largest = con.execute("SELECT MAX(ABS(amount)) FROM days").fetchone()[0]
    if largest is not None and float(largest) < SMALL_EXACT_AMOUNT:
        return "CAST(amount AS DECIMAL(18, 6))"
    return "amount"


def period_summaries(
    log: pd.DataFrame | PurchaseLog,
    *,
    calibration_end,
    observation_end,
    labels: pd.Series | None = None,
) -> PeriodSummaries:
    """Summaries of the whole log, a calibration period and its holdout, per customer.

    Parameters
    ----------
    log : DataFrame or PurchaseLog
        A standardised purchase log: ``customer_id``, ``date``, ``amount`` (other columns
        are not read); a :class:`~segkit.io.PurchaseLog` on disk is scanned where it is.
    calibration_end, observation_end : date-like
        The last day of the calibration period and of the whole observation (both
        included); the holdout is the days in between. ``calibration_end`` may equal
        ``observation_end`` (no holdout).
    labels : Series, optional
        Segment labels indexed by customer id: only these customers are summarised, and
        their segments come along (``segment``).

    Returns
    -------
    PeriodSummaries
        Customers with at least one purchase day, in the order of ``labels`` (else of their
        ids).
    """
    if isinstance(log, PurchaseLog) and log.in_memory:
        log = log.frame
    if not isinstance(log, PurchaseLog):
        require_columns(log, ["customer_id", "date", "amount"], "transactions")
    cal, end = pd.Timestamp(calibration_end).normalize(), pd.Timestamp(observation_end).normalize()
    if cal > end:
        raise DataError(f"calibration_end {cal.date()} is after observation_end {end.date()}; "
                        "expected a calibration period that ends within the observation")
    con = duckdb.connect()
    if SUMMARY_THREADS is not None:
        con.execute(f"SET threads = {SUMMARY_THREADS}")
    spill = None
    try:
        if isinstance(log, PurchaseLog):  # on disk: DuckDB scans its parts, and spills what is over its share
            spill = tempfile.mkdtemp(prefix="segkit-value-")
            con.execute(f"SET memory_limit = '{STORED_LOG_MEMORY}'")
            con.execute("SET temp_directory = '" + spill.replace("'", "''") + "'")
            log.register(con)
        else:
            con.register("log", log[["customer_id", "date", "amount"]])
        con.execute(_DAYS_SQL.format(end=end.date(), exact=_exact_amount(con)))
        if labels is not None:
            keys = pa.table({"customer_id": pa.array(text_ids(labels.index).array), "pos": np.arange(len(labels))})
            con.register("keys", keys)
            join, keep_cols, order = "JOIN keys k USING (customer_id)", "k.pos,", ""  # put in order below
        else:
            join, keep_cols, order = "", "", " ORDER BY customer_id"
        con.execute(_CUSTOMERS_SQL.format(end=end.date(), cal=cal.date(), join=join, keep_cols=keep_cols,
                                          amount=_day_amount(con)))
        columns = "* EXCLUDE (customer_id)" if labels is not None else "*"
        rows = con.execute(f"SELECT {columns} FROM customers{order}").fetchnumpy()
        if labels is not None:
            rows = _in_label_order(rows, len(labels))
        tracking = con.execute(_TRACKING_SQL.format(cal=cal.date())).fetchnumpy()
    finally:
        con.close()
        if spill is not None:
            shutil.rmtree(spill, ignore_errors=True)
    return _assemble(rows, tracking, labels, cal, end)


def _in_label_order(rows: dict, n_labels: int) -> dict:
    """The query's columns in the order of the labels' positions (``pos``, distinct, below ``n_labels``),
    each put in order where it is (``rows`` is changed and returned).

    The positions are a subset of ``0..n_labels-1``, so one pass over a table of that size
    orders them (a million rows: a few ms, against 0.1 s for DuckDB's ORDER BY).

    >>> _in_label_order({"pos": np.array([4, 0, 2]), "v": np.array([40.0, 0.0, 20.0])}, 5)["v"].tolist()
    [0.0, 20.0, 40.0]
    """
    pos = np.asarray(rows["pos"], dtype=np.int64)
    slot = np.full(n_labels, -1, dtype=np.int64)
    slot[pos] = np.arange(len(pos))
    order = slot[slot >= 0]
    # Each column is put in order where it is, through one buffer per type: a new array per column
    # is fresh memory, and a process's first touch of fresh memory can cost more than the gathering
    # (0.4-0.5 s for ten columns of a million rows on a virtual machine that zeroes huge pages slowly).
    buffers: dict = {}
    for name, values in rows.items():
        if isinstance(values, np.ma.MaskedArray) or not values.flags.writeable:
            rows[name] = values[order]  # a mask to keep, or an array not ours to change
            continue
        if values.dtype not in buffers:
            buffers[values.dtype] = np.empty(len(order), dtype=values.dtype)
        buffer = buffers[values.dtype]
        np.take(values, order, out=buffer)
        values[...] = buffer
    return rows


def text_ids(index: pd.Index) -> pd.Index:
    """Customer ids as Arrow-backed text (``str`` of each id): 5M ids as Python strings would take
    about 400 MB, as Arrow text 70 MB, and a feature table's string index is Arrow text already.

    >>> text_ids(pd.Index([17850, 13047])).tolist()
    ['17850', '13047']
    """
    if not isinstance(index.dtype, pd.StringDtype):
        index = index.astype(str)
    return index.astype(pd.StringDtype("pyarrow"))


def _assemble(rows: dict, tracking: dict, labels: pd.Series | None, cal: pd.Timestamp,
              end: pd.Timestamp) -> PeriodSummaries:
    """Turn the query's columns into the summaries' arrays (weeks, means of repeat days)."""
    def col(name, fill=0.0):
        values = rows[name]
        if isinstance(values, np.ma.MaskedArray):
            values = values.filled(fill)
        return np.asarray(values, dtype=float)

    if labels is not None:
        pos = np.asarray(rows["pos"])
        if len(pos) == len(labels):  # in label order: every labelled customer, where it is (no copy of 1M ids)
            ids, segment = text_ids(labels.index), labels.to_numpy().copy()
        else:
            ids, segment = text_ids(labels.index)[pos], labels.to_numpy()[pos]
    else:
        ids, segment = np.asarray(rows["customer_id"], dtype=object), None
    age, span, x = col("age"), col("span"), col("x")
    n_cal = col("n_cal")
    in_cohort = n_cal > 0
    x_cal = np.maximum(n_cal - 1, 0)
    first = col("first_amount")
    repeat_mean = np.where(x > 0, (col("revenue") - first) / np.maximum(x, 1), 0.0)
    repeat_mean_cal = np.where(x_cal > 0, (col("revenue_cal") - first) / np.maximum(x_cal, 1), 0.0)
    holdout_days = int((end - cal).days)
    by_day = np.zeros(holdout_days, dtype=float)
    if holdout_days and len(tracking["d"]):
        np.add.at(by_day, np.asarray(tracking["d"], dtype=int) - 1, np.asarray(tracking["n"], dtype=float))
    cal_age = np.where(in_cohort, age - holdout_days, 0.0)
    return PeriodSummaries(
        ids=ids, segment=segment, x=x, tx=span / UNIT_DAYS, T=age / UNIT_DAYS, m=repeat_mean, revenue=col("revenue"),
        in_cohort=in_cohort, x_cal=x_cal, tx_cal=np.where(in_cohort, col("span_cal"), 0.0) / UNIT_DAYS,
        T_cal=cal_age / UNIT_DAYS, m_cal=repeat_mean_cal, x_holdout=np.where(in_cohort, x + 1 - n_cal, 0.0),
        revenue_holdout=np.where(in_cohort, col("revenue_holdout"), 0.0), holdout_by_day=by_day,
        calibration_end=cal, observation_end=end,
    )
