"""Alerts: what in a comparison of two runs an analyst should look at, in plain sentences.

In this order: the segment mix shifted (PSI above :data:`~segkit.monitor.drift.PSI_MODERATE`);
then segment by segment, a new segment, a segment that is gone, an id that now holds other
customers, a segment that grew or shrank by ``share_change`` or more, and a segment that
kept fewer than ``min_stayed`` of its returning customers; then every feature with a major
shift. Each kind of alert is one small function, so a new kind is a new function here.

Examples
--------
>>> import pandas as pd
>>> sizes = pd.DataFrame({"old_name": ["", ""], "new_name": ["", ""], "old_share": [0.5, 0.5],
...                       "new_share": [0.7, 0.3], "change": [0.2, -0.2], "stayed": [1.0, 0.6],
...                       "continues": [True, True]}, index=pd.Index([0, 1], name="segment"))
>>> migration = pd.DataFrame([[50, 0, 0], [20, 30, 0], [0, 0, 0]], index=[0, 1, "(new customer)"],
...                          columns=[0, 1, "(gone)"])
>>> for alert in find_alerts(sizes, 0.17, pd.DataFrame(columns=["level"]), migration, share_change=0.05,
...                          min_stayed=0.5):
...     print(alert)
The segment mix shifted: PSI 0.17 (moderate).
Segment 0 grew from 50% to 70% of customers.
Segment 1 shrank from 50% to 30% of customers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from segkit.monitor.drift import PSI_MODERATE, psi_level
from segkit.monitor.ids import GONE_LABEL, NEW_LABEL

__all__ = ["find_alerts"]


@dataclass(frozen=True)
class _Runs:
    """What the segment alerts look at: the comparison's sizes and migration, and its thresholds."""

    sizes: pd.DataFrame
    migration: pd.DataFrame
    share_change: float
    min_stayed: float

    @property
    def old_ids(self) -> set:
        return set(self.migration.index) - {NEW_LABEL}

    @property
    def new_ids(self) -> set:
        return set(self.migration.columns) - {GONE_LABEL}

    def name(self, segment: int, *, capital: bool = False) -> str:
        name = self.sizes.at[segment, "new_name"] or self.sizes.at[segment, "old_name"]
        return ("Segment " if capital else "segment ") + f"{segment}" + (f" ({name})" if name else "")


def find_alerts(sizes: pd.DataFrame, size_psi: float, drift: pd.DataFrame, migration: pd.DataFrame, *,
                share_change: float, min_stayed: float, feature_label: Callable[[str], str] = str) -> list[str]:
    """The alerts of a comparison, most important first.

    Parameters
    ----------
    sizes : DataFrame
        Per stable id: ``old_name``, ``new_name``, ``old_share``, ``new_share``, ``change``,
        ``stayed`` and ``continues`` (:attr:`segkit.monitor.Comparison.sizes`).
    size_psi : float
        PSI of the segment mix.
    drift : DataFrame
        :func:`~segkit.monitor.drift.reference_drift` of the features.
    migration : DataFrame
        :func:`~segkit.monitor.ids.migration_matrix` under the stable ids.
    share_change, min_stayed : float
        See :func:`segkit.monitor.compare`.
    feature_label : callable
        How a feature is named.

    Returns
    -------
    list of str
    """
    runs = _Runs(sizes, migration, share_change, min_stayed)
    found = [f"The segment mix shifted: PSI {size_psi:.2f} ({psi_level(size_psi)})."] if size_psi > PSI_MODERATE else []
    for segment, row in sizes.iterrows():
        found += _segment_alerts(runs, segment, row)
    return found + _feature_alerts(drift, feature_label)


def _segment_alerts(runs: _Runs, segment: int, row: pd.Series) -> list[str]:
    if segment not in runs.old_ids:
        found = [_new_segment(runs, segment, row)]
    elif segment not in runs.new_ids:
        found = [_gone_segment(runs, segment, row)]
    elif not row["continues"]:  # the id is reused (a report keeps ids 0..k-1) for other customers
        return [_reused_id(runs, segment, row)]
    elif abs(row["change"]) >= runs.share_change:
        verb = "grew" if row["change"] > 0 else "shrank"
        found = [f"{runs.name(segment, capital=True)} {verb} from "
                 f"{row['old_share']:.0%} to {row['new_share']:.0%} of customers."]
    else:
        found = []
    if not math.isnan(row["stayed"]) and row["stayed"] < runs.min_stayed and segment in runs.new_ids:
        found.append(f"Only {row['stayed']:.0%} of {runs.name(segment)}'s returning customers stayed in it.")
    return found


def _new_segment(runs: _Runs, segment: int, row: pd.Series) -> str:
    return f"New {runs.name(segment)}: {row['new_share']:.0%} of customers, with no counterpart in the old run."


def _gone_segment(runs: _Runs, segment: int, row: pd.Series) -> str:
    migration = runs.migration
    went = migration.loc[segment].drop(GONE_LABEL) if segment in migration.index else pd.Series(dtype=int)
    where = ""
    if len(went) and went.max() > 0:
        to, share = went.idxmax(), went.max() / went.sum()
        part = ("all its returning customers are" if share == 1 else
                f"most of its returning customers ({share:.0%}) are" if share > 0.5 else
                f"the largest part of its returning customers ({share:.0%}) is")
        where = f"; {part} now in {runs.name(to)}"
    return f"{runs.name(segment, capital=True)} is gone: it held {row['old_share']:.0%} of customers{where}."


def _reused_id(runs: _Runs, segment: int, row: pd.Series) -> str:
    migration, sizes = runs.migration, runs.sizes
    was = f" ({row['old_name']})" if row["old_name"] else ""
    source = migration[segment].drop(NEW_LABEL).idxmax() if segment in migration.columns else None
    origin = ""
    if source is not None and source != segment and migration.at[source, segment] > 0:
        origin = (f", most of them from the earlier segment {source}"
                  + (f" ({sizes.at[source, 'old_name']})" if sizes.at[source, "old_name"] else ""))
    return (f"Segment {segment} now holds other customers: {row['new_share']:.0%} of customers"
            f"{', ' + row['new_name'] if row['new_name'] else ''}{origin}; the earlier "
            f"segment {segment}{was} held {row['old_share']:.0%}.")


def _feature_alerts(drift: pd.DataFrame, feature_label: Callable[[str], str]) -> list[str]:
    found = []
    for feature, row in drift.iterrows():
        if row["level"] != "major":
            continue
        detail = (f"median {row['old_median']:,.4g} -> {row['new_median']:,.4g}" if row["changed_most"] == ""
                  else row["changed_most"])
        found.append(f"Feature {feature_label(feature)} shifted (PSI {row['psi']:.2f}): {detail}.")
    return found
