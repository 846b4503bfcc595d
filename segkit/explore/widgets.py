"""The segment explorer for JupyterLab: a hoverable map, a segment filter, a k explorer.

:func:`explore` takes a profiled :class:`~segkit.pipeline.Analysis` and returns a
:class:`SegmentExplorer`, which a notebook shows as two tabs (ipywidgets):

* **Segments**: a segment filter (pick one or several segments) beside the segment map
  (hover a customer: segment, name, top traits, customer id; the other segments are dimmed)
  and the profile tables of the chosen segments: size and revenue, the means of the features
  that set segments apart most against the whole base, and the rules that recognise them;
* **Number of segments**: a slider over the k the segmenter tried; each k shows the validity
  indices (the chosen k and the shown k marked) and the segments that k gives, with their
  sizes, bootstrap stability and names. A k other than the run's is fitted when first shown
  (same algorithm, seed and features, fewer bootstraps) and kept.

Everything is computed by segkit's own stages (:mod:`segkit.segment`, :mod:`segkit.profile`,
:mod:`segkit.explain`); the explorer only draws. Needs the ``explore`` extra.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from segkit.explore.charts import MAP_POINTS, bundle, k_indices_chart, map_points, segment_map
from segkit.report.style import show

__all__ = ["SegmentExplorer", "explore"]

#: Features shown in the profile table of the chosen segments (those that set segments apart most).
PROFILE_FEATURES = 8


def _widgets():
    try:
        import ipywidgets
    except ImportError as err:  # pragma: no cover - the extra is installed in development
        raise ImportError("the segment explorer needs the explore extra: pip install 'segkit[explore]' "
                          "(Altair and ipywidgets)") from err
    return ipywidgets


def explore(run, *, n_bootstrap: int = 10, max_points: int = MAP_POINTS) -> SegmentExplorer:
    """The segment explorer of a run (profiled first if it was not); see the module."""
    return SegmentExplorer(run, n_bootstrap=n_bootstrap, max_points=max_points)


class SegmentExplorer:
    """Widgets to explore a run's segments in JupyterLab (see the module).

    Attributes
    ----------
    points : DataFrame
        The map's points (:func:`segkit.explore.charts.map_points`).
    segment_filter, k_slider : ipywidgets widgets
        Set ``segment_filter.value`` (a tuple of segment ids) or ``k_slider.value`` to change
        what is shown, as a click would.
    widget : ipywidgets.Tab
        What the notebook shows.
    """

    def __init__(self, run, *, n_bootstrap: int = 10, max_points: int = MAP_POINTS) -> None:
        w = _widgets()
        run._ensure("profile")
        self.run, self.n_bootstrap = run, n_bootstrap
        self.names = run.names["name"].to_dict()
        traits = run.names["description"].to_dict() if "description" in run.names else {}
        self.points = map_points(run.embedding(), run.labels, names=self.names, traits=traits, max_points=max_points)
        segments = sorted(self.names)
        self.segment_filter = w.SelectMultiple(options=[(f"{s}: {self.names[s]}", s) for s in segments],
                                               value=tuple(segments), rows=min(len(segments), 10),
                                               description="Segments", layout=w.Layout(width="340px"))
        self.map_out, self.tables_out, self.k_out = w.Output(), w.Output(), w.Output()
        selection = run.segmenter.k_selection_
        self.k_slider = w.IntSlider(value=run.segmenter.n_segments_, min=int(selection.index.min()),
                                    max=int(selection.index.max()), description="k", continuous_update=False)
        self._fits: dict[int, tuple[Any, dict]] = {run.segmenter.n_segments_: (run.segmenter, self.names)}
        self.segment_filter.observe(lambda change: self.show_segments(change["new"]), names="value")
        self.k_slider.observe(lambda change: self.show_k(change["new"]), names="value")
        hint = w.HTML("<small>Ctrl/Shift-click to pick several segments; hover a point for the customer.</small>")
        segments_tab = w.VBox([w.HBox([w.VBox([self.segment_filter, hint]), self.map_out]), self.tables_out])
        k_tab = w.VBox([self.k_slider, self.k_out])
        self.widget = w.Tab(children=[segments_tab, k_tab])
        for i, title in enumerate(("Segments", "Number of segments")):
            self.widget.set_title(i, title)
        self.show_segments(self.segment_filter.value)
        self.show_k(self.k_slider.value)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def __repr__(self) -> str:
        return (f"SegmentExplorer({len(self.names)} segments, {len(self.points):,} customers on the map; "
                f"k from {self.k_slider.min} to {self.k_slider.max})")

    # -- the segments tab
    def profile_tables(self, segments) -> list:
        """The chosen segments' tables: size and revenue, feature means against the base, rules."""
        segments = [int(s) for s in segments]
        profile = self.run.profile_
        summary = profile.summary.loc[segments].copy()
        summary.insert(0, "name", [self.names[s] for s in segments])
        effects = profile.effects[(profile.effects["kind"] == "numeric") & profile.effects["segment"].isin(segments)]
        strength = effects.assign(s=effects["standardised"].abs()).groupby("feature")["s"].max()
        top = [f for f in strength.sort_values(ascending=False, kind="stable").index if f in profile.wide.columns]
        top = top[:PROFILE_FEATURES]
        means = profile.wide.loc[segments, top].copy()
        means.loc["all customers"] = profile.overall.reindex(top)["mean"]
        means.index = [f"{s}: {self.names[s]}" if s in self.names else s for s in means.index]
        from segkit.profile.naming import humanise

        means.columns = [humanise(c) for c in means.columns]
        tables = [show(summary, caption="Size and value of the chosen segments"),
                  show(means, caption="Means of the features that set these segments apart most")]
        if getattr(self.run, "rules", None) is not None:
            rules = self.run.rules.table(self.names)
            rules = rules[rules["segment"].isin(segments)]
            tables.append(show(rules, percent=["precision", "coverage"], hide_index=True,
                               caption="How to recognise them"))
        return tables

    def show_segments(self, segments) -> None:
        """Redraw the map (other segments dimmed) and the profile tables for ``segments``."""
        from IPython.display import display

        chosen = [str(s) for s in segments]
        highlight = None if len(chosen) == len(self.names) else chosen
        self.map_out.clear_output(wait=True)
        with self.map_out:
            display(bundle(segment_map(self.points, highlight=highlight), "segment map"), raw=True)
        self.tables_out.clear_output(wait=True)
        with self.tables_out:
            if not chosen:
                print("Pick at least one segment.")
            for table in self.profile_tables(segments) if chosen else []:
                display(table)

    # -- the k tab
    def fit_k(self, k: int) -> tuple[Any, dict]:
        """The segmenter with ``k`` segments and its segment names (fitted once, then kept)."""
        if k not in self._fits:
            from segkit.profile import name_segments, profile_segments
            from segkit.segment import Segmenter

            base = self.run.segmenter
            seg = Segmenter(n_segments=k, algorithm=base.algorithm_, k_min=min(2, k), k_max=max(k, 2),
                            min_share=0.0, n_bootstrap=self.n_bootstrap, order_by=base.order_by,
                            random_state=base.random_state).fit(self.run.X)
            frame = self.run._profile_frame()
            profile = profile_segments(frame, seg.segments_, bases=dict(self.run.features.bases),
                                       min_cell_size=self.run.config["privacy"]["min_cell_size"])
            self._fits[k] = (seg, name_segments(profile)["name"].to_dict())
        return self._fits[k]

    def k_table(self, k: int) -> pd.DataFrame:
        """Per segment of the ``k`` fit: name, customers, share, stability."""
        from segkit.segment.display import segments_frame

        seg, names = self.fit_k(k)
        return segments_frame(seg, names)

    def show_k(self, k: int) -> None:
        """Show the indices with ``k`` marked, and the segments ``k`` gives."""
        from IPython.display import Markdown, display

        base = self.run.segmenter
        self.k_out.clear_output(wait=True)
        with self.k_out:
            display(bundle(k_indices_chart(base.k_selection_, chosen=base.n_segments_, shown=k), "indices per k"),
                    raw=True)
            row = base.k_selection_.loc[k]
            facts = ", ".join(f"{name} {row[col]:.3f}" for col, name in
                              (("silhouette", "silhouette"), ("calinski_harabasz", "Calinski-Harabasz"),
                               ("davies_bouldin", "Davies-Bouldin")) if col in row and pd.notna(row[col]))
            chosen = " (the chosen k)" if k == base.n_segments_ else ""
            display(Markdown(f"**k = {k}**{chosen}: {facts}; smallest segment {row['smallest_share']:.1%} of "
                             "customers."))
            display(show(self.k_table(k), caption=f"The segments with k = {k}: sizes, bootstrap stability "
                                                    "(mean Jaccard; below 0.6 is unstable) and names"))
