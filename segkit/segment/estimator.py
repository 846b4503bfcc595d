"""The :class:`Segmenter` estimator: choose the number of segments honestly, fit, check stability.

:class:`Segmenter` is a scikit-learn clusterer. It prepares the feature table with segkit's
preprocessor (:mod:`segkit.features.preprocess`), tries every number of segments in
``[k_min, k_max]`` on a seeded sample (:mod:`segkit.segment.selection`) with the clustering
backend of its algorithm (:mod:`segkit.segment.backends`), refits bootstrap samples to measure
how reproducible each segment is (:mod:`segkit.segment.stability`), compares the result with
structureless reference data so that data without clusters is reported as such, and numbers the
segments by a stated rule so that the same data and seed always give the same ids.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from segkit.segment import Segmenter
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame(np.vstack([rng.normal(c, 0.5, size=(100, 2)) for c in (0, 5, 10)]),
...                  columns=["recency_days", "frequency"])
>>> seg = Segmenter(k_max=6, n_bootstrap=5).fit(X)
>>> seg.n_segments_, seg.structure_["level"]
(3, 'clear')
>>> np.bincount(seg.labels_).tolist()
[100, 100, 100]
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from segkit.exceptions import ColumnError, DataError, SegkitWarning, SegmentationError, quote, user_stacklevel
from segkit.features.preprocess import (
    CATEGORY_GAMMA,
    build_preprocessor,
    fitting_sample,
    level_positions,
    numeric_values,
    plan_columns,
    seeded_rows,
)
from segkit.parameters import check_parameters, sklearn_constraints
from segkit.segment.backends import Backend, make_backend
from segkit.segment.display import fitted_summary, segments_html
from segkit.segment.likelihood import ColumnLayout, category_blocks
from segkit.segment.reasons import explain_k
from segkit.segment.selection import (
    BIC_ROWS,
    SILHOUETTE_ROWS,
    SampleScorer,
    candidate_ks,
    check_size,
    choose_k,
    distance_matrix,
    distinct_rows,
    rank_k,
    score_found_k,
    structure_verdict,
)
from segkit.segment.stability import SCREEN_ROWS, bootstrap_stability, not_measured, screen_stability
from segkit.segment.validation import check_customers, input_frame, jsonable

__all__ = ["Segmenter", "jsonable"]

#: Rows the preprocessor transforms at once (more are done block by block into one matrix).
TRANSFORM_ROWS = 500_000


class Segmenter(ClusterMixin, BaseEstimator):
    """Choose the number of segments, fit them and check that they are real.

    Parameters
    ----------
    n_segments : "auto" or int, default="auto"
        Number of segments. ``"auto"`` tries every k in ``[k_min, k_max]`` and picks the BIC's
        minimum, or without one the k most validity indices vote for (see Notes).
    algorithm : {"auto", "kmeans", "gmm", "agglomerative", "hdbscan", "kprototypes", "latent_class"}, default="auto"
        ``"auto"`` uses ``"latent_class"`` when every column is categorical or ordinal (survey
        answers), ``"kprototypes"`` when there are categorical columns and ``"kmeans"``
        otherwise; the choice and the reason are in ``algorithm_`` and ``algorithm_reason_``.
    k_min, k_max : int, default=2, 10
        Range of k tried (inclusive). An integer ``n_segments`` must lie in it.
    min_share : float, default=0.02
        A k is eligible only when its smallest segment holds at least this share of customers.
    min_size : int, default=1
        The fewest customers a segment may hold (a report passes ``privacy.min_cell_size``, so
        that no segment is too small to show): ``"auto"`` tries no k above customers /
        ``min_size``, and a k is eligible only when its smallest segment holds this many.
    sample_size : int, default=20_000
        Above this many customers, k is chosen and the model fitted on a seeded sample of this
        size, then refined on all rows (k-means, k-prototypes) and everyone is assigned in chunks.
    n_init : int, default=4
        Initialisations per fit (k-means, k-prototypes, Gaussian mixture).
    n_bootstrap : int, default=20
        Bootstrap refits for the stability check (0 skips it).
    stability_threshold : float, default=0.6
        Segments whose mean bootstrap Jaccard similarity is below this are listed as unstable.
    prefer_k : int, optional
        A k to keep unless the data clearly say otherwise (the previous run's, so that monthly
        reports compare like with like): with ``"auto"``, kept when eligible and stable unless
        the BIC's minimum is lower by more than 10% of the BIC's range over the k tried (without
        a minimum: unless its mean rank is more than one behind); the reasons say which happened.
    order_by : str, optional
        Numeric column whose per-segment mean orders the ids (descending). When None and a
        column ``monetary`` exists it is used; otherwise ids follow descending segment size.
    random_state : int in [0, 2**32 - 1], RandomState or None, default=0
        Seed for sampling, initialisation and bootstraps.
    progress : bool, default=False
        Show tqdm progress bars over the k loop and the bootstraps.

    Attributes
    ----------
    labels_ : ndarray of int, shape (n_customers,)
        Segment id of every training customer (0..n_segments_-1).
    segments_ : pandas.Series
        The same labels indexed by the input's index (``customer_id``), named ``segment``.
    n_segments_ : int
        Number of segments found.
    algorithm_, algorithm_reason_ : str
        Algorithm used and why.
    k_selection_ : pandas.DataFrame
        One row per k tried: the indices, their ranks among eligible stable k, ``score`` (mean
        rank, lower is better), ``votes``, ``smallest_share``, ``eligible``, ``stable``,
        ``bic_minimum`` and ``chosen``.
    k_reasons_ : list of str
        Plain-language sentences explaining the choice of k.
    stability_ : dict
        ``ari`` (mean bootstrap adjusted Rand index), ``per_segment`` {id: mean Jaccard},
        ``unstable`` (ids below ``stability_threshold``), ``n_bootstrap``, ``n_rows``, ``threshold``.
    structure_ : dict
        ``level`` ('clear', 'weak' or 'none'), ``reason`` and the evidence: ``silhouette``,
        ``reference_silhouette`` (same k on uniform data in the principal-component box of the
        data, the gap-statistic reference), ``margin`` and ``stability_ari``.
    cluster_centers_ : ndarray, shape (n_segments_, n_prepared_features)
        Segment centres in the prepared (scaled, one-hot) space; for HDBSCAN the mean of the
        clustered sample points.
    preprocessor_ : sklearn.pipeline.Pipeline
        The fitted preparation of the features (:func:`segkit.features.preprocess.make_preprocessor`'s
        rules); it transforms the raw feature table.
    model_ : object or None
        What the backend needs besides the centres to assign customers: the Gaussian mixture
        (``"gmm"``), HDBSCAN's nearest-neighbour classifier (``"hdbscan"``); None otherwise.
    numeric_features_, categorical_features_ : list of str
        Columns used as numbers and as (unordered, one-hot coded) categories.
    ordinal_features_ : dict of str to list of str
        Columns with an *ordered* pandas Categorical dtype and their levels, lowest first.
        Such a column is used as the position of its level (0..n-1), median-imputed and
        standard-scaled like a number, so "Agree" lies nearer "Strongly agree" than
        "Strongly disagree"; with only two levels present it is coded as a flag. ``predict``
        matches the levels ignoring case and spaces, so a plain text column (scoring data read
        from CSV) works too; a value that is not a level counts as missing (imputed, with a
        :class:`SegkitWarning`).
    log_features_, binary_features_ : list of str
        Numeric columns log1p-transformed (skewed, non-negative) and those with exactly two
        values (flags; ordinal columns with two levels present included). Flags are not
        standardised: they are coded +-sqrt(gamma)/2, so that a mismatch costs gamma as on any
        category (a yes/no column weighs the same written 1/0 or yes/no) and a rare flag does
        not pull its few customers into a segment.
    dropped_features_ : dict
        Constant or all-missing columns that were dropped, with the reason.
    order_rule_ : str
        How segment ids were numbered.
    noise_share_ : float
        HDBSCAN only: share of the fitted sample it called noise (assigned to the nearest
        cluster); 0.0 for the other algorithms.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit`` (when X was a DataFrame with string names).
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Notes
    -----
    **Choosing k** (:mod:`segkit.segment.selection`). For each k the sample is clustered and
    scored by the silhouette, Calinski-Harabasz, Davies-Bouldin, the elbow strength and the
    BIC of a mixture started at the partition; every k's fit is screened for bootstrap
    stability. Where the BIC has a minimum (it rises again over at least two larger k) that
    k is chosen, unless it is unstable and a stable k scores within 2% of the BIC's range;
    where the BIC keeps falling, the other four indices each vote for their best eligible
    (smallest segment >= ``min_share``) stable k and the most votes win (ties: higher
    silhouette, then smaller k). ``structure_['level']`` is 'clear' when the silhouette beats
    structureless reference data by at least 0.10 and the bootstrap ARI is at least 0.8, 'none'
    when the margin is below 0.03, and 'weak' otherwise.

    **Preparation** follows :mod:`segkit.features.preprocess`, the preprocessor the workshop
    teaches too. **Algorithms** are backends in a registry (:mod:`segkit.segment.backends`):
    k-prototypes is k-means on [scaled numbers, sqrt(gamma / 2) x one-hot categories], which
    minimises Huang's cost; HDBSCAN chooses the number of segments itself (``n_segments``
    must be ``"auto"``) and assigns the points it calls noise to the segment of their nearest
    clustered sample point (``noise_share_`` says how many); agglomerative cuts a Ward tree
    built on at most 5,000 rows and assigns every customer to the nearest segment centroid,
    so ``labels_`` and ``predict`` agree.

    Examples
    --------
    >>> import numpy as np
    >>> from segkit.segment import Segmenter
    >>> rng = np.random.default_rng(1)
    >>> X = np.vstack([rng.normal(0, 1, (150, 3)), rng.normal(6, 1, (50, 3))])
    >>> seg = Segmenter(k_max=5, n_bootstrap=5).fit(X)
    >>> seg.n_segments_, seg.algorithm_
    (2, 'kmeans')
    >>> seg.predict(X[:3]).tolist()
    [0, 0, 0]
    >>> seg.k_selection_.loc[seg.n_segments_, "chosen"]
    np.True_
    """

    # The rules live in segkit.parameters, where the config is checked against them too.
    _parameter_constraints: dict = sklearn_constraints()

    def __init__(
        self,
        n_segments="auto",
        *,
        algorithm="auto",
        k_min=2,
        k_max=10,
        min_share=0.02,
        min_size=1,
        sample_size=20_000,
        n_init=4,
        n_bootstrap=20,
        stability_threshold=0.6,
        prefer_k=None,
        order_by=None,
        random_state=0,
        progress=False,
    ):
        self.n_segments = n_segments
        self.algorithm = algorithm
        self.k_min = k_min
        self.k_max = k_max
        self.min_share = min_share
        self.min_size = min_size
        self.sample_size = sample_size
        self.n_init = n_init
        self.n_bootstrap = n_bootstrap
        self.stability_threshold = stability_threshold
        self.prefer_k = prefer_k
        self.order_by = order_by
        self.random_state = random_state
        self.progress = progress

    def __repr__(self, N_CHAR_MAX=700):
        text = super().__repr__(N_CHAR_MAX)
        return f"{text}\n  fitted: {fitted_summary(self)}" if hasattr(self, "labels_") else text

    def _repr_mimebundle_(self, **kwargs):
        if not hasattr(self, "labels_"):
            return super()._repr_mimebundle_(**kwargs)
        return {"text/plain": repr(self), "text/html": segments_html(self, title=super().__repr__())}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        return tags

    # ------------------------------------------------------------------ fit
    def fit(self, X, y=None, sample_weight=None):
        """Choose k (unless given), fit the segments and check their stability; returns self.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_customers, n_features)
            Customer features; numeric, text or category columns, NaN allowed.
        y : None, ignored
        sample_weight : array-like of shape (n_customers,), optional
            Survey weights: k is chosen and stability measured on the rows as they are, then the
            centres are refitted with the weights where the backend can (``weighted_`` says if it did).
        """
        self._validate_params()
        frame = input_frame(self, X, reset=True)
        n = len(frame)
        rng = check_random_state(self.random_state)
        seeds = rng.randint(0, 2**31 - 1, size=6)
        sample_seed, fit_seed, sil_seed, boot_seed, ref_seed, prep_seed = (int(s) for s in seeds)

        check_customers(n, self.n_segments)
        check_size(n, self.n_segments, self.min_size)
        plan = plan_columns(frame, random_state=prep_seed)
        self._prepare(frame, plan, prep_seed)
        Z = self._transform(frame)
        self.algorithm_, self.algorithm_reason_ = self._pick_algorithm(n)
        backend = self._backend()

        # The sample on which k is chosen and the model fitted; structure is judged on its
        # distinct profiles (a table of answers repeats a few profiles many times).
        sample_idx = seeded_rows(n, min(backend.max_rows or self.sample_size, self.sample_size), sample_seed)
        S = Z[sample_idx] if sample_idx is not None else Z
        distinct = distinct_rows(S)
        self.n_distinct_ = int(len(distinct))
        picked = seeded_rows(len(distinct), SILHOUETTE_ROWS, sil_seed)
        sil_idx = distinct if picked is None else distinct[picked]
        S_sil = S[sil_idx]
        ks, limits = candidate_ks(n, self.n_distinct_, n_segments=self.n_segments, k_min=self.k_min,
                                   k_max=self.k_max, min_size=self.min_size)
        scorer = SampleScorer(S, distance_matrix(S_sil), sil_idx, ColumnLayout.from_preprocessor(self.preprocessor_, S),
                              seeded_rows(len(S), BIC_ROWS, sil_seed))
        # Small fits gain nothing from threads, and OpenMP threads that wait for each other
        # on a busy machine make them many times slower.
        with threadpool_limits(limits=1):
            selection, partition = self._fit_sample(backend, scorer, ks, fit_seed, n)
        k = int(selection.index[selection["chosen"]][0])
        centers = partition.centers if sample_idx is None else backend.refine(Z, partition.centers, fit_seed)
        if sample_idx is not None and backend.refine_scratches_Z:
            del Z  # the refinement's scratch space: built again, the same numbers as first
            Z = self._transform(frame)
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        (centers, model), self.weighted_ = backend.with_weights(Z, centers, partition.model, w, fit_seed)
        self.model_, self.noise_share_ = model, partition.noise_share
        self._number_segments(frame, backend, backend.assign(Z, centers, self.model_, np.arange(k)), centers)

        self.k_selection_ = selection.copy()
        self.k_reasons_ = explain_k(
            selection, n=n, n_sample=len(S), n_sil=len(S_sil), ks=ks, n_segments=self.n_segments,
            algorithm=self.algorithm_, min_share=self._min_share(n),
            found_by=backend.label if backend.chooses_k else None, noise_share=self.noise_share_,
            min_size=self.min_size, limits=limits,
        )
        sampled = sample_idx if sample_idx is not None else np.arange(n)
        self.stability_ = self._check_stability(backend, S, self.labels_[sampled], boot_seed)
        sil_labels = self.labels_[sampled][sil_idx]
        with threadpool_limits(limits=1):
            self.structure_ = structure_verdict(S_sil, scorer.D_sil, sil_labels, k, self.stability_["ari"], ref_seed,
                                                n_distinct=self.n_distinct_, n_customers=n)
        self.k_reasons_.append(self.structure_["reason"])
        if self.stability_["unstable"]:
            self.k_reasons_.append(
                f"Segments {self.stability_['unstable']} are unstable: their mean bootstrap Jaccard "
                f"similarity is below {self.stability_threshold:g}."
            )
        return self

    def _fit_sample(self, backend: Backend, scorer: SampleScorer, ks: list[int], seed: int, n: int):
        """Choose k on the sample (or let the backend find it); the k table and the partition.

        With ``n_bootstrap`` > 0 and several k, every k's fit is screened for stability first
        (:func:`~segkit.segment.stability.screen_stability`), so that the choice passes over a
        k whose best fit holds a segment that is an accident of the sample.
        """
        min_share = self._min_share(n)
        if backend.chooses_k:
            partition = backend.fit_auto(scorer.S)
            return score_found_k(partition, scorer, min_share=min_share), partition
        selection, fits = choose_k(backend, scorer, ks, seed, min_share=min_share,
                                   with_elbow=self.n_segments == "auto", progress=self.progress)
        screened = len(ks) > 1 and self.n_bootstrap > 0
        if screened:
            screen = screen_stability(scorer.S, fits, backend=backend, seed=seed, threshold=self.stability_threshold,
                                      rows=seeded_rows(len(scorer.S), min(SCREEN_ROWS, backend.stability_rows), seed))
            selection["stability_min"] = pd.Series(screen)
        if screened or (self.prefer_k is not None and len(ks) > 1):
            selection = rank_k(selection, min_share, stability_threshold=self.stability_threshold if screened else None,
                               prefer=self.prefer_k)
        return selection, fits[int(selection.index[selection["chosen"]][0])]

    def _min_share(self, n: int) -> float:
        """The eligibility share: ``min_share``, or ``min_size`` customers when that is more."""
        return max(float(self.min_share), self.min_size / max(n, 1))

    def _number_segments(self, frame: pd.DataFrame, backend: Backend, raw: np.ndarray, centers) -> None:
        """Renumber the backend's segments by :meth:`_segment_order` and keep the labels."""
        k = len(centers)
        order = self._segment_order(frame, raw, centers, k)
        remap = np.empty(k, dtype=np.int64)
        remap[order] = np.arange(k)
        self.label_order_ = order
        self.cluster_centers_ = np.asarray(centers)[order]
        backend.renumber(self.model_, remap)
        self.labels_ = remap[raw]
        self.n_segments_ = int(k)
        self.segments_ = pd.Series(self.labels_, index=frame.index, name="segment")

    def _check_stability(self, backend: Backend, S: np.ndarray, labels: np.ndarray, seed: int) -> dict:
        """Bootstrap stability on (a seeded part of) the sample ``S`` whose labels are ``labels``."""
        if self.n_segments_ < 2 or self.n_bootstrap == 0:
            return not_measured(self.stability_threshold)
        rows = seeded_rows(len(S), backend.stability_rows, seed)
        with threadpool_limits(limits=1):
            return bootstrap_stability(
                S if rows is None else S[rows], labels if rows is None else labels[rows], self.n_segments_,
                backend=backend, n_bootstrap=self.n_bootstrap, threshold=self.stability_threshold, seed=seed,
                progress=self.progress,
            )

    def predict(self, X):
        """Assign customers to the fitted segments.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_customers, n_features)
            The same columns as in ``fit``.

        Returns
        -------
        labels : ndarray of int, shape (n_customers,)
        """
        check_is_fitted(self, "labels_")
        frame = input_frame(self, X, reset=False)
        self._warn_unknown_levels(frame)
        return self._backend().assign(self._transform(frame), self.cluster_centers_, self.model_, self.label_order_)

    def assign(self, X) -> pd.Series:
        """Segment of each customer as a Series named ``segment`` with X's index.

        Examples
        --------
        >>> import pandas as pd
        >>> from segkit.segment import Segmenter
        >>> X = pd.DataFrame({"monetary": [1.0, 1.2, 0.9, 50, 52, 49]},
        ...                  index=pd.Index(list("abcdef"), name="customer_id"))
        >>> Segmenter(n_segments=2, n_bootstrap=0).fit(X).assign(X).tolist()
        [1, 1, 1, 0, 0, 0]
        """
        labels = self.predict(X)
        index = X.index if isinstance(X, pd.DataFrame) else pd.RangeIndex(len(labels))
        return pd.Series(labels, index=index, name="segment")

    def relabel(self, new_ids) -> Segmenter:
        """Renumber the segments: segment ``i`` becomes ``new_ids[i]`` (a permutation of 0..k-1).

        Labels, centres, the stability figures and what ``predict`` returns all follow, so
        the model stays consistent; used to keep ids stable across refreshed runs (see
        :func:`segkit.monitor.stable_ids`).

        Examples
        --------
        >>> rng = np.random.default_rng(1)
        >>> X = np.vstack([rng.normal(0, 1, (150, 2)), rng.normal(6, 1, (50, 2))])
        >>> seg = Segmenter(n_segments=2, n_bootstrap=0).fit(X)
        >>> before = seg.predict(X[:3]).tolist()
        >>> seg.relabel([1, 0]).predict(X[:3]).tolist() == [1 - b for b in before]
        True
        """
        check_is_fitted(self, "labels_")
        perm = np.asarray(new_ids, dtype=np.int64)
        k = self.n_segments_
        if perm.shape != (k,) or sorted(perm.tolist()) != list(range(k)):
            raise ValueError(f"new_ids must be a permutation of 0..{k - 1}, got {quote(list(new_ids))}")
        inverse = perm.argsort()
        self.labels_ = perm[self.labels_]
        self.segments_ = pd.Series(self.labels_, index=self.segments_.index, name="segment")
        self.cluster_centers_ = self.cluster_centers_[inverse]
        self.label_order_ = self.label_order_[inverse]
        self._backend().renumber(self.model_, perm)
        stab = dict(self.stability_)
        stab["per_segment"] = {int(perm[int(s)]): v for s, v in stab.get("per_segment", {}).items()}
        stab["per_segment"] = dict(sorted(stab["per_segment"].items()))
        stab["unstable"] = sorted(int(perm[int(s)]) for s in stab.get("unstable", []))
        self.stability_ = stab
        if not np.array_equal(perm, np.arange(k)):
            self.order_rule_ = "segment ids renumbered to continue an earlier run's (relabel)"
        return self

    def summary(self) -> dict[str, Any]:
        """JSON-ready record of the fit for ``summary.json``.

        Returns
        -------
        dict
            ``n_segments``, ``algorithm`` (+ reason), ``random_state``, ``sizes``,
            ``k_selection`` (records), ``k_reasons``, ``stability``, ``structure``, ``order_rule``.
        """
        check_is_fitted(self, "labels_")
        table = self.k_selection_.reset_index()
        return jsonable({
            "n_segments": self.n_segments_,
            "algorithm": self.algorithm_,
            "algorithm_reason": self.algorithm_reason_,
            "random_state": self.random_state if isinstance(self.random_state, numbers.Integral) else None,
            "sizes": np.bincount(self.labels_, minlength=self.n_segments_).tolist(),
            "k_selection": table.to_dict(orient="records"),
            "k_reasons": list(self.k_reasons_),
            "stability": self.stability_,
            "structure": self.structure_,
            "order_rule": self.order_rule_,
            "dropped_features": self.dropped_features_,
            "log_features": self.log_features_,
            "ordinal_features": self.ordinal_features_,
        })

    # ------------------------------------------------------------ checking
    def _validate_params(self):
        """Check the parameters against their rules (:mod:`segkit.parameters`, also what
        :func:`segkit.config.validate_config` checks a config's ``segmentation`` keys against)."""
        invalid = check_parameters(self.get_params(deep=False))
        if invalid is not None:
            raise SegmentationError(invalid.message)

    # -------------------------------------------------------- preparation
    def _prepare(self, frame: pd.DataFrame, plan, seed: int) -> None:
        """Keep the column plan as attributes and fit the preprocessor on its seeded sample."""
        self.numeric_features_, self.categorical_features_ = plan.numeric, plan.categorical
        self.log_features_, self.binary_features_ = plan.log, plan.flags + plan.ordinal_flags
        self.ordinal_features_, self.dropped_features_ = plan.ordinal, plan.dropped
        self.preprocessor_ = build_preprocessor(plan).fit(fitting_sample(frame, seed))

    def _warn_unknown_levels(self, frame: pd.DataFrame) -> None:
        """Warn when an ordinal column holds values that are not among its fitted levels."""
        for name, levels in self.ordinal_features_.items():
            if name not in frame.columns:
                continue  # the preprocessor's coerce step names the missing columns
            column = frame[name]
            positions = level_positions(column.to_frame(), [levels])[:, 0]
            unknown = np.flatnonzero(np.isnan(positions) & column.notna().to_numpy())
            if unknown.size:
                value = column.iloc[unknown[0]]
                warnings.warn(
                    f"X: column '{name}' has {unknown.size} "
                    f"{'value that is' if unknown.size == 1 else 'values that are'} not among its levels "
                    f"(e.g. {quote(value)} at row {unknown[0] + 1}); expected one of {levels}, case and spaces "
                    "ignored; treated as missing (imputed)",
                    SegkitWarning,
                    stacklevel=user_stacklevel(),
                )

    def _transform(self, frame: pd.DataFrame) -> np.ndarray:
        """The prepared matrix, :data:`TRANSFORM_ROWS` rows at a time (each step copies its input; all work by row)."""
        if len(frame) <= TRANSFORM_ROWS:
            return np.ascontiguousarray(self.preprocessor_.transform(frame), dtype=np.float64)
        blocks = (self.preprocessor_.transform(frame.iloc[i:i + TRANSFORM_ROWS])
                  for i in range(0, len(frame), TRANSFORM_ROWS))
        first = np.asarray(next(blocks), dtype=np.float64)
        Z = np.empty((len(frame), first.shape[1]), dtype=np.float64)
        Z[:len(first)] = first
        for i, block in enumerate(blocks, start=1):
            Z[i * TRANSFORM_ROWS:(i + 1) * TRANSFORM_ROWS] = block
        return Z

    def _backend(self) -> Backend:  # the one-hot blocks: a latent class model reads each as one answer
        return make_backend(self.algorithm_, n_init=self.n_init, min_share=self.min_share,
                            blocks=category_blocks(self.preprocessor_))

    def _pick_algorithm(self, n: int) -> tuple[str, str]:
        algorithm, reason = self._algorithm_choice(n)
        if self.ordinal_features_:
            names = ", ".join(f"'{c}' ({' < '.join(levels)})" for c, levels in self.ordinal_features_.items())
            reason += (f". Ordinal features {names} are used as the positions of their levels (0 to n-1), "
                       "median-imputed and scaled like numbers (coded as a flag when only two levels occur), "
                       "not one-hot coded, so neighbouring levels count as close")
        return algorithm, reason

    def _algorithm_choice(self, n: int) -> tuple[str, str]:
        n_num, n_cat = len(self.numeric_features_), len(self.categorical_features_)
        n_ord = len(self.ordinal_features_)
        kinds = (f"{n_num} numeric, {n_ord} ordinal and {n_cat} categorical features" if n_ord
                 else f"{n_num} numeric and {n_cat} categorical features")
        if self.algorithm != "auto":
            reason = f"algorithm='{self.algorithm}' was asked for ({kinds}, {n:,} customers)"
            return self.algorithm, reason + make_backend(self.algorithm).note(n_cat)
        scale = (
            f"k-means scales to {n:,} customers by fitting on a {self.sample_size:,}-row sample and "
            "refining on all rows" if n > self.sample_size else f"k-means is fast and reproducible on {n:,} customers"
        )
        if n_num == 0 and n_cat + n_ord:
            return "latent_class", (
                f"auto chose a latent class model because every feature is categorical or ordinal ({kinds}): "
                "each class has its own probabilities for every answer, fitted by EM, with the BIC of each k "
                "scored beside the other indices")
        if n_cat:
            return "kprototypes", (
                f"auto chose k-prototypes because the data mixes {kinds}; it is k-means on scaled numbers "
                f"plus one-hot categories weighted by Huang's gamma={CATEGORY_GAMMA:g}, and {scale}")
        if n_ord:
            return "kmeans", (f"auto chose k-means because all {n_num + n_ord} features are numeric or ordinal; "
                              f"{scale}")
        return "kmeans", f"auto chose k-means because all {n_num} features are numeric; {scale}"

    def _segment_order(self, frame, raw, centers, k):
        """Permutation old id -> rank: by descending mean of the value column, else by size."""
        sizes = np.bincount(raw, minlength=k)
        column = self.order_by
        if column is None and "monetary" in frame.columns:
            column = "monetary"
        if column is not None:
            if column not in frame.columns:
                raise ColumnError(f"X: column '{column}' given as order_by is not in the data; expected one of {list(frame.columns)}")
            values = numeric_values(frame[column])
            if values is None:
                raise DataError(f"X: column '{column}' given as order_by is not numeric")
            ok = ~np.isnan(values)
            sums = np.bincount(raw[ok], weights=values[ok], minlength=k)
            counts = np.bincount(raw[ok], minlength=k)
            means = np.where(counts > 0, sums / np.maximum(counts, 1), -np.inf)
            self.order_rule_ = (
                f"segment ids by descending mean '{column}', ties by descending size, then by centre coordinates"
            )
            keys = [(-means[c], -sizes[c], tuple(np.round(centers[c], 12))) for c in range(k)]
        else:
            self.order_rule_ = "segment ids by descending size, ties by centre coordinates"
            keys = [(-sizes[c], tuple(np.round(centers[c], 12))) for c in range(k)]
        return np.array(sorted(range(k), key=lambda c: keys[c]), dtype=np.int64)
