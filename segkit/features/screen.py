"""The wide-table screen: fewer clustered features before the expensive steps.

A table of thousands of numeric columns (sensor readings, product counts, survey items by the
hundred) cannot be clustered column by column in reasonable time, and most such columns carry
no segment structure anyway. :func:`screen_features` keeps at most ``max_features`` of them
by a cheap, stated rule, and says why each other one was dropped:

1. Columns with one value for (nearly) everyone say nothing about segments.
2. When more remain than allowed, a randomised PCA of the standardised columns (on at most
   :data:`SAMPLE_ROWS` customers) finds the components that stand above the noise level a
   table of unrelated columns of this shape would reach (the Marchenko-Pastur edge
   ``(1 + sqrt(p / n))^2`` of a correlation matrix). Segments make columns move together, so
   they show as such components; each column's score is its share of variance on them (its
   communality), and the best-scoring columns are kept.

Categorical columns are never screened (they are few and cheap); only numeric ones compete.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.utils.extmath import randomized_svd

__all__ = ["SAMPLE_ROWS", "SCREEN_REASON", "Screen", "screen_features"]

#: How :class:`segkit.features.bases.Selection` says a column was left out by the screen.
SCREEN_REASON = "wide-table screen"
#: Rows the PCA is computed on (a seeded sample of customers when there are more).
SAMPLE_ROWS = 5_000
#: A column whose most common value holds at least this share of customers is "one value".
ONE_VALUE_SHARE = 0.99
#: Components the randomised PCA looks at, at most (k segments make k - 1 of them).
MAX_COMPONENTS = 20


@dataclass
class Screen:
    """What the screen kept and why each other column was dropped.

    Examples
    --------
    >>> Screen(kept=["a"], dropped={"b": "one value for 99% of customers"}, components=0)
    Screen(kept 1, dropped 1; 0 components above the noise level)
    """

    kept: list[str]
    dropped: dict[str, str] = field(default_factory=dict)
    components: int = 0

    def __repr__(self) -> str:
        return (f"Screen(kept {len(self.kept):,}, dropped {len(self.dropped):,}; "
                f"{self.components} components above the noise level)")

    @property
    def note(self) -> str:
        """One sentence for the method section (empty when nothing was dropped)."""
        if not self.dropped:
            return ""
        examples = ", ".join(list(self.dropped)[:5]) + (", ..." if len(self.dropped) > 5 else "")
        return (f"The wide-table screen kept {len(self.kept):,} of {len(self.kept) + len(self.dropped):,} features "
                f"(segmentation.max_features): it dropped {len(self.dropped):,} with one value for nearly everyone "
                f"or the least share of variance on the {self.components} principal "
                f"component{'s' if self.components != 1 else ''} above the noise level ({examples}); "
                "they are neither clustered nor profiled.")


def screen_features(X: pd.DataFrame, *, max_features: int, random_state: int | None = 0) -> Screen:
    """Keep at most ``max_features`` numeric columns of ``X`` (all of them when it has fewer).

    Parameters
    ----------
    X : DataFrame
        The features chosen for clustering, one row per customer.
    max_features : int
        How many numeric features may be clustered.
    random_state : int or None
        Seed of the row sample and the randomised PCA (None is 0): the same data and seed keep
        the same columns.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> group = rng.integers(0, 2, 400)
    >>> X = pd.DataFrame(rng.normal(size=(400, 30)), columns=[f"noise{i}" for i in range(30)])
    >>> for i in range(3):
    ...     X[f"signal{i}"] = 3.0 * group + rng.normal(size=400)
    >>> X["flat"] = 1.0
    >>> screen = screen_features(X, max_features=5)
    >>> sorted(c for c in screen.kept if c.startswith("signal")), screen.dropped["flat"]
    (['signal0', 'signal1', 'signal2'], 'one value for 100% of customers')
    """
    numeric = [c for c, dtype in X.dtypes.items()
               if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)]
    if len(numeric) <= max_features:
        return Screen(kept=list(map(str, X.columns)))
    random_state = int(random_state or 0)
    values = X[numeric].to_numpy(dtype=np.float32)
    if len(values) > SAMPLE_ROWS:
        values = values[np.sort(np.random.default_rng(random_state).choice(len(values), SAMPLE_ROWS, replace=False))]
    finite = np.isfinite(values)
    answered = finite.sum(axis=0)
    if not finite.all():  # missing cells take their column's mean: they add no variance
        means = np.where(finite, values, 0).sum(axis=0) / np.maximum(answered, 1)
        values = np.where(finite, values, means)
    dropped = _one_value(values, finite, answered, numeric)
    alive = np.array([i for i, c in enumerate(numeric) if c not in dropped], dtype=int)
    scores, components = _communality(values[:, alive], random_state)
    order = np.argsort(-scores, kind="stable")
    keep = {numeric[alive[i]] for i in order[:max_features]}
    for i in order[max_features:]:
        dropped[numeric[alive[i]]] = (f"{_share(scores[i])} of its variance on the components above the noise level "
                                      f"(the {max_features:,} kept have at least {_share(scores[order[max_features - 1]])})")
    other = set(X.columns) - set(numeric)
    kept = [str(c) for c in X.columns if c in keep or c in other]
    return Screen(kept=kept, dropped={str(c): why for c, why in dropped.items()}, components=components)


def _share(x: float) -> str:
    """A share of variance as a percentage, with decimals when under 1% (a wide table's noise
    columns hold 0.2%, not 0%).

    Examples
    --------
    >>> _share(0.43), _share(0.0021)
    ('43%', '0.21%')
    """
    return f"{x:.0%}" if x >= 0.01 else f"{x:.2%}"


def _one_value(values: np.ndarray, finite: np.ndarray, answered: np.ndarray, names: list) -> dict:
    """Columns whose most common value holds :data:`ONE_VALUE_SHARE` of the answered rows.

    Such a value holds over half the rows, so it is the median: one comparison per cell. The
    medians are taken only of the columns that may have one value: such a value also holds
    most of the answered cells of the first rows (see :func:`_may_have_one_value`).
    """
    maybe = np.flatnonzero(_may_have_one_value(values, finite, answered))
    share = np.zeros(values.shape[1])
    if len(maybe):
        part, known = values[:, maybe], finite[:, maybe]
        median = np.median(part, axis=0)  # missing cells are the column mean here, not a value
        share[maybe] = ((part == median) & known).sum(axis=0) / np.maximum(answered[maybe], 1)
    out = {}
    for j in np.flatnonzero((answered == 0) | (share >= ONE_VALUE_SHARE)):
        out[names[j]] = "no value for any customer" if answered[j] == 0 else f"one value for {share[j]:.0%} of customers"
    return out


#: Rows of the first look of :func:`_may_have_one_value`.
_FIRST_ROWS = 500


def _may_have_one_value(values: np.ndarray, finite: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """Which columns may have one value for :data:`ONE_VALUE_SHARE` of their answered rows,
    judged on the first rows alone; never False for a column that has.

    Such a value leaves at most ``(1 - ONE_VALUE_SHARE) * answered`` answered cells to other
    values, so it holds all but that many of the first rows' answered cells. When that is more
    than half of them it is the middle one of them in order, and the column is kept as a
    candidate only if that value holds that many; columns with too few answered first rows stay
    candidates.
    """
    head, known = values[:_FIRST_ROWS], finite[:_FIRST_ROWS]
    present = known.sum(axis=0)
    need = present - (1.0 - ONE_VALUE_SHARE) * answered - 1  # cells it holds at least (1 spare for rounding)
    ordered = np.sort(np.where(known, head, np.nan), axis=0)  # the answered cells first, missing ones last
    middle = np.maximum(present - 1, 0) // 2
    median = np.take_along_axis(ordered, middle[None, :], axis=0)[0]  # a majority value is the middle one
    hits = ((head == median) & known).sum(axis=0)
    return (2 * need <= present) | (hits >= need)


def _communality(values: np.ndarray, random_state: int) -> tuple[np.ndarray, int]:
    """Each column's share of variance on the principal components above the noise edge, and
    how many components that is (at least one: the first, when none stands out)."""
    n, p = values.shape
    z = values - values.mean(axis=0)
    std = z.std(axis=0)
    z /= np.where(std > 0, std, 1)
    k = int(min(MAX_COMPONENTS, n - 1, p - 1))
    if k < 1:
        return np.ones(p), 0
    u, s, vt = randomized_svd(z, n_components=k, n_iter=5, random_state=random_state)
    eigen = s**2 / max(n - 1, 1)  # eigenvalues of the correlation matrix
    edge = (1.0 + np.sqrt(p / n)) ** 2
    above = max(1, int((eigen > edge).sum()))
    loadings = vt[:above].T * np.sqrt(eigen[:above])  # correlation of each column with each component
    return (loadings**2).sum(axis=1), int((eigen > edge).sum())
