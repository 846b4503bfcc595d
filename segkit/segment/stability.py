"""Bootstrap stability: how reproducible each segment is when the customers are resampled.

Each bootstrap draws the rows with replacement, refits the same number of segments with the
same backend and matches every original segment to its best-overlapping refitted one (Jaccard
index on the customers drawn); the adjusted Rand index measures the partition as a whole.

Examples
--------
>>> import numpy as np
>>> from segkit.segment.backends import make_backend
>>> Z = np.r_[np.random.default_rng(0).normal(0, 0.3, (40, 2)), np.random.default_rng(1).normal(5, 0.3, (40, 2))]
>>> reference = np.repeat([0, 1], 40)
>>> result = bootstrap_stability(Z, reference, 2, backend=make_backend("kmeans", n_init=2), n_bootstrap=3,
...                              threshold=0.6, seed=0)
>>> result["ari"], result["unstable"]
(1.0, [])
"""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score

from segkit._progress import progress as with_progress

__all__ = ["SCREEN_BOOTSTRAPS", "SCREEN_ROWS", "bootstrap_stability", "not_measured", "screen_stability",
           "stability_without"]

#: The quick stability screen of every candidate k: bootstraps and rows per bootstrap.
SCREEN_BOOTSTRAPS = 5
SCREEN_ROWS = 2_000


def not_measured(threshold: float) -> dict:
    """The stability record when no bootstrap ran (one segment, or ``n_bootstrap=0``)."""
    return {
        "ari": float("nan"), "per_segment": {}, "unstable": [], "n_bootstrap": 0,
        "n_rows": 0, "threshold": float(threshold),
    }


def bootstrap_stability(Z: np.ndarray, reference: np.ndarray, k: int, *, backend, n_bootstrap: int,
                        threshold: float, seed: int, progress: bool = False) -> dict:
    """Bootstrap refits matched to the reference segments by best Jaccard overlap.

    Parameters
    ----------
    Z : ndarray of shape (n_rows, n_prepared_features)
        The prepared rows to resample.
    reference : ndarray of int
        Their segments in the fitted model (0..k-1).
    k : int
        Number of segments.
    backend : Backend
        Refits each bootstrap sample (:meth:`~segkit.segment.backends.Backend.refit_labels`).
    n_bootstrap : int
        Number of refits.
    threshold : float
        Segments whose mean Jaccard similarity is below this are listed as unstable.
    seed : int
        Seed of the draws and refits.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    dict
        ``ari`` (mean adjusted Rand index), ``per_segment`` {id: mean Jaccard}, ``unstable``,
        ``n_bootstrap``, ``n_rows``, ``threshold``.
    """
    rng = np.random.RandomState(seed)
    n = len(Z)
    jaccard = np.zeros((n_bootstrap, k))
    aris = np.zeros(n_bootstrap)
    for b in with_progress(range(n_bootstrap), desc="stability", show=progress):
        draw = rng.randint(0, n, size=n)
        shared = np.unique(draw)
        fit_seed = int(rng.randint(0, 2**31 - 1))
        boot = backend.refit_labels(Z[draw], Z[shared], k, fit_seed)
        ref = reference[shared]
        aris[b] = adjusted_rand_score(ref, boot)
        table = np.zeros((k, int(boot.max()) + 1))
        np.add.at(table, (ref, boot), 1)
        union = table.sum(axis=1)[:, None] + table.sum(axis=0)[None, :] - table
        with np.errstate(invalid="ignore", divide="ignore"):
            jaccard[b] = np.nan_to_num(table / union).max(axis=1)
    per_segment = {int(j): float(jaccard[:, j].mean()) for j in range(k)}
    return {
        "ari": float(aris.mean()),
        "per_segment": per_segment,
        "unstable": [j for j, v in per_segment.items() if v < threshold],
        "n_bootstrap": int(n_bootstrap),
        "n_rows": int(n),
        "threshold": float(threshold),
    }


def screen_stability(S: np.ndarray, fits: dict, *, backend, seed: int, threshold: float,
                     n_bootstrap: int = SCREEN_BOOTSTRAPS, rows: np.ndarray | None = None) -> dict[int, float]:
    """The weakest segment's mean bootstrap Jaccard for every fitted k: a quick screen.

    Each k's partition of ``S`` (``fits[k].labels``) is checked with ``n_bootstrap`` refits of
    the rows ``rows`` of ``S`` (all when None), so that a k whose best fit holds a segment
    that is an accident of the sample is not chosen. The chosen k gets the full check.

    Examples
    --------
    >>> from segkit.segment.backends import make_backend
    >>> rng = np.random.default_rng(0)
    >>> S = np.r_[rng.normal(0, 0.3, (60, 2)), rng.normal(5, 0.3, (60, 2))]
    >>> backend = make_backend("kmeans", n_init=2)
    >>> fits = {k: backend.fit_k(S, k, seed=0) for k in (2, 5)}
    >>> screen = screen_stability(S, fits, backend=backend, seed=0, threshold=0.6)
    >>> screen[2] > 0.9, screen[5] < screen[2]
    (True, True)
    """
    out = {}
    for k, fit in fits.items():
        labels = fit.labels if rows is None else fit.labels[rows]
        Z = S if rows is None else S[rows]
        result = bootstrap_stability(Z, labels, k, backend=backend, n_bootstrap=n_bootstrap, threshold=threshold,
                                     seed=seed)
        out[int(k)] = min(result["per_segment"].values())
    return out


def stability_without(segmenter, X) -> dict:
    """The bootstrap stability of the same segmentation fitted on ``X`` instead: the fitted
    ``segmenter``'s algorithm, number of segments, seed and bootstraps, one extra fit.

    What ``survey.centre`` / ``survey.factors`` did to stability is the fitted segmenter's
    ``stability_`` against this one on the rating items as answered.
    """
    other = clone(segmenter).set_params(n_segments=int(segmenter.n_segments_), algorithm=segmenter.algorithm_,
                                        prefer_k=None, progress=False)
    return other.fit(X).stability_
