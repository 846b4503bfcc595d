"""segkit.model: the one fitted object a report writes and `segkit score` loads. A customer scores as
in segments.csv whoever else is in the batch (one customer alone, one channel, incomes beyond the
report's fence, a table and a log); a file that cannot be scored says why."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from segkit.cli import main
from segkit.exceptions import ColumnError, DataError, ModelError, SegkitWarning
from segkit.pipeline import Analysis, score
from segkit.report import sections
from tests.shapes import AGREE, crm_export


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
    table = crm_export()
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


def test_score_a_table_whose_yes_no_column_the_model_segments_on(tmp_path):
    # A yes/no column becomes 0/1 when features are built; the check of the new table's
    # columns ran before that and refused 'No' as "not a number".
    table = crm_export().assign(Newsletter=lambda t: np.where(np.arange(len(t)) % 3 == 0, "Yes", "No"))
    table.to_csv(tmp_path / "customers.csv", index=False)
    run = _report_files(tmp_path / "report", {"customers": str(tmp_path / "customers.csv")},
                        segmentation={"n_segments": 3, "n_bootstrap": 0,
                                      "features": ["Channel", "SpendLastYear", "Newsletter"]})
    assert "Newsletter" in run.X.columns
    segments = pd.read_csv(tmp_path / "report" / "segments.csv").set_index("customer_id")["segment"]
    scored = score(tmp_path / "report" / "model.skops", tmp_path / "customers.csv").set_index("customer_id")
    assert scored["segment"].to_dict() == segments.to_dict()


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
    table = crm_export()
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


# ---------------------------------------------------------------------------------------------
# A survey answered on ordered scales (survey-likert)
# ---------------------------------------------------------------------------------------------


def survey_table(n=400, seed=11):
    """Three planted attitude segments answered on ordered scales, plus bands and a region."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(3, n, p=[0.4, 0.35, 0.25])

    def around(centre, levels):
        pos = np.clip(np.asarray(centre) + rng.choice([-1, 0, 0, 0, 1], n), 0, len(levels) - 1)
        return np.array(levels, dtype=object)[pos]

    return pd.DataFrame({
        "CustomerID": [f"S{i:04d}" for i in range(n)],
        "Recommend": around(np.array([4, 2, 0])[truth], AGREE),
        "VisitFrequency": around(np.array([4, 2, 0])[truth], ["Never", "Rarely", "Sometimes", "Often", "Always"]),
        "LoyaltyTier": around(np.array([3, 1, 0])[truth], ["Bronze", "Silver", "Gold", "Platinum"]),
        "AgeBand": rng.choice(["18-24", "25-34", "35-44", "45-54", "55-64", "65+"], n),
        "Region": rng.choice(["North", "South", "East", "West"], n),
        "AnnualSpend": rng.gamma(4.0, np.array([60.0, 45.0, 25.0])[truth]).round(2),
    })


def test_report_run_profiles_ordinal_features_and_scores_a_csv_batch(tmp_path):
    from segkit.pipeline import Analysis, score

    table = survey_table()
    table.to_csv(tmp_path / "survey.csv", index=False)
    # answers on an attitude scale are psychographic: clustered when the basis says so
    run = Analysis({"data": {"customers": str(tmp_path / "survey.csv")},
                    "segmentation": {"n_bootstrap": 2, "k_max": 5, "basis": ["behavioural", "psychographic"]}},
                   verbose=False)
    run.segment()
    assert set(run.segmenter.ordinal_features_) >= {"Recommend", "VisitFrequency", "LoyaltyTier"}
    assert run.segmenter.ordinal_features_["Recommend"] == AGREE
    run.profile()
    levels = run.profile_.categories.query("feature == 'Recommend'")["level"].unique().tolist()
    assert sorted(levels) == sorted(AGREE)  # a breakdown per level
    assert sections.embedding(run).shape[0] == len(table)
    run.value()
    run.target()
    paths = run.write(tmp_path / "out")
    segments = pd.read_csv(paths["segments"], dtype={"customer_id": str}).set_index("customer_id")["segment"]

    # A batch holding two levels of each question is no scale on its own: the model's levels apply.
    batch = table[table["Recommend"].isin(["Agree", "Strongly agree"])
                  & table["VisitFrequency"].isin(["Often", "Always"])
                  & table["LoyaltyTier"].isin(["Gold", "Platinum"])].copy()
    assert len(batch) >= 20
    batch["Recommend"] = batch["Recommend"].str.lower()
    batch.to_csv(tmp_path / "batch.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SegkitWarning)  # lower-case levels are the model's levels
        scored = score(paths["model"], tmp_path / "batch.csv").set_index("customer_id")["segment"]
    assert scored.to_dict() == segments.loc[scored.index].to_dict()


# ---------------------------------------------------------------------------------------------
# Features named in the config, and too few customers
# ---------------------------------------------------------------------------------------------


def _members(tmp_path, rows: int = 60):
    rng = np.random.default_rng(3)
    pd.DataFrame({"Member No.": [f"M{i:03d}" for i in range(rows)],
                  "Name": [f"Person {i} Smith" for i in range(rows)],
                  "Email": [f"person{i}@example.com" for i in range(rows)],
                  "Age": rng.integers(20, 70, rows), "Income": rng.normal(50_000, 9_000, rows).round(),
                  "Visits": rng.integers(0, 30, rows)}).to_csv(tmp_path / "members.csv", index=False)
    return str(tmp_path / "members.csv")


@pytest.mark.parametrize(
    ("features", "message"),
    [(["Age", "Incom"], r"segmentation.features: 'Incom' is not a feature; did you mean 'Income'\? expected one of: "),
     (["Age", "Email"], r"segmentation.features: 'Email' is a personal identifier in members.csv, kept out")],
    ids=["misspelt", "identifier"],
)
def test_a_feature_named_in_the_config_that_is_not_one_says_why(tmp_path, features, message):
    run = Analysis({"data": {"customers": _members(tmp_path)}, "segmentation": {"features": features}}, verbose=False)
    with pytest.raises(ColumnError, match=message):
        run.segment()


def test_too_few_customers_to_segment_names_the_file(tmp_path):
    from segkit.exceptions import SegmentationError

    run = Analysis({"data": {"customers": _members(tmp_path, rows=1)}}, verbose=False)
    with pytest.raises(SegmentationError, match=r"members.csv: 1 customer to segment after cleaning; expected at least 3"):
        run.segment()


@pytest.mark.parametrize("survey", [{"centre": True}, {"centre": True, "factors": 3}],
                         ids=["centred ratings", "factors of centred ratings"])
def test_a_model_on_item_batteries_scores_its_saved_respondents_as_fitted(tmp_path, survey):
    from segkit.datasets.survey import make_survey
    from segkit.report.narrative import method_text

    make_survey(200, scale_bias=1.0, random_state=4).table.to_csv(tmp_path / "survey.csv", index=False)
    run = Analysis({"data": {"customers": str(tmp_path / "survey.csv")}, "survey": survey,
                    "segmentation": {"n_segments": 3, "n_bootstrap": 0}}, verbose=False)
    run.segment()
    assert run.model.batteries_.active
    method = method_text(run)  # the method section says which option was used, and shows the loadings
    assert "survey.centre" in method and (("| factor | item | loading |" in method) == ("factors" in survey))
    assert all(pd.api.types.is_float_dtype(run.X[c]) for c in run.X.columns if c not in run.model.features_
               or c in run.model.batteries_.items_)
    run.model.save(tmp_path / "model.skops")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SegkitWarning)
        scored = score(tmp_path / "model.skops", tmp_path / "survey.csv").set_index("customer_id")["segment"]
    assert scored.to_dict() == run.model.labels_.to_dict()


def test_a_log_read_in_chunks_scores_as_the_log_read_whole(log_model, tmp_path, monkeypatch):
    import segkit.inputs as inputs_module

    folder, log, segments = log_model
    batch = _write(tmp_path / "batch.csv", log)
    whole = score(folder / "report" / "model.skops", batch)
    monkeypatch.setattr(inputs_module, "STREAM_FROM_ROWS", 0)
    monkeypatch.setattr(inputs_module, "CHUNK_ROWS", max(1, len(log) // 3))
    chunked = score(folder / "report" / "model.skops", batch)
    pd.testing.assert_frame_equal(whole, chunked)
    assert chunked.set_index("customer_id")["segment"].to_dict() == segments.to_dict()
