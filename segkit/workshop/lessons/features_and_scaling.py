"""Exercises of notebook 03: which features dominate distances, which are logged, and how wide
the prepared matrix is.

The notebook is ``notebooks/workshop/03_features_and_scaling.ipynb``; each answer function
recomputes the expected answer with segkit from the data the notebook passes to
:func:`segkit.workshop.check`.
"""

from __future__ import annotations

import pandas as pd

from segkit.features import SkewedLog1p, make_preprocessor
from segkit.workshop.exercise import Exercise, Mistake

__all__ = ["EXERCISES"]


def _log_columns(X: pd.DataFrame) -> list[str]:
    numeric = X.select_dtypes("number")
    return numeric.columns[SkewedLog1p().fit(numeric).log_columns_].tolist()


def _prepared_width(mixed: pd.DataFrame) -> int:
    return int(make_preprocessor(mixed).fit_transform(mixed).shape[1])


#: The notebook's exercises, in the order it asks them.
EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "03.dominant_feature",
        "Before scaling, which clustering feature has the largest standard deviation, and so "
        "dominates the distances k-means works with?",
        ("X",), lambda X: str(X.select_dtypes("number").std().idxmax()), kind="label",
        mistakes=(Mistake(lambda X: str(X.select_dtypes("number").std().idxmin()),
                          "That one has the smallest spread; the question asks for the largest."),),
    ),
    Exercise(
        "03.skewed",
        "Which clustering features does segkit log-transform before clustering (non-negative, "
        "skewness above 1)?",
        ("X",),
        lambda X: _log_columns(X),
        kind="labels",
    ),
    Exercise(
        "03.prepared_columns",
        "The mixed table (numbers and categories) goes through make_preprocessor: how many columns "
        "does the prepared matrix have?",
        ("mixed",), lambda mixed: _prepared_width(mixed), kind="count",
        mistakes=(Mistake(lambda mixed: mixed.shape[1],
                          "That is the number of input columns: one-hot encoding gives each category level "
                          "its own column."),),
    ),
)
