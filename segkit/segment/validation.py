"""Checking the X the segmenter is given: enough customers for the segments asked for, a frame
with the fitted columns, one row per customer; and making its facts JSON-safe.

The segmenter's parameters are checked against their rules in :mod:`segkit.parameters`, which
the config shares.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_array, validate_data

from segkit.exceptions import DataError, SegmentationError, quote

__all__ = ["check_customers", "index_duplicates", "input_frame", "jsonable"]


# ------------------------------------------------------------------------------------- X

def check_customers(n: int, n_segments) -> None:
    """A SegmentationError unless there are at least as many customers as an integer ``n_segments``.

    Examples
    --------
    >>> check_customers(12, 15)
    Traceback (most recent call last):
    ...
    segkit.exceptions.SegmentationError: the data have 12 customers (n_samples = 12), fewer than n_segments=15; need at least as many customers as segments
    """
    if isinstance(n_segments, numbers.Integral) and not isinstance(n_segments, bool) and n < n_segments:
        raise SegmentationError(
            f"the data have {n} customers (n_samples = {n}), fewer than n_segments={n_segments}; "
            "need at least as many customers as segments"
        )


def index_duplicates(index: pd.Index) -> np.ndarray:
    """Which entries of ``index`` repeat an earlier one (a boolean array).

    Unlike ``index.has_duplicates``, this builds no lookup table kept on the index: for the
    Arrow-backed text ids of 5M customers that table holds every id again as a Python string
    (about 450 MB) for as long as the index lives.

    >>> index_duplicates(pd.Index(["a", "b", "a"], dtype="string")).tolist()
    [False, False, True]
    """
    return np.asarray(index.array.duplicated(), dtype=bool)


def input_frame(estimator, X, *, reset: bool) -> pd.DataFrame:
    """X as a DataFrame with string column names, after scikit-learn's shape checks (which
    record, or with ``reset=False`` compare, the estimator's ``n_features_in_`` and
    ``feature_names_in_``).

    A named Series is one feature; the checks' errors about columns that differ from
    ``fit`` are :class:`DataError` (still ``ValueError``s, with scikit-learn's wording).
    """
    if isinstance(X, pd.Series):
        if X.name is None:
            raise DataError("X: got a Series without a name; expected a DataFrame of features, one column "
                            "per feature (or a named Series: X.rename('spend'))")
        X = X.to_frame()
    if not isinstance(X, pd.DataFrame):
        X = check_array(X, dtype=None, ensure_all_finite="allow-nan", ensure_min_samples=1)
        _validate_columns(estimator, X, reset)
        frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    else:
        _validate_columns(estimator, X, reset)
        repeated = index_duplicates(X.index) if reset else None
        if repeated is not None and repeated.any():
            dup = X.index[repeated][0]
            rows = np.flatnonzero(X.index == dup)[:2].tolist()
            dup = dup.item() if isinstance(dup, np.generic) else dup
            raise DataError(f"X: index value {quote(dup)} is on rows {rows[0]} and {rows[1]}; expected one row per "
                            f"customer, indexed by customer id (or use X.reset_index(drop=True))")
        if X.shape[0] == 0 or X.shape[1] == 0:
            raise SegmentationError(
                f"X has {X.shape[0]} customers and {X.shape[1]} columns (n_samples = {X.shape[0]}); "
                "expected at least one of each"
            )
        frame = X
        names = [str(c) for c in X.columns]
        if names != list(X.columns):
            frame = X.set_axis(names, axis=1)
    if reset and len(frame) < 2:
        raise SegmentationError(
            f"X has {len(frame)} customer (n_samples = {len(frame)}); segmentation needs at least "
            f"{max(estimator.k_min, 2) + 1} customers"
        )
    return frame


def _validate_columns(estimator, X, reset: bool) -> None:
    """scikit-learn's check of the columns against ``fit``, its ValueError as a DataError."""
    try:
        validate_data(estimator, X, reset=reset, skip_check_array=True)
    except ValueError as err:
        if reset or isinstance(err, SegmentationError | DataError):
            raise
        raise DataError(f"X: {err}".strip()) from err


def jsonable(obj):
    """``obj`` with numpy values as Python ones (NaN kept) and a RandomState as None.

    Examples
    --------
    >>> jsonable({"k": np.int64(3), "ok": np.bool_(True), "v": np.array([0.5])})
    {'k': 3, 'ok': True, 'v': [0.5]}
    """
    if isinstance(obj, dict):
        return {k: jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [jsonable(v) for v in obj.tolist()]
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return float(obj)
    if isinstance(obj, np.random.RandomState):
        return None
    return obj
