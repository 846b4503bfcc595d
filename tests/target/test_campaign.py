"""Tests for segkit.target.campaign: targeting tables and target lists; what the split into modules
must keep (warnings at the caller's line, the order of the checks); responses written as words."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.exceptions import ConfigError, DataError, SegkitWarning
from segkit.pipeline import Analysis
from segkit.target import ab_plan, campaign_economics, target_lists, wilson_interval
from segkit.target.campaign import targeting_table
from tests.shapes import crm_export, customer_index, two_segments


def _warnings_of(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [w for w in caught if issubclass(w.category, SegkitWarning)]


def test_targeting_warnings_point_at_the_line_that_asked_for_the_table():
    labels = pd.Series([0] * 20 + [1] * 20, index=[f"c{i}" for i in range(40)], name="segment")
    response = pd.Series([1, 0, None, 1] * 9, index=[f"c{i}" for i in range(36)], dtype="Float64")
    table, caught = _warnings_of(lambda: targeting_table(labels, response, cost_per_contact=1,
                                                         revenue_per_response=5, min_cell_size=1))
    messages = [str(w.message) for w in caught]
    assert messages == ["4 labelled customers have no response and are left out of the response rates",
                        "9 customers without a response are left out of the response rates"]
    assert {w.filename for w in caught} == {__file__}
    assert table.attrs["without_response"] == 9
    assert table["customers"].tolist() == [20, 20]  # the whole segments, not only those who answered


def test_economics_are_checked_before_the_responses():
    with pytest.raises(ConfigError, match="targeting_table needs cost_per_contact and revenue_per_response"):
        targeting_table("not a series", "nor this", cost_per_contact=None, revenue_per_response=5)
    with pytest.raises(DataError, match="labels and response must be pandas Series"):
        targeting_table([0, 1], [1, 0], cost_per_contact=1, revenue_per_response=5)


def test_responses_written_yes_no_y_n_true_false_with_gaps():
    labels = two_segments(40)
    answers = ["Yes", " no", None, "", "Y", "n", "TRUE", "false"] * 5
    with pytest.warns(SegkitWarning, match="10 customers without a response are left out"):
        t = targeting_table(labels, pd.Series(answers, index=labels.index, name="Responded"),
                            cost_per_contact=3, revenue_per_response=11, min_cell_size=2)
    # segment 0 holds answers 0-19: twice the 8 (3 yes, 3 no, 2 blank), then Yes, no and two blanks
    assert t["size"].tolist() == [14, 16] and t["responders"].tolist() == [7, 8]
    assert t["response_rate"].tolist() == [0.5, 0.5]
    assert t["expected_profit_per_contact"].tolist() == [0.5 * 11 - 3] * 2
    assert t.attrs["without_response"] == 10


def test_target_lists_exports_chosen_segments_whatever_their_action():
    import warnings

    from segkit.exceptions import SegkitWarning
    from segkit.target import target_lists

    labels = pd.Series([0, 0, 1, 2], index=pd.Index(list("abcd"), name="customer_id"), name="segment")
    targeting = pd.DataFrame({"segment": [0, 1, 2], "name": ["A", "B", "C"], "action": ["do not contact"] * 3})
    assert target_lists(labels, targeting, segments=[2])["customer_id"].tolist() == ["d"]
    assert target_lists(labels, targeting, segments=1, actions="do not contact")["customer_id"].tolist() == ["c"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        empty = target_lists(labels, targeting)
    assert empty.empty and "no segment has the action 'target'" in str(caught[0].message)
    assert issubclass(caught[0].category, SegkitWarning) and caught[0].filename == __file__
    with pytest.raises(ConfigError, match=r"`segments` must be among .*\[0, 1, 2\], but \[7\]"):
        target_lists(labels, targeting, segments=[7])


def test_a_campaign_column_without_any_answer_names_the_file_and_column(tmp_path):
    table = crm_export(20).assign(Responded=np.nan)
    table.to_csv(tmp_path / "spring.csv", index=False)
    run = Analysis({"data": {"customers": str(tmp_path / "spring.csv")}, "campaign": {"response": "Responded"},
                    "segmentation": {"n_segments": 3, "n_bootstrap": 0}}, verbose=False)
    with pytest.raises(DataError, match=r"spring\.csv: column 'Responded' has no response for any of the 60"):
        run.target()


def test_targeting_table_exact_numbers(campaign):
    labels, response = campaign
    names = pd.DataFrame({"name": ["Keen", "Maybe", "Cold", "Tiny"]}, index=[2, 0, 1, 3])
    t = targeting_table(labels, response, names=names, cost_per_contact=3, revenue_per_response=11,
                        min_cell_size=10)
    assert list(t.columns) == ["segment", "name", "customers", "size", "responders", "response_rate", "rate_low",
                               "rate_high", "expected_profit_per_contact", "expected_total_profit",
                               "break_even_rate", "action", "suppressed", "suppressed_reason"]
    assert t["segment"].tolist() == [0, 1, 2, 3]
    assert t["name"].tolist() == ["Maybe", "Cold", "Keen", "Tiny"]
    shown = t[~t["suppressed"]]
    assert shown["response_rate"].tolist() == [0.27, 0.10, 0.40]
    # Expected profit is exactly rate * revenue - cost, for every segment.
    assert (shown["expected_profit_per_contact"] == shown["response_rate"] * 11 - 3).all()
    assert (shown["expected_total_profit"] == shown["expected_profit_per_contact"] * shown["size"]).all()
    assert shown["expected_profit_per_contact"].round(10).tolist() == [-0.03, -1.9, 1.4]
    assert (t["break_even_rate"] == 3 / 11).all()
    low, high = wilson_interval([27, 10, 40], [100, 100, 100])
    assert np.allclose(shown["rate_low"], low) and np.allclose(shown["rate_high"], high)
    assert t["action"].tolist() == ["test first", "do not contact", "target", "too small to judge"]
    tiny = t.iloc[3]
    assert tiny["suppressed"] and np.isnan(tiny["size"]) and np.isnan(tiny["response_rate"])


def test_tiny_segment_is_too_small_to_judge(tmp_path):
    """4 customers who all responded: the interval (51%-100%) clears break-even, but 4 < 10.

    The row stays (targeting.csv has one row per segment), named, with the action "too
    small to judge" and no figure describing the 4 customers.
    """
    ids = customer_index(104)
    labels = pd.Series([0] * 100 + [1] * 4, index=ids, name="segment")
    response = pd.Series([1] * 30 + [0] * 70 + [1] * 4, index=ids)
    assert wilson_interval(4, 4)[0] > 3 / 11  # what the rule alone would call "target"
    t = targeting_table(labels, response, names={0: "Regulars", 1: "Small segment 1"}, cost_per_contact=3,
                        revenue_per_response=11, min_cell_size=10)
    tiny = t.set_index("segment").loc[1]
    assert tiny["action"] == "too small to judge" and tiny["name"] == "Small segment 1" and tiny["suppressed"]
    revealing = ["customers", "size", "responders", "response_rate", "rate_low", "rate_high", "expected_profit_per_contact",
                 "expected_total_profit"]
    assert tiny[revealing].isna().all()
    assert tiny["break_even_rate"] == 3 / 11  # the same for every segment: says nothing about these 4
    assert t.set_index("segment").loc[0, "action"] == "test first"
    t.to_csv(tmp_path / "targeting.csv", index=False)
    written = pd.read_csv(tmp_path / "targeting.csv")
    assert len(written) == labels.nunique()  # what check_report.py requires
    assert written["action"].tolist() == ["test first", "too small to judge"]
    assert written.loc[1, revealing].isna().all()
    assert target_lists(labels, t, actions=("target", "test first"))["segment"].unique().tolist() == [0]


def test_targeting_table_inputs(campaign):
    labels, response = campaign
    with_missing = response.astype("Float64")
    with_missing.iloc[0] = pd.NA
    with pytest.warns(SegkitWarning, match="without a response"):
        t = targeting_table(labels, with_missing, cost_per_contact=3, revenue_per_response=11, min_cell_size=0)
    assert t.loc[t["segment"] == 2, "size"].item() == 99
    assert t["name"].tolist() == ["Segment 0", "Segment 1", "Segment 2", "Segment 3"]
    bad = response.astype(object)
    bad.iloc[3] = "maybe"
    with pytest.raises(DataError, match="row 4"):
        targeting_table(labels, bad, cost_per_contact=3, revenue_per_response=11)
    with pytest.raises(ConfigError):
        targeting_table(labels, response, cost_per_contact=3, revenue_per_response=0)


def test_target_lists(campaign):
    labels, response = campaign
    t = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11)
    lists = target_lists(labels, t, actions=("target", "test first"))
    # segment 3 is suppressed ("too small to judge"): not a test-first segment
    assert sorted(lists["segment"].unique().tolist()) == [0, 2]
    assert list(lists.columns) == ["customer_id", "segment", "segment_name", "action"]
    assert len(lists) == 200
    assert len(target_lists(labels, t, actions=("too small to judge",))) == 5  # only when asked for by name
    with pytest.raises(ConfigError):
        target_lists(labels, t, actions=("call",))


def test_targeting_on_marketing_campaign(shared_data):
    """Income quartiles and past-acceptance groups on the iFood data (Response, cost 3, revenue 11).

    Break-even is 3/11 = 27.3%. Only the top income quartile (26.9%, interval 23.4-30.7%)
    comes near it, so it is 'test first' and the rest 'do not contact'. Customers who
    accepted 2+ earlier campaigns respond at 63% -> 'target'.
    """
    df = pd.read_csv(shared_data / "marketing_campaign" / "marketing_campaign.csv", sep="\t")
    df = df.set_index(df["ID"].astype(str).rename("customer_id"))
    economics = campaign_economics(df)
    assert economics[:2] == (3.0, 11.0)
    income = df["Income"].dropna()
    quartile = pd.qcut(income, 4, labels=False).astype("int64").rename("segment")
    t = targeting_table(quartile, df["Response"], cost_per_contact=3, revenue_per_response=11)
    assert t["size"].tolist() == [554, 554, 554, 554]
    assert t["response_rate"].idxmax() == 3
    assert t["action"].tolist() == ["do not contact", "do not contact", "do not contact", "test first"]
    assert (t["expected_profit_per_contact"] == t["response_rate"] * 11 - 3).all()
    assert round(t.loc[3, "response_rate"], 4) == 0.2690

    accepted = df[[f"AcceptedCmp{i}" for i in range(1, 6)]].sum(axis=1).clip(upper=2).rename("segment")
    t2 = targeting_table(accepted, df["Response"], cost_per_contact=3, revenue_per_response=11)
    assert t2["action"].tolist() == ["do not contact", "test first", "target"]
    assert t2["response_rate"].is_monotonic_increasing


def test_total_profit_is_for_the_whole_segment_when_responses_are_missing():
    """Segment 0: 100 customers, 50 answers (20 yes) and 50 blanks; segment 1: 100 answers (10 yes).

    The rate and the profit per contact come from the answers; the total is for contacting
    all 100 customers of each segment: 100 * (0.4 * 11 - 3) = 140, not 50 * 1.4 = 70.
    """
    ids = customer_index(200)
    labels = pd.Series([0] * 100 + [1] * 100, index=ids, name="segment")
    response = pd.Series([1.0] * 20 + [0.0] * 30 + [np.nan] * 50 + [1.0] * 10 + [0.0] * 90, index=ids)
    with pytest.warns(SegkitWarning, match="50 customers without a response are left out"):
        t = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11, min_cell_size=10)
    assert t["response_rate"].tolist() == [0.4, 0.1]
    assert t["expected_profit_per_contact"].round(10).tolist() == [1.4, -1.9]
    assert t["expected_total_profit"].round(10).tolist() == [140.0, -190.0]
    assert t["customers"].tolist() == [100, 100] and t["size"].tolist() == [50, 100]
    assert (t["expected_total_profit"] == t["expected_profit_per_contact"] * t["customers"]).all()
    assert t.attrs["without_response"] == 50


def test_total_profit_counts_segment_customers_absent_from_the_response_table():
    """A campaign sent to a sample: 120 of segment 0's 200 customers have a row, 30 of them yes."""
    ids = customer_index(300)
    labels = pd.Series([0] * 200 + [1] * 100, index=ids, name="segment")
    answered = ids[80:]
    response = pd.Series([1] * 30 + [0] * 90 + [1] * 50 + [0] * 50, index=answered)
    with pytest.warns(SegkitWarning, match="80 labelled customers have no response"):
        t = targeting_table(labels, response, cost_per_contact=2, revenue_per_response=10, min_cell_size=10)
    assert t["response_rate"].tolist() == [0.25, 0.5]
    # 200 * (0.25 * 10 - 2) = 100 and 100 * (0.5 * 10 - 2) = 300
    assert t["expected_total_profit"].round(10).tolist() == [100.0, 300.0]
    assert t["customers"].tolist() == [200, 100] and t["size"].tolist() == [120, 100]


def test_a_segment_without_any_response_keeps_its_row(campaign):
    """Segment 4 (20 customers) has no answer at all: a row "too small to judge", and an A/B plan row."""
    labels, response = campaign
    extra = customer_index(20, prefix="x")
    labels = pd.concat([labels, pd.Series(4, index=extra, name="segment")])
    response = pd.concat([response, pd.Series(np.nan, index=extra)])
    with pytest.warns(SegkitWarning, match="20 customers without a response"):
        t = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11, min_cell_size=10)
    assert t["segment"].tolist() == [0, 1, 2, 3, 4]
    plan = ab_plan(labels, baseline_rates=t.set_index("segment")["response_rate"], mde=0.05)
    assert plan.set_index("segment").loc[4, "note"] == "too small to judge"
    last = t.set_index("segment").loc[4]
    assert last["action"] == "too small to judge" and last["suppressed"]
    assert last[["customers", "size", "responders", "response_rate", "expected_total_profit"]].isna().all()


# ---------------------------------------------------------------- small cells: responders too

@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), min_size=1, max_size=6),
       st.integers(0, 15))
def test_no_responder_or_non_responder_count_under_min_cell_size_is_shown(cells, min_cell_size):
    """Segments of any size with any number of responders: a row that shows its response
    figures counts at least min_cell_size responders and non-responders (or none of one)."""
    labels, response = [], []
    for segment, (yes, no) in enumerate(cells):
        labels += [segment] * (yes + no)
        response += [1] * yes + [0] * no
    if not labels:
        return
    index = pd.Index([f"c{i}" for i in range(len(labels))], name="customer_id")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = targeting_table(pd.Series(labels, index=index, name="segment"), pd.Series(response, index=index),
                                cost_per_contact=3, revenue_per_response=11, min_cell_size=min_cell_size)
    shown = table[table["responders"].notna()]
    for count in (shown["responders"], shown["size"] - shown["responders"]):
        assert not count.between(1, min_cell_size - 1).any()
    hidden = table[table["suppressed"]]
    assert hidden[["responders", "response_rate", "rate_low", "rate_high"]].isna().all().all()
    assert (hidden["suppressed_reason"].str.len() > 0).all()
    assert (table.loc[~table["suppressed"], "suppressed_reason"] == "").all()


def test_a_large_segment_with_few_responders_keeps_its_size_and_action():
    labels = pd.Series([0] * 400 + [1] * 100, name="segment")
    response = pd.Series([1] * 3 + [0] * 397 + [1] * 40 + [0] * 60)
    table = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11, min_cell_size=10)
    few = table.iloc[0]
    assert few["size"] == 400 and few["customers"] == 400 and few["action"] == "do not contact"
    assert pd.isna(few["responders"]) and few["suppressed_reason"] == "fewer than 10 responders"
    assert table.iloc[1]["responders"] == 40 and not table.iloc[1]["suppressed"]


# ----------------------------------------------------------------------------- survey weights

def _weighted_campaign(n: int, seed: int):
    """Generated respondents: segments, 0/1 answers to a campaign, whole-number weights 1-4."""
    rng = np.random.default_rng(seed)
    index = pd.Index([f"r{i:04d}" for i in range(n)], name="customer_id")
    labels = pd.Series(rng.integers(0, 3, n), index=index, name="segment")
    response = pd.Series((rng.random(n) < 0.2 + 0.2 * labels.to_numpy()).astype(int), index=index, name="Response")
    weights = pd.Series(rng.integers(1, 5, n).astype(float), index=index)
    return labels, response, weights


@pytest.mark.parametrize(("n", "seed"), [pytest.param(300, 0, id="300-respondents"),
                                         pytest.param(1200, 1, id="1200-respondents")])
def test_weighted_response_rates(n, seed):
    labels, response, weights = _weighted_campaign(n, seed)
    economics = {"cost_per_contact": 1.0, "revenue_per_response": 4.0}
    table = targeting_table(labels, response, weights=weights, **economics).set_index("segment")
    for s in range(3):
        w = weights[labels == s]
        assert table.at[s, "response_rate"] == pytest.approx((w * response[w.index]).sum() / w.sum())
        assert table.at[s, "n_eff"] == pytest.approx(w.sum() ** 2 / (w ** 2).sum())
        assert table.at[s, "size"] == len(w)
    doubled = targeting_table(labels, response, weights=weights * 2, **economics).set_index("segment")
    pd.testing.assert_frame_equal(pd.DataFrame(table), pd.DataFrame(doubled), check_exact=False, rtol=1e-9)
    rows = labels.index.repeat(weights.astype(int).to_numpy())
    repeated = targeting_table(pd.Series(labels[rows].to_numpy()), pd.Series(response[rows].to_numpy()),
                               **economics).set_index("segment")
    assert table["response_rate"].to_numpy() == pytest.approx(repeated["response_rate"].to_numpy())
    # the interval counts respondents by n_eff, not the repeated rows: wider
    assert ((table["rate_high"] - table["rate_low"]) > (repeated["rate_high"] - repeated["rate_low"])).all()


def test_a_segment_whose_weight_rests_on_few_respondents_is_too_small_to_judge():
    labels, response, weights = _weighted_campaign(300, 2)
    weights[labels == 0] = 1.0
    weights.iloc[(labels == 0).to_numpy().nonzero()[0][0]] = 500.0  # one respondent carries segment 0
    table = targeting_table(labels, response, weights=weights, cost_per_contact=1, revenue_per_response=4,
                            min_cell_size=10).set_index("segment")
    assert table.at[0, "suppressed"] and table.at[0, "action"] == "too small to judge"
    assert not table.at[1, "suppressed"]
