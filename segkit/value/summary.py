"""What customers have been worth: the purchase summary the models read, historical value,
and value per segment.

Conventions follow the BG/NBD paper (and lifetimes): a purchase is a *purchase day* --
several lines of one customer on one day count once, with their amounts summed;
``frequency`` is the number of *repeat* purchase days, ``recency`` the time from the first
to the last purchase, ``T`` the time from the first purchase to the end of observation, all
in the chosen unit (days or weeks, fractional), and ``monetary_value`` the mean amount of
the repeat purchase days (0 for a customer without repeat purchases).

Examples
--------
>>> import pandas as pd
>>> log = pd.DataFrame({"customer_id": ["a", "a", "b"],
...                     "date": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-01-08"]),
...                     "amount": [10.0, 20.0, 7.0]})
>>> rfm_summary(log, observation_end="2024-01-29", freq="W")["frequency"].tolist()
[1, 0]
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from segkit.exceptions import DataError, SegkitWarning, user_stacklevel
from segkit.privacy import suppress_small_cells
from segkit.value.inputs import require_columns, to_datetime

__all__ = ["SUMMARY_COLUMNS", "historical_value", "rfm_summary", "segment_value"]

_UNIT_DAYS = {"D": 1.0, "W": 7.0}
#: The columns of :func:`rfm_summary`, in order.
SUMMARY_COLUMNS = ["frequency", "recency", "T", "monetary_value"]


def rfm_summary(
    transactions: pd.DataFrame,
    *,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str | None = "amount",
    observation_end=None,
    freq: str = "D",
) -> pd.DataFrame:
    """Frequency / recency / T / monetary summary per customer (the BG/NBD input).

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase line.
    customer_col, date_col, amount_col : str
        Column names. ``amount_col=None`` leaves out ``monetary_value``. Integer dates such
        as ``19970101`` are read as ``yyyymmdd``.
    observation_end : date-like, optional
        End of the observation (calibration) period; purchases after it are ignored.
        Default: the last purchase date.
    freq : {"D", "W"}
        Time unit of ``recency`` and ``T``: days or weeks (fractional weeks, as in the paper).

    Returns
    -------
    DataFrame
        Indexed by customer id, columns ``frequency`` (repeat purchase days, int),
        ``recency`` and ``T`` (float, in ``freq`` units) and ``monetary_value`` (mean
        amount of the repeat purchase days; 0 without repeat purchases).

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2], "date": [19970101, 19970108, 19970105],
    ...                     "amount": [10.0, 30.0, 5.0]})
    >>> rfm_summary(log, observation_end="1997-01-15")  # doctest: +NORMALIZE_WHITESPACE
                 frequency  recency     T  monetary_value
    customer_id
    1                    1      7.0  14.0            30.0
    2                    0      0.0  10.0             0.0
    """
    if freq not in _UNIT_DAYS:
        raise DataError(f"The value for `freq` must be one of {list(_UNIT_DAYS)}, but {freq!r} was passed.")
    columns = [customer_col, date_col] + ([amount_col] if amount_col is not None else [])
    require_columns(transactions, columns, "transactions")
    frame = transactions[columns].copy()
    frame[date_col] = to_datetime(frame[date_col], date_col).dt.normalize()
    if frame[customer_col].isna().any():
        n = int(frame[customer_col].isna().sum())
        warnings.warn(f"transactions: {n} rows without {customer_col!r} ignored", SegkitWarning,
                      stacklevel=user_stacklevel())
        frame = frame[frame[customer_col].notna()]
    if amount_col is not None:
        frame[amount_col] = pd.to_numeric(frame[amount_col], errors="coerce").astype("float64")
    end = frame[date_col].max() if observation_end is None else pd.Timestamp(observation_end)
    frame = frame[frame[date_col] <= end]
    if frame.empty:
        raise DataError(f"transactions: no purchases on or before {end.date()}; check observation_end")

    # One purchase per customer and day (the paper's and lifetimes' convention).
    agg = {amount_col: "sum"} if amount_col is not None else {}
    days = frame.groupby([customer_col, date_col], sort=True).agg(agg) if agg else (
        frame.drop_duplicates([customer_col, date_col]).set_index([customer_col, date_col]).sort_index()
    )
    days = days.reset_index()
    grouped = days.groupby(customer_col, sort=True)
    first = grouped[date_col].min()
    last = grouped[date_col].max()
    unit = pd.Timedelta(days=_UNIT_DAYS[freq])
    out = pd.DataFrame(
        {
            "frequency": (grouped.size() - 1).astype("int64"),
            "recency": (last - first) / unit,
            "T": (end - first) / unit,
        }
    )
    if amount_col is not None:
        is_first = days[date_col].eq(days[customer_col].map(first))
        repeat = days.loc[~is_first.to_numpy()].groupby(customer_col)[amount_col].mean()
        out["monetary_value"] = repeat.reindex(out.index).fillna(0.0).astype("float64")
    out.index.name = "customer_id"
    return out


def historical_value(
    transactions: pd.DataFrame,
    *,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
) -> pd.DataFrame:
    """Historical value per customer: revenue, purchase days, dates and average order value.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase line.
    customer_col, date_col, amount_col : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``: ``revenue`` (net sum of amounts), ``purchases``
        (distinct purchase days), ``first_purchase``, ``last_purchase`` and
        ``avg_order_value`` (revenue / purchases).

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                     "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-05"]),
    ...                     "amount": [10.0, 30.0, 5.0]})
    >>> historical_value(log)[["revenue", "purchases", "avg_order_value"]]  # doctest: +NORMALIZE_WHITESPACE
                 revenue  purchases  avg_order_value
    customer_id
    a               40.0          2             20.0
    b                5.0          1              5.0
    """
    require_columns(transactions, [customer_col, date_col, amount_col], "transactions")
    frame = transactions[[customer_col, date_col, amount_col]].copy()
    frame[date_col] = to_datetime(frame[date_col], date_col)
    frame = frame[frame[customer_col].notna()]
    frame["_day"] = frame[date_col].dt.normalize()
    grouped = frame.groupby(customer_col, sort=True)
    out = pd.DataFrame(
        {
            "revenue": grouped[amount_col].sum().astype("float64"),
            "purchases": grouped["_day"].nunique().astype("int64"),
            "first_purchase": grouped[date_col].min(),
            "last_purchase": grouped[date_col].max(),
        }
    )
    out["avg_order_value"] = out["revenue"] / out["purchases"]
    out.index.name = "customer_id"
    return out


def segment_value(
    values: pd.DataFrame | pd.Series,
    labels: pd.Series,
    *,
    columns: list[str] | None = None,
    min_cell_size: int = 10,
) -> pd.DataFrame:
    """Value per segment: size, totals, shares of the total, means and medians.

    Parameters
    ----------
    values : DataFrame or Series
        Per-customer values indexed by customer id (e.g. :func:`historical_value` or
        :func:`predict_clv` output, or a ``monetary`` feature).
    labels : Series
        Segment labels indexed by customer id (named ``segment``).
    columns : list of str, optional
        Value columns to summarise; default every numeric column.
    min_cell_size : int
        Segments with fewer customers are suppressed (values NaN, ``suppressed`` True).

    Returns
    -------
    DataFrame
        One row per segment (sorted): ``size``, ``share`` and for each value column
        ``<col>_total``, ``<col>_share`` (of the grand total), ``<col>_mean``,
        ``<col>_median``; plus ``suppressed``.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.Series([0, 0, 1, 1], index=list("abcd"), name="segment")
    >>> revenue = pd.Series([10.0, 30.0, 20.0, 40.0], index=list("abcd"), name="revenue")
    >>> segment_value(revenue, labels, min_cell_size=1)[["size", "revenue_total", "revenue_share"]]  # doctest: +NORMALIZE_WHITESPACE
             size  revenue_total  revenue_share
    segment
    0           2           40.0            0.4
    1           2           60.0            0.6
    """
    frame = values.to_frame() if isinstance(values, pd.Series) else values
    if columns is None:
        columns = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                   and not pd.api.types.is_bool_dtype(frame[c])]
    require_columns(frame, columns, "values")
    common = labels.index.intersection(frame.index)
    if len(common) == 0:
        raise DataError("values and labels share no customer ids; expected both indexed by customer_id")
    seg = labels.loc[common].rename("segment")
    data = frame.loc[common, columns].astype("float64")
    grouped = data.groupby(seg.to_numpy(), sort=True)
    out = pd.DataFrame({"size": grouped.size().astype("int64")})
    out["share"] = out["size"] / out["size"].sum()
    for col in columns:
        total = grouped[col].sum()
        out[f"{col}_total"] = total
        grand = data[col].sum()
        out[f"{col}_share"] = total / grand if grand != 0 else np.nan
        out[f"{col}_mean"] = grouped[col].mean()
        out[f"{col}_median"] = grouped[col].median()
    out.index.name = "segment"
    return suppress_small_cells(out, min_cell_size=min_cell_size)
