"""A/B tests within segments: plan the sample sizes, split the customers, analyse the results.

:func:`ab_sample_size` and :func:`ab_minimum_detectable_effect` size a test of a response
rate; :func:`ab_plan` says per segment whether it is large enough; :func:`ab_assign` makes
a seeded treatment / holdout split stratified by segment; :func:`ab_analyse` gives each
segment's effect with its interval and test, and a stratified overall estimate.

Examples
--------
>>> ab_sample_size(0.10, 0.02)
3841
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from segkit.exceptions import ColumnError, ConfigError, DataError, quote
from segkit.privacy import DEFAULT_MIN_CELL_SIZE, suppress_small_cells
from segkit.target.rates import binary_responses, z_critical

__all__ = ["ab_analyse", "ab_assign", "ab_minimum_detectable_effect", "ab_plan", "ab_sample_size"]


def _check_rate(value: float, what: str) -> float:
    value = float(value)
    if not 0 < value < 1:
        raise ConfigError(f"{what} must be a rate strictly between 0 and 1, got {quote(value)}")
    return value


def _z_values(alpha: float, power: float, two_sided: bool) -> tuple[float, float]:
    """``z_a`` and ``z_b`` of the sample-size formula (see :func:`ab_sample_size`)."""
    z_a = stats.norm.ppf(1 - alpha / 2) if two_sided else stats.norm.ppf(1 - alpha)
    return z_a, stats.norm.ppf(power)


def _squared_z_sum(p1: float, p2: float, z_a: float, z_b: float) -> float:
    """The sample size times the squared effect:
    ``(z_a sqrt(2 pbar (1 - pbar)) + z_b sqrt(p1 (1 - p1) + p2 (1 - p2)))^2``."""
    pbar = (p1 + p2) / 2
    return (z_a * math.sqrt(2 * pbar * (1 - pbar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2


def ab_sample_size(
    baseline_rate: float,
    mde: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    two_sided: bool = True,
    relative: bool = False,
) -> int:
    """Customers needed per arm to detect a change ``mde`` in a response rate.

    The standard two-proportion formula (normal approximation, equal arms, no continuity
    correction), with ``p1 = baseline_rate``, ``p2 = p1 + mde`` and ``pbar = (p1 + p2)/2``::

        n = (z_a * sqrt(2 pbar (1 - pbar)) + z_b * sqrt(p1 (1 - p1) + p2 (1 - p2)))^2 / (p2 - p1)^2

    rounded up, where ``z_a = Phi^-1(1 - alpha/2)`` (two-sided) or ``Phi^-1(1 - alpha)`` and
    ``z_b = Phi^-1(power)``.

    Parameters
    ----------
    baseline_rate : float
        Expected response rate without treatment.
    mde : float
        Minimum detectable effect: absolute difference in rate (0.02 = two points), or
        relative to the baseline when ``relative=True`` (0.2 = +20%).
    alpha, power : float
    two_sided : bool
    relative : bool

    Returns
    -------
    int
        Sample size per arm.

    Examples
    --------
    >>> ab_sample_size(0.10, 0.02)
    3841
    >>> ab_sample_size(0.10, 0.2, relative=True)
    3841
    """
    p1 = _check_rate(baseline_rate, "baseline_rate")
    delta = float(mde) * (p1 if relative else 1.0)
    p2 = p1 + delta
    if delta == 0 or not 0 < p2 < 1:
        raise ConfigError(f"mde must be non-zero and keep the rate in (0, 1): baseline {p1} + {delta} = {p2}")
    _check_rate(alpha, "alpha")
    _check_rate(power, "power")
    n = _squared_z_sum(p1, p2, *_z_values(alpha, power, two_sided)) / delta**2
    # Guard against 3841.0000000001 from floating point before rounding up.
    return int(math.ceil(round(n, 9)))


def ab_minimum_detectable_effect(
    baseline_rate: float,
    n_per_arm: int,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    two_sided: bool = True,
) -> float:
    """Smallest absolute lift detectable with ``n_per_arm`` customers per arm (inverse of
    :func:`ab_sample_size`, solved numerically); NaN when even the largest lift is not.

    Examples
    --------
    >>> round(ab_minimum_detectable_effect(0.10, 3841), 4)
    0.02
    """
    p1 = _check_rate(baseline_rate, "baseline_rate")
    if n_per_arm < 2:
        return float("nan")
    z_a, z_b = _z_values(alpha, power, two_sided)

    def gap(delta: float) -> float:
        return _squared_z_sum(p1, p1 + delta, z_a, z_b) / delta**2 - n_per_arm

    upper = (1 - p1) * (1 - 1e-9)
    if gap(upper) > 0:
        return float("nan")
    return float(optimize.brentq(gap, 1e-9, upper, xtol=1e-12))


def ab_plan(
    labels: pd.Series,
    *,
    baseline_rates,
    mde: float,
    alpha: float = 0.05,
    power: float = 0.8,
    two_sided: bool = True,
    relative: bool = False,
    treatment_share: float = 0.5,
) -> pd.DataFrame:
    """Per-segment sample sizes for an A/B test, and whether each segment is large enough.

    Parameters
    ----------
    labels : Series
        Segment per customer.
    baseline_rates : float, mapping or Series
        Expected response rate without treatment, one for all segments or per segment
        (e.g. the ``response_rate`` column of :func:`~segkit.target.campaign.targeting_table`). A segment whose
        rate is NaN (suppressed in :func:`~segkit.target.campaign.targeting_table`: too small to judge) gets no
        plan: ``size`` and the sample sizes are missing and ``sufficient`` is False.
    mde, alpha, power, two_sided, relative
        As in :func:`ab_sample_size`.
    treatment_share : float
        Share of each segment that will be treated; the smaller arm must reach the size.

    Returns
    -------
    DataFrame
        One row per segment: ``segment, size, baseline_rate, mde, n_per_arm,
        n_required`` (both arms), ``sufficient`` (smaller arm >= n_per_arm),
        ``detectable_mde`` (smallest absolute lift the segment can detect as split) and
        ``note``: why a segment has no plan (suppressed; an observed rate of 0% or 100%;
        an effect that would take the rate out of (0, 1)), empty otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.Series([0] * 9000 + [1] * 2000, name="segment")
    >>> ab_plan(labels, baseline_rates=0.10, mde=0.02)[["segment", "size", "n_per_arm", "sufficient"]]
       segment  size  n_per_arm  sufficient
    0        0  9000       3841        True
    1        1  2000       3841       False
    """
    if not 0 < treatment_share < 1:
        raise ConfigError(f"treatment_share must be between 0 and 1, got {quote(treatment_share)}")
    sizes = labels.value_counts().sort_index()
    rates = _baseline_rates(baseline_rates, sizes.index)
    test = {"alpha": alpha, "power": power, "two_sided": two_sided}
    plan = pd.DataFrame([_plan_row(segment, size, float(rates[segment]), mde, relative, treatment_share, test)
                         for segment, size in sizes.items()])
    if plan["n_per_arm"].isna().any():
        plan = plan.astype({"size": "Int64", "n_per_arm": "Int64", "n_required": "Int64"})
    return plan


def _baseline_rates(baseline_rates, segments: pd.Index) -> pd.Series:
    """The baseline rate of every segment, from one rate for all or one per segment."""
    if isinstance(baseline_rates, (Mapping, pd.Series)):
        given = pd.Series(baseline_rates)
        absent = [s for s in segments if s not in given.index]
        if absent:
            raise ConfigError(f"baseline_rates has no rate for segments {absent}")
        return pd.to_numeric(given.reindex(segments), errors="coerce")
    return pd.Series(float(baseline_rates), index=segments)


def _plan_row(segment, size: int, rate: float, mde: float, relative: bool, treatment_share: float,
              test: Mapping[str, Any]) -> dict[str, Any]:
    """One segment's row of :func:`ab_plan`; ``test`` holds ``alpha``, ``power`` and ``two_sided``."""
    delta = float(mde) * (rate if relative else 1.0)
    note = _no_plan_reason(rate, delta)
    if note:
        known = not np.isnan(rate)
        return {"segment": segment, "size": int(size) if known else pd.NA, "baseline_rate": rate,
                "mde": delta if known else np.nan, "n_per_arm": pd.NA, "n_required": pd.NA,
                "sufficient": False, "detectable_mde": np.nan, "note": note}
    n = ab_sample_size(rate, mde, relative=relative, **test)
    smaller_arm = int(math.floor(min(treatment_share, 1 - treatment_share) * size))
    return {
        "segment": segment,
        "size": int(size),
        "baseline_rate": rate,
        "mde": delta,
        "n_per_arm": n,
        "n_required": 2 * n,
        "sufficient": smaller_arm >= n,
        "detectable_mde": ab_minimum_detectable_effect(rate, smaller_arm, **test),
        "note": "",
    }


def _no_plan_reason(rate: float, delta: float) -> str:
    """Why a segment gets no A/B sample size ("" when it gets one).

    A suppressed segment (NaN rate), an effect that takes the rate out of (0, 1), and an
    observed rate of 0% or 100% (common in small segments: no variance to size a test on)
    are reported in the plan instead of stopping the report.
    """
    if np.isnan(rate):
        return "too small to judge"
    if delta == 0 or not 0 < rate + delta < 1:
        return f"no plan: a change of {delta:+.1%} from a {rate:.1%} response rate is not a rate"
    if not 0 < rate < 1:
        return f"no plan: an observed response rate of {rate:.0%} gives no variance to size a test on"
    return ""


def ab_assign(
    labels: pd.Series,
    *,
    treatment_share: float = 0.5,
    random_state: int | np.random.Generator | None = 0,
    groups: tuple[str, str] = ("treatment", "holdout"),
) -> pd.DataFrame:
    """Seeded treatment / holdout split, stratified by segment.

    Within each segment (customers ordered by id, so the result does not depend on the
    input order) ``round(treatment_share * size)`` customers, drawn at random, are treated
    and the rest held out. The same ``random_state`` gives the same split.

    Returns
    -------
    DataFrame
        ``customer_id, segment, group``, sorted by segment and customer id.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.Series([0] * 6 + [1] * 4, index=[f"c{i}" for i in range(10)], name="segment")
    >>> a = ab_assign(labels, random_state=1)
    >>> a.groupby("segment")["group"].value_counts().unstack().to_dict("index")
    {0: {'holdout': 3, 'treatment': 3}, 1: {'holdout': 2, 'treatment': 2}}
    """
    if not 0 < treatment_share < 1:
        raise ConfigError(f"treatment_share must be between 0 and 1, got {quote(treatment_share)}")
    rng = random_state if isinstance(random_state, np.random.Generator) else np.random.default_rng(random_state)
    frame = pd.DataFrame({"customer_id": labels.index.astype("string"), "segment": labels.to_numpy()})
    frame = frame.sort_values(["segment", "customer_id"], kind="stable").reset_index(drop=True)
    group = np.empty(len(frame), dtype=object)
    for _, positions in frame.groupby("segment", sort=True).indices.items():
        n_treat = int(math.floor(treatment_share * len(positions) + 0.5))
        chosen = rng.permutation(len(positions))
        group[positions] = groups[1]
        group[positions[chosen[:n_treat]]] = groups[0]
    frame["group"] = pd.array(group, dtype="string")
    return frame


def ab_analyse(
    results: pd.DataFrame,
    *,
    segment_col: str = "segment",
    group_col: str = "group",
    outcome_col: str = "outcome",
    treatment: str = "treatment",
    control: str = "holdout",
    confidence: float = 0.95,
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE,
) -> pd.DataFrame:
    """Per-segment A/B results with intervals and tests, plus a stratified overall estimate.

    Per segment: rates in both arms, ``difference = rate_treatment - rate_control`` with a
    Wald interval (unpooled standard error ``sqrt(p_t(1-p_t)/n_t + p_c(1-p_c)/n_c)``) and
    the two-proportion z-test p-value (pooled standard error; equals the chi-square test of
    the 2x2 table without continuity correction).

    The last row, ``segment == "overall"``, is the **size-weighted stratified** difference:
    the per-segment differences averaged with weights ``w_k = n_k / n`` (segment share of the
    test population), standard error ``sqrt(sum w_k^2 se_k^2)`` from the unpooled
    per-segment errors, and a z-test of that estimate. It estimates the effect over the
    population as segmented, without Simpson's-paradox bias from unequal splits.

    Parameters
    ----------
    results : DataFrame
        One row per customer with segment, group and a 0/1 outcome.
    segment_col, group_col, outcome_col : str
    treatment, control : str
        Group labels.
    confidence : float
    min_cell_size : int
        Segments whose smaller arm has fewer customers are suppressed.

    Returns
    -------
    DataFrame
        ``segment, n_treatment, n_control, responders_treatment, responders_control,
        rate_treatment, rate_control, difference, diff_low, diff_high, z, p_value,
        suppressed``.

    Examples
    --------
    >>> import pandas as pd
    >>> results = pd.DataFrame({
    ...     "segment": [0] * 200,
    ...     "group": ["treatment"] * 100 + ["holdout"] * 100,
    ...     "outcome": [1] * 30 + [0] * 70 + [1] * 20 + [0] * 80})
    >>> r = ab_analyse(results)
    >>> r.loc[0, ["difference", "diff_low", "diff_high", "p_value"]].astype(float).round(4).tolist()
    [0.1, -0.0192, 0.2192, 0.1025]
    """
    for column in (segment_col, group_col, outcome_col):
        if column not in results.columns:
            raise ColumnError(f"results: column {column!r} not found; available columns: {list(results.columns)}")
    treated = _treated(results[group_col], group_col, treatment, control)
    outcome = binary_responses(results[outcome_col], f"results: column {outcome_col!r}")
    frame = pd.DataFrame({"segment": results[segment_col].to_numpy(), "treated": treated.to_numpy(),
                          "y": outcome.to_numpy()}).dropna()
    z_crit = z_critical(confidence)
    table = pd.DataFrame([_segment_test(segment, part, z_crit)
                          for segment, part in frame.groupby("segment", sort=True)])
    table["_smaller_arm"] = table[["n_treatment", "n_control"]].min(axis=1)
    table = suppress_small_cells(table, count_col="_smaller_arm", min_cell_size=min_cell_size,
                                 columns=[c for c in table.columns if c not in ("segment", "_smaller_arm")])
    usable = table[~table["suppressed"] & table["_se"].notna()]
    if len(usable):
        overall = _stratified_overall(usable, z_crit)
        table = pd.concat([table.astype({"segment": object}), pd.DataFrame([overall])], ignore_index=True)
    table = table.drop(columns=["_se", "_smaller_arm"])
    table.attrs["overall_method"] = "size-weighted stratified difference (weights n_k / n), unpooled SE"
    return table


def _treated(groups: pd.Series, group_col: str, treatment: str, control: str) -> pd.Series:
    """Whether each customer was treated; a group that is neither arm is an error."""
    # 'Treatment', ' holdout' and 'HOLDOUT' are the groups as written by hand or by a CRM export
    folded = groups.astype("string").str.strip().str.casefold()
    unknown = sorted(set(groups.astype("string")[folded.notna()
                                                  & ~folded.isin([treatment.casefold(), control.casefold()])]))
    if unknown:
        raise DataError(f"results: column {group_col!r} has unknown groups {unknown[:3]}; "
                        f"expected {treatment!r} or {control!r}")
    return folded == treatment.casefold()


def _segment_test(segment, part: pd.DataFrame, z_crit: float) -> dict[str, Any]:
    """One segment's rates, difference with its Wald interval, and two-proportion z-test."""
    t, c = part.loc[part["treated"], "y"], part.loc[~part["treated"], "y"]
    n_t, n_c = len(t), len(c)
    k_t, k_c = int(t.sum()), int(c.sum())
    p_t = k_t / n_t if n_t else np.nan
    p_c = k_c / n_c if n_c else np.nan
    diff = p_t - p_c
    se = math.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c) if n_t and n_c else np.nan
    pooled = (k_t + k_c) / (n_t + n_c) if n_t + n_c else np.nan
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n_t + 1 / n_c)) if n_t and n_c else np.nan
    z = diff / se0 if se0 and np.isfinite(se0) and se0 > 0 else np.nan
    return {"segment": segment, "n_treatment": n_t, "n_control": n_c, "responders_treatment": k_t,
            "responders_control": k_c, "rate_treatment": p_t, "rate_control": p_c, "difference": diff,
            "diff_low": diff - z_crit * se, "diff_high": diff + z_crit * se, "z": z,
            "p_value": 2 * stats.norm.sf(abs(z)) if np.isfinite(z) else np.nan, "_se": se}


def _stratified_overall(usable: pd.DataFrame, z_crit: float) -> dict[str, Any]:
    """The ``overall`` row: per-segment differences weighted by segment size, with its test."""
    n_k = usable["n_treatment"] + usable["n_control"]
    w = n_k / n_k.sum()
    est = float((w * usable["difference"]).sum())
    se = float(np.sqrt((w**2 * usable["_se"] ** 2).sum()))
    z = est / se if se > 0 else np.nan
    return {"segment": "overall", "n_treatment": usable["n_treatment"].sum(),
            "n_control": usable["n_control"].sum(),
            "responders_treatment": usable["responders_treatment"].sum(),
            "responders_control": usable["responders_control"].sum(),
            "rate_treatment": usable["responders_treatment"].sum() / usable["n_treatment"].sum(),
            "rate_control": usable["responders_control"].sum() / usable["n_control"].sum(),
            "difference": est, "diff_low": est - z_crit * se, "diff_high": est + z_crit * se, "z": z,
            "p_value": 2 * stats.norm.sf(abs(z)) if np.isfinite(z) else np.nan, "suppressed": False}
