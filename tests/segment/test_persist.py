"""segkit.segment.persist: a model saved as skops loads and predicts as it was saved, holds no customer id,
refuses foreign or broken files; model files written before the segment package still load and score
identically."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ModelError
from segkit.segment import TRUSTED_TYPES, Segmenter, load_segmenter, save_segmenter
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


@pytest.mark.parametrize("algorithm", ["kmeans", "gmm", "hdbscan", "kprototypes"])
def test_save_load_round_trip(tmp_path, marketing, algorithm):
    data = marketing.iloc[:400]
    if algorithm != "kprototypes":
        data = data.drop(columns=["Education", "Marital_Status"])
    seg = Segmenter(algorithm=algorithm, k_max=4, n_bootstrap=2).fit(data)
    metadata = {"segment_names": {0: "Wine lovers", 1: "Thrifty"}, "features": list(data.columns)}
    path = save_segmenter(seg, tmp_path / "model.skops", metadata=metadata)
    import skops.io as sio

    assert set(sio.get_untrusted_types(file=path)) <= TRUSTED_TYPES
    loaded, meta = load_segmenter(path)
    assert meta == metadata
    assert loaded.predict(data).tobytes() == seg.predict(data).tobytes()
    assert loaded.get_params() == seg.get_params()
    pd.testing.assert_frame_equal(loaded.k_selection_, seg.k_selection_, check_dtype=False)
    assert loaded.stability_ == seg.stability_ and loaded.structure_ == seg.structure_


def test_the_model_file_holds_no_customer_id(tmp_path, marketing):
    """A model is shared for scoring: it describes segments, not people (ids stay in segments.csv)."""
    import zipfile

    data = marketing.iloc[:300].drop(columns=["Education", "Marital_Status"])
    data.index = pd.Index([f"member-{i:05d}" for i in range(len(data))], name="customer_id")
    seg = Segmenter(k_max=3, n_bootstrap=2).fit(data)
    path = save_segmenter(seg, tmp_path / "model.skops")
    with zipfile.ZipFile(path) as archive:
        content = b"".join(archive.read(name) for name in archive.namelist())
    assert b"member-0" not in content
    loaded, _ = load_segmenter(path)
    assert loaded.segments_.tolist() == seg.segments_.tolist()
    assert loaded.predict(data).tobytes() == seg.predict(data).tobytes()


def test_load_refuses_foreign_and_corrupted_files(tmp_path):
    import skops.io as sio
    from sklearn.linear_model import LinearRegression

    junk = tmp_path / "junk.skops"
    junk.write_bytes(b"not a zip file at all")
    with pytest.raises(ModelError, match="junk.skops"):
        load_segmenter(junk)
    other = tmp_path / "other.skops"
    sio.dump(LinearRegression(), other)
    with pytest.raises(ModelError, match="other.skops"):
        load_segmenter(other)
    plain = tmp_path / "plain.skops"
    sio.dump({"format": "something else"}, plain)
    with pytest.raises(ModelError, match="plain.skops: not a segkit model"):
        load_segmenter(plain)
    with pytest.raises(ModelError, match="missing.skops"):
        load_segmenter(tmp_path / "missing.skops")


# ---------------------------------------------------------------- the content digest

def _fitted(tmp_path):
    from segkit.segment import Segmenter, save_segmenter

    X = np.r_[np.zeros((20, 2)), np.ones((20, 2)) * 5] + np.arange(40)[:, None] % 3 * 0.1
    return save_segmenter(Segmenter(n_segments=2, n_bootstrap=0).fit(X), tmp_path / "model.skops")


def _rewrite(path, change) -> None:
    """Rewrite the zip of a model file with ``change(name, data)`` applied to each member."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, change(name, data))


def _reverse_first_array(name, data):
    return data[:-16] + data[-16:][::-1] if name.endswith(".npy") and len(data) > 200 else data


def _edit_the_schema(name, data):
    return data.replace(b'"is_json": true', b'"is_json":  true', 1) if name == "schema.json" else data


CHANGES = {"array-bytes-reversed": _reverse_first_array, "schema-edited": _edit_the_schema}


@pytest.mark.parametrize("change", list(CHANGES.values()), ids=list(CHANGES))
def test_a_model_file_changed_after_it_was_written_is_refused_in_one_line(tmp_path, change):
    from segkit.exceptions import ModelError

    path = _fitted(tmp_path)
    load_segmenter(path)  # as written, it loads
    _rewrite(path, change)
    with pytest.raises(ModelError, match="changed after segkit wrote it") as err:
        load_segmenter(path)
    assert "\n" not in str(err.value)


def test_a_model_file_cut_short_is_refused(tmp_path):
    from segkit.exceptions import ModelError

    path = _fitted(tmp_path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ModelError):
        load_segmenter(path)
