"""Bootstrap stability: reproducible segments score high, a split of one blob does not."""

from __future__ import annotations

import numpy as np
import pytest

from segkit.segment.backends import make_backend
from segkit.segment.stability import bootstrap_stability, not_measured


def test_separated_segments_are_stable():
    rng = np.random.default_rng(2)
    Z = np.vstack([rng.normal(0, 0.3, (100, 2)), rng.normal(4, 0.3, (100, 2))])
    result = bootstrap_stability(Z, np.repeat([0, 1], 100), 2, backend=make_backend("kmeans", n_init=2),
                                 n_bootstrap=5, threshold=0.6, seed=0)
    assert result["ari"] == pytest.approx(1.0)
    assert result["per_segment"] == {0: pytest.approx(1.0), 1: pytest.approx(1.0)}
    assert result["unstable"] == [] and result["n_bootstrap"] == 5 and result["n_rows"] == 200


def test_an_arbitrary_cut_of_one_blob_is_flagged_unstable():
    Z = np.random.default_rng(3).normal(size=(300, 2))
    reference = (np.arange(300) % 4)  # four segments with no relation to the data
    result = bootstrap_stability(Z, reference, 4, backend=make_backend("kmeans", n_init=2), n_bootstrap=4,
                                 threshold=0.6, seed=0)
    assert result["ari"] < 0.1 and result["unstable"] == [0, 1, 2, 3]


def test_the_same_seed_gives_the_same_figures():
    Z = np.random.default_rng(4).normal(size=(120, 3))
    reference = (Z[:, 0] > 0).astype(int)
    runs = [bootstrap_stability(Z, reference, 2, backend=make_backend("gmm", n_init=1), n_bootstrap=3,
                                threshold=0.6, seed=11) for _ in range(2)]
    assert runs[0] == runs[1]


def test_not_measured_says_so():
    record = not_measured(0.7)
    assert np.isnan(record["ari"]) and record["n_bootstrap"] == 0 and record["threshold"] == 0.7
