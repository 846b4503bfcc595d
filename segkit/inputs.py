"""Read the inputs a config names: tables, ``data.where``, column roles, standard schema, quality.

:mod:`segkit.io` reads and standardises one table with the roles it is given; this module
applies a config to that: which files, which roles each table is given (``columns:``), which
rows are kept (``data.where``), and whether a customer table and a purchase log describe the
same customers. :func:`load_inputs` returns an :class:`Inputs`, the first stage's result; the
report (:class:`segkit.pipeline.Analysis`), ``--by`` batches and scoring
(:class:`segkit.model.SegmentationModel`) all read their data through it.

Examples
--------
>>> import pathlib, tempfile
>>> from segkit.config import make_config
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "customers.csv").write_text("ID,Income,Region\\na,30000,North\\nb,52000,south \\nc,41000,north\\n")
>>> config = make_config({"data": {"customers": str(folder / "customers.csv"), "where": {"Region": "North"}}})
>>> inputs = load_inputs(config)
>>> inputs
Inputs(customers=2 rows)
>>> inputs.customers["customer_id"].tolist()
['a', 'c']
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from segkit import io as sio
from segkit.exceptions import ColumnError, ConfigError, DataError, quote
from segkit.io.standardise import no_returns_error
from segkit.io.weights import survey_weights
from segkit.schema import GROUP_ROLES, SHARED_ROLES, TRANSACTION_ROLES

__all__ = ["CHUNK_ROWS", "STREAM_FROM_ROWS", "Inputs", "apply_where", "configured_tables", "fold", "given_roles",
           "load_inputs", "response_column", "standardise_log"]

#: A purchase log file of at least this many lines is read in chunks and standardised into
#: Parquet parts on disk (a :class:`~segkit.io.PurchaseLog`), never held as one pandas frame;
#: a shorter one is read whole. ``load_inputs(stream_from=...)`` overrides it.
STREAM_FROM_ROWS = 2_000_000
#: Lines per chunk of a log read in chunks.
CHUNK_ROWS = 1_000_000


@dataclass
class Inputs:
    """What was read: standardised tables, the detected roles, quality, provenance and notes."""

    customers: pd.DataFrame | None = None
    #: The standardised purchase log: a frame, or a :class:`~segkit.io.PurchaseLog` on disk when
    #: it was long enough to be read in chunks (see :data:`STREAM_FROM_ROWS`).
    transactions: pd.DataFrame | sio.PurchaseLog | None = None
    customer_roles: Any = None
    transaction_roles: Any = None
    quality: dict[str, Any] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
    ids_generated: bool = False
    #: What the report should say about the inputs (ids numbered by row, few shared ids).
    notes: list[str] = field(default_factory=list)
    #: Each respondent's ``survey.weight`` (indexed by customer id, :func:`segkit.io.weights.survey_weights`).
    weights: pd.Series | None = None
    weight_column: Any = None

    def __repr__(self) -> str:
        parts = []
        if self.customers is not None:
            parts.append(f"customers={len(self.customers):,} rows")
        if self.transactions is not None:
            parts.append(f"transactions={len(self.transactions):,} lines")
        return f"Inputs({', '.join(parts)})"

    @property
    def purchase_log(self) -> sio.PurchaseLog | None:
        """The purchase log as a :class:`~segkit.io.PurchaseLog` (a frame is wrapped, not copied)."""
        return sio.as_purchase_log(self.transactions, self.label("transactions"))

    def label(self, kind: str) -> str:
        """The name of the ``customers`` or ``transactions`` input in messages."""
        quality = self.quality.get(kind)
        return quality.label if quality is not None else kind


def load_inputs(config: Mapping[str, Any], *, say: Callable[[str], None] | None = None,
                fitted_roles: Mapping[str, Mapping[str, Any]] | None = None, batch: bool = False,
                check: Callable[[str, str, pd.DataFrame], None] | None = None,
                stream_from: int | None = None) -> Inputs:
    """Read, filter, detect roles, standardise and check every table ``config['data']`` names.

    Parameters
    ----------
    config : mapping
        A validated config (:func:`segkit.config.make_config`).
    say : callable, optional
        Receives the printed summary of each table and its roles.
    fitted_roles : mapping, optional
        ``{kind: {role: column(s)}}`` a fitted model read its tables with; they are given
        for the columns this data has, so a batch is read as the model's data was.
    batch : bool
        Read a batch to score with a fitted model: every row is kept (no ``data.where``),
        roles the config names are given only to a table that has the column, and no
        data-quality summary is computed.
    check : callable, optional
        ``check(kind, label, raw)`` is called on each raw table before its roles are detected
        (a model checks that a batch has the columns it segments on).
    stream_from : int, optional
        A purchase log of at least this many lines is read in chunks (default
        :data:`STREAM_FROM_ROWS`): roles are detected on its first chunk, each chunk is checked
        and standardised by the same code (messages name the file's own rows) and written to
        Parquet parts; ``Inputs.transactions`` is then a :class:`~segkit.io.PurchaseLog` on disk.
        A log whose orders write fields on their first line only is read whole.

    Raises
    ------
    ConfigError, ColumnError, DataError, InputError
        Bad config, columns or data; the message names the file, column and value.
    """
    response = config["campaign"]["response"]
    filters = {} if batch else (config["data"].get("where") or {})
    inputs = Inputs()
    if (config.get("survey") or {}).get("weight") is not None and not config["data"].get("customers"):
        raise ConfigError(f"survey.weight is {config['survey']['weight']!r} but no customer table is given "
                          "(data.customers); expected the weights as a column of a table of respondents")
    stream_from = STREAM_FROM_ROWS if stream_from is None else int(stream_from)
    for kind, label, raw, given in configured_tables(config, batch=batch, stream_from=stream_from):
        chunks = None
        if isinstance(raw, sio.TableChunks):  # a long log: its first chunk stands for it until standardised
            chunks, raw = raw, next(iter(raw))
        if check is not None:
            check(kind, label, raw)
        unfiltered = raw
        raw = apply_where(raw, filters, label, kind=kind, given=given, allow_empty=chunks is not None)
        if fitted_roles and fitted_roles.get(kind):
            present = set(map(str, raw.columns))
            given = {**given, **{role: value for role, value in _present(fitted_roles[kind], present).items()}}
        roles = sio.detect_roles(unfiltered if raw.empty else raw, kind=kind, given=given,
                                 missing_codes=(config.get("survey") or {}).get("missing_codes") or ())
        weight = (config.get("survey") or {}).get("weight")
        if kind == "customers" and weight is not None and not (batch and str(weight) not in map(str, raw.columns)):
            inputs.weight_column = sio.resolve_column(raw, weight, "survey.weight", label)
            roles = roles.as_weight(inputs.weight_column)  # checked as written, before it is standardised
            inputs.weights = survey_weights(raw.assign(customer_id=range(len(raw))), inputs.weight_column, label=label)
        if kind == "customers" and response is not None:
            roles = roles.with_column(sio.resolve_column(raw, response, "campaign.response", label), "campaigns",
                                      why="campaign.response")
        if chunks is not None and roles.order_fields:  # filled down across lines: read whole
            raw = apply_where(chunks.to_frame(), filters, label, kind=kind, given=given)
            chunks = None
        if say is not None:
            say(roles.summary(label=label, rows=len(raw) if chunks is None else chunks.rows))
        if chunks is not None:
            inputs.transactions, quality = _stream_log(chunks, raw, roles, label, filters, given)
            inputs.transaction_roles = roles
            if not batch:
                inputs.quality[kind] = quality
            inputs.sources.append({**chunks.source, "role": kind})
            continue
        if not batch:
            inputs.quality[kind] = sio.quality_report(raw, roles, label=label)
        source = dict(raw.attrs.get("segkit_source", {}))
        source.setdefault("label", label)
        source["role"] = kind
        inputs.sources.append(source)
        if kind == "customers":
            inputs.customers = sio.standardise_customers(raw, roles, label=label)
            inputs.customer_roles = roles
            if inputs.weights is not None:  # in table order, indexed by the standardised ids
                inputs.weights.index = pd.Index(inputs.customers["customer_id"].astype("string"), name="customer_id")
            inputs.ids_generated = bool(inputs.customers.attrs.get("segkit_id_generated", False))
            if inputs.ids_generated:
                inputs.notes.append(f"{label} has no customer id column; customers are numbered by row.")
        else:
            inputs.transactions = standardise_log(raw, roles, label)
            inputs.transaction_roles = roles
    if inputs.customers is not None and inputs.transactions is not None and not batch:
        _check_join(inputs, {s["role"]: s["label"] for s in inputs.sources})
    _restrict_to_common(inputs, filters)
    return inputs


def response_column(config: Mapping[str, Any], inputs: Inputs) -> str | None:
    """The campaign column targeted on: the config's ``campaign.response``, else the last
    campaign column of the customer table, else None."""
    name = config["campaign"]["response"]
    customers = inputs.customers
    if name:
        if customers is None or name not in customers.columns:
            where = list(customers.columns) if customers is not None else []
            raise ColumnError(f"campaign.response: column {name!r} is not in the customer table (columns: {where})")
        return name
    roles = inputs.customer_roles
    campaigns = list(getattr(roles, "campaigns", []) or []) if roles is not None else []
    return campaigns[-1] if campaigns else None


def _present(roles: Mapping[str, Any], columns: set[str]) -> dict[str, Any]:
    """The roles whose columns are in ``columns``: groups keep their present columns."""
    out = {}
    for role, value in roles.items():
        if isinstance(value, Mapping):  # kinds: {column: kind}
            out[role] = {c: k for c, k in value.items() if str(c) in columns}
        elif isinstance(value, list | tuple):
            out[role] = [c for c in value if str(c) in columns]
        elif value is not None and str(value) in columns:
            out[role] = value
    return out


def configured_tables(config: Mapping[str, Any], *, batch: bool = False, stream_from: int | None = None
                      ) -> Iterator[tuple[str, str, pd.DataFrame | sio.TableChunks, dict[str, Any]]]:
    """Read each configured table: yields (kind, label, raw frame, the config's roles for it).

    Both tables are read before any is handed on, so that a column the config names for
    either of them (customer id, country) is checked against both. In a ``batch`` (scoring),
    a shared role goes to a table only when it has the column. With ``stream_from``, a
    purchase log file of at least that many lines comes as :class:`~segkit.io.TableChunks`.
    """
    data = config["data"]
    tables = []
    for kind in ("customers", "transactions"):
        source = data.get(kind)
        if source is None or isinstance(source, str) and not source:
            continue
        label = "data" if isinstance(source, pd.DataFrame) else Path(str(source)).name
        if kind == "transactions" and stream_from is not None:
            read = sio.read_chunks(source, label=label, chunk_rows=CHUNK_ROWS, min_rows=stream_from)
        else:
            read = sio.read_table(source, label=label)
        tables.append((kind, label, read))
    both = len(tables) == 2
    if both and not batch:
        _check_shared_roles(config, tables)
    for kind, label, raw in tables:
        yield kind, label, raw, given_roles(config, kind, raw.columns, both or batch)


def _shared_names(value: Any) -> list:
    """The column names a shared role is given: one name, or one per table (a list)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _check_shared_roles(config: Mapping[str, Any], tables: list[tuple[str, str, pd.DataFrame]]) -> None:
    """Each name given for the customer id or country must be a column of one of the tables.

    With a single table the name is checked when the table's roles are detected; with two, a
    name that is in neither would otherwise be ignored and the role detected instead.
    """
    for key in SHARED_ROLES:
        for name in _shared_names(config["columns"].get(key)):
            if any(name in raw.columns or str(name) in map(str, raw.columns) for _, _, raw in tables):
                continue
            labels = " and ".join(label for _, label, _ in tables)
            every = [str(c) for _, _, raw in tables for c in raw.columns]
            close = difflib.get_close_matches(str(name), every, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}?" if close else f"columns are {every[:30]}"
            raise ColumnError(f"{labels}: column {str(name)!r} (columns.{key}) is in neither table; {hint}")
    for name in config["columns"].get("kinds") or {}:
        if not any(str(name) in map(str, raw.columns) for _, _, raw in tables):
            labels = " and ".join(label for _, label, _ in tables)
            every = [str(c) for _, _, raw in tables for c in raw.columns]
            close = difflib.get_close_matches(str(name), every, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}?" if close else f"columns are {every[:30]}"
            raise ColumnError(f"{labels}: column {str(name)!r} (columns.kinds) is in neither table; {hint}")
        for _, label, raw in tables:
            present = [n for n in _shared_names(config["columns"].get(key)) if str(n) in map(str, raw.columns)]
            if len(present) > 1:
                raise ConfigError(f"columns.{key}: {label} has {len(present)} of the columns given ({present}); "
                                  f"expected one per table")


def standardise_log(raw: pd.DataFrame, roles: Any, label: str, *, part: bool = False) -> pd.DataFrame:
    """Standardise a purchase log, keeping a hash of each whole raw line (``line_hash``).

    The standard columns alone would make two products on one invoice at the same price
    and quantity look like duplicate lines; cleaning judges duplicates on the raw line.
    ``part``: ``raw`` is one chunk of a longer log (see :func:`segkit.io.standardise_transactions`).
    """
    std = sio.standardise_transactions(raw, roles, label=label, part=part)
    if len(std) == len(raw):
        hashes = sio.row_hashes(raw)
        std["line_hash"] = hashes if hashes is not None else pd.util.hash_pandas_object(raw, index=False).to_numpy()
    return std


def _stream_log(chunks: sio.TableChunks, first: pd.DataFrame, roles: Any, label: str, where: Mapping[str, Any],
                given: Mapping[str, Any]) -> tuple[sio.PurchaseLog, sio.DataQuality]:
    """A long log standardised chunk by chunk into Parquet parts, with its quality.

    ``first`` is the first chunk, already filtered by ``where``. Each chunk is filtered,
    checked (:func:`~segkit.io.quality_report`) and standardised (:func:`standardise_log`)
    by the code that reads a log whole, so the rules and messages are the same; a chunk
    names the file's own rows, and when rows were left out by ``where`` the row among those
    kept, as a whole filtered log would. The parts are bucketed by customer, or by order when
    cleaning will need an order's lines together (:func:`~segkit.io.log_bucketing`).
    """
    by = sio.log_bucketing(refunds=roles.refunded is not None)
    # what was written goes if a later chunk fails
    with sio.PurchaseLogWriter(label, by=by, buckets=sio.bucket_count(chunks.rows)) as writer:
        return _write_chunks(writer, chunks, first, roles, label, where, given)


def _write_chunks(writer: sio.PurchaseLogWriter, chunks: sio.TableChunks, first: pd.DataFrame, roles: Any,
                  label: str, where: Mapping[str, Any],
                  given: Mapping[str, Any]) -> tuple[sio.PurchaseLog, sio.DataQuality]:
    """Filter, check, standardise and write every chunk; the log written and its quality."""
    qualities, kept, attrs, returns = [], 0, {}, 0
    for i, chunk in enumerate(chunks):
        chunk = first if i == 0 else apply_where(chunk, where, label, kind="transactions", given=given,
                                                 allow_empty=True)
        if chunk.empty:
            continue
        if any(column in chunk.columns for column in where):  # rows among those kept, as in a filtered log read whole
            chunk.attrs["segkit_source"] = {**chunks.source, "chunk": True, "row_offset": kept, "file_rows": []}
        std = standardise_log(chunk, roles, label, part=True)
        ids = std["customer_id"] if roles.customer_id in chunk.columns and len(std) == len(chunk) else None
        qualities.append(sio.quality_report(chunk, roles, label=label, duplicates=False, ids=ids))
        returns += std.attrs.pop("segkit_return_lines", 0)
        std.index = pd.RangeIndex(kept, kept + len(std))
        attrs = attrs or {**std.attrs, "segkit_source": chunks.source}
        writer.write(std)
        kept += len(chunk)
    if not kept:
        column = next(iter(where))
        raise DataError(f"{label}: no rows where column {column!r} is {sorted(map(fold, _as_list(where[column])))}")
    if roles.returns is not None and not returns:  # as a log read whole: a returns column must mark some
        raise no_returns_error(first[roles.returns], roles.returns, label)
    log = writer.close(attrs=attrs)
    duplicates = _duplicate_lines(log)
    sio.release_arrow_memory()
    return log, sio.combine_quality(qualities, duplicate_rows=duplicates)


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _duplicate_lines(log: sio.PurchaseLog) -> int:
    """Lines of a log on disk that repeat an earlier line exactly (by the hash of the raw line)."""
    import duckdb  # a log on disk only

    if "line_hash" not in log.columns:
        return 0
    con = duckdb.connect()
    try:  # copies of a line are in one bucket: counted bucket by bucket, in a fraction of the memory
        return sum(int(con.execute(f"SELECT COUNT(*) - COUNT(DISTINCT line_hash) FROM {parts}").fetchone()[0])
                   for parts in log.bucket_sql())
    finally:
        con.close()


def given_roles(config: Mapping[str, Any], kind: str, columns: pd.Index, both: bool) -> dict[str, Any]:
    """The ``columns:`` entries that apply to one table.

    Transaction roles go to the log, column groups to the customer table. Roles both tables
    can have (customer id, country) go to a table only if it has that column, unless it is
    the only table, so that a misspelt name still raises a clear error. The customer id may
    be a list of names, one per table (``[Kundennummer, buyer_ref]``), for tables that name
    it differently; each table takes the one it has.

    Examples
    --------
    >>> from segkit.config import load_config
    >>> cfg = load_config(None, overrides=["columns.customer_id=[Kundennummer, buyer_ref]"])
    >>> given_roles(cfg, "transactions", pd.Index(["buyer_ref", "ts", "total"]), both=True)
    {'customer_id': 'buyer_ref'}
    """
    cols = config["columns"]
    own = TRANSACTION_ROLES if kind == "transactions" else (*GROUP_ROLES, "constants")
    given = {k: cols[k] for k in own if cols.get(k) is not None}
    text = set(map(str, columns))
    for key in SHARED_ROLES:
        names = _shared_names(cols.get(key))
        present = [n for n in names if str(n) in text]
        if present:
            given[key] = present[0]
        elif names and not both:
            given[key] = names[0]
    kinds = {c: k for c, k in (cols.get("kinds") or {}).items() if str(c) in text or not both}
    if kinds:
        given["kinds"] = kinds
    return given


def apply_where(raw: pd.DataFrame, where: Mapping[str, Any], label: str, *, kind: str | None = None,
                given: Mapping[str, Any] | None = None, allow_empty: bool = False) -> pd.DataFrame:
    """Keep the rows matching ``data.where`` ({column: value or [values]}) for the columns this
    table has (spaces and case do not count: ``'north '`` is ``North``, as in ``--by`` batches).

    In a purchase log (``kind="transactions"``, its ``given`` roles), an order's fields written
    on its first line only (Shopify's ``Financial Status``) count for each of its lines, so
    whole orders are kept. No row kept is an error, unless ``allow_empty`` (a chunk of a log).

    Examples
    --------
    >>> raw = pd.DataFrame({"id": [1, 2, 3], "Region": ["North", "north ", "South"]})
    >>> apply_where(raw, {"Region": "NORTH"}, "c.csv")["id"].tolist()
    [1, 2]
    """
    looked = raw
    if kind == "transactions" and any(column in raw.columns for column in where):
        looked = sio.fill_order_fields(raw, given, label=label)
    for column, wanted in where.items():
        if column not in raw.columns:
            continue
        values = {fold(v) for v in (wanted if isinstance(wanted, list) else [wanted])}
        keep = _folded(looked[column]).isin(values).fillna(False).to_numpy()
        kept = raw[keep]
        if kept.empty and not allow_empty:
            raise DataError(f"{label}: no rows where column {column!r} is {sorted(values)}")
        kept.attrs = raw.attrs
        raw, looked = kept, looked[keep]
    return raw


def fold(value: object) -> str:
    """A value as ``data.where`` and ``--by`` compare it: trimmed, inner spaces single, case folded.

    Examples
    --------
    >>> fold("  North   East "), fold("LEEDS")
    ('north east', 'leeds')
    """
    return re.sub(r"\s+", " ", str(value).strip()).casefold()


def _folded(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().str.replace(r"\s+", " ", regex=True).str.casefold()


def _restrict_to_common(inputs: Inputs, where: Mapping[str, Any]) -> None:
    """After filtering one table by ``data.where``, keep the other table's matching customers."""
    if not where or inputs.customers is None or inputs.transactions is None:
        return
    log = inputs.purchase_log
    tx_ids = set(log.customer_ids())
    cust_ids = set(inputs.customers["customer_id"])
    if len(tx_ids) < len(cust_ids):
        inputs.customers = inputs.customers[inputs.customers["customer_id"].isin(tx_ids)]
    elif log.in_memory:
        inputs.transactions = inputs.transactions[inputs.transactions["customer_id"].isin(cust_ids)]
    else:
        inputs.transactions = log.restrict(cust_ids)


def _check_join(inputs: Inputs, labels: Mapping[str, str]) -> None:
    """The customer table and the purchase log must share customer ids."""
    customers, log = labels["customers"], labels["transactions"]
    log_column = inputs.transaction_roles.customer_id
    if inputs.ids_generated:
        raise ColumnError(
            f"{customers}: no customer id column found, so its customers cannot be matched with those of "
            f"{log} (column {log_column!r}); expected an id column, set columns.customer_id "
            f"(a list of two names when the tables name it differently, e.g. [ID, {log_column}])"
        )
    cust_ids = inputs.customers["customer_id"]
    log_ids = (pd.Index(inputs.transactions["customer_id"].dropna().unique())
               if isinstance(inputs.transactions, pd.DataFrame) else inputs.purchase_log.customer_ids())
    both = cust_ids.isin(log_ids)
    if len(log_ids) and not both.any():
        column = inputs.customer_roles.customer_id
        raise DataError(
            f"{customers} and {log}: no customer id is in both tables (e.g. {quote(cust_ids.iloc[0])} in column "
            f"{column!r} of {customers}, {log_ids[0]!r} in column {log_column!r} of {log}); expected the same "
            f"ids in both (set columns.customer_id to the matching columns, a list of two names if they differ)"
        )
    share = float(both.mean()) if len(cust_ids) else 1.0
    if share < 0.5:
        inputs.notes.append(f"Only {int(both.sum()):,} of the {len(cust_ids):,} customers in {customers} "
                            f"({share:.0%}) have purchases in {log}; check that the customer ids match.")
