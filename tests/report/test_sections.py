"""segkit.report.sections: what each report section shows, read from the run's profile."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from segkit.config import load_config
from segkit.profile import profile_segments
from segkit.report import sections


@pytest.fixture
def run():
    """A finished run in miniature: features, bases, labels, profile and CLV."""
    idx = pd.Index([f"c{i:03d}" for i in range(60)], name="customer_id")
    frame = pd.DataFrame({
        "age": np.r_[np.full(30, 30.0), np.full(30, 55.0)],
        "country": ["FR"] * 20 + ["DE"] * 40,
        "email": [f"u{i}@example.com" for i in range(60)],
        "note": [f"free text {i}" for i in range(60)],
        "visits": np.resize([1.0, 2.0, 3.0], 60),
        "member": [True, False] * 30,
    }, index=idx)
    bases = {"age": "demographic", "country": "geographic", "email": "demographic", "note": "behavioural",
             "visits": "behavioural", "member": "behavioural"}
    labels = pd.Series([0] * 30 + [1] * 25 + [2] * 5, index=idx, name="segment")
    clv = pd.DataFrame({"clv": np.r_[np.full(30, 100.0), np.full(12, 40.0), [np.nan] * 18],
                        "p_alive": 0.5}, index=idx)
    return SimpleNamespace(features=SimpleNamespace(frame=frame, bases=bases), labels=labels, clv=clv,
                           profile_=profile_segments(frame, labels, bases=bases, min_cell_size=10),
                           config=load_config(None))


def test_sections_cover_profiled_columns_only(run):
    assert sections.columns_of(run, "demographic", "geographic") == ["age", "country"]  # no e-mail address
    assert sections.columns_of(run, "behavioural") == ["visits", "member"]  # free text is not profiled


def test_yes_no_columns_are_drawn_as_breakdowns(run):
    assert sections.split_numeric(run, ["visits", "member", "age"]) == (["visits", "age"], ["member"])
    assert "member" in set(run.profile_.breakdowns["feature"])


def test_most_distinguishing_first_and_ties_in_order(run):
    assert sections.most_distinguishing(run, ["visits", "age"], 2) == ["age", "visits"]
    assert sections.most_distinguishing(run, ["unknown", "other"], 1) == ["unknown"]


def test_hidden_segments_of_profiled_and_of_lifetime_value_columns(run):
    assert sections.hidden_segments(run, "age") == [2]  # 5 customers
    assert sections.hidden_segments(run, "clv") == []  # 30 and 12 known values; segment 2 has none
    run.config["privacy"]["min_cell_size"] = 13
    assert sections.hidden_segments(run, "clv") == [1]


def test_embedding_gives_a_one_feature_segmentation_a_second_axis():
    class Identity:
        def transform(self, X):
            return X.to_numpy()

    run = SimpleNamespace(segmenter=SimpleNamespace(preprocessor_=Identity()), X=pd.DataFrame({"a": [1.0, 2.0]}))
    assert sections.embedding(run).tolist() == [[1.0, 0.0], [2.0, 0.0]]


def test_value_table_blanks_a_suppressed_segment(run):
    run.names = pd.DataFrame({"name": ["Young", "Older", "Few"]}, index=[0, 1, 2])
    table = sections.value_table(run)
    assert table.loc[0, "predicted CLV per customer"] == 100.0
    assert table.loc[2, ["customers", "predicted CLV (total)"]].isna().all() and table.loc[2, "name"] == "Few"
