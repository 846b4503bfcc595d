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

from segkit.exceptions import ConfigError, SegkitWarning
from segkit.io import (
    ColumnRoles,
    ExportProfile,
    ExportProfiles,
    detect_roles,
    export_profiles,
    standardise_transactions,
)
from segkit.io.roles import RoleSearch

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
