"""Strict JSON values: what ``summary.json`` and ``comparison.json`` may hold.

Python's ``json`` writes ``NaN`` and ``Infinity`` by default, which are not JSON: a browser's
``JSON.parse``, jq and most CRM importers reject the file. Everything segkit writes passes
through :func:`finite` first (missing numbers become ``null``) and is dumped with
``allow_nan=False``, so a regression fails loudly instead of writing a broken file.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def finite(value: Any) -> Any:
    """A copy with numpy scalars as Python ones and NaN / infinities as None, recursively.

    Examples
    --------
    >>> finite({"a": [1.5, float("nan")], "b": np.float64("inf"), "c": np.int64(3), "d": (True,)})
    {'a': [1.5, None], 'b': None, 'c': 3, 'd': [True]}
    """
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
