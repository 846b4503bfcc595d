"""The segmenter's parameters and their rules, defined once and checked without scikit-learn.

:data:`SEGMENTER_PARAMETERS` says what each parameter of :class:`~segkit.segment.Segmenter`
may be: a whole number or a number in a range, one of some names, true or false, text, None,
or a ``RandomState``. :func:`check_parameters` checks values against them and against the
rules that tie parameters together (an integer ``n_segments`` inside ``[k_min, k_max]``,
``k_min <= k_max``, ``n_segments='auto'`` for an algorithm that chooses k itself). The
segmenter raises its answer as a :class:`~segkit.exceptions.SegmentationError`,
:func:`segkit.config.validate_config` as a :class:`~segkit.exceptions.ConfigError` naming the
config key: one set of rules for both. The segmenter declares them to scikit-learn as
``_parameter_constraints`` (:func:`sklearn_constraints`).

This module imports nothing heavy: the command line checks a config with it before the report
kernel, which imports scikit-learn, has finished starting (scikit-learn and SciPy take about
two seconds of CPU to import).

Examples
--------
>>> check_parameters({"n_segments": 1}).message
"n_segments=1 is below 2; expected an integer >= 2 or 'auto'"
>>> check_parameters({"n_segments": "auto", "algorithm": "kmeans"}) is None
True
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

from segkit.schema import ALGORITHMS

__all__ = ["CHOOSES_K", "SEGMENTER_PARAMETERS", "Interval", "InvalidParameter", "Options", "check_parameters",
           "describe", "sklearn_constraints"]

#: Algorithms that find the number of segments themselves (``n_segments`` must be ``'auto'``).
CHOOSES_K = frozenset({"hdbscan"})

#: A value that must be ``True`` or ``False``; text; a NumPy ``RandomState`` object.
BOOLEAN, TEXT, RANDOM_STATE = "boolean", str, "RandomState"


@dataclass(frozen=True)
class Interval:
    """A whole number (``kind=Integral``) or any number (``Real``) between ``left`` and ``right``.

    ``closed`` says which ends belong to it: "left", "right", "both" or "neither"; ``None``
    at an end leaves it open. Booleans are never counts or shares, so they never fit.
    """

    kind: type
    left: float | None
    right: float | None
    closed: str

    def fits(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, self.kind):
            return False
        if self.left is not None and (value < self.left or (value == self.left and self.closed in ("right", "neither"))):
            return False
        return self.right is None or not (value > self.right or (value == self.right
                                                                 and self.closed in ("left", "neither")))

    def __str__(self) -> str:
        kind = "an integer" if self.kind is Integral else "a number"
        if self.right is None:
            return f"{kind} {'>=' if self.closed in ('left', 'both') else '>'} {_number(self.left)}"
        left = "[" if self.closed in ("left", "both") else "("
        right = "]" if self.closed in ("right", "both") else ")"
        return f"{kind} in {left}{_number(self.left)}, {_number(self.right)}{right}"


@dataclass(frozen=True)
class Options:
    """One of some names, listed in this order in messages."""

    names: tuple[str, ...]

    def fits(self, value: Any) -> bool:
        return isinstance(value, str) and value in self.names

    def __str__(self) -> str:
        return repr(self.names[0]) if len(self.names) == 1 else f"one of {list(self.names)}"


#: Each parameter of the segmenter: a list of what it may be (any one of them).
SEGMENTER_PARAMETERS: dict[str, list] = {
    "n_segments": [Interval(Integral, 2, None, "left"), Options(("auto",))],
    "algorithm": [Options(ALGORITHMS)],
    "k_min": [Interval(Integral, 2, None, "left")],
    "k_max": [Interval(Integral, 2, None, "left")],
    "min_share": [Interval(Real, 0, 0.5, "left")],
    "min_size": [Interval(Integral, 1, None, "left")],
    "sample_size": [Interval(Integral, 100, None, "left")],
    "n_init": [Interval(Integral, 1, None, "left")],
    "n_bootstrap": [Interval(Integral, 0, 1000, "both")],  # more refits add nothing but hours
    "stability_threshold": [Interval(Real, 0, 1, "both")],
    "prefer_k": [Interval(Integral, 2, None, "left"), None],
    "order_by": [TEXT, None],
    "random_state": [Interval(Integral, 0, 2**32 - 1, "both"), RANDOM_STATE, None],
    "progress": [BOOLEAN],
}


@dataclass(frozen=True)
class InvalidParameter:
    """A parameter value that breaks the rules.

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


def _fits(constraint, value: Any) -> bool:
    if isinstance(constraint, Interval | Options):
        return constraint.fits(value)
    if constraint is None:
        return value is None
    if constraint is TEXT:
        return isinstance(value, str)
    np = sys.modules.get("numpy")  # a NumPy value exists only where NumPy was imported
    if constraint == BOOLEAN:
        return isinstance(value, bool) or (np is not None and isinstance(value, np.bool_))
    return np is not None and isinstance(value, np.random.RandomState)  # RANDOM_STATE


def _plain(constraint) -> bool:
    """Whether a value written in a config file (YAML) can meet ``constraint``: not None, not
    an object such as a RandomState."""
    return isinstance(constraint, Interval | Options) or constraint in (BOOLEAN, TEXT)


def describe(constraints) -> str:
    """A parameter's rules in words.

    Examples
    --------
    >>> describe(SEGMENTER_PARAMETERS["min_share"]), describe(SEGMENTER_PARAMETERS["n_bootstrap"])
    ('a number in [0, 0.5)', 'an integer in [0, 1000]')
    >>> describe(SEGMENTER_PARAMETERS["random_state"])
    'an integer in [0, 4294967295] or a RandomState or None'
    """
    words = {None: "None", TEXT: "text", BOOLEAN: "true or false", RANDOM_STATE: "a RandomState"}
    return " or ".join(str(c) if isinstance(c, Interval | Options) else words[c] for c in constraints)


def _check_one(name: str, value, constraints) -> InvalidParameter | None:
    if any(_fits(c, value) for c in constraints):
        return None
    expected = describe(constraints)
    choice = all(isinstance(c, Options) for c in constraints)
    numeric = [c for c in constraints if isinstance(c, Interval) and not isinstance(value, bool)
               and isinstance(value, c.kind)]
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
    if algorithm in CHOOSES_K:
        return InvalidParameter(
            "n_segments", k, f"'auto' (algorithm '{algorithm}' chooses the number of segments itself)",
            f"algorithm '{algorithm}' chooses the number of segments itself, but n_segments={k} was "
            "passed; use n_segments='auto'")
    return None


def check_parameters(params: Mapping[str, Any], *, plain: bool = False,
                     rules: Mapping[str, list] = SEGMENTER_PARAMETERS) -> InvalidParameter | None:
    """The first parameter in ``params`` that breaks its rules or the rules between
    ``n_segments``, ``k_min``, ``k_max`` and ``algorithm`` (checked when all four are given
    and valid on their own), or None.

    Parameters
    ----------
    params : mapping
        Parameter -> value; parameters not given, or without rules, are not checked.
    plain : bool
        Only accept what a config file can hold: drops the ``None`` and object rules (so
        ``random_state`` must be an integer).
    rules : mapping
        Parameter -> list of what it may be (default: the segmenter's).

    Returns
    -------
    InvalidParameter or None

    Examples
    --------
    >>> check_parameters({"random_state": None}) is None, check_parameters({"random_state": None}, plain=True).name
    (True, 'random_state')
    """
    for name, options in rules.items():
        if name not in params:
            continue
        options = [c for c in options if _plain(c)] if plain else options
        invalid = _check_one(name, params[name], options)
        if invalid is not None:
            return invalid
    if {"n_segments", "k_min", "k_max", "algorithm"} <= set(params):
        return _check_relations(params)
    return None


def sklearn_constraints(rules: Mapping[str, list] = SEGMENTER_PARAMETERS) -> dict[str, list]:
    """The same rules as scikit-learn's constraint objects (an estimator's ``_parameter_constraints``)."""
    import numpy as np
    from sklearn.utils._param_validation import Interval as SkInterval
    from sklearn.utils._param_validation import StrOptions

    def one(c):
        if isinstance(c, Interval):
            return SkInterval(c.kind, c.left, c.right, closed=c.closed)
        if isinstance(c, Options):
            return StrOptions(set(c.names))
        return np.random.RandomState if c == RANDOM_STATE else c

    return {name: [one(c) for c in options] for name, options in rules.items()}
