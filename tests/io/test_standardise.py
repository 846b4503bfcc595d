"""segkit.io.standardise: raw tables to the standardised purchase log and customer table, with errors
that name the file, column, value and row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ColumnError, DataError
from segkit.io import ColumnRoles, read_table, standardise_customers, standardise_transactions


def test_standardise_transactions_exact():
    raw = pd.DataFrame({"InvoiceNo": [536365.0, 536366.0], "CustomerID": [17850.0, np.nan],
                        "InvoiceDate": ["2010-12-01 08:26:00", "2010-12-01 08:28:00"],
                        "Quantity": [6, -2], "UnitPrice": ["2.55", "1.85"], "Channel": ["web", " store "]})
    expected = pd.DataFrame({
        "customer_id": pd.array(["17850", pd.NA], dtype="string"),
        "date": pd.to_datetime(["2010-12-01 08:26:00", "2010-12-01 08:28:00"]).astype("datetime64[ns]"),
        "amount": [6 * 2.55, -2 * 1.85], "quantity": [6.0, -2.0], "price": [2.55, 1.85],
        "invoice": pd.array(["536365", "536366"], dtype="string"),
        "channel": pd.array(["web", "store"], dtype="string"),
    })
    pd.testing.assert_frame_equal(standardise_transactions(raw), expected)


def _log(**columns):
    base = {"CustomerID": [str(i) for i in range(1, 21)], "InvoiceDate": ["2011-12-09"] * 20, "Sales": [1.0] * 20}
    base.update(columns)
    return pd.DataFrame({k: v for k, v in base.items() if v is not None})


@pytest.mark.parametrize(
    ("frame", "error", "message"),
    [
        (_log(CustomerID=None), ColumnError,
         r"orders\.csv: no customer id column found among \['InvoiceDate', 'Sales'\]; expected one named like"),
        (_log(InvoiceDate=None), ColumnError, r"orders\.csv: no date column found among \['CustomerID', 'Sales'\]"),
        (_log(Sales=None), ColumnError, r"orders\.csv: no amount column and no quantity \+ price columns"),
        (_log(InvoiceDate=["2011-12-09"] * 16 + ["yesterday", "2011-12-09", "soon", "never"]), DataError,
         r"^orders\.csv: column 'InvoiceDate' has 3 values that are not dates \(e\.g\. 'yesterday' at row 17\); "
         r"expected dates like 2011-12-09$"),
        (_log(Sales=[1.0] * 4 + ["ten", "-"] + [2.0] * 14), DataError,
         r"^orders\.csv: column 'Sales' has 2 non-numeric values \(e\.g\. 'ten' at row 5\); expected numbers$"),
        (_log(Sales=None, Quantity=[1] * 20, UnitPrice=["1.5"] * 19 + ["abc"]), DataError,
         r"column 'UnitPrice' has 1 non-numeric value \(e\.g\. 'abc' at row 20\)"),
        (_log(InvoiceDate=[20111209] * 19 + [42]), DataError,
         r"column 'InvoiceDate' has 1 value that is not a date \(e\.g\. 42 at row 20\)"),
    ],
    ids=["no-customer-id", "no-date", "no-amount", "bad-dates", "bad-amount", "bad-price", "bad-number-date"],
)
def test_standardise_transactions_failures(frame, error, message):
    with pytest.raises(error, match=message):
        standardise_transactions(frame, label="orders.csv")


def test_bad_value_is_located_in_its_file(tmp_path):
    (tmp_path / "a.csv").write_text("CustomerID,InvoiceDate,Sales\n1,2011-01-01,1\n2,2011-01-01,2\n")
    (tmp_path / "b.csv").write_text("CustomerID,InvoiceDate,Sales\n3,2011-01-02,1\n4,2011-01-02,x\n")
    message = r"^logs: column 'Sales' has 1 non-numeric value \(e\.g\. 'x' at row 2 of b\.csv\)"
    with pytest.raises(DataError, match=message):
        standardise_transactions(read_table(tmp_path, label="logs"))


def test_roles_from_another_table_are_checked():
    roles = ColumnRoles(customer_id="CustomerID", date="InvoiceDate", amount="Sales")
    with pytest.raises(ColumnError, match=r"x: column 'Sales' \(role amount\) is not in the data"):
        standardise_transactions(pd.DataFrame({"CustomerID": [1], "InvoiceDate": ["2011-01-01"]}), roles, label="x")


def test_standardise_customers_without_id():
    raw = pd.DataFrame({"Age": [30, 41], "Gender": ["F", "M"]})
    out = standardise_customers(raw)
    expected = pd.DataFrame({"customer_id": pd.array(["1", "2"], dtype="string"), "Age": [30, 41],
                             "Gender": ["F", "M"]})
    pd.testing.assert_frame_equal(out, expected)
    assert out.attrs["segkit_id_generated"] is True


def test_standardise_customers_keeps_original_columns():
    raw = pd.DataFrame({"CustomerID": [17850.0, 13047.0], "Income": ["1,200", "950"], "Signup": ["21-08-2013",
                                                                                                 "04-09-2012"]})
    out = standardise_customers(raw)
    assert out["customer_id"].tolist() == ["17850", "13047"] and out.attrs["segkit_id_generated"] is False
    assert list(out.columns) == ["customer_id", "CustomerID", "Income", "Signup"]
    assert out["Income"].tolist() == [1200.0, 950.0]
    assert out["Signup"].tolist() == [pd.Timestamp("2013-08-21"), pd.Timestamp("2012-09-04")]


@pytest.mark.parametrize(
    "values",
    [[0, 1, np.nan], ["no", "Yes", None], ["n", "Y", None], ["false", "TRUE", None], [False, True, None],
     [0.0, 1.0, np.nan]],
    ids=["0-1", "yes-no", "y-n", "true-false", "bools", "floats"],
)
def test_campaign_answers_become_int8(values):
    raw = pd.DataFrame({"ID": ["a", "b", "c"], "AcceptedCmp1": values})
    out = standardise_customers(raw)
    expected = pd.Series(pd.array([0, 1, pd.NA], dtype="Int8"), name="AcceptedCmp1")
    pd.testing.assert_series_equal(out["AcceptedCmp1"], expected)


@pytest.mark.parametrize(
    ("frame", "given", "message"),
    [
        (pd.DataFrame({"ID": ["a", "b", "a", "c"]}), None,
         r"^crm\.csv: column 'ID' has 1 duplicate customer id \(e\.g\. 'a' at rows 1 and 3\); "
         r"expected one row per customer$"),
        (pd.DataFrame({"ID": ["a", None, "c"]}), None, r"column 'ID' has 1 missing customer id \(e\.g\. at row 2\)"),
        (pd.DataFrame({"ID": list("abcdefghij"), "Response": ["yes", "maybe"] + ["no"] * 8}), None,
         r"^crm\.csv: column 'Response' has 1 value that is not a yes/no answer \(e\.g\. 'maybe' at row 2\); "
         r"expected 0/1, yes/no, y/n or true/false$"),
        (pd.DataFrame({"ID": ["a", "b", "c"], "AcceptedCmp2": [0, 2, 1]}), {"campaigns": ["AcceptedCmp2"]},
         r"column 'AcceptedCmp2' has 1 value that is not a yes/no answer \(e\.g\. 2 at row 2\)"),
        (pd.DataFrame({"ID": ["a", "b", "c"], "Income": ["58138", "unknown", "7"]}), None,
         r"^crm\.csv: column 'Income' has 1 non-numeric value \(e\.g\. 'unknown' at row 2\); expected numbers$"),
        (pd.DataFrame({"ID": ["a", "b", "c"], "Visits": ["1", "2", "lots"]}), {"behaviour": ["Visits"]},
         r"column 'Visits' has 1 non-numeric value \(e\.g\. 'lots' at row 3\)"),
        (pd.DataFrame({"ID": ["a", "b"], "Signup Date": ["2011-01-01", "someday"]}), None,
         r"column 'Signup Date' has 1 value that is not a date \(e\.g\. 'someday' at row 2\); "
         r"expected dates like 2011-01-01"),
    ],
    ids=["duplicate-ids", "missing-id", "bad-answer", "bad-answer-number", "text-income", "text-behaviour",
         "bad-date"],
)
def test_standardise_customers_failures(frame, given, message):
    with pytest.raises(DataError, match=message):
        standardise_customers(frame, given, label="crm.csv")


def test_age_bands_stay_categories_but_stray_text_in_numbers_is_an_error():
    bands = pd.DataFrame({"ID": [1, 2, 3], "Age": ["18-24", "25-34", "65+"], "Income": [1.0, 2.0, 3.0]})
    assert standardise_customers(bands)["Age"].tolist() == ["18-24", "25-34", "65+"]
    stray = pd.DataFrame({"ID": [1, 2, 3], "Annual Income (k$)": ["15", "n.a.", "17"]})
    with pytest.raises(DataError, match=r"people.csv: column 'Annual Income \(k\$\)' has 1 non-numeric value "
                                        r"\(e.g. 'n.a.' at row 2\)"):
        standardise_customers(stray, label="people.csv")


def test_a_log_keyed_by_email_takes_the_email_as_the_customer():
    log = pd.DataFrame({"Email": ["ann@example.com", "bob@example.org"], "Created at": ["2024-03-05"] * 2,
                        "Total": [3.0, 4.0]})
    # nothing else names the customer: the e-mail address does (issue 14: a log keyed by 'Email' only)
    assert standardise_transactions(log, label="orders.csv")["customer_id"].tolist() == [
        "ann@example.com", "bob@example.org"]
    with pytest.raises(ColumnError, match=r"orders.csv: no customer id column found .*\(or set columns.customer_id; "
                                          r"column 'Email' holds e-mail addresses, which can be the id\)$"):
        standardise_transactions(log, {"identifiers": ["Email"]}, label="orders.csv")


def test_the_roles_record_is_shared_by_every_frame_derived_from_a_wide_table(tmp_path):
    """pandas copies ``attrs`` into each column and slice it hands out; a roles record that
    grows with the table's width must be shared, not deep-copied, or reading one column of a
    table of thousands costs time in proportion to its width."""
    import copy

    from segkit.io import detect_roles

    raw = pd.DataFrame({"customer_id": [f"c{i}" for i in range(30)],
                        **{f"score_{j}": np.arange(30.0) * (j + 1) for j in range(300)}})
    out = standardise_customers(raw, detect_roles(raw, kind="customers"), label="wide.csv")
    roles = out.attrs["segkit_roles"]
    assert str(roles).count("score_") >= 300  # the record names every column
    assert out["score_7"].attrs["segkit_roles"] is roles
    assert out.iloc[:5].attrs["segkit_roles"] is roles
    assert copy.deepcopy(out.attrs)["segkit_roles"] is roles


# ------------------------------------------------------------------------- wide tables: typed in blocks


def _typed_alone(raw: pd.DataFrame, roles: ColumnRoles) -> pd.DataFrame:
    """The customer table typed one column at a time, each by its call, as the public parsers do."""
    from segkit.io.answers import mask_codes
    from segkit.io.dates import parse_dates
    from segkit.io.parse import to_flag, to_float
    from segkit.schema import NUMBER_KINDS

    out = raw.copy()
    for column, call in roles.columns.items():
        if column == roles.customer_id:
            continue
        values = mask_codes(out[column], call.missing) if call.missing else out[column]
        if call.value_kind == "flag":
            values = to_flag(values, label="t", column=column, frame=raw)
        elif call.value_kind in NUMBER_KINDS and not pd.api.types.is_numeric_dtype(values):
            values = to_float(values, label="t", column=column, frame=raw)
        elif call.value_kind == "date":
            values = parse_dates(values, label="t", column=column, frame=raw)
        out[column] = values
    return out


@pytest.mark.parametrize(("rows", "per_shape"), [(120, 3), (400, 2)], ids=["wide-table", "longer-table"])
def test_a_wide_table_is_typed_in_blocks_as_column_by_column(rows, per_shape):
    from segkit.io import detect_roles
    from tests.shapes import wide_table

    raw = wide_table(rows=rows, per_shape=per_shape, seed=rows)
    raw = raw[[c for c in raw.columns if not c.startswith("infinite")]]  # refused: see the next test
    before = raw.copy()
    roles = detect_roles(raw, kind="customers")
    out = standardise_customers(raw, roles)
    expected = _typed_alone(raw, roles)
    assert list(out.columns) == list(raw.columns)
    for column in raw.columns:
        if column != roles.customer_id:
            pd.testing.assert_series_equal(out[column], expected[column], check_names=True)
    pd.testing.assert_frame_equal(raw, before)  # the input is never changed
    assert {str(out[c].dtype) for c in out.columns} >= {"float64", "Int8", "datetime64[ns]"}


def test_an_infinite_number_in_a_wide_table_is_refused_naming_the_first_column_at_fault(monkeypatch):
    from segkit.io import standardise
    from tests.shapes import wide_table

    monkeypatch.setattr(standardise, "_FINITE_BLOCK", 4)  # the bad columns fall in different blocks
    raw = wide_table(rows=120, per_shape=3, seed=1)
    with pytest.raises(DataError, match=r"column 'infinite_0' has 1 infinite value \(e\.g\. 'inf' at row 41\)"):
        standardise_customers(raw, label="wide.csv")
