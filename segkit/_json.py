"""Strict JSON values: what ``summary.json`` and ``comparison.json`` may hold.

Python's ``json`` writes ``NaN`` and ``Infinity`` by default, which are not JSON: a browser's
``JSON.parse``, jq and most CRM importers reject the file. Everything segkit writes passes
through :func:`finite` first (missing numbers become ``null``) and is dumped with
``allow_nan=False``, so a regression fails loudly instead of writing a broken file.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["finite", "plain"]


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


def plain(value: Any) -> Any:
    """A JSON-ready copy of numpy and pandas values and containers (NaN and infinities as None).

    Examples
    --------
    >>> plain({"n": np.int64(3), "when": pd.Timestamp("2024-01-02"), "x": [np.nan, np.float32(0.5)]})
    {'n': 3, 'when': '2024-01-02 00:00:00', 'x': [None, 0.5]}
    """
    return finite(json.loads(json.dumps(value, default=_json_default)))


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, pd.Timestamp | pd.Timedelta):
        return str(value)
    if isinstance(value, pd.DataFrame):
        return value.reset_index().to_dict(orient="records")
    if isinstance(value, pd.Series):
        return value.to_dict()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, Path):
        return str(value)
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)
