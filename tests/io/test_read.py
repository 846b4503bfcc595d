"""segkit.io.read: files, folders, globs, zips, workbooks, Parquet and DataFrames, with their provenance;
read failures name the file and what was expected."""

from __future__ import annotations

import gzip
import zipfile

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import InputError, InputNotFoundError, SegkitWarning
from segkit.io import file_sha256, read_table


def test_checksums_match_published_list(shared_data):
    listed = dict(
        line.split()[::-1] for line in (shared_data / "online_retail" / "by-day.sha256").read_text().splitlines()
    )
    path = shared_data / "online_retail" / "by-day" / "2010-12-01.csv"
    assert file_sha256(path) == listed["2010-12-01.csv"]
    assert read_table(path).attrs["segkit_source"]["sha256"] == listed["2010-12-01.csv"]


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


def test_a_zip_whose_files_disagree_names_the_file(tmp_path):
    path = tmp_path / "sales.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("jan.csv", "customer,date,amount\n1,2024-01-02,3\n")
        archive.writestr("feb.csv", "customer,date,total\n1,2024-02-02,3\n")
    with pytest.raises(InputError, match=r"sales.zip: jan.csv has different columns from feb.csv \(missing: "
                                         r"\['total'\]; extra: \['amount'\]\)"):
        read_table(path, label="sales.zip")


# -- read_chunks: a long table handed out in chunks -------------------------------------------------
from segkit.io import TableChunks, read_chunks  # noqa: E402


def test_chunks_are_typed_as_the_whole_table_is(tmp_path):
    lines = ["id,qty,code"] + [f"c{i},{i},{i:03d}" for i in range(10)] + ["c10,2.5,010"]
    (tmp_path / "log.csv").write_text("\n".join(lines) + "\n")
    chunks = read_chunks(tmp_path / "log.csv", label="log.csv", chunk_rows=4)
    assert isinstance(chunks, TableChunks) and chunks.rows == 11 and len(chunks) == 3
    frames = list(chunks)
    whole = read_table(tmp_path / "log.csv", label="log.csv")
    pd.testing.assert_frame_equal(pd.concat(frames), whole)  # qty float in every chunk, codes text
    assert [f.attrs["segkit_source"]["row_offset"] for f in frames] == [0, 4, 8]


def test_a_short_table_or_a_frame_is_read_whole(tmp_path):
    (tmp_path / "log.csv").write_text("id,qty\na,1\nb,2\n")
    short = read_chunks(tmp_path / "log.csv", chunk_rows=1, min_rows=3)
    pd.testing.assert_frame_equal(short, read_table(tmp_path / "log.csv"))
    assert isinstance(read_chunks(short), pd.DataFrame)


def test_a_folder_mixing_parquet_and_text_is_read_whole(tmp_path):
    pd.DataFrame({"id": ["a"], "qty": [1]}).to_parquet(tmp_path / "a.parquet", index=False)
    (tmp_path / "b.csv").write_text("id,qty\nb,2\n")
    assert isinstance(read_chunks(tmp_path), pd.DataFrame)


def test_parquet_files_are_handed_out_batch_by_batch_as_read_table_reads_them(tmp_path):
    frame = pd.DataFrame({"id": [f"c{i}" for i in range(10)], "qty": pd.array([1, 2, 3, 4, 5, 6, 7, None, 9, 10],
                                                                               dtype="Int64"),
                          "day": pd.date_range("2024-01-01", periods=10), "Unnamed: 3": [None] * 10})
    frame.iloc[:6].to_parquet(tmp_path / "a.parquet", index=False)
    frame.iloc[6:].to_parquet(tmp_path / "b.parquet", index=False)
    chunks = read_chunks(tmp_path, label="logs", chunk_rows=4)
    assert isinstance(chunks, TableChunks) and chunks.table is None  # never read whole
    frames = list(chunks)
    whole = read_table(tmp_path, label="logs")
    pd.testing.assert_frame_equal(pd.concat(frames), whole)  # qty float in every chunk, the empty column gone
    assert [len(f) for f in frames] == [4, 2, 4]
    assert {k: v for k, v in frames[2].attrs["segkit_source"].items() if k not in ("chunk", "row_offset")} == \
        dict(whole.attrs["segkit_source"])
    assert frames[2].attrs["segkit_source"]["row_offset"] == 6
