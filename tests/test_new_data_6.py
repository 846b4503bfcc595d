"""Customer data segkit has never seen, sixth trial: scoring, monitoring, targeting.

New customers scored with a saved model (one at a time, a batch from one channel, a renamed or
mistyped column, ``--out`` pointing at an input), two refreshed runs compared, campaign
responses written as yes/no with gaps, costs written as text, and config mistakes around those
keys.

Each test builds a small table the way a user's export looks and checks one thing a new user hit.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from segkit import tables
from segkit.cli import main
from segkit.config import make_config
from segkit.exceptions import ColumnError, ConfigError, DataError, InputNotFoundError, ModelError, SegkitWarning
from segkit.features.clean import clean_customers
from segkit.monitor import compare, compare_runs, read_run
from segkit.pipeline import Analysis, score
from segkit.target import ab_analyse, campaign_economics, targeting_table


def _customers(n_per_group: int = 60, seed: int = 6) -> pd.DataFrame:
    """A CRM export: web shoppers buy little, store customers more, phone customers most."""
    rng = np.random.default_rng(seed)
    groups = np.repeat([0, 1, 2], n_per_group)
    n = len(groups)
    return pd.DataFrame({
        "CustomerID": [f"C{1000 + i}" for i in range(n)],
        "Age": rng.normal(np.array([30, 45, 60])[groups], 4).round().astype(int),
        "Region": rng.choice(["North", "South", "East", "West"], n),
        "Channel": np.array(["web", "store", "phone"])[groups],
        "OrdersLastYear": rng.poisson(np.array([2, 6, 14])[groups]),
        "SpendLastYear": rng.gamma(4, np.array([30, 150, 500])[groups]).round(2),
        "Responded": (rng.random(n) < np.array([0.05, 0.15, 0.4])[groups]).astype(int),
    })


def _report_files(folder, data: dict, **sections) -> Analysis:
    config = {"data": data, "segmentation": {"n_segments": 3, "n_bootstrap": 0}, **sections}
    run = Analysis(config, verbose=False)
    run.profile()
    run.target() if data.get("customers") else None
    run.write(folder)
    return run


@pytest.fixture(scope="module")
def customer_model(tmp_path_factory):
    """A report folder fitted on a customer table, and the table."""
    folder = tmp_path_factory.mktemp("crm")
    table = _customers()
    table.to_csv(folder / "customers.csv", index=False)
    run = _report_files(folder / "report", {"customers": str(folder / "customers.csv")},
                        campaign={"response": "Responded"})
    segments = pd.read_csv(folder / "report" / "segments.csv").set_index("customer_id")["segment"]
    assert run.X.columns.tolist() == ["Channel", "OrdersLastYear", "SpendLastYear"]
    return folder, table, segments


def _log(seed: int = 6) -> pd.DataFrame:
    """A purchase log: regulars who still buy every week, and lapsed customers who stopped in spring."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(80):
        lapsed = i % 2 == 1
        start = pd.Timestamp("2025-01-06") + pd.Timedelta(days=int(rng.integers(0, 20)))
        last = pd.Timestamp("2025-04-01") if lapsed else pd.Timestamp("2025-12-20")
        days = pd.date_range(start, last, freq="14D" if lapsed else "7D")
        for j, day in enumerate(days):
            rows.append({"Customer": f"K{i:03d}", "OrderDate": day.strftime("%Y-%m-%d"), "Order": f"O{i}-{j}",
                         "Amount": round(float(rng.gamma(4, 10)), 2),
                         "Channel": "web" if lapsed or rng.random() < 0.3 else "store"})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def log_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shop")
    log = _log()
    log.to_csv(folder / "orders.csv", index=False)
    _report_files(folder / "report", {"transactions": str(folder / "orders.csv")},
                  segmentation={"n_segments": 2, "n_bootstrap": 0,
                                "features": ["recency_days", "frequency", "share_channel_store"]})
    segments = pd.read_csv(folder / "report" / "segments.csv").set_index("customer_id")["segment"]
    return folder, log, segments


# ---------------------------------------------------------------------------------------------
# segkit score
# ---------------------------------------------------------------------------------------------


def test_score_out_never_replaces_the_data_or_the_model(customer_model, tmp_path, capsys):
    folder, table, _ = customer_model
    model = folder / "report" / "model.skops"
    data = tmp_path / "new_customers.csv"
    table.to_csv(data, index=False)
    before, model_bytes = data.read_bytes(), model.read_bytes()
    assert main(["score", str(model), str(data), "--out", str(data)]) == 2
    assert "is the data file being scored" in capsys.readouterr().err
    assert main(["score", str(model), str(data), "--out", str(model)]) == 2
    assert "is the model file" in capsys.readouterr().err
    assert main(["score", str(model), str(data), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --out") and "is a folder" in err and "\n" not in err.strip()
    assert data.read_bytes() == before and model.read_bytes() == model_bytes


def test_score_a_report_folder_instead_of_its_model_says_which_file(customer_model, tmp_path, capsys):
    folder, table, _ = customer_model
    table.head(3).to_csv(tmp_path / "new.csv", index=False)
    assert main(["score", str(folder / "report"), str(tmp_path / "new.csv"), "--out", str(tmp_path / "s.csv")]) == 2
    assert f"did you mean {folder / 'report' / 'model.skops'}" in capsys.readouterr().err


def test_score_one_customer_or_a_batch_from_one_channel(customer_model):
    _, table, segments = customer_model
    phone = table[table["Channel"] == "phone"].head(20)
    for batch in (table.iloc[[0]], table.iloc[[130]], phone):
        scored = score(customer_model[0] / "report" / "model.skops", batch).set_index("customer_id")["segment"]
        assert scored.to_dict() == segments.loc[scored.index].to_dict()


def test_a_level_rare_in_the_batch_keeps_its_segment(customer_model):
    _, table, segments = customer_model
    batch = pd.concat([table[table["Channel"] == "web"], table[table["Channel"] == "phone"].head(1)])
    scored = score(customer_model[0] / "report" / "model.skops", batch).set_index("customer_id")["segment"]
    assert scored.to_dict() == segments.loc[scored.index].to_dict()


def test_score_a_renamed_or_mistyped_column_names_it(customer_model, tmp_path):
    model = customer_model[0] / "report" / "model.skops"
    table = customer_model[1].head(10)
    with pytest.raises(ColumnError, match=r"new\.csv: column 'SpendLastYear'.*did you mean 'Spend Last Year'"):
        score(model, _write(tmp_path / "new.csv", table.rename(columns={"SpendLastYear": "Spend Last Year"})))
    typed = table.assign(OrdersLastYear=["3", "many"] + ["4"] * 8)
    with pytest.raises(DataError, match=r"new2\.csv: column 'OrdersLastYear' has 1 value that is not a number "
                                        r"\(e\.g\. 'many' at row 2\)"):
        score(model, _write(tmp_path / "new2.csv", typed))


def test_score_warns_about_a_level_the_model_never_saw(customer_model, tmp_path, capsys):
    batch = customer_model[1].head(4).assign(Channel=["web", "app", "app", "web"])
    data = _write(tmp_path / "app.csv", batch)
    assert main(["score", str(customer_model[0] / "report" / "model.skops"), str(data),
                 "--out", str(tmp_path / "scored.csv")]) == 0
    err = capsys.readouterr().err
    assert "segkit: warning: app.csv: column 'Channel' has 2 customers with a level the model has not seen " \
           "(e.g. 'app'" in err
    assert "scored 4 customers" in err


def test_score_a_lapsed_customer_alone_is_still_lapsed(log_model):
    folder, log, segments = log_model
    for customer in ("K001", "K002", "K003"):  # lapsed, regular, lapsed
        scored = score(folder / "report" / "model.skops", log[log["Customer"] == customer])
        assert scored["segment"].tolist() == [segments[customer]]


def test_score_a_batch_that_bought_only_on_the_web(log_model):
    folder, log, segments = log_model
    web = log[log["Customer"].isin(["K001", "K003", "K005"])]
    assert set(web["Channel"]) == {"web"}
    scored = score(folder / "report" / "model.skops", web).set_index("customer_id")["segment"]
    assert scored.to_dict() == segments.loc[["K001", "K003", "K005"]].to_dict()


def _write(path, frame):
    frame.to_csv(path, index=False)
    return path


# ---------------------------------------------------------------------------------------------
# Campaign targeting and A/B tests
# ---------------------------------------------------------------------------------------------


def _labels(n: int = 40) -> pd.Series:
    return pd.Series([0] * (n // 2) + [1] * (n // 2), index=pd.Index([f"c{i}" for i in range(n)], name="customer_id"),
                     name="segment")


def test_responses_written_yes_no_y_n_true_false_with_gaps():
    labels = _labels(40)
    answers = ["Yes", " no", None, "", "Y", "n", "TRUE", "false"] * 5
    with pytest.warns(SegkitWarning, match="10 customers without a response are left out"):
        t = targeting_table(labels, pd.Series(answers, index=labels.index, name="Responded"),
                            cost_per_contact=3, revenue_per_response=11, min_cell_size=2)
    # segment 0 holds answers 0-19: twice the 8 (3 yes, 3 no, 2 blank), then Yes, no and two blanks
    assert t["size"].tolist() == [14, 16] and t["responders"].tolist() == [7, 8]
    assert t["response_rate"].tolist() == [0.5, 0.5]
    assert t["expected_profit_per_contact"].tolist() == [0.5 * 11 - 3] * 2
    assert t.attrs["without_response"] == 10


def test_ab_results_with_capitalised_groups_and_yes_no_outcomes():
    results = pd.DataFrame({"segment": [0] * 40,
                            "group": ["Treatment"] * 20 + ["Holdout "] * 20,
                            "outcome": ["yes"] * 8 + ["no"] * 12 + ["yes"] * 4 + ["no"] * 16})
    r = ab_analyse(results, min_cell_size=5)
    counts = ["n_treatment", "n_control", "responders_treatment", "responders_control"]
    assert r.loc[0, counts].tolist() == [20, 20, 8, 4]
    assert r.loc[0, "difference"] == pytest.approx(0.2)


def test_a_campaign_column_without_any_answer_names_the_file_and_column(tmp_path):
    table = _customers(20).assign(Responded=np.nan)
    table.to_csv(tmp_path / "spring.csv", index=False)
    run = Analysis({"data": {"customers": str(tmp_path / "spring.csv")}, "campaign": {"response": "Responded"},
                    "segmentation": {"n_segments": 3, "n_bootstrap": 0}}, verbose=False)
    with pytest.raises(DataError, match=r"spring\.csv: column 'Responded' has no response for any of the 60"):
        run.target()


def test_costs_written_as_text_are_numbers_and_nonsense_is_refused():
    cfg = make_config({"campaign": {"cost_per_contact": "€3", "revenue_per_response": "12,50 €"},
                       "ab_test": {"mde": "3%"}})
    assert (cfg["campaign"]["cost_per_contact"], cfg["campaign"]["revenue_per_response"]) == (3, 12.5)
    assert cfg["ab_test"]["mde"] == 0.03
    for key, value, expected in [("revenue_per_response", 0, "a number > 0"),
                                 ("revenue_per_response", float("inf"), "a number > 0"),
                                 ("cost_per_contact", "3 euros", "a number >= 0")]:
        with pytest.raises(ConfigError, match=f"'campaign.{key}' must be {expected}"):
            make_config({"campaign": {key: value}})
    labels = _labels(20)
    t = targeting_table(labels, pd.Series([1, 0] * 10, index=labels.index), cost_per_contact="3",
                        revenue_per_response="€11", min_cell_size=2)
    assert t["expected_profit_per_contact"].tolist() == [0.5 * 11 - 3] * 2
    with pytest.raises(ConfigError, match="cost_per_contact must be a finite number"):
        targeting_table(labels, pd.Series([1, 0] * 10, index=labels.index), cost_per_contact=float("nan"),
                        revenue_per_response=11)
    econ = campaign_economics(pd.DataFrame({"Z_CostContact": ["€3", "€3"], "Z_Revenue": ["€11", "€11"]}))
    assert econ[:2] == (3.0, 11.0)


def test_targeting_table_says_how_many_customers_had_no_response():
    labels = _labels(40)
    response = pd.Series([1, 0, None, 0] * 10, index=labels.index, name="Responded", dtype="Float64")
    with pytest.warns(SegkitWarning):
        t = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11, min_cell_size=2)
    caption = tables.targeting_table(t).caption
    assert "10 customers have no response in Responded and are left out" in caption
    assert caption.startswith("Break-even response rate: 27.3% of contacts.")


# ---------------------------------------------------------------------------------------------
# Config mistakes
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("override, message", [
    ("attractiveness.weights=[1, 2]", "'attractiveness.weights' must be a mapping"),
    ("attractiveness.weights.size=.inf", "'attractiveness.weights.size' must be a number >= 0, got inf"),
    ("report.timeout=.inf", "'report.timeout' must be a number of seconds > 0, got inf"),
    ("campaign.cost=3", "did you mean 'campaign.cost_per_contact'"),
    ("campaign.revenue=30", "did you mean 'campaign.revenue_per_response'"),
], ids=["weights-list", "weight-inf", "timeout-inf", "cost-typo", "revenue-typo"])
def test_set_mistakes_around_campaign_keys(override, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace(".", r"\.")):
        make_config({}, overrides=[override])


# ---------------------------------------------------------------------------------------------
# Monitoring
# ---------------------------------------------------------------------------------------------


def test_an_id_reused_for_another_segments_customers_is_not_reported_as_grown():
    # Last month: 0 young (90), 1 store (80), 2 big spenders (70). This month only two segments:
    # the store customers split, and the big spenders (plus newcomers) hold id 1, as a report
    # keeps ids 0..k-1.
    ids = [f"c{i}" for i in range(240)] + [f"n{i}" for i in range(60)]
    old = pd.Series([0] * 90 + [1] * 80 + [2] * 70, index=ids[:240])
    new = pd.Series([0] * 90 + [0] * 45 + [1] * 35 + [1] * 70 + [1] * 60, index=ids)
    result = compare(old, new, old_names={0: "Young", 1: "Store", 2: "Big spenders"},
                     new_names={0: "Young", 1: "Big spenders"}, align=False)
    assert not any("grew" in a for a in result.alerts if a.startswith("Segment 1"))
    assert ("Segment 1 now holds other customers: 55% of customers, Big spenders, most of them from the earlier "
            "segment 2 (Big spenders); the earlier segment 1 (Store) held 33%.") in result.alerts
    assert ("Segment 2 (Big spenders) is gone: it held 29% of customers; all its returning customers are now in "
            "segment 1 (Big spenders).") in result.alerts


def test_read_run_refuses_files_a_report_never_writes(tmp_path):
    folder = tmp_path / "2026-10"
    folder.mkdir()
    (folder / "summary.json").write_text(json.dumps({"segments": [{"id": 0, "name": "A"}]}))
    (folder / "segments.csv").write_text("customer_id,segment\nC1,0\nC2,0.5\n")
    with pytest.raises(DataError, match=r"segments\.csv: column 'segment' has 1 value that is not a segment id "
                                        r"\(e\.g\. '0\.5' at row 3\)"):
        read_run(folder)
    (folder / "segments.csv").write_text("customer_id,segment\nC1,0\nC2,1\nC1,1\n")
    with pytest.raises(DataError, match=r"segments\.csv: customer id 'C1' is on rows 2 and 4"):
        read_run(folder)
    (folder / "segments.csv").write_text("customer_id,segment\nC1,0\n")
    (folder / "summary.json").write_text("[1, 2]")
    with pytest.raises(DataError, match=r"summary\.json: not the summary of a segkit report"):
        read_run(folder)
    with pytest.raises(InputNotFoundError, match=r"segments\.csv: is a file; expected the folder of a report"):
        read_run(folder / "segments.csv")
    (folder / "summary.json").write_text(json.dumps({"segments": [{"id": 0, "name": "A"}]}))
    (folder / "segments.csv").write_text("")
    with pytest.raises(DataError, match=r"segments\.csv: cannot be read as CSV"):
        read_run(folder)


def test_compare_two_runs_without_a_shared_customer_names_both_files(tmp_path):
    for name, ids in (("2026-10", ["C1", "C2"]), ("2026-11", ["9f86d0", "3a7bd3"])):  # the second pseudonymised
        (tmp_path / name).mkdir()
        (tmp_path / name / "summary.json").write_text(json.dumps({"segments": [{"id": 0, "name": "A"}]}))
        (tmp_path / name / "segments.csv").write_text("customer_id,segment\n" + "".join(f"{i},0\n" for i in ids))
    with pytest.raises(DataError, match=r"2026-10/segments\.csv and .*2026-11/segments\.csv have no customer id in "
                                        r"common \(e\.g\. 'C1' and '9f86d0'\).*pseudonym_key"):
        compare_runs(tmp_path / "2026-10", tmp_path / "2026-11")


def test_score_a_table_whose_yes_no_column_the_model_segments_on(tmp_path):
    # A yes/no column becomes 0/1 when features are built; the check of the new table's
    # columns ran before that and refused 'No' as "not a number".
    table = _customers().assign(Newsletter=lambda t: np.where(np.arange(len(t)) % 3 == 0, "Yes", "No"))
    table.to_csv(tmp_path / "customers.csv", index=False)
    run = _report_files(tmp_path / "report", {"customers": str(tmp_path / "customers.csv")},
                        segmentation={"n_segments": 3, "n_bootstrap": 0,
                                      "features": ["Channel", "SpendLastYear", "Newsletter"]})
    assert "Newsletter" in run.X.columns
    segments = pd.read_csv(tmp_path / "report" / "segments.csv").set_index("customer_id")["segment"]
    scored = score(tmp_path / "report" / "model.skops", tmp_path / "customers.csv").set_index("customer_id")
    assert scored["segment"].to_dict() == segments.to_dict()


# ---------------------------------------------------------------------------------------------
# Scoring, seventh round: the report's cleaning limits, and models fitted on a table and a log
# ---------------------------------------------------------------------------------------------


def _incomes(n: int = 150, seed: int = 7) -> pd.DataFrame:
    """Incomes around 55,000 with spend to match, one placeholder income (666666) and one of 150,000
    above the report's fence (about 133,000), both with little spend."""
    rng = np.random.default_rng(seed)
    income = rng.normal(55000, 12000, n).round()
    table = pd.DataFrame({"CustomerID": [f"C{1000 + i}" for i in range(n)], "Income": income,
                          "SpendLastYear": (income / 100 * rng.gamma(8, 1 / 8, n)).round(2)})
    table.loc[[3, 4], ["Income", "SpendLastYear"]] = [[666666.0, 300.0], [150000.0, 400.0]]
    return table


def test_a_batch_whose_incomes_would_move_the_fence_scores_as_in_the_report(tmp_path):
    table = _incomes()
    table.to_csv(tmp_path / "customers.csv", index=False)
    _report_files(tmp_path / "report", {"customers": str(tmp_path / "customers.csv")},
                  segmentation={"n_segments": 3, "n_bootstrap": 0, "features": ["Income", "SpendLastYear"]})
    segments = pd.read_csv(tmp_path / "report" / "segments.csv").set_index("customer_id")["segment"]
    # The report set both incomes to missing (its fence), so income does not pull them up.
    assert segments[["C1003", "C1004"]].tolist() == [segments["C1049"]] * 2 != [segments["C1103"]] * 2
    model = tmp_path / "report" / "model.skops"
    rich = table[table["CustomerID"].isin(["C1003", "C1004", "C1049", "C1103"])]  # a batch fence far above 666666
    for batch in (rich, table.iloc[[4]], table.iloc[[3, 4]]):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SegkitWarning)
            scored = score(model, batch).set_index("customer_id")["segment"]
        assert scored.to_dict() == segments.loc[scored.index].to_dict()
        assert "set to missing by the report's cleaning rules" in str(caught[0].message)
    fence = json.loads((tmp_path / "report" / "summary.json").read_text())["data_quality"]["cleaning"]["thresholds"]
    assert 130_000 < fence["income_outliers"]["Income"] < 140_000


def test_a_column_the_report_let_be_negative_stays_negative_for_a_customer_alone():
    points = [-5.0] * 10 + [float(v) for v in range(1, 91)]  # 10% negative: part of the scale
    table = pd.DataFrame({"customer_id": [f"c{i}" for i in range(100)], "LoyaltyPoints": points})
    cleaned, log = clean_customers(table)
    assert cleaned["LoyaltyPoints"].isna().sum() == 0 and log.thresholds["negative_values"] == []
    alone, _ = clean_customers(table.iloc[[0]], thresholds=log.thresholds)
    assert alone["LoyaltyPoints"].tolist() == [-5.0]
    assert clean_customers(table.iloc[[0]])[0]["LoyaltyPoints"].isna().tolist() == [True]  # its own rule


def _orders_for(table: pd.DataFrame, seed: int = 8) -> pd.DataFrame:
    """A purchase log of the CRM export's customers: phone customers order often and lately."""
    rng = np.random.default_rng(seed)
    rows = []
    for customer, channel in zip(table["CustomerID"], table["Channel"]):
        every = {"web": 60, "store": 30, "phone": 10}[channel]
        last = pd.Timestamp("2025-12-20") - pd.Timedelta(days=int(rng.integers(0, 4 * every)))
        for j, day in enumerate(pd.date_range(end=last, periods=int(rng.integers(2, 8)), freq=f"{every}D")):
            rows.append({"CustomerID": customer, "OrderDate": day.strftime("%Y-%m-%d"), "Order": f"{customer}-{j}",
                         "Amount": round(float(rng.gamma(4, 10)), 2)})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def table_and_log_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crm_and_shop")
    table = _customers()
    table.to_csv(folder / "customers.csv", index=False)
    _orders_for(table).to_csv(folder / "orders.csv", index=False)
    _report_files(folder / "report", {"customers": str(folder / "customers.csv"),
                                      "transactions": str(folder / "orders.csv")},
                  segmentation={"n_segments": 3, "n_bootstrap": 0,
                                "features": ["Channel", "SpendLastYear", "recency_days", "frequency"]})
    segments = pd.read_csv(folder / "report" / "segments.csv").set_index("customer_id")["segment"]
    return folder, segments


def test_a_model_on_a_table_and_a_log_scores_with_transactions(table_and_log_model, tmp_path, capsys):
    folder, segments = table_and_log_model
    out = tmp_path / "scored.csv"
    assert main(["score", str(folder / "report" / "model.skops"), str(folder / "customers.csv"),
                 "--transactions", str(folder / "orders.csv"), "--out", str(out)]) == 0
    assert "scored 180 customers" in capsys.readouterr().err
    scored = pd.read_csv(out).set_index("customer_id")["segment"]
    assert scored.to_dict() == segments.to_dict()
    table, log = pd.read_csv(folder / "customers.csv"), pd.read_csv(folder / "orders.csv")
    one = score(folder / "report" / "model.skops", table.iloc[[130]], transactions=log[log["CustomerID"] == "C1130"])
    assert one["segment"].tolist() == [segments["C1130"]]


def test_a_model_on_a_table_and_a_log_says_to_add_transactions(table_and_log_model, tmp_path, capsys):
    folder, _ = table_and_log_model
    model = folder / "report" / "model.skops"
    assert main(["score", str(model), str(folder / "customers.csv"), "--out", str(tmp_path / "s.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: customers.csv: the model was fitted on a customer table and a purchase log") \
        and "add the purchase log with --transactions LOG" in err and "\n" not in err.strip()
    with pytest.raises(ModelError, match=r"transactions=log"):
        score(model, folder / "customers.csv")
    assert not (tmp_path / "s.csv").exists()


def test_transactions_for_a_model_fitted_on_one_table_is_refused(customer_model, log_model, tmp_path):
    with pytest.raises(ModelError, match=r"orders\.csv: the model was fitted on a customer table alone.*"
                                         r"leave out --transactions"):
        score(customer_model[0] / "report" / "model.skops", customer_model[0] / "customers.csv",
              transactions=log_model[0] / "orders.csv")
    with pytest.raises(ModelError, match=r"give the purchase log as DATA and leave out --transactions"):
        score(log_model[0] / "report" / "model.skops", log_model[0] / "orders.csv",
              transactions=log_model[0] / "orders.csv")
