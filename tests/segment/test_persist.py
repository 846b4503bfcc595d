"""Model files written before the segment package still load and score identically."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import segkit.features.customers as customers
from segkit import io as sio
from segkit.segment import TRUSTED_TYPES, load_segmenter, save_segmenter
from tests.shapes import AGREE_7

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


@pytest.mark.parametrize("algorithm", LEGACY, ids=[f"legacy-{a}" for a in LEGACY])
def test_a_legacy_model_takes_todays_shape_and_saves_again(tmp_path, customers, labels, algorithm):
    import skops.io as sio
    from sklearn.pipeline import Pipeline

    from segkit.segment import TRUSTED_TYPES, save_segmenter

    segmenter, metadata = load_segmenter(DATA / f"legacy_{algorithm}.skops")
    assert isinstance(segmenter.preprocessor_, Pipeline)
    assert list(segmenter.preprocessor_.named_steps) == ["coerce", "prepare"]
    assert (segmenter.model_ is None) == (algorithm == "kprototypes")
    assert not {"_coerce_", "mixture_", "neighbors_", "_raw_columns_"} & set(vars(segmenter))
    path = save_segmenter(segmenter, tmp_path / "model.skops", metadata=metadata)
    assert set(sio.get_untrusted_types(file=path)) <= TRUSTED_TYPES
    again, meta = load_segmenter(path)
    assert meta == metadata
    assert again.predict(customers).tolist() == labels[algorithm].tolist()


def test_relabelling_a_legacy_model_renumbers_what_it_predicts(customers, labels):
    segmenter, _ = load_segmenter(DATA / "legacy_hdbscan.skops")
    k = segmenter.n_segments_
    perm = np.roll(np.arange(k), 1)
    assert segmenter.relabel(perm).predict(customers).tolist() == perm[labels["hdbscan"].to_numpy()].tolist()


def test_a_file_from_a_newer_segkit_is_refused_by_its_version(tmp_path):
    import skops.io as sio

    from segkit.exceptions import ModelError

    sio.dump({"format": "segkit-segmenter", "format_version": 3}, tmp_path / "future.skops")
    with pytest.raises(ModelError, match=r"future.skops: model format version 3; this segkit reads 1 and 2"):
        load_segmenter(tmp_path / "future.skops")


def test_save_and_load_keep_the_levels(likert_fit, tmp_path):
    import skops.io as sio_

    X, seg = likert_fit
    path = save_segmenter(seg, tmp_path / "model.skops")
    assert set(sio_.get_untrusted_types(file=path)) <= TRUSTED_TYPES
    loaded, _ = load_segmenter(path)
    assert loaded.ordinal_features_ == seg.ordinal_features_ == {f"q{j}": AGREE_7 for j in range(3)}
    X.to_csv(tmp_path / "new.csv", index=False)
    np.testing.assert_array_equal(loaded.predict(pd.read_csv(tmp_path / "new.csv")), seg.predict(X))
