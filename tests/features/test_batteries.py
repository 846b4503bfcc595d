"""Item batteries (segkit.features.batteries): respondent centring and factors of rating items, on
hand-built and generated planted surveys."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from segkit.config import make_config
from segkit.datasets.survey import make_survey
from segkit.exceptions import ConfigError
from segkit.features.batteries import VARIANCE_SHARE, ItemBatteries, rating_items

POINTS = [str(i) for i in range(0, 12)]


def _ratings(values: np.ndarray, columns: list[str], index=None) -> pd.DataFrame:
    """Whole-number answers (NaN: no answer) as rating items are coded: ordered categories of the points."""
    frame = pd.DataFrame(values, columns=columns, index=index)
    return pd.DataFrame({c: pd.Categorical(frame[c].astype("Int64").astype("string"), categories=POINTS,
                                           ordered=True) for c in columns}, index=frame.index)


def _numbers(X: pd.DataFrame) -> np.ndarray:
    return np.column_stack([pd.to_numeric(X[c].astype("string"), errors="coerce").astype(float) for c in X])


def _survey_items(survey) -> pd.DataFrame:
    """The planted survey's rated items, its no-answer codes (0 below 1-5, 99) missing, as the reader codes them."""
    X = survey.table.set_index("Respondent ID")[survey.items]
    return _ratings(X.mask((X == 0) | (X == 99)).to_numpy(dtype=float), survey.items, X.index)


def _kmeans_ari(X: pd.DataFrame, truth: pd.Series, k: int) -> float:
    Z = _numbers(X) if rating_items(X) else X.to_numpy(dtype=float)
    Z = np.where(np.isnan(Z), np.nanmean(Z, axis=0), Z)
    Z = (Z - Z.mean(axis=0)) / Z.std(axis=0)
    return adjusted_rand_score(truth, KMeans(k, n_init=10, random_state=0).fit_predict(Z))


@pytest.mark.parametrize("n_items, missing", [(3, 0.0), (8, 0.0), (8, 0.15)],
                         ids=["three items", "eight items", "eight items with no-answers"])
def test_centring_removes_a_per_respondent_offset(n_items, missing):
    rng = np.random.default_rng(n_items)
    base = rng.integers(1, 6, size=(200, n_items)).astype(float)
    shifted = base + rng.integers(0, 5, size=(200, 1))  # each respondent's own generosity, within a 1-9 scale
    holes = rng.random(base.shape) < missing
    holes[:, 0] = False  # everyone answers one item
    base[holes], shifted[holes] = np.nan, np.nan
    columns = [f"Item {j}" for j in range(n_items)]
    centre = ItemBatteries(centre=True)
    a = _numbers(centre.fit_transform(_ratings(base, columns)))
    b = _numbers(centre.fit_transform(_ratings(shifted, columns)))
    np.testing.assert_allclose(a, b)
    np.testing.assert_allclose(np.nanmean(b, axis=1), 0.0, atol=1e-12)


def test_text_scales_and_other_columns_are_left_alone():
    X = _ratings(np.array([[1, 3], [5, 4], [2, 2.0]]), ["A", "B"])
    X["Frequency"] = pd.Categorical(["Rarely", "Daily", "Weekly"], categories=["Rarely", "Weekly", "Daily"],
                                    ordered=True)
    X["Age"] = [20, 30, 40]
    out = ItemBatteries(centre=True).fit_transform(X)
    assert out["Frequency"].equals(X["Frequency"]) and out["Age"].tolist() == [20, 30, 40]
    assert out["A"].tolist() == [-1.0, 0.5, 0.0]


def test_one_rating_item_is_clustered_as_it_is_with_a_note():
    X = _ratings(np.array([[1.0], [5.0], [3.0]]), ["Only item"])
    batteries = ItemBatteries(centre=True, factors=True).fit(X)
    assert not batteries.active and batteries.transform(X) is X
    assert "at least two rating items" in batteries.notes_[0]


def _two_batteries(seed: int, n: int = 500) -> tuple[pd.DataFrame, dict[str, str]]:
    """Two batteries, each driven by its own latent trait (1-7 answers)."""
    rng = np.random.default_rng(seed)
    traits = rng.normal(size=(n, 2))
    battery = {**{f"Service {j}": "service" for j in range(4)}, **{f"Attitude {j}": "attitude" for j in range(4)}}
    cols = []
    for name, which in battery.items():
        trait = traits[:, 0 if which == "service" else 1]
        cols.append(np.clip(np.rint(4 + 1.3 * trait + rng.normal(0, 0.6, n)), 1, 7))
    return _ratings(np.column_stack(cols), list(battery)), battery


@pytest.mark.parametrize("seed", [0, 1], ids=["two batteries", "two batteries, other draw"])
def test_factor_loadings_name_the_planted_battery(seed):
    X, battery = _two_batteries(seed)
    fitted = ItemBatteries(factors=2).fit(X)
    found = set()
    for name in fitted.factor_names_:
        top = fitted.loadings_table(top=4).query("factor == @name")["item"]
        kinds = {battery[item] for item in top}
        assert len(kinds) == 1, (name, list(top))
        found |= kinds
        assert all(item.split()[0] in name for item in top[:2])  # named after its top items
    assert found == {"service", "attitude"}
    scores = fitted.transform(X)
    assert list(scores.columns) == fitted.factor_names_
    assert "| factor | item | loading |" in fitted.method_text()


def test_factors_true_keeps_enough_components_for_the_variance_share():
    X = _survey_items(make_survey(400, random_state=3))
    fitted = ItemBatteries(factors=True).fit(X)
    kept = fitted.explained_variance_ratio_
    assert kept.sum() >= VARIANCE_SHARE and kept[:-1].sum() < VARIANCE_SHARE


def test_too_many_factors_is_refused_naming_the_key():
    X, _ = _two_batteries(0, n=50)
    with pytest.raises(ConfigError, match="survey.factors: 9 factors .* 8 rating items"):
        ItemBatteries(factors=9).fit(X)


def test_the_fitted_batteries_survive_a_round_trip_through_their_saved_state():
    X, _ = _two_batteries(2, n=100)
    fitted = ItemBatteries(centre=True, factors=2).fit(X)
    again = ItemBatteries.from_dict(fitted.to_dict())
    pd.testing.assert_frame_equal(fitted.transform(X), again.transform(X))
    assert ItemBatteries.from_dict(ItemBatteries().fit(X).to_dict()) is None


def test_with_scale_use_bias_centring_recovers_the_planted_classes_better_than_raw_items():
    raw, centred = [], []
    for seed in range(3):
        survey = make_survey(400, n_classes=4, scale_bias=1.0, random_state=seed)
        X = _survey_items(survey)
        raw.append(_kmeans_ari(X, survey.truth, 4))
        centred.append(_kmeans_ari(ItemBatteries(centre=True).fit_transform(X), survey.truth, 4))
    assert np.mean(centred) > np.mean(raw), (raw, centred)


@pytest.mark.parametrize("key, value", [("centre", "yes"), ("factors", 0), ("factors", "many")],
                         ids=["centre not a flag", "zero factors", "factors as text"])
def test_config_validation_names_the_key_in_one_line(key, value):
    with pytest.raises(ConfigError, match=f"survey.{key}") as err:
        make_config({"survey": {key: value}})
    assert "\n" not in str(err.value)


def test_defaults_leave_the_items_as_read():
    cfg = make_config({})
    assert cfg["survey"]["centre"] is False and cfg["survey"]["factors"] is False
    X, _ = _two_batteries(0, n=30)
    assert ItemBatteries.from_config(cfg).fit(X).transform(X) is X


@pytest.mark.parametrize(("ari_with", "ari_without", "verdict"), [
    pytest.param(0.9, 0.6, "more stable with them", id="steadier-with-centring"),
    pytest.param(0.6, 0.9, "less stable with them", id="steadier-without"),
    pytest.param(0.8, 0.81, "about as stable either way", id="level")])
def test_the_method_text_states_the_effect_on_stability(ari_with, ari_without, verdict):
    survey = make_survey(200, n_classes=3, random_state=2)
    batteries = ItemBatteries(centre=True).fit(_survey_items(survey))
    assert "Effect on stability" not in batteries.method_text()  # not measured: nothing said
    batteries.stability_ = {"with": {"ari": ari_with, "per_segment": {0: 0.9, 1: 0.7}, "n_bootstrap": 20},
                            "without": {"ari": ari_without, "per_segment": {0: 0.5, 1: 0.7}}, "algorithm": "kmeans"}
    text = batteries.method_text()
    assert f"the segments are {verdict}" in text
    assert f"Bootstrap ARI {ari_with:.2f} (mean segment Jaccard 0.80)" in text and f"{ari_without:.2f} (0.60)" in text
