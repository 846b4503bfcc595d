"""Which new segment is which old one, and who moved where.

:func:`align_segments` matches the new run's segments to the old run's by the customers
they share (the assignment that keeps the most customers in a segment with the same id,
solved exactly with the Hungarian algorithm); a new segment sharing too few customers with
any old one gets an id of its own. :func:`stable_ids` does the same within ids ``0..k-1``
(for a report that continues an earlier one), and :func:`migration_matrix` counts
returning customers by old and new segment, plus customers who are new and those who are
gone.

Examples
--------
>>> old = pd.Series([0, 0, 1, 1], index=list("abcd"))
>>> new = pd.Series([1, 1, 0, 0], index=list("abcd"))
>>> align_segments(old, new)
{0: 1, 1: 0}
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from segkit.exceptions import DataError

__all__ = ["GONE_LABEL", "MIN_JACCARD", "NEW_LABEL", "align_segments", "as_labels", "jaccard_index", "migration_matrix",
           "stable_ids"]

#: Two segments are the same segment across runs only if they share at least this share of
#: their customers (Jaccard index); otherwise the new one gets a new id.
MIN_JACCARD = 0.2
#: Label of customers absent from one of the runs in a migration matrix.
NEW_LABEL = "(new customer)"
GONE_LABEL = "(gone)"


def as_labels(labels: pd.Series, name: str) -> pd.Series:
    """Segment ids per customer as ints indexed by customer ids as text; unassigned customers left out.

    Raises
    ------
    DataError
        ``labels`` is not a Series, or a customer appears twice.

    Examples
    --------
    >>> as_labels(pd.Series([1.0, None, 0.0], index=[17, 18, 19]), "old segments").to_dict()
    {'17': 1, '19': 0}
    """
    if not isinstance(labels, pd.Series):
        raise DataError(f"{name}: got {type(labels).__name__}; expected a pandas Series of segment ids indexed by "
                        f"customer id (e.g. Segmenter.assign(X), or pd.Series(labels, index=X.index))")
    out = labels.dropna()
    out.index = out.index.astype(str)
    if out.index.has_duplicates:
        dup = out.index[out.index.duplicated()][0]
        raise DataError(f"{name}: customer id {dup!r} appears more than once; expected one segment per customer")
    return out.astype(int)


def _shared(old: pd.Series, new: pd.Series) -> pd.Index:
    """Customer ids present in both runs; none is an error."""
    shared = old.index.intersection(new.index)
    if len(shared) == 0:
        raise DataError(
            "old and new segments have no customer id in common (e.g. old "
            f"{old.index[0]!r}, new {new.index[0]!r}); expected two runs on the same customer base"
        )
    return shared


def align_segments(old: pd.Series, new: pd.Series, *, min_jaccard: float = MIN_JACCARD) -> dict[int, int]:
    """Map each new segment id to the old id it continues, or to a fresh id.

    Segments are matched by the customers present in both runs: the one-to-one assignment
    with the largest total Jaccard index (shared customers over customers in either), solved
    exactly by the Hungarian algorithm. Jaccard rather than raw counts, so that a large new
    segment that swallowed half of a big old one does not win over the old segment it holds
    whole. A pair is kept only when its Jaccard index reaches ``min_jaccard``; unmatched new
    segments get ids after the largest old id, in their own order.

    Parameters
    ----------
    old, new : Series
        Segment id per customer (index: customer id), e.g. ``segments.csv`` of two runs.
    min_jaccard : float
        Least overlap for two segments to count as the same.

    Returns
    -------
    dict
        ``{new id: stable id}`` for every new segment id.

    Raises
    ------
    DataError
        The runs have no customer in common.

    Examples
    --------
    >>> old = pd.Series([0, 0, 1, 1, 2], index=list("abcde"))
    >>> new = pd.Series([1, 1, 0, 0, 0], index=list("abcde"))
    >>> align_segments(old, new)
    {0: 1, 1: 0}
    """
    old = as_labels(old, "old segments")
    new = as_labels(new, "new segments")
    shared = _shared(old, new)
    overlap = pd.crosstab(old.loc[shared], new.loc[shared])
    old_ids, new_ids = overlap.index.to_numpy(), overlap.columns.to_numpy()
    jaccard = jaccard_index(overlap.to_numpy())
    rows, cols = linear_sum_assignment(-jaccard)
    mapping: dict[int, int] = {}
    for r, c in zip(rows, cols):
        if jaccard[r, c] >= min_jaccard:
            mapping[int(new_ids[c])] = int(old_ids[r])
    next_id = int(max(old.max(), -1)) + 1
    for segment in sorted(new.unique()):
        if int(segment) not in mapping:
            mapping[int(segment)] = next_id
            next_id += 1
    return dict(sorted(mapping.items()))


def jaccard_index(overlap: np.ndarray) -> np.ndarray:
    """Jaccard index of every (row, column) pair of a cross-tabulation of two labellings.

    Examples
    --------
    >>> jaccard_index(np.array([[3, 1], [0, 2]])).round(2).tolist()
    [[0.75, 0.17], [0.0, 0.67]]
    """
    either = overlap.sum(axis=1)[:, None] + overlap.sum(axis=0)[None, :] - overlap
    return np.divide(overlap, either, out=np.zeros(overlap.shape), where=either > 0)


def stable_ids(old: pd.Series, new: pd.Series) -> np.ndarray:
    """A renumbering of the new segments (0..k-1) that continues the old run's ids.

    Unlike :func:`align_segments`, which may hand out ids beyond the new run's range, this
    keeps ids 0..k-1 (the contract of a report's files): new segments are assigned to ids by
    the same largest-total-Jaccard Hungarian matching on the customers both runs share, the
    old segments with ids k or more taking part, so that a new segment is not handed an id
    whose old segment it barely overlaps when another old segment is its real predecessor.
    New segments matched to such an old id, or to none, take the ids left free.

    Returns
    -------
    ndarray
        ``new_ids`` with ``new_ids[i]`` the id that new segment ``i`` should get, for
        :meth:`segkit.segment.Segmenter.relabel`.

    Examples
    --------
    >>> old = pd.Series([0, 0, 1, 1, 2, 2], index=list("abcdef"))
    >>> new = pd.Series([2, 2, 0, 0, 1, 1], index=list("abcdef"))
    >>> stable_ids(old, new).tolist()
    [1, 2, 0]
    """
    old = as_labels(old, "old segments")
    new = as_labels(new, "new segments")
    k = int(new.max()) + 1
    if sorted(new.unique()) != list(range(k)):
        raise ValueError("new segment ids must be 0..k-1")
    shared = _shared(old, new)
    old_ids = sorted(set(old.unique()) | set(range(k)))
    overlap = pd.crosstab(new.loc[shared], old.loc[shared]).reindex(index=range(k), columns=old_ids, fill_value=0)
    jaccard = jaccard_index(overlap.to_numpy())
    rows, cols = linear_sum_assignment(-jaccard)
    new_ids = np.full(k, -1, dtype=np.int64)
    for r, c in zip(rows, cols):
        if old_ids[c] < k and jaccard[r, c] > 0:
            new_ids[r] = old_ids[c]
    free = iter(sorted(set(range(k)) - set(new_ids[new_ids >= 0].tolist())))
    for r in range(k):
        if new_ids[r] < 0:
            new_ids[r] = next(free)
    return new_ids


def migration_matrix(old: pd.Series, new: pd.Series) -> pd.DataFrame:
    """Customers by old segment (rows) and new segment (columns).

    Customers only in the new run are counted in the row ``(new customer)``; those only in
    the old run in the column ``(gone)``.

    Examples
    --------
    >>> old = pd.Series([0, 0, 1], index=["a", "b", "c"])
    >>> new = pd.Series([0, 1, 1], index=["a", "b", "d"])
    >>> migration_matrix(old, new)  # doctest: +NORMALIZE_WHITESPACE
    new             0  1  (gone)
    old
    0               1  1       0
    1               0  0       1
    (new customer)  0  1       0
    """
    old = as_labels(old, "old segments")
    new = as_labels(new, "new segments")
    both = pd.DataFrame({"old": old, "new": new})
    both["old"] = both["old"].map(lambda v: NEW_LABEL if pd.isna(v) else int(v)).astype(object)
    both["new"] = both["new"].map(lambda v: GONE_LABEL if pd.isna(v) else int(v)).astype(object)
    table = pd.crosstab(both["old"], both["new"])
    rows = sorted(int(v) for v in old.unique()) + [NEW_LABEL]
    cols = sorted(int(v) for v in new.unique()) + [GONE_LABEL]
    table = table.reindex(index=rows, columns=cols, fill_value=0)
    table.index.name, table.columns.name = "old", "new"
    return table
