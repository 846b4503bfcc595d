"""The mutations of the fuzz suite: what real exports do to a valid table, one kind per family.

Each mutation is a hypothesis strategy built from a base case (``MUTATIONS[family](case)``)
that changes one thing: header names, mixed types, missing values, extreme numbers of one
kind, odd dates of one kind, encodings, raw bytes, line ends, quoting, the table's shape, or
the config. One kind per family keeps a family's failures to few defects.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable

from hypothesis import strategies as st

from tests.fuzz.base import CUSTOMER_DATES, configs, purchase_log
from tests.fuzz.corpus import Case, Table

__all__ = ["EXTREME_NUMBERS", "MIXED_VALUES", "MUTATIONS", "ODD_DATES", "ODD_NAMES"]


Mutation = Callable[[Case, random.Random], Case]


def _table_of(case: Case, draw) -> tuple[str, Table]:
    kind = draw(st.sampled_from(sorted(case.tables)))
    return kind, case.tables[kind]


def _replace(case: Case, kind: str, table: Table, family: str, what: str) -> Case:
    return dataclasses.replace(case, family=family, tables={**case.tables, kind: table},
                               mutations=[*case.mutations, f"{kind}: {what}"])


def _set_cells(table: Table, column: int, rows: list[int], values: list[str]) -> Table:
    new = [list(r) for r in table.rows]
    for row, value in zip(rows, values, strict=False):
        if row < len(new) and column < len(new[row]):
            new[row][column] = value
    return dataclasses.replace(table, rows=new)


#: Header texts in many scripts and forms.
ODD_NAMES = ["", " ", "  ", "名前", "顧客ID", "Идентификатор клиента", "رقم العميل", "ลูกค้า", "Ünïcödé", "🛒 spend",
             "a\tb", "a,b", 'say "x"', "line\nbreak", "x" * 300, "NaN", "null", "0", "1.5", "=SUM(A1)", "\u200b",
             "customer id ", " Customer ID", "CustomerID\x00", "\ufeffID", "Unnamed: 0", "index", "level_0"]


@st.composite
def _names(draw, case: Case) -> Case:
    """Header names in any script, empty, blank, duplicated, very long or with delimiters."""
    kind, table = _table_of(case, draw)
    header = list(table.header)
    how = draw(st.sampled_from(["script", "odd", "duplicate", "empty-all", "text"]))
    column = draw(st.integers(0, len(header) - 1))
    if how == "script":
        header[column] = draw(st.text(st.characters(codec="utf-8", categories=("L", "M", "N", "Zs")),
                                      min_size=1, max_size=12))
    elif how == "odd":
        header[column] = draw(st.sampled_from(ODD_NAMES))
    elif how == "duplicate":
        other = draw(st.integers(0, len(header) - 1))
        header[column] = header[other]
    elif how == "empty-all":
        header = [""] * len(header)
    else:
        header[column] = draw(st.text(max_size=20))
    return _replace(case, kind, dataclasses.replace(table, header=header), "names", f"header {how} {header[column]!r}")


#: Cells that do not belong in a number or date column.
MIXED_VALUES = ["abc", "-", "--", "?", "n/a", "(blank)", "1,234.50", "1.234,50", "$12", "12 %", "(3.00)", "1e3",
                "0x1F", "TRUE", "yes", "2024-01-01", "½", "١٢٣", "１２３", "12 345", "1'234.50", "+5", "--5", "5-",
                "∞", "NaN", "#DIV/0!", "#VALUE!", "=1+1", " 7 ", "7\u00a0", "1_000", "3.14.15", ".5", "5."]


@st.composite
def _mixed(draw, case: Case) -> Case:
    """A column holding cells of another type: text, placeholders, numbers written for people."""
    kind, table = _table_of(case, draw)
    column = draw(st.integers(0, len(table.header) - 1))
    rows = draw(st.lists(st.integers(0, len(table.rows) - 1), min_size=1, max_size=3, unique=True))
    values = draw(st.lists(st.sampled_from(MIXED_VALUES) | st.text(max_size=8), min_size=len(rows),
                           max_size=len(rows)))
    return _replace(case, kind, _set_cells(table, column, rows, values), "mixed",
                    f"column {table.header[column]!r} rows {rows} = {values!r}")


MISSING_VALUES = ["", " ", "   ", "NA", "NULL", "None", "nan", "NaN", "#N/A", "\t"]


@st.composite
def _missing(draw, case: Case) -> Case:
    """Missing values: some cells, a whole column, a column of spaces, a whole row."""
    kind, table = _table_of(case, draw)
    column = draw(st.integers(0, len(table.header) - 1))
    how = draw(st.sampled_from(["cells", "column", "spaces", "row"]))
    if how == "cells":
        rows = draw(st.lists(st.integers(0, len(table.rows) - 1), min_size=1, max_size=len(table.rows) // 2 + 1))
        table = _set_cells(table, column, rows, [draw(st.sampled_from(MISSING_VALUES)) for _ in rows])
    elif how in ("column", "spaces"):
        fill = "" if how == "column" else " " * draw(st.integers(1, 4))
        table = _set_cells(table, column, list(range(len(table.rows))), [fill] * len(table.rows))
    else:
        row = draw(st.integers(0, len(table.rows) - 1))
        table = dataclasses.replace(table, rows=[r if i != row else [""] * len(r) for i, r in enumerate(table.rows)])
    return _replace(case, kind, table, "missing", f"{how} in column {column}")


#: Extreme numbers by kind (each kind its own family, since each breaks a different step).
EXTREME_NUMBERS = {
    "inf": ["inf", "-inf", "Infinity", "-Infinity", "INF"],
    "huge-float": ["1e308", "-1e308", "1.7976931348623157e308", "9e307", "1e300"],
    "tiny-float": ["5e-324", "1e-300", "-1e-310", "2.2250738585072014e-308"],
    "huge-int": [str(2**63), str(2**64), str(10**20), str(-(2**63) - 1), "9" * 25],
    "big-int": [str(2**53 + 1), str(2**62), str(10**15), str(-(2**53))],
}


def _extreme(kind_of_number: str):
    @st.composite
    def mutate(draw, case: Case) -> Case:
        kind, table = _table_of(case, draw)
        column = draw(st.integers(0, len(table.header) - 1))
        rows = draw(st.lists(st.integers(0, len(table.rows) - 1), min_size=1, max_size=2, unique=True))
        values = [draw(st.sampled_from(EXTREME_NUMBERS[kind_of_number])) for _ in rows]
        return _replace(case, kind, _set_cells(table, column, rows, values), f"numbers-{kind_of_number}",
                        f"column {table.header[column]!r} rows {rows} = {values}")

    mutate.__doc__ = f"{kind_of_number} numbers in one column of a valid table."
    return mutate


@st.composite
def _invoice_numbers(draw, case: Case) -> Case:
    """Invoice numbers of 20 digits and more, or of 2**63 and more, in a purchase log."""
    if "transactions" not in case.tables:
        rng = random.Random(draw(st.integers(0, 2**32 - 1)))
        ids = [r[0] for r in next(iter(case.tables.values())).rows] or ["1"]
        case = dataclasses.replace(case, tables={**case.tables, "transactions": purchase_log(rng, 30, ids)})
    table = case.tables["transactions"]
    digits = draw(st.sampled_from(["20-digit", "2**63", "2**64", "25-digit"]))
    base = {"20-digit": 10**19, "2**63": 2**63, "2**64": 2**64, "25-digit": 10**24}[digits]
    rows = [list(r) for r in table.rows]
    for row in rows:
        row[2] = str(base + int(row[2].lstrip("#")))
    return _replace(case, "transactions", dataclasses.replace(table, rows=rows), "invoice-numbers",
                    f"invoice numbers from {base}")


#: Dates a customer table or purchase log may hold, by kind.
ODD_DATES = {
    "out-of-range": ["9999-12-31", "0001-01-01", "1677-09-21", "2262-04-12", "1000-01-01", "3000-06-30",
                     "31/12/9999"],
    "excel-serial": ["45000", "1", "0", "2958465", "60", "45000.5"],
    "unix": ["1700000000", "0", "-1", "4102444800", "1700000000000"],
    "mixed-format": ["2024-01-02", "02/01/2024", "Jan 5 2024", "5 janvier 2024", "2024/13/01", "20240102",
                     "2024-01-02T10:00:00+05:00", "2024-01-02 10:00 UTC", "Q1 2024", "2024-W05"],
    "invalid": ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "24:61", "yesterday", "0000-00-00"],
}


def _dates(kind_of_date: str):
    @st.composite
    def mutate(draw, case: Case) -> Case:
        if "transactions" in case.tables and draw(st.booleans()):
            kind, column = "transactions", 1
        else:
            kind = draw(st.sampled_from(sorted(case.tables)))
            column = 1 if kind == "transactions" else None
        table = case.tables[kind]
        if column is None:  # a customer table: its date column, or a new one
            found = [i for i, name in enumerate(table.header) if name in CUSTOMER_DATES]
            if found:
                column = found[0]
            else:
                table = dataclasses.replace(table, header=[*table.header, "Dt_Customer"],
                                            rows=[[*r, f"2020-05-0{1 + i % 9}"] for i, r in enumerate(table.rows)])
                column = len(table.header) - 1
        rows = draw(st.lists(st.integers(0, len(table.rows) - 1), min_size=1, max_size=3, unique=True))
        values = [draw(st.sampled_from(ODD_DATES[kind_of_date])) for _ in rows]
        return _replace(case, kind, _set_cells(table, column, rows, values), f"dates-{kind_of_date}",
                        f"date column {table.header[column]!r} rows {rows} = {values}")

    mutate.__doc__ = f"{kind_of_date} dates in the date column of a valid table."
    return mutate


@st.composite
def _encodings(draw, case: Case) -> Case:
    """Encodings beyond the sniffed ones: UTF-16 without BOM, UTF-32, mixed lines, a cut
    multi-byte character, accented names in cp1252 and Latin-1."""
    kind, table = _table_of(case, draw)
    how = draw(st.sampled_from(["utf-16-le", "utf-16-be", "utf-32", "mixed", "cut", "cp1252", "latin-1",
                                "mac-roman", "utf-8-sig-twice"]))
    header = [f"{name} é" if i == len(table.header) - 1 else name for i, name in enumerate(table.header)]
    table = dataclasses.replace(table, header=header, shape=dataclasses.replace(table.shape, container="csv"))
    if how in ("utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1", "mac-roman"):
        table = dataclasses.replace(table, shape=dataclasses.replace(table.shape, encoding=how))
    elif how == "mixed":
        text = table.render_text()
        half = len(text) // 2
        table = dataclasses.replace(table, edits=(("replace", text[:half].encode("utf-8")
                                                   + text[half:].encode("cp1252", errors="replace")),))
    elif how == "cut":
        table = dataclasses.replace(table, shape=dataclasses.replace(table.shape, encoding="utf-8"),
                                    rows=[[*r[:-1], "Ωμέγα"] for r in table.rows], edits=(("cut", 0.999),))
    else:
        table = dataclasses.replace(table, edits=(("replace", b"\xef\xbb\xbf" + table.render_bytes()),),
                                    shape=dataclasses.replace(table.shape, encoding="utf-8-sig"))
    return _replace(case, kind, table, "encodings", how)


#: Byte edits: a NUL byte, junk appended or in the middle, a file cut short.
@st.composite
def _bytes(draw, case: Case) -> Case:
    """Raw byte damage: a NUL byte, control bytes, junk appended or inserted, a file cut short."""
    kind, table = _table_of(case, draw)
    table = dataclasses.replace(table, shape=dataclasses.replace(table.shape, container="csv", encoding="utf-8"))
    how = draw(st.sampled_from(["nul", "nul-in-id", "control", "junk-append", "junk-insert", "cut", "binary"]))
    if how == "nul":
        edit = ("insert", (draw(st.floats(0.05, 0.95)), b"\x00"))
    elif how == "control":
        edit = ("insert", (draw(st.floats(0.05, 0.95)), bytes([draw(st.integers(1, 31))])))
    elif how == "junk-append":
        edit = ("append", draw(st.binary(min_size=1, max_size=64)))
    elif how == "junk-insert":
        edit = ("insert", (draw(st.floats(0.05, 0.95)), draw(st.binary(min_size=1, max_size=64))))
    elif how == "cut":
        edit = ("cut", draw(st.floats(0.05, 0.99)))
    elif how == "binary":
        edit = ("replace", draw(st.binary(min_size=1, max_size=2_000)))
    else:
        row = draw(st.integers(0, len(table.rows) - 1))
        table = _set_cells(table, 0, [row], [table.rows[row][0] + "\x00"])
        return _replace(case, kind, table, "bytes", f"NUL byte in the id of row {row}")
    return _replace(case, kind, dataclasses.replace(table, edits=(*table.edits, edit)), "bytes", how)


@st.composite
def _line_ends(draw, case: Case) -> Case:
    """Line ends: CR only, mixed, none at the end, blank lines, with or without quoted line breaks."""
    kind, table = _table_of(case, draw)
    how = draw(st.sampled_from(["cr", "cr-quoted-lf", "cr-quoted-cr", "mixed", "blank-lines", "no-final"]))
    shape = dataclasses.replace(table.shape, container="csv", encoding="utf-8", quoting="minimal",
                                delimiter="," if table.shape.delimiter == " " else table.shape.delimiter)
    table = dataclasses.replace(table, shape=shape)
    if how == "cr":
        table = dataclasses.replace(table, shape=dataclasses.replace(shape, line_end="\r"))
    elif how in ("cr-quoted-lf", "cr-quoted-cr"):
        column = len(table.header) - 1
        row = draw(st.integers(0, len(table.rows) - 1))
        inner = "\n" if how == "cr-quoted-lf" else "\r"
        table = _set_cells(dataclasses.replace(table, shape=dataclasses.replace(shape, line_end="\r")), column,
                           [row], [f"two{inner}lines"])
    elif how == "mixed":
        text = table.render_text()
        lines = text.split("\n")
        ends = [draw(st.sampled_from(["\n", "\r\n", "\r"])) for _ in lines]
        table = dataclasses.replace(table, edits=(("replace", "".join(
            line + end for line, end in zip(lines, ends, strict=True)).encode()),))
    elif how == "blank-lines":
        table = dataclasses.replace(table, edits=(("insert", (0.5, b"\n\n\n")), ("append", b"\n\n")))
    else:
        table = dataclasses.replace(table, shape=dataclasses.replace(shape, final_newline=False))
    return _replace(case, kind, table, "line-ends", how)


QUOTED_VALUES = ['a "quoted" word', "comma, inside", "semi; colon", "pipe | bar", "tab\there", "line\nbreak",
                 "cr\rreturn", '"', '""', "'single'", "\\", '"unbalanced', "trailing\"", "x" * 500]


@st.composite
def _quotes(draw, case: Case) -> Case:
    """Quotes, delimiters and line breaks inside fields, quoted or left bare."""
    kind, table = _table_of(case, draw)
    quoting = draw(st.sampled_from(["minimal", "all", "none"]))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    table = dataclasses.replace(table, shape=dataclasses.replace(table.shape, quoting=quoting, delimiter=delimiter,
                                                                 container="csv"))
    column = draw(st.integers(0, len(table.header) - 1))
    rows = draw(st.lists(st.integers(0, len(table.rows) - 1), min_size=1, max_size=3, unique=True))
    values = [draw(st.sampled_from(QUOTED_VALUES)) for _ in rows]
    return _replace(case, kind, _set_cells(table, column, rows, values), "quotes",
                    f"quoting={quoting} delimiter={delimiter!r} column {column} rows {rows} = {values!r}")


@st.composite
def _structure(draw, case: Case) -> Case:
    """Odd shapes of a whole table: one row, one customer, all rows equal, header only, an empty
    file, ragged rows, a single column, many columns, only the id column, a header in the middle."""
    kind, table = _table_of(case, draw)
    how = draw(st.sampled_from(["one-row", "two-rows", "one-customer", "all-equal", "header-only", "empty",
                                "ragged-short", "ragged-long", "one-column", "id-only", "wide", "header-twice",
                                "constant-columns"]))
    rows = table.rows
    if how == "one-row":
        rows = rows[:1]
    elif how == "two-rows":
        rows = rows[:2]
    elif how == "one-customer":
        rows = [[rows[0][0], *r[1:]] for r in rows]
    elif how == "all-equal":
        rows = [list(rows[0]) for _ in rows]
    elif how == "header-only":
        rows = []
    elif how == "empty":
        table = dataclasses.replace(table, edits=(("replace", b""),))
    elif how == "ragged-short":
        rows = [r[: max(1, len(r) - 1)] + [None] if i % 3 == 0 else r for i, r in enumerate(rows)]
    elif how == "ragged-long":
        rows = [[*r, "extra"] if i % 4 == 0 else r for i, r in enumerate(rows)]
    elif how == "one-column":
        table = dataclasses.replace(table, header=table.header[1:2])
        rows = [r[1:2] for r in rows]
    elif how == "id-only":
        table = dataclasses.replace(table, header=table.header[:1])
        rows = [r[:1] for r in rows]
    elif how == "wide":
        extra = draw(st.integers(20, 150))
        rng = random.Random(draw(st.integers(0, 2**32 - 1)))
        table = dataclasses.replace(table, header=[*table.header, *(f"f{i}" for i in range(extra))])
        rows = [[*r, *(str(rng.randrange(100)) for _ in range(extra))] for r in rows[:8]]
    elif how == "header-twice":
        rows = [*rows[: len(rows) // 2], list(table.header), *rows[len(rows) // 2:]]
    else:
        rows = [[r[0], *("7" for _ in r[1:])] for r in rows]
    return _replace(case, kind, dataclasses.replace(table, rows=rows), "structure", how)


@st.composite
def _config_family(draw, case: Case) -> Case:
    config = draw(configs(valid=False))
    return dataclasses.replace(case, family="config", config=config,
                               mutations=[*case.mutations, f"config {config!r}"])


#: Family name -> mutation (a function of the base case returning a strategy).
MUTATIONS: dict[str, Callable[[Case], st.SearchStrategy[Case]]] = {
    "names": _names,
    "mixed": _mixed,
    "missing": _missing,
    "numbers-inf": _extreme("inf"),
    "numbers-huge-float": _extreme("huge-float"),
    "numbers-tiny-float": _extreme("tiny-float"),
    "numbers-huge-int": _extreme("huge-int"),
    "numbers-big-int": _extreme("big-int"),
    "invoice-numbers": _invoice_numbers,
    "dates-out-of-range": _dates("out-of-range"),
    "dates-excel-serial": _dates("excel-serial"),
    "dates-unix": _dates("unix"),
    "dates-mixed-format": _dates("mixed-format"),
    "dates-invalid": _dates("invalid"),
    "encodings": _encodings,
    "bytes": _bytes,
    "line-ends": _line_ends,
    "quotes": _quotes,
    "structure": _structure,
    "config": _config_family,
}
