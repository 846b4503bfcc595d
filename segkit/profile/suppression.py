"""Small-cell suppression of a segment profile: every hidden figure is decided here, once.

A figure describing fewer than ``min_cell_size`` customers is hidden, and so is every
figure of a segment that small. Category breakdowns then get *complementary* suppression,
because their totals are public (segment sizes, and the level counts of the whole base):
in each feature's segment x level table of counts, a row or column with exactly one hidden
cell also loses its smallest cell still shown, repeatedly
(:func:`segkit.privacy.complementary_suppression`). The effect size and test of a level
cell hidden this way are hidden with it, and so is the segment's Cramér's V for that
feature, from which the hidden cells could be solved. With ``min_cell_size`` of 0 or 1
there is no complementary suppression.

``suppressed_reason`` says why a figure is hidden: :data:`SMALL_SEGMENT`,
:data:`SMALL_CELL` or :data:`COMPLEMENTARY` (empty when shown).

Examples
--------
>>> import pandas as pd
>>> labels = pd.Series([0] * 12 + [1] * 12, name="segment")
>>> clv = pd.Series([5.0] * 12 + [9.0] * 4 + [None] * 8)
>>> sparse_segments(clv, labels, min_cell_size=10)
[1]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.privacy import complementary_suppression, suppress_small_cells

__all__ = ["COMPLEMENTARY", "EFFECT_VALUES", "SMALL_CELL", "SMALL_SEGMENT", "breakdown_cells", "hide_numeric_cells",
           "reasons", "sparse_segments", "suppress_categories", "suppress_effects"]

SMALL_SEGMENT, SMALL_CELL, COMPLEMENTARY = "small segment", "small cell", "complementary"
#: The columns of ``SegmentProfile.effects`` that a hidden row blanks.
EFFECT_VALUES = ["n", "segment_value", "rest_value", "effect_size", "standardised", "statistic", "p_value"]


def reasons(suppressed: pd.Series, segment_small: pd.Series) -> pd.Series:
    """``suppressed_reason`` of each row: small segment, small cell, or empty when shown."""
    reason = np.where(~suppressed, "", np.where(segment_small, SMALL_SEGMENT, SMALL_CELL))
    return pd.Series(reason, index=suppressed.index, dtype="string")


def suppress_effects(effects: pd.DataFrame, small: dict, min_cell_size: int,
                     sizes: pd.Series | None = None) -> pd.DataFrame:
    """Hide the effects of small segments and of cells describing fewer than ``min_cell_size``.

    An empty level (0 customers) describes nobody: it is shown, as in count tables
    (:func:`segkit.privacy.suppress_count_table`), so a level a segment lacks does not hide
    its others. ``sizes`` (aligned to the rows) replaces ``n`` as the number of respondents a row
    describes (with survey weights: each cell's effective size).
    """
    seg_small = effects["segment"].map(small).astype(bool)
    n = effects["n"] if sizes is None else sizes
    empty_level = (n == 0) & (effects["level"] != "")
    effects = suppress_small_cells(effects, count_col=n.mask(empty_level, min_cell_size).where(~seg_small, 0),
                                   min_cell_size=min_cell_size, columns=EFFECT_VALUES)
    effects["suppressed_reason"] = reasons(effects["suppressed"], seg_small)
    return effects


def suppress_categories(categories: pd.DataFrame, effects: pd.DataFrame, small: dict,
                        min_cell_size: int, sizes: pd.Series | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hide small cells of the category breakdowns, then their complementary cells.

    Returns the suppressed ``categories`` and ``effects`` (whose level cells and Cramér's V
    follow the complementary cells). ``sizes`` (aligned to the rows) replaces ``count`` as the
    number of respondents a cell describes (with survey weights: its effective size).
    """
    cat_small = categories["segment"].map(small).astype(bool)
    raw_counts = categories["count"] if sizes is None else sizes
    cells = raw_counts.mask(raw_counts == 0, min_cell_size)  # empty cells are shown (see suppress_effects)
    categories = suppress_small_cells(categories, count_col=cells.where(~cat_small, 0),
                                      min_cell_size=min_cell_size, columns=["count", "share", "lift"])
    categories["suppressed_reason"] = reasons(categories["suppressed"], cat_small)
    if min_cell_size > 1 and len(categories):
        categories, effects = _complementary(categories, effects, raw_counts)
    return categories, effects


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
        categories.loc[extra, "suppressed_reason"] = COMPLEMENTARY
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
        for column in EFFECT_VALUES:
            if pd.api.types.is_integer_dtype(effects[column]):
                effects[column] = effects[column].astype("float64")
        effects.loc[hide, EFFECT_VALUES] = np.nan
        effects.loc[hide, "suppressed"] = True
        effects.loc[hide, "suppressed_reason"] = COMPLEMENTARY
    return categories, effects


def hide_numeric_cells(counts: pd.DataFrame, min_cell_size: int, *tables: pd.DataFrame) -> None:
    """Blank, in place, the segment x feature cells of ``tables`` (means, medians, lift) whose
    ``counts`` of known values are under ``min_cell_size`` (small segments included)."""
    small = counts < min_cell_size
    for table in tables:
        table[small] = np.nan


def breakdown_cells(counts: pd.DataFrame, min_cell_size: int,
                    sizes: pd.Series | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hidden cells of one segment x level table of counts, as the report's breakdowns show it.

    A segment with fewer than ``min_cell_size`` known values hides all its cells; a cell of 1
    to ``min_cell_size - 1`` customers is hidden, and so are the complementary cells that
    would give it away. Empty cells are shown. ``sizes`` replaces the segments' known values
    (``counts``' row sums) where those are not the respondents a segment counts (survey weights).

    Returns
    -------
    (DataFrame of bool, DataFrame of str)
        Like ``counts``: which cells are hidden, and why (empty when shown).

    Examples
    --------
    >>> counts = pd.DataFrame({"app": [40, 3], "web": [20, 30]}, index=pd.Index([0, 1], name="segment"))
    >>> hidden, why = breakdown_cells(counts, 10)
    >>> why  # doctest: +NORMALIZE_WHITESPACE
                       app             web
    segment
    0        complementary   complementary
    1           small cell   complementary
    """
    sizes = counts.sum(axis=1) if sizes is None else sizes  # with weights: each segment's n_eff
    small_segment = pd.DataFrame(np.repeat((sizes < min_cell_size).to_numpy()[:, None], counts.shape[1], axis=1),
                                 index=counts.index, columns=counts.columns)
    small_cell = (counts > 0) & (counts < min_cell_size) & ~small_segment
    hidden = small_cell | small_segment
    extra = complementary_suppression(counts, hidden) if min_cell_size > 1 else hidden & False
    why = pd.DataFrame("", index=counts.index, columns=counts.columns)
    why = why.mask(small_cell, SMALL_CELL).mask(small_segment, SMALL_SEGMENT).mask(extra, COMPLEMENTARY)
    return hidden | extra, why


def sparse_segments(values: pd.Series, labels: pd.Series, *, min_cell_size: int) -> list:
    """Segments with fewer than ``min_cell_size`` known ``values``: their figures are hidden.

    For a column the profile does not hold (such as predicted lifetime value), by the rule
    the profile applies to its numeric features. Segments without any known value are not
    listed: they have nothing to show or hide.
    """
    known = pd.to_numeric(values, errors="coerce").dropna()
    counts = labels.reindex(known.index).dropna().astype(int).value_counts()
    return sorted(int(s) for s in counts.index[counts < min_cell_size])
