"""A profile's figures with survey weights (``survey.weight``): means, medians and level shares
weighted, tests and the small-cell check on effective sample sizes.

:func:`segkit.profile.profile_segments` computes through here when it is given weights, so that
each figure has one definition:

* a mean is ``sum(w x) / sum(w)`` over the known values, a median the value where the cumulative
  weight passes half, a level share ``sum(w [x = level]) / sum(w)``;
* the number of respondents a figure describes is Kish's effective size ``n_eff = (sum w)^2 /
  sum w^2`` of their weights (never more than the raw count), and that is what
  ``privacy.min_cell_size`` is checked against;
* the segment-vs-rest tests use the weighted means and variances with ``n_eff`` as the sample
  sizes (Welch's t from summary statistics; for levels, the counts scaled so that each segment
  holds its ``n_eff``: a design-effect correction).

Equal weights give the unweighted figures, and multiplying every weight by a constant changes
nothing; integer weights give the figures of the table with each row repeated that many times
(the effective sizes, and so the tests, differ: repeated rows are not more respondents).

Examples
--------
>>> import numpy as np
>>> weighted_median(np.array([1.0, 2.0, 10.0]), np.array([1.0, 1.0, 5.0]))
10.0
>>> cell_sizes(np.array([0, 0, 1]), np.array(["a", "a", "b"]), np.array([1.0, 3.0, 2.0]))
{(0, 'a'): 1.6, (1, 'b'): 1.0}
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from segkit.io.weights import effective_size

__all__ = ["cell_sizes", "level_tables", "numeric_tables", "weighted_median", "weighted_numeric_effects"]


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The smallest value whose cumulative weight reaches half the total (NaN without weight)."""
    ok = ~np.isnan(values) & (weights > 0)
    if not ok.any():
        return np.nan
    order = np.argsort(values[ok], kind="stable")
    v, w = values[ok][order], weights[ok][order]
    cumulative = np.cumsum(w)
    return float(v[np.searchsorted(cumulative, 0.5 * cumulative[-1] - 1e-12 * cumulative[-1])])


def _moments(values: np.ndarray, weights: np.ndarray) -> tuple[float, float, float]:
    """Weighted mean, variance (reliability-weights correction) and n_eff of the known values."""
    ok = ~np.isnan(values) & (weights > 0)
    v, w = values[ok], weights[ok]
    total = float(w.sum())
    if total <= 0:
        return np.nan, np.nan, 0.0
    n_eff = effective_size(w)
    mean = float((w * v).sum()) / total
    biased = float((w * (v - mean) ** 2).sum()) / total
    var = biased * n_eff / (n_eff - 1) if n_eff > 1 else np.nan
    return mean, var, n_eff


def numeric_tables(num: pd.DataFrame, seg: np.ndarray, segments, weights: np.ndarray):
    """Segment x feature weighted means, medians and ``n_eff`` of the known values, and the
    whole base's (``overall``: columns ``mean, median, n``, ``n`` the effective size)."""
    means = pd.DataFrame(index=pd.Index(segments), columns=num.columns, dtype="float64")
    medians, counts = means.copy(), means.copy()
    overall = []
    for column in num.columns:
        values = num[column].to_numpy(dtype=float)
        for s in segments:
            mask = seg == s
            mean, _, n_eff = _moments(values[mask], weights[mask])
            means.at[s, column], counts.at[s, column] = mean, n_eff
            medians.at[s, column] = weighted_median(values[mask], weights[mask])
        mean, _, n_eff = _moments(values, weights)
        overall.append({"mean": mean, "median": weighted_median(values, weights), "n": n_eff})
    overall = pd.DataFrame(overall, index=pd.Index(num.columns, name="feature"), columns=["mean", "median", "n"])
    return means, medians, counts, overall


def weighted_numeric_effects(num: pd.DataFrame, seg: np.ndarray, segments, overall, basis_of,
                             weights: np.ndarray) -> list[dict]:
    """:func:`segkit.profile.effects.numeric_effects` with weights: weighted SMD and Welch's t on
    the weighted means and variances with ``n_eff`` as the sizes."""
    rows = []
    for column in num.columns:
        values = num[column].to_numpy(dtype=float)
        for s in segments:
            inside = seg == s
            m1, v1, n1 = _moments(values[inside], weights[inside])
            m2, v2, n2 = _moments(values[~inside], weights[~inside])
            d, stat, p = np.nan, np.nan, np.nan
            if n1 > 1 and n2 > 1:
                pooled = math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
                d = (m1 - m2) / pooled if pooled > 0 else (0.0 if m1 == m2 else math.copysign(math.inf, m1 - m2))
                if v1 == 0 and v2 == 0:
                    stat, p = (0.0, 1.0) if m1 == m2 else (np.inf, 0.0)
                else:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)
                        result = stats.ttest_ind_from_stats(m1, math.sqrt(v1), n1, m2, math.sqrt(v2), n2,
                                                            equal_var=False)
                    stat, p = float(result.statistic), float(result.pvalue)
            rows.append({
                "segment": s, "basis": basis_of[column], "feature": column, "level": "", "kind": "numeric",
                "n": n1, "segment_value": m1, "rest_value": m2, "overall_value": overall.at[column, "mean"],
                "effect_size": d, "effect_measure": "smd", "standardised": d, "test": "welch_t", "statistic": stat,
                "p_value": p,
            })
    return rows


def cell_sizes(seg: np.ndarray, levels: np.ndarray, weights: np.ndarray) -> dict:
    """``{(segment, level): n_eff}`` of the known values' weights in each cell."""
    frame = pd.DataFrame({"segment": seg, "level": levels, "w": weights, "w2": weights * weights})
    frame = frame[frame["level"].notna()]
    sums = frame.groupby(["segment", "level"], sort=False)[["w", "w2"]].sum()
    return {key: (float(r.w) ** 2 / float(r.w2) if r.w2 > 0 else 0.0) for key, r in zip(sums.index, sums.itertuples())}


def level_tables(values: pd.Series, seg: np.ndarray, segments, weights: np.ndarray, order):
    """Segment x level tables of one column's known values (already pooled as the profile pools):
    the counts the shares and tests read (weighted counts scaled so that each segment holds the
    ``n_eff`` of its known values), and each cell's own ``n_eff`` (for the small-cell check)."""
    text = values.to_numpy(dtype=object)
    known = values.notna().to_numpy()
    frame = pd.DataFrame({"segment": seg[known], "level": text[known], "w": weights[known]})
    weighted = frame.pivot_table(index="segment", columns="level", values="w", aggfunc="sum", fill_value=0.0)
    weighted = weighted.reindex(index=segments, fill_value=0.0)
    totals = weighted.sum(axis=1)
    n_eff = pd.Series({s: effective_size(frame.loc[frame["segment"] == s, "w"]) for s in segments})
    scale = (n_eff / totals.where(totals > 0)).fillna(0.0)
    scaled = weighted.mul(scale, axis=0)
    sizes = cell_sizes(seg[known], text[known], weights[known])
    cells = pd.DataFrame([[sizes.get((s, lv), 0.0) for lv in weighted.columns] for s in segments],
                         index=weighted.index, columns=weighted.columns)
    columns = order(weighted.columns)
    overall = weighted.sum(axis=0)
    overall = overall / overall.sum() if overall.sum() > 0 else overall * np.nan
    return scaled[columns], cells[columns], overall[columns]
