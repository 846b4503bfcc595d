"""segkit.io.text: control characters never reach a table, and a line break inside an unquoted
field is described in one line."""

from __future__ import annotations

import pytest

from segkit.exceptions import InputError
from segkit.io import read_table

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
