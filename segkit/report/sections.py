"""What each section of the report shows, as functions of a finished run.

``run`` is a :class:`segkit.pipeline.Analysis` after :meth:`~segkit.pipeline.Analysis.profile`
(and :meth:`~segkit.pipeline.Analysis.value` for the value table): the report notebook
asks these functions which columns a section covers, which of them to draw first, what
the segment map plots and what the value table holds, and draws the answers with
:mod:`segkit.plots` and :mod:`segkit.report.tables`. Nothing here computes a statistic or
hides a cell: the figures come from the run's profile (``run.profile_``), which did both.

Examples
--------
>>> from types import SimpleNamespace
>>> import pandas as pd
>>> from segkit.profile import profile_segments
>>> idx = pd.Index([f"c{i}" for i in range(40)], name="customer_id")
>>> frame = pd.DataFrame({"age": [25.0] * 20 + [60.0] * 20, "visits": [1.0, 9.0] * 20,
...                       "plan": ["basic"] * 20 + ["premium"] * 20}, index=idx)
>>> labels = pd.Series([0] * 20 + [1] * 20, index=idx, name="segment")
>>> bases = {"age": "demographic", "visits": "behavioural", "plan": "behavioural"}
>>> run = SimpleNamespace(features=SimpleNamespace(frame=frame, bases=bases),
...                       profile_=profile_segments(frame, labels, bases=bases))
>>> split_numeric(run, columns_of(run, "behavioural"))
(['visits'], ['plan'])
>>> most_distinguishing(run, ["visits", "age"], 1)
['age']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from segkit.features.screen import SCREEN_REASON
from segkit.plot_data import MAP_POINTS, sample_rows
from segkit.profile.labels import audience
from segkit.profile.naming import MAX_LABEL, humanise
from segkit.profile.ratings import rating_differences
from segkit.profile.suppression import sparse_segments

__all__ = ["SURVEY_SKIPS", "columns_of", "people", "columns_table", "embedding", "hidden_segments", "holdout_models_table",
           "hidden_cells_text", "holdout_segments_table", "is_survey", "most_distinguishing", "omitted_text", "outcome_table",
           "questions_table", "rating_table", "shows", "split_kinds", "split_numeric", "split_ratings",
           "map_points", "value_table"]


def columns_of(run: Any, *bases: str) -> list[str]:
    """The profiled columns belonging to any of ``bases``, in the feature table's order.

    Identifiers, dates and free text are not profiled, so no section shows them.
    """
    profiled = run.profile_.bases
    return [c for c, b in run.features.bases.items() if b in bases and c in profiled]


def split_numeric(run: Any, columns: list[str]) -> tuple[list[str], list[str]]:
    """Split ``columns`` into numeric ones (drawn as means and distributions) and the others
    (drawn as category breakdowns, yes/no flags among them)."""
    frame = run.features.frame
    numeric = [c for c in columns
               if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])]
    return numeric, [c for c in columns if c not in numeric]


def split_kinds(run: Any, columns: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Split ``columns`` into numbers (drawn as means and distributions), yes/no flags (shown as the
    share of yes, never as a distribution of 0s and 1s) and the others (category breakdowns).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> frame = pd.DataFrame({"visits": [1.0, 9.0], "member": [0, 1], "plan": ["a", "b"]})
    >>> run = SimpleNamespace(features=SimpleNamespace(frame=frame, kinds={"member": "flag"}))
    >>> split_kinds(run, ["visits", "member", "plan"])
    (['visits'], ['member'], ['plan'])
    """
    numeric, other = split_numeric(run, columns)
    kinds = getattr(run.features, "kinds", {}) or {}
    flags = [c for c in numeric if kinds.get(c) == "flag"]
    return [c for c in numeric if c not in flags], flags, other


def most_distinguishing(run: Any, columns: list[str], n: int) -> list[str]:
    """The ``n`` of ``columns`` whose segment differences are largest (max |standardised effect|);
    ties keep the order of ``columns``."""
    effects = run.profile_.effects
    strength = (effects[effects["feature"].isin(columns)]
                .assign(strength=lambda e: e["standardised"].abs())
                .groupby("feature")["strength"].max())
    ranked = sorted(columns, key=lambda c: (-strength.get(c, 0.0), columns.index(c)))
    return ranked[:n]


def hidden_segments(run: Any, column: str) -> list:
    """Segments whose figures for the numeric ``column`` are hidden (too few known values).

    A profiled column's are the profile's; predicted lifetime value (a column of
    ``run.clv``, which is not profiled) follows the same rule
    (:func:`segkit.profile.suppression.sparse_segments`).
    """
    if column in run.profile_.bases:
        return run.profile_.hidden_segments(column)
    return sparse_segments(run.clv[column], run.labels, min_cell_size=run.config["privacy"]["min_cell_size"])


def embedding(run: Any, rows: np.ndarray | None = None) -> np.ndarray:
    """The clustered features after the segmenter's preprocessing (for the segment map), as an
    array in customer order (``run.embedding()`` is the same, labelled); ``rows``: only the
    customers at those positions, prepared alone.

    A segmentation on a single feature gets a second, constant column, so that the map
    (two principal axes) shows the customers spread along that one feature.
    """
    if rows is None and hasattr(run, "embedding"):
        out = run.embedding().to_numpy(dtype=float)
    else:
        out = np.asarray(run.segmenter.preprocessor_.transform(run.X if rows is None else run.X.iloc[rows]),
                         dtype=float)
    if out.ndim == 2 and out.shape[1] == 1:
        out = np.column_stack([out, np.zeros(len(out))])
    return out


def map_points(run: Any, *, max_points: int = MAP_POINTS, random_state: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The customers the segment map draws, prepared as the segmenter clusters them, and their segments.

    The seeded sample :func:`segkit.plots.plot_segment_map` would draw from every customer
    (:func:`segkit.plot_data.sample_rows`), taken before the features are prepared: at a million
    customers only the few thousand drawn are, and the map is the same.
    """
    labels = np.asarray(run.labels)
    rows = sample_rows(len(labels), max_points, random_state)
    return embedding(run, rows), labels if rows is None else labels[rows]


def value_table(run: Any) -> pd.DataFrame:
    """Per segment: customers, revenue so far and, with a purchase log, predicted CLV.

    A segment the profile suppressed (too small) keeps its name and nothing else.
    """
    summary = run.profile_.summary
    table = pd.DataFrame({"name": run.names["name"], "customers": summary["size"]})
    for col in ("revenue", "revenue_share"):
        if col in summary:
            table[col] = summary[col]
    if "revenue_per_customer" in summary:
        table["revenue per customer"] = summary["revenue_per_customer"]
    if run.clv is not None:
        by_seg = run.clv.groupby(run.labels.reindex(run.clv.index))
        table["p_alive (mean)"] = by_seg["p_alive"].mean()
        table["predicted CLV per customer"] = by_seg["clv"].mean()
        table["predicted CLV (total)"] = by_seg["clv"].sum()
    # The profile has already blanked a small segment's size, so its flag is the test.
    small = summary["suppressed"].reindex(table.index).fillna(False).astype(bool)
    if small.any():
        table.loc[small, table.columns.drop(["name"])] = np.nan
    table["customers"] = table["customers"].astype("Int64")  # a count, shown without decimals
    table.index.name = "segment"
    return table


def outcome_table(run: Any) -> pd.DataFrame | None:
    """Each outcome per segment as the report shows it: one row per segment (and one for all
    customers), one column per outcome level, each cell the share with its 95% interval
    (``40% (28-54%)``); empty where the segment is too small to show. None without outcomes.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from segkit.profile.outcomes import outcome_rates
    >>> labels = pd.Series([0] * 50 + [1] * 50, name="segment")
    >>> churn = pd.DataFrame({"Churn": [1] * 20 + [0] * 30 + [1] * 5 + [0] * 45})
    >>> run = SimpleNamespace(outcomes=outcome_rates(labels, churn, kinds={"Churn": "flag"}),
    ...                       names=pd.DataFrame({"name": ["Loyal", "Leaving"]}, index=[1, 0]))
    >>> outcome_table(run)
                          Churn
    segment
    Leaving        40% (28-54%)
    Loyal           10% (4-21%)
    all customers           25%
    """
    rates = getattr(run, "outcomes", None)
    if rates is None or rates.empty:
        return None
    names = run.names["name"]
    single = rates.groupby("outcome")["level"].nunique()

    def cell(row) -> str:
        if pd.isna(row["share"]):
            return ""
        return f"{row['share']:.0%} ({row['low'] * 100:.0f}-{row['high']:.0%})"

    rates = rates.assign(column=[o if single[o] == 1 and lv == "yes" else f"{o}: {lv}"
                                 for o, lv in zip(rates["outcome"], rates["level"])],
                         cell=rates.apply(cell, axis=1))
    columns = list(dict.fromkeys(rates["column"]))
    wide = rates.pivot(index="segment", columns="column", values="cell")[columns]
    overall = rates.drop_duplicates("column").set_index("column")["overall_share"].reindex(columns)
    wide.index = [names.get(s, f"segment {s}") for s in wide.index]
    wide.loc[f"all {people(run)}"] = [f"{v:.0%}" if pd.notna(v) else "" for v in overall]
    wide.index.name = "segment"
    wide.columns.name = None
    return wide


def columns_table(run: Any) -> pd.DataFrame:
    """Every input column with its role, basis, kind, what the segmentation does with it and the
    evidence (the table ``segkit inspect`` prints), for the method section."""
    table = run.columns()
    if table["table"].nunique() == 1:
        table = table.drop(columns="table")
    screened = table["use"].str.startswith(f"not used: {SCREEN_REASON}")
    if screened.sum() > 20:  # thousands of rows nobody reads: a count, the columns are in `segkit inspect`
        more = {c: "" for c in table.columns}
        more.update(column=f"... {int(screened.sum()) - 10:,} more", role="", use=f"not used: {SCREEN_REASON}",
                    evidence="every column, with why it was dropped, is in summary.json (columns) and segkit inspect")
        kept = table[~screened | (screened.cumsum() <= 10)]
        table = pd.concat([kept, pd.DataFrame([more])], ignore_index=True)
    return table


def holdout_models_table(run: Any) -> pd.DataFrame:
    """Each candidate purchase model's holdout test (and the naive baseline's), best first, with a
    ``note``: why a candidate failed to score, or what is wrong with its fit (a limit, not an estimate).

    Empty when the value stage ran no holdout test.
    """
    result = getattr(run, "value_result", None)
    if result is None or result.holdout is None:
        return pd.DataFrame()
    scores = result.holdout.scores
    table = pd.DataFrame({
        "mean absolute error per customer": scores["mae"],
        "predicted purchases": scores["predicted"],
        "actual purchases": scores["actual"],
    })
    if "status" in scores:  # a candidate that failed to score says why; a doubtful fit says what is wrong
        table["note"] = [f"failed to score: {why}" if status == "failed" else why
                         for status, why in zip(scores["status"], scores["reason"])]
    table.index = ["naive baseline (past rate)" if n == "baseline" else n for n in table.index]
    table.index.name = "model"
    return table


def holdout_segments_table(run: Any) -> pd.DataFrame:
    """Per segment: the holdout test of the winning model against the naive baseline
    (segments under ``privacy.min_cell_size`` blanked). Empty without a holdout test."""
    result = getattr(run, "value_result", None)
    if result is None or result.segments.empty:
        return pd.DataFrame()
    t = result.segments
    table = pd.DataFrame({
        "name": run.names["name"].reindex(t.index),
        "customers": t["customers"],
        "actual purchases": t["actual"],
        f"predicted ({result.validation['model']})": t["predicted"],
        "predicted (baseline)": t["baseline"],
        "mean absolute error": t["mae"],
        "baseline error": t["baseline_mae"],
    }, index=t.index)
    table.index.name = "segment"
    return table


# ----------------------------------------------------------------------------- a survey's report

#: The sections a survey report leaves out, and what would add each.
SURVEY_SKIPS = {"rfm": "a purchase log (data.transactions) adds RFM",
                "value": "a purchase log or spend columns add Value",
                "targeting": "a campaign response column (campaign.response) adds Campaign targeting, "
                             "Attractiveness and the A/B test plan"}


def is_survey(run: Any) -> bool:
    """Whether the report is a survey's: answers without a purchase log, revenue or campaign
    response (attitudes, technology and demographics are then its matter).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> run = SimpleNamespace(features=SimpleNamespace(rfm=None, bases={"q1": "psychographic"}),
    ...                       profile_=SimpleNamespace(summary=pd.DataFrame({"size": [3]})), targeting=None)
    >>> is_survey(run)
    True
    """
    return audience(purchases=getattr(run.features, "rfm", None) is not None, revenue="revenue" in run.profile_.summary,
                    response=getattr(run, "targeting", None) is not None,
                    bases=run.features.bases.values()) == "respondents"


def people(run: Any) -> str:
    """``respondents`` in a survey's report, ``customers`` in any other (:func:`segkit.profile.labels.audience`)."""
    has = getattr(run, "profile_", None) is not None and getattr(run, "features", None) is not None
    return "respondents" if has and is_survey(run) else "customers"


def shows(run: Any, section: str) -> bool:
    """Whether the report shows ``section`` (``rfm``, ``value``, ``targeting``, ``behaviour``, ...):
    a survey report leaves out what its data cannot fill (:data:`SURVEY_SKIPS`), and Behaviour
    when no column is behavioural."""
    if section == "behaviour":
        return not is_survey(run) or bool(columns_of(run, "behavioural", "value"))
    return not (is_survey(run) and section in SURVEY_SKIPS)


def omitted_text(run: Any) -> str:
    """The one line saying which sections a survey report leaves out and what data would add them."""
    if not is_survey(run):
        return ""
    return ("_A survey report: no RFM, Value or Campaign targeting sections, since the data have no purchase "
            "log, spend or campaign response. " + "; ".join(SURVEY_SKIPS.values()) + "._")


def split_ratings(run: Any, columns: list[str]) -> tuple[list[str], list[str]]:
    """``columns`` split into ordered scales (ratings, shown in scale points) and the others."""
    frame = run.features.frame
    ratings = [c for c in columns if isinstance(frame[c].dtype, pd.CategoricalDtype) and frame[c].dtype.ordered]
    return ratings, [c for c in columns if c not in ratings]


def rating_table(run: Any, columns: list[str], *, weights: pd.Series | None = None) -> pd.DataFrame:
    """Mean answer per segment on each rating, in scale points, and its difference from all
    respondents (``3.8 (+0.6)``); one row per segment and one for all respondents, one column per
    item under its short label; empty where a segment has fewer answers than ``min_cell_size``."""
    small = run.config["privacy"]["min_cell_size"]
    if weights is None:  # survey.weight, when the run has one
        weights = getattr(run.features, "weights", None)
    table = rating_differences(run.features.frame[columns], run.labels, min_cell_size=small, weights=weights)
    hidden = run.profile_.summary["suppressed"] if "suppressed" in run.profile_.summary else pd.Series(dtype=bool)
    names = run.names["name"]

    def cell(row) -> str:
        if pd.isna(row["mean"]) or bool(hidden.get(row["segment"], False)):
            return ""
        return f"{row['mean']:.1f} ({row['difference']:+.1f})"

    table = table.assign(cell=table.apply(cell, axis=1) if len(table) else [],
                         label=[_item_label(c) for c in table["feature"]])
    wide = table.pivot(index="segment", columns="label", values="cell")
    order = list(dict.fromkeys(table["label"]))
    wide = wide[order]
    wide.index = [names.get(seg, f"segment {seg}") for seg in wide.index]
    overall = table.drop_duplicates("label").set_index("label")
    wide.loc["all respondents"] = [f"{overall.loc[c, 'overall']:.1f} ({overall.loc[c, 'scale_low']:g}-"
                                   f"{overall.loc[c, 'scale_high']:g})" for c in order]
    wide.index.name = "segment"
    wide.columns.name = None
    return wide


def _item_label(column) -> str:
    return humanise(column) if len(str(column)) > MAX_LABEL else str(column)


def questions_table(run: Any) -> pd.DataFrame:
    """The full question behind each short label that names and tables use (only the questions
    longer than the labels allow)."""
    rows = [{"label": _item_label(c), "question": str(c)} for c in run.features.frame.columns
            if len(str(c)) > MAX_LABEL]
    return pd.DataFrame(rows, columns=["label", "question"])


def hidden_cells_text(run: Any) -> str:
    """How many category cells the report hides as too small, and which ``privacy.min_cell_size``
    would show them (the smallest count among them shows them all; the cells hidden to protect
    them follow). Empty when none is hidden."""
    small = run.config["privacy"]["min_cell_size"]
    cells = run.profile_.breakdowns
    if cells.empty or "suppressed" not in cells or not cells["suppressed"].astype(bool).any():
        return ""
    frame, labels = run.features.frame, run.labels.reindex(run.features.frame.index)
    tiny = cells[cells["suppressed_reason"].astype(str) == "small cell"]
    counts = [int(((frame[f].astype("string") == str(level)) & (labels == seg)).sum())
              for seg, f, level in zip(tiny["segment"], tiny["feature"], tiny["level"])]
    counts = [c for c in counts if c > 0]
    hidden = int(cells["suppressed"].astype(bool).sum())
    text = (f"**{hidden:,} of {len(cells):,} category cells are hidden** (fewer than {small} "
            f"{'respondents' if is_survey(run) else 'customers'} with {len(frame):,} in all, or hidden to protect "
            "such a cell; hatched in the charts).")
    if counts:
        lowest = min(counts)
        half = max(lowest, small // 2)
        shown = sum(c >= half for c in counts)
        text += (f" `privacy.min_cell_size: {lowest}` would show them all"
                 + (f"; `{half}` would show {shown} of the {len(counts)} small ones" if half != lowest else "")
                 + ", at the cost of showing smaller groups.")
    return text
