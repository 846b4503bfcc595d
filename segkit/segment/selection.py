"""Choosing the number of segments: validity indices, their ranking, the reasons for the
choice, and the structure verdict against structureless reference data.

For each k the sample is clustered by a backend (:mod:`segkit.segment.backends`) and scored by
the silhouette (on at most 3,000 seeded rows, from one precomputed distance matrix),
Calinski-Harabasz and Davies-Bouldin, the elbow strength and, for Gaussian mixtures, BIC.
Each index is ranked among the eligible k (smallest segment >= ``min_share``); the chosen k
has the best mean rank (ties: higher silhouette, then smaller k).

Examples
--------
>>> import numpy as np, pandas as pd
>>> table = pd.DataFrame({"silhouette": [0.6, 0.4], "calinski_harabasz": [900.0, 500.0],
...                       "davies_bouldin": [0.5, 0.9], "bic": np.nan, "inertia": [10.0, 8.0],
...                       "elbow": [2.0, 1.0], "smallest_share": [0.4, 0.2]},
...                      index=pd.Index([2, 3], name="k"))
>>> rank_k(table, min_share=0.02)["chosen"].tolist()
[True, False]
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score
from tqdm.auto import tqdm

from segkit.exceptions import SegkitWarning, user_stacklevel

__all__ = [
    "CLEAR_MARGIN",
    "INDEX_NAMES",
    "INDICES",
    "REFERENCE_ROWS",
    "SILHOUETTE_ROWS",
    "STABLE_ARI",
    "WEAK_MARGIN",
    "SampleScorer",
    "choose_k",
    "distance_matrix",
    "explain_k",
    "rank_k",
    "score_found_k",
    "silhouette",
    "structure_verdict",
]

# Rows used for the silhouette (it costs O(rows^2), so never all customers).
SILHOUETTE_ROWS = 3_000
# Rows of each structureless reference data set.
REFERENCE_ROWS = 1_500
# Structure verdict: silhouette margin over structureless reference data, and bootstrap ARI.
CLEAR_MARGIN, WEAK_MARGIN = 0.10, 0.03
STABLE_ARI = 0.8

#: Validity index -> True when larger is better.
INDICES = {
    "silhouette": True,
    "calinski_harabasz": True,
    "davies_bouldin": False,
    "elbow": True,
    "bic": False,
}
#: Validity index -> its name in the reasons.
INDEX_NAMES = {
    "silhouette": "silhouette",
    "calinski_harabasz": "Calinski-Harabasz",
    "davies_bouldin": "Davies-Bouldin",
    "elbow": "elbow (bend of the log within-segment sum of squares)",
    "bic": "BIC",
}
_COLUMNS = ["silhouette", "calinski_harabasz", "davies_bouldin", "bic", "inertia", "elbow", "smallest_share"]


def distance_matrix(Z: np.ndarray) -> np.ndarray:
    """Euclidean distances between every pair of rows."""
    sq = (Z**2).sum(axis=1)
    D = sq[:, None] + sq[None, :] - 2.0 * (Z @ Z.T)
    np.maximum(D, 0, out=D)
    np.sqrt(D, out=D)
    np.fill_diagonal(D, 0.0)
    return D


def silhouette(D: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Mean silhouette from a precomputed distance matrix, O(n^2 k) as one matrix product.

    Examples
    --------
    >>> Z = np.array([[0.0], [0.1], [5.0], [5.1]])
    >>> round(silhouette(distance_matrix(Z), np.array([0, 0, 1, 1]), 2), 3)
    0.98
    """
    n = len(labels)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), labels] = 1.0
    counts = onehot.sum(axis=0)
    if np.count_nonzero(counts) < 2:
        return float("nan")
    sums = D @ onehot
    own = counts[labels]
    a = sums[np.arange(n), labels] / np.maximum(own - 1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        other = np.where(counts > 0, sums / counts, np.inf)
    other[np.arange(n), labels] = np.inf
    b = other.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(own > 1, (b - a) / np.maximum(a, b), 0.0)
    return float(np.nan_to_num(s).mean())


def _reference_silhouette(Z: np.ndarray, k: int, seed: int, draws: int = 2) -> float:
    """Silhouette of k-means at k on uniform data in the principal-component box of Z."""
    rng = np.random.RandomState(seed)
    rows = min(len(Z), REFERENCE_ROWS)
    centred = Z - Z.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    rotated = centred @ vt.T
    low, high = rotated.min(axis=0), rotated.max(axis=0)
    values = []
    for _ in range(draws):
        ref = rng.uniform(low, high, size=(rows, len(low))) @ vt
        k_ref = min(k, rows - 1)
        km = KMeans(n_clusters=k_ref, n_init=2, random_state=int(rng.randint(2**31 - 1))).fit(ref)
        values.append(silhouette(distance_matrix(ref), km.labels_, k_ref))
    return float(np.mean(values))


def _elbow(inertia: dict, k: int) -> float:
    """Drop of log W into k divided by the drop out of k (large at an elbow)."""
    if k - 1 not in inertia or k + 1 not in inertia:
        return float("nan")
    logs = {j: math.log(max(w, 1e-300)) for j, w in inertia.items()}
    into, out = logs[k - 1] - logs[k], logs[k] - logs[k + 1]
    return float(into / max(out, 1e-12))


def rank_k(table: pd.DataFrame, min_share: float) -> pd.DataFrame:
    """The k table with ``eligible``, ``rank_<index>``, ``score`` (mean rank) and ``chosen``.

    Ties on the mean rank go to the higher silhouette, then the smaller k. When no k keeps
    every segment at or above ``min_share``, all are ranked and a warning says so.
    """
    table = table.copy()
    table["eligible"] = table["smallest_share"] >= min_share
    pool = table["eligible"] if table["eligible"].any() else pd.Series(True, index=table.index)
    ranks = []
    for name, larger_better in INDICES.items():
        if table[name].notna().any():
            column = table[name].where(pool)
            table[f"rank_{name}"] = column.rank(ascending=not larger_better, method="min", na_option="keep")
            if column.notna().any():
                table.loc[pool & column.isna(), f"rank_{name}"] = pool.sum()
            ranks.append(f"rank_{name}")
    table["score"] = table[ranks].mean(axis=1).where(pool)
    order = table.assign(_sil=table["silhouette"].fillna(-np.inf), _k=table.index)[pool]
    order = order.sort_values(["score", "_sil", "_k"], ascending=[True, False, True])
    table["chosen"] = False
    table.loc[order.index[0], "chosen"] = True
    if not table["eligible"].any():
        warnings.warn(
            f"no k in {table.index.min()}..{table.index.max()} keeps every segment at or above "
            f"min_share={min_share:.0%}; chose the best-ranked k regardless",
            SegkitWarning,
            stacklevel=user_stacklevel(),
        )
    return table


class SampleScorer:
    """The validity indices of partitions of one sample ``S``; the silhouette is computed on
    the rows ``sil_idx`` of ``S`` (all when None), from their distance matrix ``D_sil``."""

    def __init__(self, S: np.ndarray, D_sil: np.ndarray, sil_idx: np.ndarray | None):
        self.S, self.D_sil, self.sil_idx = S, D_sil, sil_idx

    def row(self, labels: np.ndarray, k: int, *, inertia: float, bic: float, guard: bool = True) -> dict:
        """One row of the k table; with ``guard``, the cluster indices are NaN when fewer than
        two segments have members."""
        sizes = np.bincount(labels, minlength=k)
        ok = np.count_nonzero(sizes) > 1 or not guard
        sil_labels = labels if self.sil_idx is None else labels[self.sil_idx]
        return {
            "k": k,
            "silhouette": silhouette(self.D_sil, sil_labels, k),
            "calinski_harabasz": calinski_harabasz_score(self.S, labels) if ok else np.nan,
            "davies_bouldin": davies_bouldin_score(self.S, labels) if ok else np.nan,
            "bic": bic,
            "inertia": inertia,
            "smallest_share": sizes.min() / len(self.S),
        }


def choose_k(backend, scorer: SampleScorer, ks: list[int], seed: int, *, min_share: float,
             with_elbow: bool, progress: bool = False):
    """Fit every k in ``ks`` on the scorer's sample with ``backend`` and rank them.

    ``with_elbow`` fits k one step outside ``ks`` too, for the elbow strength at its ends.

    Returns
    -------
    table : DataFrame
        :func:`rank_k`'s table, indexed by k.
    fits : dict of int to Partition
    """
    S = scorer.S
    context = backend.prepare(S)
    rows, fits, inertia = [], {}, {}
    previous = None
    for k in tqdm(ks, desc="choosing k", disable=not progress):
        fit = backend.fit_k(S, k, seed, context=context)
        if previous is not None:
            fit = backend.improve(S, k, seed, fit, previous)
        previous = fits[k] = fit
        inertia[k] = fit.inertia
        rows.append(scorer.row(fit.labels, k, inertia=fit.inertia, bic=fit.bic))
    if with_elbow:
        for extra in (ks[0] - 1, ks[-1] + 1):
            if extra == 1:
                inertia[1] = float(((S - S.mean(axis=0)) ** 2).sum())
            elif 2 <= extra < len(S):
                inertia[extra] = backend.fit_k(S, extra, seed, context=context).inertia
    table = pd.DataFrame(rows).set_index("k")
    table["elbow"] = [_elbow(inertia, k) for k in table.index]
    return rank_k(table[_COLUMNS], min_share), fits


def score_found_k(fit, scorer: SampleScorer, *, min_share: float) -> pd.DataFrame:
    """The one-row k table of a partition whose k the backend found itself."""
    k = len(fit.centers)
    row = scorer.row(fit.labels, k, inertia=fit.inertia, bic=np.nan, guard=False)
    table = pd.DataFrame([{**row, "elbow": np.nan}]).set_index("k")
    return rank_k(table[_COLUMNS], min_share)


def structure_verdict(S_sil: np.ndarray, D_sil: np.ndarray, labels: np.ndarray, k: int, ari: float,
                      seed: int) -> dict:
    """'clear', 'weak' or 'none', with the reason and the evidence.

    'clear' when the silhouette beats that of structureless reference data (uniform in the
    principal-component box of the data, the gap-statistic reference) by at least 0.10 and
    the bootstrap ARI is at least 0.8 (or not measured), 'none' when the margin is below
    0.03, 'weak' otherwise.
    """
    observed = silhouette(D_sil, labels, k)
    reference = _reference_silhouette(S_sil, k, seed)
    margin = observed - reference
    stable = np.isnan(ari) or ari >= STABLE_ARI
    stab_text = "not measured" if np.isnan(ari) else f"{ari:.2f}"
    if margin >= CLEAR_MARGIN and stable:
        level = "clear"
        reason = (
            f"The segments are clear: silhouette {observed:.2f} against {reference:.2f} for "
            f"structureless reference data at the same k, and bootstrap ARI {stab_text}."
        )
    elif margin < WEAK_MARGIN:
        level = "none"
        reason = (
            f"The data shows no cluster structure: silhouette {observed:.2f} is no better than "
            f"{reference:.2f} for structureless reference data (bootstrap ARI {stab_text}); treat "
            "the segments as a convenient partition, not as distinct groups."
        )
    else:
        level = "weak"
        reason = (
            f"The cluster structure is weak: silhouette {observed:.2f} against {reference:.2f} for "
            f"structureless reference data, bootstrap ARI {stab_text}; interpret the segments with care."
        )
    return {
        "level": level,
        "reason": reason,
        "silhouette": float(observed),
        "reference_silhouette": float(reference),
        "margin": float(margin),
        "stability_ari": float(ari),
    }


def _index_name(index: str) -> str:
    return INDEX_NAMES[index].split(" (")[0]


def explain_k(table: pd.DataFrame, *, n: int, n_sample: int, n_sil: int, ks: list[int], n_segments,
              algorithm: str, min_share: float, found_by: str | None = None, noise_share: float = 0.0) -> list[str]:
    """Plain-language sentences explaining the choice of k.

    Parameters
    ----------
    table : DataFrame
        :func:`rank_k`'s table.
    n, n_sample, n_sil : int
        Customers, rows of the sample k was chosen on, rows of the silhouette.
    ks : list of int
        The k tried.
    n_segments : "auto" or int
        The segmenter's parameter.
    algorithm : str
        The algorithm used.
    min_share : float
        The eligibility share.
    found_by : str, optional
        The name of the algorithm when it found k itself (HDBSCAN).
    noise_share : float
        Share of the sample that algorithm called noise.
    """
    k = int(table.index[table["chosen"]][0])
    where = f"all {n:,} customers" if n_sample == n else f"a seeded sample of {n_sample:,} of {n:,} customers"
    if len(table) == 1:
        if found_by:
            reasons = [f"{found_by} found {k} segments on {where}; {noise_share:.1%} of the sample was "
                       "noise and went to the segment of its nearest clustered neighbour."]
        elif n_segments != "auto":
            reasons = [f"k = {k} was given (n_segments={k}); its indices were computed on {where}."]
        else:
            reasons = [f"k = {k} is the only k tried (k_min to k_max, at most one fewer than the customers); "
                       f"its indices were computed on {where}."]
        share = table.loc[k, "smallest_share"]
        if share < min_share:
            reasons.append(f"Its smallest segment holds {share:.1%} of customers, below min_share={min_share:.0%}.")
        return reasons
    reasons = [f"Tried k = {ks[0]} to {ks[-1]} with {algorithm} on {where} (silhouette on {n_sil:,} of them)."]
    bad = table.index[~table["eligible"]].tolist()
    if bad and table["eligible"].any():
        reasons.append(
            f"k = {', '.join(map(str, bad))} not eligible: the smallest segment held less than "
            f"{min_share:.0%} of customers."
        )
    elif bad:
        reasons.append(f"No k had every segment above min_share={min_share:.0%}; all k were ranked.")
    used = [c for c in INDICES if f"rank_{c}" in table.columns]
    reasons.append(
        f"k = {k} has the best mean rank ({table.loc[k, 'score']:.2f}) across "
        + ", ".join(_index_name(c) for c in used) + "."
    )
    pool = table[table["eligible"]] if table["eligible"].any() else table
    tied = [int(j) for j in pool.index[np.isclose(pool["score"], table.loc[k, "score"])] if j != k]
    if tied:
        sil = pool["silhouette"]
        decided = ("the higher silhouette decided" if not np.isclose(sil[tied], sil[k]).all()
                   else "with equal silhouettes, the smaller k was taken")
        reasons.append(f"k = {', '.join(map(str, tied))} had the same mean rank; {decided}.")
    agree, disagree = [], []
    for c in used:
        values = pool[c].dropna()
        if values.empty:
            continue
        best = int(values.idxmax() if INDICES[c] else values.idxmin())
        (agree if best == k else disagree).append((c, best))
    if agree:
        reasons.append("Best at k = %d by itself: %s." % (k, ", ".join(_index_name(c) for c, _ in agree)))
    for c, best in disagree:
        reasons.append(f"{_index_name(c)} alone would pick k = {best}.")
    return reasons
