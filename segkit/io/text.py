"""Text files: decode the bytes, sniff the delimiter, skip title and footer lines, parse to Arrow.

Every cell is read as a string here; :mod:`segkit.io.parse` types the columns afterwards, so
text files, Excel sheets and zip members all follow one set of rules.

Examples
--------
>>> table = parse_text(b"Sales export 2024\\nid;total\\n1;3,5\\n2;4\\n", "sales.csv", allow_no_rows=False)
>>> table.column_names, table.column("total").to_pylist()
(['id', 'total'], ['3,5', '4'])
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from segkit.exceptions import InputError, SegkitWarning, quote, user_stacklevel
from segkit.io.messages import plural

__all__ = ["as_strings", "check_has_rows", "decode", "drop_footer", "parse_text", "repeated", "sniff_delimiter",
           "without_control_characters"]

#: Cell values read as missing in text files.
_NULL_VALUES = ["", "NA", "N/A", "n/a", "NaN", "nan", "NULL", "null", "None", "#N/A"]
#: Extensions of text files (a file with another extension is read when its content is text).
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".tab", ".txt", ".dat", ".psv", ".text"})
#: What the messages about unreadable files say is expected.
EXPECTED_FORMATS = "CSV/TSV/whitespace-separated text, a .gz or .zip of text, .parquet or .xlsx"
_DELIMITERS = (",", "\t", ";", "|")
_DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe", None: "whitespace"}
#: Bytes of a file looked at to tell text from binary and to sniff its delimiter.
SAMPLE_BYTES = 1 << 16
#: Lines of a file (or rows of a sheet) in which the delimiter, title lines and header are found.
SNIFF_LINES = 50
#: Control bytes that never occur in text files (everything below 0x20 except tab, LF, FF, CR).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def decode(data: bytes, where: str, suffix: str) -> bytes:
    """Return the text as UTF-8 bytes without BOM; refuse binary content."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = data.decode("utf-16").encode("utf-8")
    head = data[:SAMPLE_BYTES]
    if len(head) - len(head.translate(None, _CONTROL_BYTES)) > len(head) // 1000:
        if suffix in TEXT_SUFFIXES or not suffix:
            raise InputError(f"{where}: is not a text file (binary content); expected {EXPECTED_FORMATS}")
        raise InputError(f"{where}: has an unknown extension {suffix!r} and is not text; expected {EXPECTED_FORMATS}")
    try:
        if not data.isascii():  # ASCII is UTF-8: a wide file is checked without decoding a copy of it
            data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data = data.decode("cp1252").encode("utf-8")
        except UnicodeDecodeError:  # bytes cp1252 leaves undefined; Latin-1 maps every byte
            data = data.decode("latin-1").encode("utf-8")
    return data


def sniff_delimiter(lines: list[str]) -> tuple[str | None, int]:
    """The delimiter giving the same number of fields on (nearly) every line (None = whitespace),
    and how many title lines come before the header.

    Excel's ``sep=;`` first line names the delimiter. Title lines ("Sales export 2024") are
    lines before the header with at most half as many fields as the table.

    Examples
    --------
    >>> sniff_delimiter(["a;b;c", "1;2,5;3"]), sniff_delimiter(["sep=,", "a,b", "1,2"])
    ((';', 0), (',', 1))
    >>> sniff_delimiter(["Sales export 2024", "Shop: Leeds", "id,date,total", "1,2024-01-02,5"])
    (',', 2)
    """
    given = re.fullmatch(r"\s*sep=(.)\s*", lines[0]) if lines else None
    if given:
        return given.group(1), 1
    text = "\n".join(lines[:SNIFF_LINES])
    best, best_score, best_skip = ",", (0.0, 0, 0), 0
    for sep in _DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(io.StringIO(text), delimiter=sep) if row]
        except csv.Error:
            continue
        skip = _title_lines(widths)
        widths = widths[skip:]
        if not widths or widths[0] < 2:
            continue
        # on a tie, a delimiter that needs no title lines wins: 'id;value' over 'id;value' split at ','
        score = (sum(w == widths[0] for w in widths) / len(widths), widths[0], -skip)
        if score > best_score:
            best, best_score, best_skip = sep, score, skip
    if best_score[0] >= 0.8:
        return best, best_skip
    words = [len(line.split()) for line in lines[:SNIFF_LINES]]
    if words[0] >= 2 and all(w == words[0] for w in words):
        return None, 0
    return best, 0


def _title_lines(widths: list[int], most: int = 10) -> int:
    """Leading lines with at most half the fields of the (consistent) lines after them."""
    for skip in range(min(most, len(widths) - 2) + 1):
        rest = widths[skip:]
        width = rest[0]
        if width >= 2 and sum(w == width for w in rest) >= 0.8 * len(rest):
            return skip if all(w <= max(1, width // 2) for w in widths[:skip]) else 0
    return 0


def _quoted_header_lines(lines: list[str], header_at: int, sep: str) -> int:
    """The lines the header takes: more than one when a quoted name holds a line break (Google
    Forms, SurveyMonkey and Typeform write the whole question, line breaks included).

    Examples
    --------
    >>> _quoted_header_lines(['"id","Why?', '(all that apply)"', '1,a'], 0, ","), _quoted_header_lines(["a,b", "1,2"], 0, ",")
    (2, 1)
    """
    reader = csv.reader(io.StringIO("\n".join(lines[header_at:])), delimiter=sep)
    try:
        next(reader)
    except (StopIteration, csv.Error):
        return 1
    return max(1, reader.line_num)


def _after_lines(data: bytes, count: int) -> bytes:
    """``data`` after its first ``count`` lines."""
    at = 0
    for _ in range(count):
        at = data.find(b"\n", at) + 1
        if at == 0:
            return b""
    return data[at:]


def _header_names(header: str, sep: str, where: str) -> list[str]:
    # a question written over several lines is one name on one line ('Why?\n(all that apply)')
    names = [re.sub(r"\s*[\r\n]+\s*", " ", n).strip() for n in next(csv.reader([header], delimiter=sep))]
    names = [n or f"Unnamed: {i}" for i, n in enumerate(names)]
    dupes = repeated(names)
    if dupes:
        raise InputError(f"{where}: the header repeats column names {dupes}; expected unique names")
    return names


def repeated(names: list) -> list:
    """The names that appear more than once, sorted (one pass: a header of 10,000 names).

    Examples
    --------
    >>> repeated(["a", "b", "a", "c", "b"])
    ['a', 'b']
    """
    return sorted(name for name, n in Counter(names).items() if n > 1)


#: A text file of fewer blocks than this is parsed on one thread: a few big blocks (a wide table)
#: gain little from a second core and pay for threads in system time (3.0 s instead of 1.2 s
#: for 310 MB of 10,000 columns on two shared cores, the same user time).
_THREADED_BLOCKS = 8


def block_size(columns: int) -> int:
    """Bytes pyarrow parses a CSV in at a time: its 1 MB default, more for wide tables.

    Every block costs a little per column, so a table of 10,000 columns read in 1 MB blocks
    (300 of them for 310 MB) took 19 s to parse and in 64 MB blocks 8 s; a narrow log keeps
    the small blocks that let both cores parse at once.

    Examples
    --------
    >>> block_size(12) == 1 << 20, block_size(10_000) == 64 << 20
    (True, True)
    """
    return int(min(max(columns * (8 << 10), 1 << 20), 64 << 20))


def sniff_sample(data: bytes) -> bytes:
    r"""The first bytes of a file that hold :data:`SNIFF_LINES` whole lines (or all of it):
    :data:`SAMPLE_BYTES`, or more when lines are long (the header of a table of 10,000
    columns is longer than that, and a cut header would name too few columns).

    Examples
    --------
    >>> wide = b",".join(b"column%d" % i for i in range(20_000)) + b"\n" + b"1," * 19_999 + b"1\n"
    >>> len(sniff_sample(wide)) == len(wide), len(sniff_sample(b"a,b\n" * 100_000)) == SAMPLE_BYTES
    (True, True)
    """
    size = SAMPLE_BYTES
    while size < len(data) and data.count(b"\n", 0, size) < SNIFF_LINES + 1:
        size *= 4
    return data[:size]


def parse_text(data: bytes, where: str, *, allow_no_rows: bool) -> pa.Table:
    sampled = sniff_sample(data)
    lines = sampled.decode("utf-8", errors="ignore").splitlines()[: SNIFF_LINES + 1]
    if len(data) > len(sampled) and 1 < len(lines) <= SNIFF_LINES:
        lines = lines[:-1]  # probably cut in the middle
    raw_lines = lines
    lines = [line for line in lines if line.strip()]
    sep, skip = sniff_delimiter(lines)
    if sep is None:
        try:
            df = pd.read_csv(io.BytesIO(data), sep=r"\s+", dtype=str, keep_default_na=False,
                             na_values=_NULL_VALUES, encoding="utf-8")
        except (pd.errors.ParserError, ValueError) as err:
            raise InputError(f"{where}: cannot be read as whitespace-separated text ({err})") from err
        df.columns = [str(c).strip() for c in df.columns]
        table = as_strings(pa.Table.from_pandas(df, preserve_index=False))
    else:
        names = _header_names(lines[skip], sep, where)
        header_at = [i for i, line in enumerate(raw_lines) if line.strip()][skip]  # blank lines count here
        body, skip_rows = data, header_at + 1
        header_lines = _quoted_header_lines(raw_lines, header_at, sep)
        if header_lines > 1:  # a survey export's questions may hold line breaks: read the header whole
            names = _header_names("\n".join(raw_lines[header_at:header_at + header_lines]), sep, where)
            body, skip_rows = _after_lines(data, header_at + header_lines), 0
        try:
            table = pacsv.read_csv(
                io.BytesIO(body),
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=skip_rows,
                                               block_size=block_size(len(names)),
                                               use_threads=len(body) >= _THREADED_BLOCKS * block_size(len(names))),
                parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names}, null_values=_NULL_VALUES,
                    strings_can_be_null=True, quoted_strings_can_be_null=True,
                ),
            )
        except pa.ArrowInvalid as err:
            raise InputError(f"{where}: {_ragged_line(data, sep, len(names), header_at) or err}") from err
    table = survey_subheader(drop_footer(table, where))
    check_has_rows(table, where, allow_no_rows)
    if _holds_any(data, _STRAY_BYTES) or data.count(b"\r") != data.count(b"\r\n"):
        table = without_control_characters(table, where)
    return table


#: What SurveyMonkey writes in the second header line under a question answered in one column.
_SUBHEADER_WORDS = frozenset({"response", "open-ended response", "open ended response", "other (please specify)"})


def survey_subheader(table: pa.Table) -> pa.Table:
    """A SurveyMonkey export's two header lines read as one: the question on the first line (blank
    over its further options), ``Response`` or the option's label on the second. A column is
    named after its question, and a question answered in several columns (one per option)
    ``<question> - <option>``; the second line is no respondent.

    Examples
    --------
    >>> t = pa.table({"Respondent ID": [None, "1"], "Which apps do you use?": ["WhatsApp", "WhatsApp"],
    ...               "Unnamed: 2": ["Signal", None], "Age": ["Response", "25"]})
    >>> survey_subheader(t).column_names
    ['Respondent ID', 'Which apps do you use? - WhatsApp', 'Which apps do you use? - Signal', 'Age']
    """
    if table.num_rows < 2:
        return table
    first = [table.column(i)[0].as_py() for i in range(table.num_columns)]
    words = [str(v).strip().lower() for v in first if v is not None]
    blanks = [n for n in table.column_names if re.fullmatch(r"Unnamed: \d+", n)]
    if not blanks or not any(w in _SUBHEADER_WORDS for w in words):
        return table
    names, question = [], None
    for name, sub in zip(table.column_names, first):
        blank = name in blanks
        question = question if blank else name
        sub = None if sub is None else str(sub).strip()
        if sub and sub.lower() not in _SUBHEADER_WORDS and question is not None and (blank or _options_follow(
                table.column_names, name, blanks)):
            names.append(f"{question} - {sub}")
        else:
            names.append(name if not blank or question is None else f"{question} - {sub or name}")
    return table.slice(1).rename_columns(names)


def _options_follow(names: list, name: str, blanks: list) -> bool:
    """Whether the columns after ``name`` are blank-headed: the further options of its question."""
    at = names.index(name)
    return at + 1 < len(names) and names[at + 1] in blanks


#: Control characters that have no place in a cell or a column name (tab and line feed do).
_STRAY_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
#: The ASCII control characters (and DEL): the bytes a vector compare rules out at once.
_SCREENED_BYTES = frozenset([*range(32), 127])
_STRAY_RE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
#: Bytes looked at together for stray bytes (a copy of a whole file would be as large as it).
_STRAY_SLICE = 16 << 20


def _holds_any(data, which: bytes) -> bool:
    r"""Whether the bytes ``data`` (bytes, or any buffer such as an Arrow column's) hold any
    byte of ``which``, read a slice at a time.

    Examples
    --------
    >>> _holds_any(b"a,b\n1,2\n", _STRAY_BYTES), _holds_any(b"a,b\n1,\x002\n", _STRAY_BYTES)
    (False, True)
    """
    view = memoryview(data).cast("B")
    screen = set(which) <= _SCREENED_BYTES
    for i in range(0, len(view), _STRAY_SLICE):
        piece = view[i:i + _STRAY_SLICE]
        if screen:  # no byte below 32 and no DEL: none of ``which`` either (one vector compare, no copy)
            codes = np.frombuffer(piece, dtype=np.uint8)
            if not (np.any(codes < 32) or np.any(codes == 127)):
                continue
        chunk = bytes(piece)
        if len(chunk) != len(chunk.translate(None, which)):
            return True
    return False


def _may_have_control_characters(column: pa.ChunkedArray) -> bool:
    """Whether any byte of the column's text is a control character or CR (the regular
    expressions are then run; a clean column, the usual case, skips them).

    The bytes looked at are those from each chunk's first value to its last (a null's slot
    is empty, so they are the values' own bytes). UTF-8 never uses a byte below 0x80 inside a
    multi-byte character, so a byte match is a character match.
    """
    for chunk in column.chunks:
        _, offsets, data = chunk.buffers()
        if data is None or not len(chunk):
            continue
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        first, last = np.frombuffer(offsets, dtype=width)[[chunk.offset, chunk.offset + len(chunk)]]
        if _holds_any(memoryview(data)[first:last], _STRAY_BYTES + b"\r"):
            return True
    return False


def without_control_characters(table: pa.Table, where: str) -> pa.Table:
    r"""The table with control characters (a NUL byte, ``\x02``...) removed from its column names
    and text cells, and line ends inside cells written as LF, with a :class:`SegkitWarning`
    naming the column, how many values and the first one with its row.

    Such characters come from damaged exports; kept, they would be written back into
    ``segments.csv`` (an id ``'C2\x00'``) and break the tools that read it.

    Examples
    --------
    >>> import warnings
    >>> t = pa.table({"id\x02": ["C1", "C2\x00"], "note": ["a\r\nb", "c"]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     clean = without_control_characters(t, "c.csv")
    >>> clean.column_names, clean.column("id").to_pylist(), clean.column("note").to_pylist()
    (['id', 'note'], ['C1', 'C2'], ['a\nb', 'c'])
    >>> print(caught[1].message)
    c.csv: column 'id' has 1 value with a control character (e.g. 'C2\x00' at row 2); removed it
    """
    names = []
    for name in table.column_names:
        clean = re.sub(_STRAY_RE, "", name).strip() or name
        if clean != name:
            warnings.warn(f"{where}: the column name {quote(name)} has a control character; read it as {clean!r}",
                          SegkitWarning, stacklevel=user_stacklevel())
        names.append(clean)
    columns = []
    for name, column in zip(names, table.columns, strict=True):
        if (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)) \
                and _may_have_control_characters(column):
            stray = pc.fill_null(pc.match_substring_regex(column, _STRAY_RE), False)
            if pc.any(stray).as_py():
                first = int(np.flatnonzero(stray.to_numpy(zero_copy_only=False))[0])
                n = int(pc.sum(stray).as_py())
                warnings.warn(f"{where}: column {name!r} has {n} {plural(n, 'value', 'values')} with a control "
                              f"character (e.g. {quote(column[first].as_py())} at row {first + 1}); removed it",
                              SegkitWarning, stacklevel=user_stacklevel())
                column = pc.replace_substring_regex(column, _STRAY_RE, "")
            column = pc.replace_substring_regex(column, "\r\n?", "\n")
        columns.append(column)
    if len(set(names)) != len(names):
        dupes = repeated(names)
        raise InputError(f"{where}: the header repeats column names {dupes} once control characters are removed; "
                         "expected unique names")
    return pa.Table.from_arrays(columns, names=names).replace_schema_metadata(table.schema.metadata)


#: First cell of a spreadsheet's footer line ('Total', 'Grand total:', 'Summe', 'Total général').
_FOOTER_RE = re.compile(r"(grand |sub-?)?totals?( g[eé]n[eé]ral)?|sum|summe|gesamt(summe)?|somme|suma|totale|totaal"
                        r"|sous-total", re.IGNORECASE)

#: Schema metadata under which a table hands its skipped footer lines to read_table.
FOOTER_KEY = b"segkit_footer"


def drop_footer(table: pa.Table, where: str, most: int = 5) -> pa.Table:
    """Without the empty lines and the 'Total' lines that spreadsheets leave below the data.

    A footer line starts (first filled cell) with a word such as ``Total``, ``Grand total:`` or
    ``Summe``; it is a sum of the rows above, not a customer or an order, so it is dropped with
    a :class:`SegkitWarning`. Lines of empty cells (``;;;;``) at the end are dropped silently.

    Examples
    --------
    >>> t = pa.table({"id": ["1", "2", "Total", None], "amount": ["3", "4", "7", " "]})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     drop_footer(t, "sales.csv").num_rows
    2
    >>> print(caught[0].message)
    sales.csv: skipped 1 line below the data that is a total, not data ('Total' at row 3)
    """
    n = table.num_rows
    last = pa.array(table.slice(n - 1, 1).to_pylist()[0].values() if n else [], type=pa.string())
    if pc.any(pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(last), ""), False)).as_py():
        end = n  # the last line has a value: no blank lines below the data (one line read, not every column)
    else:
        filled = np.zeros(n, dtype=bool)
        for column in table.columns:
            cells = pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(column), ""), False)
            filled |= cells.to_numpy(zero_copy_only=False)
        end = int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0
    footers = []
    while end and len(footers) < most:
        cells = [str(v).strip() for v in table.slice(end - 1, 1).to_pylist()[0].values() if v is not None]
        first = next((c for c in cells if c), "")
        if not _FOOTER_RE.fullmatch(first.rstrip(":").strip()):
            break
        footers.append((first, end))
        end -= 1
    if end == n:
        return table
    table = table.slice(0, end)
    if footers:
        first, row = footers[-1]
        n_lines = len(footers)
        warnings.warn(f"{where}: skipped {n_lines} {plural(n_lines, 'line', 'lines')} below the data that "
                      f"{plural(n_lines, 'is a total', 'are totals')}, not data ({first!r} at row {row})",
                      SegkitWarning, stacklevel=user_stacklevel())
        # read_table moves this into the source record, where quality_report finds it
        footer = {"file": where, "lines": n_lines, "example": first, "row": f"row {row}"}
        table = table.replace_schema_metadata({FOOTER_KEY: json.dumps([footer])})
    return table


def as_strings(table: pa.Table) -> pa.Table:
    """Every column as ``string`` (pandas may hand over ``large_string`` or all-null columns)."""
    return table.cast(pa.schema([(n, pa.string()) for n in table.column_names]))


def _ragged_line(data: bytes, sep: str, width: int, header_at: int = 0) -> str | None:
    r"""Describe the first line whose number of fields differs from the header's.

    Lines end at LF, CRLF or a lone CR, as the CSV reader ends them, so a carriage return
    inside an unquoted field shows as a short line (and is named as the likely cause).

    Examples
    --------
    >>> _ragged_line(b"id,date,amount\nC1\rX,2024-01-02,5\n", ",", 3)  # doctest: +ELLIPSIS
    'line 2 has 1 comma-separated field but the header has 3 (a line break (CR) inside an unquoted field?); ...'
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""), delimiter=sep)
    try:
        for row in reader:
            if reader.line_num <= header_at:
                continue  # title lines before the header
            if row and len(row) != width:
                name = _DELIMITER_NAMES.get(sep, repr(sep))
                lines = data.replace(b"\r\n", b"\n").split(b"\n")
                cause = (" (a line break (CR) inside an unquoted field?)"
                         if any(b"\r" in line for line in lines[: reader.line_num]) else "")
                return (f"line {reader.line_num} has {len(row)} {name}-separated "
                        f"{plural(len(row), 'field', 'fields')} but the header has {width}{cause}; "
                        f"expected the same number of fields on every line")
    except csv.Error as err:
        return f"line {reader.line_num} cannot be read as {_DELIMITER_NAMES.get(sep, repr(sep))}-separated text ({err})"
    return None


def check_has_rows(table: pa.Table, where: str, allow_no_rows: bool) -> None:
    """Refuse a table of a header alone, unless the file is one of several (a day without sales)."""
    if table.num_rows == 0 and not allow_no_rows:
        raise InputError(f"{where}: has a header but no rows; expected at least one data row")
