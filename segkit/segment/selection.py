"""Choosing the number of segments: validity indices, their ranking and the choice, and the
structure verdict against structureless reference data (the reasons for the choice are in
:mod:`segkit.segment.reasons`).

For each k the sample is clustered by a backend (:mod:`segkit.segment.backends`) and scored by
the silhouette (on at most 3,000 seeded *distinct* profiles, from one precomputed distance
matrix), Calinski-Harabasz and Davies-Bouldin, the elbow strength and BIC (the Gaussian
mixture's own, or :func:`segkit.segment.likelihood.mixture_bic` of the partition), and, when
the segmenter measures stability, the weakest segment's bootstrap Jaccard similarity.

The choice (:func:`rank_k`). The pool is the eligible k (smallest segment >= ``min_share`` and,
in customers, >= ``min_size``) whose every segment held up under resampling. Where the BIC has a
minimum (:func:`bic_minimum`: it rises again over at least two larger k), that k is chosen:
silhouette, Calinski-Harabasz and Davies-Bouldin favour few segments when segments differ in
size or spread, BIC does not (``benchmarks/bench_choose_k.py``). An unstable minimum gives way
to a stable k that scores close. Where the BIC keeps falling -- its mixture model does not
describe answers on a scale or heavy-tailed spend, and would add segments without end -- the
other four indices each vote for their best k in the pool and the most votes win (ties: higher
silhouette, then smaller k).

Examples
--------
>>> import numpy as np, pandas as pd
>>> table = pd.DataFrame({"silhouette": [0.6, 0.4], "calinski_harabasz": [900.0, 500.0],
...                       "davies_bouldin": [0.5, 0.9], "bic": np.nan, "inertia": [10.0, 8.0],
...                       "elbow": [2.0, 1.0], "smallest_share": [0.4, 0.2]},
...                      index=pd.Index([2, 3], name="k"))
>>> rank_k(table, min_share=0.02)["chosen"].tolist()
[True, False]
>>> rank_k(table, min_share=0.02)["votes"].tolist()
[4, 0]
"""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score

from segkit._progress import progress as with_progress
from segkit.exceptions import SegkitWarning, SegmentationError, user_stacklevel
from segkit.segment.likelihood import ColumnLayout, mixture_bic

__all__ = [
    "CLEAR_MARGIN",
    "INDEX_NAMES",
    "INDICES",
    "REFERENCE_ROWS",
    "SILHOUETTE_ROWS",
    "BIC_ROWS",
    "CLEAR_DISTINCT_PER_SEGMENT",
    "DISTINCT_PER_SEGMENT",
    "PREFER_MARGIN",
    "STABLE_ARI",
    "WEAK_MARGIN",
    "SampleScorer",
    "candidate_ks",
    "check_size",
    "choose_k",
    "distance_matrix",
    "distinct_rows",
    "bic_minimum",
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
# Rows the mixture BIC of each k is computed on.
BIC_ROWS = 10_000
# Distinct profiles each segment needs: k never exceeds distinct profiles / 5, and structure is
# called clear only with at least 10 distinct profiles per segment.
DISTINCT_PER_SEGMENT = 5
CLEAR_DISTINCT_PER_SEGMENT = 10
# A preferred k (the previous run's) is kept unless another k's BIC is lower by more than this
# share of the BIC's range over the k tried: only when the data clearly say otherwise.
PREFER_MARGIN = 0.10
# The BIC decides k only where it has a minimum: at least BIC_AFTER larger k tried, each with a
# BIC higher by at least BIC_RISE of the BIC's range over the k tried.
BIC_RISE, BIC_AFTER = 0.005, 2
# An unstable BIC minimum gives way to a stable k whose BIC is within this share of the range.
STABLE_CLOSE = 0.02

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
#: Indices that vote for k when the BIC has no minimum (and that the reasons compare with the choice).
_COMPARED = ("silhouette", "calinski_harabasz", "davies_bouldin", "elbow")


def check_size(n: int, n_segments, min_size: int) -> None:
    """Enough customers for two segments of ``min_size`` customers (else one error); a warning when
    an integer ``n_segments`` leaves room for smaller ones. (Fewer customers than ``n_segments``:
    :func:`segkit.segment.validation.check_customers`.)"""
    if n < 2 * min_size:
        raise SegmentationError(
            f"the data have {n} customers, too few for two segments of at least min_size={min_size} "
            f"customers each (privacy.min_cell_size in a report config); need at least {2 * min_size}"
        )
    if isinstance(n_segments, numbers.Integral) and n < n_segments * min_size:
        warnings.warn(
            f"n_segments={n_segments} on {n} customers leaves room for segments smaller than "
            f"min_size={min_size}; their figures will be suppressed", SegkitWarning, stacklevel=4,
        )

def candidate_ks(n: int, n_distinct: int, *, n_segments, k_min: int, k_max: int, min_size: int
             ) -> tuple[list[int], list[str]]:
    """The k to try and the sentences saying what bounded them: customers / ``min_size``,
    and distinct profiles / :data:`~segkit.segment.selection.DISTINCT_PER_SEGMENT`."""
    if n_segments != "auto":
        return [int(n_segments)], []
    high = min(k_max, n - 1)
    if high < k_min:
        raise SegmentationError(
            f"the data have {n} customers (n_samples = {n}), too few to try k_min={k_min} segments; "
            f"choosing k needs at least k_min + 1 = {k_min + 1} customers"
        )
    limits = []
    by_size = n // min_size
    if by_size < high:
        high = max(by_size, 2)
        limits.append(f"At most {high} segments: each must hold at least min_size = {min_size} "
                      f"customers (privacy.min_cell_size), and there are {n:,}.")
    by_profiles = n_distinct // DISTINCT_PER_SEGMENT
    if by_profiles < high:
        high = max(by_profiles, 2)
        limits.append(f"At most {high} segments: the data hold {n_distinct:,} distinct customer profiles, "
                      f"and a segment should group at least {DISTINCT_PER_SEGMENT} of them.")
    low = min(k_min, high)
    return list(range(low, high + 1)), limits


def distinct_rows(S: np.ndarray) -> np.ndarray:
    """Positions of the first row of every distinct profile of ``S`` (rounded to 9 decimals),
    in row order.

    A table of answers (counts of children, a few categories) holds thousands of customers
    but few distinct profiles; a silhouette on its repeated points says how well identical
    customers are grouped together, which is always well. Structure is judged on these rows.

    Examples
    --------
    >>> distinct_rows(np.array([[0.0, 1.0], [0.0, 1.0], [2.0, 0.0], [0.0, 1.0]])).tolist()
    [0, 2]
    """
    _, first = np.unique(np.round(S, 9), axis=0, return_index=True)
    return np.sort(first)


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


def bic_minimum(table: pd.DataFrame, pool: pd.Series) -> int | None:
    """The k at which the BIC has a minimum, or None when it has none.

    A minimum is the lowest BIC among the ``pool`` k, with at least :data:`BIC_AFTER` larger
    k tried and every one of them higher by at least :data:`BIC_RISE` of the BIC's range. A
    BIC that keeps falling to the largest k tried, or past it into k the pool leaves out, says
    that the mixture model does not describe the data's shape (answers on a scale, heavy-tailed
    spend): it would add segments without end, so it has no say.

    Examples
    --------
    >>> t = pd.DataFrame({"bic": [900.0, 500.0, 530.0, 560.0, 600.0]}, index=[2, 3, 4, 5, 6])
    >>> bic_minimum(t, pd.Series(True, index=t.index))
    3
    >>> falling = pd.DataFrame({"bic": [900.0, 800.0, 700.0, 650.0, 640.0]}, index=[2, 3, 4, 5, 6])
    >>> bic_minimum(falling, pd.Series(True, index=falling.index)) is None
    True
    """
    bic = table["bic"]
    if not bic[pool].notna().any():
        return None
    best = int(bic[pool].idxmin())
    later = bic[bic.index > best].dropna()
    span = float(bic.max() - bic.min())
    if len(later) < BIC_AFTER or span <= 0 or (later.min() - bic[best]) < BIC_RISE * span:
        return None
    return best


def rank_k(table: pd.DataFrame, min_share: float, *, stability_threshold: float | None = None,
           prefer: int | None = None) -> pd.DataFrame:
    """The k table with ``eligible``, ``stable``, ``rank_<index>``, ``score`` (mean rank),
    ``votes`` and ``chosen``.

    The pool is the eligible k (every segment at least ``min_share``) whose weakest segment's
    bootstrap Jaccard (``stability_min``, when measured) is at least ``stability_threshold``
    (all eligible k when none is stable). Where the BIC has a minimum (:func:`bic_minimum`,
    looked for among the eligible k) that k is chosen -- if it is stable, or no stable k has a
    BIC within :data:`STABLE_CLOSE` of the BIC's range of it; otherwise the stable k with the
    lowest BIC. Without a BIC minimum, silhouette, Calinski-Harabasz, Davies-Bouldin and elbow
    each vote for their best k in the pool; the most votes win (ties: higher silhouette, then
    smaller k). A ``prefer``-red k (the previous run's) in the pool is kept unless the BIC
    minimum beats it by more than :data:`PREFER_MARGIN` of the BIC's range or, without one,
    unless its mean rank is more than one behind the chosen k's (``kept`` marks it). When no
    k keeps every segment at or above ``min_share``, all are ranked and a warning says so.
    """
    table = table.copy()
    table["eligible"] = table["smallest_share"] >= min_share
    eligible = table["eligible"] if table["eligible"].any() else pd.Series(True, index=table.index)
    measured = "stability_min" in table and stability_threshold is not None and table["stability_min"].notna().any()
    table["stable"] = table["stability_min"] >= stability_threshold if measured else True
    pool = eligible & table["stable"] if (eligible & table["stable"]).any() else eligible
    voters = []
    for name, larger_better in INDICES.items():
        if table[name].notna().any():
            column = table[name].where(pool)
            table[f"rank_{name}"] = column.rank(ascending=not larger_better, method="min", na_option="keep")
            if column.notna().any():
                table.loc[pool & column.isna(), f"rank_{name}"] = pool.sum()
            if name in _COMPARED:
                voters.append(f"rank_{name}")
    table["score"] = table[voters].mean(axis=1).where(pool) if voters else np.nan
    table["votes"] = (table[voters] == 1).sum(axis=1).where(pool) if voters else np.nan
    table["bic_minimum"] = False
    best = bic_minimum(table, eligible) if "bic" in table else None
    bic_span = float(table["bic"].max() - table["bic"].min()) if best is not None else 0.0
    if best is not None:
        table.loc[best, "bic_minimum"] = True
        chosen = best
        if not table.loc[best, "stable"]:
            near = pool & table["stable"] & (table["bic"] <= table.loc[best, "bic"] + STABLE_CLOSE * bic_span)
            if near.any():
                chosen = int(table.loc[near, "bic"].idxmin())
    else:
        order = table.assign(_sil=table["silhouette"].fillna(-np.inf), _k=table.index)[pool]
        order = order.sort_values(["votes", "_sil", "_k"], ascending=[False, False, True])
        chosen = int(order.index[0])
    table["kept"] = False
    if prefer is not None and prefer != chosen and prefer in table.index and pool.get(prefer, False):
        if best is not None:
            keep = table.loc[prefer, "bic"] - table.loc[chosen, "bic"] <= PREFER_MARGIN * bic_span
        else:
            keep = table.loc[prefer, "score"] - table.loc[chosen, "score"] <= 1.0
        if keep:
            chosen = prefer
            table.loc[prefer, "kept"] = True
    table["chosen"] = False
    table.loc[chosen, "chosen"] = True
    if not table["eligible"].any():
        warnings.warn(
            f"no k in {table.index.min()}..{table.index.max()} keeps every segment at or above "
            f"min_share={min_share:.0%}; chose the best-ranked k regardless",
            SegkitWarning,
            stacklevel=user_stacklevel(),
        )
    return table


class SampleScorer:
    """The validity indices of partitions of one sample ``S``.

    The silhouette is computed on the rows ``sil_idx`` of ``S`` (all when None; segkit passes
    distinct profiles), from their distance matrix ``D_sil``; the mixture BIC on the rows
    ``bic_idx`` (all when None) with the column kinds of ``layout`` (no BIC without one).
    """

    def __init__(self, S: np.ndarray, D_sil: np.ndarray, sil_idx: np.ndarray | None,
                 layout: ColumnLayout | None = None, bic_idx: np.ndarray | None = None):
        self.S, self.D_sil, self.sil_idx = S, D_sil, sil_idx
        self.layout, self.bic_idx = layout, bic_idx

    def bic(self, labels: np.ndarray, k: int) -> float:
        """The mixture BIC of a partition (NaN without a column layout)."""
        if self.layout is None:
            return float("nan")
        rows = self.S if self.bic_idx is None else self.S[self.bic_idx]
        return mixture_bic(rows, labels if self.bic_idx is None else labels[self.bic_idx], k, self.layout)

    def row(self, labels: np.ndarray, k: int, *, inertia: float, bic: float, guard: bool = True) -> dict:
        """One row of the k table; with ``guard``, the cluster indices are NaN when fewer than
        two segments have members. ``bic`` is the backend's own (NaN: the mixture BIC)."""
        sizes = np.bincount(labels, minlength=k)
        ok = np.count_nonzero(sizes) > 1 or not guard
        sil_labels = labels if self.sil_idx is None else labels[self.sil_idx]
        return {
            "k": k,
            "silhouette": silhouette(self.D_sil, sil_labels, k),
            "calinski_harabasz": calinski_harabasz_score(self.S, labels) if ok else np.nan,
            "davies_bouldin": davies_bouldin_score(self.S, labels) if ok else np.nan,
            "bic": bic if np.isfinite(bic) else self.bic(labels, k),
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
    for k in with_progress(ks, desc="choosing k", show=progress):
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
                      seed: int, *, n_distinct: int | None = None, n_customers: int | None = None) -> dict:
    """'clear', 'weak' or 'none', with the reason and the evidence.

    The rows ``S_sil`` are distinct profiles (:func:`distinct_rows`). 'clear' when their
    silhouette beats that of structureless reference data (uniform in the principal-component
    box of the data, the gap-statistic reference) by at least 0.10, the bootstrap ARI is at
    least 0.8 (or not measured) and there are at least 10 distinct profiles per segment
    (``n_distinct``; a silhouette on a few repeated points says nothing about clusters);
    'none' when the margin is below 0.03, 'weak' otherwise.
    """
    observed = silhouette(D_sil, labels, k)
    reference = _reference_silhouette(S_sil, k, seed)
    margin = observed - reference
    stable = np.isnan(ari) or ari >= STABLE_ARI
    stab_text = "not measured" if np.isnan(ari) else f"{ari:.2f}"
    n_distinct = len(S_sil) if n_distinct is None else int(n_distinct)
    few = n_distinct < CLEAR_DISTINCT_PER_SEGMENT * k
    if margin >= CLEAR_MARGIN and stable and few:
        level = "weak"
        among = f" among {n_customers:,} customers" if n_customers else ""
        reason = (
            f"The cluster structure cannot be called clear: the data hold only {n_distinct:,} distinct "
            f"profiles{among}, fewer than {CLEAR_DISTINCT_PER_SEGMENT} per segment, so the segments group "
            f"identical answers (silhouette on the distinct profiles {observed:.2f} against {reference:.2f} "
            f"for structureless reference data, bootstrap ARI {stab_text}); read them as a summary of the "
            "answers, not as distinct groups."
        )
    elif margin >= CLEAR_MARGIN and stable:
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
        "distinct_profiles": n_distinct,
    }
