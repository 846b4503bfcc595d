"""Choosing k: the indices, their ranking, the reasons and the structure verdict; planted segments
found at their k."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score, silhouette_score

from segkit.exceptions import SegkitWarning
from segkit.segment import Segmenter
from segkit.segment.backends import make_backend
from segkit.segment.selection import (
    SampleScorer,
    choose_k,
    distance_matrix,
    bic_minimum,
    rank_k,
    silhouette,
    structure_verdict,
)
from tests.shapes import make_planted


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


# ---------------------------------------------------------------------------------------------
# Planted segments: the k chosen, and the structure reported
# ---------------------------------------------------------------------------------------------


PLANTED_KS = range(2, 9)
PLANTED_SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def planted_results():
    """Chosen k and ARI for every planted (k, seed): 21 small fits, a few seconds."""
    results = {}
    for k in PLANTED_KS:
        for seed in PLANTED_SEEDS:
            X, y = make_planted(k, seed)
            seg = Segmenter(n_bootstrap=0, random_state=seed).fit(X)
            results[k, seed] = (seg.n_segments_, adjusted_rand_score(y, seg.labels_))
    return results


def test_planted_k_recovered_in_90_percent_of_cases(planted_results):
    hits = [chosen == k for (k, _), (chosen, _) in planted_results.items()]
    good = [chosen == k and ari >= 0.9 for (k, _), (chosen, ari) in planted_results.items()]
    assert np.mean(hits) >= 0.9, planted_results
    assert np.mean(good) >= 0.9, planted_results


@pytest.mark.parametrize("k", PLANTED_KS, ids=[f"k{k}" for k in PLANTED_KS])
def test_planted_k_found_for_most_seeds(planted_results, k):
    found = [planted_results[k, seed][0] == k for seed in PLANTED_SEEDS]
    assert sum(found) >= len(PLANTED_SEEDS) - 1, {s: planted_results[k, s] for s in PLANTED_SEEDS}


def test_planted_fit_reports_clear_structure_and_stable_segments():
    X, y = make_planted(4, 0, n=1200)
    seg = Segmenter(n_bootstrap=10).fit(X)
    assert seg.n_segments_ == 4
    assert seg.structure_["level"] == "clear"
    assert seg.stability_["ari"] > 0.9
    assert seg.stability_["unstable"] == []
    assert set(seg.stability_["per_segment"]) == {0, 1, 2, 3}
    table = seg.k_selection_
    assert list(table.index) == list(range(2, 11))
    for column in ("silhouette", "calinski_harabasz", "davies_bouldin", "bic", "inertia", "elbow",
                   "smallest_share", "rank_silhouette", "score", "eligible", "chosen"):
        assert column in table.columns
    assert table["chosen"].sum() == 1 and table.loc[4, "chosen"]
    assert any("k = 4" in reason for reason in seg.k_reasons_)


def _table(**columns):
    base = {"silhouette": [0.36, 0.35, 0.20], "calinski_harabasz": [900.0, 1000.0, 800.0],
            "davies_bouldin": [0.9, 1.0, 1.5], "bic": np.nan, "inertia": [300.0, 150.0, 120.0],
            "elbow": [1.5, 3.0, 1.0], "smallest_share": [0.4, 0.2, 0.1]}
    base.update(columns)
    k = len(next(v for v in base.values() if isinstance(v, list)))
    return pd.DataFrame(base, index=pd.Index(range(2, 2 + k), name="k"))


@pytest.mark.parametrize(
    "silhouette_at_3, calinski_harabasz_at_3, chosen",
    [(0.35, 1000.0, 2), (0.37, 850.0, 3)],
    ids=["silhouette-prefers-2", "silhouette-prefers-3"],
)
def test_a_tie_on_votes_goes_to_the_higher_silhouette_not_the_smaller_k(
    silhouette_at_3, calinski_harabasz_at_3, chosen
):
    # k = 2 and k = 3 get two votes each, as on two real customer tables (there silhouette and
    # Davies-Bouldin preferred 2)
    ranked = rank_k(_table(silhouette=[0.36, silhouette_at_3, 0.20],
                           calinski_harabasz=[900.0, calinski_harabasz_at_3, 800.0]), min_share=0.02)
    assert ranked["votes"].tolist() == [2, 2, 0]
    assert ranked.index[ranked["chosen"]].tolist() == [chosen]


BIC_TURNS = [900.0, 500.0, 530.0, 560.0, 600.0]  # lowest at k = 3, higher at every larger k
BIC_FALLS = [900.0, 700.0, 600.0, 560.0, 540.0]  # still falling at the largest k tried


def _five(bic, stability=None, shares=None):
    """Five k (2..6) whose other four indices all vote for k = 2."""
    table = _table(silhouette=[0.5, 0.4, 0.3, 0.2, 0.1], calinski_harabasz=[900.0, 800.0, 700.0, 600.0, 500.0],
                   davies_bouldin=[0.5, 0.6, 0.7, 0.8, 0.9], inertia=[50.0, 40.0, 30.0, 20.0, 10.0],
                   elbow=[3.0, 2.0, 1.5, 1.2, 1.0], smallest_share=shares or [0.4, 0.3, 0.2, 0.1, 0.1], bic=bic)
    if stability is not None:
        table["stability_min"] = stability
    return table


@pytest.mark.parametrize(
    ("bic", "chosen", "by_bic"),
    [(BIC_TURNS, 3, True), (BIC_FALLS, 2, False), ([900.0, 800.0, 700.0, 500.0, 520.0], 2, False),
     ([900.0, 800.0, 700.0, 698.0, 697.0], 2, False)],
    ids=["bic-turns", "bic-keeps-falling", "bic-turns-at-the-last-but-one-k", "bic-nearly-flat"],
)
def test_the_bic_decides_only_where_it_has_a_minimum(bic, chosen, by_bic):
    ranked = rank_k(_five(bic), min_share=0.02)
    assert ranked.index[ranked["chosen"]].tolist() == [chosen]
    assert bool(ranked["bic_minimum"].any()) is by_bic


@pytest.mark.parametrize("bic", [BIC_TURNS, BIC_FALLS], ids=["bic-turns", "bic-keeps-falling"])
@pytest.mark.parametrize("k", range(2, 7), ids=lambda k: f"k{k}")
def test_bic_minimum_is_never_the_largest_k_tried_nor_the_one_before(bic, k):
    # whatever the pool, a minimum needs two larger k to rise over
    pool = pd.Series([j <= k for j in range(2, 7)], index=range(2, 7))
    best = bic_minimum(_five(bic), pool)
    assert best is None or best <= 4


def test_an_unstable_minimum_gives_way_to_a_stable_k_that_scores_close():
    close = [900.0, 500.0, 502.0, 560.0, 600.0]  # k = 4 within 2% of the BIC's range of k = 3
    unstable_3 = [0.9, 0.4, 0.8, 0.8, 0.8]
    ranked = rank_k(_five(close, unstable_3), min_share=0.02, stability_threshold=0.6)
    assert ranked.index[ranked["chosen"]].tolist() == [4]
    far = rank_k(_five(BIC_TURNS, unstable_3), min_share=0.02, stability_threshold=0.6)
    assert far.index[far["chosen"]].tolist() == [3]  # no stable k close: kept, its segments flagged


def test_without_a_bic_minimum_only_stable_k_vote():
    # the four indices prefer k = 2, but its weakest segment does not hold up
    ranked = rank_k(_five(BIC_FALLS, [0.3, 0.9, 0.9, 0.9, 0.9]), min_share=0.02, stability_threshold=0.6)
    assert ranked.index[ranked["chosen"]].tolist() == [3]
    assert ranked.loc[3, "votes"] == 4


@pytest.mark.parametrize(
    ("bic", "prefer", "kept"),
    [(BIC_TURNS, 4, True), (BIC_TURNS, 6, False), (BIC_FALLS, 3, True), (BIC_FALLS, 5, False)],
    ids=["bic-a-little-lower", "bic-much-lower", "votes-rank-close", "votes-rank-far"],
)
def test_the_previous_k_is_kept_unless_the_data_clearly_say_otherwise(bic, prefer, kept):
    ranked = rank_k(_five(bic), min_share=0.02, prefer=prefer)
    assert bool(ranked.loc[prefer, "chosen"]) is kept
    assert bool(ranked["kept"].any()) is kept


@pytest.mark.parametrize("shape", ["uniform", "gaussian"])
def test_no_structure_is_reported(shape):
    rng = np.random.default_rng(5)
    X = rng.uniform(size=(1200, 4)) if shape == "uniform" else rng.normal(size=(1200, 4))
    seg = Segmenter(n_bootstrap=10).fit(X)
    assert seg.structure_["level"] in ("none", "weak"), seg.structure_
    assert seg.structure_["margin"] < 0.10
    assert seg.stability_["ari"] < 0.9 or seg.structure_["level"] == "none"
    assert "structure" in seg.k_reasons_[-1] or "unstable" in seg.k_reasons_[-1]
