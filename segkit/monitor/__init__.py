"""Monitoring: compare two segmentation runs (stable ids, migration, size and feature drift).

Segments are refreshed every month or quarter. Between two runs an analyst needs to know
which new segment is which old one, who moved where, whether the mix of segments changed,
and whether the customers themselves changed. This package answers those from two report
folders (``segkit compare OLD NEW``) or from the objects of a notebook session.

* **Stable ids** (:mod:`~segkit.monitor.ids`). :func:`align_segments` matches the new
  run's segments to the old run's by the customers they share (the assignment that keeps
  the most customers in a segment with the same id, solved exactly with the Hungarian
  algorithm); a new segment sharing too few customers with any old one gets an id of its
  own.
* **Migration** (:mod:`~segkit.monitor.ids`). :func:`migration_matrix` counts returning
  customers by old and new segment, plus customers who are new and those who are gone.
* **Drift** (:mod:`~segkit.monitor.drift`). The population stability index ``PSI =
  sum((new - old) * ln(new / old))`` over shares of bins: of segments (size drift) and of
  each feature's distribution (feature drift), read against the feature reference each run
  keeps in ``summary.json`` (:func:`feature_reference`). Below 0.1 is read as stable,
  0.1-0.25 as a moderate shift, above 0.25 as a major one.
* **Comparison and alerts** (:mod:`~segkit.monitor.compare`, :mod:`~segkit.monitor.alerts`).
  :func:`compare` puts it together; :func:`describe` says it in plain text.
* **Runs on disk** (:mod:`~segkit.monitor.runs`). :func:`read_run` reads a report folder,
  :func:`compare_runs` compares two.

Examples
--------
>>> import pandas as pd
>>> from segkit.monitor import compare
>>> old = pd.Series([0, 0, 1, 1], index=list("abcd"))
>>> new = pd.Series([1, 1, 0, 0], index=list("abcd"))
>>> compare(old, new).mapping
{0: 1, 1: 0}
"""

from segkit.monitor.compare import Comparison, compare, describe
from segkit.monitor.drift import (
    DISCRETE_LEVELS,
    MAX_QUANTILES,
    PSI_EMPTY_BIN,
    PSI_MAJOR,
    PSI_MODERATE,
    feature_reference,
    psi,
    psi_level,
    reference_drift,
)
from segkit.monitor.ids import GONE_LABEL, MIN_JACCARD, NEW_LABEL, align_segments, migration_matrix, stable_ids
from segkit.monitor.runs import RunRecord, compare_runs, read_run

__all__ = [
    "Comparison",
    "RunRecord",
    "align_segments",
    "compare",
    "compare_runs",
    "describe",
    "feature_reference",
    "migration_matrix",
    "psi",
    "psi_level",
    "read_run",
    "reference_drift",
    "stable_ids",
    "DISCRETE_LEVELS",
    "GONE_LABEL",
    "MAX_QUANTILES",
    "MIN_JACCARD",
    "NEW_LABEL",
    "PSI_EMPTY_BIN",
    "PSI_MAJOR",
    "PSI_MODERATE",
]
