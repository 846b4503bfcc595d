"""Tests for segkit.features.preprocess: estimator checks, names, pandas output."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from segkit.exceptions import SegkitWarning
from segkit.features import SkewedLog1p, make_preprocessor
from segkit.features.preprocess import BINARY_HALF_GAP, CATEGORY_WEIGHT, plan_columns


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
