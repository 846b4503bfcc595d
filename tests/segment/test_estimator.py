"""segkit.segment.estimator: the Segmenter as an analyst meets it: which algorithm it chooses and why,
how segments are numbered, what it drops and warns about, how it predicts, its summary, and the
scikit-learn estimator checks."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score
from sklearn.utils.estimator_checks import parametrize_with_checks

from segkit.exceptions import ColumnError, SegkitWarning
from segkit.segment import Segmenter
from tests.shapes import AGREE, make_planted, seven_point, three_answers, unordered


# ---------------------------------------------------------------------------------------------
# Ordered scales (Likert answers, tiers): positions of levels, not one-hot
# ---------------------------------------------------------------------------------------------


PLANT_SEEDS = (0, 1, 2)


def test_method_text_names_the_ordinal_features_and_their_order():
    X, _ = three_answers(0)
    seg = Segmenter(n_segments=2, n_bootstrap=0).fit(X)
    assert seg.algorithm_ == "kmeans"
    assert seg.algorithm_reason_.startswith("auto chose k-means because all 2 features are numeric or ordinal; ")
    assert ("Ordinal features 'recommend' (Strongly disagree < Disagree < Neutral < Agree < Strongly agree) "
            "are used as the positions of their levels (0 to n-1)") in seg.algorithm_reason_
    assert seg.summary()["ordinal_features"] == {"recommend": AGREE}


@pytest.mark.parametrize("seed", PLANT_SEEDS, ids=[f"seed{s}" for s in PLANT_SEEDS])
def test_two_segments_put_agree_with_strongly_agree_where_one_hot_does_not(seed):
    X, truth = three_answers(seed)
    agrees = (truth == 2).astype(int)  # Agree and Strongly agree together, Strongly disagree apart
    ordinal = Segmenter(n_segments=2, n_bootstrap=0, random_state=seed).fit(X)
    onehot = Segmenter(n_segments=2, n_bootstrap=0, random_state=seed).fit(unordered(X))
    assert adjusted_rand_score(agrees, ordinal.labels_) == 1.0
    assert adjusted_rand_score(agrees, onehot.labels_) < 0.1  # measured <= 0.01


@pytest.mark.parametrize("seed", PLANT_SEEDS, ids=[f"seed{s}" for s in PLANT_SEEDS])
def test_planted_seven_point_segments_are_recovered_whether_coded_as_positions_or_one_hot(seed):
    # Distance indices alone took 9-10 segments on the one-hot coding (neighbouring answers look
    # as different as opposite ones); the mixture BIC models categories as categories and has a
    # minimum at the planted 3 on both codings, while on positions it keeps falling and the
    # indices vote (measured: ARI 0.99-1.00 as positions, 0.98-0.99 one-hot, seeds 0-5).
    # With algorithm="auto" answers alone go to latent classes (issue 16), so k-prototypes is
    # asked for by name to keep testing how k is chosen for it.
    X, truth = seven_point(seed)
    ordinal = Segmenter(algorithm="kprototypes", n_bootstrap=0, random_state=seed).fit(X)
    onehot = Segmenter(algorithm="kprototypes", n_bootstrap=0, random_state=seed).fit(unordered(X))
    assert ordinal.n_segments_ == 3 and onehot.n_segments_ == 3
    assert adjusted_rand_score(truth, ordinal.labels_) >= 0.95
    assert adjusted_rand_score(truth, onehot.labels_) >= 0.95
    assert not ordinal.k_selection_["bic_minimum"].any() and onehot.k_selection_["bic_minimum"].any()


@pytest.mark.parametrize("seed", PLANT_SEEDS, ids=[f"seed{s}" for s in PLANT_SEEDS])
def test_planted_seven_point_answers_go_to_latent_classes_whatever_their_coding(seed):
    # One-hot coded, a question's seven dummies are read back as one answer: read as seven
    # independent answers, the BIC kept rewarding more classes (seed 2: k = 8, ARI 0.52).
    X, truth = seven_point(seed)
    for data in (X, unordered(X)):
        seg = Segmenter(n_bootstrap=0, random_state=seed).fit(data)
        assert seg.algorithm_ == "latent_class" and seg.n_segments_ == 3
        assert adjusted_rand_score(truth, seg.labels_) >= 0.95
        assert (seg.predict(data) == seg.labels_).all()


def test_unordered_categories_are_one_hot_as_before():
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"spend": np.r_[rng.normal(0, 1, 100), rng.normal(5, 1, 100)],
                      "city": rng.choice(["Leeds", "York", "Bath"], 200)})
    seg = Segmenter(n_segments=2, n_bootstrap=0).fit(X)
    assert seg.ordinal_features_ == {} and seg.categorical_features_ == ["city"]
    assert seg.algorithm_reason_ == (
        "auto chose k-prototypes because the data mixes 1 numeric and 1 categorical features; it is k-means on "
        "scaled numbers plus one-hot categories weighted by Huang's gamma=0.5, and k-means is fast and "
        "reproducible on 200 customers")
    assert list(seg.preprocessor_.get_feature_names_out()) == ["num__spend", "cat__city_Bath", "cat__city_Leeds",
                                                              "cat__city_York"]


def test_scoring_text_read_from_csv_maps_levels_like_the_fit(likert_fit, tmp_path):
    X, seg = likert_fit
    expected = seg.predict(X)
    X.to_csv(tmp_path / "new.csv", index=False)
    text = pd.read_csv(tmp_path / "new.csv")
    assert not any(isinstance(text[c].dtype, pd.CategoricalDtype) for c in text.columns)
    np.testing.assert_array_equal(seg.predict(text), expected)
    # spellings differ in case and spaces only: the same levels
    messy = text.assign(q0=" " + text["q0"].str.upper() + "  ", q1=text["q1"].str.lower().str.replace(" ", "  "))
    np.testing.assert_array_equal(seg.predict(messy), expected)
    np.testing.assert_allclose(seg.preprocessor_.transform(messy), seg.preprocessor_.transform(X))


def test_a_value_that_is_not_a_level_is_missing_and_warned(likert_fit):
    X, seg = likert_fit
    text = unordered(X).iloc[:4].copy()
    text.loc[text.index[0], "q0"] = "Meh"
    blank = text.copy()
    blank.loc[blank.index[0], "q0"] = np.nan
    with pytest.warns(SegkitWarning, match=r"X: column 'q0' has 1 value that is not among its levels "
                                           r"\(e.g. 'Meh' at row 1\); expected one of \['Strongly disagree'"):
        labels = seg.predict(text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing value is not warned about
        np.testing.assert_array_equal(labels, seg.predict(blank))
    np.testing.assert_allclose(seg.preprocessor_.transform(text), seg.preprocessor_.transform(blank))


# ---------------------------------------------------------------------------------------------
# Numbering, sampling, dropped columns, prediction, summary, estimator checks
# ---------------------------------------------------------------------------------------------


def test_labels_are_deterministic_and_ordered_by_monetary():
    X, _ = make_planted(3, 1, n=900)
    frame = pd.DataFrame(X[:, :3], columns=["recency_days", "frequency", "monetary"],
                         index=pd.Index([f"c{i}" for i in range(len(X))], name="customer_id"))
    a = Segmenter(n_bootstrap=2).fit(frame)
    b = Segmenter(n_bootstrap=2).fit(frame)
    assert a.labels_.tobytes() == b.labels_.tobytes()
    means = frame.groupby(a.labels_)["monetary"].mean()
    assert means.is_monotonic_decreasing
    assert "monetary" in a.order_rule_
    assert a.segments_.name == "segment" and a.segments_.index.equals(frame.index)
    assert (a.assign(frame) == a.segments_).all()


def test_labels_by_size_without_value_column():
    X, _ = make_planted(3, 2, n=900)
    seg = Segmenter(n_segments=3, n_bootstrap=0).fit(X)
    sizes = np.bincount(seg.labels_)
    assert (np.diff(sizes) <= 0).all()
    assert "size" in seg.order_rule_


def test_large_data_is_fitted_on_a_sample_and_refined():
    X, y = make_planted(5, 3, n=6000)
    seg = Segmenter(sample_size=1500, n_bootstrap=3).fit(X)
    assert seg.n_segments_ == 5
    assert adjusted_rand_score(y, seg.labels_) > 0.95
    assert "sample of 1,500 of 6,000" in seg.k_reasons_[0]


def test_mixed_data_uses_kprototypes_and_is_reproducible(marketing):
    a = Segmenter(k_max=6, n_bootstrap=5).fit(marketing)
    b = Segmenter(k_max=6, n_bootstrap=5).fit(marketing)
    assert a.algorithm_ == "kprototypes" and "categorical" in a.algorithm_reason_
    assert a.categorical_features_ == ["Education", "Marital_Status"]
    assert set(a.log_features_) >= {"MntFruits", "MntGoldProds"}
    assert a.labels_.tobytes() == b.labels_.tobytes()
    assert a.k_selection_.equals(b.k_selection_)
    c = Segmenter(k_max=6, n_bootstrap=5, random_state=1).fit(marketing)
    assert adjusted_rand_score(a.labels_, c.labels_) > 0.8 or a.structure_["level"] != "clear"


def test_constant_and_missing_features_are_dropped_with_a_warning():
    X, _ = make_planted(3, 0, n=300)
    frame = pd.DataFrame(X[:, :4], columns=list("abcd"))
    frame["flat"] = 7.0
    frame["empty"] = np.nan
    frame["one_word"] = "same"
    with pytest.warns(SegkitWarning, match="'flat'.*'empty'.*'one_word'"):
        seg = Segmenter(n_segments=3, n_bootstrap=0).fit(frame)
    assert set(seg.dropped_features_) == {"flat", "empty", "one_word"}
    assert seg.numeric_features_ == list("abcd")
    assert (seg.predict(frame) == seg.labels_).all()


def test_unknown_order_column_and_infinite_values():
    X = pd.DataFrame(np.random.default_rng(0).normal(size=(40, 2)), columns=["a", "b"])
    with pytest.raises(ColumnError, match="'spend'"):
        Segmenter(n_segments=2, n_bootstrap=0, order_by="spend").fit(X)
    X.loc[3, "b"] = np.inf
    with pytest.raises(ValueError, match="column 'b' has 1 infinite values .* at row 4"):
        Segmenter(n_segments=2, n_bootstrap=0).fit(X)


def test_predict_before_fit_and_wrong_columns():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        Segmenter().predict(np.zeros((2, 2)))
    X = np.random.default_rng(0).normal(size=(40, 3))
    seg = Segmenter(n_segments=2, n_bootstrap=0).fit(X)
    with pytest.raises(ValueError, match="X has 2 features"):
        seg.predict(X[:, :2])


def test_progress_bar_is_optional(capsys):
    X, _ = make_planted(2, 0, n=200)
    Segmenter(k_max=3, n_bootstrap=2, progress=True).fit(X)
    assert "choosing k" in capsys.readouterr().err
    Segmenter(k_max=3, n_bootstrap=2).fit(X)
    assert capsys.readouterr().err == ""


def test_summary_is_json_ready():
    import json

    X, _ = make_planted(3, 0, n=300)
    summary = Segmenter(n_bootstrap=2).fit(X).summary()
    text = json.dumps(summary)
    assert summary["n_segments"] == 3 and "k_selection" in summary and "structure" in text


# Every applicable check passes but one: survey weights (sample_weight) refit the centres, while k,
# the preprocessing and stability are judged on the rows as they are, so weights of 2 are not rows
# repeated on structureless data where k itself moves (test_backends checks the equivalence on planted
# surveys with k given). The mixin order is ClusterMixin, BaseEstimator as check_mixin_order requires.
@parametrize_with_checks([Segmenter(k_max=4, n_bootstrap=2)], expected_failed_checks=lambda _: {
    "check_sample_weight_equivalence_on_dense_data": "k is chosen on the unweighted rows; weights refit the centres"})
def test_sklearn_compatible(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SegkitWarning)
        check(estimator)


@pytest.mark.parametrize("algorithm", ["kmeans", "gmm", "hdbscan"])
def test_relabel_keeps_the_model_consistent(algorithm):
    rng = np.random.default_rng(4)
    X = np.vstack([rng.normal(c, 0.5, (120, 2)) for c in (0, 5, 10)])
    seg = Segmenter(n_segments="auto" if algorithm == "hdbscan" else 3, algorithm=algorithm, n_bootstrap=3).fit(X)
    before = seg.labels_.copy()
    k = seg.n_segments_
    perm = np.roll(np.arange(k), 1)
    seg.relabel(perm)
    assert (seg.labels_ == perm[before]).all()
    assert (seg.predict(X) == seg.labels_).all()
    assert set(seg.stability_["per_segment"]) == set(range(k))
    with pytest.raises(ValueError, match="permutation"):
        seg.relabel([0] * k)


# ---------------------------------------------------------------------------------------------
# Large tables: the prepared matrix is built block by block, the same numbers as at once
# ---------------------------------------------------------------------------------------------


def _mixed_table(n, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "monetary": rng.lognormal(3, 1.2, n),                      # skewed: logged
        "recency_days": rng.integers(0, 400, n).astype(float),     # plain number
        "tenure_days": np.where(rng.random(n) < 0.1, np.nan, rng.normal(300, 50, n)),  # gaps: imputed
        "member": rng.integers(0, 2, n),                           # a flag
        "channel": rng.choice(["web", "store", "phone"], n),       # a category
    }, index=pd.Index([f"c{i}" for i in range(n)], name="customer_id"))


@pytest.mark.parametrize("block", [97, 250, 1000], ids=["many-uneven-blocks", "two-blocks", "one-block"])
def test_the_prepared_matrix_built_in_blocks_equals_the_one_built_at_once(monkeypatch, block):
    from segkit.segment import estimator

    X = _mixed_table(500)
    whole = Segmenter(n_segments=3, n_bootstrap=0, random_state=0).fit(X)
    monkeypatch.setattr(estimator, "TRANSFORM_ROWS", block)
    blocks = Segmenter(n_segments=3, n_bootstrap=0, random_state=0).fit(X)
    expected = np.ascontiguousarray(whole.preprocessor_.transform(X), dtype=np.float64)
    built = blocks._transform(X)
    assert built.flags.c_contiguous and built.dtype == np.float64
    assert np.array_equal(built, expected)
    assert np.array_equal(blocks.labels_, whole.labels_)
    assert np.array_equal(blocks.predict(X.iloc[::-1]), whole.predict(X.iloc[::-1]))


@pytest.mark.parametrize("algorithm", ["kmeans", "kprototypes"], ids=["numbers", "numbers-and-a-category"])
def test_refining_on_all_rows_in_place_gives_the_fit_of_a_copy(monkeypatch, algorithm):
    # k-means refines the sample's centres on every row with Z as its scratch space (no second
    # copy of Z); Z is built again after, so centres, labels and predictions are those of a copy
    from sklearn.cluster import KMeans

    from segkit.segment import backends

    X = _mixed_table(900, seed=1)
    if algorithm == "kmeans":
        X = X.drop(columns=["channel", "member"])
    in_place = Segmenter(n_segments=3, algorithm=algorithm, n_bootstrap=0, sample_size=300, random_state=0).fit(X)

    def refine_a_copy(self, Z, centers, seed):
        before = Z.copy()
        km = KMeans(n_clusters=len(centers), init=centers, n_init=1, max_iter=backends.REFINE_ITERATIONS,
                    random_state=seed).fit(Z)
        assert np.array_equal(Z, before)
        return km.cluster_centers_

    monkeypatch.setattr(backends.KMeansBackend, "refine", refine_a_copy)
    monkeypatch.setattr(backends.KMeansBackend, "refine_scratches_Z", False)
    copied = Segmenter(n_segments=3, algorithm=algorithm, n_bootstrap=0, sample_size=300, random_state=0).fit(X)
    assert np.array_equal(in_place.cluster_centers_, copied.cluster_centers_)
    assert np.array_equal(in_place.labels_, copied.labels_)
    assert np.array_equal(in_place.predict(X), copied.labels_)
