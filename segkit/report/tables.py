"""Tables for the report: the columns of each table that a reader needs, named in words.

:func:`k_selection_table`, :func:`attractiveness_table`, :func:`targeting_table`,
:func:`ab_plan_table`, :func:`rfm_by_segment_table`, :func:`inputs_table`, :func:`drift_table` and
:func:`segment_means_table` pick and name the columns of those tables; each returns a pandas
``Styler`` made by :func:`show` (:mod:`segkit.report.style`), which formats any table for
reading rather than debugging.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from segkit.features.rfm import DEFAULT_RFM_SEGMENTS
from segkit.privacy import suppress_count_table
from segkit.profile.naming import humanise
from segkit.report.style import is_fraction, is_missing, show

__all__ = [
    "show",
    "k_selection_table",
    "attractiveness_table",
    "targeting_table",
    "ab_plan_table",
    "rfm_by_segment_table",
    "inputs_table",
    "drift_table",
    "segment_means_table",
    "rules_table",
]


def k_selection_table(selection: pd.DataFrame) -> Styler:
    """The k-selection table with the columns a reader needs.

    Keeps the validity indices, the elbow, the smallest segment's share, the weakest segment's
    bootstrap stability, the indices' votes and which k was chosen; drops the per-index ranks,
    the mean rank, the inertia and empty columns; ``eligible`` and ``stable`` are kept only when
    some k was not, ``BIC minimum`` only when the BIC had one (then it decided).
    """
    keep = ["silhouette", "calinski_harabasz", "davies_bouldin", "bic", "elbow", "smallest_share", "stability_min",
            "votes", "eligible", "stable", "bic_minimum", "chosen"]
    table = selection[[c for c in keep if c in selection.columns]]
    table = table.loc[:, table.notna().any()]
    for flag in ("eligible", "stable"):  # shown only when some k was not
        if flag in table and bool(table[flag].all()):
            table = table.drop(columns=flag)
    if "bic_minimum" in table and not bool(table["bic_minimum"].any()):
        table = table.drop(columns="bic_minimum")
    table = table.rename(columns={"votes": "votes (of 4 indices)", "calinski_harabasz": "Calinski-Harabasz",
                                  "davies_bouldin": "Davies-Bouldin", "bic": "BIC", "bic_minimum": "BIC minimum",
                                  "stability_min": "weakest segment stability"})
    return show(table, percent=["smallest_share"])


def attractiveness_table(table: pd.DataFrame) -> Styler:
    """The attractiveness table: each component's raw value and points, the score and rank.

    The ``*_scaled`` columns (each component rescaled to 0-1 before weighting) are left out;
    the points already carry them. The response component is a rate, shown as a percentage.
    """
    how = {"max": "its share of the best segment's figure", "minmax": "its place between the lowest and highest figure",
           "rank": "its rank"}.get(table.attrs.get("scaling", ""))
    weights = table.attrs.get("weights") or {}
    caption = None
    if how and weights:
        shown = ", ".join(f"{k} {w:.0%}" for k, w in weights.items())
        caption = f"Points: each component scored 0-1 by {how}, times its weight ({shown})."
    table = table.drop(columns=[c for c in table.columns if str(c).endswith("_scaled")])
    if "unranked_reason" in table and not table["unranked_reason"].fillna("").astype(str).str.strip().any():
        table = table.drop(columns="unranked_reason")
    return show(table, percent=[c for c in ("response", "growth") if c in table and is_fraction(table[c])],
                caption=caption)


def targeting_table(targeting: pd.DataFrame) -> Styler:
    """The targeting table indexed by segment, without columns that say nothing per segment.

    The break-even rate is the same for every segment: it moves to the caption. The
    ``suppressed`` flag and its reason are shown only when some segment was suppressed (too
    few customers, responders or non-responders).
    """
    table = targeting.set_index("segment") if "segment" in targeting.columns else targeting
    notes = []
    if "break_even_rate" in table:
        rates = table["break_even_rate"].dropna().unique()
        if len(rates) == 1:
            table = table.drop(columns="break_even_rate")
            if targeting.attrs.get("economics_known", True):
                notes.append(f"Break-even response rate: {rates[0]:.1%} of contacts.")
    without = int(targeting.attrs.get("without_response", 0) or 0)
    if without:
        column = targeting.attrs.get("response_column")
        notes.append(f"{without:,} {'customer has' if without == 1 else 'customers have'} no response"
                     f"{f' in {column}' if column is not None else ''} and {'is' if without == 1 else 'are'} "
                     "left out of the response rates: size counts the customers with a response; customers "
                     "and expected total profit cover the whole segment (the profit if every customer in it "
                     "is contacted).")
    if "customers" in table and "size" in table and table["customers"].equals(table["size"]):
        table = table.drop(columns="customers")  # every customer has a response: one count is enough
    if "suppressed" in table and not table["suppressed"].any():
        table = table.drop(columns=[c for c in ("suppressed", "suppressed_reason") if c in table])
    return show(table, caption=" ".join(notes) or None)


def ab_plan_table(plan: pd.DataFrame) -> Styler:
    """The A/B test plan of :func:`segkit.target.ab_plan` with its columns in words.

    Rates and effects are percentages (an effect is an absolute change in the response
    rate); the ``note`` column is kept only when some segment has a note.

    Examples
    --------
    >>> from segkit.target import ab_plan
    >>> labels = pd.Series([0] * 9000 + [1] * 2000, name="segment")
    >>> html = ab_plan_table(ab_plan(labels, baseline_rates=0.10, mde=0.02)).to_html()
    >>> "customers per arm" in html and "2.0%" in html and "note" not in html
    True
    """
    table = plan.set_index("segment") if "segment" in plan.columns else plan
    if "note" in table and not table["note"].fillna("").astype(str).str.strip().any():
        table = table.drop(columns="note")
    names = {"size": "customers", "baseline_rate": "response rate now", "mde": "change to detect",
             "n_per_arm": "customers per arm", "n_required": "customers needed", "sufficient": "enough customers",
             "detectable_mde": "smallest detectable change"}
    table = table.rename(columns=names)
    percent = [names[c] for c in ("baseline_rate", "mde", "detectable_mde") if names[c] in table]
    return show(table, percent=percent)


def rfm_by_segment_table(
    labels: pd.Series,
    rfm_segment: pd.Series,
    *,
    names: dict | None = None,
    min_cell_size: int = 10,
) -> Styler:
    """Customers per segment (rows) and named RFM segment (columns), small cells hidden.

    Rows follow the segment ids, with their names; columns follow the RFM rule table
    (best customers first, ``Other`` last). Cells with fewer than ``min_cell_size``
    customers, and the cells that would give them away, read ``hidden``
    (:func:`segkit.privacy.suppress_count_table`), and the caption says so.

    Examples
    --------
    >>> labels = pd.Series([0] * 30 + [1] * 25, name="segment")
    >>> rfm = pd.Series(["Lost"] * 12 + ["Champions"] * 18 + ["Lost"] * 20 + ["Champions"] * 5)
    >>> html = rfm_by_segment_table(labels, rfm, names={0: "Regulars", 1: "Lapsed"}).to_html()
    >>> html.index("Champions") < html.index("Lost") and "hidden" in html and "Regulars" in html
    True
    """
    counts = pd.crosstab(labels.rename("segment"), rfm_segment.reindex(labels.index))
    counts.columns.name = None
    rank = {name: i for i, name in enumerate(DEFAULT_RFM_SEGMENTS["segment"])}
    columns = sorted(counts.columns, key=lambda c: (c == "Other", rank.get(c, len(rank)), str(c)))
    counts = counts[columns].sort_index()
    shown = suppress_count_table(counts, min_cell_size)
    shown = shown.map(lambda v: v if isinstance(v, str) else f"{int(v):,}")
    if names:
        shown.insert(0, "name", [names.get(s, "") for s in shown.index])
    caption = "Customers per segment and named RFM segment."
    if (shown == "hidden").to_numpy().any():
        caption += f" Cells with fewer than {min_cell_size} customers, and cells that would reveal them, are hidden."
    styler = show(shown, caption=caption)
    return styler.set_properties(subset=columns, **{"text-align": "right", "white-space": "nowrap"})


def inputs_table(sources: list[dict]) -> Styler:
    """The inputs of a run: label, files, rows, size and a short checksum.

    The sha256 is cut to its first 12 characters for reading (the full one is in
    ``summary.json``); more than three files are summarised by their count.

    Examples
    --------
    >>> html = inputs_table([{"label": "log.csv", "paths": ["/data/log.csv"], "rows": 63273,
    ...                       "bytes": 3507115, "sha256": "23226bcff079d361501f64f93e38f6"}]).to_html()
    >>> "3.5 MB" in html and "23226bcff079…" in html and "63,273" in html
    True
    """
    rows = []
    for source in sources:
        paths = [str(p) for p in source.get("paths", [])]
        files = ", ".join(paths) if len(paths) <= 3 else f"{len(paths):,} files, e.g. {paths[0]}"
        digest = str(source.get("sha256") or "")
        rows.append({"input": source.get("label", ""), "files": files, "rows": source.get("rows"),
                     "size": _bytes(source.get("bytes")), "sha256": digest[:12] + "…" if len(digest) > 12 else digest})
    table = pd.DataFrame(rows, columns=["input", "files", "rows", "size", "sha256"])
    return show(table, caption="Inputs (full sha256 checksums in summary.json)")


def drift_table(drift: pd.DataFrame, *, limit: int | None = 10, caption: str | None = None) -> Styler:
    """Feature drift (:func:`segkit.monitor.reference_drift`) with features named in words.

    Parameters
    ----------
    drift : DataFrame
        Indexed by feature column, as ``Comparison.drift``.
    limit : int, optional
        Show at most this many features (the table is sorted by PSI, largest first).
    caption : str, optional

    Examples
    --------
    >>> drift = pd.DataFrame({"psi": [2.28], "level": ["major"], "old_median": [112.0], "new_median": [301.0],
    ...                       "changed_most": [""]}, index=pd.Index(["recency_days"], name="feature"))
    >>> html = drift_table(drift).to_html()
    >>> "days since last purchase" in html and "median before" in html and "recency_days" not in html
    True
    """
    table = drift.head(limit) if limit is not None else drift
    table = table.rename(index=lambda c: humanise(str(c)))
    table = table.rename(columns={"psi": "PSI", "level": "shift", "old_median": "median before",
                                  "new_median": "median now", "changed_most": "level that moved most"})
    table = table.loc[:, [c for c in table.columns if table[c].replace("", np.nan).notna().any()]]
    return show(table, caption=caption)


def segment_means_table(
    profile,
    columns: Iterable[str],
    *,
    names: dict | None = None,
    caption: str | None = "Mean per segment; the last row is the whole base.",
) -> Styler:
    """Segment means of numeric features (yes/no flags as the share of yes), with the whole base.

    One row per segment (with its name) and a last row ``all customers`` (``all respondents`` in a
    survey's profile, :attr:`SegmentProfile.people <segkit.profile.SegmentProfile>`); one column per
    feature, named in words. Means come from the profile (``profile.wide``), which has
    already blanked small segments and features with fewer than ``min_cell_size`` known
    values: those cells stay empty here. A 0/1 flag reads as a percentage (``share yes``).

    Parameters
    ----------
    profile : SegmentProfile
        From :func:`segkit.profile.profile_segments` (``run.profile_``).
    columns : iterable of str
        Numeric features, in the order to show.
    names : dict, optional
        Segment id -> name.
    caption : str, optional

    Examples
    --------
    >>> from segkit.profile import profile_segments
    >>> idx = pd.Index([str(i) for i in range(40)], name="customer_id")
    >>> f = pd.DataFrame({"likes_green": [5.0] * 20 + [2.0] * 20,
    ...                   "app_user": [1] * 15 + [0] * 5 + [0] * 20}, index=idx)
    >>> p = profile_segments(f, pd.Series([0] * 20 + [1] * 20, index=idx, name="segment"))
    >>> html = segment_means_table(p, ["likes_green", "app_user"], names={0: "Green", 1: "Other"}).to_html()
    >>> "75.0%" in html and "app user (share yes)" in html and "all customers" in html and "3.50" in html
    True
    """
    columns = [c for c in columns if c in profile.wide.columns]
    table = profile.wide[columns].astype("float64")
    table = table.mask(profile.wide["suppressed"].astype(bool), axis=0)
    overall = profile.overall["mean"].reindex(columns).astype("float64")
    table.loc[f"all {profile.people}"] = overall.to_numpy()
    table.index.name = "segment"
    flags = [c for c in columns if _is_flag(profile.overall, c, table[c])]
    labels = {c: humanise(str(c)) + (" (share yes)" if c in flags else "") for c in columns}
    table = table.rename(columns=labels)
    if names:
        table.insert(0, "name", [names.get(s, "") for s in table.index])
    return show(table, percent=[labels[c] for c in flags], caption=caption)


def _is_flag(overall: pd.DataFrame, column: str, means: pd.Series) -> bool:
    """A 0/1 feature: every mean in [0, 1] and the overall median 0 or 1."""
    finite = means.dropna()
    median = overall["median"].get(column, np.nan) if "median" in overall else np.nan
    return bool(len(finite)) and bool(finite.between(0, 1).all()) and median in (0.0, 1.0)


def _bytes(n: object) -> str:
    if n is None or is_missing(n):
        return ""
    size = float(n)
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1000
    return ""


def rules_table(rules) -> Styler:
    """"How to recognise each segment": each rule with the customers it matches, its precision
    and coverage, indexed by segment, the fidelity in the caption."""
    table = rules.table().rename(columns={"segment_name": "name"})
    caption = (f"Rules of at most {rules.max_conditions} conditions; together they put {rules.fidelity:.1%} of "
               "customers in their own segment. Precision: the share of the customers a rule matches that are "
               "in its segment; coverage: the share of the segment's customers the rule matches.")
    return show(table, percent=["precision", "coverage"], hide_index=True, caption=caption)

