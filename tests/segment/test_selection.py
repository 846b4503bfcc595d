"""Choosing k: the indices, their ranking, the reasons and the structure verdict."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import silhouette_score

from segkit.exceptions import SegkitWarning
from segkit.segment import Segmenter
from segkit.segment.backends import make_backend
from segkit.segment.selection import (
    SampleScorer,
    choose_k,
    distance_matrix,
    explain_k,
    rank_k,
    silhouette,
    structure_verdict,
)


@pytest.fixture(scope="module")
def three_blobs():
    rng = np.random.default_rng(7)
    return np.vstack([rng.normal(center, 0.5, size=(80, 3)) for center in (0, 4, 8)])


def test_silhouette_from_the_distance_matrix_is_scikit_learns(three_blobs):
    labels = np.repeat([0, 1, 2], 80)
    labels[::9] = 1  # some misplaced rows, so the value is not trivially near 1
    ours = silhouette(distance_matrix(three_blobs), labels, 3)
    assert ours == pytest.approx(silhouette_score(three_blobs, labels), abs=1e-9)


def test_choose_k_tries_each_k_and_picks_the_planted_one(three_blobs):
    scorer = SampleScorer(three_blobs, distance_matrix(three_blobs), None)
    table, fits = choose_k(make_backend("kmeans", n_init=2), scorer, [2, 3, 4, 5], seed=0, min_share=0.02,
                           with_elbow=True)
    assert table.index.tolist() == [2, 3, 4, 5] and sorted(fits) == [2, 3, 4, 5]
    assert table.index[table["chosen"]].tolist() == [3]
    assert table["elbow"].notna().all()  # k = 1 and k = 6 were fitted for the ends
    given, _ = choose_k(make_backend("kmeans", n_init=2), scorer, [3], seed=0, min_share=0.02, with_elbow=False)
    assert given["elbow"].isna().all()


def test_no_eligible_k_is_ranked_anyway_with_a_warning():
    table = pd.DataFrame({"silhouette": [0.5, 0.4], "calinski_harabasz": [1.0, 2.0], "davies_bouldin": [1.0, 0.9],
                          "bic": np.nan, "inertia": [2.0, 1.0], "elbow": np.nan, "smallest_share": [0.01, 0.005]},
                         index=pd.Index([2, 3], name="k"))
    with pytest.warns(SegkitWarning, match="no k in 2..3 keeps every segment at or above min_share=2%"):
        ranked = rank_k(table, min_share=0.02)
    assert ranked["chosen"].sum() == 1 and not ranked["eligible"].any()


def _one_row(k=3, share=0.3):
    table = pd.DataFrame({"silhouette": [0.5], "calinski_harabasz": [10.0], "davies_bouldin": [0.5], "bic": [np.nan],
                          "inertia": [1.0], "elbow": [np.nan], "smallest_share": [share]}, index=pd.Index([k], name="k"))
    return rank_k(table, min_share=0.02)


@pytest.mark.parametrize(
    ("n_segments", "found_by", "first"),
    [(3, None, "k = 3 was given (n_segments=3); its indices were computed on all 500 customers."),
     ("auto", "HDBSCAN", "HDBSCAN found 3 segments on all 500 customers; 12.5% of the sample was noise"),
     ("auto", None, "k = 3 is the only k tried (k_min to k_max, at most one fewer than the customers); its "
                    "indices were computed on all 500 customers.")],
    ids=["given", "found-by-hdbscan", "only-candidate"],
)
def test_one_k_is_explained_by_how_it_came(n_segments, found_by, first):
    reasons = explain_k(_one_row(), n=500, n_sample=500, n_sil=500, ks=[3], n_segments=n_segments,
                        algorithm="hdbscan" if found_by else "kmeans", min_share=0.02, found_by=found_by,
                        noise_share=0.125)
    assert reasons[0].startswith(first)


def test_k_min_equal_to_k_max_is_not_called_hdbscan():
    # with one candidate k, k-means once said "HDBSCAN found 3 segments"
    X = np.random.default_rng(0).normal(size=(200, 2))
    seg = Segmenter(k_min=3, k_max=3, n_bootstrap=0).fit(X)
    assert seg.k_reasons_[0].startswith("k = 3 is the only k tried")


def test_a_small_segment_is_named_in_the_reasons():
    with pytest.warns(SegkitWarning, match="no k in 3..3"):
        table = _one_row(share=0.01)
    reasons = explain_k(table, n=500, n_sample=500, n_sil=500, ks=[3], n_segments=3,
                        algorithm="kmeans", min_share=0.02)
    assert reasons[1] == "Its smallest segment holds 1.0% of customers, below min_share=2%."


def test_structure_is_clear_on_blobs_and_none_on_noise(three_blobs):
    labels = np.repeat([0, 1, 2], 80)
    D = distance_matrix(three_blobs)
    clear = structure_verdict(three_blobs, D, labels, 3, ari=0.95, seed=0)
    assert clear["level"] == "clear" and clear["margin"] >= 0.10
    unstable = structure_verdict(three_blobs, D, labels, 3, ari=0.5, seed=0)
    assert unstable["level"] == "weak" and "bootstrap ARI 0.50" in unstable["reason"]
    noise = np.random.default_rng(1).uniform(size=(240, 3))
    flat = structure_verdict(noise, distance_matrix(noise), labels, 3, ari=float("nan"), seed=0)
    assert flat["level"] == "none" and "not measured" in flat["reason"]
