"""Tests for segkit.explain.customer: distances, runner-up, margin and pulls, and the labelled embedding."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.explain import embedding, explain_customer
from segkit.segment import Segmenter


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(3)
    n = 300
    group = rng.integers(0, 3, n)
    X = pd.DataFrame({"spend": rng.gamma(2, 100 + 400 * group), "visits": rng.poisson(2 + 4 * group),
                      "plan": np.where(group == 1, "gold", rng.choice(["basic", "silver"], n))},
                     index=pd.Index([f"id{i}" for i in range(n)], name="customer_id"))
    return X, Segmenter(n_segments=3, n_bootstrap=0).fit(X)


def test_embedding_is_labelled_with_the_preprocessors_names_and_customer_ids(fitted):
    X, seg = fitted
    emb = embedding(seg, X)
    assert emb.index.equals(X.index)
    assert emb.columns.tolist() == [str(c) for c in seg.preprocessor_.get_feature_names_out()]
    assert "cat__plan_gold" in emb.columns and emb.columns.tolist() != X.columns.tolist()


def test_the_explanation_agrees_with_the_segmenter(fitted):
    X, seg = fitted
    for i in (0, 7, 42):
        why = explain_customer(seg, X.iloc[[i]], names={0: "A", 1: "B", 2: "C"})
        assert why.segment == seg.labels_[i]
        d = why.distances["distance"]
        assert d.index[0] == why.segment and why.runner_up == d.index[1]
        assert why.margin == pytest.approx(d.iloc[1] - d.iloc[0])
        assert why.pulls["pull"].abs().sum() == pytest.approx(1.0)
        assert set(why.pulls["feature"]) == {"spend", "visits", "plan"}
        assert why.pulls.loc[why.pulls["feature"] == "plan", "value"].item() == X.iloc[i]["plan"]


def test_pulls_add_up_to_the_squared_distance_gap(fitted):
    X, seg = fitted
    why = explain_customer(seg, X.iloc[[3]])
    Z = seg.preprocessor_.transform(X.iloc[[3]])[0]
    c = seg.cluster_centers_
    gap = ((Z - c[why.runner_up]) ** 2).sum() - ((Z - c[why.segment]) ** 2).sum()
    assert gap > 0 and why.pulls["pull"].sum() > 0  # the own segment is the nearer one
    assert "what pulls this customer" in repr(why) and "<table" in why._repr_html_()


def test_a_gaussian_mixture_explanation_gives_probabilities(fitted):
    X, _ = fitted
    seg = Segmenter(n_segments=3, algorithm="gmm", n_bootstrap=0).fit(X[["spend", "visits"]])
    why = explain_customer(seg, X[["spend", "visits"]].iloc[[0]])
    assert "probability" in why.distances and why.distances["probability"].sum() == pytest.approx(1.0)
    assert "by probability" in why.note
