"""segkit.segment.reasons: the sentences that explain the choice of k."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import SegkitWarning
from segkit.segment import Segmenter
from segkit.segment.reasons import explain_k
from segkit.segment.selection import rank_k


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


def _explain(table):
    return explain_k(rank_k(table, min_share=0.02), n=1000, n_sample=1000, n_sil=1000, ks=list(table.index),
                     n_segments="auto", algorithm="kmeans", min_share=0.02)


def _five(bic):
    return pd.DataFrame({"silhouette": [0.5, 0.4, 0.3, 0.2, 0.1], "calinski_harabasz": [900.0, 800.0, 700.0, 600.0, 500.0],
                         "davies_bouldin": [0.5, 0.6, 0.7, 0.8, 0.9], "bic": bic,
                         "inertia": [50.0, 40.0, 30.0, 20.0, 10.0], "elbow": [3.0, 2.0, 1.5, 1.2, 1.0],
                         "smallest_share": [0.4, 0.3, 0.2, 0.1, 0.1]}, index=pd.Index(range(2, 7), name="k"))


def test_a_bic_minimum_is_named_with_the_k_it_rises_over():
    reasons = _explain(_five([900.0, 500.0, 530.0, 560.0, 600.0]))
    assert any(r.startswith("The BIC has a minimum at k = 3 (500; it rises again at k = 4, 5, 6)") for r in reasons)
    assert "The indices disagree: silhouette, Calinski-Harabasz, Davies-Bouldin, elbow would pick k = 2." in reasons


def test_a_falling_bic_is_said_to_have_no_say_and_the_votes_are_counted():
    reasons = _explain(_five([900.0, 700.0, 600.0, 560.0, 540.0]))
    assert any(r.startswith("The BIC keeps falling to the largest k tried") for r in reasons)
    assert ("Each of silhouette, Calinski-Harabasz, Davies-Bouldin, elbow voted for its best k: k = 2 has the "
            "most votes (4 of 4).") in reasons


@pytest.mark.parametrize(("silhouette_at_3", "calinski_harabasz_at_3", "chosen"),
                         [(0.35, 1000.0, 2), (0.37, 850.0, 3)], ids=["silhouette-prefers-2", "silhouette-prefers-3"])
def test_a_tie_on_votes_says_the_silhouette_decided(silhouette_at_3, calinski_harabasz_at_3, chosen):
    table = pd.DataFrame({"silhouette": [0.36, silhouette_at_3, 0.20],
                          "calinski_harabasz": [900.0, calinski_harabasz_at_3, 800.0],
                          "davies_bouldin": [0.9, 1.0, 1.5], "bic": np.nan, "inertia": [300.0, 150.0, 120.0],
                          "elbow": [1.5, 3.0, 1.0], "smallest_share": [0.4, 0.2, 0.1]},
                         index=pd.Index([2, 3, 4], name="k"))
    assert f"k = {5 - chosen} had as many votes; the higher silhouette decided." in _explain(table)
