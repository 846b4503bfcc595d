"""Customer data segkit has never seen: other languages, delimiters, number formats and joins.

Each test builds a small table the way a user's export looks (a French Excel CSV, a telecom
extract, a German shop's customer table and receipts) and checks one thing a new user hit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segkit.config import load_config
from segkit.exceptions import ColumnError, ConfigError, DataError
from segkit.io import detect_roles, read_table, standardise_customers, standardise_transactions
from segkit.pipeline import Analysis
from segkit.profile import humanise, name_segments, profile_segments
from segkit.report import sections

ROOT = Path(__file__).resolve().parents[1]
CHECK_REPORT = ROOT.parent / "shared" / "tools" / "check_report.py"
#: Quick settings for pipeline tests on a few hundred rows.
FAST = ["segmentation.n_bootstrap=2", "segmentation.k_max=4"]


def _analysis(tmp_path: Path, **data: str) -> Analysis:
    overrides = [f"data.{k}={tmp_path / v}" for k, v in data.items() if not k.startswith("set_")]
    overrides += [v for k, v in data.items() if k.startswith("set_")]
    return Analysis(load_config(None, overrides=[*FAST, *overrides]), verbose=False)


# ---------------------------------------------------------------------------------------------
# Reading: number formats, blank cells
# ---------------------------------------------------------------------------------------------


def test_decimal_commas_currency_and_blank_cells_are_read_as_numbers(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(
        "N° client;Revenu annuel;Dépenses;Panier;Code\n"
        "00042;20049,04;$1,234.50; ;01234\n"
        "00043;3,5;$3.00;7;01235\n"
        "00044;1.234,5;€12;8,5;01236\n".encode("cp1252")  # Excel's "CSV" on Windows in France
    )
    df = read_table(path)
    assert df["Revenu annuel"].tolist() == [20049.04, 3.5, 1234.5]
    assert df["Dépenses"].tolist() == [1234.5, 3.0, 12.0]
    assert df["Panier"].isna().tolist() == [True, False, False] and df["Panier"].iloc[2] == 8.5
    assert df["N° client"].tolist() == ["00042", "00043", "00044"]  # zero-padded ids stay text
    assert df["Code"].tolist() == ["01234", "01235", "01236"]


@pytest.mark.parametrize("values", [["1-2", "3"], ["12:30", "13:00"], ["2023.01.05", "2023.02.01"], ["1.2.3", "4"]],
                         ids=["range", "time", "dotted-date", "version"])
def test_text_that_only_contains_digits_stays_text(tmp_path, values):
    path = tmp_path / "t.csv"
    path.write_text("x;y\n" + "\n".join(f"{v};{i}" for i, v in enumerate(values)) + "\n")
    assert read_table(path)["x"].tolist() == values


@pytest.mark.parametrize("text", [
    "sep=;\ncustomer;date;amount\n1;2024-01-01;3,5\n2;2024-01-02;4\n",
    "Sales export 2024\nShop: Leeds\n\ncustomer,date,amount\n1,2024-01-01,3.5\n2,2024-01-02,4\n",
    "\n\ncustomer;date;amount;\n1;2024-01-01;3,5;\n2;2024-01-02;4;\n",
], ids=["excel-sep-line", "title-lines", "blank-lines-and-trailing-delimiter"])
def test_export_quirks_around_the_header(tmp_path, text):
    path = tmp_path / "export.csv"
    path.write_text(text)
    df = read_table(path)
    assert list(df.columns) == ["customer", "date", "amount"] and df["amount"].tolist() == [3.5, 4.0]


# ---------------------------------------------------------------------------------------------
# Roles: accents, other languages, yes/no and few-level text columns
# ---------------------------------------------------------------------------------------------


def test_french_headers_get_their_roles_and_oui_non_is_a_campaign_answer():
    df = pd.DataFrame({
        "N° client": ["C1", "C2", "C3", "C4"], "Sexe": ["Homme", "Femme", "Femme", "Homme"],
        "Âge": [38, 67, 45, 29], "Revenu annuel": [20049.0, 21071.2, 30500.0, 18000.0],
        "Région": ["Bretagne", "Occitanie", "Bretagne", "Corse"], "Dépenses vins": [18.9, 407.2, 88.1, 12.0],
        "Réponse campagne": ["non", "oui", "non", "non"],
    })
    roles = detect_roles(df, kind="customers")
    assert roles.customer_id == "N° client"
    assert roles.demographics == ["Sexe", "Âge", "Revenu annuel"]
    assert roles.geography == ["Région"] and roles.behaviour == ["Dépenses vins"]
    assert roles.campaigns == ["Réponse campagne"]
    out = standardise_customers(df, roles)
    assert out["Réponse campagne"].tolist() == [0, 1, 0, 0]


def test_english_revenue_is_not_french_income():
    df = pd.DataFrame({"ID": [1, 2, 3], "Revenu annuel": [1.0, 2.0, 3.0], "Revenue": [5.0, 6.0, 9.0],
                       "Z_Revenue": [11, 11, 11]})
    roles = detect_roles(df, kind="customers")
    assert roles.demographics == ["Revenu annuel"] and roles.behaviour == ["Revenue"]
    assert roles.constants == ["Z_Revenue"]
    assert humanise("Revenu annuel") == "income" and humanise("Revenue") == "spend"


@pytest.mark.parametrize(("name", "kind", "role"), [
    ("Kundennummer", "customers", "customer_id"), ("id_cliente", "customers", "customer_id"),
    ("numero de cliente", "customers", "customer_id"), ("Montant", "transactions", "amount"),
    ("Bestelldatum", "transactions", "date"), ("Menge", "transactions", "quantity"),
], ids=["de-id", "es-id-first", "es-id-link-word", "fr-amount", "de-date", "de-quantity"])
def test_common_foreign_names_are_recognised(name, kind, role):
    df = pd.DataFrame({name: [1, 2], "other": ["a", "b"]})
    assert getattr(detect_roles(df, kind=kind), role) == name


def test_yes_no_and_few_level_text_columns_are_kept_not_dropped():
    # A telecom extract: yes/no answers (one named like a number of dependents), a contract
    # type and a payment method, and a total with blank cells.
    n = 40
    df = pd.DataFrame({
        "customerID": [f"{i:04d}-AB" for i in range(n)],
        "Dependents": ["Yes", "No"] * (n // 2),
        "Partner": ["No", "No", "Yes", "No"] * (n // 4),
        "Contract": ["Month-to-month", "One year", "Two year", "One year"] * (n // 4),
        "PaperlessBilling": ["Yes"] * n,
        "tenure": np.arange(n),
        "Notes": [f"called on day {i}" for i in range(n)],
    })
    roles = detect_roles(df, kind="customers")
    assert roles.demographics == ["Dependents", "Partner"]
    assert roles.behaviour == ["Contract", "tenure"]
    assert roles.constants == ["PaperlessBilling"] and roles.unused == ["Notes"]  # free text stays out
    out = standardise_customers(df, roles)
    assert str(out["Dependents"].dtype) == "Int8" and out["Dependents"].tolist()[:2] == [1, 0]
    assert out["Partner"].tolist()[:3] == [0, 0, 1]
    assert out["Contract"].iloc[0] == "Month-to-month"


def test_age_bands_stay_categories_but_stray_text_in_numbers_is_an_error():
    bands = pd.DataFrame({"ID": [1, 2, 3], "Age": ["18-24", "25-34", "65+"], "Income": [1.0, 2.0, 3.0]})
    assert standardise_customers(bands)["Age"].tolist() == ["18-24", "25-34", "65+"]
    stray = pd.DataFrame({"ID": [1, 2, 3], "Annual Income (k$)": ["15", "n.a.", "17"]})
    with pytest.raises(DataError, match=r"people.csv: column 'Annual Income \(k\$\)' has 1 non-numeric value "
                                        r"\(e.g. 'n.a.' at row 2\)"):
        standardise_customers(stray, label="people.csv")


@pytest.mark.parametrize(("values", "expected"), [(["t", "f", "T"], [1, 0, 1]), (["oui", "non", "Oui"], [1, 0, 1]),
                                                  (["ja", "nein", "JA"], [1, 0, 1]), (["sí", "no", "si"], [1, 0, 1])],
                         ids=["t/f", "oui/non", "ja/nein", "si/no"])
def test_yes_no_answers_in_other_forms(values, expected):
    df = pd.DataFrame({"ID": [1, 2, 3], "Response": values})
    assert standardise_customers(df)["Response"].tolist() == expected


def test_timestamps_with_time_zones_and_us_dates():
    log = pd.DataFrame({
        "client": ["000123", "123", "000123"],
        "order_ts": ["2023-12-31T14:05:00+01:00", "2023-12-31T08:05:00-05:00", "2024-01-02T00:00:00Z"],
        "total_eur": ["$1,234.50", "$3.00", "$10"],
    })
    out = standardise_transactions(log)
    assert out["customer_id"].tolist() == ["000123", "123", "000123"]  # distinct ids
    assert out["date"].tolist() == [pd.Timestamp("2023-12-31 13:05"), pd.Timestamp("2023-12-31 13:05"),
                                    pd.Timestamp("2024-01-02")]  # one clock: UTC
    assert out["amount"].tolist() == [1234.5, 3.0, 10.0]
    us = standardise_transactions(pd.DataFrame({"Customer Number": [1, 2], "Purchase Date": ["12/31/2023 14:05",
                                                                                             "01/02/2024 09:00"],
                                                "Qty": [2, 1], "Unit Price": [1.5, 4.0]}))
    assert us["date"].tolist() == [pd.Timestamp("2023-12-31 14:05"), pd.Timestamp("2024-01-02 09:00")]
    assert us["amount"].tolist() == [3.0, 4.0]


# ---------------------------------------------------------------------------------------------
# Pipeline: response column, economics, joins, a single feature
# ---------------------------------------------------------------------------------------------


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
    run = _analysis(telco, customers="telco.csv", set_r="campaign.response=Churn")
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


def test_response_without_customer_table_is_a_config_error(tmp_path):
    pd.DataFrame({"customer_id": [1], "date": ["2024-01-01"], "amount": [1.0]}).to_csv(tmp_path / "log.csv")
    run = _analysis(tmp_path, transactions="log.csv", set_r="campaign.response=Response")
    with pytest.raises(ConfigError, match="campaign.response is 'Response' but no customer table"):
        run.load()


@pytest.fixture
def shop(tmp_path, rng):
    """A customer table and receipts whose id columns no detection can name."""
    n = 120
    pd.DataFrame({"Kto": [f"K{i:04d}" for i in range(n)], "Alter": rng.integers(18, 80, n)}).to_csv(
        tmp_path / "kunden.csv", sep=";", index=False)
    pd.DataFrame({
        "Käufer": [f"K{i:04d}" for i in rng.integers(0, n, 900)],
        "ts": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 365 * 24, 900), unit="h"),
        "net_sales": rng.gamma(2, 30, 900).round(2),
    }).to_csv(tmp_path / "bons.csv", index=False)
    return tmp_path


def test_id_named_differently_in_each_table_is_given_as_a_list(shop):
    run = _analysis(shop, customers="kunden.csv", transactions="bons.csv",
                    set_id="columns.customer_id=[Kto, Käufer]")
    run.load()
    assert run.inputs.customer_roles.customer_id == "Kto" and run.inputs.transaction_roles.customer_id == "Käufer"
    features = run.build_features()
    assert features.join["both"] == 120 and features.join["transactions_only"] == 0


def test_tables_that_cannot_be_joined_are_errors(shop):
    # No id column found in the customer table: rows numbered 1..n cannot meet the log's ids.
    run = _analysis(shop, customers="kunden.csv", transactions="bons.csv", set_id="columns.customer_id=Käufer")
    with pytest.raises(ColumnError, match=r"kunden.csv: no customer id column found, so its customers cannot be "
                                          r"matched with those of bons.csv \(column 'Käufer'\)"):
        run.load()
    # Ids in both, but none the same.
    pd.read_csv(shop / "kunden.csv", sep=";").assign(Kto=lambda d: d["Kto"].str.lower()).to_csv(
        shop / "kunden.csv", sep=";", index=False)
    run = _analysis(shop, customers="kunden.csv", transactions="bons.csv", set_id="columns.customer_id=[Kto, Käufer]")
    with pytest.raises(DataError, match=r"no customer id is in both tables \(e.g. 'k0000' in column 'Kto' of "
                                        r"kunden.csv, 'K\d{4}' in column 'Käufer' of bons.csv\)"):
        run.load()


def test_misspelt_id_with_two_tables_is_an_error_not_ignored(shop):
    run = _analysis(shop, customers="kunden.csv", transactions="bons.csv", set_id="columns.customer_id=Kaeufer")
    with pytest.raises(ColumnError, match=r"kunden.csv and bons.csv: column 'Kaeufer' \(columns.customer_id\) is in "
                                          r"neither table; did you mean 'Käufer'\?"):
        run.load()


def test_customer_id_list_is_validated():
    with pytest.raises(ConfigError, match="a list of two"):
        load_config(None, overrides=["columns.customer_id=[a, b, c]"])
    with pytest.raises(ConfigError, match="'columns.date' must be a column name"):
        load_config(None, overrides=["columns.date=[a, b]"])


def test_one_behavioural_column_is_clustered_with_the_demographics(tmp_path, rng):
    n = 200
    pd.DataFrame({
        "CustomerID": np.arange(1, n + 1), "Gender": rng.choice(["Male", "Female"], n),
        "Age": rng.integers(18, 70, n), "Annual Income (k$)": rng.integers(15, 137, n),
        "Spending Score (1-100)": rng.integers(1, 100, n),
    }).to_csv(tmp_path / "mall.csv", index=False)
    run = _analysis(tmp_path, customers="mall.csv")
    run.segment()
    assert list(run.X.columns) == ["Gender", "Age", "Annual Income (k$)", "Spending Score (1-100)"]
    # One feature asked for by name still gets a two-axis segment map.
    run = _analysis(tmp_path, customers="mall.csv", set_f="segmentation.features=[Age]")
    run.segment()
    assert sections.embedding(run).shape == (n, 2)


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------


def test_labels_keep_accented_letters():
    assert humanise("Dépenses épicerie") == "dépenses épicerie"
    assert humanise("Âge") == "age" and humanise("Revenu annuel") == "income"
    assert humanise("Visits per month") == "visits" and humanise("NumWebVisitsMonth") == "web visits"


def _profile(features: dict, labels: list[int]):
    idx = pd.Index([str(i) for i in range(len(labels))], name="customer_id")
    return profile_segments(pd.DataFrame(features, index=idx), pd.Series(labels, index=idx, name="segment"),
                            min_cell_size=0)


def test_yes_no_features_are_named_and_described_as_shares():
    names = name_segments(_profile({"PaperlessBilling": [1] * 30 + [0] * 30 + [1] * 10 + [0] * 10,
                                    "tenure": [10.0, 12.0] * 15 + [11.0, 13.0] * 15 + [11.0, 12.0] * 10},
                                   [0] * 30 + [1] * 30 + [2] * 20))
    assert names.loc[0, "name"].startswith("Paperless-billing")
    assert names.loc[1, "name"].startswith("Non-paperless-billing")
    assert names.loc[0, "description"].startswith("Paperless billing: 100% vs 50% overall")


def test_one_off_only_for_customers_with_about_one_order():
    freq = [1.0] * 20 + [4.0, 5.0] * 10 + [12.0, 13.0] * 10  # 6 orders on average
    names = name_segments(_profile({"frequency": freq}, [0] * 20 + [1] * 20 + [2] * 20))
    assert names["name"].tolist() == ["One-off customers", "Infrequent customers", "Regulars"]


def test_weak_second_traits_do_not_name_a_segment():
    # Segment 0 spends less; its orders are the same as everyone's: it is not "low-orders".
    spend = [50.0, 60.0] * 20 + [150.0, 160.0] * 20
    orders = [5.0, 6.0, 5.0, 6.0] * 10 + [5.0, 6.0, 6.0, 5.0] * 10
    names = name_segments(_profile({"spend_last_year": spend, "orders_last_year": orders}, [0] * 40 + [1] * 40))
    assert names.loc[0, "name"] == "Light spenders"


# ---------------------------------------------------------------------------------------------
# A whole report on a French Excel export
# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_report_on_a_french_semicolon_latin1_export(tmp_path, rng):
    n = 400
    table = pd.DataFrame({
        "N° client": [f"C{i:05d}" for i in range(n)], "Sexe": rng.choice(["Homme", "Femme"], n),
        "Âge": rng.integers(18, 85, n),
        "Revenu annuel": [f"{v:.2f}".replace(".", ",") for v in rng.lognormal(10.3, 0.4, n)],
        "Dépenses vins": [f"{v:.2f}".replace(".", ",") for v in rng.gamma(1.5, 80, n)],
        "Nb achats web": rng.poisson(4, n), "Région": rng.choice(["Bretagne", "Occitanie", "Île-de-France"], n),
        "Réponse campagne": rng.choice(["oui", "non"], n, p=[0.2, 0.8]),
    })
    table.to_csv(tmp_path / "clients.csv", sep=";", index=False, encoding="latin-1")
    (tmp_path / "config.yml").write_text("data:\n  customers: clients.csv\ncampaign:\n  response: Réponse campagne\n",
                                         encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "segkit.cli", "report", str(tmp_path / "config.yml"), "--out",
                           str(out), "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    if not CHECK_REPORT.exists():
        pytest.skip("../shared/tools/check_report.py not found")
    check = subprocess.run([sys.executable, str(CHECK_REPORT), str(out), "--campaign", "--rows", str(n)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    segments = pd.read_csv(out / "segments.csv", dtype={"customer_id": str})
    assert segments["customer_id"].iloc[0] == "C00000"
