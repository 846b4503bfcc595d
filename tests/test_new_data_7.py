"""Customer data segkit has never seen, seventh trial: order exports. Shopify writes an order's
fields (``Financial Status``, ``Paid at``, ``Currency``, ``Billing Country``) on its first line
only and its order id in a bare ``Id`` column on every line; Stripe and Shopify write refunds as
an amount beside the paid one (``Amount Refunded``, ``Refunded Amount``).

Each test builds a small table the way a user's export looks and checks one thing a new user hit.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from segkit import io as sio
from segkit.config import load_config
from segkit.exceptions import ColumnError, ConfigError, SegkitWarning
from segkit.features.clean import clean_transactions
from segkit.pipeline import Analysis

#: Quick settings for pipeline tests on a few rows.
FAST = ["segmentation.n_bootstrap=2", "segmentation.k_max=4"]


def _analysis(tmp_path, name: str, *overrides: str, where: dict | None = None) -> Analysis:
    config = load_config(None, overrides=[*FAST, f"data.transactions={tmp_path / name}", *overrides])
    if where:
        config["data"]["where"] = where
    return Analysis(config, verbose=False)


def _features(run: Analysis) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SegkitWarning)
        return run.build_features().frame


# ---------------------------------------------------------------------------------------------
# A Shopify orders export
# ---------------------------------------------------------------------------------------------

#: name, e-mail, created at, financial status, billing country, discount code, refunded amount,
#: items (quantity, price, title)
ORDERS = [
    ("#1001", "ann@example.com", "2024-03-05 09:12", "paid", "FR", "SPRING", 0.0, [(2, 15.0, "Mug"), (1, 10.0, "Tea")]),
    ("#1002", "bo@example.org", "2024-03-05 11:00", "refunded", "DE", None, 23.4,  # shipping refunded too
     [(1, 7.0, "Cup"), (3, 2.5, "Spoon"), (1, 4.0, "Tea")]),
    ("#1003", "ann@example.com", "2024-03-05 17:40", "pending", "FR", None, 0.0, [(1, 12.0, "Pot")]),
    ("#1004", "ann@example.com", "2024-03-20 08:05", "paid", "DE", "VIP", 0.0, [(2, 15.0, "Mug"), (1, 5.0, "Tea")]),
    ("#1005", "bo@example.org", "2024-03-22 14:30", "partially_refunded", "DE", None, 8.0,
     [(1, 20.0, "Pot"), (2, 4.0, "Cup")]),
]


def _shopify_export(*, refunds: bool = False) -> pd.DataFrame:
    """One line per item; name, e-mail, creation time, SKU and the order id (``Id``) on every line;
    the order's status, payment, currency, totals, discount code, country (and refund) on its first
    line only."""
    rows = []
    for n, (name, email, created, status, country, code, refunded, items) in enumerate(ORDERS):
        subtotal = sum(q * p for q, p, _ in items)
        for i, (quantity, price, title) in enumerate(items):
            first = i == 0
            row = {
                "Name": name, "Email": email, "Financial Status": status if first else None,
                "Paid at": created if first and status != "pending" else None,
                "Fulfillment Status": ("fulfilled" if status != "pending" else "unfulfilled") if first else None,
                "Currency": "EUR" if first else None, "Subtotal": subtotal if first else None,
                "Shipping": 4.9 if first else None, "Total": subtotal + 4.9 if first else None,
                "Discount Code": code if first else None, "Created at": created,
                "Lineitem quantity": quantity, "Lineitem name": title, "Lineitem price": price,
                "Lineitem sku": f"SKU-{title.upper()}", "Billing Country": country if first else None,
                "Id": 5_604_000_001 + n,
            }
            if refunds:
                row["Refunded Amount"] = refunded if first else None
            rows.append(row)
    return pd.DataFrame(rows)


#: The order of each line of the export, and the fields the first line of each order holds.
LINE_ORDERS = [order for order in ORDERS for _ in order[-1]]


def test_an_orders_first_line_fields_are_filled_down_to_its_other_lines():
    log = _shopify_export()
    roles = sio.detect_roles(log, kind="transactions", given={"customer_id": "Email"})
    with pytest.warns(SegkitWarning, match="'Financial Status' marks 6 lines"):
        std = sio.standardise_transactions(log, roles)
    assert std["country"].tolist() == [o[4] for o in LINE_ORDERS]
    assert std["amount"].tolist() == [30.0, 10.0, 7.0, 7.5, 4.0, 12.0, 30.0, 5.0, 20.0, 8.0]  # quantity x price
    # text, category and date fields; not the totals (numbers) nor what every line has
    assert roles.order_fields == ["Financial Status", "Paid at", "Fulfillment Status", "Currency", "Discount Code",
                                  "Billing Country"]
    filled = sio.fill_order_fields(log, roles)
    assert filled["Financial Status"].tolist() == [o[3] for o in LINE_ORDERS]
    assert filled["Paid at"].fillna("-").tolist() == ["-" if o[3] == "pending" else o[2] for o in LINE_ORDERS]
    assert filled["Discount Code"].fillna("-").tolist() == [o[5] or "-" for o in LINE_ORDERS]
    assert filled["Subtotal"].isna().sum() == 5  # an order's total stays on its first line
    assert ("  order fields    detected   Financial Status, Paid at, Fulfillment Status, Currency,\n"
            "                             Discount Code, Billing Country (on each order's first line only; "
            "filled down to the order's other lines)") in roles.describe()


def test_the_data_quality_table_says_which_fields_were_filled(tmp_path):
    log = _shopify_export()
    roles = sio.detect_roles(log, kind="transactions", given={"customer_id": "Email"})
    quality = sio.quality_report(log, roles, label="orders_export.csv")
    assert quality.order_fields[0] == {"column": "Financial Status", "lines": 5, "invoice": "Name"}
    assert "Financial Status" not in quality.missing and quality.missing["Subtotal"] == 5
    frame = quality.to_frame()
    row = frame[(frame["check"] == "filled from the order's first line") & (frame["column"] == "Billing Country")]
    assert row[["count", "detail"]].values.tolist() == [[5, "one value per order (Name), written on its first "
                                                            "line only"]]
    assert quality.to_dict()["order_fields"][-1] == {"column": "Billing Country", "lines": 5, "invoice": "Name"}


def test_data_where_on_an_order_field_keeps_whole_orders(tmp_path):
    _shopify_export().to_csv(tmp_path / "orders_export.csv", index=False)
    run = _analysis(tmp_path, "orders_export.csv", "columns.customer_id=Email",
                    where={"Financial Status": ["paid"]})  # as the status warning advises
    frame = _features(run)
    assert run.inputs.transactions["invoice"].tolist() == ["#1001", "#1001", "#1004", "#1004"]
    assert frame["frequency"].to_dict() == {"ann@example.com": 2}
    assert frame["monetary"].to_dict() == {"ann@example.com": 75.0}  # 40 + 35, every line of each order
    both = _analysis(tmp_path, "orders_export.csv", "columns.customer_id=Email",
                     where={"Financial Status": ["paid", "partially_refunded"]})
    assert _features(both)["monetary"].to_dict() == {"ann@example.com": 75.0, "bo@example.org": 28.0}


def test_the_status_warning_counts_every_line_of_the_orders_it_names(tmp_path):
    _shopify_export().to_csv(tmp_path / "orders_export.csv", index=False)
    run = _analysis(tmp_path, "orders_export.csv", "columns.customer_id=Email")
    with pytest.warns(SegkitWarning) as caught:
        run.load()
    assert ("orders_export.csv: column 'Financial Status' marks 6 lines as 'partially_refunded', 'pending', "
            "'refunded', counted as sales like the others (to leave them out, set data.where: "
            "{Financial Status: [paid]})") in [str(w.message) for w in caught]


def test_shares_from_an_order_field_count_every_line(tmp_path):
    _shopify_export().to_csv(tmp_path / "orders_export.csv", index=False)
    frame = _features(_analysis(tmp_path, "orders_export.csv", "columns.customer_id=Email"))
    # Ann: #1001 (40) and #1003 (12) billed to France, #1004 (35) to Germany
    assert frame.loc["ann@example.com", "share_country_fr"] == pytest.approx(52 / 87)
    assert frame.loc["ann@example.com", "share_country_de"] == pytest.approx(35 / 87)
    assert frame.loc["bo@example.org", "share_country_de"] == pytest.approx(1.0)
    assert "share_country_other" not in frame  # no line without a country


def test_a_column_filled_on_later_lines_or_seen_on_one_order_only_is_left_alone():
    log = pd.DataFrame({
        "Order": ["A1", "A1", "A2", "A2", "A3", "A3", "A4"],
        "Customer": ["a", "a", "b", "b", "a", "a", "c"],
        "Date": ["2024-03-05"] * 2 + ["2024-03-06"] * 2 + ["2024-03-07"] * 2 + ["2024-03-08"],
        "Qty": [1, 2, 1, 1, 3, 1, 1], "Price": [5.0, 2.0, 4.0, 4.0, 1.0, 9.0, 3.0],
        "Gift Note": ["hi", None, None, "for you", "hey", None, "x"],  # on a later line of A2: a line's
        "Coupon": ["SPRING", None, None, None, None, None, "VIP"],  # one multi-line order only: too little
        "Order Total": [9.0, None, 8.0, None, 12.0, None, 3.0],  # an order's total: a number, not filled
        "Channel": ["web", None, "store", None, "web", None, None],  # first lines of A1, A2, A3: an order field
    })
    roles = sio.detect_roles(log, kind="transactions")
    std = sio.standardise_transactions(log, roles)
    assert std["channel"].fillna("-").tolist() == ["web", "web", "store", "store", "web", "web", "-"]
    assert std["amount"].tolist() == [5.0, 4.0, 4.0, 4.0, 3.0, 9.0, 3.0]
    assert roles.order_fields == ["Channel"] and roles.amount is None
    # a first line without the field, and a later line with it: the values belong to lines
    late = log.assign(Channel=["web", None, None, "store", "web", None, None])
    assert sio.detect_roles(late, kind="transactions").order_fields == []


# ---------------------------------------------------------------------------------------------
# A bare 'Id' column
# ---------------------------------------------------------------------------------------------


def test_a_bare_id_holding_one_value_per_order_is_not_the_customer(tmp_path):
    log = _shopify_export()
    roles = sio.detect_roles(log, kind="transactions")
    # the e-mail address is the customer (issue 14), never the order id
    assert roles.customer_id == "Email" and "Id" in roles.unused
    with pytest.raises(ColumnError, match=r"^orders_export.csv: no customer id column found .*\(or set "
                                          r"columns.customer_id; column 'Email' holds e-mail addresses, which can "
                                          r"be the id; column 'Id' holds one value per order, as 'Name' does, so it "
                                          r"is not taken as the customer\)$"):
        sio.standardise_transactions(log, {"identifiers": ["Email"]}, label="orders_export.csv")
    log.to_csv(tmp_path / "orders_export.csv", index=False)
    for overrides in ((), ("columns.customer_id=Email",)):
        frame = _features(_analysis(tmp_path, "orders_export.csv", *overrides))
        assert frame["frequency"].to_dict() == {"ann@example.com": 3, "bo@example.org": 2}


def test_an_id_that_is_the_customer_stays_the_customer():
    people = pd.DataFrame({"ID": [5524, 2174, 4141], "Income": [58138.0, 46344.0, 71613.0],
                           "Response": [1, 0, 0]})  # iFood's customer table
    assert sio.detect_roles(people, kind="customers").customer_id == "ID"
    log = pd.DataFrame({"ID": [5524, 5524, 2174, 5524], "Invoice": ["A1", "A1", "A2", "A3"],
                        "Date": ["2024-03-05", "2024-03-05", "2024-03-06", "2024-03-09"],
                        "Amount": [3.0, 4.0, 5.0, 6.0]})
    assert sio.detect_roles(log, kind="transactions").customer_id == "ID"  # orders A1 and A3 are one customer's
    assert sio.detect_roles(log.drop(columns="Invoice"), kind="transactions").customer_id == "ID"


# ---------------------------------------------------------------------------------------------
# Refunds written as an amount beside the paid one
# ---------------------------------------------------------------------------------------------


def _stripe_payments() -> pd.DataFrame:
    """A Stripe payments export: one line per charge, the refunded part in 'Amount Refunded'."""
    return pd.DataFrame({
        "id": ["ch_1", "ch_2", "ch_3", "ch_4", "ch_5"],
        "Created (UTC)": ["2024-03-01 10:00", "2024-03-08 10:00", "2024-03-02 09:00", "2024-03-09 09:00",
                          "2024-03-10 09:00"],
        "Amount": ["50.00", "30.00", "40.00", "25.00", "15.00"],
        "Amount Refunded": ["20.00", "0.00", "40.00", "0.00", "0.00"],
        "Currency": ["eur"] * 5,
        "Converted Amount": ["54.10", "32.46", "43.28", "27.05", "16.23"],
        "Converted Amount Refunded": ["21.64", "0.00", "43.28", "0.00", "0.00"],
        "Status": ["Paid", "Paid", "Refunded", "Paid", "Failed"],
        "Customer ID": ["cus_A", "cus_A", "cus_B", "cus_B", "cus_B"],
        "Customer Email": ["a@example.com", "a@example.com", "b@example.org", "b@example.org", "b@example.org"],
    })


def test_an_amount_refunded_column_is_subtracted_from_revenue(tmp_path):
    _stripe_payments().to_csv(tmp_path / "payments.csv", index=False)
    run = _analysis(tmp_path, "payments.csv")
    with pytest.warns(SegkitWarning) as caught:
        frame = run.build_features().frame
    # a charge of 50 with 20 refunded counts 30; one of 40 refunded in full counts 0, as a return
    assert frame["monetary"].to_dict() == {"cus_A": 60.0, "cus_B": 40.0}
    assert frame["frequency"].to_dict() == {"cus_A": 2, "cus_B": 3}
    assert frame["return_rate"].to_dict() == {"cus_A": 0.25, "cus_B": 0.5}
    roles = run.inputs.transaction_roles
    assert (roles.customer_id, roles.amount, roles.refunded) == ("Customer ID", "Amount", "Amount Refunded")
    assert "Converted Amount Refunded" in roles.unused
    entry = run.features.cleaning["refunds"]
    assert (entry.action, entry.rows, entry.revenue, entry.column) == ("netted", 2, -60.0, "refunded")
    # refunds are netted already: only the failed charge is warned about
    assert [str(w.message) for w in caught if "Status" in str(w.message)] == [
        "payments.csv: column 'Status' marks 1 line as 'Failed', counted as sales like the others (to leave them "
        "out, set data.where: {Status: [Paid, Refunded]})"]


def test_an_orders_refunded_amount_is_taken_once_and_at_most_what_was_paid(tmp_path):
    _shopify_export(refunds=True).to_csv(tmp_path / "orders_export.csv", index=False)
    run = _analysis(tmp_path, "orders_export.csv", "columns.customer_id=Email")
    frame = _features(run)
    # Bo: #1002 (18.5 of items) refunded in full, with its shipping (23.4: counted as 18.5); #1005 (28) 8 refunded
    assert frame["monetary"].to_dict() == {"ann@example.com": 87.0, "bo@example.org": 20.0}
    assert frame["frequency"].to_dict() == {"ann@example.com": 3, "bo@example.org": 2}
    assert frame.loc["bo@example.org", "return_rate"] == pytest.approx(26.5 / 46.5)
    assert frame.loc["ann@example.com", "return_rate"] == 0.0
    roles = run.inputs.transaction_roles
    assert roles.refunded == "Refunded Amount" and "Refunded Amount" not in roles.order_fields
    entry = run.features.cleaning["refunds"]
    assert (entry.rows, entry.revenue) == (2, -26.5)
    assert run.data_warnings == [  # refunds are netted: only the pending order is warned about
        "orders_export.csv: column 'Financial Status' marks 1 line as 'pending', counted as sales like the others "
        "(to leave them out, set data.where: {Financial Status: [paid, partially_refunded, refunded]})"]


def test_refunds_named_in_the_config_and_kept_when_asked(tmp_path):
    log = pd.DataFrame({"client": ["a", "a", "b"], "day": ["2024-03-01", "2024-03-05", "2024-03-02"],
                        "paid": [50.0, 30.0, 40.0], "Money back": [20.0, None, 40.0]})
    assert sio.detect_roles(log, kind="transactions").refunded is None  # not named like a refund
    log.to_csv(tmp_path / "till.csv", index=False)
    run = _analysis(tmp_path, "till.csv", "columns.refunded=Money back")
    assert _features(run)["monetary"].to_dict() == {"a": 60.0, "b": 0.0}
    std = sio.standardise_transactions(log, {"refunded": "Money back"})
    assert std["refunded"].tolist() == [20.0, 0.0, 40.0]
    kept, cleaning = clean_transactions(std, rules={"refunds": "keep"})
    assert kept["amount"].tolist() == [50.0, 30.0, 40.0]
    assert (cleaning["refunds"].action, cleaning["refunds"].rows, cleaning["refunds"].revenue) == ("kept", 2, -60.0)
    with pytest.raises(ConfigError, match=r"'columns.refunded' must be a column name"):
        load_config(None, overrides=["columns.refunded=[a, b]"])


def test_a_refunded_amount_named_first_is_not_the_amount():
    log = pd.DataFrame({"Order ID": ["W1", "W2"], "Order Date": ["2024-03-05", "2024-03-06"],
                        "Customer User ID": ["1000", "1001"], "Refunded Amount": [0.0, 7.0],
                        "Order Amount": [23.5, 7.0]})  # WooCommerce
    roles = sio.detect_roles(log, kind="transactions")
    assert roles.amount == "Order Amount"
    lines = clean_transactions(sio.standardise_transactions(log, roles))[0]
    assert lines.groupby("customer_id")["amount"].sum().to_dict() == {"1000": 23.5, "1001": 0.0}
    assert roles.refunded == "Refunded Amount"
