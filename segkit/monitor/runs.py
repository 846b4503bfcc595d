"""Runs on disk: read a report folder, and compare two of them (``segkit compare``).

Examples
--------
>>> read_run("/nowhere")
Traceback (most recent call last):
...
segkit.exceptions.InputNotFoundError: /nowhere/segments.csv: not found; expected a report folder written by ...
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from segkit.exceptions import DataError, InputNotFoundError, quote
from segkit.monitor.compare import Comparison, compare

__all__ = ["RunRecord", "compare_runs", "read_run"]


@dataclass
class RunRecord:
    """What :func:`read_run` reads from a report folder."""

    labels: pd.Series  # segment id per customer id (as segments.csv writes it)
    names: dict[int, str]
    reference: dict  # feature_reference of summary.json ({} when the folder has none)
    label: str  # the folder's name

    def __repr__(self) -> str:
        return f"RunRecord({self.label!r}: {len(self.labels):,} customers, {len(self.names)} segments)"



def read_run(folder: str | Path) -> RunRecord:
    """Read a report folder's ``segments.csv`` and ``summary.json`` for a comparison.

    Raises
    ------
    InputNotFoundError
        One of the two files is missing.
    DataError
        They are not what a report writes.
    """
    path = Path(folder)
    if path.is_file():
        raise InputNotFoundError(f"{path}: is a file; expected the folder of a report written by `segkit report` "
                                 "(holding segments.csv and summary.json)")
    segments_csv, summary_json = path / "segments.csv", path / "summary.json"
    for needed in (segments_csv, summary_json):
        if not needed.is_file():
            raise InputNotFoundError(f"{needed}: not found; expected a report folder written by `segkit report`")
    labels = _read_segments(segments_csv)
    names, reference = _read_summary(summary_json)
    return RunRecord(labels=labels, names=names, reference=reference, label=path.name or str(path))


def _read_segments(segments_csv: Path) -> pd.Series:
    """The segment id of each customer in a report's ``segments.csv``."""
    try:
        table = pd.read_csv(segments_csv, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise DataError(f"{segments_csv}: cannot be read as CSV ({str(err).splitlines()[0]}); expected the "
                        "segments.csv of a segkit report") from err
    for column in ("customer_id", "segment"):
        if column not in table.columns:
            raise DataError(f"{segments_csv}: column {column!r} is missing (columns: {list(table.columns)}); "
                            "expected customer_id, segment, segment_name")
    if table.empty:
        raise DataError(f"{segments_csv}: has no rows; expected one row per customer of a segkit report")
    text = table["segment"].str.strip()
    bad = ~text.str.fullmatch(r"\d+(\.0*)?")  # 3 or 3.0 (written by a spreadsheet); not 0.5, -1 or blank
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        n = int(bad.sum())
        raise DataError(f"{segments_csv}: column 'segment' has {n} {'value that is' if n == 1 else 'values that are'} "
                        "not a segment id "
                        f"(e.g. {quote(table['segment'].iloc[row])} at row {row + 2}); expected whole numbers 0, 1, 2, ...")
    ids = table["customer_id"].str.strip()
    if (ids == "").any():
        row = int(np.flatnonzero((ids == "").to_numpy())[0])
        raise DataError(f"{segments_csv}: row {row + 2} has no customer id; expected one row per customer")
    duplicated = ids.duplicated(keep=False)
    if duplicated.any():
        first = ids[duplicated].iloc[0]
        rows = np.flatnonzero((ids == first).to_numpy())[:2] + 2
        raise DataError(f"{segments_csv}: customer id {first!r} is on rows {rows[0]} and {rows[1]}; "
                        "expected one row per customer")
    return pd.Series(text.astype(float).astype(int).to_numpy(), index=pd.Index(ids.to_numpy(), dtype=str))


def _read_summary(summary_json: Path) -> tuple[dict[int, str], dict]:
    """The segment names and the feature reference of a report's ``summary.json``."""
    try:
        summary = json.loads(summary_json.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DataError(f"{summary_json}: not valid JSON ({err}); expected the summary of a segkit report") from err
    segments = summary.get("segments", []) if isinstance(summary, dict) else None
    if not isinstance(segments, list) or not all(isinstance(s, dict) and "id" in s for s in segments):
        raise DataError(f"{summary_json}: not the summary of a segkit report (expected an object whose 'segments' "
                        "is a list of {id, name, size, share})")
    try:
        names = {int(s["id"]): str(s.get("name", "")) for s in segments}
    except (TypeError, ValueError) as err:
        raise DataError(f"{summary_json}: a segment id is not a whole number ({err}); expected the summary of a "
                        "segkit report") from err
    reference = summary.get("feature_reference") or {}
    if not isinstance(reference, dict):
        reference = {}
    return names, reference


def compare_runs(old_dir: str | Path, new_dir: str | Path, **kwargs) -> Comparison:
    """Compare two report folders written by ``segkit report`` (``segkit compare``).

    Reads ``segments.csv`` and ``summary.json`` of each. Feature drift needs the
    ``feature_reference`` that reports store in ``summary.json``; a folder without one
    (written by an older segkit) gives a comparison without feature drift.

    Parameters
    ----------
    old_dir, new_dir : path
        The earlier and the later report folder.
    **kwargs
        ``share_change`` and ``min_stayed``, see :func:`~segkit.monitor.compare.compare`.

    Returns
    -------
    Comparison

    Raises
    ------
    InputNotFoundError
        A folder lacks ``segments.csv`` or ``summary.json``.
    DataError
        A file is not what a report writes, or the runs share no customer.
    """
    old, new = read_run(old_dir), read_run(new_dir)
    if len(old.labels.index.intersection(new.labels.index)) == 0:
        raise DataError(
            f"{Path(old_dir) / 'segments.csv'} and {Path(new_dir) / 'segments.csv'} have no customer id in common "
            f"(e.g. {quote(old.labels.index[0])} and {quote(new.labels.index[0])}); expected two runs on the same customer "
            "base (with privacy.pseudonymise_ids, both runs need it, with the same privacy.pseudonym_key)"
        )
    return compare(old.labels, new.labels, old_names=old.names, new_names=new.names, old_reference=old.reference,
                   new_reference=new.reference, old_label=old.label, new_label=new.label, **kwargs)
