"""Checks of the inputs every value model shares: columns, dates, summary arrays.

A summary is given either as one frame with the columns ``frequency``, ``recency`` and
``T`` (as :func:`segkit.value.rfm_summary` writes it) or as three array-likes; the models
read it with :func:`summary_arrays` and check it with :func:`check_rfm`, so every model
accepts the same inputs and rejects bad ones with the same message.

Examples
--------
>>> import pandas as pd
>>> summary = pd.DataFrame({"frequency": [1, 0], "recency": [7.0, 0.0], "T": [14.0, 10.0]})
>>> index, x, tx, T = summary_arrays(summary)
>>> x.tolist(), T.tolist()
([1.0, 0.0], [14.0, 10.0])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.exceptions import ColumnError, DataError, quote

__all__ = ["as_array", "check_rfm", "index_of", "require_columns", "split_summary", "summary_arrays", "to_datetime"]


def require_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    """Raise :class:`~segkit.exceptions.ColumnError` naming the first of ``columns`` missing in ``frame``.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "transactions")
    Traceback (most recent call last):
    ...
    segkit.exceptions.ColumnError: transactions: column 'b' not found; available columns: ['a']
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ColumnError(
            f"{what}: column {missing[0]!r} not found; available columns: {list(frame.columns)}"
        )


def to_datetime(values: pd.Series, column: str, what: str = "transactions") -> pd.Series:
    """Parse dates; integers such as ``19970101`` are read as ``yyyymmdd``.

    Examples
    --------
    >>> to_datetime(pd.Series([19970101, 19970108]), "date").dt.day.tolist()
    [1, 8]
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    if pd.api.types.is_integer_dtype(values):
        parsed = pd.to_datetime(values.astype("string"), format="%Y%m%d", errors="coerce")
    else:
        parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    bad = parsed.isna() & values.notna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"{what}: column {column!r} has {int(bad.sum())} unparseable dates "
            f"(e.g. {quote(values.iloc[pos])} at row {pos + 1}); expected dates"
        )
    return parsed


def as_array(values, name: str) -> np.ndarray:
    """``values`` as a 1-D float array without missing values.

    Examples
    --------
    >>> as_array(3, "frequency")
    array([3.])
    """
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if np.isnan(arr).any():
        raise DataError(f"{name}: {int(np.isnan(arr).sum())} missing values; expected numbers")
    return arr


def index_of(*values) -> pd.Index | None:
    """The index of the first Series among ``values`` (None when there is none), for the result.

    Examples
    --------
    >>> index_of([1, 2], pd.Series([3, 4], index=["a", "b"])).tolist()
    ['a', 'b']
    """
    for v in values:
        if isinstance(v, pd.Series):
            return v.index
    return None


def split_summary(frequency, recency, T):
    """Accept either three arrays or one summary frame with the three columns.

    Examples
    --------
    >>> split_summary([1], [2.0], [3.0])
    ([1], [2.0], [3.0])
    """
    if isinstance(frequency, pd.DataFrame):
        require_columns(frequency, ["frequency", "recency", "T"], "summary")
        summary = frequency
        return summary["frequency"], summary["recency"], summary["T"]
    if recency is None or T is None:
        raise DataError("frequency, recency and T are all needed (or one summary frame with those columns)")
    return frequency, recency, T


def summary_arrays(frequency, recency=None, T=None) -> tuple[pd.Index | None, np.ndarray, np.ndarray, np.ndarray]:
    """The index of the result and the ``frequency``, ``recency`` and ``T`` arrays of a summary.

    The index is the summary frame's, or that of the first Series given; None for plain
    arrays (the model then returns arrays).
    """
    index = frequency.index if isinstance(frequency, pd.DataFrame) else None
    frequency, recency, T = split_summary(frequency, recency, T)
    index = index if index is not None else index_of(frequency, recency, T)
    return index, as_array(frequency, "frequency"), as_array(recency, "recency"), as_array(T, "T")


def check_rfm(x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> None:
    """Raise :class:`~segkit.exceptions.DataError` when frequency, recency and T cannot be a summary.

    Examples
    --------
    >>> import numpy as np
    >>> check_rfm(np.array([1.0]), np.array([9.0]), np.array([5.0]))
    Traceback (most recent call last):
    ...
    segkit.exceptions.DataError: summary: column 'recency' has 1 values larger than T (e.g. frequency=1, ...
    """
    if not (len(x) == len(tx) == len(T)):
        raise DataError(f"frequency, recency and T have different lengths ({len(x)}, {len(tx)}, {len(T)})")
    checks = [
        (x < 0, "frequency", "negative values"),
        (x != np.round(x), "frequency", "non-integer values"),
        (tx < 0, "recency", "negative values"),
        (tx > T + 1e-9, "recency", "values larger than T"),
        ((x == 0) & (tx > 1e-9), "recency", "values > 0 where frequency is 0"),
    ]
    for bad, column, problem in checks:
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"summary: column {column!r} has {int(bad.sum())} {problem} "
                f"(e.g. frequency={x[pos]:g}, recency={tx[pos]:g}, T={T[pos]:g} at row {pos + 1}); "
                "expected a customer summary from rfm_summary"
            )
