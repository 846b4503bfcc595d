"""Exercises of notebook 07: duplicates, one-time buyers and the concentration of revenue in the
CDNOW log.

The notebook is ``notebooks/workshop/07_real_data.ipynb``; each answer function recomputes the
expected answer with segkit from the data the notebook passes to :func:`segkit.workshop.check`.
"""

from __future__ import annotations

import math

import pandas as pd

from segkit.workshop.exercise import Exercise, Mistake
from segkit.workshop.lessons._answers import raw_quality

__all__ = ["EXERCISES"]


def _top_share(features: pd.DataFrame, top: int) -> float:
    monetary = features["monetary"]
    return float(monetary.nlargest(top).sum() / monetary.sum())


def _top_decile(features: pd.DataFrame) -> float:
    return _top_share(features, math.ceil(0.1 * len(features)))


#: The notebook's exercises, in the order it asks them.
EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "07.duplicates",
        "How many exact duplicate lines does the CDNOW log hold?",
        ("raw",), lambda raw: int(raw_quality(raw, "transactions").duplicate_rows), kind="count",
        mistakes=(Mistake(lambda raw: int(raw.duplicated(keep=False).sum()),
                          "You counted every copy, first ones included; count the repeats only "
                          "(duplicated() with its default keep='first')."),),
    ),
    Exercise(
        "07.one_time_share",
        "What share of the customers bought only once?",
        ("features",), lambda features: float((features["frequency"] == 1).mean()), rtol=1e-4,
        mistakes=(Mistake(lambda features: float((features["frequency"] == 1).sum()),
                          "That is a number of customers; divide by all customers for a share."),),
    ),
    Exercise(
        "07.top_decile_share",
        "What share of all revenue comes from the top 10 % of customers by revenue (monetary)?",
        ("features",), _top_decile, rtol=0.01,
        mistakes=(Mistake(lambda features: _top_share(features, 10),
                          "That is the top 10 customers; the question asks for the top 10 % of them."),),
    ),
)
