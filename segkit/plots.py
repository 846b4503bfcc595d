"""Figures of segments, drawn with seaborn: the report's, and yours.

This is a top-level module, not part of :mod:`segkit.report`: analysts draw these figures
in their own notebooks (the workshop does), from a profile or a run, without running a
report. Every function takes ``ax=`` (a new figure is made when it is ``None``) and returns
the ``Axes``; none calls ``plt.show()`` or saves a file. Segments keep the same colour in
every figure: :func:`segment_palette` maps segment ids to colours once.

Figures draw what they are given and compute no statistic of their own: a category
breakdown draws the breakdown the profile computed (``SegmentProfile.breakdowns``, small
cells already hidden), a distribution hides the segments it is told to hide.

Examples
--------
>>> import pandas as pd
>>> summary = pd.DataFrame({"share": [0.5, 0.3, 0.2], "revenue_share": [0.2, 0.3, 0.5]})
>>> ax = plot_segment_sizes(summary, names={0: "Bargain hunters", 1: "Regulars", 2: "Big spenders"})
>>> ax.get_title()
'Share of customers and of revenue per segment'
"""

from __future__ import annotations

import colorsys
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns

from segkit._axes import figure as _figure
from segkit.exceptions import ColumnError
from segkit.io.messages import plural
from segkit.plot_data import MAP_POINTS, box_summary, sample_rows
from segkit.privacy import DEFAULT_MIN_CELL_SIZE, suppress_count_table
from segkit.profile.naming import humanise

__all__ = [
    "report_style",
    "segment_palette",
    "box_summary",
    "plot_attractiveness",
    "plot_category_breakdown",
    "plot_feature_by_segment",
    "plot_k_selection",
    "plot_lift_heatmap",
    "plot_migration",
    "plot_profile_lines",
    "plot_response_rates",
    "plot_rfm_grid",
    "plot_rfm_segments",
    "plot_segment_map",
    "plot_segment_sizes",
    "plot_stability",
]

_PALETTE = "colorblind"
_SUPPRESSED = "suppressed (small cells)"


def report_style(*, dpi: int = 96) -> None:
    """Apply the report's look (seaborn theme, figure size, resolution) to this session.

    Called explicitly by notebooks; importing segkit changes no global settings.
    """
    sns.set_theme(context="notebook", style="whitegrid", palette=_PALETTE)
    plt.rcParams.update({
        "figure.figsize": (9, 4.6),
        "figure.dpi": dpi,
        "savefig.dpi": dpi,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
        # the inline backend crops with bbox_inches="tight"; a layout pass per draw would double the cost
        "figure.autolayout": False,
    })


def segment_palette(segments: Sequence[int] | int) -> dict[int, tuple[float, float, float]]:
    """A fixed colour per segment id, the same in every figure.

    Examples
    --------
    >>> pal = segment_palette(3)
    >>> sorted(pal) == [0, 1, 2] and pal[0] != pal[1]
    True
    """
    ids = list(range(segments)) if isinstance(segments, int) else sorted(int(s) for s in segments)
    n = max(ids) + 1 if ids else 1
    colours = sns.color_palette(_PALETTE, n_colors=max(n, 10))
    return {i: colours[i % len(colours)] for i in ids}


def _pretty(columns) -> list[str]:
    """Readable feature labels (``share_channel_web`` -> ``web channel share``)."""
    return [humanise(c) for c in columns]


def _ax(ax: plt.Axes | None, size: tuple[float, float] | None = None) -> plt.Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=size)
    return ax


def _label(segment: Any, names: Mapping[int, str] | None) -> str:
    if names and segment in names:
        return f"{segment}: {names[segment]}"
    return f"Segment {segment}"


@_figure
def plot_segment_sizes(
    summary: pd.DataFrame, *, names: Mapping[int, str] | None = None, ax: plt.Axes | None = None
) -> plt.Axes:
    """Side-by-side bars of each segment's share of customers and share of revenue.

    ``summary`` is indexed by segment with a ``share`` column and, optionally,
    ``revenue_share``.
    """
    ax = _ax(ax)
    cols = {"share": "customers"}
    if "revenue_share" in summary and summary["revenue_share"].notna().any():
        cols["revenue_share"] = "revenue"
    data = (summary[list(cols)].rename(columns=cols).rename_axis("segment").reset_index()
            .melt(id_vars="segment", var_name="measure", value_name="value"))
    data["label"] = [_label(s, names) for s in data["segment"]]
    sns.barplot(data=data, y="label", x="value", hue="measure", ax=ax, palette=["#8da0cb", "#fc8d62"][: len(cols)])
    title = ("Share of customers and of revenue per segment" if len(cols) > 1
             else "Share of customers per segment (no revenue in the data)")
    ax.set(xlabel="share of the whole base", ylabel="", title=title)
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    if len(cols) > 1:
        ax.legend(title="", loc="lower right")
    elif ax.get_legend() is not None:
        ax.get_legend().remove()
    return ax


@_figure
def plot_k_selection(k_table: pd.DataFrame, *, chosen: int | None = None, ax: plt.Axes | None = None) -> plt.Axes:
    """How each index rates every candidate number of segments, scaled so higher is better.

    ``k_table`` is indexed by k with any of ``silhouette``, ``calinski_harabasz``,
    ``davies_bouldin`` (lower is better), ``bic`` (lower is better) and ``inertia``.
    """
    ax = _ax(ax)
    better_low = {"davies_bouldin", "bic", "inertia"}
    nice = {"silhouette": "silhouette", "calinski_harabasz": "Calinski-Harabasz",
            "davies_bouldin": "Davies-Bouldin (inverted)", "bic": "BIC (inverted)", "gap": "gap statistic"}
    for col, label in nice.items():
        if col not in k_table or k_table[col].isna().all():
            continue
        values = k_table[col].astype(float)
        span = values.max() - values.min()
        scaled = (values - values.min()) / span if span > 0 else values * 0 + 0.5
        if col in better_low:
            scaled = 1 - scaled
        ax.plot(k_table.index, scaled, marker="o", label=label)
    if chosen is not None:
        ax.axvline(chosen, color="0.3", linestyle="--", linewidth=1)
        ax.annotate(f" chosen k = {chosen}", (chosen, 0.02), xycoords=("data", "axes fraction"), ha="left",
                    va="bottom", color="0.3")
    ax.set(xlabel="number of segments (k)", ylabel="score, scaled (1 = best)",
           title="How many segments? Each index, scaled so higher is better")
    ax.set_xticks(list(k_table.index))
    ax.legend(loc="best", fontsize=9)
    return ax


@_figure
def plot_stability(
    per_segment: Mapping[int, float],
    *,
    names: Mapping[int, str] | None = None,
    threshold: float = 0.6,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Bootstrap Jaccard similarity per segment, with the stability threshold marked."""
    ax = _ax(ax, (9, 0.5 + 0.45 * max(len(per_segment), 2)))
    segments = sorted(per_segment)
    pal = segment_palette(segments)
    values = [per_segment[s] for s in segments]
    labels = [_label(s, names) for s in segments]
    ax.barh(labels, values, color=[pal[s] for s in segments])
    ax.axvline(threshold, color="firebrick", linestyle="--", linewidth=1)
    ax.set(xlim=(0, 1), xlabel=f"mean Jaccard similarity over bootstrap refits (red line: unstable below {threshold:.1f})",
           ylabel="",
           title="How reproducible is each segment?")
    ax.invert_yaxis()
    return ax


@_figure
def plot_segment_map(
    X: pd.DataFrame | np.ndarray,
    labels: Sequence[int] | pd.Series,
    *,
    names: Mapping[int, str] | None = None,
    max_points: int = MAP_POINTS,
    random_state: int = 0,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Customers on the first two principal components of the (preprocessed) features."""
    from sklearn.decomposition import PCA

    ax = _ax(ax, (8, 6))
    values = np.asarray(X, dtype=float)
    labels = np.asarray(labels)
    rows = sample_rows(len(values), max_points, random_state)  # sections.map_points takes the same
    if rows is not None:
        values, labels = values[rows], labels[rows]
    values = np.nan_to_num(values)
    coords = PCA(n_components=2, random_state=random_state).fit(values)
    xy = coords.transform(values)
    pal = segment_palette(np.unique(labels))
    for seg in sorted(pal):
        mask = labels == seg
        ax.scatter(xy[mask, 0], xy[mask, 1], s=9, alpha=0.55, color=pal[seg], label=_label(seg, names))
    ev = coords.explained_variance_ratio_
    ax.set(xlabel=f"component 1 ({ev[0]:.0%} of variance)", ylabel=f"component 2 ({ev[1]:.0%} of variance)",
           title="Segment map: customers on the two main axes of variation")
    ax.legend(markerscale=2, fontsize=9, loc="best", frameon=True)
    return ax


@_figure
def plot_lift_heatmap(
    lift: pd.DataFrame,
    *,
    names: Mapping[int, str] | None = None,
    max_features: int = 18,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Segment x feature lift (segment mean / overall mean) on a diverging log scale.

    Features are ordered by how much they separate the segments; at most ``max_features``.
    """
    data = lift.astype(float).replace([np.inf, -np.inf], np.nan).dropna(axis=1, how="all")
    title = "Lift against the whole base (1.0 = average, red = above)"
    if data.shape[1] > max_features:
        spread = np.log2(data.clip(lower=1e-3)).abs().max(axis=0)
        title += f"\n{max_features} of {data.shape[1]} features: those that separate the segments most"
        data = data[spread.sort_values(ascending=False).index[:max_features]]
    ax = _ax(ax, (min(max(9, 4 + 0.75 * data.shape[1]), 15), 2 + 0.55 * data.shape[0]))
    log_lift = np.log2(data.clip(lower=1 / 16))
    sns.heatmap(log_lift, ax=ax, cmap="RdBu_r", center=0, vmin=-2, vmax=2, annot=data, fmt=".1f",
                annot_kws={"fontsize": 8}, cbar_kws={"label": "lift (log2 scale)", "shrink": 0.8}, linewidths=0.5)
    ax.set_yticklabels([_label(s, names) for s in data.index], rotation=0)
    ax.set_xticklabels(_pretty(data.columns), rotation=40, ha="right")
    ax.set(xlabel="", ylabel="", title=title)
    return ax


@_figure
def plot_profile_lines(
    wide: pd.DataFrame,
    *,
    names: Mapping[int, str] | None = None,
    max_features: int = 14,
    standardise: bool = True,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Snake plot: each segment's standardised feature means across the features.

    ``wide`` is segment x feature. With ``standardise`` (default) the segment means are
    z-scored across segments; pass already standardised differences (e.g.
    :meth:`segkit.profile.SegmentProfile.differences`) with ``standardise=False``.
    Segments whose figures are all missing (suppressed for privacy) are left out first, so
    that one small segment does not empty the plot.
    """
    data = wide.astype(float).dropna(axis=0, how="all").dropna(axis=1, how="any")
    if standardise:
        z = (data - data.mean()) / data.std(ddof=0).replace(0, np.nan)
    else:
        z = data
    z = z.dropna(axis=1, how="any")
    title = "Segment profiles (snake plot)"
    if z.shape[1] > max_features:
        title += f"\n{max_features} of {z.shape[1]} features: those that separate the segments most"
        z = z[z.abs().max().sort_values(ascending=False).index[:max_features]]
    ax = _ax(ax, (10, 4.8))
    pal = segment_palette(list(z.index))
    for seg, row in z.iterrows():
        ax.plot(range(z.shape[1]), row.values, marker="o", color=pal[int(seg)], label=_label(seg, names))
    ax.axhline(0, color="0.5", linewidth=0.8)
    ax.set_xticks(range(z.shape[1]))
    ax.set_xticklabels(_pretty(z.columns), rotation=40, ha="right")
    ylabel = ("segment mean, standardised" if standardise
              else "difference from the other customers\n(standard deviations)")
    ax.set(ylabel=ylabel, title=title)
    ax.legend(fontsize=8, loc="best")
    return ax


@_figure
def plot_rfm_grid(rfm: pd.DataFrame, *, value: str | None = None, ax: plt.Axes | None = None) -> plt.Axes:
    """Recency score x frequency score grid: customers per cell (or mean of ``value``)."""
    ax = _ax(ax, (7, 5.5))
    if value is None:
        grid = pd.crosstab(rfm["r_score"], rfm["f_score"])
        fmt, label = "d", "customers"
    else:
        grid = rfm.pivot_table(index="r_score", columns="f_score", values=value, aggfunc="mean")
        fmt, label = ".0f", f"mean {value}"
    grid = grid.sort_index(ascending=False)
    sns.heatmap(grid, ax=ax, cmap="Blues", annot=True, fmt=fmt, cbar_kws={"label": label}, linewidths=0.5)
    ax.set(xlabel="frequency score (5 = most orders)", ylabel="recency score (5 = most recent)",
           title="RFM grid: recency against frequency")
    return ax


@_figure
def plot_migration(
    migration: pd.DataFrame,
    *,
    names: Mapping[int, str] | None = None,
    old_names: Mapping[int, str] | None = None,
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Where each earlier segment's customers are now: shares of the row, counts written in.

    ``migration`` is :func:`segkit.monitor.migration_matrix` (rows: earlier segments and new
    customers; columns: segments now and customers gone); ``names`` name the segments now,
    ``old_names`` the earlier ones. Counts under ``min_cell_size``, and the cells that would
    reveal them from the totals, are neither written nor coloured; empty cells stay blank.
    """
    shown = suppress_count_table(migration, min_cell_size)
    hidden = shown.eq("hidden").to_numpy()
    shares = migration.div(migration.sum(axis=1).replace(0, np.nan), axis=0).mask(hidden)
    annot = np.where(hidden, "", migration.map(lambda v: f"{v:,}" if v else "").to_numpy())

    def label(value, which) -> str:
        return _label(value, which) if isinstance(value, int | np.integer) else str(value)

    ax = _ax(ax, (1.6 + 1.25 * migration.shape[1], 1.0 + 0.55 * migration.shape[0]))
    sns.heatmap(shares.astype(float), ax=ax, cmap="Blues", vmin=0, vmax=1, annot=annot, fmt="", linewidths=0.5,
                cbar_kws={"label": "share of the row's customers", "format": plt.matplotlib.ticker.PercentFormatter(1.0)},
                xticklabels=[label(c, names) for c in migration.columns],
                yticklabels=[label(r, old_names) for r in migration.index])
    ax.set(xlabel="segment now", ylabel="segment in the earlier run", title="Where each segment's customers went")
    ax.tick_params(axis="x", rotation=30)
    plt.setp(ax.get_xticklabels(), ha="right")
    return ax


@_figure
def plot_rfm_segments(rfm_segment: pd.Series, *, ax: plt.Axes | None = None) -> plt.Axes:
    """Customers per named RFM segment, largest first."""
    counts = rfm_segment.value_counts()
    ax = _ax(ax, (9, 0.6 + 0.38 * len(counts)))
    sns.barplot(x=counts.values, y=counts.index.astype(str), ax=ax, color="#4c72b0")
    for i, v in enumerate(counts.values):
        ax.annotate(f"{v:,}", (v, i), xytext=(3, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set(xlabel="customers", ylabel="", title="Named RFM segments")
    return ax


@_figure
def plot_response_rates(
    targeting: pd.DataFrame,
    *,
    break_even: float | None = None,
    line_label: str = "break-even",
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Response rate per segment with its confidence interval against the break-even rate.

    ``targeting`` has ``segment``, ``response_rate``, ``rate_low``, ``rate_high`` and,
    optionally, ``name``.
    """
    t = targeting.dropna(subset=["response_rate"]).reset_index(drop=True)
    ax = _ax(ax, (9, 0.8 + 0.5 * max(len(t), 2)))
    pal = segment_palette(t["segment"].astype(int).tolist())
    labels = [f"{s}: {n}" if "name" in t else f"Segment {s}" for s, n in zip(t["segment"], t.get("name", t["segment"]))]
    for i, row in t.iterrows():
        colour = pal[int(row["segment"])]
        ax.plot([row["rate_low"], row["rate_high"]], [i, i], color=colour, linewidth=3, alpha=0.7)
        ax.plot(row["response_rate"], i, "o", color=colour, markersize=8)
    top = -0.5
    if break_even is not None:
        # The line's label gets a row of its own above the first segment, so it never sits on
        # a segment's point or interval.
        top = -1.1
        ax.axvline(break_even, color="firebrick", linestyle="--", linewidth=1)
        lo, hi = ax.get_xlim()
        right_half = break_even > (lo + hi) / 2  # then the label goes left of the line, inside the axes
        ax.annotate(f"{line_label} {break_even:.1%} " if right_half else f" {line_label} {break_even:.1%}",
                    (break_even, -0.8), color="firebrick", ha="right" if right_half else "left",
                    va="center", fontsize=9)
    ax.set_yticks(range(len(t)))
    ax.set_yticklabels(labels)
    ax.set_ylim(len(t) - 0.5, top)  # first segment at the top
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set(xlabel="response rate to the last campaign (95% interval)", ylabel="",
           title="Who responds? Response rate per segment")
    return ax


@_figure
def plot_category_breakdown(
    breakdowns: pd.DataFrame,
    column: str | None = None,
    *,
    names: Mapping[int, str] | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """100% stacked bars: how each segment splits over the levels of a category.

    ``breakdowns`` is :attr:`SegmentProfile.breakdowns <segkit.profile.SegmentProfile>` (or
    the rows of one feature of it); ``column`` picks the feature. Levels are stacked in the
    order of its rows (an ordered scale in its order, other levels most frequent first).
    Cells the profile hid (small cells, small segments and the complementary cells that
    would give them away) are drawn as one grey, hatched part per segment, ``suppressed
    (small cells)``, so that no hidden share can be read on its own.

    Shares are of each segment's customers with a known value, as in the profile; how many
    values are missing is said under the plot.

    Examples
    --------
    >>> from segkit.profile import profile_segments
    >>> idx = pd.Index([f"c{i}" for i in range(40)], name="customer_id")
    >>> frame = pd.DataFrame({"device": ["iOS"] * 25 + ["Android"] * 15}, index=idx)
    >>> labels = pd.Series([0] * 20 + [1] * 20, index=idx, name="segment")
    >>> plot_category_breakdown(profile_segments(frame, labels).breakdowns, "device").get_title()
    'Device by segment'
    """
    part = _one_feature(breakdowns, column)
    column = part["feature"].iloc[0]
    order = list(dict.fromkeys(part["level"]))
    shares = part.pivot(index="segment", columns="level", values="share")[order]
    hidden = part.pivot(index="segment", columns="level", values="suppressed")[order].astype(bool)
    shares = shares.mask(hidden, 0.0)
    hidden_share = part.groupby("segment", sort=True)["suppressed_share"].first()
    ordered = bool(part["ordered"].iloc[0])
    ax = _ax(ax, (9, 0.8 + 0.5 * len(shares)))
    left = np.zeros(len(shares))
    colours = sns.color_palette("crest" if ordered else "Set2", n_colors=len(order))
    ylabels = [_label(s, names) for s in shares.index]
    for colour, level in zip(colours, order):
        ax.barh(ylabels, shares[level].to_numpy(), left=left, color=colour, label=str(level))
        left += shares[level].to_numpy()
    if (hidden_share > 0).any():
        ax.barh(ylabels, hidden_share.to_numpy(), left=left, color="0.85", hatch="//", edgecolor="0.6",
                linewidth=0, label=_SUPPRESSED)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    n_missing = int(part["missing"].iloc[0])
    xlabel = "share of the segment"
    if n_missing:
        # The total is public already (the data-quality table counts missing values).
        who = plural(n_missing, "customer without one is", "customers without one are")
        xlabel += f" (known values; {n_missing:,} {who} not counted)"
    # A survey question ("I trust Apple products") is already words: only code names are humanised.
    label = str(column) if " " in str(column) else _pretty([column])[0]
    ax.set(xlim=(0, 1), xlabel=xlabel, ylabel="", title=f"{label[:1].upper() + label[1:]} by segment")
    ax.legend(bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=9, frameon=False)
    return ax


def _one_feature(breakdowns: pd.DataFrame, column: str | None) -> pd.DataFrame:
    """The rows of one feature's breakdown; an error names the features there are."""
    features = list(dict.fromkeys(breakdowns["feature"]))
    if column is None and len(features) == 1:
        return breakdowns
    if column is None or column not in features:
        wanted = "a column" if column is None else repr(column)
        raise ColumnError(f"breakdowns: expected {wanted} among the profiled categorical features {features}")
    return breakdowns[breakdowns["feature"] == column]


@_figure
def plot_feature_by_segment(
    data: pd.DataFrame,
    column: str,
    labels: pd.Series,
    *,
    names: Mapping[int, str] | None = None,
    log: bool | None = None,
    hidden: Sequence[int] = (),
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Distribution of one numeric feature per segment (box plots, outliers hidden).

    The ``hidden`` segments (those whose figures the profile suppressed:
    :meth:`SegmentProfile.hidden_segments <segkit.profile.SegmentProfile.hidden_segments>`)
    keep their row, marked as suppressed, with no box; ``min_cell_size`` (the run's
    ``privacy.min_cell_size``) is only quoted in that mark. Segments without any value
    have no row.
    """
    frame = pd.DataFrame({"value": pd.to_numeric(data[column], errors="coerce"), "segment": labels.reindex(data.index)})
    frame = frame.dropna()
    frame["segment"] = frame["segment"].astype(int)
    order = sorted(frame["segment"].unique())
    small = [s for s in order if s in set(hidden)]
    frame = frame[~frame["segment"].isin(small)]
    if log is None:
        positive = frame["value"] > 0
        log = bool(positive.all() and frame["value"].quantile(0.99) > 20 * max(frame["value"].median(), 1e-9))
    ax = _ax(ax, (9, 0.8 + 0.5 * len(order)))
    pal = segment_palette(order)
    # seaborn draws the boxes from five numbers per segment that give exactly the boxes of every
    # customer's value (box_summary), so a million customers cost what a thousand do.
    # On a log axis the boxes and whiskers are computed from the logs (log_scale), so a few
    # near-zero values (a predicted CLV of 1e-13) do not stretch the axis over many decades.
    boxes = box_summary(frame["value"], frame["segment"], log=log)
    _draw_boxes(ax, boxes, order, pal, log=log)
    ax.set_yticks(range(len(order)), [_label(s, names) for s in order])
    for segment in small:
        ax.annotate(f"suppressed: fewer than {min_cell_size} customers", (0.01, order.index(segment)),
                    xycoords=("axes fraction", "data"), va="center", fontsize=9, color="0.4")
    label = _pretty([column])[0]
    ax.set(xlabel=label + (" (log scale)" if log else ""), ylabel="", title=f"{label[:1].upper() + label[1:]} by segment")
    return ax


def _draw_boxes(ax: plt.Axes, boxes: pd.DataFrame, order: Sequence[int], pal: Mapping[int, Any], *,
                log: bool) -> None:
    """Horizontal box plots, a row per segment of ``order`` (the first on top), drawn by ``Axes.bxp`` from
    :func:`~segkit.plot_data.box_summary`'s five numbers as seaborn's ``boxplot`` draws them (colours at 75%
    saturation, lines a gray darker than the lightest box), without its 0.1 s a figure of categorical axis."""
    colours = {s: sns.desaturate(pal[s], 0.75) for s in order}
    line = (min(colorsys.rgb_to_hls(*colour)[1] for colour in colours.values()) * 0.6 if colours else 0.0,) * 3
    row = {segment: i for i, segment in enumerate(order)}
    stats, drawn = [], []
    for segment, five in boxes.groupby("segment", sort=False)["value"]:
        whislo, q1, med, q3, whishi = five.to_numpy()
        stats.append({"whislo": whislo, "q1": q1, "med": med, "q3": q3, "whishi": whishi, "fliers": []})
        drawn.append(segment)
    if log:
        ax.set_xscale("log")
    if stats:
        artists = ax.bxp(stats, positions=[row[s] for s in drawn], widths=0.8, capwidths=0.4,
                         orientation="horizontal", patch_artist=True, showfliers=False, manage_ticks=False,
                         boxprops={"edgecolor": line}, medianprops={"color": line, "solid_capstyle": "butt"},
                         whiskerprops={"color": line, "solid_capstyle": "butt"}, capprops={"color": line})
        for box, segment in zip(artists["boxes"], drawn, strict=True):
            box.set_facecolor(colours[segment])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.yaxis.grid(False)


@_figure
def plot_attractiveness(table: pd.DataFrame, *, names: Mapping[int, str] | None = None,
                        ax: plt.Axes | None = None) -> plt.Axes:
    """Stacked bars of each segment's weighted attractiveness components, best first.

    ``table`` is indexed by segment (or has a ``segment`` column) and holds columns named
    ``<component>_points`` (already weighted) plus ``score``.
    """
    t = table.set_index("segment") if "segment" in table else table
    parts = [c for c in t.columns if c.endswith("_points")]
    t = t.sort_values("score", ascending=True)
    ax = _ax(ax, (9, 0.8 + 0.5 * len(t)))
    left = np.zeros(len(t))
    colours = sns.color_palette("Set2", n_colors=max(len(parts), 1))
    ylabels = [_label(s, names) for s in t.index]
    for colour, part in zip(colours, parts):
        ax.barh(ylabels, t[part].values, left=left, color=colour, label=part.removesuffix("_points"))
        left += t[part].fillna(0).values
    ax.set(xlabel="attractiveness score (sum of weighted components)", ylabel="",
           title="Which segments are most attractive?")
    ax.legend(loc="lower right", fontsize=9)
    return ax


@_figure
def plot_holdout_tracking(tracking: pd.DataFrame, *, model: str | None = None, calibration_end: str | None = None,
                          ax: plt.Axes | None = None) -> plt.Axes:
    """Cumulative purchases of the customers known at the calibration end, over the holdout:
    what they did (a line by day) against what the model and the naive baseline predicted.

    ``tracking`` is :func:`segkit.value.holdout.tracking` (indexed by day of the holdout;
    ``actual`` every day, ``predicted`` and ``baseline`` at some days).
    """
    ax = _ax(ax, (9, 4))
    ax.plot(tracking.index, tracking["actual"], color="0.15", lw=2, label="actual")
    styles = {"predicted": ("C0", "-", model or "model"), "baseline": ("C3", "--", "naive baseline (past rate)")}
    for column, (colour, dash, label) in styles.items():
        if column in tracking:
            points = tracking[column].dropna()
            ax.plot(np.r_[0, points.index], np.r_[0.0, points.to_numpy()], color=colour, ls=dash, marker="o",
                    ms=3, label=label)
    start = f" after {calibration_end}" if calibration_end else ""
    ax.set(xlabel=f"days into the holdout{start}", ylabel="cumulative repeat purchases",
           title="Holdout test: predicted against actual purchases")
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=9)
    return ax
