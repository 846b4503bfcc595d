"""Comparing two segmentations of (mostly) the same customers: what :func:`compare` finds
and how :func:`describe` says it.

Examples
--------
>>> old = pd.Series([0] * 50 + [1] * 50, index=[f"c{i}" for i in range(100)])
>>> new = pd.Series([1] * 50 + [0] * 50, index=[f"c{i}" for i in range(100)])
>>> result = compare(old, new)
>>> result.mapping, result.alerts
({0: 1, 1: 0}, [])
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from segkit._json import finite
from segkit.monitor.alerts import find_alerts
from segkit.monitor.drift import psi, psi_level, reference_drift
from segkit.monitor.ids import (
    GONE_LABEL,
    MIN_JACCARD,
    NEW_LABEL,
    align_segments,
    as_labels,
    jaccard_index,
    migration_matrix,
)

__all__ = ["Comparison", "compare", "describe"]


@dataclass
class Comparison:
    """What changed between two runs; see :func:`compare` and :func:`~segkit.monitor.runs.compare_runs`.

    Attributes
    ----------
    mapping : dict
        ``{new id: stable id}`` (:func:`~segkit.monitor.ids.align_segments`).
    migration : DataFrame
        :func:`~segkit.monitor.ids.migration_matrix` with the new run's columns under their stable ids.
    sizes : DataFrame
        Per stable id: ``old_name``, ``new_name``, ``old_share``, ``new_share``, ``change``
        (share points), ``stayed`` (share of the old segment's returning customers still in
        it) and ``continues`` (the id holds mostly the same customers in both runs).
    size_psi : float
        PSI of the segment mix (shares of all customers of each run).
    drift : DataFrame
        :func:`~segkit.monitor.drift.reference_drift` of the features (empty when a run has no reference).
    alerts : list of str
        Plain sentences, most important first.
    """

    mapping: dict[int, int]
    migration: pd.DataFrame
    sizes: pd.DataFrame
    size_psi: float
    drift: pd.DataFrame
    alerts: list[str] = field(default_factory=list)
    old_label: str = "old"
    new_label: str = "new"

    @property
    def returning(self) -> int:
        """Customers in both runs."""
        return int(self.migration.drop(index=NEW_LABEL, columns=GONE_LABEL).to_numpy().sum())

    @property
    def newcomers(self) -> int:
        """Customers only in the new run."""
        return int(self.migration.loc[NEW_LABEL].sum())

    @property
    def gone(self) -> int:
        """Customers only in the old run."""
        return int(self.migration[GONE_LABEL].sum())

    def __repr__(self) -> str:
        return (f"Comparison({self.old_label!r} -> {self.new_label!r}: {self.returning:,} returning customers, "
                f"segment-mix PSI {self.size_psi:.3f} ({psi_level(self.size_psi)}), {len(self.alerts)} alerts)")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (ints, floats, strings, lists, dicts)."""
        migration = self.migration.copy()
        migration.index = migration.index.map(str)
        migration.columns = migration.columns.map(str)
        sizes = self.sizes.reset_index()
        drift = self.drift.reset_index()
        return finite({
            "old": self.old_label, "new": self.new_label,
            "mapping": {str(k): v for k, v in self.mapping.items()},
            "size_psi": self.size_psi, "size_psi_level": psi_level(self.size_psi),
            "sizes": sizes.to_dict(orient="records"),
            "migration": migration.to_dict(orient="index"),
            "drift": drift.to_dict(orient="records"),
            "alerts": self.alerts,
        })



def compare(
    old: pd.Series,
    new: pd.Series,
    *,
    old_names: Mapping[int, str] | None = None,
    new_names: Mapping[int, str] | None = None,
    old_reference: Mapping[str, Mapping] | None = None,
    new_reference: Mapping[str, Mapping] | None = None,
    share_change: float = 0.05,
    min_stayed: float = 0.5,
    old_label: str = "old",
    new_label: str = "new",
    align: bool = True,
    feature_label=str,
) -> Comparison:
    """Compare two segmentations of (mostly) the same customers.

    Parameters
    ----------
    old, new : Series
        Segment id per customer (index: customer id).
    old_names, new_names : mapping, optional
        Segment names by id (the new run's ids as it wrote them).
    old_reference, new_reference : mapping, optional
        :func:`~segkit.monitor.drift.feature_reference` of each run, for feature drift.
    share_change : float
        Alert when a segment's share of customers moves by at least this many points (0.05 =
        5 points).
    min_stayed : float
        Alert when fewer than this share of a segment's returning customers stayed in it.
    align : bool
        Match the new ids to the old ones (:func:`~segkit.monitor.ids.align_segments`). False when the new run's
        ids already continue the old run's (a report run with ``monitor.previous``).
    feature_label : callable
        How alerts name a feature (the report passes :func:`segkit.profile.humanise`).

    Returns
    -------
    Comparison
    """
    old = as_labels(old, "old segments")
    new = as_labels(new, "new segments")
    mapping = align_segments(old, new) if align else {int(k): int(k) for k in sorted(new.unique())}
    stable_new = new.map(mapping)
    migration = migration_matrix(old, stable_new)
    old_names = {int(k): str(v) for k, v in (old_names or {}).items()}
    new_names = {mapping[int(k)]: str(v) for k, v in (new_names or {}).items() if int(k) in mapping}
    sizes = _sizes(old, stable_new, migration, old_names, new_names)
    # counts, not shares: an empty segment counts as half of one of its run's customers
    size_psi = psi(old.value_counts().reindex(sizes.index, fill_value=0).to_numpy(),
                   stable_new.value_counts().reindex(sizes.index, fill_value=0).to_numpy())
    drift = (reference_drift(old_reference, new_reference) if old_reference and new_reference
             else reference_drift({}, {}))
    found = find_alerts(sizes, size_psi, drift, migration, share_change=share_change, min_stayed=min_stayed,
                        feature_label=feature_label)
    return Comparison(mapping=mapping, migration=migration, sizes=sizes, size_psi=size_psi, drift=drift,
                      alerts=found, old_label=old_label, new_label=new_label)


def _sizes(old: pd.Series, new: pd.Series, migration: pd.DataFrame, old_names: Mapping[int, str],
           new_names: Mapping[int, str]) -> pd.DataFrame:
    """Per stable id: names, shares of both runs, the change, who stayed and whether the id continues."""
    ids = sorted(set(old.unique()) | set(new.unique()))
    old_share = old.value_counts(normalize=True).reindex(ids, fill_value=0.0)
    new_share = new.value_counts(normalize=True).reindex(ids, fill_value=0.0)
    returning = migration.drop(index=NEW_LABEL, columns=GONE_LABEL)
    stayed = pd.Series({i: (returning.at[i, i] / returning.loc[i].sum()
                            if i in returning.index and i in returning.columns and returning.loc[i].sum() else np.nan)
                        for i in ids})
    continuing = _continuing(returning)
    return pd.DataFrame({
        "old_name": [old_names.get(i, "") for i in ids],
        "new_name": [new_names.get(i, "") for i in ids],
        "old_share": old_share.to_numpy(), "new_share": new_share.to_numpy(),
        "change": (new_share - old_share).to_numpy(), "stayed": stayed.reindex(ids).to_numpy(),
        "continues": [i in continuing for i in ids],
    }, index=pd.Index(ids, name="segment"))


def _continuing(returning: pd.DataFrame) -> set:
    """The ids that hold (mostly) the same customers in both runs.

    An id continues when its old and new segments are each other's match in the one-to-one
    assignment of largest total Jaccard index (as align_segments and stable_ids match them),
    with at least MIN_JACCARD overlap. A report keeps ids 0..k-1, so with fewer segments an
    id can go to the successor of another old segment: that id does not continue, however
    many of its old customers the new segment also took in.
    """
    jaccard = jaccard_index(returning.to_numpy(dtype="float64"))
    rows, cols = linear_sum_assignment(-jaccard) if jaccard.size else ([], [])
    return {returning.columns[c] for r, c in zip(rows, cols)
            if returning.index[r] == returning.columns[c] and jaccard[r, c] >= MIN_JACCARD}


def describe(result: Comparison, *, max_features: int = 5) -> str:
    """The comparison as plain text, as ``segkit compare`` prints it.

    Examples
    --------
    >>> old = pd.Series([0] * 50 + [1] * 50, index=[f"c{i}" for i in range(100)])
    >>> new = pd.Series([1] * 70 + [0] * 30, index=[f"c{i}" for i in range(100)])
    >>> print(describe(compare(old, new)))  # doctest: +NORMALIZE_WHITESPACE
    old -> new: 100 returning customers, 0 new, 0 gone.
    Segments (new ids matched to old ones: new 0 is old 1, new 1 is old 0):
      0: 50% -> 70% (+20 points), 100% stayed
      1: 50% -> 30% (-20 points), 60% stayed
    Segment mix: PSI 0.17 (moderate).
    Features: no drift measured (a run has no feature reference in summary.json).
    Alerts:
      - The segment mix shifted: PSI 0.17 (moderate).
      - Segment 0 grew from 50% to 70% of customers.
      - Segment 1 shrank from 50% to 30% of customers.
    """
    lines = [f"{result.old_label} -> {result.new_label}: {result.returning:,} returning customers, "
             f"{result.newcomers:,} new, {result.gone:,} gone."]
    moved = {k: v for k, v in result.mapping.items() if k != v}
    if moved:
        lines.append("Segments (new ids matched to old ones: "
                     + ", ".join(f"new {k} is old {v}" for k, v in moved.items()) + "):")
    else:
        lines.append("Segments (the new ids match the old ones):")
    for segment, row in result.sizes.iterrows():
        name = row["new_name"] or row["old_name"]
        if row["old_name"] and row["new_name"] and row["old_name"] != row["new_name"]:
            name = f"{row['old_name']} -> {row['new_name']}"
        stayed = "" if math.isnan(row["stayed"]) else f", {row['stayed']:.0%} stayed"
        lines.append(f"  {segment}{' ' + name if name else ''}: {row['old_share']:.0%} -> {row['new_share']:.0%} "
                     f"({round(row['change'] * 100):+d} points){stayed}")
    lines.append(f"Segment mix: PSI {result.size_psi:.2f} ({psi_level(result.size_psi)}).")
    if len(result.drift):
        shifted = result.drift[result.drift["level"] != "stable"]
        top = ", ".join(f"{f} {r['psi']:.2f} ({r['level']})" for f, r in shifted.head(max_features).iterrows())
        lines.append(f"Features: {len(shifted)} of {len(result.drift)} shifted" + (f": {top}." if top else "."))
    else:
        lines.append("Features: no drift measured (a run has no feature reference in summary.json).")
    lines.append("Alerts:" if result.alerts else "No alerts.")
    lines += [f"  - {a}" for a in result.alerts]
    return "\n".join(lines)


