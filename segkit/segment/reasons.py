"""The plain-language reasons for the choice of k: what bounded the k tried, which k were not
eligible, why the chosen k (the BIC's minimum, or the most votes of the indices), and where the
indices disagree.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from segkit.segment.selection import rank_k
>>> table = pd.DataFrame({"silhouette": [0.6, 0.4], "calinski_harabasz": [900.0, 500.0],
...                       "davies_bouldin": [0.5, 0.9], "bic": np.nan, "inertia": [10.0, 8.0],
...                       "elbow": [2.0, 1.0], "smallest_share": [0.4, 0.2]},
...                      index=pd.Index([2, 3], name="k"))
>>> explain_k(rank_k(table, min_share=0.02), n=500, n_sample=500, n_sil=500, ks=[2, 3],
...           n_segments="auto", algorithm="kmeans", min_share=0.02)[1]
'Each of silhouette, Calinski-Harabasz, Davies-Bouldin, elbow voted for its best k: k = 2 has the most votes (4 of 4).'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.segment.selection import _COMPARED, INDEX_NAMES, INDICES, PREFER_MARGIN, STABLE_CLOSE

__all__ = ["explain_k"]


def _index_name(index: str) -> str:
    return INDEX_NAMES[index].split(" (")[0]


def explain_k(table: pd.DataFrame, *, n: int, n_sample: int, n_sil: int, ks: list[int], n_segments,
              algorithm: str, min_share: float, found_by: str | None = None, noise_share: float = 0.0,
              min_size: int = 1, limits: list[str] | None = None) -> list[str]:
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
    min_size : int
        The fewest customers a segment may hold (privacy.min_cell_size in a report).
    limits : list of str, optional
        Sentences saying what bounded the k tried (distinct profiles, min_size).
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
        return reasons + list(limits or [])
    reasons = [f"Tried k = {ks[0]} to {ks[-1]} with {algorithm} on {where} (silhouette on {n_sil:,} distinct "
               "profiles of them)."]
    reasons += list(limits or [])
    bad = table.index[~table["eligible"]].tolist()
    if bad and table["eligible"].any():
        reasons.append(
            f"k = {_listed(bad)} not eligible: the smallest segment held less than {min_share:.1%} of customers"
            + (f" (fewer than {min_size:,})." if min_size > 1 else ".")
        )
    elif bad:
        reasons.append(f"No k had every segment above min_share={min_share:.0%}; all k were ranked.")
    pool = table[table["eligible"]] if table["eligible"].any() else table
    if "stable" in pool and pool["stable"].any():
        pool = pool[pool["stable"]]  # the k the indices voted among
    if "bic_minimum" in table and table["bic_minimum"].any():
        reasons += _bic_reasons(table, pool, k)
    else:
        reasons += _rank_reasons(table, pool, k)
    reasons += _agreement(pool, k)
    return reasons


def _listed(ks) -> str:
    return ", ".join(str(int(j)) for j in ks)


def _bic_reasons(table: pd.DataFrame, pool: pd.DataFrame, k: int) -> list[str]:
    """Why the BIC's minimum decided, and whether a shaky segment moved the choice."""
    best = int(table.index[table["bic_minimum"]][0])
    after = table.index[table.index > best]
    if "kept" in table and table.loc[k, "kept"]:
        return [f"k = {k}, the previous run's number of segments (monitor.previous), was kept so that the runs "
                f"compare like with like: the BIC is lowest at k = {best}, but not by more than "
                f"{PREFER_MARGIN:.0%} of its range over the k tried, so the data do not clearly say otherwise."]
    reasons = [f"The BIC has a minimum at k = {best} ({table.loc[best, 'bic']:,.0f}; it rises again at k = "
               f"{_listed(after)}): there the mixture of segments explains the customers best for the "
               "parameters it needs, so the BIC decides."]
    if k != best:
        reasons.append(f"k = {best} held a segment that did not hold up under resampling (weakest bootstrap "
                       f"Jaccard {table.loc[best, 'stability_min']:.2f}), and k = {k}, whose segments held up, "
                       f"scores within {STABLE_CLOSE:.0%} of the BIC's range of it, so k = {k} was taken.")
    elif not table.loc[k, "stable"]:
        reasons.append(f"Its weakest segment did not hold up under resampling (bootstrap Jaccard "
                       f"{table.loc[k, 'stability_min']:.2f}) and no stable k scores close, so it is kept "
                       "with its unstable segments flagged.")
    return reasons


def _rank_reasons(table: pd.DataFrame, pool: pd.DataFrame, k: int) -> list[str]:
    """Why the most votes of the four indices (the BIC having no minimum)."""
    used = [c for c in _COMPARED if f"rank_{c}" in table.columns]
    reasons = []
    if "bic" in table and table["bic"].notna().any():
        reasons.append("The BIC keeps falling to the largest k tried, or past the k whose segments hold up, "
                       "so it has no say: the mixture model does not fit the data's shape (answers on a scale, "
                       "heavy-tailed spend) and would add segments without end.")
    screened = "stability_min" in table and table["stability_min"].notna().any() and table["stable"].any()
    among = " among the k whose every segment held up under resampling" if screened else ""
    if "kept" in table and table.loc[k, "kept"]:
        return reasons + [f"k = {k}, the previous run's number of segments (monitor.previous), was kept so that "
                          "the runs compare like with like: its mean rank across " + ", ".join(map(_index_name, used))
                          + " is within one of the best."]
    votes = int(table.loc[k, "votes"]) if "votes" in table and pd.notna(table.loc[k, "votes"]) else 0
    reasons.append(f"Each of {', '.join(_index_name(c) for c in used)} voted for its best k{among}: k = {k} "
                   f"has the most votes ({votes} of {len(used)}).")
    tied = [int(j) for j in pool.index[pool["votes"] == votes] if j != k] if "votes" in pool else []
    if tied:
        sil = pool["silhouette"]
        decided = ("the higher silhouette decided" if not np.isclose(sil[tied], sil[k]).all()
                   else "with equal silhouettes, the smaller k was taken")
        reasons.append(f"k = {_listed(tied)} had as many votes; {decided}.")
    return reasons


def _agreement(pool: pd.DataFrame, k: int) -> list[str]:
    """Which indices pick the chosen k by themselves, and which would pick another."""
    picks: dict[int, list[str]] = {}
    for c in _COMPARED:
        values = pool[c].dropna() if c in pool else pd.Series(dtype=float)
        if not values.empty:
            best = int(values.idxmax() if INDICES[c] else values.idxmin())
            picks.setdefault(best, []).append(_index_name(c))
    if not picks:
        return []
    if list(picks) == [k]:
        return [f"The indices agree: {', '.join(picks[k])} pick k = {k} too."]
    lines = [f"The indices disagree: " + "; ".join(
        f"{', '.join(names)} would pick k = {j}" for j, names in sorted(picks.items()) if j != k) + "."]
    if k in picks:
        lines.append(f"{', '.join(picks[k])} pick k = {k} too.")
    if any(j < k for j in picks) and "bic_minimum" in pool and pool["bic_minimum"].any():
        lines.append("Silhouette, Calinski-Harabasz and Davies-Bouldin favour fewer, larger segments when "
                     "segments differ in size or spread; BIC does not.")
    return lines
