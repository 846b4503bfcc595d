"""segkit.io.exports: the registry of vendor export profiles, tested as a mechanism.

Each registered profile is run on a small table of the export it comes from, once with the
registry as it is and once without that profile: the difference is exactly the change the
profile stands for. A table of no such export comes out of role detection as it would with
no profile at all.

Then each profile on fuller tables of its export (Shopify orders, Stripe payments, WooCommerce
orders, sales ledgers with a sale/refund column, tills writing the time of day apart): the roles
found, the standardised lines, and the features and warnings a run on them gives.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd
import pytest

from segkit import io as sio
from segkit.config import load_config
from segkit.exceptions import ColumnError, ConfigError, DataError, SegkitWarning
from segkit.features.clean import clean_transactions
from segkit.io import (
    ColumnRoles,
    ExportProfile,
    ExportProfiles,
    detect_roles,
    export_profiles,
    standardise_transactions,
)
from segkit.io.roles import RoleSearch
from tests.runs import analysis, log_analysis, quiet_features

DAYS = ["2024-03-05", "2024-03-05", "2024-03-06", "2024-03-06"]


@dataclass
class Case:
    """A table of one export, the profile that reads its quirk, and the roles it changes."""

    profile: str
    table: pd.DataFrame
    changed: dict  # role -> value with the profile
    unchanged: dict  # role -> value without it


CASES = {
    "shopify-orders-name": Case(
        "order-numbers",
        pd.DataFrame({"Name": ["#1001", "#1001", "#1002", "#1003"], "Customer": ["a", "a", "b", "a"],
                      "Date": DAYS, "Total": [3.0, 4.5, 2.0, 8.0]}),
        changed={"invoice": "Name"},
        unchanged={"invoice": None},
    ),
    "shopify-orders-id": Case(
        "order-ids",
        pd.DataFrame({"Id": [501, 501, 502, 503], "Invoice": ["1001", "1001", "1002", "1003"],
                      "Created at": DAYS, "Total": [3.0, 4.5, 2.0, 8.0]}),
        changed={"customer_id": None},
        unchanged={"customer_id": "Id"},
    ),
    "shopify-orders-subtotal": Case(
        "order-totals",
        pd.DataFrame({"Customer": ["a", "a", "b", "b"], "Date": DAYS, "Invoice": ["1", "1", "2", "2"],
                      "Quantity": [1, 2, 1, 3], "Price": [10.0, 10.0, 5.0, 1.0], "Subtotal": [30.0, None, 8.0, None]}),
        changed={"amount": None},
        unchanged={"amount": "Subtotal"},
    ),
    "shopify-orders-financial-status": Case(
        "order-fields",
        pd.DataFrame({"Invoice": ["1", "1", "2", "2"], "Customer": ["a", "a", "b", "b"], "Date": DAYS,
                      "Total": [3.0, 4.5, 2.0, 8.0], "Financial Status": ["paid", None, "refunded", None]}),
        changed={"order_fields": ["Financial Status"]},
        unchanged={"order_fields": []},
    ),
    "stripe-payments-charge-id": Case(
        "charge-ids",
        pd.DataFrame({"id": ["ch_3Mt1", "ch_3Mt2", "ch_3Mt3", "ch_3Mt4"], "Customer ID": ["cus_a", "cus_b", "cus_a", "cus_c"],
                      "Created (UTC)": DAYS, "Amount": [50.0, 20.0, 10.0, 5.0]}),
        changed={"invoice": "id"},
        unchanged={"invoice": None},
    ),
    "stripe-payments-refunds": Case(
        "refunded-amounts",
        pd.DataFrame({"Customer": ["a", "b", "a", "c"], "Date": DAYS, "Amount": [50.0, 20.0, 10.0, 5.0],
                      "Amount Refunded": [20.0, 0.0, 0.0, 5.0]}),
        changed={"refunded": "Amount Refunded"},
        unchanged={"refunded": None},
    ),
    "till-receipts-date-time": Case(
        "times-of-day",
        pd.DataFrame({"Customer": ["a", "b", "a", "c"], "Date": DAYS, "Time": ["14:02", "09:10", "18:45", "2:05 PM"],
                      "Total": [3.0, 4.5, 2.0, 8.0]}),
        changed={"time": "Time"},
        unchanged={"time": None},
    ),
    "sales-ledger-sale-refund": Case(
        "return-lines",
        pd.DataFrame({"Customer": ["a", "b", "a", "c"], "Date": DAYS, "Total": [3.0, 4.5, 3.0, 8.0],
                      "type": ["sale", "sale", "Refund", "sale"]}),
        changed={"returns": "type"},
        unchanged={"returns": None},
    ),
}

#: Tables of no vendor's export: role detection leaves them as it would without any profile.
PLAIN = {
    "online-retail-log": ("transactions", pd.DataFrame({
        "InvoiceNo": ["536365", "536365", "536366", "536367"], "StockCode": ["85123A", "71053", "22633", "84879"],
        "Quantity": [6, 6, 2, 32], "InvoiceDate": ["2010-12-01 08:26", "2010-12-01 08:26", "2010-12-01 08:28",
                                                   "2010-12-01 08:34"],
        "UnitPrice": [2.55, 3.39, 1.85, 1.69], "CustomerID": [17850.0, 17850.0, 17850.0, 13047.0],
        "Country": ["United Kingdom"] * 4})),
    "cdnow-log": ("transactions", pd.DataFrame({
        "customer_id": ["00001", "00002", "00002", "00003"], "date": [19970101, 19970112, 19970112, 19970102],
        "number_of_cds": [1, 1, 5, 2], "dollar_value": [11.77, 12.0, 77.0, 20.76]})),
    "marketing-customers": ("customers", pd.DataFrame({
        "ID": [5524, 2174, 4141, 6182], "Year_Birth": [1957, 1954, 1965, 1984], "Marital_Status": ["Single"] * 2
        + ["Together", "Married"], "Income": [58138.0, 46344.0, 71613.0, 26646.0], "MntWines": [635, 11, 426, 11],
        "Dt_Customer": ["04-09-2012", "08-03-2014", "21-08-2013", "10-02-2014"], "Response": [1, 0, 0, 0]})),
}


@pytest.fixture
def registry():
    """``export_profiles`` for the test to change; its profiles and their order come back afterwards."""
    saved = list(export_profiles)
    yield export_profiles
    for profile in list(export_profiles):
        export_profiles.unregister(profile.name)
    for profile in saved:
        export_profiles.register(profile)


def _leave_out(registry: ExportProfiles, *names: str) -> None:
    """Unregister the profiles ``names`` (every profile without names)."""
    for name in names or [profile.name for profile in registry]:
        registry.unregister(name)


def test_every_registered_profile_has_a_table_of_its_export():
    tested = {case.profile for case in CASES.values()} | {"unpaid-status"}
    assert tested == {profile.name for profile in export_profiles}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_profile_changes_the_roles_of_a_table_of_its_export(case, registry):
    roles = detect_roles(case.table, kind="transactions")
    assert {role: getattr(roles, role) for role in case.changed} == case.changed
    _leave_out(registry, case.profile)
    without = detect_roles(case.table, kind="transactions")
    assert {role: getattr(without, role) for role in case.unchanged} == case.unchanged


#: Tables of CASES with roles the config gives, and the roles that come out as given.
STANDING_ASIDE = {
    "shopify-orders-id-given": ("shopify-orders-id", {"customer_id": "Id"}, {"customer_id": "Id"}),
    "shopify-orders-subtotal-given": ("shopify-orders-subtotal", {"amount": "Subtotal"}, {"amount": "Subtotal"}),
    "till-receipts-date-given": ("till-receipts-date-time", {"date": "Date"}, {"time": None}),
    "till-receipts-date-and-time-given": ("till-receipts-date-time", {"date": "Date", "time": "Time"},
                                          {"time": "Time"}),
}


@pytest.mark.parametrize("case, given, expected", STANDING_ASIDE.values(), ids=STANDING_ASIDE.keys())
def test_a_profile_stands_aside_when_the_config_gives_its_role(case, given, expected):
    roles = detect_roles(CASES[case].table, kind="transactions", given=given)
    assert {role: getattr(roles, role) for role in expected} == expected
    assert not set(expected) & set(roles.detected)


def test_unpaid_status_lines_are_warned_about_by_the_stripe_profile(registry):
    payments = pd.DataFrame({"Customer": ["a", "b", "a", "c"], "Date": DAYS, "Amount": [50.0, 20.0, 10.0, 5.0],
                             "Status": ["succeeded", "failed", "succeeded", "succeeded"]})
    with pytest.warns(SegkitWarning, match=r"column 'Status' marks 1 line as 'failed'"):
        standardise_transactions(payments, label="payments.csv")
    _leave_out(registry, "unpaid-status")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        standardise_transactions(payments, label="payments.csv")


@pytest.mark.parametrize("kind, table", PLAIN.values(), ids=PLAIN.keys())
def test_a_table_no_profile_matches_stays_as_it_was(kind, table, registry):
    roles = detect_roles(table, kind=kind)
    _leave_out(registry)
    assert len(registry) == 0
    assert detect_roles(table, kind=kind) == roles
    if kind == "transactions":
        assert roles.invoice or roles.amount  # the table was read, just without a quirk


class Pennies(ExportProfile):
    """A made-up till that writes amounts in pennies in a column ending '(p)'."""

    name, export, roles = "pennies", "made-up-till", ("amount",)

    def applies(self, search: RoleSearch) -> bool:
        return search.roles.amount is None

    def change(self, search: RoleSearch) -> dict:
        pennies = [c for c in search.free() if str(c).endswith("(p)")]
        return {"amount": pennies[0]} if pennies else {}


TILL = pd.DataFrame({"Customer": ["a", "b"], "Date": ["2024-03-05", "2024-03-06"], "Paid (p)": [250, 1999],
                     "Till": [1, 2]})


def test_a_new_profile_is_one_registration_away(registry):
    assert detect_roles(TILL, kind="transactions").amount is None  # two numbers: neither is the amount
    registry.register(Pennies())
    roles = detect_roles(TILL, kind="transactions")
    assert roles.amount == "Paid (p)" and "amount" in roles.detected
    assert detect_roles(TILL, kind="transactions", given={"amount": "Till"}).amount == "Till"


def test_a_profile_registered_again_keeps_its_place(registry):
    order = [profile.name for profile in registry]
    replacement = type(registry["order-ids"])()
    registry.register(replacement)
    assert [profile.name for profile in registry] == order
    assert registry["order-ids"] is replacement


def test_a_profile_that_finds_nothing_changes_nothing():
    search = RoleSearch(TILL, ColumnRoles(kind="transactions"))
    assert export_profiles["refunded-amounts"].change(search) == {}
    assert export_profiles["return-lines"].change(search) == {}


@pytest.mark.parametrize("profile, message", [
    (Pennies, "must be an ExportProfile"),
    (type("Nameless", (ExportProfile,), {})(), "with a name"),
    (type("Late", (ExportProfile,), {"name": "late", "stage": "later"})(), r"a stage in \['names', 'roles', 'lines'\]"),
], ids=["a-class-not-an-instance", "no-name", "unknown-stage"])
def test_the_registry_refuses_what_is_not_a_profile(profile, message, registry):
    with pytest.raises(ConfigError, match=message):
        registry.register(profile)


def test_unregistering_an_unknown_profile_names_the_closest(registry):
    with pytest.raises(ConfigError, match="no export profile 'order-id'; did you mean 'order-ids'"):
        registry.unregister("order-id")


# ---------------------------------------------------------------------------------------------
# Sale and refund lines marked by a type column (return-lines)
# ---------------------------------------------------------------------------------------------


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


def test_the_refund_column_can_be_named_in_the_config(tmp_path):
    log = pd.DataFrame({"cust": ["a", "a", "b", "b"] * 30, "day": ["2024-01-02", "2024-02-03"] * 60,
                        "total": [10.0, 4.0, 8.0, 2.0] * 30, "kind": ["sale", "credit", "sale", "sale"] * 30})
    log.to_csv(tmp_path / "log.csv", index=False)
    run = analysis(tmp_path, transactions="log.csv")
    run.config["columns"]["returns"] = load_config(None, overrides=["columns.returns=kind"])["columns"]["returns"]
    run.load()
    assert run.inputs.transaction_roles.returns == "kind"
    assert (run.inputs.transactions["amount"] < 0).sum() == 30
    log["kind"] = ["S", "R", "S", "S"] * 30  # codes segkit cannot read as sale/refund
    log.to_csv(tmp_path / "log.csv", index=False)
    with pytest.raises(DataError, match=r"column 'kind' \(columns.returns\) has no value that marks a return.*'R', 'S'"):
        run.load()


# ---------------------------------------------------------------------------------------------
# Order totals on the first line only (order-totals) and unpaid lines (unpaid-status)
# ---------------------------------------------------------------------------------------------


def test_an_order_total_on_the_first_line_only_gives_way_to_quantity_times_price():
    # Shopify writes Subtotal on an order's first line and leaves it blank on the others
    log = pd.DataFrame({"Name": ["#1001", "#1001", "#1002"], "Customer": ["a", "a", "b"],
                        "Created at": ["2024-03-05 14:02:11 +0100"] * 3, "Subtotal": [40.0, None, 7.0],
                        "Lineitem quantity": [2, 1, 1], "Lineitem price": [15.0, 10.0, 7.0]})
    roles = detect_roles(log, kind="transactions")
    assert roles.amount is None and "Subtotal" in roles.unused
    assert standardise_transactions(log, roles)["amount"].tolist() == [30.0, 10.0, 7.0]
    assert detect_roles(log.fillna({"Subtotal": 0.0}), kind="transactions").amount == "Subtotal"


@pytest.mark.parametrize(("column", "values", "flagged", "kept"), [
    ("Status", ["succeeded", "failed", "succeeded"], "'failed'", "succeeded"),
    ("Financial Status", ["paid", "refunded", "partially_refunded"], "'partially_refunded', 'refunded'", "paid"),
], ids=["stripe-payments", "shopify-orders"])
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
# Order numbers written like Shopify's ('#1001' in a column called Name: order-numbers)
# ---------------------------------------------------------------------------------------------


def _shopify_export_of_four_orders() -> pd.DataFrame:
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
    _shopify_export_of_four_orders().to_csv(tmp_path / "orders_export.csv", index=False)
    run = log_analysis(tmp_path, "orders_export.csv", "columns.customer_id=Email")
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
# A time column beside the date (times-of-day)
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# A Shopify orders export: an order's fields on its first line only (order-fields)
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
    run = log_analysis(tmp_path, "orders_export.csv", "columns.customer_id=Email",
                    where={"Financial Status": ["paid"]})  # as the status warning advises
    frame = quiet_features(run)
    assert run.inputs.transactions["invoice"].tolist() == ["#1001", "#1001", "#1004", "#1004"]
    assert frame["frequency"].to_dict() == {"ann@example.com": 2}
    assert frame["monetary"].to_dict() == {"ann@example.com": 75.0}  # 40 + 35, every line of each order
    both = log_analysis(tmp_path, "orders_export.csv", "columns.customer_id=Email",
                     where={"Financial Status": ["paid", "partially_refunded"]})
    assert quiet_features(both)["monetary"].to_dict() == {"ann@example.com": 75.0, "bo@example.org": 28.0}


def test_the_status_warning_counts_every_line_of_the_orders_it_names(tmp_path):
    _shopify_export().to_csv(tmp_path / "orders_export.csv", index=False)
    run = log_analysis(tmp_path, "orders_export.csv", "columns.customer_id=Email")
    with pytest.warns(SegkitWarning) as caught:
        run.load()
    assert ("orders_export.csv: column 'Financial Status' marks 6 lines as 'partially_refunded', 'pending', "
            "'refunded', counted as sales like the others (to leave them out, set data.where: "
            "{Financial Status: [paid]})") in [str(w.message) for w in caught]


def test_shares_from_an_order_field_count_every_line(tmp_path):
    _shopify_export().to_csv(tmp_path / "orders_export.csv", index=False)
    frame = quiet_features(log_analysis(tmp_path, "orders_export.csv", "columns.customer_id=Email"))
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
# A bare 'Id' column (order-ids)
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
        frame = quiet_features(log_analysis(tmp_path, "orders_export.csv", *overrides))
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
# Refunds written as an amount beside the paid one (refunded-amounts)
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
    run = log_analysis(tmp_path, "payments.csv")
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
    run = log_analysis(tmp_path, "orders_export.csv", "columns.customer_id=Email")
    frame = quiet_features(run)
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


def test_a_refunded_amount_named_first_is_not_the_amount():
    log = pd.DataFrame({"Order ID": ["W1", "W2"], "Order Date": ["2024-03-05", "2024-03-06"],
                        "Customer User ID": ["1000", "1001"], "Refunded Amount": [0.0, 7.0],
                        "Order Amount": [23.5, 7.0]})  # WooCommerce
    roles = sio.detect_roles(log, kind="transactions")
    assert roles.amount == "Order Amount"
    lines = clean_transactions(sio.standardise_transactions(log, roles))[0]
    assert lines.groupby("customer_id")["amount"].sum().to_dict() == {"1000": 23.5, "1001": 0.0}
    assert roles.refunded == "Refunded Amount"
