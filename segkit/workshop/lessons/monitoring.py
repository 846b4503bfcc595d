"""Exercises of notebook 08: who stayed, the PSI of the segment mix and the feature that drifted
most.

The notebook is ``notebooks/workshop/08_monitoring.ipynb``; each answer function recomputes the
expected answer with segkit from the data the notebook passes to :func:`segkit.workshop.check`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.monitor import PSI_EMPTY_BIN, align_segments, compare, feature_reference, reference_drift
from segkit.workshop.exercise import Exercise, Mistake

__all__ = ["EXERCISES"]


def _comparison(old: pd.Series, new: pd.Series):
    return compare(old, new)


def _stayed_raw(old: pd.Series, new: pd.Series, segment: int = 0) -> float:
    """Share of old ``segment``'s returning customers with the same *raw* id in the new run."""
    returning = new.reindex(old.index).dropna()
    mine = returning[old.reindex(returning.index) == segment]
    return float((mine == segment).mean())


def _size_psi_without(old: pd.Series, new: pd.Series, *, align: bool = True, floor: bool = True) -> float:
    """The segment-mix PSI computed the wrong ways: on raw ids, or over the segments of both runs only."""
    stable = new.map(align_segments(old, new)) if align else new
    counts = pd.DataFrame({"old": old.value_counts(), "new": stable.value_counts()})
    totals = counts.sum()
    # an empty segment counts as half a customer of its run, as monitor.psi counts it
    shares = (counts.fillna(0) / totals).clip(lower=PSI_EMPTY_BIN / totals, axis=1) if floor \
        else counts.dropna() / totals
    return float(((shares["new"] - shares["old"]) * np.log(shares["new"] / shares["old"])).sum())


#: Features that grow for every returning customer between two snapshots, so drift by construction.
GROWS_WITH_TIME = ("tenure_days",)


def _drift(old_features: pd.DataFrame, new_features: pd.DataFrame, *, with_time: bool = False) -> pd.DataFrame:
    drift = reference_drift(feature_reference(old_features), feature_reference(new_features))
    return drift if with_time else drift.drop(index=list(GROWS_WITH_TIME), errors="ignore")


def _largest_median_change(old_features: pd.DataFrame, new_features: pd.DataFrame) -> str:
    drift = _drift(old_features, new_features)
    return str((drift["new_median"] - drift["old_median"]).abs().idxmax())


#: The notebook's exercises, in the order it asks them.
EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "08.stayed",
        "Of the returning customers of the old run's segment 0, what share is in the new segment that "
        "continues it (stable id 0)?",
        ("old", "new"), lambda old, new: float(_comparison(old, new).sizes.at[0, "stayed"]), rtol=1e-6,
        mistakes=(
            Mistake(lambda old, new: _stayed_raw(old, new),
                    "You compared raw ids: the new fit's segment 0 is not the old segment 0. Align the ids first "
                    "(align_segments, or the migration matrix of the stable ids)."),
            Mistake(lambda old, new: float(_comparison(old, new).migration.at[0, 0]
                                           / _comparison(old, new).migration[0].sum()),
                    "You divided by the new segment (its column); the question asks for a share of the old "
                    "segment's returning customers (its row)."),
            Mistake(lambda old, new: float(_comparison(old, new).migration.at[0, 0]),
                    "That is a number of customers; divide by the old segment's returning customers for a share."),
        ),
    ),
    Exercise(
        "08.size_psi",
        "What is the PSI of the segment mix between the two runs, under the stable ids, with a segment "
        "missing from a run counted as half of one of that run's customers (share 0.5 / n)?",
        ("old", "new"), lambda old, new: float(_comparison(old, new).size_psi), rtol=1e-6,
        mistakes=(
            Mistake(lambda old, new: _size_psi_without(old, new, align=False),
                    "You compared the raw ids; compare the shares under the stable ids (align_segments first)."),
            Mistake(lambda old, new: _size_psi_without(old, new, floor=False),
                    "You left out the segments missing from one run; count them as half a customer of that "
                    "run (share 0.5 / n)."),
        ),
    ),
    Exercise(
        "08.top_drift",
        "Leaving out tenure_days (it grows for every returning customer), which feature shifted most "
        "between the two runs, by PSI (feature references of the two tables)?",
        ("old_features", "new_features"),
        lambda old_features, new_features: str(_drift(old_features, new_features)["psi"].idxmax()), kind="label",
        mistakes=(
            Mistake(lambda old_features, new_features: str(
                        _drift(old_features, new_features, with_time=True)["psi"].idxmax()),
                    "tenure_days grows for every returning customer between two snapshots, so it always drifts; "
                    "leave it out (drift['psi'].drop('tenure_days'))."),
            Mistake(_largest_median_change,
                    "That one's median moved the most in its own unit; PSI compares whole distributions, "
                    "without units. Take the largest psi."),
            Mistake(lambda old_features, new_features: str(_drift(old_features, new_features)["psi"].idxmin()),
                    "That one shifted least; the question asks for the largest PSI."),
        ),
    ),
)
