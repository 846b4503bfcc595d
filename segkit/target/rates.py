"""Response rates: reading past answers as 0/1 and the interval of a rate.

Shared by campaign targeting (:mod:`segkit.target.campaign`) and A/B test analysis
(:mod:`segkit.target.abtest`), so both read ``yes``/``no`` answers and use the normal
quantile of a confidence level the same way.

Examples
--------
>>> low, high = wilson_interval(10, 100)
>>> round(float(low), 4), round(float(high), 4)
(0.0552, 0.1744)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from segkit.exceptions import ConfigError, DataError, quote
from segkit.io.weights import effective_size
from segkit.schema import FLAG_VALUES

__all__ = ["binary_responses", "weighted_rates", "wilson_interval", "z_critical"]


def z_critical(confidence: float) -> float:
    """The two-sided normal quantile of a confidence level (1.96 for 0.95).

    Examples
    --------
    >>> round(z_critical(0.95), 2)
    1.96
    """
    if not 0 < confidence < 1:
        raise ConfigError(f"confidence must be between 0 and 1 (e.g. 0.95), got {quote(confidence)}")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def wilson_interval(successes, n, *, confidence: float = 0.95):
    """Wilson score interval for a binomial proportion (vectorised).

    ``(p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)`` with ``p = successes / n``
    and ``z`` the normal quantile for ``confidence``. Unlike the Wald interval it stays
    inside [0, 1] and behaves at 0 and n successes. ``n = 0`` gives NaN.

    Parameters
    ----------
    successes, n : int or array-like
    confidence : float

    Returns
    -------
    (low, high)
        Floats for scalar input, arrays otherwise.

    Examples
    --------
    >>> low, high = wilson_interval([10, 0], [100, 20])
    >>> [round(float(v), 4) for v in low], [round(float(v), 4) for v in high]
    ([0.0552, 0.0], [0.1744, 0.1611])
    """
    z = z_critical(confidence)
    k = np.asarray(successes, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    if np.any(k < 0) or np.any(k > n_arr):
        raise DataError("wilson_interval: successes must be between 0 and n")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n_arr
        denom = 1 + z**2 / n_arr
        centre = (p + z**2 / (2 * n_arr)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n_arr + z**2 / (4 * n_arr**2))
        low = np.where(n_arr > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(n_arr > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def binary_responses(values: pd.Series, what: str) -> pd.Series:
    """Responses as float 0/1 with NaN for missing: 0/1, true/false or yes/no (y/n, any case).

    Parameters
    ----------
    values : Series
        The answers.
    what : str
        What they are, for the error message (e.g. ``"customers.csv: column 'Response'"``).

    Raises
    ------
    DataError
        A value that is not a response.

    Examples
    --------
    >>> binary_responses(pd.Series(["Yes", "n", None, "1"]), "response").tolist()
    [1.0, 0.0, nan, 1.0]
    """
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        given = values.notna()
        numeric = pd.Series(values, dtype="Float64").astype("float64")
    else:
        words = values.astype("string").str.strip().str.lower()
        given = (words.notna() & (words != "")).fillna(False).astype(bool)
        numeric = words.map(FLAG_VALUES.get, na_action="ignore").astype("Float64").astype("float64")
    mask = (numeric.notna() & ~numeric.isin([0, 1])) | (numeric.isna() & given)
    if mask.any():
        pos = int(np.flatnonzero(mask.to_numpy())[0])
        value = values.iloc[pos]
        value = value.item() if isinstance(value, np.generic) else value
        raise DataError(f"{what} has {int(mask.sum())} values that are not a response "
                        f"(e.g. {quote(value)} at row {pos + 1}); expected 0/1, yes/no or true/false")
    return numeric



def weighted_rates(values: pd.Series, groups, weights: pd.Series, segments, *,
                   confidence: float = 0.95) -> pd.DataFrame:
    """Per segment, the weighted share of ``values`` (0/1, known answers only) with a Wilson
    interval on the effective sample size.

    Returns ``size`` (answers), ``n_eff`` (Kish's effective size of their weights), ``rate``
    (sum of weights of the 1s over the sum of weights), ``low``, ``high`` (the Wilson interval of
    ``rate`` with ``n = n_eff``), and ``effective`` (``rate * n_eff``: the effective number of 1s).
    Equal weights give the unweighted figures; multiplying every weight by a constant changes nothing.

    Examples
    --------
    >>> v = pd.Series([1.0, 0.0, 0.0, 1.0])
    >>> t = weighted_rates(v, [0, 0, 1, 1], pd.Series([3.0, 1.0, 1.0, 1.0]), [0, 1])
    >>> t[["size", "n_eff", "rate"]]
       size  n_eff  rate
    0     2    1.6  0.75
    1     2    2.0  0.50
    """
    groups = np.asarray(groups)
    w = np.asarray(weights, dtype=float)
    x = np.asarray(values, dtype=float)
    rows = []
    for segment in segments:
        mask = groups == segment
        total = float(w[mask].sum())
        n_eff = effective_size(w[mask])
        rate = float((w[mask] * x[mask]).sum()) / total if total > 0 else np.nan
        rows.append({"size": int(mask.sum()), "n_eff": n_eff, "rate": rate})
    out = pd.DataFrame(rows, index=pd.Index(list(segments)), columns=["size", "n_eff", "rate"])
    effective = (out["rate"].fillna(0.0) * out["n_eff"]).clip(upper=out["n_eff"])
    out["low"], out["high"] = wilson_interval(effective.to_numpy(), out["n_eff"].to_numpy(), confidence=confidence)
    out.loc[out["rate"].isna(), ["low", "high"]] = np.nan
    out["effective"] = effective
    return out
