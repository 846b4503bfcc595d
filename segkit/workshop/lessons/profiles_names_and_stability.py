"""Exercises of notebook 05: profiles, lift and bootstrap stability.

The notebook is ``notebooks/workshop/05_profiles_names_and_stability.ipynb``; each answer
function recomputes the expected answer with segkit from the data the notebook passes to
:func:`segkit.workshop.check`.
"""

from __future__ import annotations

import pandas as pd

from segkit.profile import profile_segments
from segkit.workshop.exercise import Exercise, Mistake

__all__ = ["EXERCISES"]


def _lift(features: pd.DataFrame, labels: pd.Series, feature: str = "frequency", segment: int = 0) -> float:
    return float(profile_segments(features[[feature]], labels, min_cell_size=1).lift.loc[segment, feature])


def _segment_mean(features: pd.DataFrame, labels: pd.Series, feature: str = "frequency", segment: int = 0) -> float:
    return float(features.loc[labels.index[labels == segment], feature].mean())


#: The notebook's exercises, in the order it asks them.
EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "05.revenue_leader",
        "Which segment (id) brings the most revenue?",
        ("profile",), lambda profile: int(profile.summary["revenue"].idxmax()), kind="label",
        mistakes=(Mistake(lambda profile: int(profile.summary["size"].idxmax()),
                          "That is the largest segment by customers; the question asks for revenue."),),
    ),
    Exercise(
        "05.lift",
        "What is the lift of frequency in segment 0: its mean frequency relative to the whole base?",
        ("features", "labels"), _lift, rtol=1e-4,
        mistakes=(
            Mistake(lambda features, labels: _segment_mean(features, labels) - float(features["frequency"].mean()),
                    "Lift is a ratio (segment mean / overall mean), not a difference."),
            Mistake(lambda features, labels: _segment_mean(features, labels),
                    "That is the segment's mean frequency; divide it by the mean of the whole base."),
            Mistake(lambda features, labels: _segment_mean(features, labels)
                    / float(features.loc[labels.index[labels != 0], "frequency"].mean()),
                    "You divided by the rest of the base; lift compares with the whole base, segment included."),
        ),
    ),
    Exercise(
        "05.unstable",
        "With a stricter stability threshold of 0.95, which segments (ids) would be flagged as unstable?",
        ("segmenter",),
        lambda segmenter: sorted(s for s, j in segmenter.stability_["per_segment"].items() if j < 0.95),
        kind="labels",
        mistakes=(Mistake(lambda segmenter: sorted(s for s, j in segmenter.stability_["per_segment"].items()
                                                   if j >= 0.95),
                          "Upside down: unstable segments are those whose Jaccard similarity is below 0.95."),),
    ),
)
