"""Tests for segkit.workshop.lessons and segkit.workshop.check: one lesson module per notebook,
registered in the notebooks' order."""

from __future__ import annotations

import hashlib
import hmac
import math
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score

from segkit import workshop
from segkit.datasets import make_demo
from segkit.exceptions import ConfigError
from segkit.features import build_features
from segkit.io import read_table, standardise_transactions
from segkit.segment import Segmenter
from segkit.value import predict_clv
from segkit.workshop.check import EXERCISES, _registry
from segkit.workshop.exercise import Exercise
from segkit.workshop.lessons import LESSONS

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks" / "workshop"


def test_every_notebook_has_its_lesson_module_in_order():
    stems = [p.stem for p in sorted(NOTEBOOKS.glob("*.ipynb"))]
    assert [f"{i:02d}_{lesson.__name__.rsplit('.', 1)[-1]}" for i, lesson in enumerate(LESSONS, start=1)] == stems


@pytest.mark.parametrize("number", range(1, len(LESSONS) + 1), ids=lambda n: f"{n:02d}")
def test_a_lesson_holds_only_its_notebook_exercises(number):
    ids = [exercise.id for exercise in LESSONS[number - 1].EXERCISES]
    assert ids and all(i.startswith(f"{number:02d}.") for i in ids)


def test_the_registry_keeps_the_notebooks_order():
    assert list(EXERCISES) == [ex.id for lesson in LESSONS for ex in lesson.EXERCISES]
    assert len(EXERCISES) == sum(len(lesson.EXERCISES) for lesson in LESSONS)  # no id twice


def test_the_registry_refuses_an_unknown_kind():
    lesson = types.SimpleNamespace(EXERCISES=(Exercise("00.bad", "?", (), lambda: 1, kind="integer"),))
    with pytest.raises(ConfigError, match=r"exercise '00.bad': kind must be one of \['number', 'count', 'label', "
                                          r"'labels'\], but 'integer' was given"):
        _registry([lesson])


# ---------------------------------------------------------------------------------------------
# Every exercise answered independently (plain pandas / scikit-learn), and its common mistakes
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    return make_demo(400, random_state=3)


@pytest.fixture(scope="module")
def inputs(demo):
    """Every input an exercise needs, built as the notebooks build them."""
    log = standardise_transactions(demo.transactions)
    table = build_features(transactions=log)
    segmenter = Segmenter(random_state=0, n_bootstrap=5).fit(table.select(basis=["behavioural", "value"]))
    labels = segmenter.segments_
    features = table.frame.drop(columns=["first_purchase", "last_purchase"])
    mixed = pd.DataFrame({"age": [30.0, 41, 52, 63] * 10, "device": ["mobile", "desktop", "tablet", "mobile"] * 10})
    # two snapshots of the same base, as notebook 8 builds them
    before = build_features(transactions=log, snapshot_date="2025-07-01")
    old = Segmenter(random_state=0, n_bootstrap=0).fit(before.select(basis=["behavioural", "value"])).segments_
    customers = demo.customers
    extract = customers[["customer_id", "email", "income", "region"]].assign(
        contact="+44 7700 9" + customers["customer_id"].str[-5:])
    return {
        "raw": demo.transactions, "log": log, "customers": demo.customers, "features": features, "X": table.select(
            basis=["behavioural", "value"]), "mixed": mixed, "segmenter": segmenter, "labels": labels,
        "truth": demo.truth, "planted": demo.segment_profiles, "profile": _profile(features, labels),
        "clv": predict_clv(log.dropna(subset=["customer_id"])),
        "old": old, "new": labels, "old_features": before.frame, "new_features": table.frame, "extract": extract,
        "counts": COUNTS, "key": "workshop-test-key", "pseudonym": _hmac("workshop-test-key", "C000042"),
        "customer": _returned_after_last_purchase(log),
    }


def _returned_after_last_purchase(log: pd.DataFrame) -> str:
    """The first customer (by id) whose last return came on a later day than their last purchase."""
    days = log.assign(day=log["date"].dt.normalize(), bought=log["amount"] > 0)
    last = days.pivot_table(index="customer_id", columns="bought", values="day", aggfunc="max")
    return str(last.index[last[False] > last[True]].min())


#: A count table whose totals are public, with one small cell (3, at y/A). Row y must hide a
#: second cell, its smallest (y/C, 12); column A then hides its smallest other (z/A, 40), and
#: column C its cell in row z (z/C, 45), which protects row z too: 4 cells hidden. The empty
#: cell z/B describes nobody and stays.
COUNTS = pd.DataFrame({"A": [50, 3, 40], "B": [60, 25, 0], "C": [30, 12, 45]}, index=["x", "y", "z"])


def _hmac(key: str, customer_id: str) -> str:
    return hmac.new(key.encode(), customer_id.encode(), hashlib.sha256).hexdigest()[:16]


def _profile(features, labels):
    from segkit.profile import profile_segments

    return profile_segments(features, labels, value_col="monetary", min_cell_size=1)


def _clean_lines(log: pd.DataFrame) -> pd.DataFrame:
    """Cleaning by hand: known customers, no exact duplicates."""
    return log[log["customer_id"].notna()].drop_duplicates()


def _independent_answers(d: dict) -> dict:
    """Every exercise answered with plain pandas / scikit-learn, not with the code under test."""
    log, f, labels = d["log"], d["features"], d["labels"]
    lines = _clean_lines(log)
    credit = lines["invoice"].str.startswith("C")
    mine = lines[(lines["customer_id"] == d["customer"]) & (lines["amount"] > 0)]
    snapshot = lines["date"].max().normalize() + pd.Timedelta(days=1)
    # RFM scores by hand: rank (ties by customer id) into fifths; Champions: R 5 and F 4-5
    rank = f.sort_index()
    r = np.ceil(rank["recency_days"].rank(method="first", ascending=False) * 5 / len(rank))
    fq = np.ceil(rank["frequency"].rank(method="first") * 5 / len(rank))
    m = np.ceil(rank["monetary"].rank(method="first") * 5 / len(rank))
    champions = (r == 5) & (fq >= 4)
    k_table = d["segmenter"].k_selection_
    eligible = k_table[k_table["eligible"].astype(bool)]
    truth = d["truth"].reindex(labels.index)
    per_segment = d["segmenter"].stability_["per_segment"]
    response = d["customers"].set_index("customer_id")["response"].reindex(labels.index)
    rates = response.groupby(labels).mean()
    z_a, z_b = 1.959963984540054, 0.8416212335729143  # alpha 0.05 two-sided, power 0.8
    p1, p2 = 0.10, 0.15
    p_bar = (p1 + p2) / 2
    top = f["monetary"].sort_values(ascending=False).head(math.ceil(0.1 * len(f)))
    old, stable = d["old"], _stable_by_hand(d["old"], d["new"])
    shared = old.index.intersection(stable.index)
    counts = pd.concat([old.value_counts(), stable.value_counts()], axis=1).fillna(0).to_numpy()
    shares = np.maximum(counts / counts.sum(axis=0), 0.5 / counts.sum(axis=0))  # an empty segment: half a customer
    return {
        "01.orders": lines.loc[~credit & (lines["amount"] > 0), "invoice"].nunique(),
        "01.returned_share": -lines.loc[lines["amount"] < 0, "amount"].sum() / lines.loc[lines["amount"] > 0, "amount"].sum(),
        "01.impossible_birth_years": int((d["customers"]["birth_year"] < 1900).sum()),
        "02.recency": (snapshot - mine["date"].max().normalize()).days,
        "02.champions": int(champions.sum()),
        "02.champions_revenue": rank.loc[champions, "monetary"].sum() / rank["monetary"].sum(),
        "02.rules": int((champions & (m == 5)).sum()),
        "03.dominant_feature": d["X"].std().idxmax(),
        "03.skewed": [c for c in d["X"] if d["X"][c].min() >= 0 and d["X"][c].dropna().skew() > 1],
        "03.prepared_columns": 1 + 3,  # age, and one column per device level
        "04.calinski_k": eligible["calinski_harabasz"].idxmax(),
        "04.ari": adjusted_rand_score(truth, labels),
        "04.planted_match": d["planted"]["name"][truth[labels == 0].mode()[0]],
        "05.revenue_leader": f["monetary"].groupby(labels).sum().idxmax(),
        "05.lift": f.loc[labels.index[labels == 0], "frequency"].mean() / f["frequency"].mean(),
        "05.unstable": [s for s, j in per_segment.items() if j < 0.95],
        "06.break_even": 3 / 11,
        "06.profitable": rates.index[rates * 11 - 3 > 0].tolist(),
        "06.sample_size": math.ceil((z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(
            p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / 0.05**2),
        "06.clv_leader": d["clv"]["clv"].groupby(labels).mean().max(),
        "07.duplicates": int(d["raw"].duplicated().sum()),
        "07.one_time_share": float((f["frequency"] == 1).mean()),
        "07.top_decile_share": top.sum() / f["monetary"].sum(),
        "08.stayed": float((stable[shared][old[shared] == 0] == 0).mean()),
        "08.size_psi": float(((shares[:, 1] - shares[:, 0]) * np.log(shares[:, 1] / shares[:, 0])).sum()),
        "08.top_drift": _psi_by_hand(d["old_features"], d["new_features"]).drop("tenure_days").idxmax(),
        "09.identifiers": ["email", "contact"],  # by its name; by its contents (phone numbers)
        "09.hidden_cells": 4,  # see COUNTS
        "09.pseudonym": next(i for i in d["customers"]["customer_id"] if _hmac(d["key"], i) == d["pseudonym"]),
    }


def _stable_by_hand(old: pd.Series, new: pd.Series) -> pd.Series:
    """New segments under the old ids: the matching of largest total Jaccard index (at least 0.2)."""
    shared = old.index.intersection(new.index)
    overlap = pd.crosstab(old[shared], new[shared])
    either = overlap.sum(axis=1).to_numpy()[:, None] + overlap.sum(axis=0).to_numpy()[None, :] - overlap.to_numpy()
    jaccard = overlap.to_numpy() / either
    rows, cols = linear_sum_assignment(jaccard, maximize=True)
    match = {overlap.columns[c]: overlap.index[r] for r, c in zip(rows, cols) if jaccard[r, c] >= 0.2}
    fresh = iter(range(old.max() + 1, old.max() + 1 + new.nunique()))
    return new.map({n: match[n] if n in match else next(fresh) for n in sorted(new.unique())})


def _psi_by_hand(old: pd.DataFrame, new: pd.DataFrame) -> pd.Series:
    """PSI of every numeric feature over the old deciles, from the raw values (no references)."""
    out = {}
    for column in old.select_dtypes("number"):
        o, n = old[column].dropna().to_numpy(), new[column].dropna().to_numpy()
        edges = np.unique(np.quantile(o, np.arange(1, 10) / 10))
        so, sn = (np.bincount(np.searchsorted(edges, v), minlength=len(edges) + 1) / len(v) for v in (o, n))
        so, sn = np.maximum(so, 0.5 / len(o)), np.maximum(sn, 0.5 / len(n))
        out[column] = float(((sn - so) * np.log(sn / so)).sum())
    return pd.Series(out)


@pytest.fixture(scope="module")
def answers(inputs):
    return _independent_answers(inputs)


def _data(exercise_id: str, inputs: dict) -> dict:
    return {name: inputs[name] for name in workshop.EXERCISES[exercise_id].inputs}


@pytest.mark.parametrize("exercise_id", list(workshop.EXERCISES))
def test_independent_answer_is_correct(exercise_id, inputs, answers):
    result = workshop.check(exercise_id, answers[exercise_id], **_data(exercise_id, inputs))
    assert result.correct, (result, workshop.EXERCISES[exercise_id].expected(**_data(exercise_id, inputs)))
    assert repr(result) == f"{exercise_id}: correct"


def test_every_exercise_has_an_independent_answer(answers):
    assert sorted(answers) == sorted(workshop.EXERCISES)


def test_independent_answers_are_not_trivial(answers):
    """Guard the test data: answers that are 0 or empty would prove little."""
    assert answers["01.orders"] > 100 and answers["02.champions"] > 5 and answers["02.rules"] < answers["02.champions"]
    assert 0 < answers["01.returned_share"] < 0.2 and answers["04.ari"] > 0.5
    assert answers["07.duplicates"] > 0
    assert 0.2 < answers["08.stayed"] < 1 and answers["08.size_psi"] > 0 and answers["09.pseudonym"] == "C000042"


@pytest.mark.parametrize(("exercise_id", "wrong", "hint"), [
    ("01.orders", lambda d, a: len(_clean_lines(d["log"])), "You counted lines, not orders"),
    ("01.orders", lambda d, a: _clean_lines(d["log"])["invoice"].nunique(), "credit notes"),
    ("01.returned_share", lambda d, a: 100 * a, "looks like a percentage"),
    ("01.returned_share", lambda d, a: -a, "sign is wrong"),
    ("02.recency", lambda d, a: a - 1, "One day short"),
    ("02.recency", lambda d, a: _days_since_last_line(d["log"], d["customer"]), "A return is not a purchase"),
    ("02.champions", lambda d, a: int((d["features"]["recency_days"].rank(method="first", ascending=True)
                                       <= len(d["features"]) / 5).sum()), "r_score 5"),
    ("02.champions_revenue", lambda d, a: a * 100, "percentage"),
    ("02.rules", lambda d, a: workshop.EXERCISES["02.champions"].expected(features=d["features"]), "default rules"),
    ("04.calinski_k", lambda d, a: d["segmenter"].n_segments_, "combined recommendation"),
    ("04.planted_match", lambda d, a: int(d["truth"].reindex(d["labels"].index)[d["labels"] == 0].mode()[0]),
     "name"),
    ("05.lift", lambda d, a: a * d["features"]["frequency"].mean() - d["features"]["frequency"].mean(), "not a difference"),
    ("05.lift", lambda d, a: a * d["features"]["frequency"].mean(), "divide it by the mean of the whole base"),
    ("06.break_even", lambda d, a: 11 / 3, "Upside down"),
    ("06.clv_leader", lambda d, a: d["clv"]["clv"].groupby(d["labels"]).sum().max(), "a segment's total"),
    ("06.sample_size", lambda d, a: 2 * a, "both arms"),
    ("06.sample_size", lambda d, a: a + 1, "Close: 1 too many"),
    ("07.one_time_share", lambda d, a: a * len(d["features"]), "a number of customers"),
    ("07.top_decile_share", lambda d, a: d["features"]["monetary"].nlargest(10).sum() / d["features"]["monetary"].sum(),
     "top 10 customers"),
    ("08.stayed", lambda d, a: float((d["new"].reindex(d["old"].index)[d["old"] == 0] == 0).mean()),
     "You compared raw ids"),
    ("08.stayed", lambda d, a: a * 100, "percentage"),
    ("08.size_psi", lambda d, a: -a, "sign is wrong"),
    ("08.top_drift", lambda d, a: "tenure_days", "always drifts"),
    ("09.identifiers", lambda d, a: ["email"], "by its contents too"),
    ("09.identifiers", lambda d, a: ["customer_id", *a], "The customer id is not dropped"),
    ("09.hidden_cells", lambda d, a: 1, "small cells only"),
    ("09.hidden_cells", lambda d, a: 2, "empty cells (0)"),
    ("09.pseudonym", lambda d, a: d["pseudonym"], "the pseudonym itself"),
], ids=lambda v: v if isinstance(v, str) and "." in v else None)
def test_common_mistakes_get_their_hint(exercise_id, wrong, hint, inputs, answers):
    result = workshop.check(exercise_id, wrong(inputs, answers[exercise_id]), **_data(exercise_id, inputs))
    assert result.status == "incorrect"
    assert hint in result.message, result


def _days_since_last_line(log: pd.DataFrame, customer: str) -> int:
    """Recency counted from the customer's last line, a return included: the mistake of 02.recency."""
    lines = _clean_lines(log)
    snapshot = lines["date"].max().normalize() + pd.Timedelta(days=1)
    return (snapshot - lines.loc[lines["customer_id"] == customer, "date"].max().normalize()).days


def test_ari_by_position_on_shuffled_truth_gets_the_alignment_hint(inputs, answers):
    truth = inputs["truth"].sample(frac=1.0, random_state=0)
    by_position = adjusted_rand_score(truth.to_numpy(), inputs["labels"].to_numpy())
    assert workshop.check("04.ari", answers["04.ari"], labels=inputs["labels"], truth=truth).correct
    result = workshop.check("04.ari", by_position, labels=inputs["labels"], truth=truth)
    assert "different order" in result.message and "truth.reindex(labels.index)" in result.message


def test_drift_is_judged_by_psi_not_by_the_unit_of_the_median(rng):
    old = pd.DataFrame({"monetary": rng.normal(1000, 300, 2000), "recency_days": rng.normal(60, 10, 2000)})
    new = pd.DataFrame({"monetary": rng.normal(1050, 300, 2000), "recency_days": rng.normal(90, 10, 2000)})
    assert _psi_by_hand(old, new).idxmax() == "recency_days"
    assert workshop.check("08.top_drift", "recency_days", old_features=old, new_features=new).correct
    result = workshop.check("08.top_drift", "monetary", old_features=old, new_features=new)
    assert "in its own unit" in result.message, result


def test_segment_mix_psi_counts_a_new_segment_as_half_a_customer():
    """A segment only the new run has: half of one of the old run's 100 customers, not left out."""
    ids = [f"c{i}" for i in range(100)]
    old = pd.Series([0] * 60 + [1] * 40, index=ids)
    new = pd.Series([1] * 60 + [0] * 30 + [2] * 10, index=ids)  # raw ids swapped; segment 2 is new
    o, n = np.array([0.6, 0.4, 0.005]), np.array([0.6, 0.3, 0.1])
    expected = float(((n - o) * np.log(n / o)).sum())
    assert workshop.check("08.size_psi", expected, old=old, new=new).correct
    without = float(((n[:2] - o[:2]) * np.log(n[:2] / o[:2])).sum())
    assert "missing from one run" in workshop.check("08.size_psi", without, old=old, new=new).message
    raw = o, np.array([0.3, 0.6, 0.1])
    by_raw_ids = float(((raw[1] - raw[0]) * np.log(raw[1] / raw[0])).sum())
    assert "raw ids" in workshop.check("08.size_psi", by_raw_ids, old=old, new=new).message
    assert workshop.check("08.stayed", 1.0, old=old, new=new).correct
    assert "raw ids" in workshop.check("08.stayed", 0.0, old=old, new=new).message


def test_tolerance(inputs, answers):
    data = _data("07.top_decile_share", inputs)  # rtol 1 %: a quantile cut-off is as good as nlargest
    share = answers["07.top_decile_share"]
    assert workshop.check("07.top_decile_share", share * 1.005, **data).correct
    assert not workshop.check("07.top_decile_share", share * 1.05, **data).correct
    exact = _data("04.ari", inputs)
    assert workshop.check("04.ari", round(answers["04.ari"], 9), **exact).correct
    result = workshop.check("04.ari", answers["04.ari"] * 1.01, **exact)
    assert not result.correct and "tolerance" in result.message


def test_label_sets_name_missing_and_extra(inputs, answers):
    data = _data("05.unstable", inputs)
    data_p = _data("06.profitable", inputs)
    assert workshop.check("06.profitable", tuple(reversed(answers["06.profitable"])), **data_p).correct
    assert workshop.check("06.profitable", np.array(answers["06.profitable"]), **data_p).correct
    result = workshop.check("06.profitable", [*answers["06.profitable"], 99], **data_p)
    assert "1 that should not be there (99)" in result.message
    assert workshop.check("05.unstable", [*answers["05.unstable"], *answers["05.unstable"]], **data).correct


def test_labels_ignore_case_and_number_type(inputs, answers):
    assert workshop.check("04.planted_match", answers["04.planted_match"].upper() + " ", **_data("04.planted_match", inputs)).correct
    assert workshop.check("05.revenue_leader", np.int64(answers["05.revenue_leader"]), profile=inputs["profile"]).correct
    assert workshop.check("05.revenue_leader", float(answers["05.revenue_leader"]), profile=inputs["profile"]).correct


def test_missing_or_unknown_inputs_are_clear_errors(inputs):
    with pytest.raises(ConfigError, match=r"exercise '01.orders' misses \['log'\]; expected check\('01.orders', answer, log=...\)"):
        workshop.check("01.orders", 3)
    with pytest.raises(ConfigError, match=r"got unexpected \['features'\]"):
        workshop.check("06.sample_size", 686, features=inputs["features"])


def test_cdnow_answers_match_pandas(shared_data):
    """The real-data exercises, on the real file, against plain pandas."""
    raw = read_table(shared_data / "cdnow" / "CDNOW_master.txt")
    features = build_features(transactions=standardise_transactions(raw), drop_duplicates=False, rfm=False).frame
    assert workshop.EXERCISES["07.duplicates"].expected(raw=raw) == raw.duplicated().sum() == 255
    assert workshop.check("07.one_time_share", float((features["frequency"] == 1).mean()), features=features).correct
    assert features.shape[0] == 23_570
