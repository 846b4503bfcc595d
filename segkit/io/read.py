"""Reading inputs: a file, a folder, a glob pattern, a zip or a DataFrame, with its provenance.

The first stage of the pipeline. :func:`read_table` finds the files a source stands for,
reads each by its content (gzip, zip, Parquet, Excel or text: :mod:`segkit.io.text`), types
the text columns (:mod:`segkit.io.parse`) and records where the data came from;
:func:`file_sha256` is the checksum that record keeps.
"""

from __future__ import annotations

import difflib
import glob
import gzip
import hashlib
import io
import json
import os
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from segkit.exceptions import InputError, InputNotFoundError, SegkitWarning, user_stacklevel
from segkit.io.parse import infer_arrow, infer_types
from segkit.io.text import (
    EXPECTED_FORMATS,
    FOOTER_KEY,
    SAMPLE_BYTES,
    SNIFF_LINES,
    TEXT_SUFFIXES,
    as_strings,
    check_has_rows,
    decode,
    drop_footer,
    parse_text,
    repeated,
    without_control_characters,
)

__all__ = ["SharedRecord", "TableChunks", "file_sha256", "read_chunks", "read_table"]

_BINARY_SUFFIXES = frozenset({".parquet", ".pq", ".xlsx", ".xlsm", ".gz", ".zip"})
_DATA_SUFFIXES = TEXT_SUFFIXES | _BINARY_SUFFIXES
#: File names (before the first dot) that describe a data folder rather than hold data.
_DOC_STEMS = frozenset({"readme", "source", "sources", "license", "licence", "notice", "changelog", "citation"})
_DOC_SUFFIXES = frozenset({".md", ".rst", ".sha256", ".md5", ".json", ".yml", ".yaml", ".html", ".pdf", ".py"})


class SharedRecord(dict):
    """A dict kept in a frame's ``attrs`` that pandas shares instead of deep-copying.

    pandas deep-copies ``attrs`` on nearly every operation, column access included: a record
    that grows with the table (the roles of 1,000 columns) made reading them take 390 s.
    segkit never changes such a record after writing it, so sharing it is safe.

    Examples
    --------
    >>> import copy
    >>> record = SharedRecord(label="customers.csv")
    >>> copy.deepcopy(record) is record
    True
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
    label = label or os.fspath(source)
    return _as_frame(label, *_read_parts(source, label))


def _as_frame(label: str, paths: list[Path], parts: list[_Part], footers: list[dict], digest: str,
              nbytes: int) -> pd.DataFrame:
    """The files read as one typed frame with its provenance (what :func:`read_table` returns)."""
    df = _combine(parts, label)
    if len(df) == 0:
        raise InputError(f"{label}: every file has a header but no rows; expected at least one data row")
    # a delimiter at the end of every line adds a column with neither a name nor a value
    empty = [c for c in df.columns if re.fullmatch(r"Unnamed: \d+", str(c)) and df[c].isna().all()]
    df = df.drop(columns=empty)
    df.attrs["segkit_source"] = _provenance(label, paths, parts, footers, digest, nbytes, len(df))
    return df


def _read_parts(source, label: str) -> tuple[list[Path], list[_Part], list[dict], str, int]:
    """Each file of ``source`` parsed to Arrow, with its footer lines, the bytes' digest and size."""
    paths, many = _resolve_paths(os.fspath(source), label)
    digest, nbytes, parts = hashlib.sha256(), 0, []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(f"{path}: cannot be read ({err.strerror}); expected a readable file") from err
        digest.update(data)
        nbytes += len(data)
        parts.append(_Part(path, *_read_bytes(data, path.name, str(path), allow_no_rows=many)))
        del data
    footers = [footer for p in parts if p.table.schema.metadata and FOOTER_KEY in p.table.schema.metadata
               for footer in json.loads(p.table.schema.metadata[FOOTER_KEY])]
    return paths, parts, footers, digest.hexdigest(), nbytes


def _provenance(label: str, paths: list[Path], parts: list[_Part], footers: list[dict], digest: str, nbytes: int,
                rows: int) -> SharedRecord:
    out = SharedRecord(label=label, paths=[str(p.absolute()) for p in paths], sha256=digest, bytes=nbytes,
                      rows=rows, file_rows=[p.table.num_rows for p in parts])
    if footers:
        out["footer_lines"] = footers
    return out


class TableChunks:
    """A table read once into Arrow and handed out as pandas frames of ``chunk_rows`` rows.

    Each frame is typed as :func:`read_table` types the whole table (a column is numeric
    when every value of the *table* is), and its ``attrs["segkit_source"]`` is the table's
    record with ``chunk: True`` and ``row_offset`` (rows before it), so that messages name
    the table's own row (:func:`segkit.io.messages.row_label`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp, "log.csv")
    ...     _ = p.write_text("id,total\\na,1\\nb,2.5\\nc,3\\n")
    ...     chunks = read_chunks(p, label="log.csv", chunk_rows=2)
    ...     frames = list(chunks)
    >>> chunks
    TableChunks('log.csv', 3 rows in 2 chunks of 2)
    >>> [f["total"].tolist() for f in frames], frames[1].attrs["segkit_source"]["row_offset"]
    ([[1.0, 2.5], [3.0]], 2)
    """

    def __init__(self, table: pa.Table | None, source: SharedRecord, chunk_rows: int, *,
                 batches: Callable[[int], Iterator[pa.Table]] | None = None, names: list[str] | None = None):
        self.table, self.source, self.chunk_rows = table, source, max(int(chunk_rows), 1)
        self._batches = batches if batches is not None else self._slices
        self._names = list(names if names is not None else table.column_names)

    @property
    def rows(self) -> int:
        return int(self.source["rows"])

    @property
    def columns(self) -> pd.Index:
        return pd.Index(self._names)

    def __len__(self) -> int:
        return -(-self.rows // self.chunk_rows)

    def __repr__(self) -> str:
        return f"TableChunks({self.source['label']!r}, {self.rows:,} rows in {len(self)} chunks of {self.chunk_rows:,})"

    def to_frame(self) -> pd.DataFrame:
        """The whole table as one frame (for a log that cannot be read in chunks)."""
        frame = pa.concat_tables(self._batches(self.rows)).to_pandas()
        frame.attrs["segkit_source"] = SharedRecord(self.source)
        return frame

    def __iter__(self) -> Iterator[pd.DataFrame]:
        start = 0
        for batch in self._batches(self.chunk_rows):
            frame = batch.to_pandas()
            frame.index = pd.RangeIndex(start, start + len(frame))
            frame.attrs["segkit_source"] = SharedRecord(self.source, chunk=True, row_offset=start)
            start += len(frame)
            yield frame

    def _slices(self, size: int) -> Iterator[pa.Table]:
        for start in range(0, self.table.num_rows, size):
            yield self.table.slice(start, size)


def read_chunks(source, *, label: str | None = None, chunk_rows: int = 1_000_000,
                min_rows: int = 0) -> TableChunks | pd.DataFrame:
    """Read a file, folder or glob like :func:`read_table`, to be handed out in chunks.

    The files are parsed and typed once in Arrow (compact: text stays Arrow strings), and
    :class:`TableChunks` gives pandas frames of ``chunk_rows`` rows, so a long purchase log
    never becomes one pandas frame. A table of fewer than ``min_rows`` rows, a DataFrame, and
    a folder mixing typed files (Parquet) with text ones are returned as :func:`read_table`
    returns them: one frame.
    """
    if isinstance(source, pd.DataFrame) or not isinstance(source, str | os.PathLike):
        return read_table(source, label=label)
    label = label or os.fspath(source)
    paths, _ = _resolve_paths(os.fspath(source), label)
    if all(_is_parquet(path) for path in paths):
        chunks = _parquet_chunks(paths, label, chunk_rows)
        if chunks is not None:
            return chunks if chunks.rows >= min_rows else read_table(source, label=label)
    read = _read_parts(source, label)
    parts = read[1]
    if sum(p.table.num_rows for p in parts) < min_rows:
        return _as_frame(label, *read)
    paths, parts, footers, digest, nbytes = read
    table = _combine_arrow(parts, label)
    if table is None:
        return _as_frame(label, *read)
    if table.num_rows == 0:
        raise InputError(f"{label}: every file has a header but no rows; expected at least one data row")
    empty = [n for n, c in zip(table.column_names, table.columns, strict=True)
             if re.fullmatch(r"Unnamed: \d+", n) and c.null_count == len(c)]
    table = table.drop_columns(empty)
    return TableChunks(table, _provenance(label, paths, parts, footers, digest, nbytes, table.num_rows), chunk_rows)


def _is_parquet(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"PAR1"


def _parquet_name(name: str) -> str:
    """A column name as :func:`read_table` gives it (a pandas index written to Parquet is a column)."""
    return re.sub(r"^__index_level_(\d+)__$", lambda m: "index" if m[1] == "0" else f"level_{m[1]}", name)


def _parquet_chunks(paths: list[Path], label: str, chunk_rows: int) -> TableChunks | None:
    """Parquet files handed out batch by batch, never read whole (None when their schemas differ or a
    column is dictionary-encoded: read those whole)."""
    try:
        files = [pq.ParquetFile(path) for path in paths]
    except pa.ArrowException as err:
        raise InputError(f"{label}: is not a readable Parquet file ({err})") from err
    schemas = [f.schema_arrow.remove_metadata() for f in files]
    schema = schemas[0]
    if any(sch != schema for sch in schemas[1:]) or any(pa.types.is_dictionary(t) for t in schema.types) \
            or any(f.metadata.num_columns != len(schema.names) for f in files):  # nested columns: read whole
        return None
    rows = [f.metadata.num_rows for f in files]
    if sum(rows) == 0:
        raise InputError(f"{label}: every file has a header but no rows; expected at least one data row")
    nulls = {name: sum(_null_count(f, i) for f in files) for i, name in enumerate(schema.names)}
    # as read_table: an integer column with a missing value is float; a column with no name and no value goes
    floats = {name for name, t in zip(schema.names, schema.types, strict=True)
              if pa.types.is_integer(t) and nulls[name]}
    names = [_parquet_name(n) for n in schema.names]
    keep = [n for n, new in zip(schema.names, names, strict=True)
            if not (re.fullmatch(r"Unnamed: \d+", new) and nulls[n] == sum(rows))]
    digest, nbytes = hashlib.sha256(), 0
    for path in paths:
        nbytes += path.stat().st_size
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    source = SharedRecord(label=label, paths=[str(p.absolute()) for p in paths], sha256=digest.hexdigest(),
                         bytes=nbytes, rows=sum(rows), file_rows=rows)

    def batches(size: int) -> Iterator[pa.Table]:
        for path, file in zip(paths, files, strict=True):
            for batch in file.iter_batches(batch_size=size, columns=keep):
                table = pa.Table.from_batches([batch]).replace_schema_metadata(None)
                table = table.rename_columns([_parquet_name(n) for n in table.column_names])
                table = without_control_characters(table, str(path))
                yield pa.Table.from_arrays(
                    [pc.cast(c, pa.float64()) if n in floats else c for n, c in zip(keep, table.columns, strict=True)],
                    names=table.column_names)

    return TableChunks(None, source, chunk_rows, batches=batches, names=[_parquet_name(n) for n in keep])


def _null_count(file: pq.ParquetFile, column: int) -> int:
    """Missing values of a Parquet file's column, from its statistics (read when they are not written)."""
    total = 0
    for group in range(file.metadata.num_row_groups):
        stats = file.metadata.row_group(group).column(column).statistics
        if stats is None or not stats.has_null_count:
            return file.read(columns=[file.schema_arrow.names[column]]).column(0).null_count
        total += stats.null_count
    return total


def _combine_arrow(parts: list[_Part], label: str) -> pa.Table | None:
    """The files as one typed Arrow table (None when typed and text files are mixed, or types differ)."""
    _check_same_columns(parts, label)
    names = parts[0].table.column_names
    typed = {p.typed for p in parts}
    if len(typed) > 1:
        return None
    tables = [p.table.select(names) for p in parts]
    if any(t.schema != tables[0].schema for t in tables[1:]):
        return None
    table = pa.concat_tables(tables)
    if not typed.pop():
        table = infer_arrow(table)
    # an integer column with a missing value is float in pandas: so in every chunk, not only in some
    columns = [pc.cast(c, pa.float64()) if pa.types.is_integer(c.type) and c.null_count else c for c in table.columns]
    return pa.Table.from_arrays(columns, names=table.column_names)


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
            raise InputError(f"{label}: folder has no data files (found: {found}); expected {EXPECTED_FORMATS}")
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
    if not data[:SAMPLE_BYTES].strip() and not data.strip():
        raise InputError(f"{where}: file is empty; expected a header line and at least one row")
    suffix = PurePath(name).suffix.lower()
    if data.startswith(b"\x1f\x8b"):
        try:
            inner = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as err:
            raise InputError(f"{where}: is not a valid gzip file ({err}); expected {EXPECTED_FORMATS}") from err
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
        check_has_rows(table, where, allow_no_rows)
        return without_control_characters(table, where), True
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{where}: is an old Excel .xls file; expected .xlsx (save it as .xlsx or CSV)")
    if suffix in _BINARY_SUFFIXES:
        raise InputError(f"{where}: the content is not a {suffix} file; expected {EXPECTED_FORMATS}")
    text = decode(data, where, suffix)
    return parse_text(text, where, allow_no_rows=allow_no_rows), False


def _read_zip(data: bytes, where: str, *, allow_no_rows: bool) -> tuple[pa.Table, bool]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except zipfile.BadZipFile as err:
        raise InputError(f"{where}: is not a valid zip file ({err}); expected {EXPECTED_FORMATS}") from err
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
        raise InputError(f"{where}: zip archive holds no data files (found: {listed}); expected {EXPECTED_FORMATS}")
    tables, footers, first = [], [], data_members[0].filename
    for member in data_members:
        table, _ = _read_bytes(archive.read(member), member.filename, f"{where} ({member.filename})",
                               allow_no_rows=True)
        metadata = table.schema.metadata or {}
        footers += json.loads(metadata[FOOTER_KEY]) if FOOTER_KEY in metadata else []
        names = tables[0].column_names if tables else table.column_names
        if set(table.column_names) != set(names):
            missing = [n for n in names if n not in table.column_names]
            extra = [n for n in table.column_names if n not in names]
            raise InputError(f"{where}: {member.filename} has different columns from {first} (missing: {missing}; "
                             f"extra: {extra}); expected the same columns in every file")
        tables.append(as_strings(table.replace_schema_metadata(None)).select(names))
    table = pa.concat_tables(tables)
    check_has_rows(table, where, allow_no_rows)
    if footers:
        table = table.replace_schema_metadata({FOOTER_KEY: json.dumps(footers)})
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
                      f"{', '.join(map(repr, others))}", SegkitWarning, stacklevel=user_stacklevel())
    sheet = sheets[name]
    widths = sheet.head(SNIFF_LINES).notna().sum(axis=1).to_numpy()
    header_at = int(np.flatnonzero(widths > widths.max() // 2)[0])
    if header_at > 10:  # not a title: a sheet whose first rows are sparse
        header_at = int(np.flatnonzero(widths)[0])
    names = [f"Unnamed: {i}" if pd.isna(c) or not str(c).strip() else str(c).strip()
             for i, c in enumerate(sheet.iloc[header_at])]
    dupes = repeated(names)
    if dupes:
        raise InputError(f"{where}: the header repeats column names {dupes}; expected unique names")
    df = sheet.iloc[header_at + 1:].set_axis(names, axis=1)
    table = drop_footer(as_strings(pa.Table.from_pandas(df, preserve_index=False)), where)
    check_has_rows(table, where, allow_no_rows)
    return without_control_characters(table, where)


def _check_same_columns(parts: list[_Part], label: str) -> None:
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


def _combine(parts: list[_Part], label: str) -> pd.DataFrame:
    """Concatenate the files of a folder or glob (same columns, any order) and type the text."""
    _check_same_columns(parts, label)
    names = parts[0].table.column_names
    if not any(p.typed for p in parts):
        table = pa.concat_tables([p.table.select(names) for p in parts])
        return infer_types(table)
    frames = [p.table.to_pandas() if p.typed else infer_types(p.table) for p in parts]
    return pd.concat([f[names] for f in frames], ignore_index=True)
