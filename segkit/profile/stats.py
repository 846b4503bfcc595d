"""Segment statistics: every figure a profile shows, computed once, small cells hidden.

:func:`profile_segments` describes every segment against the whole customer base: size,
share and revenue share; mean and median of every numeric feature in every basis (not
only the clustered ones) with its lift; level shares of every categorical feature; an
effect size and a significance test per segment and feature, with Benjamini-Hochberg
correction over all tests of the profile; and the category breakdowns the report draws.
Its ``long`` table is ``profiles.csv``. Missing values are left out the same way for both
kinds: a mean is of the segment's known values and so is a level share (a missing gender
is a gap in the data, not a gender); ``n`` says how many values a figure describes.

Small cells are hidden as :mod:`segkit.profile.suppression` decides, in every table the
profile returns; figures drawn from the profile (:mod:`segkit.plots`) show exactly that.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from segkit.exceptions import ColumnError, ConfigError, DataError, SegkitWarning, user_stacklevel
from segkit.io.weights import effective_size
from segkit.privacy import DEFAULT_MIN_CELL_SIZE, find_identifier_columns, suppress_small_cells
from segkit.profile.effects import bh_adjust, categorical_effects, numeric_effects
from segkit.profile.suppression import (
    SMALL_SEGMENT,
    breakdown_cells,
    hide_numeric_cells,
    suppress_categories,
    suppress_effects,
)
from segkit.profile.weighted import level_tables, numeric_tables, weighted_numeric_effects
from segkit.report.style import show
from segkit.segment.validation import index_duplicates

__all__ = ["BREAKDOWN_LEVELS", "OTHER_LEVEL", "SegmentProfile", "profile_segments"]

OTHER_LEVEL = "(other)"
#: Most levels a drawn category breakdown keeps (the rest pooled as ``(other)``).
BREAKDOWN_LEVELS = 8
_NUMERIC_METRICS = ["mean", "median", "lift", "effect_size", "p_value", "p_adjusted"]
_EFFECT_COLUMNS = ["segment", "basis", "feature", "level", "kind", "n", "segment_value", "rest_value",
                   "overall_value", "effect_size", "effect_measure", "standardised", "test", "statistic", "p_value"]
_BREAKDOWN_COLUMNS = ["segment", "basis", "feature", "level", "count", "share", "suppressed", "suppressed_reason",
                      "suppressed_share", "ordered", "missing"]


@dataclass
class SegmentProfile:
    """Everything :func:`profile_segments` computes, as tidy pandas tables.

    Attributes
    ----------
    summary : DataFrame
        Index ``segment``: ``size``, ``share`` and, with a value column, ``revenue``,
        ``revenue_share`` and ``revenue_per_customer``; ``suppressed``.
    long : DataFrame
        One row per segment and metric (``profiles.csv``): ``segment, basis, feature,
        metric, level, value, n, suppressed, suppressed_reason`` (``small segment``,
        ``small cell``, ``complementary``, or empty when shown). Metrics: ``size, share, revenue,
        revenue_share`` (feature empty); per numeric feature ``mean, median, lift,
        effect_size, p_value, p_adjusted``; per categorical level ``share, overall_share,
        lift, effect_size, p_value, p_adjusted``; per categorical feature (level empty)
        ``cramers_v, p_value, p_adjusted``. Sorted by segment, then feature in table
        order, then metric, then level.
    wide : DataFrame
        Segment x feature: means of numeric features and ``feature=level`` shares of
        categorical ones; ``suppressed`` marks suppressed segments.
    lift : DataFrame
        Segment x numeric feature: segment mean / overall mean; ``suppressed``.
    effects : DataFrame
        One row per segment and numeric feature, categorical level, and categorical
        feature: values in the segment, the rest and overall, ``effect_size`` and
        ``effect_measure`` (``smd``: standardised mean difference against the rest of
        the base; ``share_diff``: level share minus share in the rest; ``cramers_v``),
        ``standardised`` (SMD, or Cohen's h for levels: comparable across features),
        ``test``, ``statistic``, ``p_value`` and ``p_adjusted`` (Benjamini-Hochberg over
        every test in the table), ``n``, ``suppressed``, ``suppressed_reason``.
    categories : DataFrame
        Category breakdowns: ``segment, basis, feature, level, count, share,
        overall_share, lift, suppressed, suppressed_reason``; small cells and, to protect
        them, complementary cells are suppressed (see :mod:`segkit.profile.suppression`).
    overall : DataFrame
        Whole-base mean and median of each numeric feature (index ``feature``).
    bases : dict
        ``{feature: basis}`` used.
    skipped : dict
        ``{column: reason}`` for columns left out (identifiers, dates, free text).
    min_cell_size : int
    value_col : str or None
    breakdowns : DataFrame
        What a category breakdown figure draws (:func:`segkit.plots.plot_category_breakdown`),
        for every categorical and yes/no feature: at most ``BREAKDOWN_LEVELS`` levels per
        feature, rows in the order they are stacked (an ordered scale in its order, other
        levels most frequent first). ``segment, basis, feature, level, count, share``
        (of the segment's known values; both NaN when hidden), ``suppressed``,
        ``suppressed_reason``, ``suppressed_share`` (the segment's share in hidden cells,
        drawn as one part so that no hidden share can be read alone), ``ordered`` (the
        feature is an ordered scale) and ``missing`` (customers without a value).
    names : dict
        ``{segment: name}`` once the segments are named (:func:`segkit.profile.name_segments`;
        the analysis sets it), shown by the displays; empty before.
    people : str
        What the rows are called in tables and text: ``customers``, or ``respondents`` for a
        survey (:func:`segkit.profile.labels.audience`; the analysis sets it).
    """

    summary: pd.DataFrame
    long: pd.DataFrame
    wide: pd.DataFrame
    lift: pd.DataFrame
    effects: pd.DataFrame
    categories: pd.DataFrame
    overall: pd.DataFrame
    bases: dict = field(default_factory=dict)
    skipped: dict = field(default_factory=dict)
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE
    value_col: str | None = None
    breakdowns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_BREAKDOWN_COLUMNS))
    names: dict = field(default_factory=dict)
    people: str = "customers"

    def __repr__(self) -> str:
        kinds = self.effects.drop_duplicates("feature")["kind"].value_counts()
        hidden = int(self.long["suppressed"].sum()) if "suppressed" in self.long else 0
        sizes = self.summary["size"]
        small = int(sizes.isna().sum())
        base = f"{int(sizes.sum()):,} {self.people}" if not small else f"{small} too small to show"
        lines = [
            f"SegmentProfile({len(self.summary)} segments, {base}; "
            f"{int(kinds.get('numeric', 0))} numeric and {int(kinds.get('categorical', 0))} categorical features)",
            f"  suppressed: {hidden:,} of {len(self.long):,} figures (min_cell_size {self.min_cell_size})",
        ]
        if self.skipped:
            lines.append("  skipped: " + ", ".join(f"{c} ({why})" for c, why in self.skipped.items()))
        if self.names:
            lines.append("  names: " + "; ".join(f"{s} {name}" for s, name in self.names.items()))
        lines.append("  tables: summary, long (profiles.csv), wide, lift, effects, categories, overall, breakdowns")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = repr(self).splitlines()[0]
        summary = self.summary
        if self.names:
            summary = summary.copy()
            summary.insert(0, "name", [self.names.get(s, "") for s in summary.index])
        return f"<p><code>{html.escape(head)}</code></p>" + show(summary).to_html()

    def differences(self, features: list[str] | None = None) -> pd.DataFrame:
        """Segment x numeric feature: standardised mean difference from the rest (SMD).

        Comparable across features and meaningful for any number of segments (a z-score
        of the segment means is always +-1 with two segments); suppressed cells are NaN.

        Parameters
        ----------
        features : list of str, optional
            Numeric features to keep, in this order (default: all).
        """
        numeric = self.effects[self.effects["kind"] == "numeric"]
        table = numeric.pivot(index="segment", columns="feature", values="standardised").astype("float64")
        if features is not None:
            table = table.reindex(columns=[f for f in features if f in table.columns])
        table.columns.name = None
        return table

    def hidden_segments(self, feature: str) -> list:
        """Segments whose figures for the numeric ``feature`` are hidden (too few known values).

        Examples
        --------
        >>> idx = pd.Index([f"c{i}" for i in range(25)], name="customer_id")
        >>> f = pd.DataFrame({"spend": [10.0] * 20 + [90.0] * 5}, index=idx)
        >>> profile_segments(f, pd.Series([0] * 20 + [1] * 5, index=idx)).hidden_segments("spend")
        [1]
        """
        rows = self.effects[(self.effects["feature"] == feature) & (self.effects["kind"] == "numeric")]
        return rows.loc[rows["suppressed"].astype(bool), "segment"].tolist()


# --------------------------------------------------------------------------- helpers


def _column_kinds(features: pd.DataFrame, max_levels: int, skip: dict) -> tuple[list[str], list[str]]:
    numeric, categorical = [], []
    identifiers = set(find_identifier_columns(features))
    for column in features.columns:
        series = features[column]
        if column in identifiers:
            skip[column] = "looks like a personal identifier"
        elif pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.is_timedelta64_dtype(series):
            skip[column] = "date column (profiled through recency_days / tenure_days)"
        elif pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
            numeric.append(column)
        else:
            n_unique = series.nunique(dropna=True)
            if n_unique > max(50, max_levels) and n_unique > 0.5 * series.notna().sum():
                skip[column] = f"free text or id-like ({n_unique} distinct values)"
            else:
                categorical.append(column)
    return numeric, categorical


def _categorical_values(series: pd.Series, max_levels: int) -> pd.Series:
    """Levels as text; missing values stay missing (they are not a level)."""
    values = series.astype("string")
    counts = values.value_counts()
    if len(counts) > max_levels:
        keep = set(counts.sort_values(ascending=False, kind="stable").index[: max_levels - 1])
        values = values.where(values.isin(keep).fillna(False) | values.isna(), OTHER_LEVEL)
    return values


def _level_order(series: pd.Series, levels) -> list:
    """``levels`` in the order of an ordered category's scale (levels it lacks, such as
    ``Other``, last by name); by name for any other column.

    Examples
    --------
    >>> tier = pd.Series(pd.Categorical(["Gold"], categories=["Bronze", "Silver", "Gold"], ordered=True))
    >>> _level_order(tier, ["Gold", "Bronze", "Silver"]), _level_order(tier.astype(str), ["Gold", "Bronze"])
    (['Bronze', 'Silver', 'Gold'], ['Bronze', 'Gold'])
    """
    if _is_ordered(series):
        rank = {str(c): i for i, c in enumerate(series.dtype.categories)}
        return sorted(levels, key=lambda v: (rank.get(str(v), len(rank)), str(v)))
    return sorted(levels, key=str)


def _is_ordered(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.CategoricalDtype) and bool(series.dtype.ordered)


def _level_counts(series: pd.Series, seg: np.ndarray, segments: np.ndarray, max_levels: int, weights=None):
    """Segment x level counts of one column's known values, levels in :func:`_level_order`; with
    ``weights``, :func:`segkit.profile.weighted.level_tables` (effective counts, cell sizes, shares)."""
    values = _categorical_values(series, max_levels)
    if weights is not None:
        return level_tables(values, seg, segments, weights, lambda levels: _level_order(series, levels))
    known = values.notna().to_numpy()
    table = pd.crosstab(pd.Series(seg[known], name="segment"), pd.Series(values.to_numpy()[known], name="level"))
    table = table.reindex(index=segments, fill_value=0)
    return table[_level_order(series, table.columns)]


# --------------------------------------------------------------------------- profiles


def profile_segments(
    features: pd.DataFrame,
    labels: pd.Series,
    *,
    bases: Mapping[str, str] | None = None,
    value_col: str | None = None,
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE,
    numeric_test: str = "welch",
    max_levels: int = 20,
    breakdown_levels: int = BREAKDOWN_LEVELS,
    weights: pd.Series | None = None,
) -> SegmentProfile:
    """Profile each segment against the whole customer base.

    Parameters
    ----------
    features : DataFrame
        Customer feature table indexed by ``customer_id``; every column is profiled,
        whatever basis it belongs to. Identifier-like columns, dates and free text are
        skipped (listed in ``profile.skipped``).
    labels : Series or array-like
        Segment per customer (named ``segment``), indexed like ``features``; an array (such
        as :attr:`Segmenter.labels_ <segkit.segment.Segmenter>`) is taken in the row order of
        ``features``.
    bases : mapping, optional
        ``{column: basis}``; default ``features.attrs["bases"]`` when present, else
        ``"other"`` for every column.
    value_col : str, optional
        Revenue-like column (e.g. ``monetary``) for the revenue figures of the summary.
    min_cell_size : int
        Cells describing fewer customers are suppressed (see :mod:`segkit.profile.suppression`).
    numeric_test : {"welch", "mannwhitney"}
        Segment-vs-rest test for numeric features: Welch's t-test (default) or the
        Mann-Whitney U test (rank based, for skewed spend data).
    max_levels : int
        Categorical features with more levels keep the most frequent ``max_levels - 1``
        and pool the rest as ``(other)``.
    breakdown_levels : int
        Likewise for the drawn breakdowns (``profile.breakdowns``), which must stay readable.
    weights : Series, optional
        Survey weights per customer (``survey.weight``, indexed like ``features``): means, medians,
        level shares and tests are weighted and the small-cell check counts effective sizes
        (:mod:`segkit.profile.weighted`); the summary gains ``weighted_share`` and ``n_eff`` beside
        the raw ``size`` and ``share``. ``numeric_test="mannwhitney"`` is then Welch's t (no
        weighted rank test).

    Returns
    -------
    SegmentProfile

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.Index([str(i) for i in range(50)], name="customer_id")
    >>> f = pd.DataFrame({"Income": [40.0] * 20 + [60.0] * 30,
    ...                   "Education": ["Basic"] * 14 + ["Master"] * 3 + ["PhD"] * 3
    ...                                + ["Basic", "Master", "PhD"] * 10}, index=idx)
    >>> labels = pd.Series([0] * 20 + [1] * 30, index=idx, name="segment")
    >>> p = profile_segments(f, labels, bases={"Income": "demographic", "Education": "demographic"})
    >>> p.summary  # doctest: +NORMALIZE_WHITESPACE
             size  share  suppressed
    segment
    0          20    0.4       False
    1          30    0.6       False

    Segment 0 has 3 customers with a Master's and 3 with a PhD: too few to show. Segment 1's
    Master's and PhD counts (10 each) are hidden too, or 13 - 10 would give segment 0's away.

    >>> p.categories[["segment", "level", "count", "share", "suppressed_reason"]]
       segment   level  count     share suppressed_reason
    0        0   Basic   14.0  0.700000
    1        0  Master    NaN       NaN        small cell
    2        0     PhD    NaN       NaN        small cell
    3        1   Basic   10.0  0.333333
    4        1  Master    NaN       NaN     complementary
    5        1     PhD    NaN       NaN     complementary
    """
    features, labels = _aligned(features, labels, value_col=value_col, numeric_test=numeric_test)
    bases = dict(bases if bases is not None else features.attrs.get("bases", {}) or {})
    skipped: dict[str, str] = {}
    numeric, categorical = _column_kinds(features, max_levels, skipped)
    basis_of = {c: bases.get(c, "other") for c in numeric + categorical}
    seg = labels.to_numpy()
    segments = np.sort(pd.unique(seg))
    sizes = pd.Series(seg).value_counts().reindex(segments).astype("int64")
    w = None if weights is None else weights.reindex(features.index).fillna(0.0).to_numpy(dtype=float)
    summary = _summary(features, seg, segments, sizes, value_col, min_cell_size, w)
    small = {s: bool(summary.at[s, "suppressed"]) for s in segments}
    num = numeric_frame(features, numeric)
    if w is None:
        grouped = num.groupby(seg, sort=True)
        means, medians, counts = grouped.mean(), grouped.median(), grouped.count()
        overall = pd.DataFrame({"mean": num.mean(), "median": num.median(), "n": num.count()})
        overall.index.name = "feature"
    else:
        means, medians, counts, overall = numeric_tables(num, seg, segments, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = means / overall["mean"].where(overall["mean"] != 0)
    effect_rows = numeric_effects(num, seg, segments, overall, basis_of, numeric_test) if w is None else \
        weighted_numeric_effects(num, seg, segments, overall, basis_of, w)
    category_rows: list[dict] = []
    cell_n: dict = {}  # with weights: each (segment, feature, level) cell's effective size
    for column in categorical:
        table = _level_counts(features[column], seg, segments, max_levels, w)
        if w is None:
            categorical_effects(table, column, basis_of[column], category_rows, effect_rows)
            continue
        table, cells, shares = table
        categorical_effects(table, column, basis_of[column], category_rows, effect_rows, overall_share=shares)
        cell_n.update({(s, column, str(lv)): cells.at[s, lv] for s in cells.index for lv in cells.columns})

    # Suppress before adjusting so that suppressed tests do not enter the family.
    effects = pd.DataFrame(effect_rows, columns=_EFFECT_COLUMNS)
    effects = suppress_effects(effects, small, min_cell_size, _cell_sizes(effects, cell_n, w))
    categories = pd.DataFrame(category_rows, columns=[
        "segment", "basis", "feature", "level", "count", "share", "overall_share", "lift"])
    categories, effects = suppress_categories(categories, effects, small, min_cell_size,
                                              _cell_sizes(categories, cell_n, w))
    effects.insert(effects.columns.get_loc("p_value") + 1, "p_adjusted", bh_adjust(effects["p_value"]))
    effects = effects.reset_index(drop=True)
    if numeric:
        hide_numeric_cells(counts, min_cell_size, means, medians, lift)

    seg_flag = pd.Series([small[s] for s in segments], index=pd.Index(segments, name="segment"))
    wide = _wide(means, categories, features, categorical, segments, seg_flag)
    lift = lift.reindex(segments)
    lift.index.name = "segment"
    lift["suppressed"] = seg_flag.to_numpy()
    long = _long_table(summary, means, medians, lift, counts, effects, categories, numeric, categorical,
                       basis_of, value_col, segments)
    drawn = categorical + [c for c in numeric if pd.api.types.is_bool_dtype(features[c])]
    breakdowns = _breakdowns(features, drawn, seg, segments, basis_of, breakdown_levels, min_cell_size, w, small)
    return SegmentProfile(summary=summary, long=long, wide=wide, lift=lift, effects=effects,
                          categories=categories.reset_index(drop=True), overall=overall, bases=basis_of,
                          skipped=skipped, min_cell_size=min_cell_size, value_col=value_col, breakdowns=breakdowns)


def _aligned(features, labels, *, value_col, numeric_test) -> tuple[pd.DataFrame, pd.Series]:
    """Check the inputs; return the features and labels of the customers in both."""
    if numeric_test not in ("welch", "mannwhitney"):
        raise ConfigError(f"The value for `numeric_test` must be one of ['welch', 'mannwhitney'], "
                          f"but {numeric_test!r} was passed.")
    if not isinstance(features, pd.DataFrame):
        raise DataError("profile_segments expects a feature DataFrame and a label Series indexed by customer_id")
    if not isinstance(labels, pd.Series):
        labels = np.asarray(labels)
        if labels.shape != (len(features),):
            raise DataError(f"labels: {labels.shape[0] if labels.ndim else 0} labels for {len(features)} customers; "
                            f"expected one label per row of features (or a Series indexed by customer_id)")
        labels = pd.Series(labels, index=features.index, name="segment")
    if value_col is not None and value_col not in features.columns:
        raise ColumnError(f"features: value column {value_col!r} not found; available columns: "
                          f"{list(features.columns)}")
    if features.index.equals(labels.index) and not index_duplicates(features.index).any():
        # the usual case (labels of these very customers): no copy of a million-row table
        if labels.isna().any():
            raise DataError(f"labels has {int(labels.isna().sum())} missing values; expected a segment for every "
                            "customer")
        return features, labels
    common = features.index.intersection(labels.index)
    if len(common) == 0:
        raise DataError("features and labels share no customer ids; expected both indexed by customer_id")
    if len(common) < max(len(features), len(labels)):
        warnings.warn(f"{max(len(features), len(labels)) - len(common)} customers are in only one of "
                      "features and labels and are left out of the profile", SegkitWarning,
                      stacklevel=user_stacklevel())
    labels = labels.loc[common]
    if labels.isna().any():
        raise DataError(f"labels has {int(labels.isna().sum())} missing values; expected a segment for every customer")
    return features.loc[common], labels


def numeric_frame(features: pd.DataFrame, numeric: list[str]) -> pd.DataFrame:
    """The ``numeric`` columns of ``features`` as float64 (what is not a number missing), sharing
    the columns that are float64 already rather than copying a million-row table.

    >>> numeric_frame(pd.DataFrame({"a": [1.5, 2.0], "b": [1, 2], "c": ["3", "x"]}), ["a", "b", "c"]).dtypes.tolist()
    [dtype('float64'), dtype('float64'), dtype('float64')]
    """
    num = features[numeric]
    convert = [c for c in numeric if num[c].dtype != np.float64]
    if convert:
        num = num.assign(**{c: pd.to_numeric(num[c], errors="coerce").astype("float64") for c in convert})
    return num


def _cell_sizes(table: pd.DataFrame, cell_n: dict, w) -> pd.Series | None:
    """The respondents each row of ``effects`` or ``categories`` describes, with weights (None without):
    a level cell's own effective size, else the row's ``n`` (already effective)."""
    if w is None:
        return None
    n = table["n"] if "n" in table else table["count"]
    keys = zip(table["segment"], table["feature"], table["level"].astype(str))
    return pd.Series([cell_n.get(key, value) for key, value in zip(keys, n)], index=table.index, dtype="float64")


def _summary(features, seg, segments, sizes, value_col, min_cell_size, w=None) -> pd.DataFrame:
    """Size, share and (with a value column) revenue per segment; small segments hidden. With
    weights ``w``, ``weighted_share`` and ``n_eff`` too, and a segment is small by its ``n_eff``."""
    n_total = int(sizes.sum())
    summary = pd.DataFrame({"size": sizes.to_numpy(), "share": (sizes / n_total).to_numpy()},
                           index=pd.Index(segments, name="segment"))
    if w is not None:
        summary["weighted_share"] = [float(w[seg == s].sum()) / float(w.sum()) for s in segments]
        summary["n_eff"] = [effective_size(w[seg == s]) for s in segments]
    if value_col is not None:
        value = pd.to_numeric(features[value_col], errors="coerce").astype("float64")
        revenue = value.groupby(seg).sum().reindex(segments)
        summary["revenue"] = revenue.to_numpy()
        total = float(value.sum())
        summary["revenue_share"] = (revenue / total).to_numpy() if total != 0 else np.nan
        summary["revenue_per_customer"] = summary["revenue"] / summary["size"]
    return suppress_small_cells(summary, count_col="size" if w is None else "n_eff", min_cell_size=min_cell_size)


def _wide(means, categories, features, categorical, segments, seg_flag) -> pd.DataFrame:
    """Segment x feature: numeric means, then ``feature=level`` shares."""
    wide = means.copy()
    for column in categorical:
        part = categories[categories["feature"] == column].pivot(index="segment", columns="level", values="share")
        part = part[_level_order(features[column], part.columns)]
        part.columns = [f"{column}={level}" for level in part.columns]
        wide = wide.join(part, how="outer") if len(wide.columns) else part
    wide = wide.reindex(segments)
    wide.index.name = "segment"
    wide["suppressed"] = seg_flag.to_numpy()
    return wide


def _breakdowns(features, columns, seg, segments, basis_of, max_levels, min_cell_size, w=None,
                small=None) -> pd.DataFrame:
    """``SegmentProfile.breakdowns``: each column's drawn breakdown, small cells hidden (with weights
    ``w``: weighted shares, effective counts, cells hidden by their effective sizes)."""
    parts = []
    for column in columns:
        series = features[column]
        counts = _level_counts(series, seg, segments, max_levels, w)
        counts, cells = (counts, counts) if w is None else counts[:2]
        # with weights, a segment hidden as a whole (by its n_eff) is hidden here too, whatever its answers' n_eff
        sizes = None if w is None else counts.sum(axis=1).where(~pd.Series(small).reindex(counts.index), 0.0)
        hidden, why = breakdown_cells(cells, min_cell_size, sizes)
        shares = counts.div(counts.sum(axis=1), axis=0)
        ordered = _is_ordered(series)
        # An ordered scale is stacked in its order (lowest first); other levels most frequent first.
        order = counts.columns if ordered else counts.sum(axis=0).sort_values(ascending=False, kind="stable").index
        part = pd.DataFrame({
            "segment": np.repeat(counts.index.to_numpy(), len(order)),
            "level": np.tile(np.asarray(order, dtype=object), len(counts)).astype(str),
            "count": counts[order].mask(hidden[order]).to_numpy(dtype="float64").ravel(),
            "share": shares[order].mask(hidden[order]).to_numpy(dtype="float64").ravel(),
            "suppressed": hidden[order].to_numpy(dtype=bool).ravel(),
            "suppressed_reason": why[order].to_numpy(dtype=object).ravel(),
            "suppressed_share": np.repeat(shares.where(hidden, 0.0).sum(axis=1).to_numpy(), len(order)),
        })
        part.insert(1, "basis", basis_of.get(column, "other"))
        part.insert(2, "feature", column)
        part["ordered"] = ordered
        part["missing"] = int(series.isna().sum())
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=_BREAKDOWN_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["suppressed_reason"] = out["suppressed_reason"].astype("string")
    return out[_BREAKDOWN_COLUMNS]


def _long_table(summary, means, medians, lift, counts, effects, categories, numeric, categorical, basis_of,
                value_col, segments) -> pd.DataFrame:
    rows = []
    order = {c: i for i, c in enumerate(numeric + categorical)}
    summary_metrics = [m for m in ("size", "share", "weighted_share", "revenue", "revenue_share") if m in summary.columns]
    for s in segments:
        suppressed = bool(summary.at[s, "suppressed"])
        reason = SMALL_SEGMENT if suppressed else ""
        for rank, metric in enumerate(summary_metrics):
            rows.append((s, "", value_col if metric.startswith("revenue") else "", metric, "",
                         summary.at[s, metric], summary.at[s, "size"], suppressed, reason, -1, rank, -1))
    eff = effects.set_index(["segment", "feature", "level"])
    for column in numeric:
        for s in segments:
            n = counts.at[s, column]
            e = eff.loc[(s, column, "")]
            cell_suppressed = bool(e["suppressed"])
            values = {"mean": means.at[s, column], "median": medians.at[s, column], "lift": lift.at[s, column],
                      "effect_size": e["effect_size"], "p_value": e["p_value"], "p_adjusted": e["p_adjusted"]}
            for rank, metric in enumerate(_NUMERIC_METRICS):
                rows.append((s, basis_of[column], column, metric, "", values[metric],
                             np.nan if cell_suppressed else n, cell_suppressed, e["suppressed_reason"],
                             order[column], rank, -1))
    cat = categories.set_index(["segment", "feature", "level"])
    level_metrics = ["share", "overall_share", "lift", "effect_size", "p_value", "p_adjusted"]
    for column in categorical:
        for s in segments:
            e = eff.loc[(s, column, "")]
            for rank, metric in enumerate(["cramers_v", "p_value", "p_adjusted"]):
                value = e["effect_size"] if metric == "cramers_v" else e[metric]
                rows.append((s, basis_of[column], column, metric, "", value,
                             np.nan if e["suppressed"] else e["n"], bool(e["suppressed"]), e["suppressed_reason"],
                             order[column], rank, -1))
            levels = categories.loc[(categories["segment"] == s) & (categories["feature"] == column), "level"]
            for position, level in enumerate(levels):  # the profile's level order (scale order when ordered)
                c = cat.loc[(s, column, level)]
                el = eff.loc[(s, column, level)]
                cell_suppressed = bool(c["suppressed"])
                values = {"share": c["share"], "overall_share": np.nan if cell_suppressed else c["overall_share"],
                          "lift": c["lift"], "effect_size": el["effect_size"], "p_value": el["p_value"],
                          "p_adjusted": el["p_adjusted"]}
                for rank, metric in enumerate(level_metrics):
                    rows.append((s, basis_of[column], column, metric, level, values[metric],
                                 c["count"], cell_suppressed, c["suppressed_reason"], order[column], 3 + rank,
                                 position))
    long = pd.DataFrame(rows, columns=["segment", "basis", "feature", "metric", "level", "value", "n",
                                       "suppressed", "suppressed_reason", "_order", "_rank", "_level"])
    long = long.sort_values(["segment", "_order", "_level", "_rank"], kind="stable")
    long = long.drop(columns=["_order", "_rank", "_level"]).reset_index(drop=True)
    long["value"] = long["value"].astype("float64")
    long["n"] = long["n"].astype("float64")
    for column in ("basis", "feature", "metric", "level", "suppressed_reason"):
        long[column] = long[column].fillna("").astype("string")
    return long
