"""Survey weights: the column ``survey.weight`` names, read and checked, and the effective sample
size that weighted intervals and the small-cell check count with.

A weight is a non-negative number per respondent (a design or post-stratification weight);
a respondent with weight 0 counts for nothing. The column is a role like an id: never
clustered, never profiled as a trait. What it weights is decided once, in the stages that use
:attr:`segkit.features.build.FeatureTable.weights` (profiles, outcomes, targeting, the k-means fit).

The effective sample size of weights ``w`` is Kish's ``n_eff = (sum w)^2 / sum w^2``: equal
weights give ``n``, uneven weights fewer (never more). Intervals and ``privacy.min_cell_size``
count respondents by it, so weighting never makes a small group look larger than it is.

Examples
--------
>>> import pandas as pd
>>> effective_size(pd.Series([1.0, 1.0, 1.0, 1.0]))
4.0
>>> effective_size(pd.Series([3.0, 1.0, 0.0]))
1.6
>>> t = pd.DataFrame({"customer_id": ["a", "b", "c"], "w": ["1.5", "-2", "0.5"]})
>>> survey_weights(t, "w", label="survey.csv")
Traceback (most recent call last):
...
segkit.exceptions.DataError: survey.csv: column 'w' has 1 negative weight (e.g. '-2' at row 2); expected survey.weight to name a column of numbers >= 0, not all zero
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.exceptions import DataError

__all__ = ["effective_size", "survey_weights", "weighting_text"]

_EXPECTED = "expected survey.weight to name a column of numbers >= 0, not all zero"


def effective_size(weights) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2`` (0 for no weight at all).

    >>> effective_size([2.0, 2.0])
    2.0
    """
    w = np.asarray(weights, dtype=float)
    w = w[~np.isnan(w)]
    squares = float((w * w).sum())
    return float(w.sum()) ** 2 / squares if squares > 0 else 0.0


def survey_weights(customers: pd.DataFrame, column, *, label: str = "customers", name=None) -> pd.Series:
    """The weights in ``customers[column]`` as floats indexed by ``customer_id`` (named ``weight``).

    Raises :class:`~segkit.exceptions.DataError` naming the file, the column and an example of a
    value that is not a number, is missing, negative or infinite, or when every weight is 0.
    Rows are counted as a spreadsheet user counts them (1 = the first data row); ``name`` is the
    column's name in messages when it differs from ``column``.
    """
    shown = str(column if name is None else name)
    raw = customers[column]
    numbers = pd.to_numeric(raw.astype("string").str.strip(), errors="coerce").astype(float)
    problems = [("missing or non-numeric weight", numbers.isna()),
                ("negative weight", numbers < 0),
                ("infinite weight", np.isinf(numbers))]
    for problem, bad in problems:
        bad = pd.Series(np.asarray(bad, dtype=bool), index=raw.index)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            value = raw.iloc[row]
            value = value.item() if isinstance(value, np.generic) else value
            count = int(bad.sum())
            raise DataError(f"{label}: column {shown!r} has {count} {problem}{'s' if count > 1 else ''} "
                            f"(e.g. {value!r} at row {row + 1}); {_EXPECTED}")
    if not (numbers > 0).any():
        first = raw.iloc[0].item() if isinstance(raw.iloc[0], np.generic) else raw.iloc[0]
        raise DataError(f"{label}: column {shown!r} has every weight 0 (e.g. {first!r} at row 1); "
                        f"{_EXPECTED}")
    index = pd.Index(customers["customer_id"].astype("string"), name="customer_id")
    return pd.Series(numbers.to_numpy(), index=index, name="weight")


def weighting_text(column, weights: pd.Series, *, algorithm: str | None = None, used: bool = False,
                   people: str = "respondents") -> str:
    """The method section's sentences on the weighting: column, sum of weights, ``n_eff``, and
    whether the clustering ``algorithm`` used the weights; ``people`` is what the rows are called.

    >>> print(weighting_text("wt", pd.Series([1.0, 3.0]), algorithm="gmm"))
    Survey weights (`survey.weight`: wt): 2 respondents weighted to a sum of 4, an effective sample size of 1.6. Shares, means, outcome and response rates are weighted; their intervals and the small-cell check (privacy.min_cell_size) count respondents by the effective sample size. The gmm algorithm cannot use weights: its segments were found on the unweighted rows.
    """
    n_eff = effective_size(weights)
    text = (f"Survey weights (`survey.weight`: {column}): {len(weights):,} {people} weighted to a sum of "
            f"{float(weights.sum()):,.4g}, an effective sample size of {n_eff:,.4g}. Shares, means, outcome and "
            "response rates are weighted; their intervals and the small-cell check (privacy.min_cell_size) count "
            f"{people} by the effective sample size.")
    if algorithm is not None and used:
        text += (f" The {algorithm} fit counted each of them by their weight; the number of segments and "
                 "their stability were judged on the unweighted rows.")
    elif algorithm is not None:
        text += f" The {algorithm} algorithm cannot use weights: its segments were found on the unweighted rows."
    return text
