"""Which features a segmentation uses when the analyst names none, and which column is revenue.

The domain rules between the feature table and the segmenter: the default bases
(:func:`default_basis`), the columns left out of a basis selection because they would shape
the segments for the wrong reason (:func:`mostly_missing`, :func:`copies`), and the column
the profiles' revenue figures come from (:func:`value_column`).

Examples
--------
>>> import pandas as pd
>>> from segkit.features.build import FeatureTable
>>> table = FeatureTable(frame=pd.DataFrame({"recency_days": [3, 40], "monetary": [5.0, 7.0], "Income": [1, 2]}),
...                      bases={"recency_days": "behavioural", "monetary": "value", "Income": "demographic"})
>>> default_basis(table)
['behavioural', 'value']
"""

from __future__ import annotations

import pandas as pd

from segkit.features.build import FeatureTable

__all__ = ["copies", "default_basis", "mostly_missing", "value_column"]

#: Bases tried in turn as the default; the first whose bases are all present is chosen.
_DEFAULT_CHOICES = (("behavioural", "value"), ("behavioural",), ("value",), ("demographic",))
#: Bases added, in this order, while the chosen ones hold fewer than two features.
_EXTRA_BASES = ("demographic", "geographic", "technographic", "psychographic")


def default_basis(table: FeatureTable) -> list[str]:
    """Bases clustered on when the config names none: behaviour and value when present.

    When those hold fewer than two features (a table with one behavioural column, such as a
    spending score), the demographic, geographic, technographic and psychographic bases are
    added in turn until there are two: one number alone shows no structure.
    """
    present = set(table.bases.values())
    chosen = sorted(present)
    for choice in _DEFAULT_CHOICES:
        if set(choice) <= present:
            chosen = list(choice)
            break
    for extra in _EXTRA_BASES:
        if table.select(basis=chosen).shape[1] >= 2:
            break
        if extra in present and extra not in chosen:
            chosen = [*chosen, extra]
    return chosen


def mostly_missing(X: pd.DataFrame, table_columns, most: float = 0.5) -> pd.Series:
    """Share missing of the customer-table columns of ``X`` missing for more than ``most`` of the
    customers, unless every column of ``X`` is (then nothing would be left to cluster on).

    Filled in with the median, such a column would put most customers on one value and the
    few known answers would shape the segments. Purchase-log features are not judged:
    ``avg_days_between_orders`` is rightly empty for one-off buyers.

    Examples
    --------
    >>> X = pd.DataFrame({"Income": [1.0, None, None], "Age": [30, 40, None]})
    >>> mostly_missing(X, ["Income", "Age"]).round(2).to_dict()
    {'Income': 0.67}
    """
    missing = X[[c for c in X.columns if c in set(table_columns)]].isna().mean()
    gaps = missing[missing > most]
    return gaps.iloc[:0] if len(gaps) == X.shape[1] else gaps


def copies(frame: pd.DataFrame) -> dict[str, str]:
    """Columns equal to an earlier column on every row, each with the column it repeats.

    Examples
    --------
    >>> copies(pd.DataFrame({"recency_days": [3, 40], "monetary": [5.0, 7.0], "tenure_days": [3, 40]}))
    {'tenure_days': 'recency_days'}
    """
    first: dict[int, str] = {}
    out = {}
    for column in frame.columns:
        key = int(pd.util.hash_pandas_object(frame[column], index=False).sum())
        if key in first and frame[column].equals(frame[first[key]]):
            out[column] = first[key]
        else:
            first.setdefault(key, column)
    return out


def value_column(frame: pd.DataFrame, bases: dict[str, str], labels: dict[str, str]) -> tuple[str | None, list[str]]:
    """The column revenue figures come from, and the spend columns to sum into it, if any.

    ``monetary`` when there is a purchase log. A customer table alone may still say what each
    customer spent: one spend column (``TotalSpend``, ``Revenue``) is used as it is; spend split
    over categories (iFood's ``MntWines``, ``MntMeatProducts``, ...) is to be summed into
    ``total_spend``. ``labels`` are the columns' names in words (``"wine spend"``), which say
    what a column holds.

    Returns
    -------
    (column, parts)
        ``(None, [])`` when no column holds revenue; ``("total_spend", [parts...])`` when the
        caller should add ``total_spend`` as the sum of ``parts``.

    Examples
    --------
    >>> frame = pd.DataFrame({"MntWines": [1.0], "MntFish": [2.0], "Income": [3.0]})
    >>> bases = {"MntWines": "behavioural", "MntFish": "behavioural", "Income": "demographic"}
    >>> value_column(frame, bases, {"MntWines": "wine spend", "MntFish": "fish spend", "Income": "income"})
    ('total_spend', ['MntWines', 'MntFish'])
    """
    if "monetary" in frame:
        return "monetary", []
    amounts = [c for c in frame.columns if bases.get(c) in ("behavioural", "value")
               and pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])]
    whole = [c for c in amounts if labels.get(c) == "spend"]
    if len(whole) == 1:
        return whole[0], []
    parts = whole or [c for c in amounts if str(labels.get(c, "")).endswith(" spend")]
    if len(parts) < 2 or "total_spend" in frame:
        return None, []
    return "total_spend", parts
