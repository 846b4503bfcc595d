"""Customer data segkit has never seen, second trial: accounting exports, spreadsheet footers,
Excel serial dates, refund lines, birth dates and abbreviated column names.

Each test builds a small table the way a user's export looks and checks one thing a new user hit.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from segkit.config import load_config
from segkit.exceptions import DataError, SegkitWarning
from segkit.features.customers import customer_features
from segkit.io import detect_roles, quality_report, read_table, standardise_customers, standardise_transactions
from segkit.pipeline import Analysis
from segkit.profile import humanise, name_segments, profile_segments

#: Quick settings for pipeline tests on a few hundred rows.
FAST = ["segmentation.n_bootstrap=2", "segmentation.k_max=4"]


def _analysis(tmp_path, **data: str) -> Analysis:
    overrides = [f"data.{k}={tmp_path / v}" for k, v in data.items()]
    return Analysis(load_config(None, overrides=[*FAST, *overrides]), verbose=False)


# ---------------------------------------------------------------------------------------------
# Numbers written for people
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("cells", "expected"), [
    (["12.00", "(3.00)", "(1,234.50)"], [12.0, -3.0, -1234.5]),
    (["1'234.50", "12.00", "(7.25)"], [1234.5, 12.0, -7.25]),
    (["12,50 €", "1\u00a0234,50\u00a0€", "(3,00 €)"], [12.5, 1234.5, -3.0]),
    (["1\u202f234,50", "7,5", "12"], [1234.5, 7.5, 12.0]),
    (["10%", "12.5 %", "0%"], [10.0, 12.5, 0.0]),
], ids=["accounting-negatives", "swiss-apostrophe", "euro-after-nbsp", "narrow-nbsp", "percentages"])
def test_numbers_written_for_people_are_numbers(tmp_path, cells, expected):
    path = tmp_path / "export.csv"
    path.write_text("id;value\n" + "".join(f"c{i};{v}\n" for i, v in enumerate(cells)), encoding="utf-8")
    assert read_table(path)["value"].tolist() == expected


def test_accounting_negatives_in_a_log_are_returns(tmp_path):
    log = pd.DataFrame({"user_id": [1, 1, 2], "ts": ["2024-01-02", "2024-01-05", "2024-01-03"],
                        "Amount": ["64.16", "(21.39)", "1'049.00"]})
    out = standardise_transactions(log, label="log.psv")
    assert out["amount"].tolist() == [64.16, -21.39, 1049.0]


# ---------------------------------------------------------------------------------------------
# Missing values spelt out
# ---------------------------------------------------------------------------------------------


def test_missing_value_spellings_are_missing_in_numbers_ids_and_dates(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("customer,Income (USD),Pets,Joined\n"
                    "C1,52000,dog,2024-01-02\n"
                    "C2,none,none,?\n"
                    "C3,(blank),cat,2024-02-03\n"
                    "C4,?,none,(blank)\n", encoding="utf-8")
    df = read_table(path)
    assert df["Income (USD)"].isna().tolist() == [False, True, True, True]
    assert df["Pets"].tolist() == ["dog", "none", "cat", "none"]  # text keeps its answers
    out = standardise_customers(df)
    assert out["Joined"].isna().tolist() == [False, True, False, True]
    log = pd.DataFrame({"cust": ["7", "-", "(blank)", "none", "8"], "Date": ["2024-01-02"] * 5, "Sales": [1.0] * 5})
    assert standardise_transactions(log)["customer_id"].isna().tolist() == [False, True, True, True, False]


def test_a_dash_in_a_number_column_is_an_error_that_says_why():
    df = pd.DataFrame({"ID": ["a", "b", "c"], "Visits": ["3", "-", "7"], "Plan": ["x", "y", "x"]})
    roles = detect_roles(df, kind="customers")
    assert "Visits" in roles.behaviour  # not silently left out
    with pytest.raises(DataError, match=r"^crm.csv: column 'Visits' has 1 non-numeric value \(e.g. '-' at row 2\); "
                                        r"expected numbers \('-' may mean missing or zero"):
        standardise_customers(df, roles, label="crm.csv")


# ---------------------------------------------------------------------------------------------
# Spreadsheet footers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "encoding"), [
    ("Kunde Nr;Umsatz;Land;;\n1;1'577.34;CH;;\n2;536.61;CH;;\nTotal;;2113.95;;\n;;;;\n;;;;\n", "utf-8"),
    ("Customer\tOrder date\tSales\r\nK-1\tNov 23, 2025\t12.5\r\nK-2\tNov 24, 2025\t3\r\nGrand total:\t\t15.5\r\n",
     "utf-16"),
], ids=["swiss-semicolon", "utf16-unicode-text"])
def test_total_line_and_empty_lines_below_the_data_are_skipped_and_reported(tmp_path, text, encoding):
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode(encoding))
    with pytest.warns(SegkitWarning, match=r"export.csv: skipped 1 line below the data that is a total, not data "
                                           r"\('(Total|Grand total:)' at row 3\)"):
        df = read_table(path, label="export.csv")
    assert len(df) == 2 and df.attrs["segkit_source"]["rows"] == 2
    quality = quality_report(df, label="export.csv")
    assert quality.footer_lines[0]["lines"] == 1 and quality.to_dict()["footer_lines"][0]["row"] == "row 3"
    assert "total lines below the data (skipped)" in quality.to_frame()["check"].tolist()


def test_a_customer_named_total_in_the_middle_is_kept(tmp_path):
    path = tmp_path / "shops.csv"
    path.write_text("name,spend\nTotal,5\nAcme,7\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", SegkitWarning)
        assert read_table(path)["name"].tolist() == ["Total", "Acme"]


# ---------------------------------------------------------------------------------------------
# Dates as numbers, refunds as a line type
# ---------------------------------------------------------------------------------------------


def test_excel_serial_day_numbers_in_a_date_column():
    log = pd.DataFrame({"cust": ["1", "2", "3"], "Date": [45448, 45506.75, 45621], "Revenue": ["$283.90", "$1", "$2"]})
    out = standardise_transactions(log)
    assert out["date"].tolist() == [pd.Timestamp("2024-06-05"), pd.Timestamp("2024-08-02 18:00"),
                                    pd.Timestamp("2024-11-25")]


@pytest.mark.parametrize("amounts", [None, [31.09, 12.0, 8.0]], ids=["quantity-times-price", "amount"])
def test_refund_lines_marked_by_a_type_column_count_as_returns(amounts):
    log = pd.DataFrame({"customerID": ["CU0", "CU0", "CU1"], "OrderDate": ["2024-01-22T05:28:00Z"] * 3,
                        "qty": [1, 3, 2], "unit_price": [31.09, 4.0, 4.0], "type": ["sale", "Refund", "sale"]})
    if amounts is not None:
        log["total"] = amounts
    roles = detect_roles(log, kind="transactions")
    assert roles.returns == "type" and "type" not in roles.unused
    assert "returns         detected   type" in roles.describe()
    out = standardise_transactions(log, roles)
    assert out["amount"].tolist() == [31.09, -12.0, 8.0] and out["quantity"].tolist() == [1.0, -3.0, 2.0]


def test_a_channel_column_is_not_a_refund_marker():
    log = pd.DataFrame({"customer": ["1", "2"], "date": ["2024-01-02"] * 2, "amount": [1.0, 2.0],
                        "channel": ["web", "store"]})
    assert detect_roles(log, kind="transactions").returns is None


def test_refunds_are_netted_and_give_a_return_rate(tmp_path):
    rng = np.random.default_rng(3)
    n = 600
    pd.DataFrame({
        "customerID": [f"CU{i}" for i in rng.integers(0, 80, n)],
        "OrderDate": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 600, n), unit="D"))
        .strftime("%Y-%m-%dT%H:%M:%SZ"),
        "qty": rng.integers(1, 4, n), "unit_price": rng.gamma(2, 20, n).round(2),
        "type": np.where(rng.random(n) < 0.1, "refund", "sale"),
    }).to_csv(tmp_path / "log.csv", index=False)
    run = _analysis(tmp_path, transactions="log.csv")
    features = run.build_features()
    assert features.cleaning["negative_quantities"].rows == int((pd.read_csv(tmp_path / "log.csv")["type"]
                                                                 == "refund").sum())
    assert features.frame["return_rate"].max() > 0


def test_the_refund_column_can_be_named_in_the_config(tmp_path):
    log = pd.DataFrame({"cust": ["a", "a", "b", "b"] * 30, "day": ["2024-01-02", "2024-02-03"] * 60,
                        "total": [10.0, 4.0, 8.0, 2.0] * 30, "kind": ["sale", "credit", "sale", "sale"] * 30})
    log.to_csv(tmp_path / "log.csv", index=False)
    run = _analysis(tmp_path, transactions="log.csv")
    run.config["columns"]["returns"] = load_config(None, overrides=["columns.returns=kind"])["columns"]["returns"]
    run.load()
    assert run.inputs.transaction_roles.returns == "kind"
    assert (run.inputs.transactions["amount"] < 0).sum() == 30
    log["kind"] = ["S", "R", "S", "S"] * 30  # codes segkit cannot read as sale/refund
    log.to_csv(tmp_path / "log.csv", index=False)
    with pytest.raises(DataError, match=r"column 'kind' \(columns.returns\) has no value that marks a return.*'R', 'S'"):
        run.load()


# ---------------------------------------------------------------------------------------------
# Customer tables: birth dates, names of flags and abbreviations
# ---------------------------------------------------------------------------------------------


def test_churn_flags_are_outcomes_profiled_not_clustered(tmp_path):
    rng = np.random.default_rng(4)
    n = 300
    pd.DataFrame({"cust_id": range(n), "Spend": rng.gamma(2, 50, n).round(2), "Visits": rng.poisson(5, n),
                  "Churned": rng.choice([0, 1], n), "Exited": rng.choice(["Yes", "No"], n)}).to_csv(
        tmp_path / "crm.csv", index=False)
    run = _analysis(tmp_path, customers="crm.csv")
    run.load()
    # churn is an outcome, not a campaign response: never targeted on (issue 14)
    assert run.inputs.customer_roles.outcomes == ["Churned", "Exited"] and run.inputs.customer_roles.campaigns == []
    run.build_features()
    run.segment()
    assert {"Churned", "Exited"}.isdisjoint(run.X.columns)
    assert run.features.bases["Churned"] == "outcome"


def test_reading_warnings_reach_the_report_and_the_summary(tmp_path):
    rng = np.random.default_rng(6)
    n = 200
    table = pd.DataFrame({"cust_id": range(n), "Spend": rng.gamma(2, 50, n).round(2), "Visits": rng.poisson(5, n)})
    text = table.to_csv(index=False) + f"Total,{table['Spend'].sum():.2f},{table['Visits'].sum()}\n"
    (tmp_path / "crm.csv").write_text(text, encoding="utf-8")
    run = _analysis(tmp_path, customers="crm.csv")
    with pytest.warns(SegkitWarning, match="below the data"):  # still raised for a notebook user
        run.load()
    assert len(run.data_warnings) == 1 and "'Total' at row" in run.data_warnings[0]
    from segkit.narrative import data_text

    run.build_features()
    assert "crm.csv: skipped 1 line below the data" in data_text(run).splitlines()[-1]


def test_a_birth_date_becomes_an_age(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("cust_no,DateOfBirth,Sex\n1,02/06/1980,M\n2,01/06/1980,F\n3,15/03/1890,F\n4,,M\n")
    table = standardise_customers(read_table(path))
    roles = detect_roles(read_table(path), kind="customers")
    assert roles.demographics == ["DateOfBirth", "Sex"]
    features, bases = customer_features(table, roles, reference_date="2020-06-01")
    assert "DateOfBirth_days" not in features.columns and bases["age"] == "demographic"
    assert features["age"].tolist()[:2] == [39.0, 40.0]
    assert features["age"].iloc[2:].isna().all()  # born 1890: impossible, set to missing like a birth year


def _profile(features: dict, labels: list[int]):
    idx = pd.Index([str(i) for i in range(len(labels))], name="customer_id")
    return profile_segments(pd.DataFrame(features, index=idx), pd.Series(labels, index=idx, name="segment"),
                            min_cell_size=0)


def test_is_and_has_flags_are_named_as_nouns():
    flags = [1] * 30 + [0] * 30 + [1, 0] * 10
    spend = [10.0, 12.0] * 15 + [11.0, 13.0] * 15 + [11.0, 12.0] * 10
    names = name_segments(_profile({"IsMember": flags, "spend": spend}, [0] * 30 + [1] * 30 + [2] * 20))
    assert names.loc[0, "name"].startswith("Member") and names.loc[1, "name"].startswith("Non-member")
    names = name_segments(_profile({"HasPet": flags, "spend": spend}, [0] * 30 + [1] * 30 + [2] * 20))
    assert names.loc[0, "name"].startswith("With-pet") and names.loc[1, "name"].startswith("Without-pet")


def test_abbreviated_column_names_are_written_out():
    assert [humanise(c) for c in ("amt", "qty", "txn_count", "TotalSpend", "Spend [€]")] == [
        "amount", "quantity", "transaction count", "spend", "spend"]
