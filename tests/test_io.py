"""Reading and validating inputs: formats, role detection, standardised schemas, data quality, errors."""

from __future__ import annotations

import gzip
import json
import zipfile

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ColumnError, ConfigError, DataError, InputError, InputNotFoundError, SegkitWarning
from segkit.io import (
    ColumnRoles,
    DataQuality,
    detect_roles,
    duplicated_rows,
    file_sha256,
    quality_report,
    read_table,
    standardise_customers,
    standardise_transactions,
)

# ---------------------------------------------------------------------------------------------
# Real data sets, each read once per module
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def retail(shared_data):
    raw = read_table(shared_data / "online_retail" / "by-day")
    return raw, standardise_transactions(raw)


@pytest.fixture(scope="module")
def cdnow(shared_data):
    raw = read_table(shared_data / "cdnow" / "CDNOW_master.txt")
    return raw, standardise_transactions(raw)


@pytest.fixture(scope="module")
def marketing(shared_data):
    raw = read_table(shared_data / "marketing_campaign")
    return raw, detect_roles(raw, kind="customers")


@pytest.mark.slow
def test_online_retail_folder(retail, shared_data):
    raw, log = retail
    source = raw.attrs["segkit_source"]
    assert len(raw) == 541_909 and source["rows"] == 541_909
    assert len(source["paths"]) == 305 and sum(source["file_rows"]) == 541_909
    assert list(log.columns) == ["customer_id", "date", "amount", "quantity", "price", "invoice", "country"]
    assert log["customer_id"].nunique() == 4_372
    assert log["customer_id"].isna().sum() == 135_080
    assert log["customer_id"].iloc[0] == "17850"
    assert str(log["customer_id"].dtype) == "string" and str(log["invoice"].dtype) == "string"
    assert log["date"].dtype == "datetime64[ns]"
    assert log["date"].min() == pd.Timestamp("2010-12-01 08:26")
    assert log["date"].max() == pd.Timestamp("2011-12-09 12:50")
    assert log["amount"].iloc[0] == pytest.approx(6 * 2.55)
    assert log["country"].nunique() == 38
    assert log.attrs["segkit_roles"]["invoice"] == "InvoiceNo"


@pytest.mark.slow
def test_online_retail_quality(retail):
    raw, log = retail
    roles = detect_roles(raw, kind="transactions")
    q = quality_report(raw, roles)
    assert (q.kind, q.rows, q.duplicate_rows, q.missing_ids) == ("transactions", 541_909, 5_268, 135_080)
    assert q.missing == {"Description": 1_454, "CustomerID": 135_080}
    assert q.negative_quantities == 10_624
    assert q.first_date == "2010-12-01 08:26:00" and q.last_date == "2011-12-09 12:50:00"
    assert json.loads(json.dumps(q.to_dict())) == q.to_dict()
    bad_price = q.impossible[0]
    assert bad_price["problem"] == "negative prices" and bad_price["count"] == 2
    assert bad_price["row"].endswith("of 2011-08-12.csv")  # rows are located in their daily file


def test_checksums_match_published_list(shared_data):
    listed = dict(
        line.split()[::-1] for line in (shared_data / "online_retail" / "by-day.sha256").read_text().splitlines()
    )
    path = shared_data / "online_retail" / "by-day" / "2010-12-01.csv"
    assert file_sha256(path) == listed["2010-12-01.csv"]
    assert read_table(path).attrs["segkit_source"]["sha256"] == listed["2010-12-01.csv"]


@pytest.mark.slow
def test_cdnow_whitespace_log(cdnow):
    raw, log = cdnow
    assert list(raw.columns) == ["customer_id", "date", "number_of_cds", "dollar_value"]
    assert raw["customer_id"].iloc[0] == "00001"  # zero-padded ids keep their zeros
    assert len(log) == 69_659 and log["customer_id"].nunique() == 23_570
    assert log["amount"].sum() == pytest.approx(2_500_315.63, abs=0.005)
    assert log["quantity"].sum() == raw["number_of_cds"].sum()
    assert log["date"].min() == pd.Timestamp("1997-01-01") and log["date"].max() == pd.Timestamp("1998-06-30")
    assert log["price"].isna().all() and log["invoice"].isna().all()


@pytest.mark.slow
def test_marketing_campaign_customers(marketing, shared_data):
    raw, roles = marketing
    assert [p.rsplit("/", 1)[-1] for p in raw.attrs["segkit_source"]["paths"]] == ["marketing_campaign.csv"]
    assert raw.shape == (2_240, 29) and raw["Income"].isna().sum() == 24
    assert roles.customer_id == "ID" and roles.date == "Dt_Customer"
    assert roles.demographics == ["Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Teenhome"]
    assert roles.campaigns == ["AcceptedCmp3", "AcceptedCmp4", "AcceptedCmp5", "AcceptedCmp1", "AcceptedCmp2",
                               "Response"]
    assert roles.constants == ["Z_CostContact", "Z_Revenue"]
    assert "MntWines" in roles.behaviour and "Complain" in roles.behaviour and "ID" not in roles.behaviour
    customers = standardise_customers(raw, roles)
    assert customers["customer_id"].is_unique and customers["customer_id"].iloc[0] == "5524"
    assert list(customers.columns[1:]) == list(raw.columns)
    # 04-09-2012 is the 4th of September (day-first; other values have days above 12)
    assert customers["Dt_Customer"].iloc[0] == pd.Timestamp("2012-09-04")
    assert customers["Dt_Customer"].dtype == "datetime64[ns]"
    assert str(customers["Response"].dtype) == "Int8" and customers["Response"].sum() == 334
    q = quality_report(raw, roles)
    assert q.missing == {"Income": 24} and q.duplicate_ids == 0
    assert q.impossible[0]["column"] == "Year_Birth" and q.impossible[0]["example"] == 1893


# ---------------------------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------------------------

ORDERS = pd.DataFrame({
    "CustomerID": ["17850.0", "13047.0", None],
    "zip": ["01234", "98000", "00501"],
    "qty": [6, 2, 1],
    "price": [2.5, 3.0, np.nan],
    "city": ["München", "São Paulo", "Zürich"],
})
ORDERS_CSV = (
    "CustomerID,zip,qty,price,city\n17850.0,01234,6,2.5,München\n13047.0,98000,2,3,São Paulo\n,00501,1,,Zürich\n"
)


def _excel_bytes(tmp_path):
    path = tmp_path / "scratch.xlsx"
    ORDERS.to_excel(path, index=False)
    return path.read_bytes()


def _zip_bytes(name, data):
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


FORMATS = {
    "comma": ("orders.csv", lambda tmp: ORDERS_CSV.encode()),
    "semicolon-latin1": ("orders.csv", lambda tmp: ORDERS_CSV.replace(",", ";").encode("latin-1")),
    "tab-cp1252": ("orders.tsv", lambda tmp: ORDERS_CSV.replace(",", "\t").encode("cp1252")),
    "pipe": ("orders.txt", lambda tmp: ORDERS_CSV.replace(",", "|").encode()),
    "bom-crlf": ("orders.csv", lambda tmp: b"\xef\xbb\xbf" + ORDERS_CSV.replace("\n", "\r\n").encode()),
    "utf16-bom": ("orders.csv", lambda tmp: ORDERS_CSV.encode("utf-16")),
    "gzip": ("orders.csv.gz", lambda tmp: gzip.compress(ORDERS_CSV.encode())),
    "zip": ("orders.zip", lambda tmp: _zip_bytes("export/orders.csv", ORDERS_CSV.encode())),
    "unknown-extension-text": ("orders.export", lambda tmp: ORDERS_CSV.encode()),
    "xlsx": ("orders.xlsx", _excel_bytes),
}


@pytest.mark.parametrize("kind", list(FORMATS), ids=list(FORMATS))
def test_read_formats(tmp_path, kind):
    name, make = FORMATS[kind]
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    df = read_table(path)
    pd.testing.assert_frame_equal(df, ORDERS)
    source = df.attrs["segkit_source"]
    assert source == {
        "label": str(path), "paths": [str(path)], "sha256": file_sha256(path),
        "bytes": path.stat().st_size, "rows": 3, "file_rows": [3],
    }


def test_read_whitespace_separated_crlf(tmp_path):
    path = tmp_path / "cds.txt"
    path.write_bytes(b"customer_id date number_of_cds dollar_value\r\n"
                     b"    00001  19970101  1  11.77\r\n    00002  19970112   5  77.00\r\n")
    expected = pd.DataFrame({"customer_id": ["00001", "00002"], "date": [19970101, 19970112],
                             "number_of_cds": [1, 5], "dollar_value": [11.77, 77.0]})
    pd.testing.assert_frame_equal(read_table(path), expected)


def test_read_quoted_fields(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text('id,note,amount\n1,"red, large",3\n2,"two\nlines",4.5\n', encoding="utf-8")
    expected = pd.DataFrame({"id": ["1", "2"], "note": ["red, large", "two\nlines"], "amount": [3.0, 4.5]})
    pd.testing.assert_frame_equal(read_table(path), expected)


def test_read_parquet_keeps_types(tmp_path):
    path = tmp_path / "orders.parquet"
    frame = pd.DataFrame({"customer_id": ["a", "b"], "when": pd.to_datetime(["2021-01-01", "2021-02-01"]),
                          "amount": [1.5, 2.0]})
    frame.to_parquet(path)
    pd.testing.assert_frame_equal(read_table(path), frame, check_dtype=False)
    assert read_table(path)["when"].dtype.kind == "M"


def test_read_folder_and_glob(tmp_path):
    folder = tmp_path / "days"
    folder.mkdir()
    (folder / "2011-01-02.csv").write_text("CustomerID,Sales\n3,7.5\n", encoding="utf-8")
    (folder / "2011-01-01.csv").write_text("Sales,CustomerID\n1.5,1\n2,2\n", encoding="utf-8")  # other order
    (folder / "2011-01-03.csv").write_text("CustomerID,Sales\n", encoding="utf-8")  # a day without sales
    (folder / "README.md").write_text("not data", encoding="utf-8")
    (folder / "SOURCE.txt").write_text("where it came from", encoding="utf-8")
    expected = pd.DataFrame({"Sales": [1.5, 2.0, 7.5], "CustomerID": ["1", "2", "3"]})
    by_folder = read_table(folder, label="days")
    pd.testing.assert_frame_equal(by_folder, expected)
    source = by_folder.attrs["segkit_source"]
    assert [p.rsplit("/", 1)[-1] for p in source["paths"]] == ["2011-01-01.csv", "2011-01-02.csv", "2011-01-03.csv"]
    assert source["file_rows"] == [2, 1, 0] and source["label"] == "days"
    by_glob = read_table(str(folder / "2011-01-0[12].csv"))
    pd.testing.assert_frame_equal(by_glob, expected)
    assert by_glob.attrs["segkit_source"]["sha256"] != source["sha256"]


def test_read_dataframe_returns_copy():
    frame = pd.DataFrame({"a": [1, 2]})
    df = read_table(frame, label="mine")
    pd.testing.assert_frame_equal(df, frame)
    assert df is not frame and "segkit_source" not in frame.attrs
    assert df.attrs["segkit_source"]["label"] == "mine" and len(df.attrs["segkit_source"]["sha256"]) == 64
    df.loc[0, "a"] = 99
    assert frame.loc[0, "a"] == 1


def test_inputs_are_never_modified(tmp_path):
    paths = []
    for kind, (name, make) in FORMATS.items():
        path = tmp_path / f"{kind}-{name}"
        path.write_bytes(make(tmp_path))
        paths.append(path)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}
    for path in paths:
        read_table(path)
    read_table(str(tmp_path / "*"))
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths} == before
    assert sorted(tmp_path.iterdir()) == sorted(paths + [tmp_path / "scratch.xlsx"])


# ---------------------------------------------------------------------------------------------
# Read failures
# ---------------------------------------------------------------------------------------------

READ_FAILURES = {
    "empty": ("empty.csv", b"", InputError, r"empty\.csv: file is empty; expected a header"),
    "blank-lines": ("blank.csv", b"\n\n  \n", InputError, r"blank\.csv: file is empty"),
    "header-only": ("head.csv", b"a,b,c\n", InputError, r"head\.csv: has a header but no rows"),
    "binary-csv": ("image.csv", bytes(range(256)) * 4, InputError, r"image\.csv: is not a text file \(binary"),
    "binary-unknown": ("blob.bin", b"\x00\x01\x02\x03" * 100, InputError,
                       r"blob\.bin: has an unknown extension '\.bin' and is not text"),
    "old-excel": ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, InputError,
                  r"old\.xls: is an old Excel \.xls file; expected \.xlsx"),
    "fake-parquet": ("data.parquet", b"a,b\n1,2\n", InputError, r"data\.parquet: the content is not a \.parquet file"),
    "broken-gzip": ("data.csv.gz", b"\x1f\x8b\x08\x00broken", InputError, r"data\.csv\.gz: is not a valid gzip"),
    "ragged": ("ragged.csv", b"a,b,c\n1,2,3\n4,5\n", InputError,
               r"ragged\.csv: line 3 has 2 comma-separated fields but the header has 3"),
    "duplicate-header": ("dupes.csv", b"a,b,a\n1,2,3\n", InputError,
                         r"dupes\.csv: the header repeats column names \['a'\]"),
}


@pytest.mark.parametrize("case", list(READ_FAILURES), ids=list(READ_FAILURES))
def test_read_failures(tmp_path, case):
    name, data, error, message = READ_FAILURES[case]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error, match=message):
        read_table(path)


def test_zip_with_two_members_is_read_like_a_folder(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("b.csv", "x\n2\n")
        archive.writestr("a.csv", "x\n1\n")
        archive.writestr("README.txt", "monthly exports")
    assert read_table(path)["x"].tolist() == [1, 2]
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("c.csv", "y\n3\n")
    message = r"two\.zip: c\.csv has different columns from a\.csv \(missing: \['x'\]; extra: \['y'\]\)"
    with pytest.raises(InputError, match=message):
        read_table(path)


def test_missing_path_suggests_close_name(tmp_path):
    (tmp_path / "orders.csv").write_text("a\n1\n")
    with pytest.raises(InputNotFoundError, match=r"order\.csv: no such file or folder; did you mean 'orders\.csv'\?"):
        read_table(tmp_path / "order.csv")


def test_glob_matching_nothing(tmp_path):
    with pytest.raises(InputNotFoundError, match=r"\*\.parquet: the pattern matches no data files"):
        read_table(str(tmp_path / "*.parquet"))


def test_folder_without_data_files(tmp_path):
    (tmp_path / "README.md").write_text("hello")
    with pytest.raises(InputError, match=r"folder has no data files \(found: README\.md\); expected CSV"):
        read_table(tmp_path)


def test_folder_of_header_only_files(tmp_path):
    (tmp_path / "a.csv").write_text("x,y\n")
    (tmp_path / "b.csv").write_text("x,y\n")
    with pytest.raises(InputError, match="every file has a header but no rows"):
        read_table(tmp_path, label="days")


def test_folder_files_with_different_columns(tmp_path):
    (tmp_path / "2011-01-01.csv").write_text("CustomerID,Sales\n1,2\n")
    (tmp_path / "2011-01-02.csv").write_text("CustID,Sales\n1,2\n")
    with pytest.raises(InputError, match=r"days: 2011-01-02\.csv has different columns from 2011-01-01\.csv "
                                         r"\(missing: \['CustomerID'\]; extra: \['CustID'\]\)"):
        read_table(tmp_path, label="days")


def test_not_a_path():
    with pytest.raises(InputError, match="cannot read a list; expected a file path"):
        read_table([1, 2])


# ---------------------------------------------------------------------------------------------
# Role detection
# ---------------------------------------------------------------------------------------------


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


def test_column_roles_to_dict_round_trips():
    roles = ColumnRoles(customer_id="ID", campaigns=["Response"], detected=["customer_id"], kind="customers")
    assert ColumnRoles(**roles.to_dict()) == roles
    assert json.loads(json.dumps(roles.to_dict()))["campaigns"] == ["Response"]


# ---------------------------------------------------------------------------------------------
# Standardising a purchase log
# ---------------------------------------------------------------------------------------------


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


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["13-01-2011", "02-03-2011"], ["2011-01-13", "2011-03-02"]),
        (["01/13/2011", "03/02/2011"], ["2011-01-13", "2011-03-02"]),
        (["13/01/2011", "02/03/2011"], ["2011-01-13", "2011-03-02"]),
        ([19970101, 19971231], ["1997-01-01", "1997-12-31"]),
        (["20110113", "20110302"], ["2011-01-13", "2011-03-02"]),
        (["12/1/2010 8:26", "12/13/2010 16:05"], ["2010-12-01 08:26", "2010-12-13 16:05"]),
        (["2011-01-13T10:00:00+01:00", "2011-03-02T00:00:00Z"], ["2011-01-13 09:00", "2011-03-02"]),
        (["13 Jan 2011", "2 Mar 2011"], ["2011-01-13", "2011-03-02"]),
        (["13.01.2011", None], ["2011-01-13", None]),
    ],
    ids=["dd-mm-yyyy", "mm/dd/yyyy", "dd/mm/yyyy", "yyyymmdd-int", "yyyymmdd-text", "us-with-time",
         "iso-with-zone", "day-month-name", "dotted-with-missing"],
)
def test_date_formats_are_inferred(values, expected):
    raw = pd.DataFrame({"customer_id": ["a", "b"], "date": values, "amount": [1.0, 2.0]})
    out = standardise_transactions(raw)
    assert out["date"].dtype == "datetime64[ns]"
    assert out["date"].tolist() == [pd.Timestamp(v) if v else pd.NaT for v in expected]


def test_ambiguous_dates_warn():
    raw = pd.DataFrame({"customer_id": ["a", "b"], "date": ["01-02-2011", "03-04-2011"], "amount": [1.0, 2.0]})
    with pytest.warns(SegkitWarning, match=r"column 'date' has dates that fit both '%d-%m-%Y' and '%m-%d-%Y'"):
        out = standardise_transactions(raw)
    assert out["date"].iloc[0] == pd.Timestamp("2011-02-01")


def test_amount_text_with_currency_and_decimal_comma():
    raw = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2011-01-01"] * 2, "Revenue": ["$1,234.50", "€ 7"],
                        "Qty": ["3,50", "1.234,5"], "Unit Price": [1.0, 2.0]})
    out = standardise_transactions(raw)
    assert out["amount"].tolist() == [1234.5, 7.0] and out["quantity"].tolist() == [3.5, 1234.5]


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


# ---------------------------------------------------------------------------------------------
# Standardising a customer table
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Data quality
# ---------------------------------------------------------------------------------------------


def test_quality_of_a_log():
    raw = pd.DataFrame({
        "CustomerID": ["1", "1", None, "2", "2"],
        "InvoiceDate": ["2011-01-01", "2011-01-01", "2011-01-02", "2011-01-03", "2011-01-05"],
        "Quantity": [2, 2, -1, 0, 1], "UnitPrice": [1.5, 1.5, 4.0, 2.0, -3.0],
    })
    q = quality_report(raw, detect_roles(raw, kind="transactions"), label="log.csv")
    assert q.to_dict() == {
        "label": "log.csv", "kind": "transactions", "rows": 5, "columns": 4, "missing": {"CustomerID": 1},
        "duplicate_rows": 1, "duplicate_ids": None, "missing_ids": 1, "negative_amounts": 2,
        "negative_amount_total": -7.0, "zero_amounts": 1, "negative_quantities": 1,
        "first_date": "2011-01-01 00:00:00", "last_date": "2011-01-05 00:00:00",
        "impossible": [{"column": "UnitPrice", "problem": "negative prices", "count": 1, "example": -3.0,
                        "row": "row 5"}],
    }
    assert repr(q) == ("DataQuality('log.csv', transactions: 5 rows x 4 columns, 1 missing value in 1 column, "
                       "1 duplicate rows, 1 rows without id, 2 negative amounts, 1 impossible values)")
    frame = q.to_frame()
    assert list(frame.columns) == ["check", "column", "count", "detail"]
    assert frame.set_index("check").loc["negative amounts", "detail"] == "total -7.00"
    # a standardised log is recognised without roles
    assert quality_report(standardise_transactions(raw)).negative_amounts == 2


def test_quality_of_a_customer_table():
    this_year = pd.Timestamp.today().year
    raw = pd.DataFrame({
        "ID": ["1", "2", "3", "3"], "Year_Birth": [1893, 1970, this_year + 1, 1980], "Age": [30, 131, 40, 20],
        "Income": [-5.0, np.nan, 1000.0, 2000.0],
    })
    q = quality_report(raw, label="crm.csv")
    assert (q.kind, q.duplicate_ids, q.duplicate_rows, q.missing) == ("customers", 1, 0, {"Income": 1})
    assert [(i["column"], i["count"], i["example"], i["row"]) for i in q.impossible] == [
        ("Year_Birth", 2, 1893, "row 1"), ("Age", 1, 131, "row 2"), ("Income", 1, -5.0, "row 1"),
    ]
    assert json.loads(json.dumps(q.to_dict())) == q.to_dict()
    assert isinstance(DataQuality(label="x", kind="customers", rows=0, columns=0).to_frame(), pd.DataFrame)


@pytest.mark.parametrize("keep", ["first", "last", False])
def test_duplicate_lines_found_by_hashing_are_exactly_pandas_duplicates(rng, keep):
    # long enough to take the hashed path; -0.0 and 0.0, NaN and NaN, <NA> and <NA> are equal to pandas
    n = 250_000
    df = pd.DataFrame({"amount": rng.integers(0, 40, n).astype(float),
                       "channel": pd.array(rng.choice(["web", "store", None], n), dtype="string"),
                       "date": pd.to_datetime(rng.integers(0, 20, n), unit="D"),
                       "quantity": rng.integers(0, 30, n)})
    df.loc[::7, "amount"] = -0.0
    df.loc[::11, "amount"] = np.nan
    expected = df.duplicated(keep=keep).to_numpy()
    assert 0 < expected.sum() < n
    np.testing.assert_array_equal(duplicated_rows(df, keep=keep), expected)
    mixed = df.assign(note=np.resize(np.array([1, "1", None], dtype=object), n))  # DuckDB cannot read it
    np.testing.assert_array_equal(duplicated_rows(mixed, keep=keep), mixed.duplicated(keep=keep).to_numpy())


def test_a_dataframe_index_written_to_parquet_is_a_column(tmp_path):
    # `features.to_parquet()` keeps customer ids in the index; read back as an index, role
    # detection never saw them and the report stopped with "['customer_id'] not in index".
    frame = pd.DataFrame({"monetary": [10.0, 20.0]}, index=pd.Index(["00042", "7"], name="customer_id"))
    frame.to_parquet(tmp_path / "features.parquet")
    df = read_table(tmp_path / "features.parquet")
    assert df.columns.tolist() == ["monetary", "customer_id"] and df["customer_id"].tolist() == ["00042", "7"]
    assert isinstance(df.index, pd.RangeIndex)
    pd.DataFrame({"x": [1.0, 2.0]}, index=[5, 9]).to_parquet(tmp_path / "unnamed.parquet")
    assert read_table(tmp_path / "unnamed.parquet").columns.tolist() == ["x", "index"]
