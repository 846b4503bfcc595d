"""Clustering backends: one small class per algorithm, in a registry.

A backend knows how to cluster prepared rows into k segments (:meth:`Backend.fit_k`), or to
find k itself (:meth:`Backend.fit_auto`), how to assign customers to fitted segments, how many
rows it can afford, and how to refit a bootstrap sample. :class:`~segkit.segment.Segmenter`
picks one by name in ``fit`` and asks it; adding an algorithm is a new class decorated with
:func:`register_backend` (and its name in :data:`segkit.schema.ALGORITHMS`), not a new branch
in the estimator.

Examples
--------
>>> import numpy as np
>>> backend = make_backend("kmeans", n_init=2)
>>> Z = np.r_[np.zeros((5, 2)), np.ones((5, 2)) * 4]
>>> partition = backend.fit_k(Z, 2, seed=0)
>>> sorted(np.bincount(partition.labels).tolist()), backend.chooses_k
([5, 5], False)
>>> sorted(BACKENDS)
['agglomerative', 'gmm', 'hdbscan', 'kmeans', 'kprototypes', 'latent_class']
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from scipy.cluster.hierarchy import cut_tree, linkage
from sklearn.cluster import HDBSCAN, KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import KNeighborsClassifier

from segkit.exceptions import SegmentationError

__all__ = [
    "AGGLOMERATIVE_ROWS",
    "BACKENDS",
    "CHUNK_ROWS",
    "HDBSCAN_ROWS",
    "LATENT_LEVELS",
    "REFINE_ITERATIONS",
    "STABILITY_ROWS",
    "Backend",
    "LatentClassBackend",
    "Partition",
    "make_backend",
    "nearest_center",
    "register_backend",
]

# Ward's tree needs O(rows^2) memory; HDBSCAN's cost also grows quickly with rows.
AGGLOMERATIVE_ROWS = 5_000
HDBSCAN_ROWS = 10_000
# Rows refitted in each bootstrap of the stability check (2,000 for the quadratic backends).
STABILITY_ROWS = 5_000
QUADRATIC_STABILITY_ROWS = 2_000
# Full-data Lloyd iterations after the sample fit (k-means, k-prototypes).
REFINE_ITERATIONS = 5
# Rows per block when assigning customers to their nearest centre.
CHUNK_ROWS = 65_536


def nearest_center(Z: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Index of the nearest centre for every row, in blocks to bound memory.

    Examples
    --------
    >>> nearest_center(np.array([[0.0], [0.9], [5.0]]), np.array([[0.0], [4.0]])).tolist()
    [0, 0, 1]
    """
    centers = np.asarray(centers, dtype=np.float64)
    half_sq = 0.5 * (centers**2).sum(axis=1)
    out = np.empty(len(Z), dtype=np.int64)
    for start in range(0, len(Z), CHUNK_ROWS):
        block = Z[start:start + CHUNK_ROWS] @ centers.T
        np.subtract(half_sq, block, out=block)
        out[start:start + CHUNK_ROWS] = block.argmin(axis=1)
    return out


def within_ss(Z: np.ndarray, labels: np.ndarray, centers: np.ndarray) -> float:
    """Within-segment sum of squared distances to the centres."""
    return float(((Z - np.asarray(centers)[labels]) ** 2).sum())


def _chunked(func, Z):
    return np.concatenate([func(Z[s:s + CHUNK_ROWS]) for s in range(0, len(Z), CHUNK_ROWS)])


def _split_loosest(Z, labels, centers):
    """Centres of a k-1 solution with its largest-SSE segment split along its main axis."""
    centers = np.asarray(centers)
    sse = np.bincount(labels, weights=((Z - centers[labels]) ** 2).sum(axis=1), minlength=len(centers))
    j = int(np.argmax(sse))
    members = Z[labels == j] - centers[j]
    if len(members) < 2:
        return np.vstack([centers, Z[np.argmax(((Z - centers[labels]) ** 2).sum(axis=1))]])
    _, sv, vt = np.linalg.svd(members, full_matrices=False)
    step = vt[0] * sv[0] / np.sqrt(len(members))
    return np.vstack([np.delete(centers, j, axis=0), centers[j] + step, centers[j] - step])


@dataclass
class Partition:
    """One clustering of prepared rows.

    Attributes
    ----------
    labels : ndarray of int
        Segment of every fitted row, as the backend numbers them.
    centers : ndarray of shape (k, n_prepared_features)
        Segment centres (means of the members for the backends without centres of their own).
    model : object or None
        What :meth:`Backend.assign` needs besides the centres (a Gaussian mixture, HDBSCAN's
        nearest-neighbour classifier), None for the centre-based backends.
    inertia : float
        Within-segment sum of squares.
    bic : float
        Bayesian information criterion (Gaussian mixtures only, else NaN).
    noise_share : float
        Share of rows a density backend called noise (assigned to the nearest segment).
    """

    labels: np.ndarray
    centers: np.ndarray
    model: Any = None
    inertia: float = float("nan")
    bic: float = float("nan")
    noise_share: float = 0.0


#: Backend classes by algorithm name.
BACKENDS: dict[str, type[Backend]] = {}


def register_backend(cls: type[Backend]) -> type[Backend]:
    """Class decorator: make ``cls`` the backend of ``cls.name``."""
    BACKENDS[cls.name] = cls
    return cls


def make_backend(name: str, *, n_init: int = 4, min_share: float = 0.02, blocks=()) -> Backend:
    """The backend of algorithm ``name``, set up with the segmenter's parameters and the one-hot
    ``blocks`` of its prepared rows."""
    backend = BACKENDS[name](n_init=n_init, min_share=min_share)
    backend.blocks = [list(block) for block in blocks]
    return backend


class Backend:
    """What the segmenter asks of a clustering algorithm; subclasses override what differs.

    Parameters
    ----------
    n_init : int
        Initialisations per fit.
    min_share : float
        Smallest share of customers a segment should hold (the density backend's cluster size).
    """

    #: Algorithm name, as in :data:`segkit.schema.ALGORITHMS`.
    name: ClassVar[str]
    #: How the method text names the algorithm.
    label: ClassVar[str]
    #: Whether the algorithm finds the number of segments itself (``n_segments`` must be 'auto').
    chooses_k: ClassVar[bool] = False
    #: Most rows the sample fit may hold (None: ``sample_size`` decides).
    max_rows: ClassVar[int | None] = None
    #: Rows refitted per bootstrap.
    stability_rows: ClassVar[int] = STABILITY_ROWS

    def __init__(self, *, n_init: int = 4, min_share: float = 0.02):
        self.n_init = n_init
        self.min_share = min_share
        #: Column blocks of the prepared rows that are one question's one-hot dummies (set by the
        #: Segmenter; the latent class model reads each block as one answer).
        self.blocks: list[list[int]] = []

    def prepare(self, Z: np.ndarray) -> Any:
        """State shared by the fits of every k on the same rows (Ward's tree); None by default."""
        return None

    def fit_k(self, Z: np.ndarray, k: int, seed: int, *, context: Any = None) -> Partition:
        """Cluster ``Z`` into ``k`` segments."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return self._fit(Z, k, seed, context)

    def _fit(self, Z, k, seed, context) -> Partition:
        raise NotImplementedError

    def improve(self, Z: np.ndarray, k: int, seed: int, fit: Partition, previous: Partition) -> Partition:
        """A better fit of ``k`` segments given the fit of ``k - 1`` (``previous``), or ``fit``."""
        return fit

    def fit_auto(self, Z: np.ndarray) -> Partition:
        """Find the segments and their number (only when :attr:`chooses_k`)."""
        raise NotImplementedError(f"{self.name} does not choose the number of segments")

    #: Whether :meth:`refine` uses ``Z`` as scratch space (its values may move by a unit in the last place),
    #: so that the caller rebuilds ``Z`` after it rather than both holding a copy.
    refine_scratches_Z = False

    def refine(self, Z: np.ndarray, centers: np.ndarray, seed: int) -> np.ndarray:
        """Centres fitted on a sample, improved on all rows ``Z``; unchanged by default."""
        return centers

    def with_weights(self, Z: np.ndarray, centers: np.ndarray, model: Any, weights: np.ndarray | None,
                     seed: int) -> tuple[tuple[np.ndarray, Any], bool]:
        """:meth:`weighted` when there are ``weights``; the fit as it is (and False) without."""
        return ((centers, model), False) if weights is None else self.weighted(Z, centers, model, weights, seed)

    def weighted(self, Z: np.ndarray, centers: np.ndarray, model: Any, weights: np.ndarray,
                 seed: int) -> tuple[tuple[np.ndarray, Any], bool]:
        """The fitted ``(centers, model)`` refitted on all rows ``Z`` with survey ``weights``, and whether
        the algorithm used them; by default it cannot, and both stay as they are."""
        return (centers, model), False

    def assign(self, Z: np.ndarray, centers: np.ndarray, model: Any, order: np.ndarray) -> np.ndarray:
        """Segment of every row of ``Z``: the nearest centre by default.

        ``centers`` are in segment order; ``order[i]`` is the model's id of segment ``i``.
        """
        return nearest_center(Z, centers)

    def renumber(self, model: Any, perm: np.ndarray) -> None:
        """Make ``model`` answer segment ``perm[j]`` where it answered ``j``; nothing to do for
        the backends that assign by centres or through ``order``."""

    def refit_labels(self, Z_fit: np.ndarray, Z_label: np.ndarray, k: int, seed: int) -> np.ndarray:
        """Refit k segments on a bootstrap sample ``Z_fit`` and label the rows ``Z_label``."""
        k_fit = distinct_rows_up_to(Z_fit, k)
        fit = self.fit_k(Z_fit, k_fit, seed)
        return self.assign(Z_label, fit.centers, fit.model, np.arange(k_fit))

    def note(self, n_categorical: int) -> str:
        """What the method text should add when this algorithm was asked for."""
        return ""


def distinct_rows_up_to(Z: np.ndarray, k: int) -> int:
    """How many distinct rows ``Z`` has, counted up to ``k`` (``min(k, distinct rows)``).

    A bootstrap sample almost always has ``k`` distinct rows among its first few hundred, so
    those are looked at first; all of ``Z`` is sorted only when they fall short (sorting a
    bootstrap sample of 200,000 rows took 0.4 s of a report's stability check per refit batch).

    Examples
    --------
    >>> distinct_rows_up_to(np.array([[0.0, 1.0], [0.0, 1.0], [2.0, 3.0]]), 5)
    2
    >>> distinct_rows_up_to(np.arange(20.0).reshape(10, 2), 3)
    3
    """
    head = Z[:max(64 * k, 1_000)]
    found = len(np.unique(head, axis=0))
    if found >= k or len(head) == len(Z):
        return min(k, found)
    return min(k, len(np.unique(Z, axis=0)))


@register_backend
class KMeansBackend(Backend):
    """k-means: k-means++ restarts plus a split of the loosest segment of the k-1 fit, refined
    on all rows after a sample fit."""

    name = "kmeans"
    label = "k-means"

    def _fit(self, Z, k, seed, context):
        km = KMeans(n_clusters=k, n_init=self.n_init, random_state=seed).fit(Z)
        centers = km.cluster_centers_
        return Partition(nearest_center(Z, centers), centers, inertia=float(km.inertia_))

    def improve(self, Z, k, seed, fit, previous):
        # k-means++ restarts can miss a small segment; splitting the loosest segment of the
        # k-1 solution is one more candidate start, kept when its fit is tighter.
        split = _split_loosest(Z, previous.labels, previous.centers)
        km = KMeans(n_clusters=k, init=split, n_init=1, random_state=seed).fit(Z)
        if km.inertia_ < fit.inertia - 1e-9 * abs(fit.inertia):
            centers = km.cluster_centers_
            return Partition(nearest_center(Z, centers), centers, inertia=float(km.inertia_))
        return fit

    def weighted(self, Z, centers, model, weights, seed):
        # Lloyd's iterations to convergence from the unweighted centres, each row counting its weight
        # (so integer weights fit as the rows repeated would).
        km = KMeans(n_clusters=len(centers), init=centers, n_init=1, random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            km.fit(Z, sample_weight=weights)
        return (km.cluster_centers_, model), True

    refine_scratches_Z = True

    def refine(self, Z, centers, seed):
        # copy_x=False: k-means centres Z in place and adds the mean back after (the centres are those of
        # a copy, to the bit), instead of copying all of Z (495 MB at 5M customers x 13 features)
        km = KMeans(n_clusters=len(centers), init=centers, n_init=1, max_iter=REFINE_ITERATIONS,
                    random_state=seed, copy_x=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            km.fit(Z)
        return km.cluster_centers_


@register_backend
class KPrototypesBackend(KMeansBackend):
    """k-prototypes as k-means on [scaled numbers, sqrt(gamma / 2) x one-hot categories].

    Huang's k-prototypes cost is the squared Euclidean distance on the numeric columns plus
    gamma times the number of category mismatches. A mismatch on one variable is half the
    squared distance between one-hot vectors, so k-means on [scaled numbers, sqrt(gamma / 2) x
    one-hot] (the preprocessor's category weight) minimises the same cost with category
    frequencies instead of modes as prototypes. We use that, with Huang's default gamma (half
    the standard deviation of the scaled numbers, 0.5), rather than kmodes' ``KPrototypes``:
    measured on marketing_campaign it agrees with ``KPrototypes`` (ARI 0.92) in milliseconds
    instead of 0.5-0.9 s per fit, which makes choosing k over 9 values and 20 bootstrap refits
    affordable, uses the same sample-then-refine path at scale, and its centres show category
    shares per segment. The category weight is explicit and documented, not one-hot-and-hope.
    """

    name = "kprototypes"
    label = "k-prototypes"

    def note(self, n_categorical):
        return "" if n_categorical else "; with no categorical features k-prototypes is k-means"


@register_backend
class GaussianMixtureBackend(Backend):
    """Gaussian mixture (full covariances); customers go to their most likely component."""

    name = "gmm"
    label = "Gaussian mixture"

    def _fit(self, Z, k, seed, context):
        gm = GaussianMixture(n_components=k, n_init=self.n_init, random_state=seed, reg_covar=1e-5).fit(Z)
        labels = gm.predict(Z)
        return Partition(labels, gm.means_, gm, within_ss(Z, labels, gm.means_), float(gm.bic(Z)))

    def assign(self, Z, centers, model, order):
        return order.argsort()[model.predict(Z)]


@register_backend
class AgglomerativeBackend(Backend):
    """Ward's tree cut at k on at most 5,000 rows; every customer then goes to the nearest
    segment centroid, so the fitted labels and ``predict`` agree."""

    name = "agglomerative"
    label = "agglomerative (Ward)"
    max_rows = AGGLOMERATIVE_ROWS
    stability_rows = QUADRATIC_STABILITY_ROWS

    def prepare(self, Z):
        return linkage(Z, method="ward")

    def _fit(self, Z, k, seed, context):
        tree = linkage(Z, method="ward") if context is None else context
        cut = cut_tree(tree, n_clusters=k).ravel()
        centers = np.vstack([Z[cut == c].mean(axis=0) for c in range(k)])
        labels = nearest_center(Z, centers)
        return Partition(labels, centers, inertia=within_ss(Z, labels, centers))

    def refit_labels(self, Z_fit, Z_label, k, seed):
        # duplicates add nothing to Ward's tree but cost O(n^2)
        return super().refit_labels(Z_label, Z_label, k, seed)


@register_backend
class HDBSCANBackend(Backend):
    """HDBSCAN with ``min_cluster_size = max(5, min_share x rows)``; points it calls noise go to
    the segment of their nearest clustered point."""

    name = "hdbscan"
    label = "HDBSCAN"
    chooses_k = True
    max_rows = HDBSCAN_ROWS
    stability_rows = QUADRATIC_STABILITY_ROWS

    def _min_size(self, n: int) -> int:
        return max(5, math.ceil(self.min_share * n))

    def fit_auto(self, Z):
        min_size = self._min_size(len(Z))
        if len(Z) < 2 * min_size:
            raise SegmentationError(
                f"HDBSCAN needs at least {2 * min_size} rows to find two clusters of min_cluster_size={min_size}, "
                f"got {len(Z):,}; try algorithm='kmeans' or fewer segments"
            )
        raw = HDBSCAN(min_cluster_size=min_size, copy=True).fit(Z).labels_
        found = int(raw.max()) + 1
        if found < 2:
            raise SegmentationError(
                f"HDBSCAN found {found} cluster(s) with min_cluster_size={min_size} on {len(Z):,} rows: "
                "the data shows no density-separated segments; try algorithm='kmeans' and check structure_"
            )
        clustered = raw >= 0
        centers = np.vstack([Z[raw == c].mean(axis=0) for c in range(found)])
        neighbors = KNeighborsClassifier(n_neighbors=1).fit(Z[clustered], raw[clustered])
        labels = neighbors.predict(Z)
        return Partition(labels, centers, neighbors, within_ss(Z, labels, centers),
                         noise_share=float(np.mean(raw < 0)))

    def assign(self, Z, centers, model, order):
        return _chunked(model.predict, Z).astype(np.int64)

    def renumber(self, model, perm):
        model.classes_ = perm[model.classes_]

    def refit_labels(self, Z_fit, Z_label, k, seed):
        raw = HDBSCAN(min_cluster_size=self._min_size(len(Z_label)), copy=True).fit(Z_label).labels_
        if raw.max() < 0:
            return np.zeros(len(Z_label), dtype=np.int64)
        ok = raw >= 0
        return KNeighborsClassifier(n_neighbors=1).fit(Z_label[ok], raw[ok]).predict(Z_label)


#: Columns of prepared rows with at most this many distinct values are answers (categories) to the
#: latent class model; the others are numbers, modelled as a normal distribution per class.
LATENT_LEVELS = 20
#: EM stops when the log-likelihood gains less than this per row, or after this many iterations.
_EM_TOL, _EM_ITER = 1e-7, 300


def _latent_design(Z: np.ndarray, values: list | None = None,
                   blocks: list[list[int]] = ()) -> tuple[list, np.ndarray, np.ndarray]:
    """Prepared rows as answer codes and numbers: each one-hot block (``blocks``: a categorical
    question's dummies) as one answer, the level whose dummy is largest; each other column as
    answer codes (its distinct values, a new value read as the nearest known one) or, with more
    than :data:`LATENT_LEVELS` values, as a number. ``values`` are the other columns' answers."""
    grouped = {j for block in blocks for j in block}
    rest = [j for j in range(Z.shape[1]) if j not in grouped]
    if values is None:
        values = [np.unique(Z[:, j]) if len(np.unique(Z[:, j])) <= LATENT_LEVELS else None for j in rest]
    discrete = [j for j, v in zip(rest, values, strict=True) if v is not None]
    known_values = [v for v in values if v is not None]
    codes = np.empty((len(Z), len(blocks) + len(discrete)), dtype=np.int64)
    for i, block in enumerate(blocks):
        codes[:, i] = Z[:, block].argmax(axis=1)
    for i, (j, known) in enumerate(zip(discrete, known_values, strict=True), start=len(blocks)):
        at = np.clip(np.searchsorted(known, Z[:, j]), 1, len(known) - 1) if len(known) > 1 else np.zeros(len(Z), int)
        if len(known) > 1:
            left = known[at - 1]
            at = np.where(np.abs(Z[:, j] - left) <= np.abs(known[at] - Z[:, j]), at - 1, at)
        codes[:, i] = at
    numbers = Z[:, [j for j, v in zip(rest, values, strict=True) if v is None]]
    return values, codes, numbers


def _class_log_likelihood(model: dict, codes: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """log P(class) + log P(row | class) for every row and class (rows x k)."""
    out = np.tile(np.log(model["weights"]), (len(codes), 1))
    for i, table in enumerate(model["answers"]):
        out += np.log(table[:, codes[:, i]]).T
    if numbers.shape[1]:
        means, variances = model["means"], model["variances"]
        for c in range(len(model["weights"])):
            out[:, c] += (-0.5 * (np.log(2 * np.pi * variances[c]) + (numbers - means[c]) ** 2 / variances[c])).sum(1)
    return out


def _m_step(resp: np.ndarray, codes: np.ndarray, levels: list[int], numbers: np.ndarray) -> dict:
    """Class shares, answer probabilities (smoothed by half an answer) and normal parameters."""
    mass = resp.sum(axis=0) + 1e-10
    answers = []
    for i, n_levels in enumerate(levels):
        counts = np.stack([np.bincount(codes[:, i], weights=resp[:, c], minlength=n_levels) for c in range(resp.shape[1])])
        answers.append((counts + 0.5) / (counts + 0.5).sum(axis=1, keepdims=True))
    model = {"weights": mass / mass.sum(), "answers": answers}
    if numbers.shape[1]:
        means = (resp.T @ numbers) / mass[:, None]
        variances = (resp.T @ numbers**2) / mass[:, None] - means**2
        model.update(means=means, variances=np.maximum(variances, 1e-3))
    return model


@register_backend
class LatentClassBackend(Backend):
    """A latent class model fitted by EM: in each class every answer (category, point of a
    scale, yes/no) has its own probabilities, answers independent within a class; a number
    (a column with many values) is normal within a class. Respondents go to their most likely
    class; the BIC of each k is scored beside the other indices. Starts from k-means and from
    random classes (``n_init`` of each), keeping the most likely fit."""

    name = "latent_class"
    label = "latent class model (EM)"

    def _fit(self, Z, k, seed, context):
        values, codes, numbers = _latent_design(Z, blocks=self.blocks)
        levels = [len(block) for block in self.blocks] + [len(v) for v in values if v is not None]
        rng = np.random.default_rng(seed)
        best, best_ll = None, -np.inf
        starts = [KMeans(n_clusters=k, n_init=1, random_state=seed + i).fit(Z).labels_ for i in range(self.n_init)]
        starts += [rng.integers(0, k, len(Z)) for _ in range(self.n_init)]
        for start in starts:
            resp = np.eye(k)[start] * 0.8 + 0.2 / k
            previous = -np.inf
            for _ in range(_EM_ITER):
                model = _m_step(resp, codes, levels, numbers)
                joint = _class_log_likelihood(model, codes, numbers)
                top = joint.max(axis=1, keepdims=True)
                ll = float((top.ravel() + np.log(np.exp(joint - top).sum(axis=1))).sum())
                resp = np.exp(joint - top)
                resp /= resp.sum(axis=1, keepdims=True)
                if ll - previous < _EM_TOL * len(Z):
                    break
                previous = ll
            if ll > best_ll:
                best, best_ll = model, ll
        model = {**best, "values": values, "blocks": [list(b) for b in self.blocks]}
        labels = _class_log_likelihood(best, codes, numbers).argmax(axis=1)
        centers = np.vstack([Z[labels == c].mean(axis=0) if (labels == c).any() else Z.mean(axis=0) for c in range(k)])
        n_params = (k - 1) + sum(k * (n - 1) for n in levels) + 2 * k * numbers.shape[1]
        bic = -2 * best_ll + n_params * np.log(len(Z))
        return Partition(labels, centers, model, within_ss(Z, labels, centers), float(bic))

    def weighted(self, Z, centers, model, weights, seed):
        # EM to convergence from the unweighted model, each respondent's class probabilities counting
        # their weight in the M-step (so integer weights fit as the rows repeated would).
        _, codes, numbers = _latent_design(Z, model["values"], model["blocks"])
        levels = [len(table[0]) for table in model["answers"]]
        fitted, previous = model, -np.inf
        for _ in range(_EM_ITER):
            joint = _class_log_likelihood(fitted, codes, numbers)
            top = joint.max(axis=1, keepdims=True)
            ll = float((weights * (top.ravel() + np.log(np.exp(joint - top).sum(axis=1)))).sum())
            if ll - previous < _EM_TOL * float(weights.sum()):
                break
            resp = np.exp(joint - top)
            fitted, previous = _m_step(resp / resp.sum(axis=1, keepdims=True) * weights[:, None], codes, levels,
                                       numbers), ll
        fitted = {**fitted, "values": model["values"], "blocks": model["blocks"]}
        labels = _class_log_likelihood(fitted, codes, numbers).argmax(axis=1)
        centers = np.vstack([np.average(Z[labels == c], axis=0, weights=weights[labels == c])
                             if weights[labels == c].sum() > 0 else Z.mean(axis=0) for c in range(len(centers))])
        return (centers, fitted), True

    def assign(self, Z, centers, model, order):
        _, codes, numbers = _latent_design(Z, model["values"], model["blocks"])
        return order.argsort()[_class_log_likelihood(model, codes, numbers).argmax(axis=1)]
