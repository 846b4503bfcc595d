"""Segment customers: choose the number of segments honestly, fit, check stability, save.

* :mod:`~segkit.segment.estimator` -- :class:`Segmenter`, the scikit-learn clusterer (its
  parameters and their constraints, fit, predict, assign, relabel, summary);
* :mod:`~segkit.segment.backends` -- the clustering algorithms (k-means, k-prototypes, Gaussian
  mixture, agglomerative, HDBSCAN), one small class each, in a registry;
* :mod:`~segkit.segment.selection` -- validity indices, the choice of k and its reasons, the
  structure verdict against structureless reference data;
* :mod:`~segkit.segment.stability` -- bootstrap stability of each segment;
* :mod:`~segkit.segment.validation` -- the checks of X (the parameters' rules, which the
  config shares, are :mod:`segkit.parameters`);
* :mod:`~segkit.segment.persist` -- :func:`save_segmenter` / :func:`load_segmenter` (skops, an
  explicit list of trusted types).

The features are prepared by :mod:`segkit.features.preprocess`.

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
"""

from segkit.features.preprocess import BINARY_HALF_GAP, CATEGORY_GAMMA, CATEGORY_WEIGHT, SKEW_THRESHOLD
from segkit.features.preprocess import level_positions as _level_positions  # noqa: F401 - model files name it
from segkit.schema import ALGORITHMS
from segkit.segment.backends import (
    AGGLOMERATIVE_ROWS,
    CHUNK_ROWS,
    HDBSCAN_ROWS,
    REFINE_ITERATIONS,
    STABILITY_ROWS,
)
from segkit.segment.estimator import Segmenter
from segkit.segment.persist import TRUSTED_TYPES, load_segmenter, save_segmenter
from segkit.segment.selection import CLEAR_MARGIN, REFERENCE_ROWS, SILHOUETTE_ROWS, STABLE_ARI, WEAK_MARGIN

__all__ = [
    "AGGLOMERATIVE_ROWS",
    "ALGORITHMS",
    "BINARY_HALF_GAP",
    "CATEGORY_GAMMA",
    "CATEGORY_WEIGHT",
    "CHUNK_ROWS",
    "CLEAR_MARGIN",
    "HDBSCAN_ROWS",
    "REFERENCE_ROWS",
    "REFINE_ITERATIONS",
    "SILHOUETTE_ROWS",
    "SKEW_THRESHOLD",
    "STABILITY_ROWS",
    "STABLE_ARI",
    "TRUSTED_TYPES",
    "WEAK_MARGIN",
    "Segmenter",
    "load_segmenter",
    "save_segmenter",
]
