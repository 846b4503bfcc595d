"""segkit.segment.estimator: the Segmenter as an analyst meets it: which algorithm it chooses and why,
how segments are numbered, what it drops and warns about, how it predicts, its summary, and the
scikit-learn estimator checks."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from segkit.exceptions import SegkitWarning
from segkit.segment import Segmenter
from tests.shapes import AGREE, seven_point, three_answers, unordered


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
def test_planted_seven_point_segments_are_recovered_where_one_hot_shatters_them(seed):
    X, truth = seven_point(seed)
    ordinal = Segmenter(n_bootstrap=0, random_state=seed).fit(X)
    onehot = Segmenter(n_bootstrap=0, random_state=seed).fit(unordered(X))
    assert ordinal.n_segments_ == 3
    assert adjusted_rand_score(truth, ordinal.labels_) >= 0.95  # measured 0.99 on seeds 0-9
    assert onehot.n_segments_ > 3  # measured 9-10: neighbouring answers look as different as opposite ones
    assert adjusted_rand_score(truth, onehot.labels_) < 0.6  # measured 0.39-0.45


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
