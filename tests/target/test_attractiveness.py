"""segkit.target.attractiveness: segments scored on size, value, response and growth, with weights
redistributed over what is known and suppressed segments left unranked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ColumnError, ConfigError
from segkit.target import attractiveness, targeting_table


def test_attractiveness_scores_and_redistribution():
    seg = pd.DataFrame({"segment": [0, 1, 2], "size": [100, 300, 200], "revenue": [50.0, 10.0, 30.0],
                        "response_rate": [0.2, 0.05, 0.1]})
    r = attractiveness(seg, value_col="revenue", response_col="response_rate", scaling="minmax")
    assert r.index.tolist() == [0, 2, 1] and r["rank"].tolist() == [1, 2, 3]
    assert r.loc[2, "size_scaled"] == 0.5 and r.loc[2, "value_scaled"] == 0.5
    assert r.loc[2, "response_scaled"] == pytest.approx(1 / 3)
    assert r["score"].tolist() == pytest.approx([2 / 3, (0.5 + 0.5 + 1 / 3) / 3, 1 / 3])
    assert r.attrs["weights"] == pytest.approx({"size": 1 / 3, "value": 1 / 3, "response": 1 / 3})
    assert "growth" in r.attrs["note"] and "redistributed" in r.attrs["note"]
    assert np.allclose(r[["size_points", "value_points", "response_points"]].sum(axis=1), r["score"])


def test_attractiveness_weights_growth_and_rank_scaling():
    seg = pd.DataFrame({"size": [100, 300, 200], "clv": [50.0, 10.0, 30.0], "resp": [0.2, 0.05, 0.1],
                        "growth": [-0.1, 0.3, 0.0]}, index=pd.Index([0, 1, 2], name="segment"))
    r = attractiveness(seg, value_col="clv", response_col="resp", growth_col="growth",
                       weights={"size": 0, "value": 0, "response": 0, "growth": 1})
    assert r.index.tolist() == [1, 2, 0]
    assert r.attrs["note"] == ""
    ranked = attractiveness(seg, value_col="clv", scaling="rank", weights={"size": 1, "value": 3})
    assert ranked.attrs["weights"] == {"size": 0.25, "value": 0.75}
    assert ranked.loc[0, "value_scaled"] == 1.0 and ranked.loc[1, "value_scaled"] == 0.0
    with pytest.raises(ConfigError, match="unknown"):
        attractiveness(seg, weights={"loyalty": 1})
    size_only = attractiveness(seg, value_col=None, response_col=None)
    assert size_only.index.tolist() == [1, 2, 0] and size_only.attrs["weights"] == {"size": 1.0}
    with pytest.raises(ColumnError, match="nope"):
        attractiveness(seg, value_col="nope")


def test_attractiveness_scales_by_the_best_segment_by_default():
    """Nearly equal sizes get nearly equal points; min-max would give the smaller one none."""
    seg = pd.DataFrame({"size": [1133, 1107], "revenue_per_customer": [1200.0, 150.0],
                        "response_rate": [0.198, 0.099]}, index=pd.Index([0, 1], name="segment"))
    r = attractiveness(seg)
    assert r.loc[1, "size_scaled"] == pytest.approx(1107 / 1133)
    assert r.loc[1, "value_scaled"] == pytest.approx(0.125) and r.loc[1, "response_scaled"] == pytest.approx(0.5)
    assert r.attrs["scaling"] == "max"
    stretched = attractiveness(seg, scaling="minmax")
    assert stretched.loc[1, ["size_scaled", "value_scaled", "response_scaled"]].tolist() == [0.0, 0.0, 0.0]
    # growth can be negative: no natural zero, so it is scaled min to max
    grown = attractiveness(seg.assign(growth=[-0.1, 0.1]), growth_col="growth")
    assert grown.loc[0, "growth_scaled"] == 0.0 and grown.loc[1, "growth_scaled"] == 1.0
    with pytest.raises(ConfigError, match=r"one of \['max', 'minmax', 'rank'\]"):
        attractiveness(seg, scaling="log")


def test_attractiveness_leaves_suppressed_segments_unranked_and_off_the_scale():
    """Segment 3 is suppressed: its figures (even if a caller passes them) neither show nor set the scale."""
    seg = pd.DataFrame({"size": [100, 300, 200, 4], "revenue": [50.0, 10.0, 30.0, 900.0],
                        "suppressed": [False, False, False, True]}, index=pd.Index([0, 1, 2, 3], name="segment"))
    r = attractiveness(seg, value_col="revenue", response_col=None, weights={"size": 1, "value": 2},
                       scaling="minmax")
    assert r.index.tolist() == [0, 2, 1, 3] and r["rank"].tolist()[:3] == [1, 2, 3]
    assert r.loc[0, "value_scaled"] == 1.0 and r.loc[2, "value_scaled"] == 0.5  # 900 is not the maximum
    assert r.loc[1, "size_scaled"] == 1.0 and r.loc[0, "size_scaled"] == 0.0  # 4 is not the minimum
    assert r.loc[3, ["size", "value", "size_scaled", "value_points", "score"]].isna().all()
    assert pd.isna(r.loc[3, "rank"]) and r.loc[3, "unranked_reason"] == "too small to judge: figures suppressed"
    # suppressed only in targeting (too few known responses): unranked for that reason
    targeting = pd.DataFrame({"segment": [0, 1, 2, 3], "response_rate": [0.2, 0.1, np.nan, np.nan],
                              "suppressed": [False, False, True, True]})
    r2 = attractiveness(seg, targeting=targeting, value_col="revenue")
    assert r2.index.tolist() == [0, 1, 2, 3] and pd.isna(r2.loc[2, "rank"])
    assert r2.loc[2, "unranked_reason"] == "too few customers with a campaign response to judge"
    assert r2.loc[3, "unranked_reason"] == "too small to judge: figures suppressed"


def test_attractiveness_from_profile_summary_and_targeting(campaign):
    """The planted best-responding segment ranks first when size and value are level."""
    labels, response = campaign
    targeting = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11)
    summary = pd.DataFrame({"size": [100, 100, 100, np.nan], "revenue_per_customer": [20.0, 20.0, 20.0, np.nan],
                            "suppressed": [False, False, False, True]},
                           index=pd.Index([0, 1, 2, 3], name="segment"))
    r = attractiveness(summary, targeting=targeting, weights={"size": 1.0, "value": 1.0, "response": 1.0,
                                                              "growth": 1.0})
    assert r.index.tolist() == [2, 0, 1, 3]  # 40% > 27% > 10%; the suppressed segment has no score
    assert np.isnan(r.loc[3, "score"]) and pd.isna(r.loc[3, "rank"])
    assert r["unranked_reason"].tolist() == ["", "", "", "too small to judge: figures suppressed"]
    assert set(r.attrs["weights"]) == {"size", "value", "response"}
    assert "growth" in r.attrs["note"]
