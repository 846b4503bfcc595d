"""Tests for segkit.explain.rules: short rules that partition the customers, their SQL run in
DuckDB agreeing with their own assignment, on a generated family of tables."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import DataError
from segkit.explain import segment_rules
from segkit.explain.tree import roundest_between
from segkit.segment import Segmenter


def _table(shape: str, seed: int) -> pd.DataFrame:
    """A generated customer table of one shape: numbers, shares, flags, categories, ordered
    scales, missing values and awkward column names."""
    rng = np.random.default_rng(seed)
    n = 600
    group = rng.integers(0, 3, n)
    frame = pd.DataFrame({
        "Annual Income (k$)": rng.normal(40 + 30 * group, 8, n).round(1),
        "share_channel_web": np.clip(rng.normal(0.2 + 0.3 * group, 0.1, n), 0, 1),
        "orders": rng.poisson(2 + 3 * group),
    })
    if shape in ("mixed", "missing"):
        frame["plan"] = np.where(group == 2, "premium", rng.choice(["basic", "plus", "it's free"], n))
        frame["Complain"] = (rng.random(n) < 0.1 + 0.3 * (group == 0)).astype(int)
    if shape == "ordinal":
        levels = ["Never", "Sometimes", "Often", "Always"]
        frame["visits"] = pd.Categorical(np.array(levels)[np.clip(group + rng.integers(0, 2, n), 0, 3)],
                                         categories=levels, ordered=True)
    if shape == "missing":
        frame.loc[rng.random(n) < 0.1, "Annual Income (k$)"] = np.nan
        frame.loc[rng.random(n) < 0.1, "plan"] = None
    frame.index = pd.Index([f"c{i}" for i in range(n)], name="customer_id")
    return frame


SHAPES = ["numbers", "mixed", "ordinal", "missing"]


@pytest.fixture(scope="module", params=SHAPES)
def fitted(request):
    X = _table(request.param, seed=SHAPES.index(request.param))
    seg = Segmenter(n_segments=3, n_bootstrap=0).fit(X)
    from segkit.explain import fill_values

    rules = segment_rules(X, seg.labels_, fills=fill_values(seg.preprocessor_), ordinal=seg.ordinal_features_)
    return X, seg, rules


def test_rules_partition_the_customers_with_at_most_three_conditions(fitted):
    X, seg, rules = fitted
    masks = np.array([rule.mask(X) for rule in rules.rules])
    assert (masks.sum(axis=0) == 1).all()  # every customer meets exactly one rule
    assert all(len(rule.conditions) <= 3 for rule in rules.rules)
    assert all(rule.customers >= 10 for rule in rules.rules)
    assert rules.fidelity == pytest.approx((rules.predict(X).to_numpy() == seg.labels_).mean())


def test_precision_and_coverage_are_what_the_rules_do(fitted):
    X, seg, rules = fitted
    labels = seg.labels_
    for rule in rules.rules:
        matched = rule.mask(X)
        assert rule.customers == matched.sum()
        assert rule.precision == pytest.approx((labels[matched] == rule.segment).mean())
        assert rule.coverage == pytest.approx((labels[matched] == rule.segment).sum() / (labels == rule.segment).sum())


def test_the_sql_case_gives_the_rules_assignment_in_duckdb(fitted):
    X, _, rules = fitted
    features = X.reset_index()
    sql = rules.to_sql({0: "A", 1: "B's", 2: "C"}, title="test")
    got = duckdb.sql(f"SELECT customer_id, {sql} AS segment FROM features ORDER BY customer_id").df()
    want = rules.predict(X).rename_axis("customer_id").reset_index().sort_values("customer_id")
    assert got["segment"].tolist() == want["segment"].tolist()


def test_the_rules_are_the_same_for_the_same_data(fitted):
    X, seg, rules = fitted
    again = segment_rules(X, seg.labels_, ordinal=seg.ordinal_features_)
    assert again.table()["rule"].tolist() == segment_rules(X, seg.labels_, ordinal=seg.ordinal_features_
                                                           ).table()["rule"].tolist()


def test_rules_that_cannot_imitate_the_segments_say_so():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
    rules = segment_rules(X, rng.integers(0, 4, 400))  # random labels: no rule can find them
    assert not rules.reliable and "rough descriptions" in rules.reason
    assert "Note:" in rules.to_sql()


def test_a_segment_without_a_rule_keeps_a_row():
    X = pd.DataFrame({"a": np.r_[np.zeros(200), np.ones(5)]})
    table = segment_rules(X, np.r_[np.zeros(200, int), np.ones(5, int)]).table()
    assert table["segment"].tolist() == [0, 1] and table.loc[1, "customers"] == 0


def test_labels_of_another_length_are_refused():
    with pytest.raises(DataError, match="labels: 2 segments for 3 customers"):
        segment_rules(pd.DataFrame({"a": [1.0, 2.0, 3.0]}), [0, 1])


@pytest.mark.parametrize(("low", "high", "expected"), [(1187.35, 1213.5, 1200.0), (0.3967, 0.4021, 0.4),
                                                      (1.0, 2.0, 1.0), (-3.7, -3.2, -3.5), (5.0, 5.0, 5.0)],
                         ids=["amount", "share", "integers", "negative", "no gap"])
def test_thresholds_are_the_roundest_number_that_splits_alike(low, high, expected):
    assert roundest_between(low, high) == expected


@pytest.mark.slow
def test_demo_rules_reach_the_fidelity_goal():
    from segkit.pipeline import Analysis

    run = Analysis(None, verbose=False)
    run.profile()
    assert run.rules.fidelity >= 0.9 and run.rules.reliable
    assert max(len(r.conditions) for r in run.rules.rules) <= 3


@pytest.mark.parametrize("shape", SHAPES)
def test_rules_grown_on_a_sample_are_the_same_when_the_design_keeps_only_the_sampled_rows(monkeypatch, shape):
    # more customers than FIT_ROWS: the design matrix holds the sampled rows only (on 5M
    # customers the whole matrix held 1.5 GB for a 50,000-row fit); the rules must not change
    from segkit.explain import rules as rules_module

    X = _table(shape, 2)
    labels = Segmenter(n_segments=3, n_bootstrap=0, random_state=0).fit(X).labels_
    monkeypatch.setattr(rules_module, "FIT_ROWS", 250)
    sampled = segment_rules(X, labels, random_state=4)
    whole_design = rules_module._Design.__init__

    def keep_every_row(self, X, *, fills, ordinal, rows=None):
        whole_design(self, X, fills=fills, ordinal=ordinal, rows=None)

    monkeypatch.setattr(rules_module._Design, "__init__", keep_every_row)
    reference = segment_rules(X, labels, random_state=4)
    assert sampled.rules == reference.rules
    assert (sampled.fidelity, sampled.holdout_fidelity) == (reference.fidelity, reference.holdout_fidelity)
