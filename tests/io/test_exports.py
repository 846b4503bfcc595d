"""segkit.io.exports: the registry of vendor export profiles, tested as a mechanism.

Each registered profile is run on a small table of the export it comes from, once with the
registry as it is and once without that profile: the difference is exactly the change the
profile stands for. A table of no such export comes out of role detection as it would with
no profile at all.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd
import pytest

from segkit.config import load_config
from segkit.exceptions import ConfigError, DataError, SegkitWarning
from segkit.io import (
    ColumnRoles,
    ExportProfile,
    ExportProfiles,
    detect_roles,
    export_profiles,
    standardise_transactions,
)
from segkit.io.roles import RoleSearch
from tests.runs import analysis, log_analysis

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
