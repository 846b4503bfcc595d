"""RFM quintile scores and the standard named RFM segments.

Scores are quintiles of the ranks, not of the values: with most customers buying once a
value-based ``qcut`` of frequency collapses into one or two bins, whereas ranks with ties
broken in a fixed order keep all five scores in use, each holding a fifth of the customers.

Tie rule (deterministic and independent of row order): customers are sorted by the value
(recency descending, so the most recent get 5; frequency and monetary ascending) and equal
values are ordered by ``customer_id`` (so within a tie the later id ranks higher); the score of the customer at 1-based position ``i``
out of ``n`` is ``1 + floor(5 * (i - 1) / n)``.

The named segments are a table of score ranges (:data:`DEFAULT_RFM_SEGMENTS`), checked top
to bottom; the first matching row names the customer, anyone left is ``Other``. The default
table is the widely used R x F grid, and covers every (R, F) pair.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from segkit.exceptions import ColumnError, ConfigError

__all__ = ["DEFAULT_RFM_SEGMENTS", "quantile_scores", "rfm_names", "rfm_scores"]

_SEGMENT_ROWS = [
    # segment, r_min, r_max, f_min, f_max, description
    ("Champions", 5, 5, 4, 5, "bought recently, buy often"),
    ("Loyal Customers", 3, 4, 4, 5, "buy often, fairly recently"),
    ("Potential Loyalist", 4, 5, 2, 3, "recent customers with a few orders"),
    ("New Customers", 5, 5, 1, 1, "first order very recently"),
    ("Promising", 4, 4, 1, 1, "recent first-time buyers"),
    ("Need Attention", 3, 3, 3, 3, "average recency and frequency"),
    ("About To Sleep", 3, 3, 1, 2, "few orders, slipping away"),
    ("Can't Lose Them", 1, 2, 5, 5, "used to buy very often, not lately"),
    ("At Risk", 1, 2, 3, 4, "bought often, long ago"),
    ("Lost", 1, 1, 1, 1, "one order, long ago"),
    ("Hibernating", 1, 2, 1, 2, "few orders, long ago"),
]

#: The default named-segment rules: checked top to bottom, first match wins, the rest are
#: ``Other``. Copy and edit it (``DEFAULT_RFM_SEGMENTS.copy()``) or pass a list of dicts
#: with the same keys; ``m_min``/``m_max`` default to 1 and 5 when left out.
DEFAULT_RFM_SEGMENTS: pd.DataFrame = pd.DataFrame(
    [
        {"segment": s, "r_min": r0, "r_max": r1, "f_min": f0, "f_max": f1, "m_min": 1, "m_max": 5, "description": d}
        for s, r0, r1, f0, f1, d in _SEGMENT_ROWS
    ]
)

_RANGES = ("r_min", "r_max", "f_min", "f_max", "m_min", "m_max")


def quantile_scores(values: pd.Series, *, bins: int = 5, ascending: bool = True) -> pd.Series:
    """Score values 1..bins by rank, ties broken by the index (see the module notes).

    Missing values get a missing score.

    Parameters
    ----------
    values : Series
        Indexed by customer id.
    bins : int
        Number of scores (5 for quintiles).
    ascending : bool
        True: larger values get larger scores. False: smaller values get larger scores.

    Returns
    -------
    Series of Int8

    Examples
    --------
    >>> s = pd.Series([1, 1, 1, 1, 1, 1, 1, 2, 3, 9], index=list("abcdefghij"))
    >>> quantile_scores(s).tolist()
    [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    """
    # by position, not label: at 1M customers label lookups and Python strings took a second
    present = values.notna().to_numpy()
    n = int(present.sum())
    scores = np.zeros(len(values), dtype="int8")
    if n:
        key = values.to_numpy(dtype="float64", na_value=np.nan)[present]
        if not ascending:
            key = -key
        ids = pd.Index(values.index[present].astype(str))
        id_rank = np.empty(n, dtype=np.int64)
        id_rank[ids.argsort()] = np.arange(n)  # ids in text order (Arrow sorts as Python compares)
        order = np.lexsort((id_rank, key))  # last key is primary: value, then customer id
        ranked = np.empty(n, dtype="int8")
        ranked[order] = 1 + (np.arange(n) * bins) // n
        scores[present] = ranked
    return pd.Series(pd.arrays.IntegerArray(scores, ~present), index=values.index, name=values.name)


def _segment_table(segments) -> pd.DataFrame:
    table = DEFAULT_RFM_SEGMENTS if segments is None else pd.DataFrame(segments)
    if "segment" not in table.columns:
        raise ConfigError(f"RFM segment table needs a 'segment' column; got columns {list(table.columns)}")
    table = table.copy()
    for col in _RANGES:
        if col not in table.columns:
            table[col] = 1 if col.endswith("_min") else 5
        table[col] = table[col].fillna(1 if col.endswith("_min") else 5)
    bad = table[(table[list(_RANGES)] < 1).any(axis=1) | (table[list(_RANGES)] > 5).any(axis=1)]
    if len(bad):
        raise ConfigError(
            f"RFM segment table: row {int(bad.index[0]) + 1} ({bad['segment'].iloc[0]!r}) has a score "
            "outside 1..5; expected ranges within 1..5"
        )
    return table


def rfm_scores(
    features: pd.DataFrame,
    *,
    segments: pd.DataFrame | Sequence[dict] | None = None,
    bins: int = 5,
) -> pd.DataFrame:
    """Quintile R, F, M scores and the named RFM segment of each customer.

    Parameters
    ----------
    features : DataFrame
        Indexed by ``customer_id`` with ``recency_days``, ``frequency`` and ``monetary``
        (the output of :func:`segkit.features.transaction_features`).
    segments : DataFrame or list of dict, optional
        Segment rules with ``segment``, ``r_min``, ``r_max``, ``f_min``, ``f_max`` and
        optionally ``m_min``, ``m_max``; default :data:`DEFAULT_RFM_SEGMENTS`.
    bins : int
        Number of scores (5: quintiles). Segment tables assume 5.

    Returns
    -------
    DataFrame
        Indexed like ``features`` with ``r_score``, ``f_score``, ``m_score`` (Int8) and
        ``rfm_segment`` (string).

    Examples
    --------
    >>> f = pd.DataFrame({"recency_days": [1, 300, 20, 5, 200],
    ...                   "frequency": [9, 1, 1, 4, 6],
    ...                   "monetary": [900.0, 10.0, 35.0, 120.0, 400.0]},
    ...                  index=pd.Index(list("abcde"), name="customer_id"))
    >>> rfm_scores(f)  # doctest: +NORMALIZE_WHITESPACE
                 r_score  f_score  m_score      rfm_segment
    customer_id
    a                  5        5        5        Champions
    b                  1        1        1             Lost
    c                  3        2        2   About To Sleep
    d                  4        3        3  Potential Loyalist
    e                  2        4        4          At Risk
    """
    missing = [c for c in ("recency_days", "frequency", "monetary") if c not in features.columns]
    if missing:
        raise ColumnError(
            f"features: column {missing[0]!r} is missing (columns: {list(features.columns)}); "
            "expected purchase-log features from transaction_features"
        )
    table = _segment_table(segments)
    out = pd.DataFrame(index=features.index)
    out["r_score"] = quantile_scores(features["recency_days"], bins=bins, ascending=False)
    out["f_score"] = quantile_scores(features["frequency"], bins=bins)
    out["m_score"] = quantile_scores(features["monetary"], bins=bins)
    out["rfm_segment"] = rfm_names(out, segments=table)
    return out


def rfm_names(scores: pd.DataFrame, *, segments: pd.DataFrame | Sequence[dict] | None = None) -> pd.Series:
    """The named RFM segment of each row of ``r_score, f_score, m_score`` (first matching rule).

    :func:`rfm_scores` names its scores with it; the Spark engine (:mod:`segkit.spark`) names
    the scores it ranks over every customer with it, batch by batch.

    Examples
    --------
    >>> rfm_names(pd.DataFrame({"r_score": [5, 1], "f_score": [5, 1], "m_score": [3, 1]})).tolist()
    ['Champions', 'Lost']
    """
    table = _segment_table(segments)
    r = scores["r_score"].to_numpy(dtype="float64", na_value=np.nan)
    f = scores["f_score"].to_numpy(dtype="float64", na_value=np.nan)
    m = scores["m_score"].to_numpy(dtype="float64", na_value=np.nan)
    names = np.full(len(scores), "Other", dtype=object)
    unassigned = np.ones(len(scores), dtype=bool)
    for row in table.itertuples(index=False):
        hit = (
            unassigned
            & (r >= row.r_min) & (r <= row.r_max)
            & (f >= row.f_min) & (f <= row.f_max)
            & (m >= row.m_min) & (m <= row.m_max)
        )
        names[hit] = row.segment
        unassigned &= ~hit
    return pd.Series(pd.array(names, dtype="string"), index=scores.index, name="rfm_segment")
