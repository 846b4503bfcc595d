"""Fuzz cases as files: customer tables, purchase logs and configs the way exports hold them.

A :class:`Table` is a header and rows of cell text plus a :class:`Shape` saying how it is
written (encoding, delimiter, quoting, line ends, title and footer lines, container: plain
text, ``.gz``, ``.zip``, ``.xlsx``, ``.parquet`` or a folder of parts) and optional byte
edits (a NUL byte, junk, a cut) applied to the written text. A :class:`Case` holds the tables
of one run and the config keys a user would write; :meth:`Case.write` puts them in a folder
with a ``config.yml``. Nothing here knows about hypothesis: the strategies in
:mod:`tests.fuzz.strategies` build these objects, and the benchmark's reducer edits them.

Examples
--------
>>> table = Table(["id", "Name"], [["1", "a,b"], ["2", 'x"y']])
>>> table.render_text()
'id,Name\\n1,"a,b"\\n2,"x""y"\\n'
>>> Table(["id", "x"], [["1", "2"]], Shape(delimiter=";", line_end="\\r")).render_text()
'id;x\\r1;2\\r'
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from openpyxl import Workbook

__all__ = ["CONTAINERS", "Case", "Shape", "Table", "file_digests"]

#: How a table's file is packed, with the file name suffix each gets.
CONTAINERS = {
    "csv": ".csv", "txt": ".txt", "tsv": ".tsv", "dat": ".dat", "none": "", "gz": ".csv.gz", "zip": ".zip",
    "zip-parts": ".zip", "folder": "", "xlsx": ".xlsx", "parquet": ".parquet",
}


@dataclass(frozen=True)
class Shape:
    """How a table is written to disk.

    Parameters
    ----------
    encoding : str
        A Python codec (``utf-8``, ``utf-8-sig``, ``utf-16``, ``utf-16-le``, ``cp1252``...);
        characters it cannot hold become ``?``, as in a real export.
    delimiter : str
        ``,``, ``;``, ``\\t``, ``|`` or ``" "`` (columns aligned with runs of spaces).
    quoting : str
        ``minimal`` (fields holding the delimiter, a quote or a line break are quoted),
        ``all`` or ``none`` (nothing quoted: such fields break the row).
    line_end : str
        ``\\n``, ``\\r\\n`` or ``\\r``.
    container : str
        A key of :data:`CONTAINERS`.
    title_lines, footer_lines : tuple of str
        Lines above the header and below the data (already joined with the delimiter).
    sep_line : bool
        Excel's ``sep=X`` first line.
    final_newline : bool
        End the last line with ``line_end``.
    """

    encoding: str = "utf-8"
    delimiter: str = ","
    quoting: str = "minimal"
    line_end: str = "\n"
    container: str = "csv"
    title_lines: tuple[str, ...] = ()
    footer_lines: tuple[str, ...] = ()
    sep_line: bool = False
    final_newline: bool = True

    def describe(self) -> str:
        """The non-default settings, for reproducers (``encoding=cp1252, delimiter=';'``)."""
        default = Shape()
        changed = [f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self)
                   if getattr(self, f.name) != getattr(default, f.name)]
        return ", ".join(changed) or "plain UTF-8 CSV"


@dataclass
class Table:
    """One input table: header names, rows of cell text, how it is written, byte edits.

    ``None`` in a row is an absent field (a short, ragged row); ``""`` is a blank cell.
    ``edits`` are ``(operation, argument)`` pairs applied in order to the encoded text
    (not to ``xlsx`` or ``parquet``): ``("insert", (fraction, bytes))`` puts bytes at that
    fraction of the length, ``("cut", fraction)`` keeps that share of the bytes,
    ``("append", bytes)``, and ``("replace", bytes)`` for the whole content.
    """

    header: list[str]
    rows: list[list[str | None]]
    shape: Shape = field(default_factory=Shape)
    edits: tuple[tuple[str, Any], ...] = ()

    # -- text --------------------------------------------------------------------------------
    def _field(self, text: str) -> str:
        sep, quoting = self.shape.delimiter, self.shape.quoting
        if sep == " ":  # aligned columns: no quoting at all, as fixed-width exports do
            return text
        special = sep in text or '"' in text or "\n" in text or "\r" in text
        if quoting == "all" or (quoting == "minimal" and special):
            return '"' + text.replace('"', '""') + '"'
        return text

    def _line(self, cells: list[str | None], widths: list[int] | None) -> str:
        present = [c for c in cells if c is not None]
        if widths is not None:
            return "  ".join(c.ljust(w) for c, w in zip(present, widths, strict=False)).rstrip()
        return self.shape.delimiter.join(self._field(c) for c in present)

    def render_text(self) -> str:
        """The table as text, before encoding and byte edits."""
        lines = [[*self.header], *self.rows]
        widths = None
        if self.shape.delimiter == " ":
            widths = [max(len(r[i] or "") if i < len(r) else 0 for r in lines) for i in range(len(self.header))]
        out = []
        if self.shape.sep_line:
            out.append(f"sep={self.shape.delimiter}")
        out.extend(self.shape.title_lines)
        out.extend(self._line(row, widths) for row in lines)
        out.extend(self.shape.footer_lines)
        text = self.shape.line_end.join(out)
        return text + self.shape.line_end if self.shape.final_newline else text

    def render_bytes(self) -> bytes:
        """The encoded text with the byte edits applied."""
        data = self.render_text().encode(self.shape.encoding, errors="replace")
        for op, arg in self.edits:
            if op == "insert":
                fraction, extra = arg
                at = int(len(data) * fraction)
                data = data[:at] + extra + data[at:]
            elif op == "cut":
                data = data[: int(len(data) * arg)]
            elif op == "append":
                data = data + arg
            elif op == "replace":
                data = arg
            else:
                raise ValueError(f"unknown byte edit {op!r}")
        return data

    # -- files -------------------------------------------------------------------------------
    def files(self, stem: str) -> dict[str, bytes]:
        """``{relative path: bytes}`` of this table written under the name ``stem``."""
        container = self.shape.container
        name = stem + CONTAINERS[container]
        if container == "gz":
            return {name: gzip.compress(self.render_bytes(), mtime=0)}
        if container in ("zip", "zip-parts"):
            parts = self._parts(stem) if container == "zip-parts" else {f"{stem}.csv": self.render_bytes()}
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                for part, data in parts.items():
                    archive.writestr(zipfile.ZipInfo(part, date_time=(2024, 1, 1, 0, 0, 0)), data)
            return {name: buffer.getvalue()}
        if container == "folder":
            return {f"{name}/{part}": data for part, data in self._parts(stem).items()}
        if container == "xlsx":
            return {name: self._xlsx()}
        if container == "parquet":
            return {name: self._parquet()}
        return {name: self.render_bytes()}

    def _parts(self, stem: str) -> dict[str, bytes]:
        """The rows split in up to three files with the same header (one per month, say)."""
        n = max(1, min(3, len(self.rows)))
        size = -(-len(self.rows) // n) if self.rows else 0
        chunks = [self.rows[i * size:(i + 1) * size] for i in range(n)] if self.rows else [[]]
        return {f"{stem}-{i + 1}.csv": dataclasses.replace(self, rows=chunk).render_bytes()
                for i, chunk in enumerate(chunks)}

    def _xlsx(self) -> bytes:
        book = Workbook()
        sheet = book.active
        for title in self.shape.title_lines:
            sheet.append([title])
        for row in [self.header, *self.rows]:
            sheet.append([_cell_value(c) for c in row if c is not None])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def _parquet(self) -> bytes:
        names = _unique(self.header)
        columns = {n: [row[i] if i < len(row) and row[i] != "" else None for row in self.rows]
                   for i, n in enumerate(names)}
        buffer = io.BytesIO()
        pq.write_table(pa.table({n: pa.array(v, pa.string()) for n, v in columns.items()}), buffer)
        return buffer.getvalue()

    def size(self) -> int:
        """Bytes of the written text (the measure the reducer makes small)."""
        return len(self.render_bytes())


def _cell_value(text: str | None) -> Any:
    """A cell as a spreadsheet holds it: numbers as numbers, the rest as text (control
    characters, which a workbook cannot hold, dropped)."""
    if text is None or text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        return "".join(ch for ch in text if ch >= " " or ch in "\t\n")
    if number != number or number in (float("inf"), float("-inf")):
        return text
    return int(text) if text.lstrip("+-").isdigit() and abs(int(text)) < 2**53 else number


def _unique(names: list[str]) -> list[str]:
    """Names made unique with a suffix (Parquet cannot hold a column twice)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}.{seen[name] - 1}")
    return out


@dataclass
class Case:
    """One fuzz case: its tables (``customers`` and/or ``transactions``) and the config keys a
    user would write (data paths are added by :meth:`write`).

    Parameters
    ----------
    family : str
        The generator family the case came from (``names``, ``dates``...).
    tables : dict
        ``{"customers": Table, "transactions": Table}``, either or both.
    config : dict
        Config keys other than ``data.customers`` / ``data.transactions``.
    mutations : list of str
        What was done to the base case, in words, for reports.
    """

    family: str
    tables: dict[str, Table]
    config: dict[str, Any] = field(default_factory=dict)
    mutations: list[str] = field(default_factory=list)

    def write(self, folder: str | Path) -> tuple[dict[str, Any], Path]:
        """Write the tables and ``config.yml`` into ``folder``.

        Returns
        -------
        (dict, Path)
            The user config with absolute data paths (for :class:`segkit.pipeline.Analysis`),
            and the ``config.yml`` holding the same with relative paths (for the CLI).
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        data_abs, data_rel = {}, {}
        for kind, table in self.tables.items():
            files = table.files(kind)
            for rel, content in files.items():
                path = folder / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
            top = next(iter(files)).split("/")[0]
            data_abs[kind], data_rel[kind] = str(folder / top), top
        config = json.loads(json.dumps(self.config))
        rel_config = {**config, "data": {**config.get("data", {}), **data_rel}}
        path = folder / "config.yml"
        path.write_text(yaml.safe_dump(rel_config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return {**config, "data": {**config.get("data", {}), **data_abs}}, path

    def size(self) -> int:
        """Bytes of all tables' text plus the config (smaller is a better reproducer)."""
        return sum(t.size() for t in self.tables.values()) + len(json.dumps(self.config, default=str))

    def smaller(self) -> Iterator[Case]:
        """Simpler variants of this case, most shrinking first, for a reducer that keeps the
        first one failing the same way: a table left out, half the rows, one row or column
        less, a plain shape, a config key or byte edit dropped, replaced bytes halved."""
        if len(self.tables) > 1:
            for kind in self.tables:
                yield self._with({k: t for k, t in self.tables.items() if k != kind})
        for path in _config_paths(self.config):
            yield dataclasses.replace(self, config=_without(self.config, path))
        for kind, table in self.tables.items():
            for variant in _smaller_tables(table):
                yield self._with({**self.tables, kind: variant})

    def _with(self, tables: dict[str, Table]) -> Case:
        return dataclasses.replace(self, tables=tables)

    def reproducer(self, *, max_lines: int = 12, max_width: int = 160) -> str:
        """The case as a reader can retype it: the config, then each table's first lines."""
        parts = []
        if self.config:
            parts.append("config:\n" + _indent(yaml.safe_dump(self.config, allow_unicode=True, sort_keys=False)))
        for kind, table in self.tables.items():
            data = table.render_bytes()
            head = f"{kind}{CONTAINERS[table.shape.container]} ({table.shape.describe()}; {len(data)} bytes"
            head += f"; edits {[op for op, _ in table.edits]})" if table.edits else ")"
            lines = data.split(b"\n")
            shown = [_show(line, max_width) for line in lines[:max_lines]]
            if len(lines) > max_lines:
                shown.append(f"... {len(lines) - max_lines} more lines")
            parts.append(head + ":\n" + _indent("\n".join(shown)))
        return "\n".join(parts)


def _smaller_tables(table: Table) -> Iterator[Table]:
    plain = Shape()
    for f in dataclasses.fields(Shape):
        if getattr(table.shape, f.name) != getattr(plain, f.name):
            yield dataclasses.replace(table, shape=dataclasses.replace(table.shape, **{f.name: getattr(plain, f.name)}))
    for i, (op, arg) in enumerate(table.edits):
        yield dataclasses.replace(table, edits=table.edits[:i] + table.edits[i + 1:])
        if op == "replace" and len(arg) > 1:
            for half in (arg[: len(arg) // 2], arg[len(arg) // 2:]):
                yield dataclasses.replace(table, edits=(*table.edits[:i], (op, half), *table.edits[i + 1:]))
    rows, n = table.rows, len(table.rows)
    if n > 1:
        yield dataclasses.replace(table, rows=rows[: n // 2])
        yield dataclasses.replace(table, rows=rows[n // 2:])
    for i in reversed(range(n)) if n <= 16 else ():
        yield dataclasses.replace(table, rows=rows[:i] + rows[i + 1:])
    for c in reversed(range(len(table.header))) if len(table.header) > 1 else ():
        yield dataclasses.replace(table, header=table.header[:c] + table.header[c + 1:],
                                  rows=[r[:c] + r[c + 1:] for r in rows])


def _config_paths(config: dict, prefix: tuple = ()) -> Iterator[tuple]:
    for key, value in config.items():
        if isinstance(value, dict) and value:
            yield from _config_paths(value, (*prefix, key))
        yield (*prefix, key)


def _without(config: dict, path: tuple) -> dict:
    if len(path) == 1:
        return {k: v for k, v in config.items() if k != path[0]}
    return {**config, path[0]: _without(config[path[0]], path[1:])}


def _show(line: bytes, width: int) -> str:
    """One line of a file for a reproducer: text when it decodes and prints, else a bytes literal."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or any(ch < " " and ch not in "\t\r" for ch in text):
        shown = repr(line)
    else:
        shown = text.replace("\r", "\\r")
    return shown if len(shown) <= width else shown[:width] + f"... ({len(shown)} characters)"


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip("\n").splitlines())


def file_digests(folder: str | Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (to prove a run changed no input)."""
    folder = Path(folder)
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
