"""THE preprocessor: the Segmenter and the workshop prepare features with the same rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from segkit.exceptions import ColumnError, DataError, SegkitWarning, SegmentationError
from segkit.features import SkewedLog1p, make_preprocessor
from segkit.features.preprocess import (
    BINARY_HALF_GAP,
    CATEGORY_WEIGHT,
    FITTING_ROWS,
    coerce_columns,
    fitting_sample,
    plan_columns,
)
from segkit.segment import Segmenter
from tests.shapes import AGREE, make_planted, three_answers, unordered

SCALE = ["Never", "Sometimes", "Often", "Always"]


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    rng = np.random.default_rng(8)
    n = 400
    frame = pd.DataFrame({
        "spend": rng.lognormal(3, 1, n),
        "age": rng.normal(45, 12, n).round(),
        "member": rng.integers(0, 2, n).astype(float),
        "visits": pd.Categorical(rng.choice(SCALE, n), categories=SCALE, ordered=True),
        "tier": pd.Categorical(rng.choice(["Silver", "Gold"], n), categories=["Bronze", "Silver", "Gold"],
                               ordered=True),
        "channel": pd.array(rng.choice(["web", "store", "phone"], n), dtype="string"),
    }, index=pd.Index([f"c{i}" for i in range(n)], name="customer_id"))
    frame.loc[frame.index[::11], "age"] = np.nan
    return frame


def test_the_segmenter_prepares_features_with_make_preprocessor(customers):
    seg = Segmenter(n_segments=3, n_bootstrap=0).fit(customers)
    workshop = make_preprocessor(customers).fit(customers)
    assert seg.preprocessor_.get_feature_names_out().tolist() == workshop.get_feature_names_out().tolist()
    np.testing.assert_array_equal(seg.preprocessor_.transform(customers), workshop.transform(customers))
    plan = plan_columns(customers)
    assert (seg.log_features_, seg.binary_features_, seg.ordinal_features_, seg.categorical_features_) == (
        plan.log, plan.flags + plan.ordinal_flags, plan.ordinal, plan.categorical)


def test_each_kind_of_column_takes_its_route(customers):
    plan = plan_columns(customers)
    assert plan.numeric == ["spend", "age", "member"]
    assert (plan.log, plan.flags, plan.ordinal_flags, plan.categorical) == (["spend"], ["member"], ["tier"],
                                                                             ["channel"])
    assert plan.ordinal == {"visits": SCALE, "tier": ["Bronze", "Silver", "Gold"]}
    names = make_preprocessor(customers).fit(customers).get_feature_names_out().tolist()
    assert names == ["log__spend", "num__age", "bin__member", "ord__visits", "ordbin__tier", "cat__channel_phone",
                     "cat__channel_store", "cat__channel_web"]


def test_skewed_log1p_picks_the_columns_the_preprocessor_logs():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"spend": rng.lognormal(3, 1.2, 300), "orders": rng.poisson(0.4, 300).astype(float),
                      "age": rng.normal(45, 12, 300), "three": rng.choice([1.0, 2.0, 50.0], 300, p=[.8, .15, .05])})
    assert X.columns[SkewedLog1p().fit(X).log_columns_].tolist() == plan_columns(X).log


def test_flags_are_coded_as_two_values_whatever_their_balance():
    X = pd.DataFrame({"rare": [1.0] + [0.0] * 99, "spend": np.arange(100.0)})
    coded = make_preprocessor(X).set_output(transform="pandas").fit_transform(X)["bin__rare"]
    assert sorted(coded.unique()) == pytest.approx([-BINARY_HALF_GAP, BINARY_HALF_GAP])


def test_constant_columns_are_dropped_and_nothing_left_is_an_error():
    X = pd.DataFrame({"flat": [2.0] * 5, "spend": [1.0, 2, 3, 4, 5]})
    with pytest.warns(SegkitWarning, match=r"'flat' \(constant \(2\)\)"):
        assert plan_columns(X).dropped == {"flat": "constant (2)"}
    with pytest.warns(SegkitWarning), pytest.raises(SegmentationError, match="nothing to segment on"):
        plan_columns(X[["flat"]])


def test_coercion_names_missing_and_changed_columns():
    kinds = {"spend": "numeric", "city": "text"}
    with pytest.raises(ColumnError, match=r"columns \['city'\] used when fitting are missing"):
        coerce_columns(pd.DataFrame({"spend": [1.0]}), kinds)
    with pytest.raises(DataError, match="column 'spend' is not numeric; it was numeric when fitting"):
        coerce_columns(pd.DataFrame({"spend": ["a lot"], "city": ["York"]}), kinds)


def test_large_tables_are_planned_and_fitted_on_a_seeded_sample():
    X = pd.DataFrame({"spend": np.arange(FITTING_ROWS + 500, dtype=float)})
    sample = fitting_sample(X, random_state=3)
    assert len(sample) == FITTING_ROWS and sample.index.is_monotonic_increasing
    assert sample.index.equals(fitting_sample(X, random_state=3).index)
    assert not sample.index.equals(fitting_sample(X, random_state=4).index)


def test_levels_are_positions_so_agree_is_nearer_strongly_agree_than_strongly_disagree():
    X, _ = three_answers(0)
    seg = Segmenter(n_segments=2, n_bootstrap=0).fit(X)
    assert seg.ordinal_features_ == {"recommend": AGREE}
    assert seg.numeric_features_ == ["spend"] and seg.categorical_features_ == []
    rows = pd.DataFrame({"recommend": pd.Categorical(["Agree", "Strongly agree", "Strongly disagree"],
                                                     categories=AGREE, ordered=True), "spend": 100.0})
    agree, strongly_agree, strongly_disagree = seg.preprocessor_.transform(rows)
    near, far = np.linalg.norm(agree - strongly_agree), np.linalg.norm(agree - strongly_disagree)
    assert near / far == pytest.approx(1 / 3)  # positions 3, 4 and 0
    sd = np.std(np.array([AGREE.index(v) for v in X["recommend"]], dtype=float))
    assert near == pytest.approx(1 / sd)  # one step of the scale, in standard deviations

    onehot = Segmenter(n_segments=2, n_bootstrap=0).fit(unordered(X))
    assert onehot.ordinal_features_ == {} and onehot.categorical_features_ == ["recommend"]
    a, sa, sd_ = onehot.preprocessor_.transform(rows.astype({"recommend": object}))
    assert np.linalg.norm(a - sa) == pytest.approx(np.linalg.norm(a - sd_))  # one-hot: all levels equally far


def test_two_levels_present_are_a_flag_and_one_level_is_dropped():
    rng = np.random.default_rng(5)
    n = 200
    X = pd.DataFrame({"spend": rng.normal(0, 1, n),
                      "tier": pd.Categorical(rng.choice(["Silver", "Gold"], n),
                                             categories=["Bronze", "Silver", "Gold"], ordered=True),
                      "mood": pd.Categorical(["Agree"] * n, categories=AGREE, ordered=True)})
    with pytest.warns(SegkitWarning, match=r"'mood' \(constant \('Agree'\)\)"):
        seg = Segmenter(n_segments=2, n_bootstrap=0).fit(X)
    assert seg.ordinal_features_ == {"tier": ["Bronze", "Silver", "Gold"]}
    assert seg.binary_features_ == ["tier"]
    assert seg.dropped_features_ == {"mood": "constant ('Agree')"}
    coded = seg.preprocessor_.transform(X)[:, 1]
    assert sorted(np.unique(coded).round(12)) == pytest.approx([-BINARY_HALF_GAP, BINARY_HALF_GAP])


def test_a_rare_flag_does_not_get_a_segment_of_its_own():
    # Three planted segments plus a 0/1 flag that 1.5% of customers have, unrelated to them
    # (like a "complained" column). Standardised, the flag put those customers ten units away
    # and every k > 3 spent a segment on them; coded -1/+1 it is one feature among many.
    X, y = make_planted(3, 0, n=1500)
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    frame["complained"] = (rng.random(len(frame)) < 0.015).astype(float)
    seg = Segmenter(n_bootstrap=0).fit(frame)
    assert seg.binary_features_ == ["complained"]
    assert seg.n_segments_ == 3 and adjusted_rand_score(y, seg.labels_) > 0.95
    flagged = frame["complained"].to_numpy() == 1
    assert np.bincount(seg.labels_[flagged], minlength=3).max() < flagged.sum()
    assert seg.k_selection_["smallest_share"].min() > 0.05


def test_random_yes_no_flags_do_not_split_the_segments_into_their_combinations():
    # Three planted segments plus four balanced 0/1 flags unrelated to them (member? newsletter?).
    # Each flag splits everyone into two point masses; weighted like a one-hot category
    # mismatch they are two features among many instead of the strongest structure.
    X, y = make_planted(3, 2, n=1200, n_signal=4, n_noise=0)
    rng = np.random.default_rng(10)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    for flag in ("member", "newsletter", "app_user", "paperless"):
        frame[flag] = rng.integers(0, 2, len(frame)).astype(float)
    seg = Segmenter(n_bootstrap=0).fit(frame)
    assert seg.n_segments_ == 3 and adjusted_rand_score(y, seg.labels_) > 0.95
    text = pd.DataFrame({"member": frame["member"].map({1.0: "yes", 0.0: "no"})})
    coded = Segmenter(n_segments=2, n_bootstrap=0).fit(frame[["member"]])._transform(frame[["member"]])
    onehot = Segmenter(n_segments=2, n_bootstrap=0).fit(text)._transform(text)
    # the same answer weighs the same written 1/0 or yes/no
    assert np.ptp(coded[:, 0]) ** 2 == pytest.approx(((onehot.max(axis=0) - onehot.min(axis=0)) ** 2).sum())


def test_missing_values_and_categories_are_imputed():
    X, _ = make_planted(2, 0, n=300)
    frame = pd.DataFrame(X[:, :3], columns=list("abc"))
    frame.iloc[::7, 0] = np.nan
    frame["channel"] = pd.Series(np.where(X[:, 0] > 0, "web", "store"), dtype="string")
    frame.loc[::5, "channel"] = pd.NA
    seg = Segmenter(n_segments=2, n_bootstrap=0).fit(frame)
    assert seg.labels_.shape == (300,)
    new = frame.head(3).assign(channel=["phone", None, "web"])
    assert seg.predict(new).shape == (3,)


# ---------------------------------------------------------------------------------------------
# Estimator checks, feature names, pandas output, pipelines
# ---------------------------------------------------------------------------------------------


@parametrize_with_checks([SkewedLog1p(), SkewedLog1p(threshold=0.0)])
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_skewed_log1p_learns_columns(rng):
    X = pd.DataFrame(
        {
            "spend": rng.lognormal(3, 1.2, 500),  # skewed, non-negative -> logged
            "age": rng.normal(45, 12, 500),  # symmetric -> kept
            "profit": rng.lognormal(3, 1.2, 500) - 50,  # skewed but negative values -> kept
        }
    )
    t = SkewedLog1p().fit(X)
    assert t.log_columns_.tolist() == [True, False, False]
    assert t.get_feature_names_out().tolist() == ["spend", "age", "profit"]
    out = t.set_output(transform="pandas").transform(X)
    np.testing.assert_allclose(out["spend"], np.log1p(X["spend"]))
    np.testing.assert_allclose(t.inverse_transform(out)[:, 0], X["spend"])
    # a negative value unseen in fit stays finite
    assert np.isfinite(t.transform(pd.DataFrame({"spend": [-3.0], "age": [1.0], "profit": [0.0]})).to_numpy()).all()


@pytest.fixture
def mixed() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Income": [30e3, 52e3, np.nan, 61e3, 250e3, 45e3, 39e3, 58e3],
            "MntWines": [1, 5, 3, 900, 2, 8, 4, 0],
            "any_accepted": pd.array([1, 0, pd.NA, 0, 1, 0, 0, 1], dtype="Int8"),
            "Education": pd.Categorical(["PhD", "Basic", "PhD", None, "Master", "PhD", "Master", "PhD"]),
            "Country": pd.array(["SP", "SP", "CA", "SP", "CA", "SP", "XX", "SP"], dtype="string"),
            "first_purchase": pd.to_datetime(["2024-01-01"] * 8),
        }
    )


def test_make_preprocessor_names_and_pandas_output(mixed):
    # make_preprocessor is the Segmenter's preprocessor: logged numbers, a flag coded -h/+h,
    # weighted one-hot categories; the date column, the same for everyone, is dropped
    with pytest.warns(SegkitWarning, match="'first_purchase'"):
        pre = make_preprocessor(mixed).set_output(transform="pandas")
    Z = pre.fit_transform(mixed)
    assert isinstance(Z, pd.DataFrame)
    assert list(Z.columns) == [
        "log__Income", "log__MntWines", "bin__any_accepted",
        "cat__Education_Basic", "cat__Education_Master", "cat__Education_PhD",
        "cat__Country_CA", "cat__Country_SP", "cat__Country_XX",
    ]
    assert list(pre.get_feature_names_out()) == list(Z.columns)
    assert not Z.isna().any().any()
    assert Z["log__Income"].mean() == pytest.approx(0.0, abs=1e-9)
    assert sorted(Z["bin__any_accepted"].unique()) == pytest.approx([-BINARY_HALF_GAP, BINARY_HALF_GAP])
    plan = plan_columns(mixed.drop(columns="first_purchase"))
    assert plan.log == ["Income", "MntWines"] and plan.flags == ["any_accepted"]
    # an unseen level is no level (its one-hot columns all 0) instead of failing
    new = mixed.head(2).assign(Country=pd.array(["ZZ", "SP"], dtype="string"))
    assert pre.transform(new).filter(like="Country").sum(axis=1).tolist() == [0.0, CATEGORY_WEIGHT]


def test_make_preprocessor_in_a_pipeline(mixed):
    from sklearn.cluster import KMeans

    pipe = make_pipeline(make_preprocessor(mixed.drop(columns="first_purchase")),
                         KMeans(n_clusters=2, n_init=2, random_state=0))
    labels = pipe.fit_predict(mixed)
    assert len(labels) == len(mixed)
