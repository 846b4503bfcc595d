"""Read and validate customer tables and purchase logs.

The first stage of the pipeline. :func:`read_table` reads a file, a folder, a glob pattern
or a DataFrame and records where the data came from; :func:`detect_roles` works out which
column plays which part (customer id, date, amount, demographics, campaign responses...);
:func:`standardise_transactions` and :func:`standardise_customers` turn the raw tables into
the canonical schemas of ``docs/architecture.md``; :func:`quality_report` summarises what
is wrong with the data before anything is cleaned.

Examples
--------
>>> import pandas as pd
>>> from segkit.io import detect_roles, standardise_transactions
>>> log = pd.DataFrame({"CustomerID": [17850.0, 13047.0],
...                     "InvoiceDate": ["2011-12-01 08:26", "2011-12-09 12:50"],
...                     "Quantity": [6, 2], "UnitPrice": [2.5, 3.25]})
>>> roles = detect_roles(log, kind="transactions")
>>> standardise_transactions(log, roles)[["customer_id", "date", "amount"]]
  customer_id                date  amount
0       17850 2011-12-01 08:26:00    15.0
1       13047 2011-12-09 12:50:00     6.5
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import difflib
import glob
import gzip
import hashlib
import io
import json
import os
import re
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from segkit.exceptions import ColumnError, ConfigError, DataError, InputError, InputNotFoundError, SegkitWarning
from segkit.schema import ATTITUDE_SCALES, FLAG_VALUES, GROUP_ROLES, SINGLE_ROLES, scale_kind

__all__ = [
    "ColumnRoles",
    "DataQuality",
    "detect_roles",
    "duplicated_rows",
    "file_sha256",
    "fill_order_fields",
    "quality_report",
    "read_table",
    "resolve_column",
    "standardise_customers",
    "standardise_transactions",
]

# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------

#: Cell values read as missing in text files.
_NULL_VALUES = ["", "NA", "N/A", "n/a", "NaN", "nan", "NULL", "null", "None", "#N/A"]
#: Other spellings of "no value" (lower case) in cells of number, date, id and yes/no columns.
#: In a text column they stay text: there 'none' may be a real answer.
_MISSING_WORDS = frozenset({"?", "??", "none", "null", "nil", "na", "n/a", "#n/a", "#na", "nan", "blank", "(blank)",
                            "(null)", "(none)", "(empty)", "empty", "missing"})
#: Placeholders that may mean "missing" or "zero" (Excel's accounting format shows 0 as '-'):
#: never guessed; a number column holding them is an error that says so.
_PLACEHOLDERS = frozenset({"-", "--", "---", "\u2013", "\u2014", ".", "n.a.", "unknown"})
_MISSING_ARRAY = pa.array(sorted(_MISSING_WORDS))
_TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".tab", ".txt", ".dat", ".psv", ".text"})
_BINARY_SUFFIXES = frozenset({".parquet", ".pq", ".xlsx", ".xlsm", ".gz", ".zip"})
_DATA_SUFFIXES = _TEXT_SUFFIXES | _BINARY_SUFFIXES
#: File names (before the first dot) that describe a data folder rather than hold data.
_DOC_STEMS = frozenset({"readme", "source", "sources", "license", "licence", "notice", "changelog", "citation"})
_DOC_SUFFIXES = frozenset({".md", ".rst", ".sha256", ".md5", ".json", ".yml", ".yaml", ".html", ".pdf", ".py"})
_EXPECTED_FORMATS = "CSV/TSV/whitespace-separated text, a .gz or .zip of text, .parquet or .xlsx"
_DELIMITERS = (",", "\t", ";", "|")
_DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe", None: "whitespace"}
_SAMPLE_BYTES = 1 << 16
_SNIFF_LINES = 50
#: Control bytes that never occur in text files (everything below 0x20 except tab, LF, FF, CR).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


class _Provenance(dict):
    """The ``segkit_source`` record: a plain dict that pandas need not deep-copy.

    pandas deep-copies ``attrs`` on nearly every operation; for a folder of hundreds of
    files that would cost milliseconds each time. The record is never changed after
    reading, so sharing it is safe.
    """

    def __deepcopy__(self, memo):
        return self


@dataclass
class _Part:
    """One file's data: an Arrow table of strings (text, Excel) or of real types (Parquet)."""

    path: Path
    table: pa.Table
    typed: bool


def file_sha256(path: str | os.PathLike) -> str:
    """Return the SHA-256 checksum (hex) of a file's bytes.

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    str
        64 hexadecimal digits.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp, "a.csv")
    ...     _ = p.write_bytes(b"abc")
    ...     file_sha256(p)[:16]
    'ba7816bf8f01cfea'
    """
    path = Path(path)
    if not path.is_file():
        raise InputNotFoundError(f"{path}: no such file")
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_table(source, *, label: str | None = None) -> pd.DataFrame:
    """Read a customer table or purchase log from a file, folder, glob or DataFrame.

    Text files have their encoding (UTF-8, UTF-8 with BOM, UTF-16 with BOM, else cp1252 /
    Latin-1) and delimiter (comma, tab, semicolon, pipe or runs of whitespace) sniffed;
    Excel's ``sep=;`` first line and title lines above the header are skipped. Every text
    cell is read as a string first, and a cell of spaces is missing; a column becomes a
    number only when every value is numeric (``int64`` when all are whole numbers and none
    is missing, else ``float64``), numbers written for people included (``$1,234.50``,
    ``20049,04``, ``1.234,5 €``). Columns named like identifiers (``CustomerID``,
    ``InvoiceNo``, ``Zip``, ``Phone``...) and columns with zero-padded or ``+``-prefixed
    values stay strings, so ``00042`` keeps its zeros. Dates stay strings; the
    ``standardise_*`` functions parse them. A column with neither a name nor a value (a
    delimiter at the end of every line) is dropped.

    Parameters
    ----------
    source : str, path-like or pandas.DataFrame
        A file (``.csv``, ``.tsv``, ``.txt``, ... ``.gz``, ``.zip`` (several files in it
        are read like a folder), ``.parquet``, ``.xlsx`` (the sheet with the most data,
        title rows above the header skipped); unknown extensions are read when the content
        is text), a folder (its data files, sorted by name, concatenated; ``README``/``SOURCE``
        files and files with other extensions are skipped), a glob pattern
        (``logs/2011-*.csv``), or a DataFrame (returned as a copy).
    label : str, optional
        Name of the input in messages and provenance; default the path as given.

    Returns
    -------
    pandas.DataFrame
        The data, with ``df.attrs["segkit_source"]`` holding ``label``, ``paths``,
        ``sha256`` (of all file bytes in order), ``bytes``, ``rows``, ``file_rows``
        (rows per file) and, when some were skipped, ``footer_lines`` (the 'Total' lines
        below the data of each file: ``{"file", "lines", "example", "row"}``).

    Raises
    ------
    InputNotFoundError
        The path or pattern matches nothing.
    InputError
        An empty, header-only, binary or malformed file; a folder without data files;
        files of one folder with different columns.

    Notes
    -----
    Within a folder or glob, a file with a header but no rows adds nothing rather than
    failing (a day without sales); all of them header-only is an error.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp, "orders.csv")
    ...     _ = p.write_text("client;zip;total\\n007;01234;12.5\\n008;98000;3\\n", encoding="latin-1")
    ...     df = read_table(p, label="orders.csv")
    >>> df
      client    zip  total
    0    007  01234   12.5
    1    008  98000    3.0
    >>> df.attrs["segkit_source"]["rows"]
    2
    >>> read_table(df).equals(df)
    True
    """
    if isinstance(source, pd.DataFrame):
        return _frame_copy(source, label)
    if not isinstance(source, str | os.PathLike):
        raise InputError(
            f"cannot read a {type(source).__name__}; expected a file path, folder, glob pattern or pandas DataFrame"
        )
    text = os.fspath(source)
    label = label or text
    paths, many = _resolve_paths(text, label)
    digest, nbytes, parts = hashlib.sha256(), 0, []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(f"{path}: cannot be read ({err.strerror}); expected a readable file") from err
        digest.update(data)
        nbytes += len(data)
        parts.append(_Part(path, *_read_bytes(data, path.name, str(path), allow_no_rows=many)))
    footers = [footer for p in parts if p.table.schema.metadata and _FOOTER_KEY in p.table.schema.metadata
               for footer in json.loads(p.table.schema.metadata[_FOOTER_KEY])]
    df = _combine(parts, label)
    if len(df) == 0:
        raise InputError(f"{label}: every file has a header but no rows; expected at least one data row")
    # a delimiter at the end of every line adds a column with neither a name nor a value
    empty = [c for c in df.columns if re.fullmatch(r"Unnamed: \d+", str(c)) and df[c].isna().all()]
    df = df.drop(columns=empty)
    df.attrs["segkit_source"] = _Provenance(
        label=label,
        paths=[str(p.absolute()) for p in paths],
        sha256=digest.hexdigest(),
        bytes=nbytes,
        rows=len(df),
        file_rows=[p.table.num_rows for p in parts],
    )
    if footers:
        df.attrs["segkit_source"]["footer_lines"] = footers
    return df


def _frame_copy(source: pd.DataFrame, label: str | None) -> pd.DataFrame:
    """Copy a DataFrame input and describe it like a file (a content hash, no paths)."""
    df = source.copy()
    try:
        hashed = pd.util.hash_pandas_object(df, index=True).to_numpy()
        digest = hashlib.sha256("\x1f".join(map(str, df.columns)).encode() + hashed.tobytes()).hexdigest()
    except TypeError:  # unhashable cells such as lists
        digest = None
    df.attrs["segkit_source"] = {
        "label": label or "DataFrame",
        "paths": [],
        "sha256": digest,
        "bytes": 0,
        "rows": len(df),
        "file_rows": [len(df)],
    }
    return df


def _is_data_file(path: Path, *, by_extension: bool) -> bool:
    """Whether a file in a folder (or glob match) holds data rather than documentation."""
    name = path.name
    if name.startswith((".", "~$")) or name.split(".")[0].lower() in _DOC_STEMS:
        return False
    suffix = path.suffix.lower()
    return suffix in _DATA_SUFFIXES if by_extension else suffix not in _DOC_SUFFIXES


def _resolve_paths(text: str, label: str) -> tuple[list[Path], bool]:
    """Files a source string stands for, and whether it stands for several."""
    path = Path(text).expanduser()
    if path.is_dir():
        entries = sorted(p for p in path.iterdir() if p.is_file())
        files = [p for p in entries if _is_data_file(p, by_extension=True)]
        if not files:
            found = ", ".join(p.name for p in entries[:5]) or "nothing"
            raise InputError(f"{label}: folder has no data files (found: {found}); expected {_EXPECTED_FORMATS}")
        return files, True
    if path.is_file():
        return [path], False
    if re.search(r"[*?\[]", text):
        matches = sorted(Path(p) for p in glob.glob(str(path), recursive=True) if Path(p).is_file())
        files = [p for p in matches if _is_data_file(p, by_extension=False)]
        if not files:
            raise InputNotFoundError(f"{label}: the pattern matches no data files; expected at least one file")
        return files, True
    hint = ""
    if path.parent.is_dir():
        close = difflib.get_close_matches(path.name, [p.name for p in path.parent.iterdir()], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
    raise InputNotFoundError(f"{label}: no such file or folder{hint}")


def _read_bytes(data: bytes, name: str, where: str, *, allow_no_rows: bool) -> tuple[pa.Table, bool]:
    """Parse one file's bytes; return its table and whether the columns are typed."""
    if not data[:_SAMPLE_BYTES].strip() and not data.strip():
        raise InputError(f"{where}: file is empty; expected a header line and at least one row")
    suffix = PurePath(name).suffix.lower()
    if data.startswith(b"\x1f\x8b"):
        try:
            inner = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as err:
            raise InputError(f"{where}: is not a valid gzip file ({err}); expected {_EXPECTED_FORMATS}") from err
        inner_name = name[:-3] if name.lower().endswith(".gz") else PurePath(name).stem
        return _read_bytes(inner, inner_name, where, allow_no_rows=allow_no_rows)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _read_zip(data, where, allow_no_rows=allow_no_rows)
    if data.startswith(b"PAR1"):
        try:
            table = pq.read_table(io.BytesIO(data))
        except pa.ArrowException as err:
            raise InputError(f"{where}: is not a readable Parquet file ({err})") from err
        # A DataFrame's index written by pandas (`features.to_parquet()`: the customer ids) is
        # a column like any other here, not an index that role detection would never see.
        table = table.replace_schema_metadata(None)
        table = table.rename_columns([re.sub(r"^__index_level_(\d+)__$", lambda m: "index" if m[1] == "0"
                                             else f"level_{m[1]}", name) for name in table.column_names])
        _check_has_rows(table, where, allow_no_rows)
        return table, True
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{where}: is an old Excel .xls file; expected .xlsx (save it as .xlsx or CSV)")
    if suffix in _BINARY_SUFFIXES:
        raise InputError(f"{where}: the content is not a {suffix} file; expected {_EXPECTED_FORMATS}")
    text = _decode(data, where, suffix)
    return _parse_text(text, where, allow_no_rows=allow_no_rows), False


def _read_zip(data: bytes, where: str, *, allow_no_rows: bool) -> tuple[pa.Table, bool]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except zipfile.BadZipFile as err:
        raise InputError(f"{where}: is not a valid zip file ({err}); expected {_EXPECTED_FORMATS}") from err
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return _read_excel(data, where, allow_no_rows=allow_no_rows), False
    members = [
        info for info in archive.infolist()
        if not info.is_dir() and not info.filename.startswith("__MACOSX/")
        and not PurePath(info.filename).name.startswith(".")
    ]
    if len(members) == 1:
        member = members[0]
        return _read_bytes(archive.read(member), member.filename, f"{where} ({member.filename})",
                           allow_no_rows=allow_no_rows)
    # several files (one per month, say) are read like a folder: data files in name order
    data_members = sorted((m for m in members if _is_data_file(PurePath(m.filename), by_extension=True)),
                          key=lambda m: m.filename)
    if not data_members:
        listed = ", ".join(m.filename for m in members[:5]) or "nothing"
        raise InputError(f"{where}: zip archive holds no data files (found: {listed}); expected {_EXPECTED_FORMATS}")
    tables, footers, first = [], [], data_members[0].filename
    for member in data_members:
        table, _ = _read_bytes(archive.read(member), member.filename, f"{where} ({member.filename})",
                               allow_no_rows=True)
        metadata = table.schema.metadata or {}
        footers += json.loads(metadata[_FOOTER_KEY]) if _FOOTER_KEY in metadata else []
        names = tables[0].column_names if tables else table.column_names
        if set(table.column_names) != set(names):
            missing = [n for n in names if n not in table.column_names]
            extra = [n for n in table.column_names if n not in names]
            raise InputError(f"{where}: {member.filename} has different columns from {first} (missing: {missing}; "
                             f"extra: {extra}); expected the same columns in every file")
        tables.append(_as_strings(table.replace_schema_metadata(None)).select(names))
    table = pa.concat_tables(tables)
    _check_has_rows(table, where, allow_no_rows)
    if footers:
        table = table.replace_schema_metadata({_FOOTER_KEY: json.dumps(footers)})
    return table, False


def _read_excel(data: bytes, where: str, *, allow_no_rows: bool) -> pa.Table:
    """The sheet of a workbook with the most filled cells, every cell as text (so the same type
    rules apply as for CSV).

    A workbook often opens on a notes or summary sheet with the data on the next one. When
    other sheets hold data too, a :class:`SegkitWarning` says which sheet was read. Title
    rows above the header (a merged 'Member list, December 2024' cell) are skipped: the
    header is the first row with more than half as many filled cells as the fullest row.
    """
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=str, engine="openpyxl")
    except Exception as err:  # openpyxl raises many unrelated types for broken workbooks
        raise InputError(f"{where}: cannot be read as an Excel workbook ({err}); expected a valid .xlsx") from err
    filled = {name: int(sheet.notna().to_numpy().sum()) for name, sheet in sheets.items()}
    name = max(filled, key=filled.get, default=None)
    if name is None or filled[name] == 0:
        raise InputError(f"{where}: every sheet is empty; expected a header row and at least one row")
    others = [other for other in sheets if other != name and filled[other]]
    if others:
        warnings.warn(f"{where}: read sheet {name!r}, the one with the most data; not read: "
                      f"{', '.join(map(repr, others))}", SegkitWarning, stacklevel=2)
    sheet = sheets[name]
    widths = sheet.head(_SNIFF_LINES).notna().sum(axis=1).to_numpy()
    header_at = int(np.flatnonzero(widths > widths.max() // 2)[0])
    if header_at > 10:  # not a title: a sheet whose first rows are sparse
        header_at = int(np.flatnonzero(widths)[0])
    names = [f"Unnamed: {i}" if pd.isna(c) or not str(c).strip() else str(c).strip()
             for i, c in enumerate(sheet.iloc[header_at])]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"{where}: the header repeats column names {dupes}; expected unique names")
    df = sheet.iloc[header_at + 1:].set_axis(names, axis=1)
    table = _drop_footer(_as_strings(pa.Table.from_pandas(df, preserve_index=False)), where)
    _check_has_rows(table, where, allow_no_rows)
    return table


def _decode(data: bytes, where: str, suffix: str) -> bytes:
    """Return the text as UTF-8 bytes without BOM; refuse binary content."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = data.decode("utf-16").encode("utf-8")
    head = data[:_SAMPLE_BYTES]
    if len(head) - len(head.translate(None, _CONTROL_BYTES)) > len(head) // 1000:
        if suffix in _TEXT_SUFFIXES or not suffix:
            raise InputError(f"{where}: is not a text file (binary content); expected {_EXPECTED_FORMATS}")
        raise InputError(f"{where}: has an unknown extension {suffix!r} and is not text; expected {_EXPECTED_FORMATS}")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data = data.decode("cp1252").encode("utf-8")
        except UnicodeDecodeError:  # bytes cp1252 leaves undefined; Latin-1 maps every byte
            data = data.decode("latin-1").encode("utf-8")
    return data


def _sniff_delimiter(lines: list[str]) -> tuple[str | None, int]:
    """The delimiter giving the same number of fields on (nearly) every line (None = whitespace),
    and how many title lines come before the header.

    Excel's ``sep=;`` first line names the delimiter. Title lines ("Sales export 2024") are
    lines before the header with at most half as many fields as the table.

    Examples
    --------
    >>> _sniff_delimiter(["a;b;c", "1;2,5;3"]), _sniff_delimiter(["sep=,", "a,b", "1,2"])
    ((';', 0), (',', 1))
    >>> _sniff_delimiter(["Sales export 2024", "Shop: Leeds", "id,date,total", "1,2024-01-02,5"])
    (',', 2)
    """
    given = re.fullmatch(r"\s*sep=(.)\s*", lines[0]) if lines else None
    if given:
        return given.group(1), 1
    text = "\n".join(lines[:_SNIFF_LINES])
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
    words = [len(line.split()) for line in lines[:_SNIFF_LINES]]
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


def _header_names(header: str, sep: str, where: str) -> list[str]:
    names = [n.strip() for n in next(csv.reader([header], delimiter=sep))]
    names = [n or f"Unnamed: {i}" for i, n in enumerate(names)]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"{where}: the header repeats column names {dupes}; expected unique names")
    return names


def _parse_text(data: bytes, where: str, *, allow_no_rows: bool) -> pa.Table:
    sample = data[:_SAMPLE_BYTES].decode("utf-8", errors="ignore")
    lines = sample.splitlines()[: _SNIFF_LINES + 1]
    if len(data) > _SAMPLE_BYTES and 1 < len(lines) <= _SNIFF_LINES:
        lines = lines[:-1]  # probably cut in the middle
    raw_lines = lines
    lines = [line for line in lines if line.strip()]
    sep, skip = _sniff_delimiter(lines)
    if sep is None:
        try:
            df = pd.read_csv(io.BytesIO(data), sep=r"\s+", dtype=str, keep_default_na=False,
                             na_values=_NULL_VALUES, encoding="utf-8")
        except (pd.errors.ParserError, ValueError) as err:
            raise InputError(f"{where}: cannot be read as whitespace-separated text ({err})") from err
        df.columns = [str(c).strip() for c in df.columns]
        table = _as_strings(pa.Table.from_pandas(df, preserve_index=False))
    else:
        names = _header_names(lines[skip], sep, where)
        header_at = [i for i, line in enumerate(raw_lines) if line.strip()][skip]  # blank lines count here
        try:
            table = pacsv.read_csv(
                io.BytesIO(data),
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=header_at + 1),
                parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names}, null_values=_NULL_VALUES,
                    strings_can_be_null=True, quoted_strings_can_be_null=True,
                ),
            )
        except pa.ArrowInvalid as err:
            raise InputError(f"{where}: {_ragged_line(data, sep, len(names), header_at) or err}") from err
    table = _drop_footer(table, where)
    _check_has_rows(table, where, allow_no_rows)
    return table


#: First cell of a spreadsheet's footer line ('Total', 'Grand total:', 'Summe', 'Total général').
_FOOTER_RE = re.compile(r"(grand |sub-?)?totals?( g[eé]n[eé]ral)?|sum|summe|gesamt(summe)?|somme|suma|totale|totaal"
                        r"|sous-total", re.IGNORECASE)


_FOOTER_KEY = b"segkit_footer"


def _drop_footer(table: pa.Table, where: str, most: int = 5) -> pa.Table:
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
    ...     _drop_footer(t, "sales.csv").num_rows
    2
    >>> print(caught[0].message)
    sales.csv: skipped 1 line below the data that is a total, not data ('Total' at row 3)
    """
    n = table.num_rows
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
        warnings.warn(f"{where}: skipped {n_lines} {_plural(n_lines, 'line', 'lines')} below the data that "
                      f"{_plural(n_lines, 'is a total', 'are totals')}, not data ({first!r} at row {row})",
                      SegkitWarning, stacklevel=2)
        # read_table moves this into the source record, where quality_report finds it
        footer = {"file": where, "lines": n_lines, "example": first, "row": f"row {row}"}
        table = table.replace_schema_metadata({_FOOTER_KEY: json.dumps([footer])})
    return table


def _as_strings(table: pa.Table) -> pa.Table:
    """Every column as ``string`` (pandas may hand over ``large_string`` or all-null columns)."""
    return table.cast(pa.schema([(n, pa.string()) for n in table.column_names]))


def _ragged_line(data: bytes, sep: str, width: int, header_at: int = 0) -> str | None:
    """Describe the first line whose number of fields differs from the header's."""
    reader = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=sep)
    for row in reader:
        if reader.line_num <= header_at:
            continue  # title lines before the header
        if row and len(row) != width:
            name = _DELIMITER_NAMES.get(sep, repr(sep))
            return (f"line {reader.line_num} has {len(row)} {name}-separated fields but the header has {width}; "
                    f"expected the same number of fields on every line")
    return None


def _check_has_rows(table: pa.Table, where: str, allow_no_rows: bool) -> None:
    if table.num_rows == 0 and not allow_no_rows:
        raise InputError(f"{where}: has a header but no rows; expected at least one data row")


def _combine(parts: list[_Part], label: str) -> pd.DataFrame:
    """Concatenate the files of a folder or glob (same columns, any order) and type the text."""
    first = parts[0]
    names = first.table.column_names
    for part in parts[1:]:
        other = part.table.column_names
        if set(other) != set(names):
            missing = [n for n in names if n not in other]
            extra = [n for n in other if n not in names]
            raise InputError(
                f"{label}: {part.path.name} has different columns from {first.path.name} "
                f"(missing: {missing}; extra: {extra}); expected the same columns in every file"
            )
    if not any(p.typed for p in parts):
        table = pa.concat_tables([p.table.select(names) for p in parts])
        return _infer_types(table)
    frames = [p.table.to_pandas() if p.typed else _infer_types(p.table) for p in parts]
    return pd.concat([f[names] for f in frames], ignore_index=True)


def _infer_types(table: pa.Table) -> pd.DataFrame:
    """Turn fully numeric text columns into numbers; leave ids and zero-padded codes as text."""
    columns = [_infer_column(name, col) for name, col in zip(table.column_names, table.columns, strict=True)]
    return pa.Table.from_arrays(columns, names=table.column_names).to_pandas()


def _infer_column(name: str, col: pa.ChunkedArray) -> pa.ChunkedArray:
    if col.null_count == len(col):
        return col
    values = pc.utf8_trim_whitespace(col)
    blank = pc.fill_null(pc.equal(values, ""), False)
    if pc.any(blank).as_py():  # a cell of spaces holds no value (spreadsheets export " " for empty)
        nothing = pa.scalar(None, pa.string())
        col, values = pc.if_else(blank, nothing, col), pc.if_else(blank, nothing, values)
        if col.null_count == len(col):
            return col
    if _is_id_name(name):
        return col
    as_float = _as_number(values)
    if as_float is None:  # maybe numbers with '-', '?' or '(blank)' for missing values
        words = pc.fill_null(pc.is_in(pc.utf8_lower(values), value_set=_MISSING_ARRAY), False)
        if not pc.any(words).as_py() or pc.all(words).as_py():
            return col
        nothing = pa.scalar(None, pa.string())
        kept = pc.if_else(words, nothing, values)
        as_float = _as_number(kept)
        if as_float is None:
            return col
        col, values = pc.if_else(words, nothing, col), kept
    if pc.any(pc.match_substring_regex(values, r"^(\+|-?0\d)")).as_py():
        return col  # zero-padded codes (00042) and phone-like +44... are text
    if col.null_count == 0:
        try:
            return pc.cast(values, pa.int64())
        except pa.ArrowInvalid:
            pass
        whole = pc.and_(pc.is_finite(as_float), pc.equal(as_float, pc.floor(as_float)))
        if pc.all(whole).as_py() and pc.max(pc.abs(as_float)).as_py() < 2**53:
            return pc.cast(as_float, pa.int64())
    return as_float


#: A number written for people: an optional currency mark or code (Brazil's 'R$' too),
#: thousands grouped by ',', '.', "'" or a (narrow) non-breaking space, decimals after '.'
#: or ',', an optional '%', and accounting negatives in parentheses, '(1,234.50)'.
_NUMBER_BODY = ("[+-]?(?:[$€£¥₹]|(?i:usd|eur|gbp|chf|brl|r\\$))?[ \u00a0\u202f]?[+-]?"
                "(?:\\d{1,3}(?:[,.'\u00a0\u202f ]\\d{3})+|\\d+)(?:[.,]\\d+)?"
                "[ \u00a0\u202f]?(?:[$€£¥₹%]|(?i:usd|eur|gbp|chf|brl|r\\$))?")
_NUMBER_TEXT_RE = f"^(?:{_NUMBER_BODY}|\\({_NUMBER_BODY}\\))$"


def _as_number(values: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Text as float64 (plain or written for people), or None unless every value is a number."""
    try:
        return pc.cast(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numbers = _number_text(values)
        return numbers if numbers is not None else _suffixed_numbers(values)


#: Amounts abbreviated for people, '350k', '1.2M', '$3.5bn': the suffix and its multiplier.
_MAGNITUDES = {"k": 1e3, "K": 1e3, "M": 1e6, "MM": 1e6, "mn": 1e6, "B": 1e9, "bn": 1e9}
_SUFFIXED_RE = r"^[$€£]?[ ]?(\d+(?:\.\d+)?)[ ]?(k|K|MM|M|mn|bn|B)?$"


def _suffixed_numbers(values: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Read '350k', '1.2M' or '3.5bn' as float64; None unless every value is such a number.

    A column qualifies when its suffixes show they are magnitudes: two of them (``950k`` and
    ``1.2M``) or a decimal before one (``1.2M``), so sizes such as ``6M`` and ``12M`` (baby
    clothes in months) stay text.

    Examples
    --------
    >>> _suffixed_numbers(pa.chunked_array([["350k", "1.2M", None, "75"]])).to_pylist()
    [350000.0, 1200000.0, None, 75.0]
    >>> _suffixed_numbers(pa.chunked_array([["6M", "12M", "18M"]])) is None
    True
    """
    if not pc.all(pc.match_substring_regex(values.slice(0, 1000), _SUFFIXED_RE)).as_py():
        return None
    text = pd.Series(values.to_pandas(), dtype="string")
    parts = text.str.extract(_SUFFIXED_RE)
    if parts[0][text.notna()].isna().any():
        return None
    suffixed = parts[1].notna()
    if not suffixed.any():
        return None
    if parts[1][suffixed].map(_MAGNITUDES).nunique() < 2 and not parts[0][suffixed].str.contains(".", regex=False).any():
        return None
    numbers = parts[0].astype("float64") * parts[1].map(_MAGNITUDES).fillna(1.0).astype("float64")
    return pa.chunked_array([pa.array(numbers.to_numpy(dtype="float64", na_value=np.nan), from_pandas=True)])


def _number_text(values: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Read '$1,234.50', '1.234,5' or '20049,04 €' as float64; None unless every value is such a number.

    Whether a comma is a decimal comma or a thousands separator is decided for the whole
    column, as :func:`_to_float` does (``3,50`` is three and a half; ``1,234`` alone is
    one thousand two hundred and thirty-four).
    """
    for part in (values.slice(0, 1000), values):  # most text columns fail on their first rows
        if not pc.all(pc.match_substring_regex(part, _NUMBER_TEXT_RE)).as_py():
            return None
    codes, uniques = pd.factorize(values.to_pandas())
    parsed = pd.to_numeric(_clean_number_text(pd.Series(uniques, dtype="string")), errors="coerce")
    if parsed.isna().any():
        return None
    numbers = np.full(len(codes), np.nan)
    numbers[codes >= 0] = parsed.to_numpy(dtype="float64")[codes[codes >= 0]]
    return pa.chunked_array([pa.array(numbers, from_pandas=True)])


# ---------------------------------------------------------------------------------------------
# Column names
# ---------------------------------------------------------------------------------------------

_ID_WORDS = frozenset({"id", "ids", "no", "nr", "num", "number", "ref", "reference", "key", "code", "identifier",
                       "uuid", "guid", "sku", "ean", "upc", "isbn"})
#: Id words that may come first, as French, Spanish or German put them ('N° client', 'id_cliente').
_LEAD_ID_WORDS = frozenset({"id", "no", "nr", "numero", "nummer", "code", "codigo", "cod", "ref", "key"})
#: Small words between a leading id word and the noun ('numero de cliente').
_LINK_WORDS = frozenset({"de", "du", "del", "da", "di", "do"})
#: Names of columns that hold codes, not quantities (besides those ending in an id word).
_CODE_WORDS = frozenset({"zip", "zipcode", "postcode", "postal", "plz", "phone", "telephone", "mobile", "fax"})


def _ascii(name) -> str:
    """A column name without accents, for matching: 'Âge' -> 'Age', 'N° client' -> 'No client'.

    Examples
    --------
    >>> _ascii("Réponse campagne"), _ascii("N° client"), _ascii("Straße")
    ('Reponse campagne', 'No client', 'Strasse')
    """
    text = unicodedata.normalize("NFKD", str(name).replace("ß", "ss").replace("°", "o"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _tokens(name) -> list[str]:
    """Words of a column name: 'AcceptedCmp1' -> ['accepted', 'cmp', '1'], 'Âge' -> ['age']."""
    return [t.lower() for t in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", _ascii(name))]


def _norm(name) -> str:
    """A column name without case, accents, spaces or punctuation: 'Customer ID' -> 'customerid'."""
    return re.sub(r"[^0-9a-z]", "", _ascii(name).lower())


def _is_id_name(name) -> bool:
    tokens = _tokens(name)
    return bool(tokens) and (tokens[-1] in _ID_WORDS or tokens[-1] in _CODE_WORDS)


@dataclass(frozen=True)
class _NameRule:
    """How a single role is recognised by name.

    ``exact`` are normalised names that are the role (score 2); a name containing one of
    ``words`` (together with an id word when ``with_id_word``: last, as in ``Client Ref``,
    or first, as in ``N° client`` or ``id_cliente``) and none of ``not_words`` scores 1;
    ``weak`` names score 0.5 (a bare ``ID`` may or may not be the customer).

    Examples
    --------
    >>> rule = _SINGLE_RULES["customer_id"]
    >>> [rule.score(n) for n in ("CustomerID", "Member Ref", "ID member", "numero de cliente", "ID", "clients")]
    [2.0, 1.0, 1.0, 1.0, 0.5, 0.0]
    """

    exact: frozenset[str]
    words: frozenset[str] = frozenset()
    not_words: frozenset[str] = frozenset()
    with_id_word: bool = False
    lead_words: frozenset[str] = frozenset()  # 'number_of_cds': first word + anything
    weak: frozenset[str] = frozenset()

    def score(self, name) -> float:
        norm, tokens = _norm(name), _tokens(name)
        if norm in self.exact:
            return 2.0
        if set(tokens) & self.not_words:
            return 0.0
        words = set(tokens) & self.words
        if words and (not self.with_id_word or len(tokens) == 1 or tokens[-1] in _ID_WORDS
                      or _leads_with_id_word(tokens)):
            return 1.0
        if len(tokens) > 1 and tokens[0] in self.lead_words and tokens[-1] not in _ID_WORDS:
            return 1.0
        return 0.5 if norm in self.weak else 0.0


def _leads_with_id_word(tokens: list[str]) -> bool:
    """'N° client', 'id_cliente', 'numero de cliente': an id word, maybe a link word, then one noun."""
    if len(tokens) == 3 and tokens[1] in _LINK_WORDS:
        tokens = [tokens[0], tokens[2]]
    return len(tokens) == 2 and tokens[0] in _LEAD_ID_WORDS and tokens[1] not in _ID_WORDS


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Name rules for the single-column roles, in the order they are assigned.
_SINGLE_RULES: dict[str, _NameRule] = {
    "customer_id": _NameRule(
        exact=_words("customerid customer custid customerno customernumber customerref customercode customerkey "
                     "clientid client clientref clientno clientnumber clientcode userid user memberid member "
                     "membernumber accountid accountnumber account buyerid shopperid householdid personid "
                     "contactid subscriberid cid uid "
                     "kunde kundennummer kundennr kundenid kdnr idclient noclient numclient numeroclient codeclient "
                     "cliente idcliente codcliente codigocliente numerocliente klant klantnummer klantnr klantid"),
        words=_words("customer customers cust client user member account buyer shopper household patron "
                     "subscriber consumer guest person contact respondent participant panelist panellist "
                     "kunde kunden cliente klant usuario utente"),
        with_id_word=True,
        weak=_words("id"),
    ),
    "invoice": _NameRule(
        exact=_words("invoice invoiceno invoiceid invoicenumber invoicenr order orderid orderno ordernumber "
                     "orderref ordername transaction transactionid transactionno txid txnid transid receipt receiptno "
                     "receiptid basket basketid ticket ticketid purchaseid cartid checkoutid billno billid "
                     "facture nofacture numerofacture commande nocommande numerocommande rechnung rechnungsnummer "
                     "rechnungsnr bestellung bestellnummer bestellnr belegnummer factura pedido fattura ordine "
                     "factuur bestelling"),
        words=_words("invoice order transaction receipt basket ticket txn tx trans purchase cart checkout bill "
                     "facture commande rechnung bestellung beleg factura pedido fattura ordine factuur bestelling"),
        with_id_word=True,
    ),
    "date": _NameRule(
        exact=_words("date invoicedate orderdate purchasedate transactiondate saledate salesdate txdate timestamp "
                     "datetime time dt day ts ordertime purchasetime createdat orderedat purchasedat paidat "
                     "datum fecha bestelldatum rechnungsdatum kaufdatum"),
        words=_words("date datetime timestamp time dt ts datum fecha"),
        not_words=_words("birth born dob birthday birthdate expiry expiration"),
    ),
    "price": _NameRule(
        exact=_words("price unitprice priceperunit itemprice priceeach unitcost listprice saleprice sellingprice "
                     "rate unitrate prix prixunitaire preis einzelpreis stueckpreis precio preciounitario prezzo "
                     "preco prijs"),
        words=_words("price prix preis precio prezzo preco prijs"),
        not_words=_words("total sum amount line"),
    ),
    "quantity": _NameRule(
        exact=_words("quantity qty quantities units count items itemcount numitems numberofitems pieces pcs "
                     "unitssold quantitysold numberofunits quantite qte menge anzahl stueck cantidad quantita "
                     "quantidade aantal"),
        words=_words("quantity qty units items pieces pcs quantite qte menge anzahl cantidad quantita quantidade "
                     "aantal"),
        lead_words=_words("number num nb n"),
    ),
    "amount": _NameRule(
        exact=_words("amount sales sale revenue dollarvalue total value linetotal lineamount linevalue totalamount "
                     "totalprice totalvalue totalsales netamount grossamount ordervalue ordertotal orderamount "
                     "spend spent turnover subtotal monetary monetaryvalue saleamount salesamount salesvalue "
                     "purchaseamount transactionamount payment paymentvalue paymentamount amountspent "
                     "montant betrag gesamtbetrag umsatz importe monto importo valor bedrag"),
        words=_words("amount revenue sales total value spend spent turnover subtotal monetary payment "
                     "montant betrag umsatz importe monto importo bedrag"),
        not_words=_words("score count items units qty quantity id no number date rate percent pct share "
                         "refund refunded refunds"),
    ),
    "channel": _NameRule(
        exact=_words("channel saleschannel orderchannel purchasechannel source medium canal kanal vertriebskanal"),
        words=_words("channel channels canal kanal"),
    ),
    "category": _NameRule(
        exact=_words("category productcategory categoryname department dept productline productgroup "
                     "productfamily genre subcategory producttype categorie kategorie categoria warengruppe rayon"),
        words=_words("category categories department dept genre categorie kategorie categoria warengruppe"),
    ),
    "country": _NameRule(exact=_words("country countryname countrycode nation pays land pais paese"),
                         words=_words("country pays land pais paese")),
}


@dataclass(frozen=True)
class _GroupRule:
    """A column belongs to a group when a name word is in ``words`` or ``stems`` occur in it."""

    words: frozenset[str]
    stems: tuple[str, ...] = ()
    not_words: frozenset[str] = frozenset()

    def matches(self, name) -> bool:
        norm, tokens = _norm(name), set(_tokens(name))
        if tokens & self.not_words:
            return False
        return bool(tokens & self.words) or any(stem in norm for stem in self.stems)


#: Name rules for the column groups of a customer table, in the order they are assigned.
_GROUP_RULES: dict[str, _GroupRule] = {
    "identifiers": _GroupRule(
        _words("email mail phone telephone tel cell fax name names surname forename address street ssn passport "
               "ip iban password username login nom prenom vorname nachname apellido cognome courriel "
               "telefon telefono adresse direccion indirizzo"),
        ("email", "phone", "firstname", "lastname", "fullname", "surname", "givenname", "familyname", "forename",
         "address", "socialsecurity", "passport", "iban", "creditcard", "cardnumber", "nationalid", "taxid",
         "username", "prenom", "vorname", "nachname", "apellido", "telefon"),
    ),
    # Campaign answers and other yes/no outcomes (churn): profiled against the segments, not
    # clustered on by default, so segments are not just "churners" and "the rest".
    "campaigns": _GroupRule(
        _words("cmp campaign campaigns accepted response responded respond responses offer promo promotion "
               "converted conversion optin redeemed coupon clicked opened mailing reponse antwort campagne kampagne "
               "campana campanha churn churned attrition exited"),
        ("cmp", "campaign", "accepted", "respon", "promo", "offer", "convert", "coupon", "redeem", "optin",
         "reponse", "campagn", "kampagn", "churn", "attrition"),
    ),
    "demographics": _GroupRule(
        _words("age sex gender dob yob income salary wage wages earnings education degree marital married kids "
               "kid teens teen children child household occupation profession job employment ethnicity race "
               "religion dependents dependants spouse partner senior generation birthday birthdate born nationality "
               "language alter edad eta idade leeftijd sexe sexo geschlecht sesso geslacht revenu revenus einkommen "
               "ingreso ingresos reddito renda inkomen salaire salario gehalt enfants kinder hijos figli "
               "familienstand"),
        ("income", "salary", "birth", "gender", "marital", "educat", "kidhome", "teenhome", "children",
         "household", "occupation", "profession", "ethnic", "religio", "dependen", "employ", "einkommen"),
    ),
    "geography": _GroupRule(
        _words("country region city state zip zipcode postcode postal province county district town territory "
               "location lat latitude lon lng longitude continent suburb neighbourhood neighborhood geo area "
               "municipality metro dma pays land pais paese ville stadt ciudad citta cidade stad ort regione "
               "provincia departement bundesland plz"),
        ("country", "region", "postcode", "zipcode", "latitude", "longitude", "province", "geograph",
         "codepostal", "postleitzahl", "codigopostal"),
    ),
    "technographics": _GroupRule(
        _words("device devices os browser platform app apps mobile tablet desktop smartphone android ios iphone "
               "useragent screen carrier software hardware operating internet broadband"),
        ("device", "browser", "platform", "operatingsystem", "useragent", "smartphone"),
        # what customers do in an app is behaviour: 'in_app_purchases', 'app_sessions'
        _words("purchase purchases order orders spend spent revenue sessions session minutes visits transactions "
               "amount"),
    ),
    "psychographics": _GroupRule(
        _words("interest interests lifestyle values hobby hobbies personality attitude attitudes opinion opinions "
               "motivation motivations preference preferences persona trait traits belief beliefs passion "
               "passions affinity affinities aspiration aspirations"),
        ("interest", "lifestyle", "hobb", "personalit", "attitud", "motivat", "psycho"),
    ),
}

#: Demographic columns that must hold numbers.
_INCOME_STEMS = ("income", "salary", "wage", "earning", "einkommen", "ingreso", "reddito", "inkomen", "salaire",
                 "salario", "gehalt")
#: Income as a whole word only: French 'revenu' is income, English 'revenue' (Z_Revenue) is not.
_INCOME_WORDS = frozenset({"revenu", "revenus", "renda"})
_AGE_WORDS = frozenset({"age", "alter", "edad", "eta", "idade", "leeftijd"})
_NUMERIC_DEMOGRAPHIC_STEMS = (*_INCOME_STEMS, "kidhome", "teenhome", "yearbirth", "birthyear", "yearofbirth")
_NUMERIC_DEMOGRAPHIC_WORDS = _AGE_WORDS | _INCOME_WORDS | {"kids", "teens", "children", "dependents", "dependants",
                                                          "yob"}

#: Values of a gender column (lower case, stripped): ``Genre`` in the Mall Customers table holds these.
_GENDER_VALUES = frozenset({"m", "f", "male", "female", "man", "woman", "men", "women", "other", "unknown", "x",
                            "diverse", "non-binary", "nonbinary", "homme", "femme", "mann", "frau", "hombre", "mujer"})


def _is_gender(s: pd.Series) -> bool:
    """Text whose values are all gender words, at least two of them (Male/Female, M/F, m/male/F...)."""
    if not _is_text(s) or s.head(1000).nunique() > 12:
        return False
    values = {str(v).strip().lower() for v in s.dropna().unique()}
    return 2 <= len(values) <= 12 and values <= _GENDER_VALUES and bool(values - {"other", "unknown", "x"})


_PERSON_WORDS = frozenset({"customer", "client", "first", "last", "full", "given", "family", "contact", "person",
                           "user", "buyer", "member"})
_EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
_IPV4_RE = r"^\d{1,3}(\.\d{1,3}){3}$"
_PHONE_RE = r"^(\+|\()[\d\s().-]{6,}\d$|^\d{3}[-. ]\d{3,4}[-. ]\d{4}$"


# ---------------------------------------------------------------------------------------------
# Column roles
# ---------------------------------------------------------------------------------------------

_CUSTOMER_SINGLE = ("customer_id", "date", "channel", "category", "country")
_TRANSACTION_GROUPS = ("identifiers",)


@dataclass
class ColumnRoles:
    """Which column of a table plays which part.

    Single roles hold one column name (or ``None``); groups hold lists of names.
    ``detected`` lists the roles that were found by :func:`detect_roles` rather than given,
    ``constants`` the columns with a single value (kept out of features; the campaign
    economics ``Z_CostContact`` / ``Z_Revenue`` are such columns), ``unused`` the columns
    that got no role, and ``kind`` says which table the roles describe. ``returns`` is a
    purchase log's column that marks return or refund lines (``type``: ``sale`` /
    ``refund``) whose amounts are written as positive numbers; ``time`` is a purchase log's
    time-of-day column (``Order Time``: ``14:02:11``) beside a ``date`` column holding the
    day only: the two are combined into one timestamp. ``refunded`` is a purchase log's
    refunded-amount column beside the paid amount (Stripe's ``Amount Refunded``): what it
    holds is subtracted from revenue. ``order_fields`` are the columns an orders export
    writes on each order's first line only (Shopify's ``Financial Status``, ``Paid at``,
    ``Billing Country``): they hold one value per order and are filled down to the order's
    other lines (:func:`fill_order_fields`).

    Examples
    --------
    >>> roles = ColumnRoles(customer_id="ID", demographics=["Income"], detected=["customer_id"])
    >>> roles
    ColumnRoles(customer_id='ID', demographics=['Income'], detected=['customer_id'])
    >>> roles.to_dict()["demographics"]
    ['Income']
    """

    customer_id: str | None = None
    date: str | None = None
    amount: str | None = None
    quantity: str | None = None
    price: str | None = None
    invoice: str | None = None
    channel: str | None = None
    category: str | None = None
    country: str | None = None
    demographics: list[str] = field(default_factory=list)
    geography: list[str] = field(default_factory=list)
    behaviour: list[str] = field(default_factory=list)
    psychographics: list[str] = field(default_factory=list)
    technographics: list[str] = field(default_factory=list)
    campaigns: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    returns: str | None = None
    time: str | None = None
    refunded: str | None = None
    order_fields: list[str] = field(default_factory=list)
    constants: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    detected: list[str] = field(default_factory=list)
    kind: str | None = None

    def to_dict(self) -> dict:
        """Plain ``dict`` of every field (lists copied), ready for JSON."""
        return dataclasses.asdict(self)

    def with_column(self, column, group: str) -> ColumnRoles:
        """A copy with ``column`` in ``group`` (one of :data:`GROUP_ROLES`), out of every other group.

        Examples
        --------
        >>> roles = ColumnRoles(behaviour=["Churn", "tenure"], unused=["Plan"], kind="customers")
        >>> roles.with_column("Churn", "campaigns")
        ColumnRoles(behaviour=['tenure'], campaigns=['Churn'], unused=['Plan'], kind='customers')
        """
        if group not in GROUP_ROLES:
            raise ConfigError(f"group must be one of {list(GROUP_ROLES)}, but {group!r} was given")
        changes = {g: [c for c in getattr(self, g) if c != column] for g in (*GROUP_ROLES, "constants", "unused")}
        if column not in getattr(self, group):
            changes[group] = [*changes[group], column]
        else:
            changes[group] = list(getattr(self, group))
        return dataclasses.replace(self, **changes)

    def describe(self) -> str:
        """A readable summary of every role, its column(s), and whether it was given or detected.

        Examples
        --------
        >>> roles = ColumnRoles(customer_id="ID", behaviour=["Recency", "MntWines"], constants=["Z_Revenue"],
        ...                     detected=["behaviour"], kind="customers")
        >>> print(roles.describe())
        Column roles (customers)
          customer_id     given      ID
          behaviour       detected   Recency, MntWines
          constants       detected   Z_Revenue (one value; not used as a feature)
          not found       date, amount, quantity, price, invoice, channel, category, country,
                          demographics, geography, psychographics, technographics, campaigns,
                          identifiers
        """
        rows, missing = [], []
        for role in (*SINGLE_ROLES, *GROUP_ROLES):
            value = getattr(self, role)
            if not value:
                missing.append(role)
            else:
                how = "detected" if role in self.detected else "given"
                rows.append((role, f"{how:<10} " + _wrap([value] if isinstance(value, str) else value, 29)))
            if role == "date" and value and self.time:
                how = "detected" if "time" in self.detected else "given"
                rows.append(("time", f"{how:<10} {self.time} (time of day, combined with {value} into one "
                                     f"timestamp)"))
        if self.returns:
            how = "detected" if "returns" in self.detected else "given"
            rows.append(("returns", f"{how:<10} {self.returns} (its return/refund lines count as negative revenue)"))
        if self.refunded:
            how = "detected" if "refunded" in self.detected else "given"
            rows.append(("refunded", f"{how:<10} {self.refunded} (refunded amounts are subtracted from revenue)"))
        if self.order_fields:
            shown = _wrap(self.order_fields, 29)
            rows.append(("order fields", f"detected   {shown} (on each order's first line only; filled down to "
                                         f"the order's other lines)"))
        if self.constants:
            shown = _wrap(self.constants, 29)
            rows.append(("constants", f"detected   {shown} (one value; not used as a feature)"))
        if self.unused:
            rows.append(("no role", "           " + _wrap(self.unused, 29)))
        if missing:
            rows.append(("not found", _wrap(missing, 18)))
        title = f"Column roles ({self.kind})" if self.kind else "Column roles"
        return "\n".join([title] + [f"  {role:<15} {text}" for role, text in rows])

    def __repr__(self) -> str:
        shown = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not value:
                continue
            if isinstance(value, list) and len(value) > 4 and f.name != "detected":
                value = f"[{len(value)} columns: {', '.join(map(repr, value[:3]))}, ...]"
            else:
                value = repr(value)
            shown.append(f"{f.name}={value}")
        return f"ColumnRoles({', '.join(shown)})"


def _wrap(items: list, indent: int, width: int = 90) -> str:
    """Join names with commas, breaking lines before ``width`` and indenting the follow-on lines."""
    lines, line = [], ""
    for item in map(str, items):
        if line and indent + len(line) + len(item) + 2 > width:
            lines.append(line + ",")
            line = item
        else:
            line = f"{line}, {item}" if line else item
    lines.append(line)
    return ("\n" + " " * indent).join(lines)


def detect_roles(df: pd.DataFrame, *, kind: str, given: Mapping | None = None,
                 label: str | None = None) -> ColumnRoles:
    """Work out which column plays which role, honouring the roles the config gives.

    Roles are recognised by name (case, spaces and punctuation ignored: ``CustomerID``,
    ``Client Ref``, ``Order Timestamp``, ``Line Total``...) and, for a purchase log's date
    and amount, by content. In a customer table, columns are grouped into demographics,
    geography, technographics, psychographics (by name), campaigns (campaign-like names with
    0/1, yes/no or true/false values), identifiers (personal data by name or content, such as
    values with ``@``), constants (a single value), and behaviour (the remaining numbers, and
    text columns with few distinct values: yes/no answers, a contract type, a payment method).
    Names are matched without accents (``Âge`` is an age) and in a few common languages
    (``N° client``, ``Kundennummer``, ``Revenu annuel``, ``Geschlecht``).

    In a purchase log, order numbers written like Shopify's (``#1001`` on every line of an
    order, each number one customer's on one day) are the invoice whatever the column is
    called (``Name``), and a column of clock times or hours beside a date column that holds
    days only (``Date`` + ``Time``, ``Order Date`` + ``Order Time``, ``date`` + ``hour``)
    becomes ``time``: :func:`standardise_transactions` combines the two into one timestamp.
    A date the config gives is used as it is; ``time`` is then combined only when given too.
    A bare ``Id`` that holds one value per order (Shopify's order id, the same on each of the
    order's lines) is not taken as the customer. A column of refunded amounts beside the
    amount (``Amount Refunded``, ``Refunded Amount``, ``Total Refunded``) becomes
    ``refunded``, and the columns written on each order's first line only (``Financial
    Status``, ``Paid at``, ``Billing Country``) become ``order_fields``.

    Parameters
    ----------
    df : pandas.DataFrame
        The raw table, as read by :func:`read_table`.
    kind : {"customers", "transactions"}
        What the table is.
    given : mapping, optional
        The config's ``columns:`` section: keys are :class:`ColumnRoles` field names, values
        a column name or a list of names; ``None`` (or a missing key) means "detect", an
        empty list means "none". Keys that do not apply to ``kind`` are ignored: a purchase
        log takes the single roles and ``identifiers``; a customer table takes
        ``customer_id`` and the groups (its date, channel, category and country columns
        are detected by name).
    label : str, optional
        Name of the table in messages; default the source label of ``df``.

    Returns
    -------
    ColumnRoles

    Raises
    ------
    ColumnError
        A given column is not in the table (the message suggests the closest name).
    ConfigError
        ``kind`` or a key of ``given`` is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"Client Ref": ["a", "b"], "Gender": ["F", "M"],
    ...                    "Annual Income (k$)": [15, 16], "Spending Score (1-100)": [39, 81],
    ...                    "Device Type": ["ios", "web"], "AcceptedCmp1": ["yes", "no"]})
    >>> roles = detect_roles(df, kind="customers")
    >>> roles.customer_id, roles.demographics, roles.behaviour
    ('Client Ref', ['Gender', 'Annual Income (k$)'], ['Spending Score (1-100)'])
    >>> roles.technographics, roles.campaigns
    (['Device Type'], ['AcceptedCmp1'])
    >>> log = pd.DataFrame({"Name": ["#1001", "#1001", "#1002"], "Customer": ["a", "a", "b"],
    ...                     "Date": ["2024-03-05", "2024-03-05", "2024-03-06"],
    ...                     "Time": ["14:02", "14:02", "09:10"], "Total": [3.0, 4.5, 2.0]})
    >>> roles = detect_roles(log, kind="transactions")
    >>> roles.invoice, roles.date, roles.time
    ('Name', 'Date', 'Time')
    >>> detect_roles(df, kind="customers", given={"customer_id": "ClientRef"})
    Traceback (most recent call last):
    ...
    segkit.exceptions.ColumnError: customers: column 'ClientRef' (columns.customer_id) is not in the data; did you mean 'Client Ref'?
    """
    if kind not in ("customers", "transactions"):
        raise ConfigError(f"kind must be one of ['customers', 'transactions'], but {kind!r} was given")
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{label or kind}: detect_roles expects a pandas DataFrame, got {type(df).__name__}; "
                         f"read it first with segkit.io.read_table")
    label = _label(df, label, kind)
    roles = ColumnRoles(kind=kind)
    taken: set = set()
    given_roles = _apply_given(df, roles, given or {}, kind, label, taken)
    single = SINGLE_ROLES if kind == "transactions" else _CUSTOMER_SINGLE
    groups = _TRANSACTION_GROUPS if kind == "transactions" else tuple(_GROUP_RULES)

    def free():
        return [c for c in df.columns if c not in taken]

    if "identifiers" in groups and "identifiers" not in given_roles:
        found = [c for c in free() if _is_identifier(df[c], c, kind)]
        _set_detected(roles, "identifiers", found, taken)
    for role in single:
        if role in given_roles:
            continue
        # 'Payment Method Title' is named like an amount and '14:02:11' in 'Time' like a date:
        # content decides between columns the names make candidates
        fits = _ROLE_CONTENT.get(role) if kind == "transactions" else None
        # of 'Paid at' (an order's first line only) and 'Created at' (every line), the fuller
        column = _best_by_name(free(), _SINGLE_RULES[role], frame=df, fits=fits, fullest=role == "date")
        if column is None and kind == "transactions" and role == "date":
            column = next((c for c in free() if _looks_like_dates(df[c])), None)
        if column is None and kind == "transactions" and role == "invoice":  # Shopify's 'Name': '#1001'
            column = next((c for c in free() if _is_order_number(df[c], df, roles)), None)
        if column is not None:
            setattr(roles, role, column)
            roles.detected.append(role)
            # the country also belongs to the geography group, and a customer table's channel or
            # category (a preferred channel, 'Genre' holding genders) is a trait of the customer
            if role != "country" and not (kind == "customers" and role in ("channel", "category")):
                taken.add(column)
    if kind == "transactions":
        # Shopify's 'Id' is the order's id on each of its lines: taken as the customer, every
        # order would be a customer of its own. (A column named like a customer outranks a bare
        # 'Id' by name, so there is none left to take instead: standardising says what to set.)
        if ("customer_id" in roles.detected and roles.invoice is not None
                and _SINGLE_RULES["customer_id"].score(roles.customer_id) < 1
                and _one_per_order(df[roles.customer_id], df[roles.invoice])):
            taken.discard(roles.customer_id)
            roles.customer_id = None
            roles.detected.remove("customer_id")
        # a given date is taken as it is; a time column beside it is combined only when given too
        if roles.date is not None and not {"date", "time"} & given_roles:
            roles.time = _time_column(df, roles.date, free())
            if roles.time is not None:
                roles.detected.append("time")
                taken.add(roles.time)
        if "returns" not in given_roles:
            roles.returns = next((c for c in free() if _return_values(df[c]) is not None), None)
            if roles.returns is not None:
                roles.detected.append("returns")
                taken.add(roles.returns)
        if ("amount" in roles.detected and roles.quantity and roles.price
                and _order_level(df[roles.amount], df[roles.quantity], df[roles.price])):
            taken.discard(roles.amount)  # the lines' quantity x price are the amounts
            roles.amount = None
            roles.detected.remove("amount")
        if "refunded" not in given_roles:  # before the amount is taken as the one number left
            roles.refunded = _refunded_column(df, roles.amount, free())
            if roles.refunded is not None:
                roles.detected.append("refunded")
                taken.add(roles.refunded)
        if roles.amount is None and not (roles.quantity and roles.price) and "amount" not in given_roles:
            numbers = [c for c in free() if _is_number(df[c]) and not _is_id_name(c) and not _is_row_number(c, df[c])]
            if len(numbers) == 1:
                roles.amount = numbers[0]
                roles.detected.append("amount")
                taken.add(numbers[0])
        roles.order_fields = _order_fields(df, roles)
        if roles.order_fields:
            roles.detected.append("order_fields")
    else:
        for group in ("campaigns", "demographics", "geography", "technographics", "psychographics"):
            if group in given_roles:
                continue
            rule = _GROUP_RULES[group]
            found = [c for c in free() if (rule.matches(c) and (group != "campaigns" or _mostly_flags(df[c])))
                     or (group == "demographics" and _is_gender(df[c]))
                     or (group == "psychographics" and _is_attitude_scale(df[c]))]
            _set_detected(roles, group, found, taken)
        if len(df) > 1:
            roles.constants = [c for c in free() if df[c].nunique(dropna=False) == 1]
            taken.update(roles.constants)
        if "behaviour" not in given_roles:
            found = [c for c in free() if (_is_number(df[c]) or _is_category(df[c]) or _numbers_and_placeholders(df[c]))
                     and not _is_id_name(c) and not _is_row_number(c, df[c])]
            _set_detected(roles, "behaviour", found, taken)
    roles.unused = [c for c in free() if c not in (roles.country, roles.channel, roles.category)]
    roles.detected = [r for r in (*SINGLE_ROLES, *GROUP_ROLES, "returns", "time", "refunded", "order_fields")
                      if r in roles.detected]
    return roles


def _is_attitude_scale(s: pd.Series) -> bool:
    """Survey answers on an attitude scale (Strongly disagree ... Strongly agree, Very
    dissatisfied ... Very satisfied, ...): psychographic whatever the question is called."""
    if s.head(1000).nunique() > 12 or not _is_text(s):  # most columns are ruled out at once
        return False
    levels = s.dropna().astype(str).str.strip().unique()
    return len(levels) <= 12 and scale_kind(levels) in ATTITUDE_SCALES


def _set_detected(roles: ColumnRoles, group: str, columns: list, taken: set) -> None:
    if columns:
        setattr(roles, group, list(columns))
        roles.detected.append(group)
        taken.update(columns)


def _apply_given(df: pd.DataFrame, roles: ColumnRoles, given: Mapping, kind: str, label: str, taken: set) -> set:
    """Validate and set the roles the config names; return the roles that were given."""
    known = (*SINGLE_ROLES, *GROUP_ROLES, "constants", "returns", "time", "refunded")
    if kind == "transactions":
        applies = (*SINGLE_ROLES, *_TRANSACTION_GROUPS, "returns", "time", "refunded")
    else:  # the config's date, amount, channel... name the purchase log's columns
        applies = ("customer_id", *GROUP_ROLES, "constants")
    done = set()
    for key, value in given.items():
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of {list(known)}"
            raise ConfigError(f"columns: unknown role {key!r}{hint}")
        if value is None or key not in applies:
            continue
        if key in (*SINGLE_ROLES, "returns", "time", "refunded"):
            if isinstance(value, list | tuple):
                if len(value) != 1:
                    raise ConfigError(f"columns.{key} must be one column name, but {value!r} was given")
                value = value[0]
            column = resolve_column(df, value, f"columns.{key}", label)
            setattr(roles, key, column)
            if key != "country":
                taken.add(column)
        else:
            names = [value] if isinstance(value, str | int) else list(value)
            columns = [resolve_column(df, name, f"columns.{key}", label) for name in names]
            setattr(roles, key, columns)
            taken.update(columns)
        done.add(key)
    return done


def resolve_column(df: pd.DataFrame, name, where: str, label: str):
    """The column of ``df`` the config means by ``name``, or a ColumnError with a suggestion.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    name : str or int
        The name as the config gives it (``2`` finds a column named ``"2"``).
    where : str
        The config key that names it, for the message (``"campaign.response"``).
    label : str
        Name of the table in the message.

    Examples
    --------
    >>> df = pd.DataFrame({"Réponse campagne": ["oui"], "Âge": [40]})
    >>> resolve_column(df, "Réponse campagne", "campaign.response", "clients.csv")
    'Réponse campagne'
    >>> resolve_column(df, "Reponse campagne", "campaign.response", "clients.csv")
    Traceback (most recent call last):
    ...
    segkit.exceptions.ColumnError: clients.csv: column 'Reponse campagne' (campaign.response) is not in the data; did you mean 'Réponse campagne'?
    """
    if name in df.columns:
        return name
    as_text = {str(c): c for c in df.columns}
    if str(name) in as_text:
        return as_text[str(name)]
    same = [c for c in df.columns if _norm(c) == _norm(name)]
    close = same or difflib.get_close_matches(str(name), list(as_text), n=1, cutoff=0.5)
    if close:
        hint = f"did you mean {str(close[0])!r}?"
    else:
        hint = f"columns are {_listing(df.columns)}"
    raise ColumnError(f"{label}: column {str(name)!r} ({where}) is not in the data; {hint}")


def _listing(columns, limit: int = 30) -> str:
    names = [str(c) for c in columns]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return f"{names[:limit]}{more}"


def _best_by_name(columns: list, rule: _NameRule, *, frame: pd.DataFrame | None = None, fits=None,
                  fullest: bool = False):
    """The best-named column whose values ``fits(frame[column])`` accepts: of equally good names,
    the first, or with ``fullest`` the one with the fewest missing values."""
    scored = sorted(((rule.score(c), -i, c) for i, c in enumerate(columns)), reverse=True)
    top, ties = None, []
    for score, _, c in scored:
        if score <= 0 or (top is not None and score < top):
            break
        if fits is None or fits(frame[c]):
            top = score
            ties.append(c)
            if not fullest:
                break
    if len(ties) > 1:
        return max(ties, key=lambda c: int(frame[c].notna().sum()))  # max keeps the first of equals
    return ties[0] if ties else None


def _is_number(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s)


def _order_level(amount: pd.Series, quantity: pd.Series, price: pd.Series) -> bool:
    """Whether an amount column is blank on lines that have a quantity and a price: an order's
    total written on its first line only, as a Shopify orders export does (``Subtotal``).

    Examples
    --------
    >>> _order_level(pd.Series([30.0, None, 5.0]), pd.Series([1, 2, 1]), pd.Series([10.0, 10.0, 5.0]))
    True
    """
    lines = quantity.notna() & price.notna()
    return bool((amount.isna() & lines).any() and amount[lines].notna().any())


def _is_row_number(name, s: pd.Series) -> bool:
    """A column without a header name counting the rows: the index pandas (``to_csv``) or R
    (``write.csv``) write as the first column. It is not a trait of the customer.

    Examples
    --------
    >>> _is_row_number("Unnamed: 0", pd.Series([0, 1, 2, 5])), _is_row_number("Visits", pd.Series([0, 1, 2]))
    (True, False)
    """
    return (bool(re.fullmatch(r"Unnamed: \d+", str(name))) and pd.api.types.is_integer_dtype(s)
            and s.is_monotonic_increasing and s.is_unique)


_TIME_OF_DAY_RE = r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s?[AaPp][Mm])?"


def _holds_numbers(s: pd.Series) -> bool:
    """Numbers, or text that is mostly numbers (the rest are then reported when standardising)."""
    if _is_number(s):
        return not pd.api.types.is_bool_dtype(s)
    return _is_text(s) and _mostly_numbers(s.head(10_000))


def _not_times_of_day(s: pd.Series) -> bool:
    """Anything but a column of clock times ('14:02:11'), which is the time beside a date column."""
    if not _is_text(s):
        return True
    sample = s.head(1000).dropna().astype(str).str.strip()
    return sample.empty or not sample.str.fullmatch(_TIME_OF_DAY_RE).all()


def _mostly_filled(s: pd.Series) -> bool:
    """A value on at least half the lines: a POS 'Receipt Number' left blank on web orders is not the order."""
    return bool(s.notna().mean() >= 0.5) if len(s) else False


#: What a purchase-log column found by name must hold to take a role.
_ROLE_CONTENT = {"amount": _holds_numbers, "quantity": _holds_numbers, "price": _holds_numbers,
                 "date": _not_times_of_day, "invoice": _mostly_filled}

#: An order number as shops write it: '#1001' (Shopify's order 'Name'), '#SH1001', '#1001-2'.
_ORDER_NUMBER_RE = r"#\s?(?:[A-Za-z]{1,5}[-_]?)?\d+(?:[-_][A-Za-z\d]+)?"
_ORDER_SAMPLE = 20_000
#: Lines of a purchase log in which its order-level fields are recognised (see _order_fields).
_ORDER_FIELDS_SAMPLE = 100_000


def _is_order_number(s: pd.Series, frame: pd.DataFrame, roles: ColumnRoles) -> bool:
    """Whether a purchase-log column, whatever its name, holds order numbers like ``#1001``.

    Every value is ``#`` and a number, at least half the lines have one, and each number
    belongs to one customer on one day (the lines of one order), as far as the roles found
    so far tell. So Shopify's ``Name`` column is the order, while a ``Name`` of people's
    names, or a store number ``#12`` that many customers share, is not.

    Examples
    --------
    >>> log = pd.DataFrame({"Name": ["#1001", "#1001", "#1002"], "Email": ["a@x.com", "a@x.com", "b@x.com"],
    ...                     "Store": ["#12", "#12", "#12"]})
    >>> roles = ColumnRoles(customer_id="Email")
    >>> _is_order_number(log["Name"], log, roles), _is_order_number(log["Store"], log, roles)
    (True, False)
    >>> _is_order_number(pd.Series(["Ann Lee", "Ann Lee", "Bo Chen"]), log, roles)
    False
    """
    if not _is_text(s) or not s.head(50).dropna().astype(str).str.strip().str.fullmatch(_ORDER_NUMBER_RE).all():
        return False
    head = _without_missing_words(s.head(_ORDER_SAMPLE))
    present = head.notna().to_numpy()
    if present.sum() < max(1, len(head) / 2) or not head[present].str.fullmatch(_ORDER_NUMBER_RE).all():
        return False
    lines = pd.DataFrame({"order": head.to_numpy()[present]})
    if roles.customer_id is not None:
        lines["customer"] = _normalise_ids(frame[roles.customer_id].head(len(head))).to_numpy()[present]
    if roles.date is not None:
        dates = _quiet_dates(frame[roles.date].head(len(head)))
        if dates is not None:
            lines["day"] = dates.dt.normalize().to_numpy()[present]
    return bool((lines.groupby("order").nunique() <= 1).to_numpy().all())


def _one_per_order(ids: pd.Series, orders: pd.Series) -> bool:
    """Whether a column holds one value per order: each order one value, each value one order
    (judged on the first :data:`_ORDER_FIELDS_SAMPLE` lines).

    Examples
    --------
    >>> orders = pd.Series(["#1001", "#1001", "#1002"])
    >>> _one_per_order(pd.Series([501, 501, 502]), orders), _one_per_order(pd.Series([7, 7, 7]), orders)
    (True, False)
    """
    pairs = pd.DataFrame({"id": _codes(ids.head(_ORDER_FIELDS_SAMPLE)),
                          "order": _codes(orders.head(_ORDER_FIELDS_SAMPLE))})
    pairs = pairs[(pairs["id"] >= 0) & (pairs["order"] >= 0)].drop_duplicates()
    return bool(pairs["order"].nunique() > 1 and not pairs["order"].duplicated().any()
                and not pairs["id"].duplicated().any())


#: Words of a refunded-amount column's name ('Amount Refunded', 'Refund Amount', 'Total Refunded').
_REFUND_WORDS = frozenset({"refund", "refunded", "refunds", "remboursement", "rembourse", "erstattung", "erstattet",
                           "reembolso", "reembolsado", "rimborso", "rimborsato", "terugbetaling", "terugbetaald"})
_MONEY_WORDS = frozenset({"amount", "total", "value", "sum", "montant", "betrag", "importe", "monto", "importo",
                          "valor", "bedrag"})


def _refunded_column(df: pd.DataFrame, amount, columns: list):
    """The column of amounts refunded beside the paid amount, or None.

    Its name says refund and amount (``Amount Refunded`` beside ``Amount``, ``Refunded
    Amount``, ``Total Refunded``; not ``Refunds``, which may count them) and nothing else the
    amount's name does not (not ``Converted Amount Refunded``, the refund in another
    currency), and it holds numbers that are not yes/no.

    Examples
    --------
    >>> pay = pd.DataFrame({"Amount": [50.0], "Converted Amount Refunded": [18.0], "Amount Refunded": [20.0],
    ...                     "Refund Reason": ["damaged"]})
    >>> _refunded_column(pay, "Amount", ["Converted Amount Refunded", "Amount Refunded", "Refund Reason"])
    'Amount Refunded'
    """
    own = set(_tokens(amount)) - _MONEY_WORDS if amount is not None else set()

    def rest(name) -> set:
        return set(_tokens(name)) - _REFUND_WORDS - _MONEY_WORDS

    named = [c for c in columns if set(_tokens(c)) & _REFUND_WORDS and set(_tokens(c)) & _MONEY_WORDS
             and rest(c) <= own]
    named.sort(key=lambda c: rest(c) != own)  # stable: first the one named like the amount
    return next((c for c in named if _holds_numbers(df[c]) and not _is_flag(df[c])), None)


def _filled(s: pd.Series) -> np.ndarray:
    """Which values are there: not missing, not blank and not a word for "no value"."""
    present = s.notna().to_numpy().copy()
    if _is_text(s) and present.any():
        present[present] = _without_missing_words(s[present]).notna().to_numpy()
    return present


def _codes(s: pd.Series) -> np.ndarray:
    """An integer per distinct id of ``s`` as :func:`_normalise_ids` reads them (-1 for a missing one),
    cleaning the distinct values only."""
    codes, uniques = pd.factorize(s)
    if not len(uniques):
        return np.asarray(codes)
    clean = np.asarray(pd.factorize(_normalise_ids(pd.Series(uniques)))[0])
    return np.where(codes >= 0, clean[np.maximum(codes, 0)], -1)


def _order_lines(orders: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each line's order code (-1 without an order), the position of its order's first line
    (its own without an order), and the number of lines of its order (1 without an order)."""
    codes = _codes(orders)
    known = codes >= 0
    positions = np.arange(len(codes))
    first = np.zeros(int(codes.max()) + 1 if known.any() else 0, dtype=np.int64)
    first[codes[known][::-1]] = positions[known][::-1]  # of repeated indices, the last assignment wins
    sizes = np.bincount(codes[known], minlength=len(first))
    safe = np.where(known, codes, 0)
    return (codes, np.where(known, first[safe] if len(first) else positions, positions),
            np.where(known, sizes[safe] if len(first) else 1, 1))


def _order_fields(df: pd.DataFrame, roles: ColumnRoles) -> list:
    """The columns of a purchase log written on each order's first line only.

    Judged on the orders with several lines among the first :data:`_ORDER_FIELDS_SAMPLE` lines
    (plenty to tell, and fast on a log of millions): the column is blank on every line but
    the first of each (never filled on a later line, whether or not the first line is), and
    filled on the first line of at least two of them. Numbers other than codes are left
    out: an order's total written on its first line (``Subtotal``) is not a line's.

    Examples
    --------
    >>> log = pd.DataFrame({"Name": ["#1", "#1", "#2", "#2", "#3"], "Status": ["paid", None, "refunded", None, "paid"],
    ...                     "Item": ["Mug", "Tea", "Cup", None, "Pot"], "Subtotal": [40.0, None, 7.0, None, 3.0]})
    >>> _order_fields(log, ColumnRoles(invoice="Name"))
    ['Status']
    """
    if roles.invoice is None or len(df) < 2:
        return []
    df = df.head(_ORDER_FIELDS_SAMPLE)
    _, first, sizes = _order_lines(df[roles.invoice])
    several = sizes > 1
    is_first = first == np.arange(len(df))
    heads, later = several & is_first, several & ~is_first
    if heads.sum() < 2:
        return []
    heads, later = np.flatnonzero(heads), np.flatnonzero(later)
    skip = {roles.invoice, roles.amount, roles.quantity, roles.price, roles.refunded}
    found = []
    for column in df.columns:
        if column in skip:
            continue
        s = df[column]
        present = s.notna().to_numpy()[later]
        if present.any():  # most columns are out here, at once
            shown = later[present]
            if not _is_text(s) or _filled(s.iloc[shown[:1000]]).any() or _filled(s.iloc[shown]).any():
                continue
        if _filled(s.iloc[heads]).sum() >= 2 and (_is_id_name(column) or not _holds_numbers(s)):
            found.append(column)
    return found


def fill_order_fields(df: pd.DataFrame, roles: ColumnRoles | Mapping | None = None, *,
                      label: str | None = None) -> pd.DataFrame:
    """A purchase log with each order's first-line fields copied to the order's other lines.

    An orders export (Shopify) writes ``Financial Status``, ``Paid at``, ``Currency`` or
    ``Billing Country`` on the first line of each order and leaves them blank on its other
    lines; filled down, a filter on them (``data.where``) keeps or leaves out whole orders
    and a share taken from them counts every line. Which columns these are is found by
    :func:`detect_roles` (``ColumnRoles.order_fields``).

    Parameters
    ----------
    df : pandas.DataFrame
        The raw purchase log, as read by :func:`read_table`.
    roles : ColumnRoles or mapping, optional
        Its roles; a mapping is taken as the config's ``columns:`` section; ``None`` detects them.
    label : str, optional
        Name of the log in messages.

    Returns
    -------
    pandas.DataFrame
        ``df`` itself when it has no such column, else a copy with them filled.

    Examples
    --------
    >>> log = pd.DataFrame({"Name": ["#1001", "#1001", "#1002", "#1002"], "Email": ["a@x.com"] * 2 + ["b@x.com"] * 2,
    ...                     "Financial Status": ["paid", None, "refunded", None],
    ...                     "Created at": ["2024-03-05"] * 2 + ["2024-03-06"] * 2, "Total": [3.0, 4.0, 5.0, 6.0]})
    >>> fill_order_fields(log, {"customer_id": "Email"})["Financial Status"].tolist()
    ['paid', 'paid', 'refunded', 'refunded']
    """
    roles = _roles_for(df, roles, kind="transactions", label=_label(df, label, "transactions"))
    if not roles.order_fields or roles.invoice is None:
        return df
    _, first, _ = _order_lines(df[roles.invoice])
    out = df.copy(deep=False)
    for column in roles.order_fields:
        s = df[column]
        out[column] = s.where(_filled(s), s.iloc[first].set_axis(s.index))
    return out


def _is_text(s: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(s) or s.dtype == object


_FLAG_VALUES = FLAG_VALUES


def _is_flag(s: pd.Series) -> bool:
    """Whether every non-missing value is a 0/1, yes/no, y/n or true/false answer."""
    if s.head(1000).nunique() > 4:  # most columns are ruled out without scanning them
        return False
    values = s.dropna().unique()
    if not 0 < len(values) <= 4:
        return False
    return all(str(v).strip().lower() in _FLAG_VALUES for v in values)


def _is_category(s: pd.Series) -> bool:
    """Text with few distinct values: yes/no answers, a plan, a payment method (not free text or dates)."""
    if not _is_text(s):
        return False
    values = s.dropna()
    if values.empty:
        return False
    if _is_flag(s):
        return True
    levels = values.nunique()
    return 2 <= levels <= min(50, max(2, len(values) // 5)) and not _looks_like_dates(s)


def _numbers_and_placeholders(s: pd.Series) -> bool:
    """Text that is numbers apart from placeholders such as '-' (which standardising then reports).

    Examples
    --------
    >>> _numbers_and_placeholders(pd.Series(["12", "-", "7.5"])), _numbers_and_placeholders(pd.Series(["a", "-"]))
    (True, False)
    """
    if not _is_text(s):
        return False
    text = _without_missing_words(s).dropna()
    placeholder = text.str.lower().isin(_PLACEHOLDERS)
    if not placeholder.any() or placeholder.all():
        return False
    rest = text[~placeholder]
    numbers = pd.to_numeric(rest, errors="coerce")
    if numbers.isna().any():
        numbers = pd.to_numeric(_clean_number_text(rest), errors="coerce")
    return bool(numbers.notna().all())


def _mostly_flags(s: pd.Series) -> bool:
    """Yes/no answers with at most a few stray values (which standardising then reports)."""
    if _is_flag(s):
        return True
    values = s.dropna()
    if len(values) < 10:
        return False
    answers = values.astype(str).str.strip().str.lower().isin(list(_FLAG_VALUES))
    return bool(answers.mean() >= 0.9)


#: Values of a purchase log's line-type column (lower case): sales, and returns or refunds.
_SALE_WORDS = frozenset({"sale", "sales", "sold", "purchase", "order", "invoice", "debit", "charge", "payment", "buy",
                         "normal", "regular", "vente", "achat", "commande", "verkauf", "kauf", "bestellung",
                         "rechnung", "venta", "compra", "vendita", "acquisto", "verkoop", "aankoop"})
_RETURN_WORDS = frozenset({"return", "returned", "returns", "refund", "refunded", "refunds", "cancel", "cancelled",
                           "canceled", "cancellation", "credit", "credit note", "creditnote", "chargeback", "void",
                           "retour", "remboursement", "avoir", "annulation", "rückgabe", "ruckgabe", "gutschrift",
                           "storno", "erstattung", "devolucion", "devolución", "reembolso", "reso", "rimborso",
                           "terugbetaling"})


def _return_values(s: pd.Series) -> set | None:
    """The return/refund words of a line-type column (``sale`` / ``refund``), or None if it is not one.

    Examples
    --------
    >>> _return_values(pd.Series(["Sale", "sale", "Refund"])), _return_values(pd.Series(["web", "store"]))
    ({'refund'}, None)
    """
    if not _is_text(s) or s.head(1000).nunique() > 6:
        return None
    words = set(s.dropna().astype(str).str.strip().str.lower().unique())
    found = words & _RETURN_WORDS
    if not found or not words <= (_SALE_WORDS | _RETURN_WORDS):
        return None
    return found


#: Words of an order or payment status (lower case) for lines that may not be revenue.
_NOT_PAID_WORDS = frozenset({"failed", "failure", "declined", "rejected", "cancelled", "canceled", "void", "voided",
                             "refunded", "expired", "abandoned", "unpaid", "pending", "annule", "annulee", "rembourse",
                             "storniert", "erstattet", "fehlgeschlagen", "cancelado", "cancelada", "reembolsado",
                             "fallido", "annullato", "rimborsato"})


def _warn_status_lines(df: pd.DataFrame, roles: ColumnRoles, label: str) -> None:
    """Warn when a log's status column marks lines as failed, cancelled or refunded.

    A payments or orders export (Stripe ``Status``, Shopify ``Financial Status``, WooCommerce
    ``Order Status``) has one line per attempt or order whatever became of it; segkit counts
    each line as a sale, so the warning says how to keep only the completed ones. With a
    refunded-amount column (``roles.refunded``) refunds are subtracted already, so refunded
    lines are not warned about.
    """
    words = _NOT_PAID_WORDS - _REFUND_WORDS if roles.refunded else _NOT_PAID_WORDS
    for column in roles.unused:
        if not ({"status", "statut", "stato"} & set(_tokens(column))) or not _is_text(df[column]):
            continue
        values = df[column].dropna().astype(str).str.strip()
        levels = values.unique()
        if len(levels) > 12:
            continue
        flagged = [v for v in levels if set(_tokens(_ascii(v).lower())) & words]
        if flagged and len(flagged) < len(levels):
            n = int(values.isin(flagged).sum())
            kept = ", ".join(sorted(set(levels) - set(flagged)))
            warnings.warn(
                f"{label}: column {column!r} marks {n:,} {_plural(n, 'line', 'lines')} as "
                f"{', '.join(map(repr, sorted(flagged)))}, counted as sales like the others (to leave them out, "
                f"set data.where: {{{column}: [{kept}]}})", SegkitWarning, stacklevel=3)


def _is_identifier(s: pd.Series, name, kind: str) -> bool:
    """Personal data: by name (unless the column holds yes/no flags) or by content."""
    if _is_flag(s):
        return False
    rule = _GROUP_RULES["identifiers"]
    tokens = set(_tokens(name))
    if kind == "transactions" and not tokens & _PERSON_WORDS:
        tokens -= {"name", "names", "nom"}  # a log's 'Product Name' is not personal
    if tokens & rule.words or any(stem in _norm(name) for stem in rule.stems):
        return True
    if not _is_text(s):
        return False
    sample = s.head(5000).dropna().astype(str).head(200)
    if sample.empty:
        return False
    for pattern in (_EMAIL_RE, _IPV4_RE, _PHONE_RE):
        if sample.str.match(pattern).mean() >= 0.5:
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Dates and numbers
# ---------------------------------------------------------------------------------------------

#: Date formats tried in order; for ambiguous values the earlier format wins (day-first with
#: '-' and '.', month-first with '/').
_DATE_PARTS = ("%Y-%m-%d", "%d-%m-%Y", "%m-%d-%Y", "%m/%d/%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y.%m.%d",
               "%Y%m%d", "%d-%m-%y", "%m/%d/%y", "%d/%m/%y", "%d.%m.%y", "%d %b %Y", "%d %B %Y", "%b %d %Y",
               "%B %d %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d-%b-%y", "%d %b %y")
_TIME_PARTS = ("", " %H:%M", " %H:%M:%S", " %H:%M:%S.%f", "T%H:%M", "T%H:%M:%S", " %I:%M %p", " %I:%M:%S %p")
_DATE_FORMATS = tuple(d + t for d in _DATE_PARTS for t in _TIME_PARTS)
_EXAMPLE_DATE = "2011-12-09"


def _to_datetime(values: pd.Series, fmt: str) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if fmt == "ISO8601":
            parsed = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=True)
            return parsed.dt.tz_convert(None)
        return pd.to_datetime(values, format=fmt, errors="coerce")


def _date_part(text: str) -> str:
    """The date part of a date-time value or format: '12/1/2010 8:26' -> '12/1/2010'."""
    return re.split(r"[ T](?=%[HI]|\d{1,2}:)", text, maxsplit=1)[0]


def _date_shape(text: str) -> tuple:
    """What a date value or format looks like: month names, clock, am/pm, date separators."""
    is_format = "%" in text
    date = _date_part(text)
    return (
        bool(re.search(r"%[bB]", date)) if is_format else bool(re.search(r"[A-Za-z]", date)),
        bool(re.search(r"%[HI]", text)) if is_format else ":" in text,
        "%p" in text if is_format else bool(re.search(r"[AaPp][Mm]$", text)),
        frozenset(re.findall(r"[-/.]", date)),
    )


#: The shape of every format, so a column is only tried with formats that can fit it.
_FORMAT_SHAPES = {fmt: _date_shape(fmt) for fmt in _DATE_FORMATS}


def _date_formats(sample: pd.Series) -> list[str]:
    """Candidate formats for a sample of date strings: ISO 8601, then those of the same shape."""
    shapes = {_date_shape(v) for v in sample.head(20)}
    return ["ISO8601"] + [fmt for fmt, shape in _FORMAT_SHAPES.items() if shape in shapes]


def _parse_date_strings(values: pd.Series, *, column=None, label: str = "", warn: bool = True):
    """Parse unique date strings with the one format that fits them best.

    ISO 8601 is taken when it fits everything. Otherwise formats are screened on a sample,
    then tried on every value in order; the first that parses everything wins. When a
    later format also parses everything but reads the dates differently (04-09-2012:
    April or September?), a :class:`SegkitWarning` says so. Returns the parsed values
    (NaT where a value does not fit) and the format used.
    """
    picks = np.unique(np.linspace(0, len(values) - 1, min(len(values), 200)).astype(int))
    sample = values.iloc[picks]
    if _to_datetime(sample, "ISO8601").notna().all():
        parsed = _to_datetime(values, "ISO8601")
        if parsed.notna().all():
            return parsed, "ISO8601"
    formats = _date_formats(sample)
    scores = {fmt: int(_to_datetime(sample, fmt).notna().sum()) for fmt in formats}
    top = max(scores.values(), default=0)
    if top == 0:
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]"), None
    candidates = [fmt for fmt in formats if scores[fmt] == top]
    best_fmt, best = None, None
    for i, fmt in enumerate(candidates):
        parsed = _to_datetime(values, fmt)
        if best is None or parsed.notna().sum() > best.notna().sum():
            best_fmt, best = fmt, parsed
        if parsed.notna().all():
            if warn:
                _warn_if_ambiguous(values, parsed, fmt, candidates[i + 1:], column=column, label=label)
            break
    return best, best_fmt


def _warn_if_ambiguous(values, parsed, fmt, others, *, column, label) -> None:
    for other in others:
        alt = _to_datetime(values, other)
        if alt.notna().all() and not alt.equals(parsed):
            warnings.warn(
                f"{label}: column {column!r} has dates that fit both {fmt!r} and {other!r}; read them as "
                f"{fmt!r} (write dates as yyyy-mm-dd to avoid this)",
                SegkitWarning, stacklevel=5,
            )
            return


def _quiet_dates(s: pd.Series) -> pd.Series | None:
    """Dates of a column while detecting roles: no warning, and None when they cannot be read."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return _parse_dates(s, label="", column=s.name, frame=s.to_frame())
        except DataError:
            return None


def _parse_dates(s: pd.Series, *, label: str, column, frame: pd.DataFrame) -> pd.Series:
    """Parse a column of dates to ``datetime64[ns]``; DataError naming the bad values."""
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.astype("datetime64[ns]")
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        parsed = _parse_date_numbers(s)
        bad = (s.notna() & parsed.isna()).to_numpy()
        example = _EXAMPLE_DATE
    else:
        codes, uniques = pd.factorize(s)  # parse each distinct value once
        uniques = pd.Series(np.asarray(uniques, dtype=object)).astype(str).str.strip()
        absent = uniques.str.lower().isin(_MISSING_WORDS).to_numpy()
        if absent.any():  # '-', 'none', '(blank)'... are missing dates, not bad ones
            codes = np.where(np.isin(codes, np.flatnonzero(absent)), -1, codes)
        parsed_u = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[ns]")
        if (~absent).any():
            parsed, _ = _parse_date_strings(uniques[~absent], column=column, label=label)
            parsed_u[~absent] = parsed.astype("datetime64[ns]").to_numpy()
        ok_u = ~np.isnat(parsed_u)
        values = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
        present = codes >= 0
        values[present] = parsed_u[codes[present]]
        parsed = pd.Series(values, index=s.index)
        bad = present & ~np.isin(codes, np.flatnonzero(ok_u))
        example = uniques[int(np.flatnonzero(ok_u)[0])] if ok_u.any() else _EXAMPLE_DATE
    if bad.any():
        value, row = _first_bad(frame, bad, s)
        n = int(bad.sum())
        raise DataError(
            f"{label}: column {column!r} has {n} {_plural(n, 'value that is not a date', 'values that are not dates')}"
            f" (e.g. {_show(value)} at {row}); expected dates like {example}"
        )
    return parsed.astype("datetime64[ns]")


#: Words of a time-of-day column's name ('Order Time', 'hour', 'Uhrzeit', 'Heure'); of one holding whole
#: hours (singular: 'Hours' in a log is more likely hours billed than the hour of the day); and the words
#: of a date column's name besides what the date is of ('Order Date', 'Time of day').
_TIME_WORDS = frozenset({"time", "hour", "hours", "hr", "clock", "heure", "uhrzeit", "zeit", "stunde", "hora", "ora",
                         "tijd", "uur"})
_HOUR_WORDS = frozenset({"hour", "heure", "stunde", "hora", "ora"})
_DAY_WORDS = frozenset({"date", "day", "dt", "datum", "fecha", "data", "jour", "dia", "giorno", "dag", "tag"}
                       | _LINK_WORDS | {"of", "the", "at"})
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H:%M:%S.%f", "%I:%M %p", "%I:%M:%S %p", "%I:%M%p", "%I:%M:%S%p")
_ONE_DAY = pd.Timedelta(days=1)


def _time_column(df: pd.DataFrame, date, columns: list):
    """The column holding the time of day of a date column that holds days only, or None.

    Its name says time (``Time``, ``Order Time``, ``hour``, ``Uhrzeit``) and nothing the
    date's name does not (``Delivery Time`` is not the time of ``Order Date``), and its
    values are clock times (``14:02``, ``2:05 PM``) or, under an hour name, whole hours
    0-23. A name that repeats the date's (``InvoiceTime`` beside ``InvoiceDate``) goes first.

    Examples
    --------
    >>> log = pd.DataFrame({"Order Date": ["2024-03-05"], "Delivery Time": ["18:00"], "Order Time": ["14:02"]})
    >>> _time_column(log, "Order Date", ["Delivery Time", "Order Time"])
    'Order Time'
    >>> _time_column(log.assign(**{"Order Date": ["2024-03-05 09:00"]}), "Order Date", ["Order Time"]) is None
    True
    """
    def rest(name) -> frozenset:
        return frozenset(_tokens(name)) - _TIME_WORDS - _DAY_WORDS

    named = [c for c in columns if set(_tokens(c)) & _TIME_WORDS and rest(c) <= rest(date)]
    if not named or not _days_only(df[date]):
        return None
    named.sort(key=lambda c: rest(c) != rest(date))  # stable: first 'Order Time', then 'Time'
    return next((c for c in named if _holds_times_of_day(df[c], c)), None)


def _days_only(s: pd.Series) -> bool:
    """Whether a date column holds days without a time of day (or all at midnight, as Excel writes them)."""
    dates = _quiet_dates(s.head(1000))
    if dates is None or dates.isna().all():
        return False
    dates = dates.dropna()
    return bool((dates == dates.dt.normalize()).all())


def _holds_times_of_day(s: pd.Series, name) -> bool:
    """Clock times ('14:02:11', '2:05 PM'), or whole hours 0-23 in a column named like an hour."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
        return False
    if _is_number(s) and not set(_tokens(name)) & _HOUR_WORDS:
        return False
    times, present = _times_of_day(s.head(1000))
    return bool(present.any() and times[present].notna().all())


def _times_of_day(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Times of day as time since midnight (NaT where a value is not a time), and which values are there.

    Examples
    --------
    >>> times, present = _times_of_day(pd.Series(["14:02:11", "2:05 PM", None, "25:00"]))
    >>> times.tolist(), present.tolist()
    ([Timedelta('0 days 14:02:11'), Timedelta('0 days 14:05:00'), NaT, NaT], [True, True, False, True])
    >>> _times_of_day(pd.Series([0, 23, 24]))[0].tolist()
    [Timedelta('0 days 00:00:00'), Timedelta('0 days 23:00:00'), NaT]
    """
    if pd.api.types.is_timedelta64_dtype(s):
        times = s.astype("timedelta64[ns]")
        return times.where((times >= pd.Timedelta(0)) & (times < _ONE_DAY)), s.notna()
    if pd.api.types.is_datetime64_any_dtype(s):  # a time typed as a timestamp on some day
        return (s - s.dt.normalize()).astype("timedelta64[ns]"), s.notna()
    if _is_number(s):  # whole hours
        hours = s.astype("float64")
        whole = hours.between(0, 23) & (hours % 1 == 0)
        return pd.to_timedelta(hours.where(whole), unit="h"), hours.notna()
    text = _without_missing_words(s)  # datetime.time values (from Parquet) become '14:02:11'
    codes, uniques = pd.factorize(text)
    uniques = pd.Series(np.asarray(uniques, dtype=object), dtype=object).str.upper()
    parsed = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[ns]")
    for fmt in _TIME_FORMATS:
        todo = parsed.isna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(uniques[todo], format=fmt, errors="coerce")
    since_midnight = (parsed - parsed.dt.normalize()).to_numpy()
    values = np.full(len(s), np.timedelta64("NaT"), dtype="timedelta64[ns]")
    values[codes >= 0] = since_midnight[codes[codes >= 0]]
    return pd.Series(values, index=s.index), pd.Series(codes >= 0, index=s.index)


def _role_dates(df: pd.DataFrame, roles: ColumnRoles, *, label: str) -> pd.Series:
    """The log's timestamps: its date column, with the day's time from ``roles.time`` when there is one.

    A line without a time keeps its day (at midnight); a value that is not a time of day is
    a DataError naming it.

    Examples
    --------
    >>> log = pd.DataFrame({"Date": ["2024-03-05", "2024-03-06"], "Time": ["14:02", None]})
    >>> _role_dates(log, ColumnRoles(date="Date", time="Time"), label="till.csv").tolist()
    [Timestamp('2024-03-05 14:02:00'), Timestamp('2024-03-06 00:00:00')]
    """
    dates = _parse_dates(df[roles.date], label=label, column=roles.date, frame=df)
    if roles.time is None:
        return dates
    s = df[roles.time]
    times, present = _times_of_day(s)
    bad = (present & times.isna()).to_numpy()
    if bad.any():
        value, row = _first_bad(df, bad, s)
        n = int(bad.sum())
        hours = " or whole hours 0-23" if _is_number(s) else ""
        raise DataError(
            f"{label}: column {roles.time!r} has {n} {_plural(n, 'value that is', 'values that are')} not a time "
            f"of day (e.g. {_show(value)} at {row}); expected times like 14:02:11 or 2:02 PM{hours}"
        )
    return (dates.dt.normalize() + times.fillna(pd.Timedelta(0))).astype("datetime64[ns]")


#: Excel's day 0 (as Excel counts, with its 1900 leap-year bug) and the serial numbers read as days.
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_SERIALS = (10_000, 80_000)


def _parse_date_numbers(s: pd.Series) -> pd.Series:
    """Dates written as numbers: yyyymmdd (19970101), Excel serial days (45000 is 2023-03-15,
    with the time of day as a fraction), Unix seconds or milliseconds.

    The reading that fits most values wins, so one stray number is reported rather than
    making the whole column unreadable. Only a column known to hold dates is read this way.

    Examples
    --------
    >>> _parse_date_numbers(pd.Series([45000, 45000.5, 19970101])).tolist()
    [Timestamp('2023-03-15 00:00:00'), Timestamp('2023-03-15 12:00:00'), NaT]
    >>> _parse_date_numbers(pd.Series([1700000000])).tolist()
    [Timestamp('2023-11-14 22:13:20')]
    """
    values = s.astype("float64")
    readings = {
        "yyyymmdd": values.between(10000101, 99991231) & (values % 1 == 0),
        "excel": values.between(_EXCEL_SERIALS[0], _EXCEL_SERIALS[1]),  # 1927 to 2119
        "s": values.between(1e8, 1e10),
        "ms": values.between(1e11, 1e13),
    }
    best = max(readings, key=lambda k: int(readings[k].sum()))
    fits = readings[best]
    if not fits.any():
        return pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    if best == "yyyymmdd":
        text = values.where(fits).astype("Int64").astype("string")
        parsed = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
    elif best == "excel":
        parsed = pd.to_datetime(values.where(fits), unit="D", origin=_EXCEL_EPOCH, errors="coerce").dt.round("s")
    else:
        parsed = pd.to_datetime(values.where(fits), unit=best, errors="coerce")
    return parsed.astype("datetime64[ns]")


def _looks_like_dates(s: pd.Series) -> bool:
    """Whether a column's content is dates (for columns whose name does not say so)."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return True
    values = s.head(10_000).dropna()
    if values.empty:
        return False
    if pd.api.types.is_integer_dtype(s):
        return bool(values.between(19000101, 21001231).all() and _parse_date_numbers(values).notna().all())
    if not _is_text(s):
        return False
    values = _without_missing_words(values).dropna()  # '?' or '(blank)' for an unknown date
    if values.empty:
        return False
    sample = pd.Series(values.astype(str).unique()[:50], dtype=object)
    if not sample.str.fullmatch(r"[\w\s:./,+-]{6,35}").all() or not sample.str.contains(r"\d").all():
        return False
    parsed, _ = _parse_date_strings(sample, warn=False)
    return bool(parsed.notna().all())


_CURRENCY_RE = r"(?i:r\$)|[$€£¥₹%\s\u00a0\u202f']|(?i:usd|eur|gbp|chf|brl)"


def _to_float(s: pd.Series, *, label: str, column, frame: pd.DataFrame) -> pd.Series:
    """Numbers from a column; text such as '$1,234.50' or '3,50' is accepted, anything else is a DataError."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return s.astype("float64")
    text = _without_missing_words(s)
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    bad = (text.notna() & numbers.isna()).to_numpy()
    if bad.any():
        cleaned = _clean_number_text(text[bad])
        numbers[bad] = pd.to_numeric(cleaned, errors="coerce").astype("float64")
        bad = (text.notna() & numbers.isna()).to_numpy()
    if bad.any():
        value, row = _first_bad(frame, bad, s)
        n = int(bad.sum())
        hint = ""
        if re.fullmatch(r"[-.\u2013\u2014]+", str(value).strip()):
            hint = (f" ({_show(str(value).strip())} may mean missing or zero: write an empty cell for missing, "
                    f"0 for zero)")
        raise DataError(
            f"{label}: column {column!r} has {n} non-numeric {_plural(n, 'value', 'values')} "
            f"(e.g. {_show(value)} at {row}); expected numbers{hint}"
        )
    return numbers


def _without_missing_words(s: pd.Series) -> pd.Series:
    """Stripped text with blanks and the spellings of "no value" ('-', '?', 'none', '(blank)'...) missing.

    Examples
    --------
    >>> _without_missing_words(pd.Series([" 3 ", "?", "(blank)", "N/A", "-"])).tolist()
    ['3', <NA>, <NA>, <NA>, '-']
    """
    text = s.astype("string").str.strip()
    return text.mask((text == "") | text.str.lower().isin(_MISSING_WORDS))


def _clean_number_text(text: pd.Series) -> pd.Series:
    """Strip currency marks, '%' and thousands separators; read a decimal comma as a point and
    an accounting negative '(3.00)' as -3.00.

    Examples
    --------
    >>> _clean_number_text(pd.Series(["(1'234.50)", "12.5 %", "$7"], dtype="string")).tolist()
    ['-1234.50', '12.5', '7']
    >>> _clean_number_text(pd.Series(["1\u202f234,50\u00a0€", "(3,00 €)"], dtype="string")).tolist()
    ['1234.50', '-3.00']
    """
    text = text.str.strip().str.replace(r"^\((.*)\)$", r"-\1", regex=True)
    text = text.str.replace(_CURRENCY_RE, "", regex=True)
    decimal_comma = text.str.contains(r"\d\.\d{3},\d|^[+-]?\d+,\d{1,2}$|,\d{4,}$", regex=True).any()
    if decimal_comma:
        return text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return text.str.replace(",", "", regex=False)


def _role_numbers(df: pd.DataFrame, column, *, label: str, absent: pd.Series | None = None) -> pd.Series | None:
    """A role's column as float64, or ``absent`` when the table has no such column."""
    if column is None or column not in df.columns:
        return absent
    return _to_float(df[column], label=label, column=column, frame=df)


def duplicated_rows(df: pd.DataFrame, keep: str | bool = "first") -> np.ndarray:
    """``df.duplicated(keep=keep)`` as a boolean array, exactly, but fast on long tables.

    pandas factorises every column to find repeated lines (15 s for a 10M-line log). Here
    each line is hashed first (:func:`row_hashes`), and only lines whose hash is shared are
    compared in full by pandas, so the answer is pandas' own; short tables go to pandas
    directly.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, 1, 1], "b": ["x", "y", "x", None]})
    >>> duplicated_rows(df).tolist(), duplicated_rows(df, keep=False).tolist()
    ([False, False, True, False], [True, False, True, False])
    """
    hashes = row_hashes(df) if len(df) >= _HASHED_DUPLICATES_FROM and df.shape[1] else None
    if hashes is None:
        return df.duplicated(keep=keep).to_numpy()
    shared = pd.Series(hashes).duplicated(keep=False).to_numpy()
    out = np.zeros(len(df), dtype=bool)
    if shared.any():
        out[shared] = df[shared].duplicated(keep=keep).to_numpy()
    return out


def row_hashes(df: pd.DataFrame) -> np.ndarray | None:
    """A 64-bit hash of each row, computed by DuckDB (six times faster than pandas' hashing).

    Rows that pandas calls equal get equal hashes (missing values hash alike, and -0.0 as
    0.0); different rows almost surely get different ones. ``None`` when DuckDB cannot read
    a column (Python objects of mixed types).

    Examples
    --------
    >>> h = row_hashes(pd.DataFrame({"a": [1.0, -0.0, 1.0, 0.0], "b": ["x", None, "x", None]}))
    >>> bool(h[0] == h[2]), bool(h[1] == h[3]), bool(h[0] == h[1])
    (True, True, False)
    """
    import duckdb

    frame = df.set_axis([f"c{i}" for i in range(df.shape[1])], axis=1)
    # -0.0 and 0.0 are one value to pandas but hash apart: adding 0.0 makes every zero +0.0.
    parts = [f"c{i} + 0.0" if pd.api.types.is_float_dtype(t) else f"c{i}" for i, t in enumerate(df.dtypes)]
    try:
        con = duckdb.connect()
        try:
            con.register("frame", frame)
            return con.sql(f"SELECT hash({', '.join(parts)}) AS h FROM frame").fetchnumpy()["h"]
        finally:
            con.close()
    except duckdb.Error:
        return None


#: Tables at least this long have their duplicate lines found by hashing (see duplicated_rows).
_HASHED_DUPLICATES_FROM = 200_000


def _normalise_ids(s: pd.Series) -> pd.Series:
    """Ids as pandas strings: whitespace trimmed, blanks missing, '17850.0' -> '17850'."""
    if pd.api.types.is_float_dtype(s):
        values = s.dropna()
        if (values % 1 == 0).all():
            return s.astype("Int64").astype("string")
    # a log repeats each id many times: clean the distinct values only
    codes, uniques = pd.factorize(s)
    text = _without_missing_words(pd.Series(uniques, dtype="string"))
    text = text.mask(text.str.lower().isin(_PLACEHOLDERS))  # an id is never '-' or 'unknown'
    clean = text.str.replace(r"^([+-]?\d+)\.0+$", r"\1", regex=True).to_numpy(dtype=object, na_value=None)
    # Arrow's take builds the column from the distinct ids (a Python object per line took
    # 7 s at 10M lines, this 1.7 s); a missing code is a missing id.
    taken = pa.array(clean, type=pa.string()).take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.array(taken, dtype="string"), index=s.index)


def _to_flag(s: pd.Series, *, label: str, column, frame: pd.DataFrame) -> pd.Series:
    """Campaign answers as Int8 0/1 (0/1, true/false, yes/no, y/n); missing stays <NA>."""
    if pd.api.types.is_bool_dtype(s):
        return s.astype("Int8")
    text = _without_missing_words(s).str.lower()
    if pd.api.types.is_numeric_dtype(s):
        text = s.astype("float64").map(lambda v: v if pd.isna(v) else f"{v:g}").astype("string")
    flags = text.map(_FLAG_VALUES.get, na_action="ignore")
    bad = (text.notna() & flags.isna()).to_numpy()
    if bad.any():
        value, row = _first_bad(frame, bad, s)
        n = int(bad.sum())
        raise DataError(
            f"{label}: column {column!r} has {n} {_plural(n, 'value that is', 'values that are')} not a yes/no answer "
            f"(e.g. {_show(value)} at {row}); expected 0/1, yes/no, y/n or true/false"
        )
    return flags.astype("Int8")


# ---------------------------------------------------------------------------------------------
# Standardising
# ---------------------------------------------------------------------------------------------

def standardise_transactions(df: pd.DataFrame, roles: ColumnRoles | Mapping | None = None, *,
                             label: str | None = None) -> pd.DataFrame:
    """Turn a raw purchase log into the standardised log of ``docs/architecture.md``.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per order line, as read by :func:`read_table`.
    roles : ColumnRoles or mapping, optional
        The roles from :func:`detect_roles`; a mapping is taken as the config's
        ``columns:`` section; ``None`` detects every role.
    label : str, optional
        Name of the log in messages; default the source label, else ``"transactions"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id`` (string, ``17850.0`` -> ``17850``), ``date``
        (``datetime64[ns]``, format inferred from the data; the day with the time of day
        of ``roles.time`` when the log writes them in two columns), ``amount``
        (``quantity * price`` when the log has no amount), ``quantity``, ``price`` (float, NaN when absent),
        ``invoice`` (string) and, when the log has them, ``channel``, ``category`` and
        ``country`` (string), and ``refunded`` (float, the amount refunded on the line, 0 when
        none; :func:`segkit.features.clean_transactions` subtracts it). An order's fields
        written on its first line only (``roles.order_fields``) are read as on each of its
        lines (:func:`fill_order_fields`). ``attrs`` keep the source and add ``segkit_roles``.

    Raises
    ------
    ColumnError
        No customer id, no date, or neither an amount nor quantity and price.
    DataError
        Values that are not dates, times of day or numbers, naming column, count, example and row.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"customer_id": ["00001", "00002"], "date": [19970101, 19970112],
    ...                     "number_of_cds": [1, 2], "dollar_value": [11.77, 24.0]})
    >>> standardise_transactions(log)
      customer_id       date  amount  quantity  price invoice
    0       00001 1997-01-01   11.77       1.0    NaN    <NA>
    1       00002 1997-01-12   24.00       2.0    NaN    <NA>
    >>> bad = pd.DataFrame({"CustomerID": [1, 2], "InvoiceDate": ["2011-12-09", "yesterday"], "Sales": [1, 2]})
    >>> standardise_transactions(bad, label="orders.csv")
    Traceback (most recent call last):
    ...
    segkit.exceptions.DataError: orders.csv: column 'InvoiceDate' has 1 value that is not a date (e.g. 'yesterday' at row 2); expected dates like 2011-12-09
    """
    label = _label(df, label, "transactions")
    roles = _roles_for(df, roles, kind="transactions", label=label)
    _check_columns(df, roles, label)
    if roles.customer_id is None:
        emails = [c for c in roles.identifiers if _is_text(df[c]) and df[c].head(200).dropna().astype(str)
                  .str.match(_EMAIL_RE).mean() >= 0.5]
        hint = f"; column {emails[0]!r} holds e-mail addresses, which can be the id" if emails else ""
        orders = [c for c in roles.unused if roles.invoice is not None and _SINGLE_RULES["customer_id"].score(c) > 0
                  and _one_per_order(df[c], df[roles.invoice])]
        if orders:
            hint += (f"; column {orders[0]!r} holds one value per order, as {roles.invoice!r} does, so it is "
                     f"not taken as the customer")
        raise ColumnError(
            f"{label}: no customer id column found among {_listing(df.columns)}; expected one named like "
            f"customer_id, CustomerID or client_id (or set columns.customer_id{hint})"
        )
    if roles.date is None:
        raise ColumnError(
            f"{label}: no date column found among {_listing(df.columns)}; expected one named like date, "
            f"InvoiceDate or order_date, or holding dates (or set columns.date)"
        )
    if roles.amount is None and not (roles.quantity and roles.price):
        raise ColumnError(
            f"{label}: no amount column and no quantity + price columns found among {_listing(df.columns)}; "
            f"expected an amount (Sales, revenue, total...) or both quantity and unit price "
            f"(or set columns.amount, or columns.quantity and columns.price)"
        )
    df = fill_order_fields(df, roles)  # before the status check and the shares read them
    _warn_status_lines(df, roles, label)
    absent = pd.Series(np.nan, index=df.index)
    quantity = _role_numbers(df, roles.quantity, label=label, absent=absent)
    price = _role_numbers(df, roles.price, label=label, absent=absent)
    if roles.returns is not None:  # a return written as a positive line with type 'refund'
        words = _return_values(df[roles.returns]) or _RETURN_WORDS
        values = df[roles.returns].astype("string").str.strip().str.lower()
        is_return = pd.Series(values.isin(words).fillna(False).to_numpy(dtype=bool), index=df.index)
        if not is_return.any():  # given in the config, but nothing in it reads as a return
            seen = sorted(map(str, df[roles.returns].dropna().unique()))[:6]
            raise DataError(
                f"{label}: column {roles.returns!r} (columns.returns) has no value that marks a return or refund "
                f"(values: {', '.join(map(repr, seen))}); expected words such as 'return', 'refund', "
                "'credit note' or 'storno' on the lines to count as negative revenue"
            )
        quantity = quantity.mask(is_return, -quantity.abs())
    amount = _role_numbers(df, roles.amount, label=label, absent=quantity * price)
    if roles.returns is not None and roles.amount is not None:
        amount = amount.mask(is_return, -amount.abs())
    out = pd.DataFrame({
        "customer_id": _normalise_ids(df[roles.customer_id]),
        "date": _role_dates(df, roles, label=label),
        "amount": amount,
        "quantity": quantity,
        "price": price,
        "invoice": (_normalise_ids(df[roles.invoice]) if roles.invoice
                    else pd.Series(pd.NA, index=df.index, dtype="string")),
    })
    for role in ("channel", "category", "country"):
        column = getattr(roles, role)
        if column is not None:
            out[role] = df[column].astype("string").str.strip().replace("", pd.NA)
    if roles.refunded is not None:  # netted by the 'refunds' cleaning rule
        out["refunded"] = _role_numbers(df, roles.refunded, label=label).abs().fillna(0.0)
    out = out.reset_index(drop=True)
    out.attrs = {**df.attrs, "segkit_roles": roles.to_dict()}
    return out


def standardise_customers(df: pd.DataFrame, roles: ColumnRoles | Mapping | None = None, *,
                          label: str | None = None) -> pd.DataFrame:
    """Give a customer table its ``customer_id`` column and clean, typed role columns.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per customer, as read by :func:`read_table`.
    roles : ColumnRoles or mapping, optional
        The roles from :func:`detect_roles`; a mapping is taken as the config's
        ``columns:`` section; ``None`` detects every role.
    label : str, optional
        Name of the table in messages; default the source label, else ``"customers"``.

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` (pandas string; ``"1".."n"`` when the table has no id column, and
        then ``attrs["segkit_id_generated"]`` is True) followed by every original column
        under its original name; campaign columns and other yes/no columns as ``Int8`` 0/1;
        numeric-by-role columns (behaviour, income, age, birth year, kids...) as numbers,
        unless most of their values are text (age bands such as ``18-24`` stay categories);
        the date column and columns of dates as ``datetime64[ns]``.

    Raises
    ------
    DataError
        Duplicate or missing ids, campaign answers other than 0/1, yes/no, y/n, true/false,
        text in a numeric column (one whose values are mostly numbers), values that are not
        dates in the date column.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"Income": [58138, None], "Dt_Customer": ["04-09-2012", "21-08-2013"],
    ...                    "Response": ["Yes", "no"]})
    >>> out = standardise_customers(df)
    >>> out
      customer_id   Income Dt_Customer  Response
    0           1  58138.0  2012-09-04         1
    1           2      NaN  2013-08-21         0
    >>> out.attrs["segkit_id_generated"], str(out["Response"].dtype)
    (True, 'Int8')
    """
    label = _label(df, label, "customers")
    roles = _roles_for(df, roles, kind="customers", label=label)
    _check_columns(df, roles, label)
    out = df.copy().reset_index(drop=True)
    frame = out
    if roles.customer_id is not None:
        ids = _normalise_ids(out[roles.customer_id])
        _check_unique_ids(ids, roles.customer_id, label, frame)
        generated = False
    else:
        ids = pd.Series([str(i) for i in range(1, len(out) + 1)], dtype="string")
        generated = True
    if "customer_id" in out.columns and roles.customer_id != "customer_id":
        raise ColumnError(
            f"{label}: has a column 'customer_id' that is not its id column ({roles.customer_id!r}); "
            f"expected 'customer_id' to be the id (rename it or set columns.customer_id: customer_id)"
        )
    for column in roles.campaigns:
        out[column] = _to_flag(out[column], label=label, column=column, frame=frame)
    numeric = _numeric_columns(roles)
    for column in numeric:
        if pd.api.types.is_numeric_dtype(out[column]):
            continue
        if _is_flag(out[column]):
            out[column] = _to_flag(out[column], label=label, column=column, frame=frame)
        elif _mostly_numbers(out[column]):
            out[column] = _to_float(out[column], label=label, column=column, frame=frame)
        # else text categories named like numbers (age bands '18-24', income bands) stay text
    for group in ("demographics", "geography", "behaviour", "psychographics", "technographics"):
        for column in getattr(roles, group):
            if column not in numeric and _is_text(out[column]) and _is_flag(out[column]):
                out[column] = _to_flag(out[column], label=label, column=column, frame=frame)
    if roles.date is not None:
        out[roles.date] = _parse_dates(out[roles.date], label=label, column=roles.date, frame=frame)
    for column in out.columns:
        if column in (roles.customer_id, roles.date) or column in roles.identifiers:
            continue
        if _is_text(out[column]) and _looks_like_dates(out[column]):
            try:
                out[column] = _parse_dates(out[column], label=label, column=column, frame=frame)
            except DataError:
                pass  # mostly dates is not dates: the column stays text
    out = out.drop(columns="customer_id", errors="ignore")
    out.insert(0, "customer_id", ids.to_numpy())
    out["customer_id"] = out["customer_id"].astype("string")
    out.attrs = {**df.attrs, "segkit_roles": roles.to_dict(), "segkit_id_generated": generated}
    return out


def _mostly_numbers(s: pd.Series) -> bool:
    """Whether at least half the values of a text column are numbers (the rest are then errors to report)."""
    text = _without_missing_words(s).dropna()
    if text.empty:
        return True
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna()
    if bad.any():
        numbers[bad] = pd.to_numeric(_clean_number_text(text[bad]), errors="coerce")
    return bool(numbers.notna().mean() >= 0.5)


def _numeric_columns(roles: ColumnRoles) -> list:
    demographic = [
        c for c in roles.demographics
        if any(stem in _norm(c) for stem in _NUMERIC_DEMOGRAPHIC_STEMS)
        or set(_tokens(c)) & _NUMERIC_DEMOGRAPHIC_WORDS
    ]
    return [*roles.behaviour, *demographic]


def _check_unique_ids(ids: pd.Series, column, label: str, frame: pd.DataFrame) -> None:
    missing = ids.isna().to_numpy()
    if missing.any():
        _, row = _first_bad(frame, missing, ids)
        n = int(missing.sum())
        raise DataError(
            f"{label}: column {column!r} has {n} missing customer {_plural(n, 'id', 'ids')} (e.g. at {row}); "
            f"expected an id on every row of a customer table"
        )
    duplicated = ids.duplicated(keep=False).to_numpy()
    if duplicated.any():
        first = ids[duplicated].iloc[0]
        rows = np.flatnonzero((ids == first).to_numpy())
        n = int(ids.duplicated().sum())
        where = " and ".join(_row(frame, int(r)).removeprefix("row ") for r in rows[:2])
        raise DataError(
            f"{label}: column {column!r} has {n} duplicate customer {_plural(n, 'id', 'ids')} "
            f"(e.g. {first!r} at rows {where}); expected one row per customer"
        )


def _roles_for(df: pd.DataFrame, roles, *, kind: str, label: str) -> ColumnRoles:
    if roles is None or isinstance(roles, Mapping):
        return detect_roles(df, kind=kind, given=roles, label=label)
    if not isinstance(roles, ColumnRoles):
        raise ConfigError(f"roles must be a ColumnRoles, a mapping or None, but a {type(roles).__name__} was given")
    return roles


def _check_columns(df: pd.DataFrame, roles: ColumnRoles, label: str) -> None:
    """Every column the roles name must be in the table (roles may come from another table)."""
    for role in (*SINGLE_ROLES, *GROUP_ROLES, "returns", "time", "refunded", "order_fields"):
        value = getattr(roles, role)
        for column in value if isinstance(value, list) else [value]:
            if column is not None:
                resolve_column(df, column, f"role {role}", label)


def _label(df: pd.DataFrame, label: str | None, default: str) -> str:
    if label:
        return label
    source = df.attrs.get("segkit_source") or {}
    return source.get("label") or default


# ---------------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------------

def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _show(value) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def _row(frame: pd.DataFrame, pos: int) -> str:
    """'row 17' (1-based, header not counted), naming the file when the frame came from several."""
    source = frame.attrs.get("segkit_source") or {}
    counts, paths = source.get("file_rows") or [], source.get("paths") or []
    if len(counts) > 1 and len(paths) == len(counts) and sum(counts) == len(frame):
        ends = np.cumsum(counts)
        i = int(np.searchsorted(ends, pos, side="right"))
        start = int(ends[i - 1]) if i else 0
        return f"row {pos - start + 1} of {Path(paths[i]).name}"
    return f"row {pos + 1}"


def _first_bad(frame: pd.DataFrame, mask: np.ndarray, values: pd.Series) -> tuple[object, str]:
    pos = int(np.flatnonzero(mask)[0])
    return values.iloc[pos], _row(frame, pos)


# ---------------------------------------------------------------------------------------------
# Data quality
# ---------------------------------------------------------------------------------------------

@dataclass
class DataQuality:
    """What is wrong with a table before cleaning: missing values, duplicates, odd values.

    Fields that do not apply to the kind of table are ``None`` (amount checks for a
    customer table, duplicate ids for a purchase log). ``impossible`` lists one entry per
    rule broken: ``{"column", "problem", "count", "example", "row"}``; ``footer_lines`` the
    spreadsheet 'Total' lines that were skipped when reading (``{"file", "lines", "example", "row"}``);
    ``order_fields`` a purchase log's columns written on each order's first line only, whose
    value was copied to the order's other lines (``{"column", "lines", "invoice"}``; missing
    values are counted after that).

    Examples
    --------
    >>> q = DataQuality(label="x.csv", kind="customers", rows=3, columns=2, missing={"Income": 1})
    >>> q
    DataQuality('x.csv', customers: 3 rows x 2 columns, 1 missing value in 1 column, 0 duplicate rows)
    >>> q.to_dict()["missing"]
    {'Income': 1}
    """

    label: str
    kind: str
    rows: int
    columns: int
    missing: dict[str, int] = field(default_factory=dict)
    duplicate_rows: int = 0
    duplicate_ids: int | None = None
    missing_ids: int | None = None
    negative_amounts: int | None = None
    negative_amount_total: float | None = None
    zero_amounts: int | None = None
    negative_quantities: int | None = None
    first_date: str | None = None
    last_date: str | None = None
    impossible: list[dict] = field(default_factory=list)
    footer_lines: list[dict] = field(default_factory=list)
    order_fields: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain JSON-serialisable ``dict`` (ints, floats, strings, lists, dicts); ``footer_lines``
        and ``order_fields`` only when some."""
        plain = _plain(dataclasses.asdict(self))
        for key in ("footer_lines", "order_fields"):
            if not plain[key]:
                del plain[key]
        return plain

    def to_frame(self) -> pd.DataFrame:
        """One row per check (``check``, ``column``, ``count``, ``detail``) for display."""
        rows = [("rows", "", self.rows, ""), ("columns", "", self.columns, "")]
        rows += [("missing values", str(c), n, f"{n / self.rows:.1%} of rows" if self.rows else "")
                 for c, n in self.missing.items()]
        rows.append(("exact duplicate rows", "", self.duplicate_rows, ""))
        if self.duplicate_ids is not None:
            rows.append(("duplicate customer ids", "", self.duplicate_ids, ""))
        if self.missing_ids is not None:
            rows.append(("rows without customer id", "", self.missing_ids, ""))
        if self.negative_amounts is not None:
            rows.append(("negative amounts", "", self.negative_amounts, f"total {self.negative_amount_total:,.2f}"))
            rows.append(("zero amounts", "", self.zero_amounts, ""))
        if self.negative_quantities is not None:
            rows.append(("negative quantities", "", self.negative_quantities, ""))
        if self.first_date is not None:
            rows.append(("date range", "", None, f"{self.first_date} to {self.last_date}"))
        rows += [(item["problem"], str(item["column"]), item["count"], f"e.g. {item['example']!r} at {item['row']}")
                 for item in self.impossible]
        rows += [("total lines below the data (skipped)", "", item["lines"],
                  f"{item['example']!r} at {item['row']} of {Path(item['file']).name}") for item in self.footer_lines]
        rows += [("filled from the order's first line", str(item["column"]), item["lines"],
                  f"one value per order ({item['invoice']}), written on its first line only")
                 for item in self.order_fields]
        frame = pd.DataFrame(rows, columns=["check", "column", "count", "detail"])
        frame["count"] = frame["count"].astype("Int64")
        return frame

    def __repr__(self) -> str:
        n_missing = sum(self.missing.values())
        parts = [
            f"{self.rows:,} rows x {self.columns} columns",
            f"{n_missing:,} missing {_plural(n_missing, 'value', 'values')} in {len(self.missing)} "
            f"{_plural(len(self.missing), 'column', 'columns')}",
            f"{self.duplicate_rows:,} duplicate rows",
        ]
        if self.duplicate_ids:
            parts.append(f"{self.duplicate_ids:,} duplicate ids")
        if self.missing_ids:
            parts.append(f"{self.missing_ids:,} rows without id")
        if self.negative_amounts:
            parts.append(f"{self.negative_amounts:,} negative amounts")
        if self.impossible:
            parts.append(f"{sum(i['count'] for i in self.impossible):,} impossible values")
        if self.footer_lines:
            n_footer = sum(i["lines"] for i in self.footer_lines)
            parts.append(f"{n_footer:,} total {_plural(n_footer, 'line', 'lines')} skipped")
        if self.order_fields:
            n_fields = len(self.order_fields)
            parts.append(f"{n_fields} order {_plural(n_fields, 'field', 'fields')} filled down")
        return f"DataQuality({self.label!r}, {self.kind}: {', '.join(parts)})"


def _plain(value):
    """numpy scalars to Python ones, recursively, so json.dumps accepts the result."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp | dt.date):
        return value.isoformat()
    return value


#: Impossible values in a customer table: (test on the column name, test on the values, problem).
_IMPOSSIBLE_RULES = (
    (lambda c: any(s in _norm(c) for s in ("yearbirth", "birthyear", "yearofbirth", "yob")),
     lambda v: (v < 1900) | (v > dt.date.today().year), "birth years before 1900 or in the future"),
    (lambda c: bool(_AGE_WORDS & set(_tokens(c))), lambda v: (v < 0) | (v > 110), "ages below 0 or above 110"),
    (lambda c: any(s in _norm(c) for s in _INCOME_STEMS) or bool(_INCOME_WORDS & set(_tokens(c))),
     lambda v: v < 0, "negative incomes"),
)


def quality_report(df: pd.DataFrame, roles: ColumnRoles | None = None, *, label: str | None = None) -> DataQuality:
    """Summarise the quality of a customer table or purchase log.

    Parameters
    ----------
    df : pandas.DataFrame
        A raw table with its ``roles``, or a standardised purchase log / customer table.
    roles : ColumnRoles, optional
        The roles (their ``kind`` says which table it is); ``None`` takes a frame with
        ``customer_id``, ``date`` and ``amount`` columns as a standardised log and anything
        else as a customer table whose roles are detected.
    label : str, optional
        Name of the table; default the source label.

    Returns
    -------
    DataQuality
        Rows, columns, missing values per column, exact duplicate rows; for a log: rows
        without customer id, negative and zero amounts (with their total), negative
        quantities, first and last date; for a customer table: duplicate ids and impossible
        values (birth year before 1900 or in the future, age above 110, negative income).

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"ID": [1, 2, 2], "Year_Birth": [1893, 1970, 1970], "Income": [None, 5e4, 5e4]})
    >>> q = quality_report(people, label="people.csv")
    >>> q.duplicate_rows, q.duplicate_ids, q.missing
    (1, 1, {'Income': 1})
    >>> q.impossible[0]["problem"], q.impossible[0]["example"], q.impossible[0]["row"]
    ('birth years before 1900 or in the future', 1893, 'row 1')
    """
    label = _label(df, label, "data")
    if roles is None:
        if {"customer_id", "date", "amount"} <= set(df.columns):
            roles = ColumnRoles(kind="transactions", **{r: r for r in SINGLE_ROLES if r in df.columns})
        else:
            roles = detect_roles(df, kind="customers", label=label)
    kind = roles.kind or ("transactions" if roles.amount or roles.invoice or roles.quantity else "customers")
    raw = df
    if kind == "transactions" and roles.order_fields:  # one value per order is not missing on its other lines
        df = fill_order_fields(raw, roles)
    missing = df.isna().sum()
    quality = DataQuality(
        label=label, kind=kind, rows=len(df), columns=df.shape[1],
        missing={str(c): int(n) for c, n in missing.items() if n},
        duplicate_rows=int(duplicated_rows(raw).sum()),
        footer_lines=list((df.attrs.get("segkit_source") or {}).get("footer_lines") or []),
        order_fields=[{"column": str(c), "lines": int((_filled(df[c]) & ~_filled(raw[c])).sum()),
                       "invoice": str(roles.invoice)} for c in roles.order_fields if df is not raw],
    )
    ids = _normalise_ids(df[roles.customer_id]) if roles.customer_id in df.columns else None
    if kind == "transactions":
        quality.missing_ids = int(ids.isna().sum()) if ids is not None else len(df)
        _log_checks(df, roles, label, quality)
    else:
        quality.duplicate_ids = int(ids.dropna().duplicated().sum()) if ids is not None else 0
        quality.impossible = _impossible_values(df, roles)
    return quality


def _log_checks(df: pd.DataFrame, roles: ColumnRoles, label: str, quality: DataQuality) -> None:
    quantity = _role_numbers(df, roles.quantity, label=label)
    price = _role_numbers(df, roles.price, label=label)
    both = quantity * price if quantity is not None and price is not None else None
    amount = _role_numbers(df, roles.amount, label=label, absent=both)
    if amount is not None:
        negative = amount < 0
        quality.negative_amounts = int(negative.sum())
        quality.negative_amount_total = round(float(amount[negative].sum()), 2)
        quality.zero_amounts = int((amount == 0).sum())
    if quantity is not None:
        quality.negative_quantities = int((quantity < 0).sum())
    if price is not None and (price < 0).any():
        quality.impossible.append(_problem(df, roles.price, (price < 0).to_numpy(), "negative prices"))
    if roles.date in df.columns:
        dates = df[roles.date]
        if roles.time in df.columns:
            dates = _role_dates(df, roles, label=label)
        elif not pd.api.types.is_datetime64_any_dtype(dates):
            dates = _parse_dates(dates, label=label, column=roles.date, frame=df)
        if dates.notna().any():
            quality.first_date, quality.last_date = str(dates.min()), str(dates.max())


def _impossible_values(df: pd.DataFrame, roles: ColumnRoles) -> list[dict]:
    columns = roles.demographics or list(df.columns)
    found = []
    for column in columns:
        s = df[column]
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            continue
        for name_test, value_test, problem in _IMPOSSIBLE_RULES:
            if name_test(column):
                bad = value_test(s).fillna(False).to_numpy(dtype=bool)
                if bad.any():
                    found.append(_problem(df, column, bad, problem))
    return found


def _problem(df: pd.DataFrame, column, mask: np.ndarray, problem: str) -> dict:
    value, row = _first_bad(df, mask, df[column])
    return {"column": str(column), "problem": problem, "count": int(mask.sum()), "example": _plain(value), "row": row}
