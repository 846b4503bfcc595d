"""Ratings per segment in scale points: the mean answer of each segment on each ordered scale and
its difference from all respondents, in points of the scale (``+0.8``), never a ratio (``1.3x``
on a 0-5 scale means nothing).

A rating's points are its levels' positions counted from 1 (``Strongly disagree`` = 1 ...
``Strongly agree`` = 5), or the numbers themselves when the levels are numbers (a 0-10 scale
keeps its 0). A segment with fewer than ``min_cell_size`` answers to an item has no figure.

Examples
--------
>>> import pandas as pd
>>> idx = pd.Index([f"r{i}" for i in range(8)], name="customer_id")
>>> item = pd.Series(pd.Categorical(["1", "2", "2", "1", "5", "4", "5", "5"], categories=list("12345"),
...                                 ordered=True), index=idx)
>>> labels = pd.Series([0] * 4 + [1] * 4, index=idx)
>>> rating_differences(pd.DataFrame({"Seat comfort": item}), labels, min_cell_size=2)[["segment", "mean", "difference"]]
   segment  mean  difference
0        0  1.50      -1.625
1        1  4.75       1.625
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.io.weights import effective_size

__all__ = ["rating_differences", "scale_points"]


def scale_points(values: pd.Series) -> tuple[pd.Series, float, float]:
    """An ordered category as points, and the scale's lowest and highest point.

    Examples
    --------
    >>> s = pd.Series(pd.Categorical(["Agree", "Disagree"], categories=["Disagree", "Neutral", "Agree"], ordered=True))
    >>> scale_points(s)[0].tolist(), scale_points(s)[1:]
    ([3.0, 1.0], (1.0, 3.0))
    """
    categories = list(values.cat.categories)
    numbers = pd.to_numeric(pd.Series(categories, dtype=object), errors="coerce")
    if numbers.notna().all():
        points = dict(zip(categories, numbers.astype(float)))
    else:
        points = {c: float(i + 1) for i, c in enumerate(categories)}
    out = values.astype(object).map(points).astype("float64")
    return out, min(points.values()), max(points.values())


def rating_differences(frame: pd.DataFrame, labels: pd.Series, *, min_cell_size: int = 0,
                       weights: pd.Series | None = None) -> pd.DataFrame:
    """Per segment and ordered feature of ``frame``: answers, mean in scale points, the mean of all
    respondents and the difference, with the scale's ends (see the module). Means of segments
    with fewer than ``min_cell_size`` answers are missing; ``weights`` weight the means (and the answers
    are then counted by their effective size, :func:`segkit.io.weights.effective_size`)."""
    rows = []
    labels = labels.reindex(frame.index)
    for column in frame.columns:
        values = frame[column]
        if not (isinstance(values.dtype, pd.CategoricalDtype) and values.dtype.ordered):
            continue
        points, low, high = scale_points(values)
        w = pd.Series(1.0, index=points.index) if weights is None else weights.reindex(points.index).fillna(0.0)
        known = points.notna() & (w > 0)
        overall = float(np.average(points[known], weights=w[known])) if known.any() else np.nan
        for segment in sorted(labels.dropna().unique()):
            mask = known & (labels == segment)
            answers = int(mask.sum())
            mean = float(np.average(points[mask], weights=w[mask])) if answers else np.nan
            counted = answers if weights is None else effective_size(w[mask])  # weighted: respondents by n_eff
            if counted < max(min_cell_size, 1):
                mean = np.nan
            rows.append({"segment": segment, "feature": column, "answers": answers, "mean": mean, "overall": overall,
                         "difference": mean - overall, "scale_low": low, "scale_high": high})
    table = pd.DataFrame(rows, columns=["segment", "feature", "answers", "mean", "overall", "difference",
                                        "scale_low", "scale_high"])
    for column in ("scale_low", "scale_high"):
        if len(table) and (table[column] % 1 == 0).all():
            table[column] = table[column].astype(int)
    return table
