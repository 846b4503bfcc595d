"""Drift between two runs: the population stability index of the segment mix and of each
feature, and the privacy-safe feature reference each run keeps for it.

The population stability index ``PSI = sum((new - old) * ln(new / old))`` over shares of
bins: of segments (size drift) and of each feature's distribution (feature drift). Below
0.1 is read as stable, 0.1-0.25 as a moderate shift, above 0.25 as a major one (the usual
credit-scoring convention). A bin empty in one run (a segment that vanished or is new)
counts there as half a customer, share ``0.5 / n`` for a run of ``n`` customers, so its
term says how many customers' worth of evidence the run has rather than depending on an
arbitrary constant.

Feature drift between two runs needs each run's feature distributions, which the report does
not publish customer by customer. Each run stores a *reference* in ``summary.json`` instead
(:func:`feature_reference`): per numeric feature its quantiles (at most one quantile per
``min_cell_size`` customers, so no bin describes fewer customers than a report table may),
per discrete or categorical feature the share of each level, with levels rarer than
``min_cell_size`` customers pooled. :func:`reference_drift` compares two references: the
new run's shares in the old run's deciles are read off the new run's quantile curve.

Examples
--------
>>> round(psi([50, 50], [70, 30]), 3), psi_level(0.169)
(0.169, 'moderate')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["DISCRETE_LEVELS", "MAX_QUANTILES", "PSI_EMPTY_BIN", "PSI_MAJOR", "PSI_MODERATE", "feature_reference",
           "psi", "psi_level", "reference_drift"]

#: PSI below this is "stable"; up to :data:`PSI_MAJOR` "moderate"; above it "major".
PSI_MODERATE = 0.1
PSI_MAJOR = 0.25
#: Customers an empty bin counts as in the PSI (an empty bin would make it infinite): half a
#: customer, the continuity correction of a zero count, so the floor is ``0.5 / n``, below
#: any share a run of ``n`` customers can show, and shrinks as the runs grow.
PSI_EMPTY_BIN = 0.5
#: Features with at most this many distinct values are stored level by level.
DISCRETE_LEVELS = 20
#: At most this many quantiles per numeric feature in a reference.
MAX_QUANTILES = 100


def psi(expected, actual, *, n=None) -> float:
    """Population stability index between two count (or share) vectors over the same bins.

    ``PSI = sum((actual - expected) * ln(actual / expected))`` over the shares of each
    vector. A bin that is empty on one side would make it infinite, so a share below half a
    customer is raised to ``0.5 / n`` (:data:`PSI_EMPTY_BIN`), ``n`` being that side's
    number of customers: the usual continuity correction of a zero count. Bins that hold
    customers keep their observed shares. The term of a bin with share ``s`` on one side
    and none on the other is about ``s * ln(2 * s * n)``: a segment of 10% that vanished
    from a run of 1,000 customers adds 0.53, from a run of 100, 0.28.

    Parameters
    ----------
    expected, actual : array-like
        Customers per bin, old and new; or shares, with ``n``.
    n : (int, int), optional
        Customers behind ``expected`` and ``actual``. By default a vector's total when it
        is above 1 (counts); a vector of shares with an empty bin needs it.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Vectors of different lengths, a total that is not positive, or shares with an empty
        bin and no ``n``.

    Examples
    --------
    >>> psi([0.5, 0.5], [0.5, 0.5])
    0.0
    >>> round(psi([50, 50], [70, 30]), 3)
    0.169
    >>> round(psi([90, 10], [100, 0]), 4)  # the empty bin counts as half of one of 100 customers
    0.2951
    """
    e = np.asarray(expected, dtype="float64")
    a = np.asarray(actual, dtype="float64")
    if e.shape != a.shape or e.size == 0:
        raise ValueError(f"psi needs two share vectors of the same non-zero length, got {e.shape} and {a.shape}")
    if e.sum() <= 0 or a.sum() <= 0:
        raise ValueError("psi needs positive totals")
    if n is None:  # counts: the totals are the customers; shares (a total of 1) do not say
        n = tuple(float(v.sum()) if v.sum() > 1 else None for v in (e, a))
    sides = []
    for values, customers, which in ((e, n[0], "expected"), (a, n[1], "actual")):
        shares = values / values.sum()
        if customers is None:
            if (shares == 0).any():
                raise ValueError(f"psi: `{which}` has an empty bin and does not say how many customers it "
                                 f"describes (n={customers!r}); pass counts, or shares with n=(n_old, n_new)")
            sides.append(shares)
        else:
            sides.append(np.maximum(shares, PSI_EMPTY_BIN / float(customers)))
    e, a = sides
    return float(np.sum((a - e) * np.log(a / e)))


def psi_level(value: float) -> str:
    """``"stable"``, ``"moderate"`` or ``"major"`` for a PSI value.

    Examples
    --------
    >>> [psi_level(v) for v in (0.02, 0.15, 0.4)]
    ['stable', 'moderate', 'major']
    """
    if value < PSI_MODERATE:
        return "stable"
    return "moderate" if value <= PSI_MAJOR else "major"



def feature_reference(frame: pd.DataFrame, *, min_cell_size: int = 10) -> dict[str, dict[str, Any]]:
    """A privacy-safe summary of each feature's distribution, stored in ``summary.json``.

    Numeric features with more than :data:`DISCRETE_LEVELS` distinct values keep their
    quantiles at ``n_q`` evenly spaced probabilities, ``n_q = min(100, n // min_cell_size)``
    (so every step describes at least ``min_cell_size`` customers; the minimum and maximum
    are not stored). Other features keep the share of each level; levels held by fewer than
    ``min_cell_size`` customers are pooled as ``"(other)"``. Dates and identifiers-like text
    with a level per customer are skipped.

    Returns
    -------
    dict
        ``{feature: {"kind": "numeric", "n", "probs", "values", "missing"}}`` or
        ``{feature: {"kind": "levels", "n", "levels", "shares", "missing"}}``.

    Examples
    --------
    >>> frame = pd.DataFrame({"spend": np.arange(1000.0), "channel": ["web"] * 600 + ["store"] * 400})
    >>> ref = feature_reference(frame)
    >>> ref["spend"]["kind"], len(ref["spend"]["probs"]), ref["channel"]["levels"], ref["channel"]["shares"]
    ('numeric', 99, ['store', 'web'], [0.4, 0.6])
    """
    out: dict[str, dict[str, Any]] = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            continue
        n = int(column.notna().sum())
        if n == 0:
            continue
        missing = round(1.0 - n / len(column), 6)
        present = column.dropna()
        numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
        if numeric and present.nunique() > DISCRETE_LEVELS:
            steps = min(MAX_QUANTILES, n // max(min_cell_size, 1))
            if steps < 2:
                continue
            probs = np.arange(1, steps) / steps
            values = np.quantile(present.to_numpy(dtype="float64"), probs)
            out[str(name)] = {"kind": "numeric", "n": n, "probs": [round(float(p), 6) for p in probs],
                              "values": [float(v) for v in values], "missing": missing}
            continue
        counts = present.astype(str).value_counts()
        if not numeric and len(counts) > max(DISCRETE_LEVELS * 5, 0.5 * n):
            continue  # text with (almost) a level per customer: not a feature to watch
        rare = counts[counts < min_cell_size]
        counts = counts[counts >= min_cell_size]
        if len(rare):
            counts = pd.concat([counts, pd.Series({"(other)": int(rare.sum())})])
        counts = counts.sort_index(key=lambda idx: idx.map(_level_key))
        out[str(name)] = {"kind": "levels", "n": n, "levels": [str(v) for v in counts.index],
                          "shares": [round(float(c) / n, 6) for c in counts.to_numpy()], "missing": missing}
    return out


def _level_key(level: str):
    try:
        return (0, float(level), "")
    except ValueError:
        return (1, 0.0, level)


def _numeric_shares(ref: Mapping[str, Any], edges: np.ndarray) -> np.ndarray:
    """Share of a numeric reference's customers in the bins cut at ``edges`` (CDF read off
    its quantile curve, linear between quantiles, flat beyond the outer ones)."""
    values = np.asarray(ref["values"], dtype="float64")
    probs = np.asarray(ref["probs"], dtype="float64")
    # Repeated quantile values (a spike): the CDF jumps there; np.interp needs increasing x.
    values, first = np.unique(values, return_index=True)
    last = np.r_[first[1:] - 1, len(probs) - 1]
    cdf_at = np.interp(edges, values, probs[last], left=0.0, right=1.0)
    return np.diff(np.r_[0.0, cdf_at, 1.0])


def reference_drift(old: Mapping[str, Mapping], new: Mapping[str, Mapping]) -> pd.DataFrame:
    """PSI of every feature present in both references (see :func:`feature_reference`).

    Numeric features are binned at the old run's deciles (from its quantiles); the new run's
    share in each bin is read off its own quantile curve. Level features compare level
    shares (a level missing on one side counts as empty there). A share below half a
    customer counts as half a customer of that run (``0.5 / n``, ``n`` the reference's
    customers with a value; see :func:`psi`).

    Returns
    -------
    DataFrame
        Indexed by feature: ``psi``, ``level`` (stable / moderate / major), ``old_median``
        and ``new_median`` (numeric features), ``changed_most`` (level features: the level
        whose share moved most, e.g. ``"web 40% -> 55%"``). Sorted by PSI, largest first.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a = feature_reference(pd.DataFrame({"x": rng.normal(0, 1, 5000)}))
    >>> b = feature_reference(pd.DataFrame({"x": rng.normal(1, 1, 5000)}))
    >>> reference_drift(a, a).loc["x", "level"], reference_drift(a, b).loc["x", "level"]
    ('stable', 'major')
    """
    rows = []
    for name in old:
        if name not in new or old[name]["kind"] != new[name]["kind"]:
            continue
        o, n = old[name], new[name]
        row: dict[str, Any] = {"feature": name}
        if o["kind"] == "numeric":
            cut = np.unique(np.interp(np.arange(1, 10) / 10, o["probs"], o["values"]))  # old deciles
            old_shares, new_shares = _numeric_shares(o, cut), _numeric_shares(n, cut)
            row["psi"] = psi(old_shares, new_shares, n=(o.get("n"), n.get("n")))
            row["old_median"] = float(np.interp(0.5, o["probs"], o["values"]))
            row["new_median"] = float(np.interp(0.5, n["probs"], n["values"]))
            row["changed_most"] = ""
        else:
            levels = sorted(set(o["levels"]) | set(n["levels"]), key=_level_key)
            so = dict(zip(o["levels"], o["shares"]))
            sn = dict(zip(n["levels"], n["shares"]))
            old_shares = np.array([so.get(v, 0.0) for v in levels])
            new_shares = np.array([sn.get(v, 0.0) for v in levels])
            row["psi"] = psi(old_shares, new_shares, n=(o.get("n"), n.get("n")))
            row["old_median"] = row["new_median"] = np.nan
            k = int(np.argmax(np.abs(new_shares - old_shares)))
            row["changed_most"] = f"{levels[k]} {old_shares[k]:.0%} -> {new_shares[k]:.0%}"
        row["level"] = psi_level(row["psi"])
        rows.append(row)
    columns = ["psi", "level", "old_median", "new_median", "changed_most"]
    if not rows:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="feature"))
    table = pd.DataFrame(rows).set_index("feature")[columns]
    return table.sort_values("psi", ascending=False, kind="stable")
