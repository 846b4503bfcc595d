"""segkit.io.text: text files decoded, their delimiter sniffed, title and footer lines skipped;
control characters never reach a table, and a line break inside an unquoted field is described
in one line."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.exceptions import InputError, SegkitWarning
from segkit.io import quality_report, read_table
from segkit.io.text import _STRAY_RE, _may_have_control_characters


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


@pytest.mark.parametrize("text", [
    "sep=;\ncustomer;date;amount\n1;2024-01-01;3,5\n2;2024-01-02;4\n",
    "Sales export 2024\nShop: Leeds\n\ncustomer,date,amount\n1,2024-01-01,3.5\n2,2024-01-02,4\n",
    "\n\ncustomer;date;amount;\n1;2024-01-01;3,5;\n2;2024-01-02;4;\n",
], ids=["excel-sep-line", "title-lines", "blank-lines-and-trailing-delimiter"])
def test_export_quirks_around_the_header(tmp_path, text):
    path = tmp_path / "export.csv"
    path.write_text(text)
    df = read_table(path)
    assert list(df.columns) == ["customer", "date", "amount"] and df["amount"].tolist() == [3.5, 4.0]


@pytest.mark.parametrize(("text", "encoding"), [
    ("Kunde Nr;Umsatz;Land;;\n1;1'577.34;CH;;\n2;536.61;CH;;\nTotal;;2113.95;;\n;;;;\n;;;;\n", "utf-8"),
    ("Customer\tOrder date\tSales\r\nK-1\tNov 23, 2025\t12.5\r\nK-2\tNov 24, 2025\t3\r\nGrand total:\t\t15.5\r\n",
     "utf-16"),
], ids=["swiss-semicolon", "utf16-unicode-text"])
def test_total_line_and_empty_lines_below_the_data_are_skipped_and_reported(tmp_path, text, encoding):
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode(encoding))
    with pytest.warns(SegkitWarning, match=r"export.csv: skipped 1 line below the data that is a total, not data "
                                           r"\('(Total|Grand total:)' at row 3\)"):
        df = read_table(path, label="export.csv")
    assert len(df) == 2 and df.attrs["segkit_source"]["rows"] == 2
    quality = quality_report(df, label="export.csv")
    assert quality.footer_lines[0]["lines"] == 1 and quality.to_dict()["footer_lines"][0]["row"] == "row 3"
    assert "total lines below the data (skipped)" in quality.to_frame()["check"].tolist()


def test_a_customer_named_total_in_the_middle_is_kept(tmp_path):
    path = tmp_path / "shops.csv"
    path.write_text("name,spend\nTotal,5\nAcme,7\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", SegkitWarning)
        assert read_table(path)["name"].tolist() == ["Total", "Acme"]


#: Files with a control character in a cell or a name: (content, column, what it is read as)
CONTROL = {
    "nul-in-an-id": (b"ID,Age\nC1,30\nC2\x00,40\nC3,50\n", "ID", ["C1", "C2", "C3"]),
    "escape-in-text": (b"ID,Age\nC1,Ly\x1bon\nC2,Paris\nC3,Nice\n", "Age", ["Lyon", "Paris", "Nice"]),
    "stx-in-a-header": (b"ID,Ag\x02e\nC1,3\nC2,4\nC3,5\n", "Age", [3, 4, 5]),
    "delete-char-in-a-quoted-cell": (b'ID,Age\nC1,"ok\x7f"\nC2,"fine"\nC3,"x"\n', "Age", ["ok", "fine", "x"]),
}
#: Plain rows below the damaged ones: a real export has many (a few control bytes in a tiny
#: file make it look binary, which is another refusal).
MORE_ROWS = b"".join(b"D%d,%d\n" % (i, 20 + i % 50) for i in range(300))


@pytest.mark.parametrize(("data", "column", "values"), list(CONTROL.values()), ids=list(CONTROL))
def test_control_characters_are_removed_with_a_warning(tmp_path, data, column, values):
    path = tmp_path / "customers.csv"
    path.write_bytes(data + MORE_ROWS)
    with pytest.warns(UserWarning, match="control character"):
        frame = read_table(path, label="customers.csv")
    assert frame[column].astype(str).tolist()[:3] == [str(v) for v in values]


def test_a_lone_carriage_return_inside_a_quoted_cell_is_read_as_a_line_feed(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes(b'ID,Note\nC1,"two\rlines"\nC2,"one"\n')
    assert read_table(path)["Note"].tolist() == ["two\nlines", "one"]


LINE_BREAKS = {
    "cr-inside-an-id": b"customer_id,Date,Amount\nC1\rX,2024-01-02,5\nC2,2024-01-03,6\n",
    "cr-inside-the-last-field": b"customer_id,Date,Note\nC1,2024-01-02,a\rb\nC2,2024-01-03,c\n",
    "cr-in-a-crlf-file": b"customer_id,Date,Amount\r\nC1,2024-01-02,5\r\nC2\r,2024-01-03,6\r\n",
}


@pytest.mark.parametrize("data", list(LINE_BREAKS.values()), ids=list(LINE_BREAKS))
def test_a_carriage_return_inside_an_unquoted_field_is_one_line_error(tmp_path, data):
    path = tmp_path / "log.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_table(path, label="log.csv")
    message = str(err.value)
    assert message.startswith(f"{path}: ") and "\n" not in message and "(CR)" in message


#: Small survey exports written by hand in the shapes the tools write them.
_GOOGLE_FORMS = (
    '"Timestamp","Email Address","How often do you shop online?","Why do you choose a shop?\n'
    '(select all that apply)","Age"\n'
    '"2024/04/07 8:54:18 PM GMT+5:30","a@x.com","Weekly","Price;Quality","25-34"\n'
    '"2024/04/07 9:01:02 PM GMT+5:30","b@x.com","Daily","Convenience","18-24"\n'
    '"2024/04/08 10:11:12 AM GMT+5:30","c@x.com","Rarely","Price;Brand;Quality","35-44"\n'
)
_TYPEFORM = (
    '#,"What is your main\r\nreason to visit?",Age,Submit Date (UTC),Network ID\r\n'
    'x1,Price,25-34,2024-04-07 20:54:18,aa1\r\n'
    'x2,"Quality, then price",18-24,2024-04-08 10:11:12,aa2\r\n'
)
_SURVEYMONKEY = (
    'Respondent ID,Start Date,Which apps do you use daily?,,,How likely are you to recommend us?\r\n'
    ',,WhatsApp,Instagram,TikTok,Response\r\n'
    '114000001,04/07/2024 08:54:18 PM,WhatsApp,,TikTok,9\r\n'
    '114000002,04/08/2024 10:11:12 AM,,Instagram,,6\r\n'
)


@pytest.mark.parametrize("text, names, rows", [
    (_GOOGLE_FORMS, ["Timestamp", "Email Address", "How often do you shop online?",
                     "Why do you choose a shop? (select all that apply)", "Age"], 3),
    (_TYPEFORM, ["#", "What is your main reason to visit?", "Age", "Submit Date (UTC)", "Network ID"], 2),
    (_SURVEYMONKEY, ["Respondent ID", "Start Date", "Which apps do you use daily? - WhatsApp",
                     "Which apps do you use daily? - Instagram", "Which apps do you use daily? - TikTok",
                     "How likely are you to recommend us?"], 2),
], ids=["question-headers-with-line-breaks", "crlf-question-header", "two-header-lines-one-per-option"])
def test_survey_exports_are_read_with_their_questions_as_names(tmp_path, text, names, rows):
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("utf-8"))
    df = read_table(path)
    assert list(df.columns) == names and len(df) == rows


def test_a_header_longer_than_the_sniffed_sample_is_read_whole(tmp_path):
    """A table of thousands of columns: its header alone is longer than the bytes sniffed for
    the delimiter, and a cut header would name too few columns (every row then 'ragged')."""
    from segkit.io.text import SAMPLE_BYTES

    names = [f"measurement_{i:05d}" for i in range(6_000)]
    header = ",".join(["customer_id", *names])
    assert len(header) > SAMPLE_BYTES
    rows = "\n".join(f"c{r}," + ",".join(f"{(r * 7 + j) % 13 / 4:.2f}" for j in range(len(names))) for r in range(3))
    path = tmp_path / "wide.csv"
    path.write_text(header + "\n" + rows + "\n")
    df = read_table(path)
    assert df.shape == (3, 6_001) and list(df.columns[-2:]) == names[-2:]
    assert df["measurement_05999"].tolist() == [(r * 7 + 5_999) % 13 / 4 for r in range(3)]


_TEXT = st.text(alphabet=st.sampled_from(["a", "é", "€", "\t", "\n", "\r", "\x00", "\x1f", "\x7f", "\x85", " "]),
                max_size=4)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.one_of(st.none(), _TEXT), max_size=8), cut=st.integers(0, 8),
       large=st.booleans())
def test_the_byte_screen_finds_every_column_with_a_control_character_or_cr(values, cut, large):
    """The screen that spares clean columns the regular expressions (slices, nulls, both string types)."""
    whole = pa.array(["\x01"] + values + ["\r"], type=pa.large_string() if large else pa.string())
    column = pa.chunked_array([whole.slice(1, min(cut, len(values))), whole.slice(1 + min(cut, len(values)),
                                                                                  len(values) - min(cut, len(values)))])
    dirty = any(v is not None and re.search(f"{_STRAY_RE}|\r", v) for v in values)
    assert _may_have_control_characters(column) == dirty
