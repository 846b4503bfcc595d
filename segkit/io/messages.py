"""The pieces of io's messages: plurals, values as shown, and rows named as an analyst finds them.

Every error and warning of :mod:`segkit.io` names the input, the column, a bad value and its
row; these helpers write those parts the same way everywhere.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"age": [30, -1]})
>>> value, row = first_bad(frame, (frame["age"] < 0).to_numpy(), frame["age"])
>>> f"{show(value)} at {row}", plural(2, "value", "values")
('-1 at row 2', 'values')
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from segkit.exceptions import quote

__all__ = ["first_bad", "frame_label", "listing", "plural", "row_label", "show"]


def plural(n: int, one: str, many: str) -> str:
    """``one`` for a count of 1, else ``many``."""
    return one if n == 1 else many


def show(value) -> str:
    """A cell value as a message quotes it: numpy scalars as the Python values they hold, and
    at most about 80 characters of it (:func:`segkit.exceptions.quote`).

    Examples
    --------
    >>> show(np.float64(2.5)), show("a" * 1000)[-19:]
    ('2.5', ' (1,000 characters)')
    """
    if isinstance(value, np.generic):
        value = value.item()
    return quote(value)


def row_label(frame: pd.DataFrame, pos: int) -> str:
    """'row 17' (1-based, header not counted), naming the file when the frame came from several.

    Examples
    --------
    >>> frame = pd.DataFrame({"a": range(5)})
    >>> frame.attrs["segkit_source"] = {"file_rows": [3, 2], "paths": ["/d/jan.csv", "/d/feb.csv"]}
    >>> row_label(frame, 1), row_label(frame, 3)
    ('row 2 of jan.csv', 'row 1 of feb.csv')
    >>> chunk = frame.tail(2).copy()
    >>> chunk.attrs["segkit_source"] = {**frame.attrs["segkit_source"], "rows": 5, "chunk": True, "row_offset": 3}
    >>> row_label(chunk, 1)
    'row 2 of feb.csv'
    """
    source = frame.attrs.get("segkit_source") or {}
    counts, paths = source.get("file_rows") or [], source.get("paths") or []
    rows = len(frame)
    if source.get("chunk"):  # a chunk of a longer table (io.read_chunks): the table's own row
        pos, rows = pos + int(source.get("row_offset") or 0), int(source.get("rows") or 0)
    if len(counts) > 1 and len(paths) == len(counts) and sum(counts) == rows:
        ends = np.cumsum(counts)
        i = int(np.searchsorted(ends, pos, side="right"))
        start = int(ends[i - 1]) if i else 0
        return f"row {pos - start + 1} of {Path(paths[i]).name}"
    return f"row {pos + 1}"


def first_bad(frame: pd.DataFrame, mask: np.ndarray, values: pd.Series) -> tuple[object, str]:
    """The first value of ``values`` where ``mask`` holds, and its row in ``frame``."""
    pos = int(np.flatnonzero(mask)[0])
    return values.iloc[pos], row_label(frame, pos)


def listing(columns, limit: int = 30) -> str:
    """Column names as a message lists them: the first ``limit``, then how many more.

    Examples
    --------
    >>> listing(["a", "b", "c"], limit=2)
    "['a', 'b'] and 1 more"
    """
    names = [str(c) for c in columns]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return f"{names[:limit]}{more}"


def frame_label(df: pd.DataFrame, label: str | None, default: str) -> str:
    """The name of a table in messages: ``label`` when given, else the label it was read under."""
    if label:
        return label
    source = df.attrs.get("segkit_source") or {}
    return source.get("label") or default
