"""Effect sizes and significance tests of each segment against the rest of the base.

Numeric features: the standardised mean difference (SMD, pooled standard deviation) and
Welch's t-test or the Mann-Whitney U test. Category levels: the share difference, Cohen's h
and a 2 x 2 chi-square test; per categorical feature, Cramér's V over all its levels. The
p-values of a profile are adjusted together with :func:`bh_adjust` (Benjamini-Hochberg).

Examples
--------
>>> import numpy as np
>>> round(smd(np.array([1.0, 2.0, 3.0]), np.array([3.0, 4.0, 5.0])), 2)
-2.0
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["bh_adjust", "categorical_effects", "numeric_effects", "smd"]


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


def smd(a: np.ndarray, b: np.ndarray) -> float:
    """Standardised mean difference of ``a`` against ``b`` (pooled standard deviation); NaN
    with fewer than two values on either side."""
    n1, n2 = len(a), len(b)
    if n1 < 2 or n2 < 2:
        return np.nan
    pooled = math.sqrt(((n1 - 1) * np.var(a, ddof=1) + (n2 - 1) * np.var(b, ddof=1)) / (n1 + n2 - 2))
    diff = float(np.mean(a) - np.mean(b))
    if pooled == 0:
        # Constant within both groups: any difference is infinitely many SDs.
        return 0.0 if diff == 0 else math.copysign(math.inf, diff)
    return diff / pooled


def bh_adjust(p: pd.Series) -> pd.Series:
    """Benjamini-Hochberg adjusted p-values; missing p-values stay missing and are not counted.

    Examples
    --------
    >>> bh_adjust(pd.Series([0.01, None, 0.04])).round(3).tolist()
    [0.02, nan, 0.04]
    """
    out = pd.Series(np.nan, index=p.index)
    ok = p.notna()
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok].to_numpy(dtype=float), method="bh")
    return out


def numeric_effects(num: pd.DataFrame, seg, segments, overall, basis_of, numeric_test) -> list[dict]:
    """One effect row per segment and numeric feature: SMD and a test against the rest."""
    rows = []
    for column in num.columns:
        values = num[column].to_numpy()
        present = ~np.isnan(values)
        for s in segments:
            in_seg = seg == s
            a, b = values[in_seg & present], values[~in_seg & present]
            stat, p = _welch(a, b) if numeric_test == "welch" else _mann_whitney(a, b)
            d = smd(a, b)
            rows.append({
                "segment": s, "basis": basis_of[column], "feature": column, "level": "", "kind": "numeric",
                "n": len(a), "segment_value": float(np.mean(a)) if len(a) else np.nan,
                "rest_value": float(np.mean(b)) if len(b) else np.nan, "overall_value": overall.at[column, "mean"],
                "effect_size": d, "effect_measure": "smd", "standardised": d,
                "test": "welch_t" if numeric_test == "welch" else "mann_whitney", "statistic": stat, "p_value": p,
            })
    return rows


def categorical_effects(table: pd.DataFrame, column, basis: str, category_rows: list, effect_rows: list,
                        overall_share: pd.Series | None = None) -> None:
    """Append the level shares (``categories``) and effects of one categorical feature.

    Per segment and level: share, lift, share difference, Cohen's h and a 2 x 2 chi-square
    test against the rest; per segment: Cramér's V over all levels. ``overall_share`` replaces the
    shares of the table's column sums (the weighted shares of the whole base, with weights).
    """
    levels = list(table.columns)
    # counts of respondents, or (weighted: segkit.profile.weighted.level_tables) effective counts
    as_n = int if np.issubdtype(table.to_numpy().dtype, np.integer) else float
    overall_counts = table.sum(axis=0)
    n_known = as_n(overall_counts.sum())
    if overall_share is None:
        overall_share = overall_counts / n_known if n_known else overall_counts * np.nan
    for s in table.index:
        row = table.loc[s]
        rest = overall_counts - row
        n_seg, n_rest = as_n(row.sum()), as_n(rest.sum())
        for level in levels:
            k_seg, k_rest = as_n(row[level]), as_n(rest[level])
            p_seg = k_seg / n_seg if n_seg else np.nan
            p_rest = k_rest / n_rest if n_rest else np.nan
            chi2, p_value = np.nan, np.nan
            if n_seg and n_rest and 0 < k_seg + k_rest < n_known:
                chi2, p_value = stats.chi2_contingency([[k_seg, n_seg - k_seg], [k_rest, n_rest - k_rest]],
                                                       correction=False)[:2]
            h = 2 * math.asin(math.sqrt(p_seg)) - 2 * math.asin(math.sqrt(p_rest)) if n_rest else np.nan
            category_rows.append({
                "segment": s, "basis": basis, "feature": column, "level": str(level),
                "count": k_seg, "share": p_seg, "overall_share": float(overall_share[level]),
                "lift": p_seg / float(overall_share[level]) if overall_share[level] > 0 else np.nan,
            })
            effect_rows.append({
                "segment": s, "basis": basis, "feature": column, "level": str(level),
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
            "segment": s, "basis": basis, "feature": column, "level": "", "kind": "categorical",
            "n": n_seg, "segment_value": np.nan, "rest_value": np.nan, "overall_value": np.nan,
            "effect_size": v, "effect_measure": "cramers_v", "standardised": np.nan, "test": "chi2",
            "statistic": float(chi2), "p_value": float(p_value),
        })
