"""Segment profiles and plain-language segment names.

:func:`profile_segments` describes every segment against the whole customer base: size,
share and revenue share; mean and median of every numeric feature in every basis (not
only the clustered ones) with its lift; level shares of every categorical feature; an
effect size and a significance test per segment and feature, with Benjamini-Hochberg
correction over all tests of the profile. Its ``long`` table is ``profiles.csv``.
Missing values are left out the same way for both kinds: a mean is of the segment's
known values and so is a level share (a missing gender is a gap in the data, not a
gender); ``n`` says how many values a figure describes.

:func:`name_segments` turns the strongest effects into short names ("High-income wine
buyers", "Lapsed big spenders") and a one-sentence description with numbers. The words
come from :data:`TRAIT_WORDS`, a table (data, not code) that maps column names to
readable labels and to the adjective or noun used when the feature is high or low.

Small cells: every figure describing fewer than ``min_cell_size`` customers is
suppressed (NaN, with a ``suppressed`` flag) in every table the profile returns; a
segment smaller than ``min_cell_size`` is suppressed entirely. Category breakdowns then
get *complementary* suppression, because their totals are public (segment sizes, and
the level counts of the whole base through ``overall_share``): in each feature's
segment x level table of counts, a row or column with exactly one suppressed cell also
loses its smallest cell still shown, repeatedly, until every row and column has no
suppressed cell or at least two (:func:`segkit.privacy.complementary_suppression`).
The effect-size and test of a level cell hidden this way are hidden with it, and so is
the segment's Cramér's V for that feature, from which the hidden cells could be solved.
``suppressed_reason`` says why a figure is hidden: ``small segment``, ``small cell`` or
``complementary`` (empty when shown). With ``min_cell_size`` of 0 or 1 there is no
complementary suppression.

Examples
--------
>>> import pandas as pd
>>> from segkit.profile import profile_segments, name_segments
>>> idx = pd.Index([f"c{i}" for i in range(40)], name="customer_id")
>>> features = pd.DataFrame({"Income": [30_000.0] * 20 + [90_000.0] * 20,
...                          "MntWines": [50.0] * 20 + [600.0] * 20}, index=idx)
>>> labels = pd.Series([0] * 20 + [1] * 20, index=idx, name="segment")
>>> profile = profile_segments(features, labels)
>>> profile.lift.round(2)  # doctest: +NORMALIZE_WHITESPACE
         Income  MntWines  suppressed
segment
0           0.5      0.15       False
1           1.5      1.85       False
>>> name_segments(profile)["name"].tolist()
['Low-income customers', 'High-income wine buyers']
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from segkit.exceptions import ColumnError, ConfigError, DataError, SegkitWarning
from segkit.privacy import (
    DEFAULT_MIN_CELL_SIZE,
    complementary_suppression,
    find_identifier_columns,
    suppress_small_cells,
)

__all__ = ["SegmentProfile", "profile_segments", "name_segments", "humanise", "TRAIT_WORDS"]

OTHER_LEVEL = "(other)"
_NUMERIC_METRICS = ["mean", "median", "lift", "effect_size", "p_value", "p_adjusted"]
# Why a figure is hidden (``suppressed_reason``).
_SMALL_SEGMENT, _SMALL_CELL, _COMPLEMENTARY = "small segment", "small cell", "complementary"
_EFFECT_VALUES = ["n", "segment_value", "rest_value", "effect_size", "standardised", "statistic", "p_value"]


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
        them, complementary cells are suppressed (see module docs).
    overall : DataFrame
        Whole-base mean and median of each numeric feature (index ``feature``).
    bases : dict
        ``{feature: basis}`` used.
    skipped : dict
        ``{column: reason}`` for columns left out (identifiers, dates, free text).
    min_cell_size : int
    value_col : str or None
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

    def __repr__(self) -> str:
        kinds = self.effects.drop_duplicates("feature")["kind"].value_counts()
        hidden = int(self.long["suppressed"].sum()) if "suppressed" in self.long else 0
        sizes = self.summary["size"]
        small = int(sizes.isna().sum())
        base = f"{int(sizes.sum()):,} customers" if not small else f"{small} too small to show"
        lines = [
            f"SegmentProfile({len(self.summary)} segments, {base}; "
            f"{int(kinds.get('numeric', 0))} numeric and {int(kinds.get('categorical', 0))} categorical features)",
            f"  suppressed: {hidden:,} of {len(self.long):,} figures (min_cell_size {self.min_cell_size})",
        ]
        if self.skipped:
            lines.append("  skipped: " + ", ".join(f"{c} ({why})" for c, why in self.skipped.items()))
        lines.append("  tables: summary, long (profiles.csv), wide, lift, effects, categories, overall")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from segkit.tables import show

        head = repr(self).splitlines()[0]
        return f"<p><code>{html.escape(head)}</code></p>" + show(self.summary).to_html()

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
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype) and dtype.ordered:
        rank = {str(c): i for i, c in enumerate(dtype.categories)}
        return sorted(levels, key=lambda v: (rank.get(str(v), len(rank)), str(v)))
    return sorted(levels, key=str)


def _welch(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    if len(a) < 2 or len(b) < 2:
        return np.nan, np.nan
    if np.var(a) == 0 and np.var(b) == 0:
        return (0.0, 1.0) if np.mean(a) == np.mean(b) else (np.inf, 0.0)
    with warnings.catch_warnings():
        # scipy warns about precision when one group is (nearly) constant; the result stands.
        warnings.simplefilter("ignore", RuntimeWarning)
        result = stats.ttest_ind(a, b, equal_var=False)
    return float(result.statistic), float(result.pvalue)


def _mann_whitney(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    if len(a) < 1 or len(b) < 1:
        return np.nan, np.nan
    result = stats.mannwhitneyu(a, b, alternative="two-sided")
    return float(result.statistic), float(result.pvalue)


def _smd(a: np.ndarray, b: np.ndarray) -> float:
    n1, n2 = len(a), len(b)
    if n1 < 2 or n2 < 2:
        return np.nan
    pooled = math.sqrt(((n1 - 1) * np.var(a, ddof=1) + (n2 - 1) * np.var(b, ddof=1)) / (n1 + n2 - 2))
    diff = float(np.mean(a) - np.mean(b))
    if pooled == 0:
        # Constant within both groups: any difference is infinitely many SDs.
        return 0.0 if diff == 0 else math.copysign(math.inf, diff)
    return diff / pooled


def _bh(p: pd.Series) -> pd.Series:
    out = pd.Series(np.nan, index=p.index)
    ok = p.notna()
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok].to_numpy(dtype=float), method="bh")
    return out


def _reasons(suppressed: pd.Series, segment_small: pd.Series) -> pd.Series:
    reason = np.where(~suppressed, "", np.where(segment_small, _SMALL_SEGMENT, _SMALL_CELL))
    return pd.Series(reason, index=suppressed.index, dtype="string")


def _complementary(categories: pd.DataFrame, effects: pd.DataFrame, counts: pd.Series):
    """Complementary suppression of every feature's segment x level table (see module docs)."""
    extra = pd.Series(False, index=categories.index)
    for _, part in categories.groupby("feature", sort=False):
        cells = pd.DataFrame({"segment": part["segment"], "level": part["level"], "count": counts[part.index],
                              "hidden": part["suppressed"]})
        table = cells.pivot(index="segment", columns="level", values="count")
        hidden = cells.pivot(index="segment", columns="level", values="hidden").astype(bool)
        more = complementary_suppression(table, hidden).stack()
        extra[part.index] = more.reindex(pd.MultiIndex.from_frame(cells[["segment", "level"]])).to_numpy(dtype=bool)
    if extra.any():
        categories = categories.copy()
        categories.loc[extra, ["count", "share", "lift"]] = np.nan
        categories.loc[extra, "suppressed"] = True
        categories.loc[extra, "suppressed_reason"] = _COMPLEMENTARY
    hidden_cells = set(zip(categories.loc[extra, "segment"], categories.loc[extra, "feature"],
                           categories.loc[extra, "level"]))
    # A segment's chi-square over all levels (Cramér's V) is one equation in its hidden
    # cells, whose sum is known: it is hidden whenever any of its level cells is.
    rows_with_hidden = set(zip(categories.loc[categories["suppressed"], "segment"],
                               categories.loc[categories["suppressed"], "feature"]))
    keys = list(zip(effects["segment"], effects["feature"], effects["level"]))
    hide = np.array([key in hidden_cells or (key[2] == "" and (key[0], key[1]) in rows_with_hidden)
                     for key in keys], dtype=bool) & ~effects["suppressed"].to_numpy(dtype=bool)
    hide &= (effects["kind"] == "categorical").to_numpy()
    if hide.any():
        effects = effects.copy()
        for column in _EFFECT_VALUES:
            if pd.api.types.is_integer_dtype(effects[column]):
                effects[column] = effects[column].astype("float64")
        effects.loc[hide, _EFFECT_VALUES] = np.nan
        effects.loc[hide, "suppressed"] = True
        effects.loc[hide, "suppressed_reason"] = _COMPLEMENTARY
    return categories, effects


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
        Cells describing fewer customers are suppressed (see module docs).
    numeric_test : {"welch", "mannwhitney"}
        Segment-vs-rest test for numeric features: Welch's t-test (default) or the
        Mann-Whitney U test (rank based, for skewed spend data).
    max_levels : int
        Categorical features with more levels keep the most frequent ``max_levels - 1``
        and pool the rest as ``(other)``.

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
    common = features.index.intersection(labels.index)
    if len(common) == 0:
        raise DataError("features and labels share no customer ids; expected both indexed by customer_id")
    if len(common) < max(len(features), len(labels)):
        warnings.warn(f"{max(len(features), len(labels)) - len(common)} customers are in only one of "
                      "features and labels and are left out of the profile", SegkitWarning, stacklevel=2)
    labels = labels.loc[common]
    if labels.isna().any():
        raise DataError(f"labels has {int(labels.isna().sum())} missing values; expected a segment for every customer")
    features = features.loc[common]
    bases = dict(bases if bases is not None else features.attrs.get("bases", {}) or {})
    skipped: dict[str, str] = {}
    numeric, categorical = _column_kinds(features, max_levels, skipped)
    basis_of = {c: bases.get(c, "other") for c in numeric + categorical}
    seg = labels.to_numpy()
    segments = np.sort(pd.unique(seg))
    sizes = pd.Series(seg).value_counts().reindex(segments).astype("int64")
    n_total = int(sizes.sum())
    small = {s: bool(sizes[s] < min_cell_size) for s in segments}

    # ---- summary
    summary = pd.DataFrame({"size": sizes.to_numpy(), "share": (sizes / n_total).to_numpy()},
                           index=pd.Index(segments, name="segment"))
    if value_col is not None:
        value = pd.to_numeric(features[value_col], errors="coerce").astype("float64")
        revenue = value.groupby(seg).sum().reindex(segments)
        summary["revenue"] = revenue.to_numpy()
        total = float(value.sum())
        summary["revenue_share"] = (revenue / total).to_numpy() if total != 0 else np.nan
        summary["revenue_per_customer"] = summary["revenue"] / summary["size"]
    summary = suppress_small_cells(summary, count_col="size", min_cell_size=min_cell_size)

    # ---- numeric features
    num = features[numeric].apply(pd.to_numeric, errors="coerce").astype("float64") if numeric else pd.DataFrame(
        index=features.index)
    grouped = num.groupby(seg, sort=True)
    means, medians, counts = grouped.mean(), grouped.median(), grouped.count()
    overall = pd.DataFrame({"mean": num.mean(), "median": num.median(), "n": num.count()})
    overall.index.name = "feature"
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = means / overall["mean"].where(overall["mean"] != 0)
    effect_rows = []
    for column in numeric:
        values = num[column].to_numpy()
        present = ~np.isnan(values)
        for s in segments:
            in_seg = seg == s
            a, b = values[in_seg & present], values[~in_seg & present]
            stat, p = _welch(a, b) if numeric_test == "welch" else _mann_whitney(a, b)
            d = _smd(a, b)
            effect_rows.append({
                "segment": s, "basis": basis_of[column], "feature": column, "level": "", "kind": "numeric",
                "n": len(a), "segment_value": float(np.mean(a)) if len(a) else np.nan,
                "rest_value": float(np.mean(b)) if len(b) else np.nan, "overall_value": overall.at[column, "mean"],
                "effect_size": d, "effect_measure": "smd", "standardised": d,
                "test": "welch_t" if numeric_test == "welch" else "mann_whitney", "statistic": stat, "p_value": p,
            })

    # ---- categorical features
    category_rows = []
    for column in categorical:
        values = _categorical_values(features[column], max_levels)
        known = values.notna().to_numpy()
        table = pd.crosstab(pd.Series(seg[known], name="segment"),
                            pd.Series(values.to_numpy()[known], name="level"))
        table = table.reindex(index=segments, fill_value=0)
        levels = _level_order(features[column], table.columns)
        table = table[levels]
        overall_counts = table.sum(axis=0)
        n_known = int(overall_counts.sum())
        overall_share = overall_counts / n_known if n_known else overall_counts * np.nan
        for s in segments:
            row = table.loc[s]
            rest = overall_counts - row
            n_seg, n_rest = int(row.sum()), int(rest.sum())
            for level in levels:
                k_seg, k_rest = int(row[level]), int(rest[level])
                p_seg = k_seg / n_seg if n_seg else np.nan
                p_rest = k_rest / n_rest if n_rest else np.nan
                chi2, p_value = np.nan, np.nan
                if n_seg and n_rest and 0 < k_seg + k_rest < n_known:
                    chi2, p_value = stats.chi2_contingency([[k_seg, n_seg - k_seg], [k_rest, n_rest - k_rest]],
                                                           correction=False)[:2]
                h = 2 * math.asin(math.sqrt(p_seg)) - 2 * math.asin(math.sqrt(p_rest)) if n_rest else np.nan
                category_rows.append({
                    "segment": s, "basis": basis_of[column], "feature": column, "level": str(level),
                    "count": k_seg, "share": p_seg, "overall_share": float(overall_share[level]),
                    "lift": p_seg / float(overall_share[level]) if overall_share[level] > 0 else np.nan,
                })
                effect_rows.append({
                    "segment": s, "basis": basis_of[column], "feature": column, "level": str(level),
                    "kind": "categorical", "n": k_seg, "segment_value": p_seg, "rest_value": p_rest,
                    "overall_value": float(overall_share[level]), "effect_size": p_seg - p_rest,
                    "effect_measure": "share_diff", "standardised": h, "test": "chi2",
                    "statistic": float(chi2), "p_value": float(p_value),
                })
            # Segment vs rest across all levels: chi-square and Cramér's V (2 x L table).
            v, chi2, p_value = np.nan, np.nan, np.nan
            observed = np.vstack([row.to_numpy(), rest.to_numpy()])
            observed = observed[:, observed.sum(axis=0) > 0]
            if n_seg and n_rest and observed.shape[1] > 1:
                chi2, p_value = stats.chi2_contingency(observed, correction=False)[:2]
                v = math.sqrt(chi2 / n_known)
            effect_rows.append({
                "segment": s, "basis": basis_of[column], "feature": column, "level": "", "kind": "categorical",
                "n": n_seg, "segment_value": np.nan, "rest_value": np.nan, "overall_value": np.nan,
                "effect_size": v, "effect_measure": "cramers_v", "standardised": np.nan, "test": "chi2",
                "statistic": float(chi2), "p_value": float(p_value),
            })

    effects = pd.DataFrame(effect_rows, columns=[
        "segment", "basis", "feature", "level", "kind", "n", "segment_value", "rest_value", "overall_value",
        "effect_size", "effect_measure", "standardised", "test", "statistic", "p_value"])
    # Suppress before adjusting so that suppressed tests do not enter the family.
    seg_small = effects["segment"].map(small).astype(bool)
    # An empty level (0 customers) describes nobody: shown, as in count tables
    # (privacy.suppress_count_table), so a level a segment lacks does not hide its others.
    empty_level = (effects["n"] == 0) & (effects["level"] != "")
    effects = suppress_small_cells(effects, count_col=effects["n"].mask(empty_level, min_cell_size).where(~seg_small, 0),
                                   min_cell_size=min_cell_size, columns=_EFFECT_VALUES)
    effects["suppressed_reason"] = _reasons(effects["suppressed"], seg_small)

    categories = pd.DataFrame(category_rows, columns=[
        "segment", "basis", "feature", "level", "count", "share", "overall_share", "lift"])
    cat_small = categories["segment"].map(small).astype(bool)
    raw_counts = categories["count"]
    cells = raw_counts.mask(raw_counts == 0, min_cell_size)  # empty cells are shown (see above)
    categories = suppress_small_cells(categories, count_col=cells.where(~cat_small, 0),
                                      min_cell_size=min_cell_size, columns=["count", "share", "lift"])
    categories["suppressed_reason"] = _reasons(categories["suppressed"], cat_small)
    if min_cell_size > 1 and len(categories):
        categories, effects = _complementary(categories, effects, raw_counts)
    effects.insert(effects.columns.get_loc("p_value") + 1, "p_adjusted", _bh(effects["p_value"]))
    effects = effects.reset_index(drop=True)

    # ---- suppression of numeric cells: small segments, or fewer non-missing values than the minimum
    numeric_small = (counts < min_cell_size) if numeric else pd.DataFrame(index=segments)
    for frame in (means, medians, lift):
        frame[numeric_small] = np.nan
    seg_flag = pd.Series([small[s] for s in segments], index=pd.Index(segments, name="segment"))

    # ---- wide and lift tables
    wide = means.copy()
    for column in categorical:
        part = categories[categories["feature"] == column].pivot(index="segment", columns="level", values="share")
        part = part[_level_order(features[column], part.columns)]
        part.columns = [f"{column}={level}" for level in part.columns]
        wide = wide.join(part, how="outer") if len(wide.columns) else part
    wide = wide.reindex(segments)
    wide.index.name = "segment"
    wide["suppressed"] = seg_flag.to_numpy()
    lift = lift.reindex(segments)
    lift.index.name = "segment"
    lift["suppressed"] = seg_flag.to_numpy()

    long = _long_table(summary, means, medians, lift, counts, effects, categories, numeric, categorical,
                       basis_of, value_col, segments)
    return SegmentProfile(summary=summary, long=long, wide=wide, lift=lift, effects=effects,
                          categories=categories.reset_index(drop=True), overall=overall, bases=basis_of,
                          skipped=skipped, min_cell_size=min_cell_size, value_col=value_col)


def _long_table(summary, means, medians, lift, counts, effects, categories, numeric, categorical, basis_of,
                value_col, segments) -> pd.DataFrame:
    rows = []
    order = {c: i for i, c in enumerate(numeric + categorical)}
    summary_metrics = [m for m in ("size", "share", "revenue", "revenue_share") if m in summary.columns]
    for s in segments:
        suppressed = bool(summary.at[s, "suppressed"])
        reason = _SMALL_SEGMENT if suppressed else ""
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


# --------------------------------------------------------------------------- names

#: Words for traits, matched in order on the column name lower-cased with ``_`` and spaces
#: removed. Each entry: regex, label (used in descriptions), the adjective and the noun
#: used when the segment is *high* on the feature, and those used when it is *low*
#: (``None``: this side does not name a segment), and whether a ratio to the average
#: reads well ("2.3x the average") or a comparison of values does ("1985 vs 1969").
TRAIT_WORDS: list[dict] = [
    {"pattern": r"^mntwines?$|wine", "label": "wine spend", "high": ("Wine-loving", "wine buyers"), "low": None},
    {"pattern": r"^mntfruits?$|fruit", "label": "fruit spend", "high": ("Fruit-loving", "fruit buyers"),
     "low": None},
    {"pattern": r"^mntmeat|meat", "label": "meat spend", "high": ("Meat-loving", "meat buyers"), "low": None},
    {"pattern": r"^mntfish|fish", "label": "fish spend", "high": ("Fish-loving", "fish buyers"), "low": None},
    {"pattern": r"^mntsweet|sweet", "label": "sweets spend", "high": ("Sweet-toothed", "sweets buyers"),
     "low": None},
    {"pattern": r"^mntgold|gold", "label": "gold spend", "high": ("Gold-buying", "gold buyers"), "low": None},
    {"pattern": r"deal", "label": "deal purchases", "high": ("Deal-seeking", "deal seekers"),
     "low": ("Full-price", None)},
    {"pattern": r"numwebpurchases|webpurchases", "label": "web purchases", "high": ("Online", "web shoppers"),
     "low": ("Offline", None)},
    {"pattern": r"catalog", "label": "catalogue purchases", "high": ("Catalogue", "catalogue shoppers"),
     "low": None},
    {"pattern": r"store", "label": "store purchases", "high": ("In-store", "store shoppers"), "low": None},
    {"pattern": r"webvisit|sitevisit|pageview", "label": "web visits", "high": ("Browsing", "web browsers"),
     "low": ("Rarely-browsing", None)},
    {"pattern": r"visit", "label": "visits", "high": ("Frequent-visiting", "frequent visitors"),
     "low": ("Rarely-visiting", None)},
    {"pattern": r"income|salary|revenu(?!e)|einkommen|ingreso|reddito|salaire|salario|gehalt", "label": "income",
     "high": ("High-income", None), "low": ("Low-income", None)},
    {"pattern": r"yearbirth|birthyear|^yob$", "label": "birth year", "high": ("Young", None),
     "low": ("Older", None), "ratio": False},
    {"pattern": r"^age$|^agegroup$|^customerage$|^alter$|^edad$|^eta$|^idade$|^leeftijd$", "label": "age",
     "high": ("Older", None), "low": ("Young", None), "ratio": False},
    # A derived total of children (kids + teens) must not read like the young-children count.
    {"pattern": r"^(num|n|total)?children$|^childrencount$", "label": "children (all ages)",
     "high": ("Family", "families"), "low": ("Child-free", None), "concept": "children"},
    {"pattern": r"kid|child", "label": "children at home", "high": ("Family", "families"),
     "low": ("Child-free", None), "concept": "children"},
    {"pattern": r"teen", "label": "teenagers at home", "high": ("Teen-parent", "parents of teens"),
     "low": None},
    {"pattern": r"recency", "label": "days since last purchase", "high": ("Lapsed", None),
     "low": ("Recent", None)},
    {"pattern": r"avgdaysbetween|interpurchase", "label": "days between orders", "high": ("Occasional", None),
     "low": ("Regular", None)},
    {"pattern": r"avgordervalue|aov|basket", "label": "average order value", "high": ("Big-basket", None),
     "low": ("Small-basket", None)},
    {"pattern": r"^frequency$|orders|^purchases$", "label": "orders",
     "high": ("Frequent", "regulars"), "low": ("Infrequent", None), "low_single": ("One-off", None)},
    {"pattern": r"clv|lifetimevalue", "label": "customer lifetime value", "high": ("High-value", "high-value customers"),
     "low": ("Low-value", None)},
    {"pattern": r"monetary|revenue|totalspend|^spend(?!ingscore)|^spent|^sales$|^value$"
                r"|^(montant)?depenses$|^ausgaben$|^umsatz$|^gastos?$|^spesa$|^uitgaven$|^montant$|^betrag$",
     "label": "spend",
     "high": ("High-spend", "big spenders"), "low": ("Low-spend", "light spenders")},
    {"pattern": r"tenure|dtcustomer|customersince", "label": "tenure", "high": ("Long-standing", None),
     "low": ("New", None)},
    {"pattern": r"returnrate|returns", "label": "return rate", "high": ("Returning", "returners"), "low": None},
    {"pattern": r"response|acceptedcmp|accepted|campaign", "label": "campaign response",
     "high": ("Responsive", "campaign responders"), "low": ("Unresponsive", None)},
    {"pattern": r"complain", "label": "complaints", "high": ("Complaining", None), "low": None},
    {"pattern": r"^mnt", "label": None, "high": (None, "buyers"), "low": None},
    {"pattern": r"^num.*purchases$", "label": None, "high": (None, "shoppers"), "low": None},
]

#: Readable words for category levels (matched lower-case); others are used as written.
LEVEL_WORDS: dict[str, str] = {
    "graduation": "Graduate", "2n cycle": "Second-cycle", "basic": "Basic-education", "master": "Master's",
    "phd": "PhD", "together": "Cohabiting", "married": "Married", "single": "Single", "divorced": "Divorced",
    "widow": "Widowed", "alone": "Single", "absurd": "Other-status", "yolo": "Other-status",
}

#: Category levels that are answers rather than descriptions (Likert scales, yes/no, grades,
#: numbers): a segment is named by the question and the answer ("Recommend-strongly-agree").
_GENERIC_LEVEL = re.compile(
    r"(strongly |somewhat |completely |very |fairly |not (at all )?)?"
    r"(agree|disagree|neutral|neither( agree)? nor disagree|satisfied|dissatisfied|unsatisfied|likely|unlikely"
    r"|important|unimportant|yes|no|true|false|y|n|high|medium|low|none|some|many|always|often|sometimes"
    r"|rarely|never)"
    r"|[+-]?\d+([.,]\d+)?"
)

#: Words for the values of ``share_<column>_<value>`` features, where the raw value misleads.
SHARE_VALUE_WORDS: dict[str, str] = {"home": "homeware", "app": "app", "web": "web", "store": "store"}

#: Abbreviations in column names, written out in labels: 'amt' -> 'amount', 'qty' -> 'quantity'.
_ABBREVIATIONS = {"amt": "amount", "qty": "quantity", "qnty": "quantity", "txn": "transaction", "txns": "transactions",
                  "trx": "transaction", "cust": "customer", "cnt": "count", "pct": "percent", "perc": "percent",
                  "yr": "year", "yrs": "years", "mth": "month", "mths": "months"}

_ACRONYMS = {"id", "uk", "us", "usa", "eu", "ip", "phd", "clv", "rfm", "aov", "sms"}


def humanise(column: str) -> str:
    """Readable label for a column name.

    ``MntWines`` -> ``wine spend``, ``NumWebPurchases`` -> ``web purchases``,
    ``share_channel_web`` -> ``web channel share``; unknown names are split on case
    changes, underscores and punctuation and lower-cased.

    Examples
    --------
    >>> [humanise(c) for c in ["MntWines", "NumWebPurchases", "recency_days", "Income",
    ...                        "share_channel_web", "Annual Income (k$)", "SpendingScore"]]
    ['wine spend', 'web purchases', 'days since last purchase', 'income', 'web channel share', 'income', 'spending score']
    """
    entry = _trait_entry(column)
    if entry is not None and entry.get("label"):
        return entry["label"]
    share = re.match(r"^share_(.+?)_(.+)$", str(column))
    if share:
        return f"{_clean(share.group(2))} {_clean(share.group(1))} share"
    return _clean(column)


def _clean(name) -> str:
    text = str(name)
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"^(Mnt|Num)(?=[A-Z])", "", text)
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)
    text = re.sub(r"[\W_]+", " ", text).strip().lower()  # letters of any alphabet stay: 'Dépenses vins'

    words = [_ABBREVIATIONS.get(w, w) for w in text.split()]
    words = [w.upper() if w in _ACRONYMS and w not in ("phd",) else ("PhD" if w == "phd" else w) for w in words]
    return " ".join(words) if words else str(name)


def _key(name) -> str:
    """Lower-case letters and digits without accents, for matching :data:`TRAIT_WORDS`: 'Âge' -> 'age'."""
    text = unicodedata.normalize("NFKD", str(name).lower())
    return re.sub(r"[^a-z0-9]", "", "".join(ch for ch in text if not unicodedata.combining(ch)))


def _trait_entry(column) -> dict | None:
    key = _key(column)
    if key.startswith("share"):
        return None
    for entry in TRAIT_WORDS:
        if re.search(entry["pattern"], key):
            return entry
    return None


def _hyphenate(text: str) -> str:
    return "-".join(text.split())


def _trait_words(feature: str, level: str, high: bool, *, value: float | None = None,
                 yes_no: bool = False) -> tuple[str | None, str | None]:
    """(adjective, noun) naming a segment that is high (or low) on a feature or level.

    ``value`` is the segment's mean (a low order count near 1 reads "One-off", else
    "Infrequent"); ``yes_no`` marks a 0/1 feature, named by its label ("Paperless-billing",
    "Non-paperless-billing") since "high" and "low" mean little for an answer; a leading verb
    is dropped ("IsMember": "Member" / "Non-member"; "HasPet": "With-pet" / "Without-pet").
    """
    if yes_no and not level:
        label = humanise(feature)
        verb = re.match(r"^(is|was|are|has|have|had) (.+)$", label)
        if verb and verb.group(1).startswith("ha"):  # 'HasKids' -> 'With-kids' / 'Without-kids'
            word = _hyphenate(verb.group(2))
            return (f"With-{word}" if high else f"Without-{word}"), None
        word = _hyphenate(verb.group(2) if verb else label)  # 'IsMember' -> 'Member' / 'Non-member'
        return ((word[:1].upper() + word[1:]) if high else f"Non-{word}"), None
    if level:
        text = str(level)
        if text.lower() not in LEVEL_WORDS and _GENERIC_LEVEL.fullmatch(text.strip().lower()):
            # 'Strongly disagree', 'Yes', '3' say nothing without their question
            text = f"{humanise(feature)} {text.lower()}"
        word = LEVEL_WORDS.get(text.lower(), _hyphenate(text))
        return (word[:1].upper() + word[1:], None) if high else (None, None)
    share = re.match(r"^share_(.+?)_(.+)$", str(feature))
    if share:
        if not high:
            return None, None
        value, group = _clean(share.group(2)), _clean(share.group(1))
        value = SHARE_VALUE_WORDS.get(value, value)
        if group in ("channel", "device", "platform"):
            return f"{_hyphenate(value)}-{group}", f"{value} shoppers"
        if group in ("category", "product", "department"):
            return _hyphenate(value).capitalize(), f"{value} buyers"
        if group in ("country", "region", "city", "state", "market") and value != "other":
            return " ".join(w if w.isupper() else w.capitalize() for w in value.split()), None
        return _hyphenate(f"{value} {group}").capitalize(), None
    entry = _trait_entry(feature)
    if entry is not None:
        forms = entry["high"] if high else entry["low"]
        if not high and entry.get("low_single") and value is not None and value <= 1.5:
            forms = entry["low_single"]
        if forms is None:
            return None, None
        adj, noun = forms
        if entry["pattern"] == r"^mnt" and noun:
            noun = f"{_clean(feature)} {noun}"
            adj = f"{_hyphenate(_clean(feature)).capitalize()}-buying"
        if entry["pattern"] == r"^num.*purchases$" and noun:
            stem = _clean(feature).replace(" purchases", "")
            noun, adj = f"{stem} {noun}", _hyphenate(stem).capitalize()
        return adj, noun
    return (("High-" if high else "Low-") + _hyphenate(_clean(feature)), None)


def _combine_nouns(first: str, second: str) -> str | None:
    """'wine buyers' + 'meat buyers' -> 'wine and meat buyers' (same head noun only)."""
    a, b = first.rsplit(" ", 1), second.rsplit(" ", 1)
    if len(a) == 2 and len(b) == 2 and a[1] == b[1]:
        return f"{a[0]} and {b[0]} {a[1]}"
    return None


#: Smallest standardised effect of a trait named after the first: a segment 0.97x the average
#: on orders is not "low-orders".
_NAME_MIN_EFFECT = 0.2


def _compose(traits: list[dict], n_traits: int, max_words: int) -> str:
    adjectives: list[str] = []
    noun: str | None = None
    used = 0
    for trait in traits:
        if used >= n_traits:
            break
        if used and trait.get("strength", np.inf) < _NAME_MIN_EFFECT:
            continue
        adj, trait_noun = _trait_words(trait["feature"], trait["level"], trait["high"],
                                       value=trait["segment_value"], yes_no=trait.get("yes_no", False))
        if trait_noun and noun is None:
            noun = trait_noun
        elif trait_noun and noun and _combine_nouns(noun, trait_noun) and not adjectives:
            noun = _combine_nouns(noun, trait_noun)
        elif adj and adj not in adjectives:
            # Lower-case inside the name ("Low-income offline customers"), except levels
            # and acronyms, which keep their spelling ("PhD", "UK").
            if not trait["level"] and not adj[:2].isupper():
                adj = adj[:1].lower() + adj[1:]
            adjectives.append(adj)
        else:
            continue
        used += 1
    words = adjectives + [noun or "customers"]
    name = " ".join(words)
    while len(name.split()) > max_words and adjectives:
        adjectives.pop()
        name = " ".join(adjectives + [noun or "customers"])
    name = name[:1].upper() + name[1:]
    return name


def _number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2g}"


def _describe(traits: list[dict], profile: SegmentProfile, n: int = 3) -> str:
    parts = []
    for trait in traits[:n]:
        feature, level = trait["feature"], trait["level"]
        if level:
            parts.append(f"{trait['segment_value']:.0%} {level} ({humanise(feature)}) vs {trait['overall_value']:.0%} "
                         "overall")
            continue
        label = humanise(feature)
        entry = _trait_entry(feature) or {}
        seg_value, overall = trait["segment_value"], trait["overall_value"]
        if trait.get("yes_no"):
            parts.append(f"{label}: {seg_value:.0%} vs {overall:.0%} overall")
            continue
        ratio_ok = entry.get("ratio", True) and overall and overall > 0 and seg_value >= 0
        if ratio_ok:
            ratio = seg_value / overall
            text = f"{ratio:.1f}x" if ratio >= 0.95 else f"{ratio:.2f}x"
            parts.append(f"{label} {text} the average" if not parts else f"{label} {text}")
        else:
            parts.append(f"{label} {_number(seg_value)} vs {_number(overall)} on average")
    if not parts:
        return "No feature stands out from the rest of the customer base."
    sentence = "; ".join(parts) + "."
    return sentence[:1].upper() + sentence[1:]


def _yes_no_features(profile: SegmentProfile) -> set:
    """Numeric features holding 0/1 answers, judged from the profile.

    Every segment mean lies in [0, 1] and every median (segments and overall) is 0, 1 or,
    for an even split, 0.5.
    Features with their own words in :data:`TRAIT_WORDS` (campaign responses, complaints)
    and ``share_*`` features keep those.
    """
    long = profile.long
    rows = long[long["metric"].isin(["mean", "median"]) & (long["level"] == "") & (long["feature"] != "")]
    overall = profile.overall
    found = set()
    for feature, part in rows.groupby("feature", sort=False):
        if str(feature).startswith("share_") or _trait_entry(feature) is not None or feature not in overall.index:
            continue
        means = part.loc[part["metric"] == "mean", "value"].dropna()
        medians = pd.concat([part.loc[part["metric"] == "median", "value"].dropna(),
                             pd.Series([overall.at[feature, "median"]])])
        if len(means) and means.between(0, 1).all() and medians.isin([0, 0.5, 1]).all():
            found.add(feature)
    return found


def _ranked_traits(profile: SegmentProfile, segment, alpha: float, yes_no: set = frozenset()) -> list[dict]:
    effects = profile.effects
    rows = effects[(effects["segment"] == segment) & ~effects["suppressed"]
                   & (effects["effect_measure"] != "cramers_v") & effects["standardised"].notna()]
    # Category levels name a segment only by what it has more of.
    rows = rows[(rows["kind"] == "numeric") | (rows["standardised"] > 0)]
    rows = rows.assign(_abs=rows["standardised"].astype(float).abs(),
                       _sig=(rows["p_adjusted"] < alpha).fillna(False).astype(int),
                       _order=np.arange(len(rows)))
    rows = rows.sort_values(["_sig", "_abs", "_order"], ascending=[False, False, True], kind="stable")
    traits, seen = [], set()
    for _, row in rows.iterrows():
        # One trait per feature, and per concept (kids_home and children read the same).
        entry = _trait_entry(row["feature"])
        concept = (entry or {}).get("concept") or humanise(row["feature"])
        if row["feature"] in seen or concept in seen or row["_abs"] < 0.05:
            continue
        flag = row["kind"] == "numeric" and row["feature"] in yes_no
        adj, noun = _trait_words(row["feature"], row["level"], bool(row["standardised"] > 0),
                                 value=row["segment_value"], yes_no=flag)
        if adj is None and noun is None:
            continue
        seen.update({row["feature"], concept})
        traits.append({"feature": row["feature"], "level": row["level"], "high": bool(row["standardised"] > 0),
                       "segment_value": row["segment_value"], "overall_value": row["overall_value"],
                       "yes_no": flag, "strength": float(row["_abs"])})
    return traits


def name_segments(
    profile: SegmentProfile,
    *,
    overrides: Mapping | None = None,
    max_words: int = 5,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Short, unique, plain-language names and one-sentence descriptions for segments.

    Traits are ranked by their standardised effect (``profile.effects``: SMD for numbers,
    Cohen's h for category levels), significant ones (``p_adjusted < alpha``) first; the
    top two become an adjective and a noun from :data:`TRAIT_WORDS` ("Lapsed big
    spenders"), and the description quotes the top three with numbers. Duplicate names
    get the next trait added, then the segment number, in segment order; suppressed
    segments are called "Small segment <id>".

    Parameters
    ----------
    profile : SegmentProfile
    overrides : mapping, optional
        ``{segment: name}`` replacing generated names (config ``segment_names``).
    max_words : int
        Longest name in words (hyphenated words count as one).
    alpha : float
        Significance level for preferring a trait.

    Returns
    -------
    DataFrame
        Index ``segment``; columns ``name`` and ``description``.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.Index([str(i) for i in range(60)], name="customer_id")
    >>> f = pd.DataFrame({"recency_days": [300.0] * 30 + [10.0] * 30,
    ...                   "monetary": [900.0] * 30 + [50.0] * 30}, index=idx)
    >>> f.iloc[::7] *= 1.1  # some spread
    >>> labels = pd.Series([0] * 30 + [1] * 30, index=idx, name="segment")
    >>> names = name_segments(profile_segments(f, labels), overrides={1: "Fresh faces"})
    >>> names["name"].tolist()
    ['Lapsed big spenders', 'Fresh faces']
    >>> names.loc[0, "description"]
    'Days since last purchase 1.9x the average; spend 1.9x.'
    """
    if max_words < 1:
        raise ConfigError(f"max_words must be >= 1, got {max_words!r}")
    segments = list(profile.summary.index)
    fixed: dict = {}
    for key, value in dict(overrides or {}).items():
        match = [s for s in segments if s == key or str(s) == str(key)]
        if not match:
            raise ConfigError(f"segment_names: segment {key!r} does not exist; segments are {segments}")
        fixed[match[0]] = str(value)
    taken = {v.lower() for v in fixed.values()}
    if len(taken) < len(fixed):
        raise ConfigError(f"segment_names: names must be unique, got {list(fixed.values())}")
    names, descriptions = {}, {}
    yes_no = _yes_no_features(profile)
    for s in segments:
        if bool(profile.summary.at[s, "suppressed"]):
            names[s] = fixed.get(s, f"Small segment {s}")
            descriptions[s] = (f"Fewer than {profile.min_cell_size} customers: figures suppressed for privacy.")
            taken.add(names[s].lower())
            continue
        traits = _ranked_traits(profile, s, alpha, yes_no)
        descriptions[s] = _describe(traits, profile)
        if s in fixed:
            names[s] = fixed[s]
            continue
        candidates = [_compose(traits, k, max_words) for k in (2, 3, 4)]
        candidates.append(_compose(traits, 1, max_words - 1) + f" #{s}")
        name = next((c for c in candidates if c.lower() not in taken), candidates[-1])
        names[s] = name
        taken.add(name.lower())
    out = pd.DataFrame({"name": pd.Series(names, dtype="string"),
                        "description": pd.Series(descriptions, dtype="string")})
    out.index.name = "segment"
    return out
