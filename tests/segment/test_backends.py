"""The clustering backends: one per algorithm, each fitting, assigning and refitting on its own."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from segkit.exceptions import SegmentationError
from segkit.schema import ALGORITHMS
from segkit.segment import Segmenter
from segkit.segment.backends import (
    BACKENDS,
    Backend,
    Partition,
    distinct_rows_up_to,
    make_backend,
    nearest_center,
    register_backend,
)
from tests.shapes import make_planted


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(4)
    Z = np.vstack([rng.normal(center, 0.4, size=(60, 2)) for center in ((0, 0), (5, 0), (0, 5))])
    return Z, np.repeat([0, 1, 2], 60)


def test_every_algorithm_but_auto_has_a_backend():
    assert set(BACKENDS) == set(ALGORITHMS) - {"auto"}
    assert all(BACKENDS[name].name == name for name in BACKENDS)


@settings(max_examples=150, deadline=None)
@given(run=st.integers(0, 2_500), rows=st.integers(1, 500), levels=st.integers(1, 6), k=st.integers(1, 12),
       seed=st.integers(0, 2**16))
def test_distinct_rows_up_to_counts_as_the_whole_sort_does(run, rows, levels, k, seed):
    # a run of one repeated row first (a bootstrap sample of a few points), then rows of few levels
    rng = np.random.default_rng(seed)
    Z = np.vstack([np.ones((run, 2)), rng.integers(0, levels, size=(rows, 2)).astype(float)])
    Z[rng.random(len(Z)) < 0.1] = -0.0  # -0.0 and 0.0 are one row, as for np.unique
    assert distinct_rows_up_to(Z, k) == min(k, len(np.unique(Z, axis=0)))


@pytest.mark.parametrize("name", sorted(set(ALGORITHMS) - {"auto"}))
def test_each_backend_finds_and_assigns_the_planted_segments(blobs, name):
    Z, truth = blobs
    backend = make_backend(name, n_init=2, min_share=0.05)
    fit = backend.fit_auto(Z) if backend.chooses_k else backend.fit_k(Z, 3, seed=0, context=backend.prepare(Z))
    assert isinstance(fit, Partition) and len(fit.centers) == 3
    assert adjusted_rand_score(truth, fit.labels) == 1.0
    # assigning the fitted rows gives their labels back, and so does a bootstrap refit
    np.testing.assert_array_equal(backend.assign(Z, fit.centers, fit.model, np.arange(3)), fit.labels)
    assert adjusted_rand_score(truth, backend.refit_labels(Z[::-1], Z, 3, seed=1)) == 1.0
    assert fit.inertia > 0 and (np.isnan(fit.bic) != (name in ("gmm", "latent_class")))  # the mixtures score a BIC


@pytest.mark.parametrize("name", ["gmm", "hdbscan", "kmeans"])
def test_renumbering_follows_the_segment_order(blobs, name):
    """After renumbering (segment i is the model's order[i]), assign answers in segment ids."""
    Z, _ = blobs
    backend = make_backend(name, n_init=2, min_share=0.05)
    fit = backend.fit_auto(Z) if backend.chooses_k else backend.fit_k(Z, 3, seed=0)
    order = np.array([2, 0, 1])
    remap = np.empty(3, dtype=np.int64)
    remap[order] = np.arange(3)
    backend.renumber(fit.model, remap)
    labels = backend.assign(Z, np.asarray(fit.centers)[order], fit.model, order)
    np.testing.assert_array_equal(labels, remap[fit.labels])


@pytest.mark.parametrize("rows", [3, 5, 9], ids=["fewer-rows-than-min-samples", "one-cluster-of-rows", "just-under-two-clusters"])
def test_hdbscan_on_too_few_rows_for_two_clusters_says_so(rows):
    Z = np.random.default_rng(0).normal(size=(rows, 2))
    with pytest.raises(SegmentationError, match=rf"HDBSCAN needs at least 10 rows .* got {rows}"):
        make_backend("hdbscan").fit_auto(Z)


def test_limits_and_what_each_backend_decides():
    assert BACKENDS["hdbscan"].chooses_k and not BACKENDS["kmeans"].chooses_k
    assert BACKENDS["agglomerative"].max_rows == 5_000 and BACKENDS["hdbscan"].max_rows == 10_000
    assert BACKENDS["kmeans"].max_rows is None
    assert BACKENDS["hdbscan"].label == "HDBSCAN"  # "HDBSCAN found 4 segments on ..."
    assert make_backend("kprototypes").note(0) == "; with no categorical features k-prototypes is k-means"
    assert make_backend("kprototypes").note(2) == make_backend("gmm").note(0) == ""


def test_a_sample_fit_is_refined_on_all_rows_by_the_centre_backends(blobs):
    Z, _ = blobs
    start = np.array([[0.5, 0.5], [4.0, 1.0], [1.0, 4.0]])
    refined = make_backend("kmeans").refine(Z, start, seed=0)
    assert np.abs(refined - start).max() > 0.1
    assert make_backend("gmm").refine(Z, start, seed=0) is start


def test_a_new_algorithm_is_one_registered_class(blobs):
    @register_backend
    class FirstRows(Backend):
        name = "first-rows"
        label = "first rows"

        def _fit(self, Z, k, seed, context):
            return Partition(nearest_center(Z, Z[:k]), Z[:k])

    try:
        fit = make_backend("first-rows").fit_k(blobs[0], 2, seed=0)
        assert len(fit.centers) == 2 and set(fit.labels) == {0, 1}
    finally:
        del BACKENDS["first-rows"]


@pytest.mark.parametrize("algorithm", ["kmeans", "gmm", "agglomerative", "hdbscan", "kprototypes"])
def test_every_algorithm_recovers_planted_segments(algorithm):
    X, y = make_planted(3, 0, n=600)
    seg = Segmenter(algorithm=algorithm, n_bootstrap=3).fit(X)
    assert seg.algorithm_ == algorithm
    assert adjusted_rand_score(y, seg.labels_) > 0.9
    assert (seg.predict(X) == seg.labels_).all()
    if algorithm == "gmm":
        assert seg.k_selection_["bic"].notna().all()
    if algorithm == "hdbscan":
        assert 0.0 <= seg.noise_share_ < 0.5


def test_mixed_method_agrees_with_kmodes_kprototypes(marketing):
    from kmodes.kprototypes import KPrototypes

    seg = Segmenter(n_segments=3, n_bootstrap=0).fit(marketing)
    Z = seg.preprocessor_.transform(marketing)
    numeric = Z[:, : len(seg.numeric_features_)]
    cats = marketing[["Education", "Marital_Status"]].to_numpy()
    kp = KPrototypes(n_clusters=3, n_init=1, random_state=0, gamma=0.5)
    labels = kp.fit_predict(np.column_stack([numeric, cats]).astype(object), categorical=[6, 7])
    assert adjusted_rand_score(seg.labels_, labels) > 0.8


def _answers(n: int, k: int, n_items: int, levels: int, spread: float, seed: int):
    """Planted classes answering ``n_items`` questions on ``levels`` points: each class has its own
    answer probabilities (a Dirichlet draw with concentration ``spread``: lower is clearer)."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n)
    probs = rng.dirichlet(np.full(levels, spread), size=(k, n_items))
    cum = probs[truth].cumsum(axis=2)
    answers = (rng.random((n, n_items, 1)) > cum).sum(axis=2).astype(float)
    return truth, answers


@pytest.mark.parametrize("k, n_items, levels", [(2, 8, 2), (3, 10, 5), (4, 12, 3)],
                         ids=["two-classes-yes-no", "three-classes-five-point-scales", "four-classes-three-levels"])
def test_latent_classes_recover_planted_answer_classes_and_bic_finds_k(k, n_items, levels):
    truth, X = _answers(800, k, n_items, levels, spread=0.6, seed=k)
    backend = make_backend("latent_class", n_init=2)
    fits = {j: backend.fit_k(X, j, seed=0) for j in range(2, k + 3)}
    assert adjusted_rand_score(truth, fits[k].labels) > 0.8
    assert min(fits, key=lambda j: fits[j].bic) == k
    again = backend.assign(X, fits[k].centers, fits[k].model, np.arange(k))
    assert (again == fits[k].labels).all()


def test_latent_classes_are_auto_when_every_feature_is_categorical_or_ordinal():
    import pandas as pd

    truth, X = _answers(300, 3, 6, 5, spread=0.5, seed=1)
    frame = pd.DataFrame({f"q{i}": pd.Categorical(X[:, i].astype(int).astype(str), categories=list("01234"),
                                                  ordered=True) for i in range(6)})
    seg = Segmenter(n_segments=3, n_bootstrap=2, random_state=0).fit(frame)
    assert seg.algorithm_ == "latent_class" and "latent class" in seg.algorithm_reason_
    assert adjusted_rand_score(truth, seg.labels_) > 0.7
    assert (seg.predict(frame) == seg.labels_).all()


def test_latent_classes_read_a_questions_one_hot_dummies_as_one_answer():
    """Five-level answers given as codes and as one-hot blocks: with the blocks named, the fits
    agree and the BIC still finds the planted k; the dummies read as separate yes/no answers
    count each question five times over."""
    truth, X = _answers(600, 3, 8, 5, spread=0.6, seed=3)
    onehot = np.hstack([np.eye(5)[X[:, i].astype(int)] for i in range(X.shape[1])])
    blocks = [list(range(5 * i, 5 * i + 5)) for i in range(X.shape[1])]
    codes_fit = make_backend("latent_class", n_init=2).fit_k(X, 3, seed=0)
    grouped = make_backend("latent_class", n_init=2)
    grouped.blocks = blocks
    fits = {j: grouped.fit_k(onehot, j, seed=0) for j in range(2, 6)}
    assert adjusted_rand_score(codes_fit.labels, fits[3].labels) > 0.95
    assert fits[3].bic == pytest.approx(codes_fit.bic, rel=1e-6)
    assert min(fits, key=lambda j: fits[j].bic) == 3
    assert (grouped.assign(onehot, fits[3].centers, fits[3].model, np.arange(3)) == fits[3].labels).all()


# ----------------------------------------------------------------------------- survey weights

def _survey_items(n: int, seed: int):
    """A generated survey's rating items as numbers (no-answer codes at the item's median), its
    planted classes, and whole-number weights 1-4."""
    import pandas as pd

    from segkit.datasets.survey import make_survey

    survey = make_survey(n, n_classes=3, random_state=seed)
    items = survey.table[survey.items].astype(float)
    items = items.mask((items < 1) | (items > 5))
    items = items.fillna(items.median())
    weights = np.random.default_rng(seed).integers(1, 5, n).astype(float)
    return pd.DataFrame(items.to_numpy(), columns=survey.items), np.asarray(survey.truth), weights


@pytest.mark.parametrize("name", ["kmeans", "kprototypes"])
def test_whole_number_weights_refit_the_centres_as_the_rows_repeated(name):
    X, truth, weights = _survey_items(400, 1)
    Z = X.to_numpy()
    start = np.vstack([Z[truth == c].mean(axis=0) for c in range(3)]) + 0.3
    (centers, _), used = make_backend(name).weighted(Z, start, None, weights, seed=0)
    (repeated, _), _ = make_backend(name).weighted(np.repeat(Z, weights.astype(int), axis=0), start, None,
                                                   np.ones(int(weights.sum())), seed=0)
    assert used
    assert centers == pytest.approx(repeated, abs=1e-9)


def test_a_backend_that_cannot_weigh_says_so(blobs):
    Z, _ = blobs
    start = np.array([[0.0, 0.0], [5.0, 0.0], [0.0, 5.0]])
    (centers, model), used = make_backend("gmm").weighted(Z, start, "mixture", np.ones(len(Z)), seed=0)
    assert not used and centers is start and model == "mixture"


@pytest.mark.parametrize(("n", "seed"), [pytest.param(300, 1, id="300-respondents"),
                                         pytest.param(600, 2, id="600-respondents")])
def test_a_weighted_kmeans_fit_segments_as_the_rows_repeated(n, seed):
    X, _, weights = _survey_items(n, seed)
    settings = {"n_segments": 3, "algorithm": "kmeans", "n_bootstrap": 0, "random_state": 0}
    weighted = Segmenter(**settings).fit(X, sample_weight=weights)
    repeated = Segmenter(**settings).fit(X.loc[X.index.repeat(weights.astype(int))].reset_index(drop=True))
    first = np.r_[0, np.cumsum(weights.astype(int))[:-1]]  # each respondent's first copy
    assert weighted.weighted_
    assert adjusted_rand_score(weighted.labels_, repeated.labels_[first]) == pytest.approx(1.0)


def test_doubling_every_weight_changes_no_segment():
    X, _, weights = _survey_items(300, 3)
    settings = {"n_segments": 3, "algorithm": "kmeans", "n_bootstrap": 0, "random_state": 0}
    one = Segmenter(**settings).fit(X, sample_weight=weights)
    two = Segmenter(**settings).fit(X, sample_weight=weights * 2)
    assert one.labels_.tolist() == two.labels_.tolist()
    assert one.cluster_centers_ == pytest.approx(two.cluster_centers_)


def test_whole_number_weights_refit_latent_classes_as_the_rows_repeated():
    X, truth, weights = _survey_items(300, 5)
    Z = X.to_numpy()
    backend = make_backend("latent_class", n_init=1)
    fit = backend.fit_k(Z, 3, seed=0)
    (centers, model), used = backend.weighted(Z, fit.centers, fit.model, weights, seed=0)
    rows = np.repeat(np.arange(len(Z)), weights.astype(int))
    (_, repeated), _ = backend.weighted(Z[rows], fit.centers, fit.model, np.ones(len(rows)), seed=0)
    assert used
    assert model["weights"] == pytest.approx(repeated["weights"], abs=1e-8)
    for mine, theirs in zip(model["answers"], repeated["answers"], strict=True):
        assert mine == pytest.approx(theirs, abs=1e-8)
    assert adjusted_rand_score(truth, backend.assign(Z, centers, model, np.arange(3))) > 0.8
