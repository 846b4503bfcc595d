"""How many groups the data need: the BIC of a mixture model started at each partition.

Silhouette, Calinski-Harabasz and Davies-Bouldin reward few, well-separated segments: when
segments differ in size or spread they prefer to merge some (on ``bench_choose_k.py`` they
chose too few segments in 37 of 41 misses). A mixture model asks instead how many groups
the data need. Each group is a product of independent distributions, one per prepared
column, of the kind that column is:

* numbers, logs and ordered scales: a normal distribution with the group's own mean and
  variance (the variance never below the column's rounding, ``step^2 / 12``, so a column of
  counts is not fitted better and better by groups that each hold one count);
* flags: a Bernoulli distribution;
* categories (their one-hot block): a categorical distribution.

:func:`mixture_bic` starts the mixture at a partition (the segments a backend found for k),
runs a few EM steps, so that overlapping groups share their border customers instead of
being cut apart, and returns the Bayesian information criterion ``-2 log L + p log n`` (lower
is better), with one parameter per mean, variance, flag rate and free level share plus
``k - 1`` mixing shares: the model-selection criterion of mixture models (mclust's,
:class:`sklearn.mixture.GaussianMixture`'s ``bic``) for the partition of any backend.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> Z = np.r_[rng.normal(0, 1, (200, 2)), rng.normal(6, 1, (200, 2))]
>>> layout = ColumnLayout.numeric(2)
>>> one, two = np.zeros(400, dtype=int), np.repeat([0, 1], 200)
>>> mixture_bic(Z, two, 2, layout) < mixture_bic(Z, one, 1, layout)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["ColumnLayout", "mixture_bic", "rounding_floor"]

#: EM steps from the partition (the log-likelihood has settled by then on every benchmark case).
EM_STEPS = 15

#: Smallest variance of a prepared numeric column in a group (standardised units: a twentieth
#: of the column's spread, squared), so that a group of customers sharing one value (no
#: returns, no web orders) is not fitted better and better as it gets purer.
VARIANCE_FLOOR = 0.05**2


@dataclass
class ColumnLayout:
    """Which prepared columns are numbers, flags and one-hot category blocks.

    Attributes
    ----------
    gaussian : list of int
        Columns modelled as normal (numbers, logs, ordered scales).
    binary : list of int
        Flags (two values, coded -h/+h).
    categories : list of list of int
        One block of one-hot columns per categorical feature.
    floor : ndarray
        Smallest variance of each ``gaussian`` column: its rounding step squared over 12.
    """

    gaussian: list[int] = field(default_factory=list)
    binary: list[int] = field(default_factory=list)
    categories: list[list[int]] = field(default_factory=list)
    floor: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @classmethod
    def numeric(cls, n_columns: int) -> ColumnLayout:
        """A layout of ``n_columns`` numeric columns (no flags, no categories)."""
        return cls(gaussian=list(range(n_columns)), floor=np.full(n_columns, VARIANCE_FLOOR))

    @classmethod
    def from_names(cls, names, category_sizes, Z: np.ndarray) -> ColumnLayout:
        """The layout of segkit's preprocessor output (:mod:`segkit.features.preprocess`):
        ``bin__``/``ordbin__`` columns are flags, ``cat__`` columns one-hot blocks of the sizes
        ``category_sizes`` (in order), the rest numbers; the floors come from the rows ``Z``."""
        gaussian, binary, first_category = [], [], None
        for j, name in enumerate(map(str, names)):
            if name.startswith(("bin__", "ordbin__")):
                binary.append(j)
            elif name.startswith("cat__"):
                first_category = j if first_category is None else first_category
            else:
                gaussian.append(j)
        categories, start = [], first_category or 0
        for size in category_sizes if first_category is not None else ():
            categories.append(list(range(start, start + int(size))))
            start += int(size)
        return cls(gaussian, binary, categories, rounding_floor(Z[:, gaussian]))

    @classmethod
    def from_preprocessor(cls, preprocessor, Z: np.ndarray) -> ColumnLayout:
        """The layout of a fitted segkit preprocessor's output rows ``Z``."""
        return cls.from_names(*_names_and_sizes(preprocessor), Z)

    @property
    def n_parameters_per_segment(self) -> int:
        """Means and variances, flag rates and free level shares of one segment."""
        return 2 * len(self.gaussian) + len(self.binary) + sum(len(b) - 1 for b in self.categories)


def _names_and_sizes(preprocessor) -> tuple[list, list[int]]:
    prepare = preprocessor.named_steps["prepare"]
    sizes = []
    if "cat" in prepare.named_transformers_:
        sizes = [len(c) for c in prepare.named_transformers_["cat"].named_steps["onehot"].categories_]
    return list(prepare.get_feature_names_out()), sizes


def category_blocks(preprocessor) -> list[list[int]]:
    """The output columns of a fitted segkit preprocessor that are one categorical feature's
    one-hot dummies, one block per feature."""
    names, sizes = _names_and_sizes(preprocessor)
    return ColumnLayout.from_names(names, sizes, np.zeros((1, len(names)))).categories


def rounding_floor(G: np.ndarray) -> np.ndarray:
    """Per column, the variance of its rounding, (median step between distinct values)^2 / 12, at
    least :data:`VARIANCE_FLOOR`.

    Examples
    --------
    >>> rounding_floor(np.array([[0.0, 0.5], [1.0, 0.6], [2.0, 0.8]])).round(4).tolist()
    [0.0833, 0.0025]
    """
    floors = np.full(G.shape[1], VARIANCE_FLOOR)
    for j in range(G.shape[1]):
        values = np.unique(G[:, j])
        if len(values) > 1:
            floors[j] = max(float(np.median(np.diff(values))) ** 2 / 12.0, VARIANCE_FLOOR)
    return floors


def _log_densities(Z: np.ndarray, R: np.ndarray, layout: ColumnLayout) -> np.ndarray:
    """M step and the E step's log densities: log(share_j) + log p(row | group j) for every
    row and group, the groups' parameters estimated from the responsibilities ``R``."""
    n, k = R.shape
    weight = R.sum(axis=0) + 1e-12
    logp = np.tile(np.log(weight / n), (n, 1))
    if layout.gaussian:
        G = Z[:, layout.gaussian]
        mean = (R.T @ G) / weight[:, None]
        var = np.maximum((R.T @ (G * G)) / weight[:, None] - mean * mean, layout.floor)
        for j in range(k):
            logp[:, j] -= 0.5 * (np.log(2 * np.pi * var[j]).sum() + (((G - mean[j]) ** 2) / var[j]).sum(axis=1))
    if layout.binary:
        B = (Z[:, layout.binary] > 0).astype(np.float64)
        rate = np.clip((R.T @ B) / weight[:, None], 1e-9, 1 - 1e-9)
        logp += B @ np.log(rate).T + (1.0 - B) @ np.log1p(-rate).T
    for block in layout.categories:
        C = (Z[:, block] > 0).astype(np.float64)
        logp += C @ np.log(np.clip((R.T @ C) / weight[:, None], 1e-9, 1.0)).T
    return logp


def mixture_bic(Z: np.ndarray, labels: np.ndarray, k: int, layout: ColumnLayout, *, steps: int = EM_STEPS) -> float:
    """BIC of the mixture of ``k`` groups started at the partition ``labels`` (lower is better).

    Parameters
    ----------
    Z : ndarray of shape (n_rows, n_prepared_features)
        Prepared rows.
    labels : ndarray of int
        A partition of the rows into 0..k-1 (empty groups are allowed and cost nothing).
    k : int
        Number of groups.
    layout : ColumnLayout
        The kind of every prepared column.
    steps : int
        EM steps after the start (fewer when the log-likelihood stops rising).

    Returns
    -------
    float
        ``-2 log L + p log n``.
    """
    n = len(Z)
    R = np.zeros((n, k))
    R[np.arange(n), labels] = 1.0
    previous = -np.inf
    for _ in range(steps + 1):
        logp = _log_densities(Z, R, layout)
        top = logp.max(axis=1, keepdims=True)
        row_ll = top[:, 0] + np.log(np.exp(logp - top).sum(axis=1))
        loglik = float(row_ll.sum())
        R = np.exp(logp - row_ll[:, None])
        if loglik - previous <= 1e-7 * abs(loglik):
            break
        previous = loglik
    used = int(np.count_nonzero(np.bincount(labels, minlength=k)))
    params = (used - 1) + used * layout.n_parameters_per_segment
    return float(-2.0 * loglik + params * np.log(n))
