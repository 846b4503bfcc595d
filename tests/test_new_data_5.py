"""Customer data segkit has never seen, fifth trial: order numbers written like Shopify's
(``#1001`` in a column called ``Name``) and tills that write the date and the time of day in
two columns (``Date`` + ``Time``, ``InvoiceDate`` + ``InvoiceTime``, ``date`` + ``hour``).

Each test builds a small table the way a user's export looks and checks one thing a new user hit.
"""

from __future__ import annotations

import pandas as pd
import pytest

from segkit.config import load_config
from segkit.exceptions import ConfigError, DataError, SegkitWarning
from segkit.io import detect_roles, standardise_transactions
from segkit.pipeline import Analysis

#: Quick settings for pipeline tests on a few rows.
FAST = ["segmentation.n_bootstrap=2", "segmentation.k_max=4"]


def _analysis(tmp_path, name: str, *overrides: str, verbose: bool = False) -> Analysis:
    config = load_config(None, overrides=[*FAST, f"data.transactions={tmp_path / name}", *overrides])
    return Analysis(config, verbose=verbose)


# ---------------------------------------------------------------------------------------------
# Order numbers: Shopify's '#1001'
# ---------------------------------------------------------------------------------------------


def _shopify_export() -> pd.DataFrame:
    """A Shopify orders export: one line per item; the order's name, e-mail and creation time on
    every line, its status, payment time and totals on its first line only."""
    orders = [  # name, e-mail, created at, status, items (quantity, price, title)
        ("#1001", "ann@example.com", "2024-03-05 09:12:40 +0100", "paid", [(2, 15.0, "Mug"), (1, 10.0, "Tea")]),
        ("#1002", "bo@example.org", "2024-03-05 11:00:00 +0100", "refunded",
         [(1, 7.0, "Cup"), (3, 2.5, "Spoon"), (1, 4.0, "Tea")]),
        ("#1003", "ann@example.com", "2024-03-05 17:40:00 +0100", "pending", [(1, 12.0, "Pot")]),  # same day
        ("#1004", "ann@example.com", "2024-03-20 08:05:00 +0100", "paid", [(2, 15.0, "Mug")]),
    ]
    people = {"ann@example.com": "Ann Lee", "bo@example.org": "Bo Chen"}
    rows = []
    for name, email, created, status, items in orders:
        subtotal = sum(q * p for q, p, _ in items)
        for i, (quantity, price, title) in enumerate(items):
            first = i == 0
            rows.append({
                "Name": name, "Email": email, "Financial Status": status if first else None,
                "Paid at": created if first and status != "pending" else None,
                "Subtotal": subtotal if first else None, "Total": subtotal + 4.9 if first else None,
                "Created at": created, "Lineitem quantity": quantity, "Lineitem name": title,
                "Lineitem price": price, "Billing Name": people[email] if first else None,
                "Cancelled at": "2024-03-06 10:00:00 +0100" if first and status == "refunded" else None,
                "Receipt Number": None,  # filled by the shop's till only
            })
    return pd.DataFrame(rows)


def test_shopify_order_numbers_count_the_orders(tmp_path):
    _shopify_export().to_csv(tmp_path / "orders_export.csv", index=False)
    run = _analysis(tmp_path, "orders_export.csv", "columns.customer_id=Email")
    # the status of #1002 (3 lines) and #1003 (1 line), written on first lines only, counts for every line
    with pytest.warns(SegkitWarning, match="'Financial Status' marks 4 lines"):
        run.build_features()
    roles = run.inputs.transaction_roles
    assert (roles.invoice, roles.date, roles.amount) == ("Name", "Created at", None)  # 'Paid at': first lines only
    assert {"Receipt Number", "Billing Name", "Cancelled at", "Financial Status"} <= set(roles.unused)
    frame = run.features.frame
    # Ann ordered twice on 5 March (#1001, #1003), which customer-days would count as one order
    assert frame["frequency"].to_dict() == {"ann@example.com": 3, "bo@example.org": 1}
    assert frame["monetary"].to_dict() == {"ann@example.com": 82.0, "bo@example.org": 18.5}
    assert run.features.cleaning["cancellations"].rows == 0  # '#1001' is an order, not a cancellation
    assert ("orders_export.csv: column 'Financial Status' marks 4 lines as 'pending', 'refunded', counted as "
            "sales like the others (to leave them out, set data.where: {Financial Status: [paid]})"
            in run.data_warnings)


@pytest.mark.parametrize("column", ["Name", "Order Name", "Reference", "#"],
                         ids=["shopify-name", "order-name", "reference", "hash"])
def test_hash_order_numbers_are_the_orders_whatever_the_header(column):
    log = pd.DataFrame({"Store": ["#12", "#12", "#12", "#12"], column: ["#C1001", "#C1001", "#C1002", "#C1003"],
                        "Customer ID": ["a", "a", "b", "a"], "Order Date": ["2024-03-05", "2024-03-05",
                                                                            "2024-03-05", "2024-03-07"],
                        "Total": [3.0, 4.0, 5.0, 6.0]})
    roles = detect_roles(log, kind="transactions")
    assert roles.invoice == column and "Store" in roles.unused  # a store number many customers share is not
    assert standardise_transactions(log, roles)["invoice"].tolist() == ["#C1001", "#C1001", "#C1002", "#C1003"]
    from segkit.features.clean import clean_transactions

    _, cleaning = clean_transactions(standardise_transactions(log, roles))
    assert cleaning["cancellations"].rows == 0  # '#C1001' is an order whose number starts with C


def test_a_name_column_of_people_or_of_numbers_across_customers_is_not_the_order():
    log = pd.DataFrame({"Name": ["Ann Lee", "Ann Lee", "Bo Chen"], "Customer ID": ["a", "a", "b"],
                        "Date": ["2024-03-05", "2024-03-06", "2024-03-05"], "Total": [3.0, 4.0, 5.0]})
    assert detect_roles(log, kind="transactions").invoice is None
    # one '#' number for two customers, or for one customer on two days, is not an order
    for names in (["#1001", "#1002", "#1001"], ["#1001", "#1001", "#1002"]):
        assert detect_roles(log.assign(Name=names), kind="transactions").invoice is None
    assert detect_roles(log.assign(Name=["#1001", "#1003", "#1002"]), kind="transactions").invoice == "Name"


# ---------------------------------------------------------------------------------------------
# Dates and times in two columns
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("date", "time", "times", "expected"), [
    ("Date", "Time", ["14:02:11", "09:10:00", "23:59:59"], ["14:02:11", "09:10:00", "23:59:59"]),
    ("Order Date", "Order Time", ["2:05 PM", "9:10 AM", "12:00 AM"], ["14:05:00", "09:10:00", "00:00:00"]),
    ("InvoiceDate", "InvoiceTime", ["14:02", "9:10", None], ["14:02:00", "09:10:00", "00:00:00"]),
    ("date", "hour", [14, 9, 0], ["14:00:00", "09:00:00", "00:00:00"]),
    ("Fecha", "Hora", ["14:02", "09:10", "00:30"], ["14:02:00", "09:10:00", "00:30:00"]),
], ids=["date-time", "order-am-pm", "invoice-blank-time", "date-hour", "spanish"])
def test_a_date_and_a_time_column_make_one_timestamp(date, time, times, expected):
    log = pd.DataFrame({time: times, "Customer": ["a", "b", "a"], date: ["3/15/2024", "3/16/2024", "3/17/2024"],
                        "Amount": [3.0, 4.0, 5.0]})
    roles = detect_roles(log, kind="transactions")
    assert (roles.date, roles.time) == (date, time) and roles.unused == []
    assert standardise_transactions(log, roles)["date"].tolist() == [
        pd.Timestamp(f"2024-03-15 {expected[0]}"), pd.Timestamp(f"2024-03-16 {expected[1]}"),
        pd.Timestamp(f"2024-03-17 {expected[2]}")]


def test_a_time_column_that_is_not_the_days_time_is_left_alone():
    log = pd.DataFrame({"Customer": ["a", "b"], "Order Date": ["2024-03-05", "2024-03-06"],
                        "Delivery Time": ["18:00", "08:30"], "Amount": [3.0, 4.0]})
    assert detect_roles(log, kind="transactions").time is None  # the time of another event
    stamped = log.rename(columns={"Delivery Time": "Time"}).assign(**{"Order Date": ["2024-03-05 09:00",
                                                                                    "2024-03-06 10:30"]})
    assert detect_roles(stamped, kind="transactions").time is None  # the date has its time already
    lengths = log.rename(columns={"Delivery Time": "Time"}).assign(Time=["45:30", "12:10"])
    assert detect_roles(lengths, kind="transactions").time is None  # minutes:seconds, not a time of day
    billed = log.rename(columns={"Delivery Time": "Hours"}).assign(Hours=[3, 8])
    assert detect_roles(billed, kind="transactions").time is None  # hours worked, not the hour of the day


def test_the_combined_timestamp_is_printed_and_checked(tmp_path, capsys):
    pd.DataFrame({"Date": ["2024-03-05", "2024-03-05", "2024-03-09"], "Time": ["09:12", "17:40", "08:05"],
                  "Member": ["M1", "M1", "M2"], "Sales": [3.0, 4.0, 5.0]}).to_csv(tmp_path / "till.csv", index=False)
    run = _analysis(tmp_path, "till.csv", verbose=True)
    inputs = run.load()
    assert "  time            detected   Time (time of day, combined with Date into one timestamp)" in \
        capsys.readouterr().out
    assert inputs.transactions["date"].tolist() == [pd.Timestamp("2024-03-05 09:12"), pd.Timestamp("2024-03-05 17:40"),
                                                    pd.Timestamp("2024-03-09 08:05")]
    quality = inputs.quality["transactions"]
    assert (quality.first_date, quality.last_date) == ("2024-03-05 09:12:00", "2024-03-09 08:05:00")


def test_a_given_date_is_used_as_given_and_a_given_time_is_added(tmp_path):
    pd.DataFrame({"Order Date": ["2024-03-05", "2024-03-06"], "Order Time": ["14:02", "09:10"],
                  "Member": ["M1", "M2"], "Sales": [3.0, 4.0]}).to_csv(tmp_path / "till.csv", index=False)
    given = _analysis(tmp_path, "till.csv", "columns.date=Order Date").load()
    assert given.transaction_roles.time is None
    assert given.transactions["date"].tolist() == [pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-06")]
    both = _analysis(tmp_path, "till.csv", "columns.date=Order Date", "columns.time=Order Time").load()
    assert both.transactions["date"].tolist() == [pd.Timestamp("2024-03-05 14:02"), pd.Timestamp("2024-03-06 09:10")]
    with pytest.raises(ConfigError, match=r"'columns.time' must be a column name"):
        load_config(None, overrides=["columns.time=[a, b]"])


def test_a_value_that_is_not_a_time_names_column_value_and_row():
    log = pd.DataFrame({"Customer": ["a", "b", "c"], "Date": ["2024-03-05"] * 3, "Time": ["14:02", "09:10", "25:61"],
                        "Amount": [3.0, 4.0, 5.0]})
    with pytest.raises(DataError, match=r"^till.csv: column 'Time' has 1 value that is not a time of day "
                                        r"\(e.g. '25:61' at row 3\); expected times like 14:02:11 or 2:02 PM$"):
        standardise_transactions(log, {"time": "Time"}, label="till.csv")
