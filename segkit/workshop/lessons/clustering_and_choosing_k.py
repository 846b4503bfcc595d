"""Exercises of notebook 04: the choice of k and how well the segments recover the planted ones.

The notebook is ``notebooks/workshop/04_clustering_and_choosing_k.ipynb``; each answer function
recomputes the expected answer with segkit from the data the notebook passes to
:func:`segkit.workshop.check`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, rand_score

from segkit.workshop.exercise import Exercise, Mistake

__all__ = ["EXERCISES"]


def _k_by(segmenter: Any, index: str, best: str) -> int:
    table = segmenter.k_selection_
    scores = table.loc[table["eligible"].astype(bool), index]
    return int(scores.idxmax() if best == "max" else scores.idxmin())


def _ari(truth: Any, labels: Any) -> float:
    return float(adjusted_rand_score(np.asarray(truth), np.asarray(labels)))


def _truth_names(truth: pd.Series, planted: pd.DataFrame, labels: pd.Series) -> pd.Series:
    return truth.reindex(labels.index).map(planted["name"])


def _planted_match(labels: pd.Series, truth: pd.Series, planted: pd.DataFrame, segment: int = 0) -> str:
    counts = pd.crosstab(labels, _truth_names(truth, planted, labels))
    return str(counts.loc[segment].idxmax())


#: The notebook's exercises, in the order it asks them.
EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "04.calinski_k",
        "Which k would the Calinski-Harabasz index alone pick, among the eligible k the segmenter tried?",
        ("segmenter",), lambda segmenter: _k_by(segmenter, "calinski_harabasz", "max"), kind="count",
        mistakes=(
            Mistake(lambda segmenter: int(segmenter.n_segments_),
                    "That is the combined recommendation; look at the calinski_harabasz column alone."),
            Mistake(lambda segmenter: _k_by(segmenter, "calinski_harabasz", "min"),
                    "For Calinski-Harabasz, higher is better."),
        ),
    ),
    Exercise(
        "04.ari",
        "How well do the fitted segments recover the planted ones? Give the adjusted Rand index "
        "between the labels and the truth.",
        ("labels", "truth"),
        lambda labels, truth: _ari(truth.reindex(labels.index), labels), rtol=1e-6, atol=1e-9,
        mistakes=(Mistake(lambda labels, truth: _ari(truth.to_numpy(), labels.to_numpy()),
                          "The two Series list customers in a different order: align the truth to the "
                          "labels first (truth.reindex(labels.index))."),
                  Mistake(lambda labels, truth: float(rand_score(truth.reindex(labels.index), labels)),
                          "That is the plain Rand index (rand_score): the share of customer pairs placed alike, "
                          "which chance alone makes high. The adjusted Rand index (adjusted_rand_score) corrects "
                          "for chance: 0 for random labels, 1 for a perfect match."),
                  Mistake(lambda labels, truth: float(rand_score(truth.to_numpy(), labels.to_numpy())),
                          "That is the plain Rand index (rand_score), and the Series are not aligned either: use "
                          "adjusted_rand_score on truth.reindex(labels.index)."),),
    ),
    Exercise(
        "04.planted_match",
        "Most customers of fitted segment 0 come from which planted segment? Answer with its name.",
        ("labels", "truth", "planted"), _planted_match, kind="label",
        mistakes=(Mistake(lambda labels, truth, planted: int(pd.crosstab(labels, truth.reindex(labels.index))
                                                             .loc[0].idxmax()),
                          "Give the planted segment's name (demo.segment_profiles['name']), not its number."),),
    ),
)
