"""Model files written before the segment package still load and score identically."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from segkit.segment import load_segmenter

DATA = Path(__file__).parent / "data"
SATISFACTION = ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"]
LEGACY = ("kprototypes", "gmm", "hdbscan")


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return pd.read_csv(DATA / "legacy_customers.csv", index_col="customer_id")


@pytest.fixture(scope="module")
def labels() -> pd.DataFrame:
    return pd.read_csv(DATA / "legacy_labels.csv", index_col="customer_id")


@pytest.mark.parametrize("algorithm", LEGACY, ids=[f"legacy-{a}" for a in LEGACY])
def test_a_model_written_before_the_package_scores_as_it_did(customers, labels, algorithm):
    segmenter, metadata = load_segmenter(DATA / f"legacy_{algorithm}.skops")
    assert segmenter.algorithm_ == algorithm
    assert metadata["features"] == list(customers.columns)
    assert metadata["segment_names"][0] == "Segment 0"
    assert segmenter.predict(customers).tolist() == labels[algorithm].tolist()
    # the training table's own dtypes (an ordered Categorical) give the same segments
    typed = customers.assign(satisfaction=pd.Categorical(customers["satisfaction"], categories=SATISFACTION,
                                                         ordered=True))
    assert segmenter.predict(typed).tolist() == labels[algorithm].tolist()
    assert segmenter.labels_.tolist() == labels[algorithm].tolist()
