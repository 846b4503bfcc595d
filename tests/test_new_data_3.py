"""Customer data segkit has never seen, third trial: shop and payment exports (Shopify,
WooCommerce, Stripe), zipped monthly files, workbooks with a notes sheet and a title row, a
pandas index written as a column, Brazilian reais, clock times beside dates, one-off buyers
and a survey answer most customers never gave.

Each test builds a small table the way a user's export looks and checks one thing a new user hit.
"""

from __future__ import annotations

import warnings
import zipfile

import numpy as np
import pandas as pd
import pytest

from segkit.config import load_config
from segkit.exceptions import ColumnError, InputError, SegkitWarning
from segkit.io import detect_roles, read_table, standardise_transactions
from segkit.pipeline import Analysis

#: Quick settings for pipeline tests on a few hundred rows.
FAST = ["segmentation.n_bootstrap=2", "segmentation.k_max=4"]


def _analysis(tmp_path, **data: str) -> Analysis:
    overrides = [f"data.{k}={tmp_path / v}" for k, v in data.items()]
    return Analysis(load_config(None, overrides=[*FAST, *overrides]), verbose=False)


# ---------------------------------------------------------------------------------------------
# Reading: zip archives, workbooks, currencies
# ---------------------------------------------------------------------------------------------


def test_a_zip_of_monthly_files_is_read_like_a_folder(tmp_path):
    path = tmp_path / "sales.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("sales_2024-02.csv", "Sales,CustomerID,InvoiceDate\n7.5,00042,2024-02-03\n")
        archive.writestr("sales_2024-01.csv", "InvoiceDate,CustomerID,Sales\n2024-01-05,00042,3\n2024-01-09,7,4\n")
        archive.writestr("sales_2024-03.csv", "InvoiceDate,CustomerID,Sales\n")  # a month without sales
        archive.writestr("README.txt", "Monthly exports of the shop")
    df = read_table(path)
    assert df["InvoiceDate"].tolist() == ["2024-01-05", "2024-01-09", "2024-02-03"]  # files in name order
    assert df["CustomerID"].tolist() == ["00042", "7", "00042"] and df["Sales"].tolist() == [3.0, 4.0, 7.5]


@pytest.fixture
def workbook(tmp_path):
    """A members list on the second sheet, under a merged title row and a blank row."""
    path = tmp_path / "members.xlsx"
    table = pd.DataFrame({"Member No": ["000001", "000002", "000003"], "Annual Income (k$)": [15, 87, 40],
                          "Gender": ["F", "M", "F"]})
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"About": ["Exported from MemberHub"]}).to_excel(writer, sheet_name="Info", index=False)
        table.to_excel(writer, sheet_name="Members", index=False, startrow=2)
        writer.sheets["Members"]["A1"] = "Member list, December 2024"
        writer.sheets["Members"].merge_cells("A1:C1")
    return path


def test_excel_data_on_a_later_sheet_below_a_title_row(workbook):
    with pytest.warns(SegkitWarning, match=r"members.xlsx: read sheet 'Members', the one with the most data; "
                                           r"not read: 'Info'$"):
        df = read_table(workbook, label="members.xlsx")
    assert list(df.columns) == ["Member No", "Annual Income (k$)", "Gender"]
    assert df["Member No"].tolist() == ["000001", "000002", "000003"]  # zero-padded ids stay text
    assert df["Annual Income (k$)"].tolist() == [15, 87, 40]


def test_brazilian_reais_are_numbers(tmp_path):
    path = tmp_path / "vendas.csv"
    path.write_text("Código do cliente;Valor total\nBR1;R$ 1.234,56\nBR2;R$ 89,90\nBR3;BRL 12,00\n", encoding="utf-8")
    assert read_table(path)["Valor total"].tolist() == [1234.56, 89.9, 12.0]


# ---------------------------------------------------------------------------------------------
# Roles: names that content contradicts
# ---------------------------------------------------------------------------------------------


def test_a_text_column_named_like_an_amount_is_not_the_amount():
    # WooCommerce: 'Payment Method Title' comes before 'Order Total Amount' and is named like a payment
    log = pd.DataFrame({"Order Number": [5000, 5001], "Order Date": ["2024-03-05 14:02", "2024-03-06 09:10"],
                        "Customer User ID": ["1000", "1001"], "Payment Method Title": ["PayPal", "Credit card"],
                        "Order Total Amount": [23.5, 7.0]})
    roles = detect_roles(log, kind="transactions")
    assert roles.amount == "Order Total Amount" and "Payment Method Title" in roles.unused
    assert standardise_transactions(log, roles)["amount"].tolist() == [23.5, 7.0]


def test_a_column_of_clock_times_is_not_the_date():
    log = pd.DataFrame({"Store": ["S1", "S2"], "Time": ["14:02:11", "09:10:00"], "Date": ["2024-03-05", "2024-03-06"],
                        "Member": ["M1", "M2"], "Qty": [2, 1], "Unit Price": [1.5, 4.0]})
    roles = detect_roles(log, kind="transactions")
    assert roles.date == "Date" and roles.time == "Time"  # the time of day of each date (fifth trial)
    assert standardise_transactions(log, roles)["date"].tolist() == [pd.Timestamp("2024-03-05 14:02:11"),
                                                                     pd.Timestamp("2024-03-06 09:10:00")]


def test_a_row_number_written_by_pandas_is_not_a_trait(tmp_path, rng):
    n = 60
    table = pd.DataFrame({"Customer ID": [f"C{i:03d}" for i in range(n)], "Age": rng.integers(18, 80, n),
                          "Visits per month": rng.poisson(4, n)})
    path = tmp_path / "crm.csv"
    path.write_text("Customer activity report\n\n" + table.to_csv())  # to_csv writes the index, unnamed
    df = read_table(path)
    assert list(df.columns) == ["Unnamed: 0", "Customer ID", "Age", "Visits per month"]
    roles = detect_roles(df, kind="customers")
    assert roles.behaviour == ["Visits per month"] and roles.unused == ["Unnamed: 0"]
    log = pd.DataFrame({"Unnamed: 0": [0, 1, 2], "client": ["a", "b", "a"], "day": ["2024-01-02"] * 3,
                        "paid": [3.0, 1.0, 2.0]})
    assert detect_roles(log, kind="transactions").amount == "paid"  # the one number that is not a row count


def test_an_order_total_on_the_first_line_only_gives_way_to_quantity_times_price():
    # Shopify writes Subtotal on an order's first line and leaves it blank on the others
    log = pd.DataFrame({"Name": ["#1001", "#1001", "#1002"], "Customer": ["a", "a", "b"],
                        "Created at": ["2024-03-05 14:02:11 +0100"] * 3, "Subtotal": [40.0, None, 7.0],
                        "Lineitem quantity": [2, 1, 1], "Lineitem price": [15.0, 10.0, 7.0]})
    roles = detect_roles(log, kind="transactions")
    assert roles.amount is None and "Subtotal" in roles.unused
    assert standardise_transactions(log, roles)["amount"].tolist() == [30.0, 10.0, 7.0]
    assert detect_roles(log.fillna({"Subtotal": 0.0}), kind="transactions").amount == "Subtotal"


def test_a_log_keyed_by_email_takes_the_email_as_the_customer():
    log = pd.DataFrame({"Email": ["ann@example.com", "bob@example.org"], "Created at": ["2024-03-05"] * 2,
                        "Total": [3.0, 4.0]})
    # nothing else names the customer: the e-mail address does (issue 14: a log keyed by 'Email' only)
    assert standardise_transactions(log, label="orders.csv")["customer_id"].tolist() == [
        "ann@example.com", "bob@example.org"]
    with pytest.raises(ColumnError, match=r"orders.csv: no customer id column found .*\(or set columns.customer_id; "
                                          r"column 'Email' holds e-mail addresses, which can be the id\)$"):
        standardise_transactions(log, {"identifiers": ["Email"]}, label="orders.csv")


@pytest.mark.parametrize(("column", "values", "flagged", "kept"), [
    ("Status", ["succeeded", "failed", "succeeded"], "'failed'", "succeeded"),
    ("Financial Status", ["paid", "refunded", "partially_refunded"], "'partially_refunded', 'refunded'", "paid"),
], ids=["stripe", "shopify"])
def test_failed_or_refunded_lines_of_a_status_column_are_warned_about(column, values, flagged, kept):
    log = pd.DataFrame({"customer": ["a", "b", "c"], "date": ["2024-01-02"] * 3, "amount": [1.0, 2.0, 3.0],
                        column: values})
    with pytest.warns(SegkitWarning, match=rf"^pay.csv: column '{column}' marks \d lines? as {flagged}, counted as "
                                           rf"sales like the others \(to leave them out, set data.where: "
                                           rf"\{{{column}: \[{kept}\]\}}\)$"):
        standardise_transactions(log, label="pay.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error", SegkitWarning)
        standardise_transactions(log.assign(**{column: kept}), label="pay.csv")


# ---------------------------------------------------------------------------------------------
# Pipeline: one-off buyers, mostly missing answers
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def one_order_each(tmp_path, rng) -> Analysis:
    """A profiled run on a log of 200 customers who each bought once."""
    n = 200
    pd.DataFrame({"customer_id": [f"U{i}" for i in range(n)],
                  "order_date": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"))
                  .strftime("%Y-%m-%d"),
                  "order_total": rng.gamma(3, 20, n).round(2)}).to_csv(tmp_path / "orders.csv", index=False)
    run = _analysis(tmp_path, transactions="orders.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SegkitWarning)  # constant 'frequency' left out of the clustering
        run.profile()
    return run


def test_a_log_where_everyone_bought_once_reports_without_lifetime_value(one_order_each):
    run = one_order_each
    assert run.value() is None
    assert "There is no predicted lifetime value: the models could not be fitted (BG/NBD: needs several customers " \
           "and at least one repeat purchase); 0 of 200 customers bought on more than one day." in run.notes


def test_features_that_repeat_another_for_everyone_are_left_out(one_order_each):
    # One order each: tenure is recency and the average order is the spend, so a segment of
    # early buyers is not "long-standing" and spend is not counted twice.
    run = one_order_each
    assert {"tenure_days", "avg_order_value"}.isdisjoint(run.X.columns)
    assert "Left out as the same as another feature for every customer: tenure_days (= recency_days), " \
           "avg_order_value (= monetary)." in run.notes
    assert {"tenure_days", "avg_order_value"}.isdisjoint(run.profile_.lift.columns)
    assert not any("long-standing" in name for name in run.names["name"])


def test_a_mostly_missing_column_is_profiled_not_clustered(tmp_path, rng):
    n = 300
    nps = rng.integers(0, 11, n).astype(float)
    nps[rng.random(n) < 0.95] = np.nan  # a survey answered by a few
    pd.DataFrame({"account_id": [f"{i:06d}" for i in range(n)], "seats": rng.integers(1, 400, n),
                  "logins_30d": rng.poisson(30, n), "nps_score": nps}).to_csv(tmp_path / "accounts.csv", index=False)
    run = _analysis(tmp_path, customers="accounts.csv")
    run.segment()
    assert list(run.X.columns) == ["seats", "logins_30d"]
    assert "nps_score" in run.features.frame.columns  # still profiled
    assert any(note.startswith("Not clustered on, because missing for most customers (profiled only): nps_score (9")
               for note in run.notes)
    named = _analysis(tmp_path, customers="accounts.csv")
    named.config["segmentation"]["features"] = ["seats", "nps_score"]
    named.segment()
    assert list(named.X.columns) == ["seats", "nps_score"]  # named by the analyst: clustered on


def test_a_zip_whose_files_disagree_names_the_file(tmp_path):
    path = tmp_path / "sales.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("jan.csv", "customer,date,amount\n1,2024-01-02,3\n")
        archive.writestr("feb.csv", "customer,date,total\n1,2024-02-02,3\n")
    with pytest.raises(InputError, match=r"sales.zip: jan.csv has different columns from feb.csv \(missing: "
                                         r"\['total'\]; extra: \['amount'\]\)"):
        read_table(path, label="sales.zip")


# ---------------------------------------------------------------------------------------------
# Python API
# ---------------------------------------------------------------------------------------------


def test_profiles_take_the_segmenters_label_array():
    from segkit.exceptions import DataError
    from segkit.profile import profile_segments

    idx = pd.Index([f"c{i}" for i in range(40)], name="customer_id")
    features = pd.DataFrame({"spend": [10.0, 12.0] * 10 + [90.0, 95.0] * 10}, index=idx)
    labels = np.array([0] * 20 + [1] * 20)  # Segmenter.labels_, in the rows' order
    profile = profile_segments(features, labels, min_cell_size=0)
    assert profile.summary["size"].tolist() == [20, 20]
    with pytest.raises(DataError, match=r"labels: 39 labels for 40 customers; expected one label per row"):
        profile_segments(features, labels[:-1])
