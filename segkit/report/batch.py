"""``segkit report --by COLUMN``: one report per value of a column, and an index page.

The batch folder is built like a single report (in a temporary folder beside the target)
and published whole. Each value's report runs the whole analysis on that value's customers;
the index lists the customers and segments each run found, as the run handed them over
(:class:`segkit.report.runner.ReportRun`), without reading the published files back.

It reads the tables as a run does (:mod:`segkit.inputs`) to count customers per value.
"""

from __future__ import annotations

import copy
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from segkit import io as sio
from segkit.exceptions import ColumnError, DataError
from segkit.inputs import configured_tables
from segkit.report.outputs import partial_folder, publish_folder, remove_stale_partials
from segkit.report.runner import execute_report, write_index

__all__ = ["MISSING_BY_VALUE", "run_batch"]

#: How the batch index lists the customers without a value in the ``--by`` column.
MISSING_BY_VALUE = "(no value)"


def run_batch(config: Mapping[str, Any], out: str | Path, *, by: str,
              log: Callable[[str], None] | None = None) -> Path:
    """One report per value of column ``by`` (``--by``), plus ``index.html`` linking them.

    Values with fewer than ``report.by_min_customers`` customers are skipped and listed in
    the index, and so are the customers without a value (``(no value)``). The batch folder
    is published whole, like a single report.

    Returns
    -------
    Path
        The published batch folder.

    Raises
    ------
    ColumnError
        No input table has the column ``by``.
    DataError
        No value of ``by`` has enough customers for a report.
    """
    say = log or (lambda msg: None)
    counts = _customers_per_value(config, by)
    minimum = config["report"]["by_min_customers"]
    kept = {v: n for v, n in counts.items() if n >= minimum and v != MISSING_BY_VALUE}
    skipped = {v: n for v, n in counts.items() if v not in kept}
    if not kept:
        raise DataError(f"--by {by}: no value of {by!r} has at least {minimum} customers "
                        f"(largest: {max(counts.values()) if counts else 0}); lower report.by_min_customers")
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(out.parent)  # left by runs that were killed
    tmp = partial_folder(out)
    try:
        entries = []
        for value, n in kept.items():
            folder = re.sub(r"[^A-Za-z0-9_.-]+", "-", str(value)).strip("-") or "value"
            say(f"{by} = {value} ({n:,} customers)")
            run = execute_report(_value_config(config, by, value, folder), tmp / folder, log=None)
            entries.append({"value": value, "folder": folder, "n_customers": run.n_customers,
                            "n_segments": run.n_segments})
        write_index(tmp, entries, title=f"{config['title']} by {by}", skipped=skipped)
        publish_folder(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _value_config(config: Mapping[str, Any], by: str, value: Any, folder: str) -> dict[str, Any]:
    """The config of one value's report: its customers only, its own title, and (for a
    monthly batch) the earlier report of the same value to compare with, if there is one."""
    sub = copy.deepcopy(dict(config))
    sub["data"]["where"] = {**sub["data"].get("where", {}), by: value}
    sub["title"] = f"{config['title']}: {by} = {value}"
    previous = (config.get("monitor") or {}).get("previous")
    if previous:
        earlier = Path(previous) / folder
        sub["monitor"] = {**sub.get("monitor", {}),
                          "previous": str(earlier) if (earlier / "segments.csv").is_file() else None}
    return sub


def _customers_per_value(config: Mapping[str, Any], by: str) -> dict[Any, int]:
    """Distinct customers per value of ``by``, from whichever input table has that column;
    those without a value are counted under :data:`MISSING_BY_VALUE`."""
    seen: list[str] = []
    for kind, _label, raw, given in configured_tables(config):
        if by not in raw.columns:
            seen.extend(map(str, raw.columns))
            continue
        roles = sio.detect_roles(raw, kind=kind, given=given)
        if kind == "transactions":  # an order's first-line fields count for each of its lines
            raw = sio.fill_order_fields(raw, roles)
        ids = raw[roles.customer_id] if roles.customer_id else pd.Series(range(len(raw)), index=raw.index)
        text = raw[by].astype("string").str.strip().str.replace(r"\s+", " ", regex=True).replace("", pd.NA)
        # 'Leeds', 'leeds ' and 'LEEDS' are one value, shown in its most common spelling
        keys = text.str.casefold()
        spelling = text.groupby(keys.to_numpy()).agg(lambda v: v.value_counts().index[0])
        counts = ids.groupby(keys.to_numpy()).nunique().sort_values(ascending=False, kind="stable")
        out = {spelling[k]: int(v) for k, v in counts.items() if pd.notna(k)}
        without = int(ids[text.isna().to_numpy()].nunique())
        if without:  # no report of their own; the index lists them with the skipped values
            out[MISSING_BY_VALUE] = without
        return out
    raise ColumnError(f"--by: column {by!r} is not in the data (columns: {seen})")
