"""Outcomes per segment: the share of each level with its 95% interval, as response rates are shown.

An outcome is an answer to predict or a result of the past (churn, a default, a segment label
from an earlier study, a campaign response; :func:`segkit.io.detect_roles` gives them the role
``outcome``). Segments are never found on them unless the analyst asks; the report shows how
each segment fares on them instead: for a yes/no outcome the share of ``yes``, for one with
levels the share of each level, every share with a Wilson interval. A segment with fewer
known values than ``min_cell_size`` is suppressed, as in the targeting table.

Examples
--------
>>> import pandas as pd
>>> labels = pd.Series([0] * 50 + [1] * 50, index=[f"c{i}" for i in range(100)], name="segment")
>>> churn = pd.Series([1] * 20 + [0] * 30 + [1] * 5 + [0] * 45, index=labels.index, name="Churn")
>>> rates = outcome_rates(labels, churn.to_frame(), kinds={"Churn": "flag"})
>>> rates[["outcome", "segment", "level", "count", "share", "low", "high"]].round(3)
  outcome  segment level  count  share    low   high
0   Churn        0   yes   20.0    0.4  0.276  0.538
1   Churn        1   yes    5.0    0.1  0.043  0.214
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from segkit.exceptions import DataError
from segkit.privacy import DEFAULT_MIN_CELL_SIZE, suppress_small_cells
from segkit.target.rates import binary_responses, weighted_rates, wilson_interval

__all__ = ["OUTCOME_COLUMNS", "outcome_rates", "table_outcome_rates"]

#: The columns of :func:`outcome_rates`' table.
OUTCOME_COLUMNS = ["outcome", "segment", "level", "customers", "count", "share", "low", "high", "overall_share",
                   "suppressed"]
#: Levels shown per outcome; the rest are pooled as "(other)".
_MOST_LEVELS = 12


def _levels(values: pd.Series, kind: str | None) -> pd.DataFrame:
    """0/1 indicator columns, one per level shown (``yes`` alone for a yes/no outcome)."""
    if kind == "flag" or (kind is None and _is_yes_no(values)):
        yes = binary_responses(values, f"outcome {values.name!r}")
        return pd.DataFrame({"yes": yes}, index=values.index)
    if isinstance(values.dtype, pd.CategoricalDtype):
        order = [str(c) for c in values.dtype.categories]
    else:
        order = None
    text = values.astype("string").str.strip()
    counts = text.value_counts()
    keep = list(counts.index[:_MOST_LEVELS]) if len(counts) > _MOST_LEVELS else list(counts.index)
    if order is not None:
        keep = [level for level in order if level in set(keep)]
    text = text.where(text.isin(keep) | text.isna(), "(other)")
    levels = keep + (["(other)"] if (text == "(other)").any() else [])
    return pd.DataFrame({level: (text == level).astype("float64").where(text.notna()) for level in levels},
                        index=values.index)


def _is_yes_no(values: pd.Series) -> bool:
    try:
        binary_responses(values, "outcome")
    except DataError:
        return False
    return True


def outcome_rates(labels: pd.Series, outcomes: pd.DataFrame, *, kinds: Mapping | None = None,
                  confidence: float = 0.95, min_cell_size: int = DEFAULT_MIN_CELL_SIZE,
                  weights: pd.Series | None = None) -> pd.DataFrame:
    """Each outcome per segment: the share of each of its levels, with a Wilson interval.

    Parameters
    ----------
    labels : Series
        Segment per customer, indexed by customer id.
    outcomes : DataFrame
        One column per outcome, indexed by customer id (customers missing from it count as
        unknown).
    kinds : mapping, optional
        ``{column: "flag" | "code" | "ordinal"}`` (what the values are); a column of 0/1,
        yes/no or true/false answers is a flag without it.
    confidence : float
        Level of the intervals.
    min_cell_size : int
        A segment with fewer customers whose outcome is known is suppressed: its figures are
        NaN and ``suppressed`` is True.
    weights : Series, optional
        Survey weights per customer (``survey.weight``): shares are weighted, intervals are Wilson
        intervals on the effective sample size (column ``n_eff``), ``count`` is the effective count
        (share x n_eff), and the ``min_cell_size`` check counts by ``n_eff``.

    Returns
    -------
    DataFrame
        ``outcome, segment, level, customers, count, share, low, high, overall_share, suppressed``:
        ``customers`` are the segment's customers with a known outcome, ``count`` those with the
        level, ``share`` their share with the interval ``low``-``high``.
    """
    kinds = dict(kinds or {})
    aligned = outcomes.reindex(labels.index)
    rows = []
    for column in aligned.columns:
        indicators = _levels(aligned[column].rename(column), kinds.get(column))
        for level in indicators.columns:
            values = indicators[level]
            known = values.notna()
            if weights is not None:
                rows += _weighted_rows(column, level, values[known], labels[known], weights, confidence)
                continue
            grouped = values[known].groupby(labels[known].to_numpy(), sort=True)
            customers, count = grouped.size(), grouped.sum()
            overall = float(values[known].mean()) if known.any() else np.nan
            low, high = wilson_interval(count.to_numpy(), customers.to_numpy(), confidence=confidence)
            for i, segment in enumerate(customers.index):
                rows.append({"outcome": column, "segment": segment, "level": level, "customers": customers.iloc[i],
                             "count": count.iloc[i], "share": count.iloc[i] / customers.iloc[i] if customers.iloc[i]
                             else np.nan, "low": low[i], "high": high[i], "overall_share": overall})
    weighted = weights is not None
    table = pd.DataFrame(rows, columns=OUTCOME_COLUMNS[:-1] + (["n_eff"] if weighted else []))
    return suppress_small_cells(table, count_col="n_eff" if weighted else "customers", min_cell_size=min_cell_size,
                                columns=["customers", "count", "share", "low", "high", *(["n_eff"] if weighted else [])])


def _weighted_rows(column, level, values: pd.Series, labels: pd.Series, weights: pd.Series,
                   confidence: float) -> list[dict]:
    """:func:`outcome_rates`' rows of one level, weighted (see its ``weights``)."""
    w = weights.reindex(values.index).fillna(0.0)
    total = float(w.sum())
    overall = float((w * values).sum()) / total if total > 0 else np.nan
    segments = sorted(labels.unique())
    rates = weighted_rates(values, labels.to_numpy(), w, segments, confidence=confidence)
    return [{"outcome": column, "segment": segment, "level": level, "customers": int(r.size),
             "count": float(r.effective), "share": r.rate, "low": r.low, "high": r.high, "overall_share": overall,
             "n_eff": r.n_eff} for segment, r in zip(segments, rates.itertuples())]


def table_outcome_rates(labels: pd.Series, customers: pd.DataFrame | None, roles, *,
                        min_cell_size: int = DEFAULT_MIN_CELL_SIZE,
                        weights: pd.Series | None = None) -> pd.DataFrame | None:
    """Every outcome column of a customer table (campaign responses, churn, labels: its
    ``roles``, a :class:`segkit.io.ColumnRoles`) per segment (:func:`outcome_rates`), each read
    as its call's kind; None without a customer table or outcomes."""
    if customers is None or roles is None:
        return None
    columns = [c for c in roles.outcome_columns if c in customers]
    if not columns:
        return None
    kinds = {c: roles.columns[c].value_kind for c in columns if c in roles.columns}
    return outcome_rates(labels, customers.set_index("customer_id")[columns], kinds=kinds, min_cell_size=min_cell_size,
                         weights=weights)
