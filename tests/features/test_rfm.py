"""segkit.features.rfm: RFM quintile scores with ties broken by customer id, and the named RFM
segments as a rule table."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.exceptions import ColumnError, ConfigError
from segkit.features import DEFAULT_RFM_SEGMENTS, rfm_scores
from segkit.features.rfm import quantile_scores


@pytest.fixture
def one_purchase_features() -> pd.DataFrame:
    """Ten customers, seven of whom bought once: a value qcut of frequency would fail."""
    ids = [f"c{i:02d}" for i in range(10)]
    return pd.DataFrame(
        {
            "recency_days": [5, 5, 5, 40, 40, 90, 90, 200, 300, 365],
            "frequency": [1, 1, 1, 1, 1, 1, 1, 2, 3, 9],
            "monetary": [10.0, 20, 30, 40, 50, 60, 70, 80, 90, 100],
        },
        index=pd.Index(ids, name="customer_id"),
    )


def test_rfm_quintiles_with_ties(one_purchase_features):
    scores = rfm_scores(one_purchase_features)
    # Ties broken by customer id: c00..c06 bought once, so c00,c01 -> 1, c02,c03 -> 2, ...
    assert scores["f_score"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # Recency reversed: the most recent get 5; within a tie the later id ranks higher.
    assert scores["r_score"].tolist() == [4, 5, 5, 3, 4, 2, 3, 2, 1, 1]
    assert scores["m_score"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert scores["r_score"].dtype == "Int8" and scores["rfm_segment"].dtype == "string"
    assert scores["rfm_segment"].tolist() == [
        "Promising", "New Customers", "Potential Loyalist", "About To Sleep", "Potential Loyalist",
        "At Risk", "Loyal Customers", "At Risk", "Can't Lose Them", "Can't Lose Them",
    ]


def test_rfm_scores_do_not_depend_on_row_order(one_purchase_features):
    shuffled = one_purchase_features.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(rfm_scores(shuffled).sort_index(), rfm_scores(one_purchase_features))


def test_default_segments_cover_every_score_pair():
    grid = pd.DataFrame(
        [(r, f) for r in range(1, 6) for f in range(1, 6)], columns=["recency_days", "frequency"]
    )
    table = DEFAULT_RFM_SEGMENTS
    for r, f in grid.itertuples(index=False):
        hits = table[(table.r_min <= r) & (table.r_max >= r) & (table.f_min <= f) & (table.f_max >= f)]
        assert len(hits) >= 1, (r, f)
    assert set(table["segment"]) >= {"Champions", "Loyal Customers", "At Risk", "Can't Lose Them", "Hibernating", "Lost"}
    assert len(table) == 11


def test_rfm_custom_segments_first_match_and_other(one_purchase_features):
    rules = [
        {"segment": "Big spenders", "r_min": 1, "r_max": 5, "f_min": 1, "f_max": 5, "m_min": 5, "m_max": 5},
        {"segment": "Recent", "r_min": 4, "r_max": 5, "f_min": 1, "f_max": 5},
        {"segment": "Never reached", "r_min": 1, "r_max": 5, "f_min": 1, "f_max": 5, "m_min": 5, "m_max": 5},
    ]
    seg = rfm_scores(one_purchase_features, segments=rules)["rfm_segment"]
    assert seg.value_counts().to_dict() == {"Other": 4, "Recent": 4, "Big spenders": 2}
    with pytest.raises(ConfigError, match="outside 1..5"):
        rfm_scores(one_purchase_features, segments=[{"segment": "x", "r_min": 0, "r_max": 6}])
    with pytest.raises(ColumnError, match="monetary"):
        rfm_scores(one_purchase_features.drop(columns="monetary"))


def test_quantile_scores_missing_values():
    s = pd.Series([3.0, np.nan, 1.0, 2.0, 5.0, 4.0], index=list("abcdef"))
    assert quantile_scores(s).tolist() == [3, pd.NA, 1, 2, 5, 4]


_IDS = st.one_of(st.integers(-50, 10_000), st.text(alphabet="aAz09é_- ", min_size=1, max_size=4))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_IDS.map(str), st.one_of(st.none(), st.integers(0, 4).map(float), st.floats(-1e3, 1e3)),
                       max_size=40),
       st.integers(1, 6), st.booleans(), st.sampled_from(["string", "object", "int"]))
def test_quantile_scores_rank_by_value_then_id_as_text(cells, bins, ascending, index_kind):
    """Scores follow the ranks by value then by the id read as text, for ids of any type: each
    n-th of the ranked customers gets the next score (the plain definition, by Python's sort)."""
    ids = list(cells)
    index = pd.Index(ids, dtype="string" if index_kind == "string" else object)
    if index_kind == "int":
        ids = [i for i in ids if re.fullmatch(r"-?[0-9]+", i) and str(int(i)) == i]  # ids an integer writes back
        index = pd.Index([int(i) for i in ids], dtype="int64")
    values = pd.Series([cells[i] for i in ids], index=index, dtype="float64")
    ranked = sorted((v if ascending else -v, str(i), pos) for pos, (i, v) in enumerate(zip(index, values))
                    if not np.isnan(v))
    expected = [pd.NA] * len(values)
    for rank, (_, _, pos) in enumerate(ranked):
        expected[pos] = 1 + rank * bins // len(ranked)
    assert quantile_scores(values, bins=bins, ascending=ascending).tolist() == expected
