"""Checking what the segmenter is given: its parameters against its declared constraints, and X.

:class:`~segkit.segment.Segmenter` declares ``_parameter_constraints`` once, with
scikit-learn's constraint objects (``Interval``, ``StrOptions``); :func:`check_parameters`
checks values against them and against the rules that tie parameters together (an integer
``n_segments`` inside ``[k_min, k_max]``, ``k_min <= k_max``, ``n_segments='auto'`` for an
algorithm that chooses k itself). The segmenter raises its answer as a
:class:`~segkit.exceptions.SegmentationError`, :func:`segkit.config.validate_config` as a
:class:`~segkit.exceptions.ConfigError` naming the config key: one set of rules for both.

Examples
--------
>>> from numbers import Integral
>>> from sklearn.utils._param_validation import Interval, StrOptions
>>> constraints = {"n_segments": [Interval(Integral, 2, None, closed="left"), StrOptions({"auto"})]}
>>> check_parameters(constraints, {"n_segments": 1}).message
"n_segments=1 is below 2; expected an integer >= 2 or 'auto'"
>>> check_parameters(constraints, {"n_segments": "auto"}) is None
True
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import Interval, StrOptions, make_constraint
from sklearn.utils.validation import check_array, validate_data

from segkit.exceptions import DataError, SegmentationError, quote
from segkit.segment.backends import BACKENDS

__all__ = ["Choices", "InvalidParameter", "check_customers", "check_parameters", "describe", "input_frame", "jsonable"]


class Choices(StrOptions):
    """``StrOptions`` that lists its options in the order given (messages read them in order).

    Examples
    --------
    >>> describe([Choices(("auto", "kmeans", "gmm"))])
    "one of ['auto', 'kmeans', 'gmm']"
    """

    def __init__(self, options):
        super().__init__(set(options))
        self.order = tuple(options)


@dataclass(frozen=True)
class InvalidParameter:
    """A parameter value that breaks the constraints.

    Attributes
    ----------
    name : str
        The parameter.
    value : object
        Its value.
    expected : str
        What it must be, in words ("an integer >= 2 or 'auto'").
    message : str
        The sentence the segmenter raises.
    choice : bool
        Whether the value must be one of a list of names (messages then say "one of [...], but
        ... was given").
    """

    name: str
    value: Any
    expected: str
    message: str
    choice: bool = False


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _describe_one(constraint) -> str:
    if isinstance(constraint, Interval):
        kind = "an integer" if constraint.type is numbers.Integral else "a number"
        if constraint.right is None:
            sign = ">=" if constraint.closed in ("left", "both") else ">"
            return f"{kind} {sign} {_number(constraint.left)}"
        left = "[" if constraint.closed in ("left", "both") else "("
        right = "]" if constraint.closed in ("right", "both") else ")"
        return f"{kind} in {left}{_number(constraint.left)}, {_number(constraint.right)}{right}"
    if isinstance(constraint, StrOptions):
        options = list(getattr(constraint, "order", sorted(constraint.options)))
        return repr(options[0]) if len(options) == 1 else f"one of {options}"
    if constraint == "boolean":
        return "true or false"
    if constraint is None:
        return "None"
    if constraint is str:
        return "text"
    return f"a {getattr(constraint, '__name__', constraint)}"


def describe(constraints) -> str:
    """A parameter's constraints in words.

    Examples
    --------
    >>> from numbers import Integral, Real
    >>> describe([Interval(Real, 0, 0.5, closed="left")]), describe([Interval(Integral, 0, 9, closed="both")])
    ('a number in [0, 0.5)', 'an integer in [0, 9]')
    """
    return " or ".join(_describe_one(c) for c in constraints)


def _satisfies(constraint, value) -> bool:
    if isinstance(constraint, Interval) and isinstance(value, bool):
        return False  # True is an Integral to Python, never a count or a share to an analyst
    return make_constraint(constraint).is_satisfied_by(value)


def _plain(constraint) -> bool:
    """Whether a value written in a config file (YAML) can meet ``constraint``: not None, not
    an object such as a RandomState."""
    return isinstance(constraint, Interval | StrOptions) or constraint in ("boolean", str)


def _check_one(name: str, value, constraints) -> InvalidParameter | None:
    if any(_satisfies(c, value) for c in constraints):
        return None
    expected = describe(constraints)
    choice = all(isinstance(c, StrOptions) for c in constraints)
    numeric = [c for c in constraints if isinstance(c, Interval) and not isinstance(value, bool)
               and isinstance(value, c.type)]
    if numeric and numeric[0].left is not None and value < numeric[0].left:
        message = f"{name}={value!r} is below {_number(numeric[0].left)}; expected {expected}"
    elif numeric:
        message = f"{name}={value!r} must be {expected}"
    else:
        message = f"The value for `{name}` must be {expected}, but {value!r} was passed."
    return InvalidParameter(name, value, expected, message, choice)


def _check_relations(params: Mapping[str, Any]) -> InvalidParameter | None:
    k_min, k_max, k = params["k_min"], params["k_max"], params["n_segments"]
    if k_max < k_min:
        return InvalidParameter("k_max", k_max, f"at least k_min ({k_min})",
                                f"k_max={k_max} is below k_min={k_min}; expected k_min <= k_max")
    if k == "auto":
        return None
    if not k_min <= k <= k_max:
        return InvalidParameter(
            "n_segments", k, f"an integer from k_min ({k_min}) to k_max ({k_max}), or 'auto'",
            f"n_segments={k} is outside the allowed range k_min={k_min} to k_max={k_max}; "
            "widen the range or choose a k inside it")
    algorithm = params["algorithm"]
    if algorithm in BACKENDS and BACKENDS[algorithm].chooses_k:
        return InvalidParameter(
            "n_segments", k, f"'auto' (algorithm '{algorithm}' chooses the number of segments itself)",
            f"algorithm '{algorithm}' chooses the number of segments itself, but n_segments={k} was "
            "passed; use n_segments='auto'")
    return None


def check_parameters(constraints: Mapping[str, list], params: Mapping[str, Any], *,
                     plain: bool = False) -> InvalidParameter | None:
    """The first parameter in ``params`` that breaks ``constraints`` or the rules between
    ``n_segments``, ``k_min``, ``k_max`` and ``algorithm`` (checked when all four are given
    and valid on their own), or None.

    Parameters
    ----------
    constraints : mapping
        Parameter -> list of scikit-learn constraints, any of which may be met.
    params : mapping
        Parameter -> value; parameters not given are not checked.
    plain : bool
        Only accept what a config file can hold: drops the ``None`` and object constraints
        (so ``random_state`` must be an integer).

    Returns
    -------
    InvalidParameter or None
    """
    for name, options in constraints.items():
        if name not in params:
            continue
        options = [c for c in options if _plain(c)] if plain else options
        invalid = _check_one(name, params[name], options)
        if invalid is not None:
            return invalid
    if {"n_segments", "k_min", "k_max", "algorithm"} <= set(params):
        return _check_relations(params)
    return None


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
        if reset and X.index.has_duplicates:
            dup = X.index[X.index.duplicated()][0]
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
