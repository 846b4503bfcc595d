"""What a figure of many customers draws: a few numbers computed from every customer.

A figure of a million customers must not hand a million rows to seaborn: it draws the
aggregate that gives exactly the same picture. :mod:`segkit.plots` draws; this module
computes what it draws, so each aggregate can be tested against its definition.

- :func:`box_summary`: five values per segment whose box plot is the box plot of all of the
  segment's values.
- :func:`sample_rows`: the seeded sample of customers a scatter plot (the segment map) draws,
  the same whoever takes it, so the few drawn can be prepared before the figure is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MAP_POINTS", "box_summary", "sample_rows"]

#: Customers drawn in a segment map at most: a seeded sample of them when there are more.
MAP_POINTS = 4000


def sample_rows(n: int, max_rows: int = MAP_POINTS, random_state: int = 0) -> np.ndarray | None:
    """Positions of the rows a figure of ``n`` customers draws: None (all of them) when ``n`` is
    at most ``max_rows``, else ``max_rows`` positions drawn without replacement by a generator
    seeded with ``random_state``: the same positions on every run.

    Examples
    --------
    >>> sample_rows(10, 20) is None
    True
    >>> rows = sample_rows(1_000_000, 4000)
    >>> len(rows), len(set(rows)), bool((rows == sample_rows(1_000_000, 4000)).all())
    (4000, 4000, True)
    """
    if n <= max_rows:
        return None
    return np.random.default_rng(random_state).choice(n, max_rows, replace=False)


def box_summary(values: pd.Series, groups: pd.Series, *, log: bool = False, whis: float = 1.5) -> pd.DataFrame:
    """Five values per group whose box plot is exactly the box plot of all of the group's values.

    A box plot without outliers shows five numbers: the quartiles (linear interpolation, as
    :func:`matplotlib.cbook.boxplot_stats` computes them) and the whisker ends, the most
    extreme values within ``whis`` interquartile ranges of the box. The five numbers, sorted,
    have those same quartiles and whisker ends, so drawing them draws the same box, and a
    figure of a million customers is drawn from a few rows. With ``log=True`` the numbers are
    computed on the base-10 logs of the values (what seaborn's ``log_scale`` does), then
    returned as values.

    Returns
    -------
    DataFrame
        Columns ``segment`` (the group) and ``value``: five rows per group, in group order.

    Examples
    --------
    >>> values = pd.Series([1.0, 2, 3, 4, 100, 5, 6, 7, 8, 9])
    >>> groups = pd.Series([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    >>> box_summary(values, groups).groupby("segment")["value"].apply(list).to_dict()
    {0: [1.0, 2.0, 3.0, 4.0, 4.0], 1: [5.0, 6.0, 7.0, 8.0, 9.0]}
    """
    if len(values) == 0:  # every segment hidden, or no value at all: no box to draw
        return pd.DataFrame({"segment": groups.iloc[:0].to_numpy(), "value": np.empty(0)})
    x = np.log10(values.to_numpy(dtype=float)) if log else values.to_numpy(dtype=float)
    g = groups.to_numpy()
    grouped = pd.Series(x).groupby(g, sort=True)
    q = grouped.quantile([0.25, 0.5, 0.75]).unstack()
    q1, med, q3 = q[0.25], q[0.5], q[0.75]
    iqr = q3 - q1
    low = pd.Series(x - (q1 - whis * iqr).reindex(g).to_numpy())
    high = pd.Series((q3 + whis * iqr).reindex(g).to_numpy() - x)
    # matplotlib: the lowest value inside the lower fence, but never above the first quartile
    whislo = np.minimum(pd.Series(np.where(low >= 0, x, np.inf)).groupby(g).min(), q1)
    whishi = np.maximum(pd.Series(np.where(high >= 0, x, -np.inf)).groupby(g).max(), q3)
    five = pd.concat([whislo, q1, med, q3, whishi], axis=1).to_numpy()
    if log:
        five = 10.0 ** five
    return pd.DataFrame({"segment": np.repeat(q.index.to_numpy(), 5), "value": five.ravel()})
