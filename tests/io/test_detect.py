"""segkit.io.detect on purchase logs: the customer found whatever the log calls it, long order
numbers read as ids, and a kind for every column of the log."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.io import detect_roles, read_table, standardise_transactions

RNG = np.random.default_rng(7)
N = 120
DAYS = [f"2024-0{1 + i % 9}-{10 + i % 18}" for i in range(N)]


def _log(customer_name: str, customers) -> pd.DataFrame:
    return pd.DataFrame({"invoice": [f"INV-{i // 2:05d}" for i in range(N)], customer_name: customers,
                         "date": DAYS, "total": RNG.gamma(3, 10, N).round(2)})


@pytest.mark.parametrize("name", ["loyalty card", "member no", "kundenkarte", "carta fedeltà", "klantenkaart",
                                  "n.º cliente", "n.o cliente", "código do cliente", "Kundennummer"],
                         ids=["loyalty-card", "member-no", "customer-card-de", "loyalty-card-it", "customer-card-nl",
                              "customer-no-pt", "customer-no-pt-plain", "customer-code-pt", "customer-no-de"])
def test_the_customer_of_a_log_is_found_whatever_it_is_called(name):
    log = _log(name, [f"K{i % 30:04d}" for i in range(N)])
    roles = detect_roles(log, kind="transactions")
    assert roles.customer_id == name and roles.columns[name].kind == "identifier"


def test_a_log_with_only_an_email_takes_it_as_the_customer():
    log = _log("Email", [f"person{i % 25}@example.com" for i in range(N)])
    roles = detect_roles(log, kind="transactions")
    assert roles.customer_id == "Email" and roles.identifiers == []
    beside = log.assign(**{"Customer ID": [f"C{i % 25}" for i in range(N)]})
    assert detect_roles(beside, kind="transactions").identifiers == ["Email"]


def test_order_numbers_of_twenty_digits_are_read_as_ids(tmp_path):
    numbers = [f"85{i // 3:018d}" for i in range(N)]
    log = _log("customer", [f"C{i % 20}" for i in range(N)]).assign(invoice=numbers)
    log.to_csv(tmp_path / "orders.csv", index=False)
    raw = read_table(tmp_path / "orders.csv")
    roles = detect_roles(raw, kind="transactions")
    assert roles.invoice == "invoice" and roles.columns["invoice"].kind == "identifier"
    assert standardise_transactions(raw, roles)["invoice"].tolist() == numbers


def test_a_bare_id_holding_a_value_per_charge_is_the_order():
    log = pd.DataFrame({"id": [f"ch_{i:08x}" for i in range(N)], "Customer ID": [f"cus_{i % 40}" for i in range(N)],
                        "Created (UTC)": DAYS, "Amount": RNG.gamma(3, 10, N).round(2)})
    roles = detect_roles(log, kind="transactions")
    assert roles.invoice == "id" and roles.customer_id == "Customer ID"


def test_a_time_of_day_beside_the_purchase_date_is_its_time():
    log = pd.DataFrame({"bill no": [100000 + i // 2 for i in range(N)], "purchase date": DAYS,
                        "order time": [f"{8 + i % 10:02d}:{i % 60:02d}:00" for i in range(N)],
                        "loyalty card": [f"L{i % 30}" for i in range(N)], "sales": RNG.gamma(3, 10, N).round(2)})
    roles = detect_roles(log, kind="transactions")
    assert (roles.date, roles.time) == ("purchase date", "order time")


def test_every_column_of_a_log_gets_a_kind():
    log = pd.DataFrame({
        "InvoiceNo": [536365 + i // 3 for i in range(N)], "StockCode": [f"{RNG.integers(10000, 99999)}A" for _ in range(N)],
        "Description": [f"{a} {b} LANTERN" for a in ("WHITE", "RED", "BLUE", "PINK") for b in "ABCDEFGHIJ"] * 3,
        "Quantity": RNG.integers(1, 12, N), "InvoiceDate": DAYS, "UnitPrice": RNG.gamma(2, 2, N).round(2),
        "CustomerID": [17850 + i % 20 for i in range(N)], "Status": ["paid", "paid", "refunded"] * 40,
        "Currency": ["EUR"] * N, "Shipping": [4.9] * (N - 20) + [0.0] * 20,
    })
    calls = detect_roles(log, kind="transactions").columns
    kinds = {c: (call.role, call.kind) for c, call in calls.items()}
    assert kinds == {
        "InvoiceNo": ("invoice", "identifier"), "StockCode": ("none", "identifier"), "Description": ("none", "text"),
        "Quantity": ("quantity", "quantity"), "InvoiceDate": ("date", "date"), "UnitPrice": ("price", "money"),
        "CustomerID": ("customer_id", "identifier"), "Status": ("none", "code"), "Currency": ("none", "code"),
        "Shipping": ("none", "money"),
    }
