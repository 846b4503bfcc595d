"""Ordered levels (Likert answers, tiers, sizes, bands) are ordinal features, not one-hot categories.

segkit.segment: an ordered pandas Categorical is clustered on the positions of its levels;
segkit.features.customers: text columns that form a known ordered scale become one.
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

import segkit.features.customers as customers
from segkit import io as sio
from segkit import schema
from segkit.exceptions import SegkitWarning
from segkit.report import sections
from segkit.segment import BINARY_HALF_GAP, TRUSTED_TYPES, Segmenter, load_segmenter, save_segmenter

AGREE = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
AGREE_7 = ["Strongly disagree", "Disagree", "Somewhat disagree", "Neutral", "Somewhat agree", "Agree",
           "Strongly agree"]
PLANT_SEEDS = (0, 1, 2)


def three_answers(seed, sizes=(300, 300, 200)):
    """Segments that differ only in one answer: Agree, Strongly agree, Strongly disagree; spend is noise."""
    rng = np.random.default_rng(seed)
    answer = np.repeat(["Agree", "Strongly agree", "Strongly disagree"], sizes)
    X = pd.DataFrame({"recommend": pd.Categorical(answer, categories=AGREE, ordered=True),
                      "spend": rng.normal(100.0, 20.0, len(answer))},
                     index=pd.Index([f"c{i}" for i in range(len(answer))], name="customer_id"))
    return X, np.repeat([0, 1, 2], sizes)


def seven_point(seed, n=300, questions=3, sd=0.8):
    """Three segments centred at Strongly disagree, Neutral and Strongly agree on a 7-point scale;
    each answer is the centre plus normal noise (sd in scale steps), rounded and clipped."""
    rng = np.random.default_rng(seed)
    truth = np.repeat([0, 1, 2], n)
    centre = np.array([0, 3, 6])[truth]
    X = pd.DataFrame({
        f"q{j}": pd.Categorical(np.array(AGREE_7)[np.clip(np.rint(centre + rng.normal(0, sd, len(truth))), 0, 6)
                                                   .astype(int)], categories=AGREE_7, ordered=True)
        for j in range(questions)})
    return X, truth


def unordered(X):
    """The same table with the ordered columns as plain text (what one-hot coding sees)."""
    return X.astype({c: object for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype)})


# ------------------------------------------------------------------------------ segmenter
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


# ------------------------------------------------------------------------------ scoring
@pytest.fixture(scope="module")
def fitted():
    X, _ = seven_point(1, n=100)
    X["spend"] = np.random.default_rng(1).gamma(2.0, 50.0, len(X))
    return X, Segmenter(n_segments=3, n_bootstrap=0).fit(X)


def test_scoring_text_read_from_csv_maps_levels_like_the_fit(fitted, tmp_path):
    X, seg = fitted
    expected = seg.predict(X)
    X.to_csv(tmp_path / "new.csv", index=False)
    text = pd.read_csv(tmp_path / "new.csv")
    assert not any(isinstance(text[c].dtype, pd.CategoricalDtype) for c in text.columns)
    np.testing.assert_array_equal(seg.predict(text), expected)
    # spellings differ in case and spaces only: the same levels
    messy = text.assign(q0=" " + text["q0"].str.upper() + "  ", q1=text["q1"].str.lower().str.replace(" ", "  "))
    np.testing.assert_array_equal(seg.predict(messy), expected)
    np.testing.assert_allclose(seg.preprocessor_.transform(messy), seg.preprocessor_.transform(X))


def test_a_value_that_is_not_a_level_is_missing_and_warned(fitted):
    X, seg = fitted
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


def test_save_and_load_keep_the_levels(fitted, tmp_path):
    import skops.io as sio_

    X, seg = fitted
    path = save_segmenter(seg, tmp_path / "model.skops")
    assert set(sio_.get_untrusted_types(file=path)) <= TRUSTED_TYPES
    loaded, _ = load_segmenter(path)
    assert loaded.ordinal_features_ == seg.ordinal_features_ == {f"q{j}": AGREE_7 for j in range(3)}
    X.to_csv(tmp_path / "new.csv", index=False)
    np.testing.assert_array_equal(loaded.predict(pd.read_csv(tmp_path / "new.csv")), seg.predict(X))


# ------------------------------------------------------------------------------ detection
SCALES = {
    "agreement": (["Agree", "Strongly agree", "Neutral", "Strongly disagree", "Disagree"], AGREE),
    "agreement 7 points, hyphens": (["somewhat-agree", "Strongly_Disagree", "Neither agree nor disagree", "Agree"],
                                    ["Strongly_Disagree", "Neither agree nor disagree", "somewhat-agree", "Agree"]),
    "frequency": (["Often", "Never", "Always", "Sometimes", "Rarely"],
                  ["Never", "Rarely", "Sometimes", "Often", "Always"]),
    "satisfaction": (["Satisfied", "Very dissatisfied", "Very satisfied", "Neutral", "Dissatisfied"],
                     ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"]),
    "likelihood": (["Likely", "Very unlikely", "Neutral"], ["Very unlikely", "Neutral", "Likely"]),
    "importance": (["Very important", "Not at all important", "Moderately important"],
                   ["Not at all important", "Moderately important", "Very important"]),
    "loyalty tier": (["Gold", "Bronze", "Platinum", "Silver"], ["Bronze", "Silver", "Gold", "Platinum"]),
    "size letters": (["XL", "S", "L", "M"], ["S", "M", "L", "XL"]),
    "size words": (["Large", "Small", "Medium"], ["Small", "Medium", "Large"]),
    "low medium high": (["high", "low", "medium"], ["low", "medium", "high"]),
    "quality": (["Good", "Poor", "Excellent", "Fair"], ["Poor", "Fair", "Good", "Excellent"]),
    "income bands": (["60k+", "<20k", "40-60k", "20-40k"], ["<20k", "20-40k", "40-60k", "60k+"]),
    "income bands with k on both ends": (["100k+", "20k-40k", "40k-100k", "Under 20k"],
                                         ["Under 20k", "20k-40k", "40k-100k", "100k+"]),
    "income in dollars": (["$40,000 or more", "Less than $20,000", "$20,000 - $39,999"],
                          ["Less than $20,000", "$20,000 - $39,999", "$40,000 or more"]),
    "age bands": (["65+", "25-34", "18-24", "45-54", "35-44", "55-64"],
                  ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]),
    "age bands in words": (["Over 65", "18 to 34", "Under 18", "35 to 65"], ["Under 18", "18 to 34", "35 to 65",
                                                                              "Over 65"]),
    "count bands": (["3+", "0", "1-2"], ["0", "1-2", "3+"]),
}


@pytest.mark.parametrize(("levels", "expected"), SCALES.values(), ids=SCALES.keys())
def test_scales_are_recognised_and_ordered(levels, expected):
    assert customers.scale_order(levels) == expected


LOOK_ALIKES = {
    "cities": ["London", "Paris", "Leeds", "York"],
    "a tier and a fruit": ["Gold", "Apple", "Silver"],
    "two levels are a flag": ["Agree", "Disagree"],
    "yes no maybe": ["Yes", "No", "Maybe"],
    "two scales mixed": ["Agree", "Often", "Never"],
    "two spellings of one rank": ["Neutral", "Neither agree nor disagree", "Agree"],
    "plain numbers": ["1", "2", "3"],
    "postcodes": ["02134", "10001", "94105"],
    "phone numbers": ["555-1234", "556-2345", "557-3456"],
    "overlapping bands": ["18-30", "25-40", "40+"],
    "seasons written short": ["2019-20", "2020-21", "2021-22"],
    "marital codes": ["S", "M", "D", "W"],
    "education": ["Basic", "Graduation", "Master", "PhD"],
}


@pytest.mark.parametrize("levels", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_look_alikes_are_not_scales(levels):
    assert customers.scale_order(levels) is None


def test_every_scale_level_is_spelled_once():
    for name, ranks in customers.ORDERED_SCALES.items():
        words = [schema.scale_key(w) for rank in ranks for w in rank]
        assert len(words) == len(set(words)), name


def test_customer_table_text_becomes_ordered_categories_with_every_level_kept():
    n = 200
    rng = np.random.default_rng(4)
    table = pd.DataFrame({
        "customer_id": [str(i) for i in range(n)],
        # one "Strongly disagree" in 200 would be pooled as Other in an unordered column
        "Recommend": ["strongly agree "] + ["Strongly agree"] * 59 + ["Agree"] * 90 + ["Neutral"] * 48
                     + ["Strongly disagree"] + [None],
        "Visits": rng.choice(["Never", "Sometimes", "Often"], n),
        "AgeBand": rng.choice(["18-24", "25-34", "65+"], n),
        "City": rng.choice(["Leeds", "York", "Bath"], n),
        "Score": rng.integers(1, 6, n),
    })
    roles = SimpleNamespace(demographics=["AgeBand"], geography=["City"],
                            psychographics=["Recommend", "Visits", "Score"])
    X, bases = customers.customer_features(table, roles, reference_year=2024)
    recommend = X["Recommend"]
    assert recommend.dtype == pd.CategoricalDtype(["Strongly disagree", "Neutral", "Agree", "Strongly agree"],
                                                  ordered=True)
    assert recommend.value_counts(sort=False).tolist() == [1, 48, 90, 60] and recommend.isna().sum() == 1
    assert X["Visits"].cat.categories.tolist() == ["Never", "Sometimes", "Often"] and X["Visits"].cat.ordered
    assert X["AgeBand"].cat.categories.tolist() == ["18-24", "25-34", "65+"] and X["AgeBand"].cat.ordered
    assert not X["City"].cat.ordered  # unordered, as before
    assert pd.api.types.is_integer_dtype(X["Score"])  # 1-5 numbers stay numbers
    assert bases["Recommend"] == "psychographic"

    seg = Segmenter(n_segments=2, n_bootstrap=0).fit(X)
    assert list(seg.ordinal_features_) == ["AgeBand", "Recommend", "Visits"]
    assert seg.categorical_features_ == ["City"]


def test_an_ordered_categorical_given_keeps_its_own_order():
    order = ["Gold", "Silver", "Bronze"]  # deliberately not the tier scale's order
    table = pd.DataFrame({"customer_id": ["1", "2", "3", "4"],
                          "Tier": pd.Categorical(["Gold", "Bronze", "Silver", "Gold"], categories=order, ordered=True)})
    X, _ = customers.customer_features(table, SimpleNamespace(behaviour=["Tier"]), reference_year=2024)
    assert X["Tier"].cat.categories.tolist() == order and X["Tier"].cat.ordered


def test_yes_no_answers_stay_a_flag(tmp_path):
    rng = np.random.default_rng(0)
    pd.DataFrame({"ID": range(60), "Newsletter": rng.choice(["Yes", "No"], 60),
                  "Recommend": rng.choice(AGREE, 60), "Spend": rng.gamma(2.0, 50.0, 60).round(2)}
                 ).to_csv(tmp_path / "c.csv", index=False)
    raw = sio.read_table(tmp_path / "c.csv")
    roles = sio.detect_roles(raw, kind="customers")
    X, _ = customers.customer_features(sio.standardise_customers(raw, roles), roles, reference_year=2024)
    assert pd.api.types.is_numeric_dtype(X["Newsletter"]) and set(X["Newsletter"].dropna()) == {0, 1}
    assert X["Recommend"].cat.ordered and X["Recommend"].cat.categories.tolist() == AGREE


# ------------------------------------------------------------------------------ end to end
def survey_table(n=400, seed=11):
    """Three planted attitude segments answered on ordered scales, plus bands and a region."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(3, n, p=[0.4, 0.35, 0.25])

    def around(centre, levels):
        pos = np.clip(np.asarray(centre) + rng.choice([-1, 0, 0, 0, 1], n), 0, len(levels) - 1)
        return np.array(levels, dtype=object)[pos]

    return pd.DataFrame({
        "CustomerID": [f"S{i:04d}" for i in range(n)],
        "Recommend": around(np.array([4, 2, 0])[truth], AGREE),
        "VisitFrequency": around(np.array([4, 2, 0])[truth], ["Never", "Rarely", "Sometimes", "Often", "Always"]),
        "LoyaltyTier": around(np.array([3, 1, 0])[truth], ["Bronze", "Silver", "Gold", "Platinum"]),
        "AgeBand": rng.choice(["18-24", "25-34", "35-44", "45-54", "55-64", "65+"], n),
        "Region": rng.choice(["North", "South", "East", "West"], n),
        "AnnualSpend": rng.gamma(4.0, np.array([60.0, 45.0, 25.0])[truth]).round(2),
    })


def test_report_run_profiles_ordinal_features_and_scores_a_csv_batch(tmp_path):
    from segkit.pipeline import Analysis, score

    table = survey_table()
    table.to_csv(tmp_path / "survey.csv", index=False)
    # answers on an attitude scale are psychographic: clustered when the basis says so
    run = Analysis({"data": {"customers": str(tmp_path / "survey.csv")},
                    "segmentation": {"n_bootstrap": 2, "k_max": 5, "basis": ["behavioural", "psychographic"]}},
                   verbose=False)
    run.segment()
    assert set(run.segmenter.ordinal_features_) >= {"Recommend", "VisitFrequency", "LoyaltyTier"}
    assert run.segmenter.ordinal_features_["Recommend"] == AGREE
    run.profile()
    levels = run.profile_.categories.query("feature == 'Recommend'")["level"].unique().tolist()
    assert sorted(levels) == sorted(AGREE)  # a breakdown per level
    assert sections.embedding(run).shape[0] == len(table)
    run.value()
    run.target()
    paths = run.write(tmp_path / "out")
    segments = pd.read_csv(paths["segments"], dtype={"customer_id": str}).set_index("customer_id")["segment"]

    # A batch holding two levels of each question is no scale on its own: the model's levels apply.
    batch = table[table["Recommend"].isin(["Agree", "Strongly agree"])
                  & table["VisitFrequency"].isin(["Often", "Always"])
                  & table["LoyaltyTier"].isin(["Gold", "Platinum"])].copy()
    assert len(batch) >= 20
    batch["Recommend"] = batch["Recommend"].str.lower()
    batch.to_csv(tmp_path / "batch.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SegkitWarning)  # lower-case levels are the model's levels
        scored = score(paths["model"], tmp_path / "batch.csv").set_index("customer_id")["segment"]
    assert scored.to_dict() == segments.loc[scored.index].to_dict()


def test_attitude_answers_are_psychographic_whatever_the_question_is_called():
    # Named after the question, Likert columns fell to behaviour, so the report's "Attitudes
    # and technology" section never showed them; how often someone visits stays behaviour.
    from segkit.io import detect_roles

    table = pd.DataFrame({
        "Respondent": [f"R{i}" for i in range(40)],
        "I would recommend the shop": ["Agree", "Strongly agree", "Neutral", "Disagree"] * 10,
        "Delivery": ["Very satisfied", "Satisfied", "Dissatisfied", "Neither satisfied nor dissatisfied"] * 10,
        "How often do you visit": ["Never", "Often", "Always", "Sometimes"] * 10,
        "Spend": np.arange(40.0),
    })
    roles = detect_roles(table, kind="customers")
    assert roles.psychographics == ["I would recommend the shop", "Delivery"]
    assert roles.behaviour == ["How often do you visit", "Spend"]
