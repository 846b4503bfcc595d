"""segkit.io.detect: which column plays which role, by name and by content; roles given in the config
win and are checked; on purchase logs the customer is found whatever the log calls it, long order
numbers are read as ids, and every column of the log gets a kind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ColumnError, ConfigError, InputError
from segkit.io import detect_roles, read_table, standardise_customers, standardise_transactions
from tests.runs import analysis

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


def test_detect_transaction_roles_with_unusual_names():
    log = pd.DataFrame({
        "Client Ref": ["a", "b"], "Order Timestamp": ["2021-03-01 10:00", "2021-03-02 11:30"],
        "Basket No": ["B1", "B2"], "Line Total": [9.5, 3.0], "Units": [1, 2], "Price Each": [9.5, 1.5],
        "Product Name": ["mug", "cup"], "Sales Channel": ["web", "store"], "Product Category": ["home", "home"],
        "Ship Country": ["FR", "DE"], "Buyer Email": ["a@x.org", "b@y.com"],
    })
    roles = detect_roles(log, kind="transactions")
    assert (roles.customer_id, roles.date, roles.invoice) == ("Client Ref", "Order Timestamp", "Basket No")
    assert (roles.amount, roles.quantity, roles.price) == ("Line Total", "Units", "Price Each")
    assert (roles.channel, roles.category, roles.country) == ("Sales Channel", "Product Category", "Ship Country")
    assert roles.identifiers == ["Buyer Email"] and roles.unused == ["Product Name"]
    assert roles.kind == "transactions" and roles.detected[0] == "customer_id"


def test_detect_transaction_date_and_amount_by_content():
    log = pd.DataFrame({"customer": ["a", "b", "a"], "when": ["05/01/2021", "17/02/2021", "01/03/2021"],
                        "paid": [1.5, 2.0, 3.25], "sku": ["x1", "x2", "x3"]})
    roles = detect_roles(log, kind="transactions")
    assert (roles.customer_id, roles.date, roles.amount) == ("customer", "when", "paid")
    log = standardise_transactions(log, roles)
    assert log["date"].tolist() == pd.to_datetime(["2021-01-05", "2021-02-17", "2021-03-01"]).tolist()


def test_detect_customer_roles_with_unusual_names():
    people = pd.DataFrame({
        "Member No": [1, 2, 3], "Gender": ["F", "M", "F"], "Age": [31, 45, 27],
        "Annual Income (k$)": [15, 16, 17], "Spending Score (1-100)": [39, 81, 6],
        "Device Type": ["ios", "android", "web"], "Favourite Hobby": ["golf", "chess", "art"],
        "City": ["Lyon", "Oslo", "Rome"], "Full Name": ["A B", "C D", "E F"],
        "Contact": ["a@x.org", "c@d.com", "e@f.net"], "Opened Promo": ["yes", "no", "Yes"],
        "visits_per_month": [3, 4, 5], "Store Id": [7, 8, 9], "Cost per contact": [3, 3, 3],
        "Loyalty Tier": ["gold", "silver", "gold"],
    })
    roles = detect_roles(people, kind="customers")
    assert roles.customer_id == "Member No"
    assert roles.demographics == ["Gender", "Age", "Annual Income (k$)"]
    assert roles.technographics == ["Device Type"] and roles.psychographics == ["Favourite Hobby"]
    assert roles.geography == ["City"] and roles.campaigns == ["Opened Promo"]
    assert roles.identifiers == ["Full Name", "Contact"]  # by name, and by content ('@')
    # text with few levels (a loyalty tier) is behaviour too, so it is profiled rather than dropped
    assert roles.behaviour == ["Spending Score (1-100)", "visits_per_month", "Loyalty Tier"]
    assert roles.constants == ["Cost per contact"]
    assert roles.unused == ["Store Id"]


def test_given_roles_win_and_are_reported():
    people = pd.DataFrame({"ID": ["1", "2"], "Ref": ["x", "y"], "Income": [1, 2], "Visits": [3, 4]})
    roles = detect_roles(people, kind="customers",
                         given={"customer_id": "Ref", "behaviour": ["Income", "Visits"], "demographics": [],
                                "amount": "Sales", "date": "InvoiceDate", "geography": None})
    assert roles.customer_id == "Ref" and roles.behaviour == ["Income", "Visits"] and roles.demographics == []
    assert "customer_id" not in roles.detected and roles.unused == ["ID"]
    text = roles.describe()
    assert "customer_id     given      Ref" in text and "behaviour       given      Income, Visits" in text
    assert repr(roles).startswith("ColumnRoles(customer_id='Ref', behaviour=['Income', 'Visits']")


@pytest.mark.parametrize(
    ("given", "error", "message"),
    [
        ({"customer_id": "customerid"}, ColumnError,
         r"people\.csv: column 'customerid' \(columns\.customer_id\) is not in the data; did you mean 'Customer ID'\?"),
        ({"demographics": ["Income", "Incme"]}, ColumnError, r"column 'Incme' \(columns\.demographics\).*'Income'"),
        ({"campaigns": ["zzz"]}, ColumnError, r"column 'zzz' .* columns are \['Customer ID', 'Income'\]"),
        ({"demographic": ["Income"]}, ConfigError, r"columns: unknown role 'demographic'; did you mean 'demographics'"),
        ({"customer_id": ["a", "b"]}, ConfigError, r"columns\.customer_id must be one column name"),
    ],
    ids=["case-and-space", "typo-in-list", "no-close-name", "unknown-key", "list-for-single"],
)
def test_given_roles_are_validated(given, error, message):
    people = pd.DataFrame({"Customer ID": [1, 2], "Income": [3.0, 4.0]})
    with pytest.raises(error, match=message):
        detect_roles(people, kind="customers", given=given, label="people.csv")


def test_unknown_kind():
    with pytest.raises(ConfigError, match="kind must be one of"):
        detect_roles(pd.DataFrame({"a": [1]}), kind="orders")


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


def test_churn_flags_are_outcomes_profiled_not_clustered(tmp_path):
    rng = np.random.default_rng(4)
    n = 300
    pd.DataFrame({"cust_id": range(n), "Spend": rng.gamma(2, 50, n).round(2), "Visits": rng.poisson(5, n),
                  "Churned": rng.choice([0, 1], n), "Exited": rng.choice(["Yes", "No"], n)}).to_csv(
        tmp_path / "crm.csv", index=False)
    run = analysis(tmp_path, customers="crm.csv")
    run.load()
    # churn is an outcome, not a campaign response: never targeted on (issue 14)
    assert run.inputs.customer_roles.outcomes == ["Churned", "Exited"] and run.inputs.customer_roles.campaigns == []
    run.build_features()
    run.segment()
    assert {"Churned", "Exited"}.isdisjoint(run.X.columns)
    assert run.features.bases["Churned"] == "outcome"


def test_a_text_column_named_like_an_amount_is_not_the_amount():
    # WooCommerce: 'Payment Method Title' comes before 'Order Total Amount' and is named like a payment
    log = pd.DataFrame({"Order Number": [5000, 5001], "Order Date": ["2024-03-05 14:02", "2024-03-06 09:10"],
                        "Customer User ID": ["1000", "1001"], "Payment Method Title": ["PayPal", "Credit card"],
                        "Order Total Amount": [23.5, 7.0]})
    roles = detect_roles(log, kind="transactions")
    assert roles.amount == "Order Total Amount" and "Payment Method Title" in roles.unused
    assert standardise_transactions(log, roles)["amount"].tolist() == [23.5, 7.0]


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


def test_mall_customers_genre_is_a_demographic_feature():
    mall = pd.DataFrame({"CustomerID": [1, 2, 3, 4], "Genre": ["Male", "Female", "Female", "Male"],
                         "Age": [19, 21, 20, 23], "Annual Income (k$)": [15, 15, 16, 16],
                         "Spending Score (1-100)": [39, 81, 6, 77]})
    roles = detect_roles(mall, kind="customers")
    assert "Genre" in roles.demographics and "Genre" not in roles.unused


def test_a_preferred_channel_in_a_customer_table_is_still_a_trait():
    table = pd.DataFrame({"user_id": range(20), "preferred_channel": ["email", "sms", "push", "email"] * 5,
                          "orders": range(20)})
    roles = detect_roles(table, kind="customers")
    assert "preferred_channel" in roles.behaviour


def test_detect_roles_on_a_list_is_a_clear_error():
    with pytest.raises(InputError, match="expects a pandas DataFrame, got list"):
        detect_roles([{"id": 1}], kind="customers")


def test_attitude_answers_are_psychographic_whatever_the_question_is_called():
    # Named after the question, Likert columns fell to behaviour, so the report's "Attitudes
    # and technology" section never showed them; how often someone visits stays behaviour.
    from segkit.io import detect_roles

    table = pd.DataFrame({
        "Respondent": [f"R{i}" for i in range(40)],
        "I would recommend the shop": ["Agree", "Strongly agree", "Neutral", "Disagree"] * 10,
        "Delivery": ["Very satisfied", "Satisfied", "Dissatisfied", "Neither satisfied nor dissatisfied"] * 10,
        "How often do you visit": ["Never", "Often", "Always", "Sometimes"] * 10,
        "Spend": np.arange(40.0),
    })
    roles = detect_roles(table, kind="customers")
    assert roles.psychographics == ["I would recommend the shop", "Delivery"]
    assert roles.behaviour == ["How often do you visit", "Spend"]
