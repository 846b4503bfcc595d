"""Why a customer is in their segment: distances, the runner-up, and the features that pull.

The segmenter places a customer by their prepared features (:mod:`segkit.features.preprocess`):
k-means, k-prototypes and agglomerative segments take the customer whose centre is nearest.
:func:`explain_customer` gives the customer's distance to every segment centre, the runner-up
(the nearest other segment) and the margin between the two, and splits the squared-distance
gap to the runner-up over the features: a feature whose value lies nearer the own segment's
centre than the runner-up's *pulls* the customer into their segment (a positive pull), one
nearer the runner-up's pulls away. The values are shown in the features' own units: the
customer's value and each segment's typical value (its centre read back: a number, the
commonest level with its share, the share of customers with a flag). A Gaussian mixture
assigns by probability and HDBSCAN by the nearest clustered customer, so there the segment
need not be the nearest centre; the explanation says so and, for a mixture, gives the
probabilities.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from segkit.segment import Segmenter
>>> X = pd.DataFrame({"spend": [10.0, 12, 11, 90, 95, 99], "visits": [1.0, 2, 1, 8, 9, 7]},
...                  index=pd.Index(list("abcdef"), name="customer_id"))
>>> seg = Segmenter(n_segments=2, n_bootstrap=0).fit(X)
>>> why = explain_customer(seg, X.loc[["a"]], names={0: "Light buyers", 1: "Big spenders"})
>>> why.segment, why.name, why.runner_up, round(why.margin, 2)
(0, 'Light buyers', 1, 2.78)
>>> why.pulls["feature"].tolist()
['visits', 'spend']
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from segkit.exceptions import DataError
from segkit.explain.prepared import in_feature_units, prepared_columns
from segkit.explain.formatting import format_number, is_percent
from segkit.profile.naming import humanise
from segkit.report.style import show

__all__ = ["CustomerExplanation", "embedding", "explain_customer"]


def embedding(segmenter, X: pd.DataFrame) -> pd.DataFrame:
    """The customers of ``X`` in the prepared space the segmenter clusters, labelled: indexed by
    ``X``'s index (the customer id), one column per prepared feature under the preprocessor's
    output name (``log__monetary``, ``cat__Education_PhD``).

    Examples
    --------
    >>> from segkit.segment import Segmenter
    >>> X = pd.DataFrame({"spend": [10.0, 12, 90, 95], "plan": ["a", "a", "b", "b"]},
    ...                  index=pd.Index(list("wxyz"), name="customer_id"))
    >>> embedding(Segmenter(n_segments=2, n_bootstrap=0).fit(X), X).columns.tolist()
    ['num__spend', 'cat__plan_a', 'cat__plan_b']
    """
    pre = segmenter.preprocessor_
    values = np.asarray(pre.transform(X), dtype=float)
    columns = pd.Index([str(c) for c in pre.get_feature_names_out()], name="prepared feature")
    return pd.DataFrame(values, index=X.index.copy(), columns=columns)


@dataclass
class CustomerExplanation:
    """Why one customer is in their segment (see the module).

    Attributes
    ----------
    customer_id : str
    segment : int
    name : str
    distances : DataFrame
        Index ``segment``: ``name``, ``distance`` (to the segment's centre in the prepared
        space) and, for a Gaussian mixture, ``probability``; nearest first.
    runner_up : int or None
        The nearest other segment (None with one segment).
    margin : float
        Distance to the runner-up minus distance to the own segment (negative when the own
        segment is not the nearest centre).
    pulls : DataFrame
        One row per feature, strongest pull first: ``feature``, ``label`` (in words),
        ``value`` (the customer's), ``segment_value`` and ``runner_up_value`` (the centres'
        typical values), ``pull`` (the feature's part of the squared-distance gap between
        the runner-up and the own segment, as a share of all features' parts taken
        positive, so their sizes add up to 1; positive pulls toward the own segment).
    algorithm : str
    note : str or None
        How the segment was decided when not by the nearest centre.
    """

    customer_id: str
    segment: int
    name: str
    distances: pd.DataFrame
    runner_up: int | None
    margin: float
    pulls: pd.DataFrame
    algorithm: str = "kmeans"
    note: str | None = None

    def toward(self, n: int = 3) -> list[str]:
        """The ``n`` features that pull most toward the own segment, in words."""
        return self.pulls.loc[self.pulls["pull"] > 0, "label"].head(n).tolist()

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        """The explanation as lines of text (what ``segkit explain`` prints)."""
        own = self.distances.loc[self.segment, "distance"]
        out = [f"customer {self.customer_id}: segment {self.segment} {self.name!r} (distance {own:.2f})"]
        if self.runner_up is not None:
            runner = self.distances.loc[self.runner_up]
            out.append(f"runner-up: segment {self.runner_up} {runner['name']!r} (distance {runner['distance']:.2f}); "
                       f"margin {self.margin:.2f}")
        if self.note:
            out.append(f"note: {self.note}")
        out.append("distances: " + ", ".join(f"{s} {d:.2f}" for s, d in self.distances["distance"].items()))
        if self.runner_up is not None:
            out.append(f"what pulls this customer to segment {self.segment} rather than {self.runner_up} "
                       "(value | segment's typical | runner-up's typical | pull):")
            table = self.pulls
            width = max(len(str(v)) for v in table["label"]) if len(table) else 0
            for row in self._shown().itertuples():
                out.append(f"  {row.label:<{width}}  {row.value} | {row.segment_value} | "
                           f"{row.runner_up_value} | {row.pull:+.0%}")
        return out

    def _shown(self) -> pd.DataFrame:
        """The pulls with the values as text (percentages for shares and rates)."""
        table = self.pulls.copy()
        for column in ("value", "segment_value", "runner_up_value"):
            table[column] = [_show(v, percent=p) for v, p in zip(table[column], table["percent"], strict=True)]
        return table.drop(columns="percent")

    def _repr_html_(self) -> str:
        head = "<br>".join(html.escape(line) for line in self.lines()[:3 if self.note else 2])
        shown = self._shown().drop(columns="feature").set_index("label")
        shown.index.name = "feature"
        shown = shown.rename(columns={"value": "this customer", "segment_value": f"segment {self.segment}",
                                      "runner_up_value": f"segment {self.runner_up}"})
        return f"<p>{head}</p>" + show(shown, percent=["pull"]).to_html()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (distances and pulls as records)."""
        return {
            "customer_id": self.customer_id, "segment": self.segment, "name": self.name,
            "runner_up": self.runner_up, "margin": self.margin, "algorithm": self.algorithm, "note": self.note,
            "distances": self.distances.reset_index().to_dict(orient="records"),
            "pulls": self._shown().to_dict(orient="records"),
        }


def explain_customer(segmenter, row: pd.DataFrame, *, names: Mapping[int, str] | None = None) -> CustomerExplanation:
    """Explain the segment of the one customer in ``row`` (see the module).

    Parameters
    ----------
    segmenter : Segmenter
        Fitted.
    row : DataFrame
        One row: the customer's clustered features in their own units, indexed by the id.
    names : mapping, optional
        ``{segment: name}``.
    """
    if len(row) != 1:
        raise DataError(f"explain_customer: expected one customer's row, got {len(row):,}")
    names = dict(names or {})
    pre = segmenter.preprocessor_
    Z = np.asarray(pre.transform(row), dtype=float)[0]
    centers = np.asarray(segmenter.cluster_centers_, dtype=float)
    segment = int(segmenter.predict(row)[0])
    gaps = (Z - centers) ** 2
    distance = np.sqrt(gaps.sum(axis=1))
    k = len(centers)
    others = [s for s in np.argsort(distance, kind="stable") if s != segment]
    runner = int(others[0]) if others else None
    distances = pd.DataFrame({"name": [names.get(s, f"Segment {s}") for s in range(k)], "distance": distance},
                             index=pd.RangeIndex(k, name="segment"))
    algorithm = getattr(segmenter, "algorithm_", "kmeans")
    note = None
    if algorithm == "gmm":
        proba = segmenter.model_.predict_proba(Z[None, :])[0][segmenter.label_order_]
        distances["probability"] = proba
        note = (f"a Gaussian mixture assigns by probability ({proba[segment]:.0%} for segment {segment}), "
                "not by the nearest centre")
    elif algorithm == "hdbscan":
        note = "HDBSCAN assigns a customer to the segment of the nearest clustered customer, not the nearest centre"
    if runner is not None and distance[runner] < distance[segment] and note is None:
        note = f"segment {runner}'s centre is nearer than segment {segment}'s"
    distances = distances.sort_values("distance", kind="stable")
    pulls = _pulls(pre, row, Z, centers, segment, runner)
    margin = float(distance[runner] - distance[segment]) if runner is not None else math.inf
    return CustomerExplanation(customer_id=str(row.index[0]), segment=segment,
                               name=names.get(segment, f"Segment {segment}"), distances=distances, runner_up=runner,
                               margin=margin, pulls=pulls, algorithm=algorithm, note=note)


def _pulls(pre, row: pd.DataFrame, Z: np.ndarray, centers: np.ndarray, segment: int,
           runner: int | None) -> pd.DataFrame:
    """Per feature: the customer's value, both centres' typical values, and the pull."""
    columns = prepared_columns(pre)
    features = list(dict.fromkeys(c.feature for c in columns))
    typical = in_feature_units(pre, centers)
    other = runner if runner is not None else segment
    contribution = (Z - centers[other]) ** 2 - (Z - centers[segment]) ** 2
    per_feature = pd.Series(contribution, index=[c.feature for c in columns]).groupby(level=0, sort=False).sum()
    total = float(np.abs(per_feature).sum()) if runner is not None else 0.0
    table = pd.DataFrame({
        "feature": features,
        "label": [humanise(f) for f in features],
        "value": [row.iloc[0][f] if f in row.columns else None for f in features],
        "segment_value": [typical[segment][f] for f in features],
        "runner_up_value": [typical[other][f] for f in features],
        "pull": [float(per_feature[f]) / total if total else 0.0 for f in features],
        "percent": [is_percent(f, [typical[s][f] for s in range(len(centers))]) if not isinstance(
            typical[segment][f], (Mapping, str)) else False for f in features],
    })
    return table.sort_values("pull", ascending=False, kind="stable").reset_index(drop=True)


def _show(value: Any, *, percent: bool = False) -> str:
    """A value for reading: a number without needless decimals, the commonest level of a
    segment's shares with its share, a missing value as "missing"."""
    if isinstance(value, Mapping):
        if not value:
            return ""
        level, share = max(value.items(), key=lambda item: item[1])
        return f"{level} ({share:.0%})"
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "missing"
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return format_number(float(value), percent=percent, digits=3 if percent else 4)
    return str(value)
