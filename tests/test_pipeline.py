"""segkit.pipeline: Analysis, the config-driven sequence of stages: a config dict, stages that cannot go
stale, columns judged by their content end to end (outcomes profiled, codes and bands, exclude, run.columns()),
and what a run notes (reading warnings, campaign economics not set, no lifetime value)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.config import load_config
from segkit.exceptions import ConfigError, SegkitWarning
from segkit.pipeline import Analysis
from segkit.report import sections
from tests.runs import analysis


def test_a_config_dict_needs_only_the_keys_a_user_would_write(tmp_path):
    pd.DataFrame({"customer": ["a", "a", "b"], "when": ["2024-01-02", "2024-03-02", "2024-02-03"],
                  "total": [10.0, 20.0, 5.0]}).to_csv(tmp_path / "log.csv", index=False)
    run = Analysis({"data": {"transactions": str(tmp_path / "log.csv")}, "segmentation": {"n_segments": 2}},
                   verbose=False)
    assert run.config["segmentation"]["algorithm"] == "auto" and run.config["data"]["where"] == {}
    assert run.config["segmentation"]["n_segments"] == 2
    with pytest.raises(ConfigError, match=r"unknown key 'segmentation.n_segment'.*n_segments"):
        Analysis({"data": {"transactions": str(tmp_path / "log.csv")}, "segmentation": {"n_segment": 2}})


# ----------------------------------------------------------------- stages that cannot go stale

@pytest.fixture(scope="module")
def small_demo(tmp_path_factory):
    from segkit.datasets import make_demo

    folder = tmp_path_factory.mktemp("demo")
    return make_demo(600, random_state=5).write(folder)["config"]


def _run(config_path) -> Analysis:
    return Analysis(load_config(config_path, overrides=["segmentation.n_bootstrap=3"]), verbose=False)


def test_changing_k_and_a_name_after_target_carries_through_every_written_file(small_demo, tmp_path):
    import json

    from segkit.model import SegmentationModel

    run = _run(small_demo)
    run.target()
    before = run.segmenter.n_segments_
    k = 4 if before != 4 else 3
    run.segment(n_segments=k)
    assert run.targeting is None and run.profile_ is None  # later results were thrown away
    run.rename({0: "VIPs"})
    paths = run.write(tmp_path / "out")

    segments = pd.read_csv(paths["segments"])
    assert segments["segment"].nunique() == k
    assert set(segments.loc[segments["segment"] == 0, "segment_name"]) == {"VIPs"}
    targeting = pd.read_csv(paths["targeting"])
    assert len(targeting) == k and targeting.set_index("segment").loc[0, "name"] == "VIPs"
    assert pd.read_csv(paths["profiles"])["segment"].nunique() == k
    summary = json.loads(paths["summary"].read_text(encoding="utf-8"))
    assert summary["n_segments"] == k and summary["segments"][0]["name"] == "VIPs"
    assert summary["config"]["segmentation"]["n_segments"] == k
    model = SegmentationModel.load(paths["model"])
    assert model.n_segments == k and model.names_[0] == "VIPs"


def test_write_runs_the_stages_that_have_not_run(small_demo, tmp_path):
    run = _run(small_demo)
    run.segment()
    paths = run.write(tmp_path / "out")
    assert {"segments", "profiles", "targeting", "summary", "model"} <= set(paths)
    assert repr(run).endswith("stages done: load, features, segment, profile, value, target)")


def test_write_refuses_a_result_computed_before_its_config_changed(small_demo, tmp_path):
    from segkit.exceptions import StaleResultError

    run = _run(small_demo)
    run.profile()
    run.config["segmentation"]["n_segments"] = 3  # by hand, without running segment() again
    with pytest.raises(StaleResultError, match=r"segment ran before .*segmentation.* changed; run run.segment\(\)"):
        run.write(tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_segment_settings_are_checked_like_the_config(small_demo):
    run = _run(small_demo)
    with pytest.raises(ConfigError, match="n_segments"):
        run.segment(n_segments="many")


def test_a_name_must_name_a_segment_and_not_be_empty(small_demo):
    run = _run(small_demo)
    run.profile()
    with pytest.raises(ConfigError, match="segment 99"):
        run.rename({99: "VIPs"})
    with pytest.raises(ConfigError, match="name that is not empty"):
        run.rename({0: "  "})


# ------------------------------------------------------------------------- columns judged by their content


def _customer_run(tmp_path, frame: pd.DataFrame, *overrides: str) -> Analysis:
    frame.to_csv(tmp_path / "customers.csv", index=False)
    config = load_config(None, overrides=[f"data.customers={tmp_path / 'customers.csv'}", "segmentation.n_bootstrap=0",
                                          "segmentation.n_segments=3", *overrides])
    run = Analysis(config, verbose=False)
    run.target()
    return run


def _subscribers(n: int = 300, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"customerID": [f"{i:04d}-ABCD" for i in range(n)], "Partner": rng.choice(["Yes", "No"], n),
                         "SeniorCitizen": rng.choice([0, 1], n, p=[0.84, 0.16]), "tenure": rng.integers(0, 72, n),
                         "MonthlyCharges": rng.normal(65, 25, n).round(2), "Churn": rng.choice(["Yes", "No"], n)})


def test_churn_is_profiled_per_segment_never_targeted_and_flags_read_as_shares(tmp_path):
    run = _customer_run(tmp_path, _subscribers())
    assert "Churn" not in run.X.columns and run.response_column() is None and run.targeting is None
    from segkit.report import narrative

    assert "responders" not in narrative.key_findings(run)
    rates = run.outcomes.set_index(["outcome", "segment"])
    assert set(rates.loc["Churn", "level"]) == {"yes"} and rates[["low", "high"]].notna().all().all()
    assert "Churn" in sections.outcome_table(run).columns
    numbers, flags, _ = sections.split_kinds(run, sections.columns_of(run, "behavioural", "demographic"))
    assert flags == ["Partner", "SeniorCitizen"] and "Partner" not in numbers


def test_a_survey_label_is_an_outcome_and_its_demographics_are_clustered(tmp_path):
    rng = np.random.default_rng(2)
    n = 300
    frame = pd.DataFrame({"ID": range(n), "Gender": rng.choice(["Male", "Female"], n), "Age": rng.integers(18, 80, n),
                          "Profession": rng.choice(["Artist", "Doctor", "Lawyer", "Engineer"], n),
                          "Spending_Score": rng.choice(["Low", "Average", "High"], n),
                          "Segmentation": rng.choice(list("ABCD"), n)})
    run = _customer_run(tmp_path, frame)
    assert list(run.X.columns) == ["Gender", "Age", "Profession", "Spending_Score"]
    from segkit.report import narrative

    assert "Segmentation" not in narrative.key_findings(run).split("\n")[0]
    assert "Segmentation" in narrative.outcomes_text(run)
    columns = run.columns().set_index("column")
    assert columns.loc["Segmentation", "use"] == "profiled: an outcome"
    assert columns.loc["Spending_Score", "kind"] == "ordinal"


def test_coded_bands_name_segments_with_words_not_codes(tmp_path):
    rng = np.random.default_rng(4)
    n = 400
    frame = pd.DataFrame({
        "household_key": range(n), "MARITAL_STATUS_CODE": rng.choice(["A", "B", "U"], n),
        "HOMEOWNER_DESC": rng.choice(["Homeowner", "Renter", "Unknown"], n),
        "HOUSEHOLD_SIZE_DESC": rng.choice(["1", "2", "3", "4", "5+"], n),
        "KID_CATEGORY_DESC": rng.choice(["None/Unknown", "1", "2", "3+"], n, p=[0.7, 0.1, 0.1, 0.1]),
        "INCOME_DESC": rng.choice(["Under 15K", "15-24K", "25-34K", "50-74K", "150K+"], n),
    })
    run = _customer_run(tmp_path, frame)
    assert len(run.X.columns) == 5
    for name in run.names["name"]:
        words = name.replace("-", " ").split()
        assert not {"A", "B", "U", "Unknown", "None/Unknown", "desc", "Desc"} & set(words), name


def test_numeric_codes_are_categories_and_never_low_or_high(tmp_path):
    rng = np.random.default_rng(5)
    n = 300
    channel = rng.choice([1, 2], n, p=[0.68, 0.32])
    frame = pd.DataFrame({"Channel": channel, "Region": rng.choice([1, 2, 3], n),
                          "Fresh": rng.gamma(2, 6000 * channel, n).round(), "Grocery": rng.gamma(2, 4000 * channel, n).round(),
                          "Milk": rng.gamma(2, 3000, n).round()})
    run = _customer_run(tmp_path, frame)
    assert run.features.kinds["Channel"] == "code" and run.features.frame["Channel"].dtype == "category"
    assert not any("channel" in name.lower() and ("low" in name.lower() or "high" in name.lower())
                   for name in run.names["name"])


def test_day_of_month_and_month_names_load_and_are_ordinal(tmp_path):
    rng = np.random.default_rng(6)
    n = 300
    frame = pd.DataFrame({"age": rng.integers(18, 90, n), "balance": rng.normal(1500, 900, n).round(),
                          "day": rng.integers(1, 32, n), "month": rng.choice(["jan", "feb", "may", "jun", "nov"], n),
                          "duration": rng.gamma(2, 90, n).round(), "y": rng.choice(["yes", "no"], n, p=[0.1, 0.9])})
    run = _customer_run(tmp_path, frame)
    assert run.features.frame["day"].cat.ordered and run.features.frame["month"].cat.ordered
    assert list(run.features.frame["month"].cat.categories) == ["jan", "feb", "may", "jun", "nov"]
    assert "y" not in run.X.columns and run.targeting is None


def test_columns_named_with_time_can_be_named_as_features(tmp_path):
    rng = np.random.default_rng(8)
    n = 300
    frame = pd.DataFrame({"User ID": range(n), "App_Usage_Time_(min/day)": rng.integers(30, 600, n),
                          "Departure/Arrival time convenient": rng.integers(0, 6, n),
                          "Battery Drain (mAh/day)": rng.integers(300, 3000, n)})
    run = _customer_run(tmp_path, frame, "segmentation.features=[App_Usage_Time_(min/day), "
                                         "Departure/Arrival time convenient]")
    assert list(run.X.columns) == ["App_Usage_Time_(min/day)", "Departure/Arrival time convenient"]
    assert run.features.kinds["Departure/Arrival time convenient"] == "ordinal"


def test_segmentation_exclude_leaves_a_column_out(tmp_path):
    run = _customer_run(tmp_path, _subscribers(), "segmentation.exclude=[tenure]")
    assert "tenure" not in run.X.columns and "MonthlyCharges" in run.X.columns
    assert run.columns().set_index("column").loc["tenure", "use"] == "profiled: excluded"


# ----------------------------------------------------------------- campaign economics, notes

@pytest.fixture
def telco(tmp_path, rng):
    n = 300
    pd.DataFrame({
        "customerID": [f"{i:04d}-XY" for i in range(n)],
        "tenure": rng.integers(0, 72, n),
        "MonthlyCharges": rng.uniform(18, 120, n).round(2),
        "Contract": rng.choice(["Month-to-month", "One year", "Two year"], n),
        "Churn": rng.choice(["Yes", "No"], n, p=[0.3, 0.7]),
    }).to_csv(tmp_path / "telco.csv", index=False)
    return tmp_path


def test_response_named_in_config_is_targeted_without_campaign_economics(telco):
    run = analysis(telco, customers="telco.csv", set_r="campaign.response=Churn")
    run.load()
    assert run.inputs.customer_roles.campaigns == ["Churn"]
    assert "Churn" not in run.inputs.customer_roles.behaviour
    targeting = run.target()
    assert targeting["response_rate"].notna().all() and targeting["expected_profit_per_contact"].isna().all()
    overall = run.inputs.customers["Churn"].mean()
    assert targeting["break_even_rate"].iloc[0] == pytest.approx(overall)
    assert targeting.attrs["economics_known"] is False  # the report labels the line "overall rate"
    assert any(n.startswith("There is no expected profit because campaign.cost_per_contact and "
                            "campaign.revenue_per_response are not set") for n in run.notes)
    assert "Churn" not in run.X.columns


def test_reading_warnings_reach_the_report_and_the_summary(tmp_path):
    rng = np.random.default_rng(6)
    n = 200
    table = pd.DataFrame({"cust_id": range(n), "Spend": rng.gamma(2, 50, n).round(2), "Visits": rng.poisson(5, n)})
    text = table.to_csv(index=False) + f"Total,{table['Spend'].sum():.2f},{table['Visits'].sum()}\n"
    (tmp_path / "crm.csv").write_text(text, encoding="utf-8")
    run = analysis(tmp_path, customers="crm.csv")
    with pytest.warns(SegkitWarning, match="below the data"):  # still raised for a notebook user
        run.load()
    assert len(run.data_warnings) == 1 and "'Total' at row" in run.data_warnings[0]
    from segkit.narrative import data_text

    run.build_features()
    assert "crm.csv: skipped 1 line below the data" in data_text(run).splitlines()[-1]


def test_a_log_where_everyone_bought_once_reports_without_lifetime_value(one_order_each):
    run = one_order_each
    assert run.value() is None
    (note,) = [n for n in run.notes if "lifetime value" in n]
    assert note.startswith("Predicted lifetime value is not shown: ")
    assert note.endswith(" and 0 of them bought again; a holdout test needs 100 and 30.")


def test_a_weighted_survey_run_states_its_weighting_and_keeps_the_weight_out_of_the_segments(tmp_path):
    from segkit.datasets.survey import make_survey
    from segkit.report.narrative import method_text

    table = make_survey(300, n_classes=3, random_state=6).table
    table["Survey weight"] = np.random.default_rng(6).integers(1, 5, len(table)).astype(float)
    table.to_csv(tmp_path / "survey.csv", index=False)
    run = Analysis({"data": {"customers": str(tmp_path / "survey.csv")}, "survey": {"weight": "Survey weight"},
                    "segmentation": {"n_segments": 3, "algorithm": "kmeans", "n_bootstrap": 0}}, verbose=False)
    run.profile()
    weights = run.features.weights
    assert "Survey weight" not in run.X.columns and "Survey weight" not in run.profile_.bases
    assert weights.tolist() == table["Survey weight"].tolist()
    assert run.segmenter.weighted_
    row = run.columns().set_index("column").loc["Survey weight"]
    assert row["role"] == "weight" and row["use"].startswith("weights the figures")
    text = method_text(run)
    assert f"weighted to a sum of {weights.sum():,.4g}" in text and "effective sample size" in text
    assert "300 respondents weighted" in text and "The kmeans fit counted each of them by their weight" in text
    summary = run.summary()
    assert sum(s["weighted_share"] for s in summary["segments"]) == pytest.approx(1.0)
    assert list(run.segments_table().columns) == ["customer_id", "segment", "segment_name"]
    # a survey's segments are respondents, in names and descriptions alike
    names = run.names["name"].tolist()
    assert not any("customer" in n.lower() for n in names) and any(n.endswith("respondents") for n in names)


def test_centring_is_compared_with_a_fit_on_the_items_as_answered(tmp_path):
    from segkit.datasets.survey import make_survey

    make_survey(300, scale_bias=1.0, random_state=4).table.to_csv(tmp_path / "survey.csv", index=False)
    run = Analysis({"data": {"customers": str(tmp_path / "survey.csv")}, "survey": {"centre": True},
                    "segmentation": {"n_segments": 3, "n_bootstrap": 3}}, verbose=False)
    run.segment()
    measured = run.model.batteries_.stability_
    assert measured["with"] == run.segmenter.stability_
    assert measured["without"]["n_bootstrap"] == 3 and measured["without"] != measured["with"]
    assert "Effect on stability" in run.model.batteries_.method_text()


def test_a_weighted_campaign_run_targets_and_ranks_by_the_weights(tmp_path):
    from segkit.datasets.survey import make_survey

    table = make_survey(300, n_classes=3, random_state=7).table
    rng = np.random.default_rng(7)
    table["Survey weight"] = rng.choice([0.5, 1.0, 3.0], len(table))
    table["Accepted offer"] = rng.choice(["yes", "no"], len(table), p=[0.4, 0.6])
    table.to_csv(tmp_path / "survey.csv", index=False)
    run = Analysis({"data": {"customers": str(tmp_path / "survey.csv")}, "survey": {"weight": "Survey weight"},
                    "campaign": {"response": "Accepted offer", "cost_per_contact": 1, "revenue_per_response": 4},
                    "segmentation": {"n_segments": 3, "algorithm": "kmeans", "n_bootstrap": 0}}, verbose=False)
    run.target()
    w = run.features.weights.reindex(run.labels.index)
    answered = run.inputs.customers.set_index("customer_id")["Accepted offer"].reindex(run.labels.index) == 1  # 0/1 flags
    shown = run.targeting.set_index("segment")
    for s in shown.index[~shown["suppressed"].astype(bool)]:
        inside = run.labels == s
        assert shown.at[s, "response_rate"] == pytest.approx((w[inside] * answered[inside]).sum() / w[inside].sum())
    ranked = run.attractiveness  # its size component is the weighted share
    assert ranked["size"].to_numpy() == pytest.approx(run.profile_.summary.loc[ranked.index, "weighted_share"])


def test_a_wide_table_is_screened_before_segmenting_and_the_dropped_columns_are_not_profiled(tmp_path):
    rng = np.random.default_rng(11)
    group = rng.integers(0, 2, 300)
    table = pd.DataFrame(rng.normal(size=(300, 140)).round(3), columns=[f"reading_{j:03d}" for j in range(140)])
    for j in range(6):
        table[f"signal_{j}"] = (np.where(group == 1, 2.0, -2.0) * (1 if j % 2 else -1)
                                + rng.normal(size=300)).round(3)
    table.insert(0, "customer_id", [f"c{i:03d}" for i in range(300)])
    table.to_csv(tmp_path / "wide.csv", index=False)
    run = analysis(tmp_path, customers="wide.csv", set_k="segmentation.max_features=12",
                   set_n="segmentation.n_segments=2")
    run.segment()
    screened = run.model.selection_.screened
    assert len(screened) == 146 - 12 and not {f"signal_{j}" for j in range(6)} & set(screened)
    assert list(run.X.columns) == [c for c in run.X.columns if c not in screened] and run.X.shape[1] == 12
    assert any("wide-table screen kept 12 of 146 features" in note for note in run.notes)
    profiled = set(run.profile().long["feature"])
    assert profiled and not profiled & set(screened)
    uses = run.columns().set_index("column")["use"]
    assert uses[screened].str.startswith("not used: wide-table screen").all() and uses["signal_0"] == "clustered"
    shown = sections.columns_table(run)  # the method section lists ten of the 134 and counts the rest
    assert len(shown) == len(uses) - 134 + 10 + 1 and shown["column"].iloc[-1] == "... 124 more"
    agreement = max(np.mean(run.labels.to_numpy() == group), np.mean(run.labels.to_numpy() != group))
    assert agreement > 0.95


def test_a_run_on_a_log_read_in_chunks_segments_and_values_as_a_run_on_the_log_read_whole(tmp_path, monkeypatch):
    import warnings

    import segkit.inputs as inputs_module
    from segkit.io import PurchaseLog
    from tests.runs import log_analysis
    from tests.shapes import raw_purchase_log

    raw_purchase_log("shares", seed=2, n=6000, customers=400).to_csv(tmp_path / "log.csv", index=False)
    runs = []
    for stream_from in (inputs_module.STREAM_FROM_ROWS, 0):
        monkeypatch.setattr(inputs_module, "STREAM_FROM_ROWS", stream_from)
        monkeypatch.setattr(inputs_module, "CHUNK_ROWS", 1_000)
        run = log_analysis(tmp_path, "log.csv")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SegkitWarning)
            run.load(), run.build_features(), run.segment(), run.profile(), run.value()
        runs.append(run)
    whole, chunked = runs
    assert isinstance(chunked.inputs.transactions, PurchaseLog) and isinstance(whole.inputs.transactions, pd.DataFrame)
    pd.testing.assert_series_equal(whole.labels, chunked.labels)
    pd.testing.assert_frame_equal(whole.features.rfm, chunked.features.rfm)
    assert whole.value_result.validation == chunked.value_result.validation
    assert whole.model._snapshot(whole.inputs) == chunked.model._snapshot(chunked.inputs)
