"""Monitoring: compare two segmentation runs (stable ids, migration, size and feature drift).

Segments are refreshed every month or quarter. Between two runs an analyst needs to know
which new segment is which old one, who moved where, whether the mix of segments changed,
and whether the customers themselves changed. This module answers those from two report
folders (``segkit compare OLD NEW``) or from the objects of a notebook session.

* **Stable ids.** :func:`align_segments` matches the new run's segments to the old run's by
  the customers they share (the assignment that keeps the most customers in a segment with
  the same id, solved exactly with the Hungarian algorithm); a new segment sharing too few
  customers with any old one gets an id of its own.
* **Migration.** :func:`migration_matrix` counts returning customers by old and new segment,
  plus customers who are new and those who are gone.
* **Drift.** The population stability index ``PSI = sum((new - old) * ln(new / old))`` over
  shares of bins: of segments (size drift) and of each feature's distribution (feature
  drift). Below 0.1 is read as stable, 0.1-0.25 as a moderate shift, above 0.25 as a major
  one (the usual credit-scoring convention). A bin empty in one run (a segment that vanished
  or is new) counts there as half a customer, share ``0.5 / n`` for a run of ``n``
  customers, so its term says how many customers' worth of evidence the run has rather
  than depending on an arbitrary constant.

Feature drift between two runs needs each run's feature distributions, which the report does
not publish customer by customer. Each run stores a *reference* in ``summary.json`` instead
(:func:`feature_reference`): per numeric feature its quantiles (at most one quantile per
``min_cell_size`` customers, so no bin describes fewer customers than a report table may),
per discrete or categorical feature the share of each level, with levels rarer than
``min_cell_size`` customers pooled. :func:`reference_drift` compares two references: the
new run's shares in the old run's deciles are read off the new run's quantile curve.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from segkit._json import finite
from segkit.exceptions import DataError, InputNotFoundError

__all__ = [
    "Comparison",
    "align_segments",
    "compare",
    "compare_runs",
    "describe",
    "feature_reference",
    "migration_matrix",
    "psi",
    "psi_level",
    "read_run",
    "reference_drift",
    "stable_ids",
]

#: PSI below this is "stable"; up to :data:`PSI_MAJOR` "moderate"; above it "major".
PSI_MODERATE = 0.1
PSI_MAJOR = 0.25
#: Customers an empty bin counts as in the PSI (an empty bin would make it infinite): half a
#: customer, the continuity correction of a zero count, so the floor is ``0.5 / n``, below
#: any share a run of ``n`` customers can show, and shrinks as the runs grow.
PSI_EMPTY_BIN = 0.5
#: Two segments are the same segment across runs only if they share at least this share of
#: their customers (Jaccard index); otherwise the new one gets a new id.
MIN_JACCARD = 0.2
#: Features with at most this many distinct values are stored level by level.
DISCRETE_LEVELS = 20
#: At most this many quantiles per numeric feature in a reference.
MAX_QUANTILES = 100
#: Label of customers absent from one of the runs in a migration matrix.
NEW_LABEL = "(new customer)"
GONE_LABEL = "(gone)"


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


# ------------------------------------------------------------------------------ ids, migration
def _as_labels(labels: pd.Series, name: str) -> pd.Series:
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
    old = _as_labels(old, "old segments")
    new = _as_labels(new, "new segments")
    shared = _shared(old, new)
    overlap = pd.crosstab(old.loc[shared], new.loc[shared])
    old_ids, new_ids = overlap.index.to_numpy(), overlap.columns.to_numpy()
    jaccard = _jaccard(overlap.to_numpy())
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


def _jaccard(overlap: np.ndarray) -> np.ndarray:
    """Jaccard index of every (row, column) pair of a cross-tabulation of two labellings."""
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
    old = _as_labels(old, "old segments")
    new = _as_labels(new, "new segments")
    k = int(new.max()) + 1
    if sorted(new.unique()) != list(range(k)):
        raise ValueError("new segment ids must be 0..k-1")
    shared = _shared(old, new)
    old_ids = sorted(set(old.unique()) | set(range(k)))
    overlap = pd.crosstab(new.loc[shared], old.loc[shared]).reindex(index=range(k), columns=old_ids, fill_value=0)
    jaccard = _jaccard(overlap.to_numpy())
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
    old = _as_labels(old, "old segments")
    new = _as_labels(new, "new segments")
    both = pd.DataFrame({"old": old, "new": new})
    both["old"] = both["old"].map(lambda v: NEW_LABEL if pd.isna(v) else int(v)).astype(object)
    both["new"] = both["new"].map(lambda v: GONE_LABEL if pd.isna(v) else int(v)).astype(object)
    table = pd.crosstab(both["old"], both["new"])
    rows = sorted(int(v) for v in old.unique()) + [NEW_LABEL]
    cols = sorted(int(v) for v in new.unique()) + [GONE_LABEL]
    table = table.reindex(index=rows, columns=cols, fill_value=0)
    table.index.name, table.columns.name = "old", "new"
    return table


# ------------------------------------------------------------------------------ references
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


# ------------------------------------------------------------------------------ two runs
@dataclass
class Comparison:
    """What changed between two runs; see :func:`compare_runs`.

    Attributes
    ----------
    mapping : dict
        ``{new id: stable id}`` (:func:`align_segments`).
    migration : DataFrame
        :func:`migration_matrix` with the new run's columns under their stable ids.
    sizes : DataFrame
        Per stable id: ``old_name``, ``new_name``, ``old_share``, ``new_share``, ``change``
        (share points), ``stayed`` (share of the old segment's returning customers still in
        it) and ``continues`` (the id holds mostly the same customers in both runs).
    size_psi : float
        PSI of the segment mix (shares of all customers of each run).
    drift : DataFrame
        :func:`reference_drift` of the features (empty when a run has no reference).
    alerts : list of str
        Plain sentences, most important first.
    """

    mapping: dict[int, int]
    migration: pd.DataFrame
    sizes: pd.DataFrame
    size_psi: float
    drift: pd.DataFrame
    alerts: list[str] = field(default_factory=list)
    old_label: str = "old"
    new_label: str = "new"

    @property
    def returning(self) -> int:
        """Customers in both runs."""
        return int(self.migration.drop(index=NEW_LABEL, columns=GONE_LABEL).to_numpy().sum())

    @property
    def newcomers(self) -> int:
        """Customers only in the new run."""
        return int(self.migration.loc[NEW_LABEL].sum())

    @property
    def gone(self) -> int:
        """Customers only in the old run."""
        return int(self.migration[GONE_LABEL].sum())

    def __repr__(self) -> str:
        return (f"Comparison({self.old_label!r} -> {self.new_label!r}: {self.returning:,} returning customers, "
                f"segment-mix PSI {self.size_psi:.3f} ({psi_level(self.size_psi)}), {len(self.alerts)} alerts)")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (ints, floats, strings, lists, dicts)."""
        migration = self.migration.copy()
        migration.index = migration.index.map(str)
        migration.columns = migration.columns.map(str)
        sizes = self.sizes.reset_index()
        drift = self.drift.reset_index()
        return finite({
            "old": self.old_label, "new": self.new_label,
            "mapping": {str(k): v for k, v in self.mapping.items()},
            "size_psi": self.size_psi, "size_psi_level": psi_level(self.size_psi),
            "sizes": sizes.to_dict(orient="records"),
            "migration": migration.to_dict(orient="index"),
            "drift": drift.to_dict(orient="records"),
            "alerts": self.alerts,
        })


def compare(
    old: pd.Series,
    new: pd.Series,
    *,
    old_names: Mapping[int, str] | None = None,
    new_names: Mapping[int, str] | None = None,
    old_reference: Mapping[str, Mapping] | None = None,
    new_reference: Mapping[str, Mapping] | None = None,
    share_change: float = 0.05,
    min_stayed: float = 0.5,
    old_label: str = "old",
    new_label: str = "new",
    align: bool = True,
    feature_label=str,
) -> Comparison:
    """Compare two segmentations of (mostly) the same customers.

    Parameters
    ----------
    old, new : Series
        Segment id per customer (index: customer id).
    old_names, new_names : mapping, optional
        Segment names by id (the new run's ids as it wrote them).
    old_reference, new_reference : mapping, optional
        :func:`feature_reference` of each run, for feature drift.
    share_change : float
        Alert when a segment's share of customers moves by at least this many points (0.05 =
        5 points).
    min_stayed : float
        Alert when fewer than this share of a segment's returning customers stayed in it.
    align : bool
        Match the new ids to the old ones (:func:`align_segments`). False when the new run's
        ids already continue the old run's (a report run with ``monitor.previous``).
    feature_label : callable
        How alerts name a feature (the report passes :func:`segkit.profile.humanise`).

    Returns
    -------
    Comparison
    """
    old = _as_labels(old, "old segments")
    new = _as_labels(new, "new segments")
    mapping = align_segments(old, new) if align else {int(k): int(k) for k in sorted(new.unique())}
    stable_new = new.map(mapping)
    migration = migration_matrix(old, stable_new)
    old_names = {int(k): str(v) for k, v in (old_names or {}).items()}
    new_names = {mapping[int(k)]: str(v) for k, v in (new_names or {}).items() if int(k) in mapping}

    ids = sorted(set(old.unique()) | set(stable_new.unique()))
    old_share = old.value_counts(normalize=True).reindex(ids, fill_value=0.0)
    new_share = stable_new.value_counts(normalize=True).reindex(ids, fill_value=0.0)
    returning = migration.drop(index=NEW_LABEL, columns=GONE_LABEL)
    stayed = pd.Series({i: (returning.at[i, i] / returning.loc[i].sum()
                            if i in returning.index and i in returning.columns and returning.loc[i].sum() else np.nan)
                        for i in ids})
    # An id continues when its old and new segments are each other's match in the one-to-one
    # assignment of largest total Jaccard index (as align_segments and stable_ids match them),
    # with at least MIN_JACCARD overlap. A report keeps ids 0..k-1, so with fewer segments an
    # id can go to the successor of another old segment: that id does not continue, however
    # many of its old customers the new segment also took in.
    jaccard = _jaccard(returning.to_numpy(dtype="float64"))
    rows, cols = linear_sum_assignment(-jaccard) if jaccard.size else ([], [])
    continuing = {returning.columns[c] for r, c in zip(rows, cols)
                  if returning.index[r] == returning.columns[c] and jaccard[r, c] >= MIN_JACCARD}

    def continues(i) -> bool:
        """Whether id i holds (mostly) the same customers in both runs."""
        return i in continuing

    sizes = pd.DataFrame({
        "old_name": [old_names.get(i, "") for i in ids],
        "new_name": [new_names.get(i, "") for i in ids],
        "old_share": old_share.to_numpy(), "new_share": new_share.to_numpy(),
        "change": (new_share - old_share).to_numpy(), "stayed": stayed.reindex(ids).to_numpy(),
        "continues": [continues(i) for i in ids],
    }, index=pd.Index(ids, name="segment"))
    # counts, not shares: an empty segment counts as half of one of its run's customers
    size_psi = psi(old.value_counts().reindex(ids, fill_value=0).to_numpy(),
                   stable_new.value_counts().reindex(ids, fill_value=0).to_numpy())
    drift = (reference_drift(old_reference, new_reference) if old_reference and new_reference
             else reference_drift({}, {}))
    alerts = _alerts(sizes, size_psi, drift, old, stable_new, share_change, min_stayed, migration, feature_label)
    return Comparison(mapping=mapping, migration=migration, sizes=sizes, size_psi=size_psi, drift=drift,
                      alerts=alerts, old_label=old_label, new_label=new_label)


def _name(sizes: pd.DataFrame, segment: int, *, capital: bool = False) -> str:
    name = sizes.at[segment, "new_name"] or sizes.at[segment, "old_name"]
    return ("Segment " if capital else "segment ") + f"{segment}" + (f" ({name})" if name else "")


def _alerts(sizes, size_psi, drift, old, new, share_change, min_stayed, migration, feature_label) -> list[str]:
    alerts = []
    if size_psi > PSI_MODERATE:
        alerts.append(f"The segment mix shifted: PSI {size_psi:.2f} ({psi_level(size_psi)}).")
    in_old, in_new = set(old.unique()), set(new.unique())
    for segment, row in sizes.iterrows():
        if segment not in in_old:
            alerts.append(f"New {_name(sizes, segment)}: {row['new_share']:.0%} of customers, "
                          "with no counterpart in the old run.")
        elif segment not in in_new:
            went = migration.loc[segment].drop(GONE_LABEL) if segment in migration.index else pd.Series(dtype=int)
            where = ""
            if len(went) and went.max() > 0:
                to, share = went.idxmax(), went.max() / went.sum()
                part = ("all its returning customers are" if share == 1 else
                        f"most of its returning customers ({share:.0%}) are" if share > 0.5 else
                        f"the largest part of its returning customers ({share:.0%}) is")
                where = f"; {part} now in {_name(sizes, to)}"
            alerts.append(f"{_name(sizes, segment, capital=True)} is gone: "
                          f"it held {row['old_share']:.0%} of customers{where}.")
        elif not row["continues"]:  # the id is reused (a report keeps ids 0..k-1) for other customers
            was = f" ({row['old_name']})" if row["old_name"] else ""
            source = migration[segment].drop(NEW_LABEL).idxmax() if segment in migration.columns else None
            origin = ""
            if source is not None and source != segment and migration.at[source, segment] > 0:
                origin = (f", most of them from the earlier segment {source}"
                          + (f" ({sizes.at[source, 'old_name']})" if sizes.at[source, "old_name"] else ""))
            alerts.append(f"Segment {segment} now holds other customers: {row['new_share']:.0%} of customers"
                          f"{', ' + row['new_name'] if row['new_name'] else ''}{origin}; the earlier "
                          f"segment {segment}{was} held {row['old_share']:.0%}.")
            continue
        elif abs(row["change"]) >= share_change:
            verb = "grew" if row["change"] > 0 else "shrank"
            alerts.append(f"{_name(sizes, segment, capital=True)} {verb} from "
                          f"{row['old_share']:.0%} to {row['new_share']:.0%} of customers.")
        if not math.isnan(row["stayed"]) and row["stayed"] < min_stayed and segment in in_new:
            alerts.append(f"Only {row['stayed']:.0%} of {_name(sizes, segment)}'s returning customers "
                          "stayed in it.")
    for feature, row in drift.iterrows():
        if row["level"] != "major":
            continue
        detail = (f"median {row['old_median']:,.4g} -> {row['new_median']:,.4g}" if row["changed_most"] == ""
                  else row["changed_most"])
        alerts.append(f"Feature {feature_label(feature)} shifted (PSI {row['psi']:.2f}): {detail}.")
    return alerts


def describe(result: Comparison, *, max_features: int = 5) -> str:
    """The comparison as plain text, as ``segkit compare`` prints it.

    Examples
    --------
    >>> old = pd.Series([0] * 50 + [1] * 50, index=[f"c{i}" for i in range(100)])
    >>> new = pd.Series([1] * 70 + [0] * 30, index=[f"c{i}" for i in range(100)])
    >>> print(describe(compare(old, new)))  # doctest: +NORMALIZE_WHITESPACE
    old -> new: 100 returning customers, 0 new, 0 gone.
    Segments (new ids matched to old ones: new 0 is old 1, new 1 is old 0):
      0: 50% -> 70% (+20 points), 100% stayed
      1: 50% -> 30% (-20 points), 60% stayed
    Segment mix: PSI 0.17 (moderate).
    Features: no drift measured (a run has no feature reference in summary.json).
    Alerts:
      - The segment mix shifted: PSI 0.17 (moderate).
      - Segment 0 grew from 50% to 70% of customers.
      - Segment 1 shrank from 50% to 30% of customers.
    """
    lines = [f"{result.old_label} -> {result.new_label}: {result.returning:,} returning customers, "
             f"{result.newcomers:,} new, {result.gone:,} gone."]
    moved = {k: v for k, v in result.mapping.items() if k != v}
    if moved:
        lines.append("Segments (new ids matched to old ones: "
                     + ", ".join(f"new {k} is old {v}" for k, v in moved.items()) + "):")
    else:
        lines.append("Segments (the new ids match the old ones):")
    for segment, row in result.sizes.iterrows():
        name = row["new_name"] or row["old_name"]
        if row["old_name"] and row["new_name"] and row["old_name"] != row["new_name"]:
            name = f"{row['old_name']} -> {row['new_name']}"
        stayed = "" if math.isnan(row["stayed"]) else f", {row['stayed']:.0%} stayed"
        lines.append(f"  {segment}{' ' + name if name else ''}: {row['old_share']:.0%} -> {row['new_share']:.0%} "
                     f"({round(row['change'] * 100):+d} points){stayed}")
    lines.append(f"Segment mix: PSI {result.size_psi:.2f} ({psi_level(result.size_psi)}).")
    if len(result.drift):
        shifted = result.drift[result.drift["level"] != "stable"]
        top = ", ".join(f"{f} {r['psi']:.2f} ({r['level']})" for f, r in shifted.head(max_features).iterrows())
        lines.append(f"Features: {len(shifted)} of {len(result.drift)} shifted" + (f": {top}." if top else "."))
    else:
        lines.append("Features: no drift measured (a run has no feature reference in summary.json).")
    lines.append("Alerts:" if result.alerts else "No alerts.")
    lines += [f"  - {a}" for a in result.alerts]
    return "\n".join(lines)


@dataclass
class RunRecord:
    """What :func:`read_run` reads from a report folder."""

    labels: pd.Series  # segment id per customer id (as segments.csv writes it)
    names: dict[int, str]
    reference: dict  # feature_reference of summary.json ({} when the folder has none)
    label: str  # the folder's name

    def __repr__(self) -> str:
        return f"RunRecord({self.label!r}: {len(self.labels):,} customers, {len(self.names)} segments)"


def read_run(folder: str | Path) -> RunRecord:
    """Read a report folder's ``segments.csv`` and ``summary.json`` for a comparison.

    Raises
    ------
    InputNotFoundError
        One of the two files is missing.
    DataError
        They are not what a report writes.
    """
    path = Path(folder)
    if path.is_file():
        raise InputNotFoundError(f"{path}: is a file; expected the folder of a report written by `segkit report` "
                                 "(holding segments.csv and summary.json)")
    segments_csv, summary_json = path / "segments.csv", path / "summary.json"
    for needed in (segments_csv, summary_json):
        if not needed.is_file():
            raise InputNotFoundError(f"{needed}: not found; expected a report folder written by `segkit report`")
    try:
        table = pd.read_csv(segments_csv, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise DataError(f"{segments_csv}: cannot be read as CSV ({str(err).splitlines()[0]}); expected the "
                        "segments.csv of a segkit report") from err
    for column in ("customer_id", "segment"):
        if column not in table.columns:
            raise DataError(f"{segments_csv}: column {column!r} is missing (columns: {list(table.columns)}); "
                            "expected customer_id, segment, segment_name")
    if table.empty:
        raise DataError(f"{segments_csv}: has no rows; expected one row per customer of a segkit report")
    text = table["segment"].str.strip()
    bad = ~text.str.fullmatch(r"\d+(\.0*)?")  # 3 or 3.0 (written by a spreadsheet); not 0.5, -1 or blank
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        n = int(bad.sum())
        raise DataError(f"{segments_csv}: column 'segment' has {n} {'value that is' if n == 1 else 'values that are'} "
                        "not a segment id "
                        f"(e.g. {table['segment'].iloc[row]!r} at row {row + 2}); expected whole numbers 0, 1, 2, ...")
    ids = table["customer_id"].str.strip()
    if (ids == "").any():
        row = int(np.flatnonzero((ids == "").to_numpy())[0])
        raise DataError(f"{segments_csv}: row {row + 2} has no customer id; expected one row per customer")
    duplicated = ids.duplicated(keep=False)
    if duplicated.any():
        first = ids[duplicated].iloc[0]
        rows = np.flatnonzero((ids == first).to_numpy())[:2] + 2
        raise DataError(f"{segments_csv}: customer id {first!r} is on rows {rows[0]} and {rows[1]}; "
                        "expected one row per customer")
    labels = pd.Series(text.astype(float).astype(int).to_numpy(), index=pd.Index(ids.to_numpy(), dtype=str))
    try:
        summary = json.loads(summary_json.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DataError(f"{summary_json}: not valid JSON ({err}); expected the summary of a segkit report") from err
    segments = summary.get("segments", []) if isinstance(summary, dict) else None
    if not isinstance(segments, list) or not all(isinstance(s, dict) and "id" in s for s in segments):
        raise DataError(f"{summary_json}: not the summary of a segkit report (expected an object whose 'segments' "
                        "is a list of {id, name, size, share})")
    try:
        names = {int(s["id"]): str(s.get("name", "")) for s in segments}
    except (TypeError, ValueError) as err:
        raise DataError(f"{summary_json}: a segment id is not a whole number ({err}); expected the summary of a "
                        "segkit report") from err
    reference = summary.get("feature_reference") or {}
    if not isinstance(reference, dict):
        reference = {}
    return RunRecord(labels=labels, names=names, reference=reference, label=path.name or str(path))


def compare_runs(old_dir: str | Path, new_dir: str | Path, **kwargs) -> Comparison:
    """Compare two report folders written by ``segkit report`` (``segkit compare``).

    Reads ``segments.csv`` and ``summary.json`` of each. Feature drift needs the
    ``feature_reference`` that reports store in ``summary.json``; a folder without one
    (written by an older segkit) gives a comparison without feature drift.

    Parameters
    ----------
    old_dir, new_dir : path
        The earlier and the later report folder.
    **kwargs
        ``share_change`` and ``min_stayed``, see :func:`compare`.

    Returns
    -------
    Comparison

    Raises
    ------
    InputNotFoundError
        A folder lacks ``segments.csv`` or ``summary.json``.
    DataError
        A file is not what a report writes, or the runs share no customer.
    """
    old, new = read_run(old_dir), read_run(new_dir)
    if len(old.labels.index.intersection(new.labels.index)) == 0:
        raise DataError(
            f"{Path(old_dir) / 'segments.csv'} and {Path(new_dir) / 'segments.csv'} have no customer id in common "
            f"(e.g. {old.labels.index[0]!r} and {new.labels.index[0]!r}); expected two runs on the same customer "
            "base (with privacy.pseudonymise_ids, both runs need it, with the same privacy.pseudonym_key)"
        )
    return compare(old.labels, new.labels, old_names=old.names, new_names=new.names, old_reference=old.reference,
                   new_reference=new.reference, old_label=old.label, new_label=new.label, **kwargs)
