"""Interactive charts of a segmentation, as Vega-Lite specifications built with Altair.

JupyterLab draws Vega-Lite itself (its built-in ``vega5`` renderer), offline: a chart here is
shown as the ``application/vnd.vegalite.v5+json`` bundle :func:`bundle` returns, never as a
page that would fetch the Vega libraries from the internet. Altair 5 writes Vega-Lite 5, the
version JupyterLab 4 renders; that is why the ``explore`` extra pins ``altair<6``.

* :func:`map_points`: customers on the two main axes of their prepared features, with what a
  hover shows (segment, name, top traits and, inside a notebook only, the customer id);
* :func:`segment_map`: the hoverable map; a click on a legend entry highlights a segment;
* :func:`k_indices_chart`: the validity indices per k with the chosen and the shown k marked.

Examples
--------
>>> import numpy as np, pandas as pd
>>> points = pd.DataFrame({"x": [0.0, 1.0], "y": [1.0, 0.0], "segment": ["0", "1"],
...                        "name": ["Loyal", "Lapsed"], "traits": ["high spend", "long ago"],
...                        "customer_id": ["a", "b"]})
>>> spec = segment_map(points).to_dict()
>>> [t["field"] for t in spec["encoding"]["tooltip"]]
['segment', 'name', 'traits', 'customer_id']
>>> sorted(bundle(segment_map(points)))
['application/vnd.vegalite.v5+json', 'text/plain']
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MAP_POINTS", "bundle", "import_altair", "k_indices_chart", "map_points", "segment_map"]

#: Most customers drawn on the map (a seeded sample above it).
MAP_POINTS = 4000
#: The Vega-Lite MIME type JupyterLab 4 renders.
VEGALITE_MIME = "application/vnd.vegalite.v5+json"


def import_altair():
    """Import Altair, or say how to install the ``explore`` extra.

    jsonschema, which Altair imports, compiles an IRI grammar from ``rfc3987_syntax`` at import
    time (4 s on two cores) for a format check Altair never uses; it is marked unavailable
    first, as the ``segkit`` command does (:func:`segkit.cli._skip_slow_optional_imports`).
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    try:
        import altair as alt
    except ImportError as err:  # pragma: no cover - the extra is installed in development
        raise ImportError("the segment explorer needs the explore extra: pip install 'segkit[explore]' "
                          "(Altair and ipywidgets)") from err
    return alt


def bundle(chart: Any, text: str = "interactive chart (open in JupyterLab)") -> dict[str, Any]:
    """The chart as the MIME bundle JupyterLab renders offline."""
    return {VEGALITE_MIME: chart.to_dict(), "text/plain": text}


def map_points(embedding: pd.DataFrame, labels: pd.Series, *, names: Mapping[int, str] | None = None,
               traits: Mapping[int, str] | None = None, with_ids: bool = True, max_points: int = MAP_POINTS,
               random_state: int = 0) -> pd.DataFrame:
    """The map's points: ``x``, ``y`` (first two principal components of the prepared features),
    ``segment`` (text, so colours are categories), ``name``, ``traits`` and ``customer_id``
    (left out with ``with_ids=False``: a map that leaves the notebook carries no ids).

    Examples
    --------
    >>> emb = pd.DataFrame(np.eye(4), index=pd.Index(list("abcd"), name="customer_id"))
    >>> map_points(emb, pd.Series([0, 0, 1, 1], index=emb.index)).columns.tolist()
    ['x', 'y', 'segment', 'name', 'traits', 'customer_id']
    """
    from sklearn.decomposition import PCA

    values = np.nan_to_num(embedding.to_numpy(dtype=float))
    if values.shape[1] == 1:
        values = np.column_stack([values, np.zeros(len(values))])
    labels = pd.Series(np.asarray(labels), index=embedding.index)
    rows = np.arange(len(values))
    if len(values) > max_points:
        rows = np.sort(np.random.default_rng(random_state).choice(len(values), max_points, replace=False))
    xy = PCA(n_components=2, random_state=random_state).fit(values).transform(values[rows])
    segment = labels.iloc[rows].to_numpy()
    names, traits = dict(names or {}), dict(traits or {})
    points = pd.DataFrame({
        "x": xy[:, 0].round(4), "y": xy[:, 1].round(4),
        "segment": [str(s) for s in segment],
        "name": [names.get(int(s), f"Segment {s}") for s in segment],
        "traits": [traits.get(int(s), "") for s in segment],
    })
    if with_ids:
        points["customer_id"] = embedding.index[rows].astype(str)
    return points


def segment_map(points: pd.DataFrame, *, highlight: list[str] | None = None, width: int = 560,
                height: int = 420) -> Any:
    """The hoverable segment map of :func:`map_points`; ``highlight`` dims the other segments."""
    alt = import_altair()
    pick = alt.selection_point(fields=["segment"], bind="legend", name="pick")
    tooltip = [alt.Tooltip(c, title=c.replace("_", " ")) for c in ("segment", "name", "traits", "customer_id")
               if c in points.columns]
    shown = alt.datum.segment if highlight is None else alt.FieldOneOfPredicate(field="segment", oneOf=highlight)
    opacity = alt.condition(pick, alt.value(0.75), alt.value(0.08))
    if highlight is not None:
        opacity = alt.condition(shown, alt.value(0.8), alt.value(0.05))
    chart = (
        alt.Chart(points, title="Segment map: customers on the two main axes of variation")
        .mark_circle(size=22)
        .encode(
            x=alt.X("x:Q", title="component 1"), y=alt.Y("y:Q", title="component 2"),
            color=alt.Color("segment:N", title="segment", scale=alt.Scale(scheme="tableau10")),
            opacity=opacity, tooltip=tooltip,
        )
        .properties(width=width, height=height)
        .add_params(pick)
    )
    return chart


def k_indices_chart(selection: pd.DataFrame, *, chosen: int, shown: int | None = None) -> Any:
    """The validity indices per k (each scaled to its own range), the chosen k as a solid rule
    and the k on show as a dashed one."""
    alt = import_altair()
    names = {"silhouette": "silhouette (higher better)", "calinski_harabasz": "Calinski-Harabasz (higher better)",
             "davies_bouldin": "Davies-Bouldin (lower better)", "bic": "BIC (lower better)"}
    present = [c for c in names if c in selection.columns and selection[c].notna().any()]
    long = selection[present].rename(columns=names).reset_index(names="k").melt("k", var_name="index")
    long["scaled"] = long.groupby("index")["value"].transform(
        lambda v: (v - v.min()) / (v.max() - v.min()) if v.max() > v.min() else v * 0)
    lines = alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("k:O"), y=alt.Y("scaled:Q", title="scaled to its range"), color=alt.Color("index:N", title=None),
        tooltip=["k", "index", alt.Tooltip("value:Q", format=".3f")])
    marks = pd.DataFrame({"k": [chosen] + ([shown] if shown is not None and shown != chosen else []),
                          "what": ["chosen"] + (["shown"] if shown is not None and shown != chosen else [])})
    rules = alt.Chart(marks).mark_rule(strokeWidth=2).encode(
        x="k:O", strokeDash=alt.StrokeDash("what:N", title=None, scale=alt.Scale(domain=["chosen", "shown"],
                                                                               range=[[1, 0], [5, 4]])))
    return (lines + rules).properties(width=460, height=220, title="Validity indices per number of segments")
