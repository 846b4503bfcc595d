"""A purchase log read, checked and standardised on Spark, by segkit's own pandas code.

The roles of the log's columns are detected once, on the driver, from the head of its first
file read exactly as :func:`segkit.io.read_table` reads it (:func:`head_frame`). Spark then
reads every file (Parquet typed; delimited text as strings, with the delimiter segkit's
sniffer found), and each batch of lines goes through :func:`segkit.io.quality_report` and
:func:`segkit.inputs.standardise_log` on an executor (``mapInPandas``) -- the functions a
log read on one machine goes through, so the rules, checks and messages are the same. A
batch is typed as :func:`~segkit.io.read_table` types a table (``infer_types``) and knows
which row of which file it starts at, so a bad value names the file's own row.

The standardised lines are written once to Parquet in a work folder (:func:`work_folder`) and
read from there by the later stages; the result is a :class:`SparkLog`.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from segkit import io as sio
from segkit.exceptions import ConfigError, DataError, InputError
from segkit.inputs import Inputs, apply_where, fold, given_roles, standardise_log
from segkit.io.standardise import no_returns_error
from segkit.io.parse import infer_types
from segkit.io.read import _is_parquet, _read_bytes, _resolve_paths
from segkit.io.text import _NULL_VALUES, SNIFF_LINES, decode, sniff_delimiter, sniff_sample
from segkit.spark.session import (META, collect_meta, meta_row, raise_first_error, remove_with, removed_on_failure,
                                  run_batch, work_folder)

__all__ = ["HEAD_BYTES", "SparkLog", "head_frame", "read_log"]

#: Bytes of the first file read on the driver to detect the columns' roles (about 50,000 lines).
HEAD_BYTES = 4 << 20


@dataclass
class SparkLog:
    """The standardised purchase log on Spark: what :class:`~segkit.io.PurchaseLog` is on one machine.

    ``lines`` is a Spark DataFrame of the standard columns (``customer_id, date, amount, ...``,
    ``line_hash``) plus ``_row``, each line's place in the files read (cleaning keeps the first
    copy of a duplicate line by it).
    """

    lines: Any
    label: str
    rows: int
    first_date: pd.Timestamp
    last_date: pd.Timestamp
    folder: str
    attrs: dict = field(default_factory=dict)

    in_memory = False

    def __len__(self) -> int:
        return self.rows

    def __repr__(self) -> str:
        return (f"SparkLog({self.label!r}, {self.rows:,} lines on Spark, {self.first_date.date()} to "
                f"{self.last_date.date()})")

    @property
    def columns(self) -> pd.Index:
        return pd.Index([c for c in self.lines.columns if c != "_row"])

    def date_range(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        return self.first_date, self.last_date

    def customer_ids(self) -> pd.Index:
        raise ConfigError(f"{self.label}: the customers of a log on Spark are not listed on the driver; "
                          "with engine: spark, give the purchase log alone")


# ----------------------------------------------------------------------------- the head, on the driver

def head_frame(path: Path, where: str) -> tuple[pd.DataFrame, str | None]:
    """The first lines of a file as :func:`segkit.io.read_table` reads it, and how Spark should
    read the rest: ``"parquet"``, a delimiter, or None for runs of whitespace."""
    if _is_parquet(path):
        batch = next(pq.ParquetFile(path).iter_batches(batch_size=50_000), None)
        if batch is None:
            raise InputError(f"{where}: the Parquet file has no rows; expected at least one data row")
        return pa.Table.from_batches([batch]).to_pandas(), "parquet"
    with open(path, "rb") as fh:
        zipped = fh.read(2) == b"\x1f\x8b"
    name = (path.name[:-3] if path.name.lower().endswith(".gz") else path.stem) if zipped else path.name
    with (gzip.open if zipped else open)(path, "rb") as fh:
        data = fh.read(HEAD_BYTES + 1)
    if len(data) > HEAD_BYTES:
        data = data[: data.rfind(b"\n", 0, HEAD_BYTES) + 1]
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")) or path.suffix.lower() in {".xlsx", ".xls", ".zip"}:
        raise ConfigError(f"{where}: zip archives and Excel workbooks are read on one machine; with engine: spark "
                          "give CSV, delimited text (plain or .gz) or Parquet")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{where}: is not UTF-8 text (byte {err.start}); Spark reads UTF-8: convert the file "
                         "(e.g. iconv -f cp1252 -t utf-8) or set engine: duckdb") from err
    text = decode(data, where, Path(name).suffix.lower())
    lines = [line for line in sniff_sample(text).decode("utf-8", errors="ignore").splitlines()[: SNIFF_LINES + 1]
             if line.strip()]
    sep, skip = sniff_delimiter(lines)
    if skip:
        raise ConfigError(f"{where}: has {skip} title line(s) above the header; Spark reads the header from the "
                          "first line: remove them, or set engine: duckdb")
    table, typed = _read_bytes(text, name, where, allow_no_rows=False)
    return (table.to_pandas() if typed else infer_types(table)), sep


def _sha256(paths: list[Path]) -> tuple[str, int]:
    digest, nbytes = hashlib.sha256(), 0
    for path in paths:
        with open(path, "rb") as fh:
            while block := fh.read(8 << 20):
                digest.update(block)
                nbytes += len(block)
    return digest.hexdigest(), nbytes


# ----------------------------------------------------------------------------- every line, on Spark

def _raw_lines(spark, paths: list[Path], mode: str | None, names: list[str]):
    """Every file as a Spark DataFrame: Parquet typed, delimited text as strings under the head's
    column names, whitespace-separated text as lines (split on the executors); plus ``_file``
    and ``_row`` (the line's place, for cleaning's first copy of a duplicate)."""
    from pyspark.sql import functions as F

    files = [str(p) for p in paths]
    if mode == "parquet":
        raw = spark.read.parquet(*files)
    elif mode is None:  # each file's header line and blank lines are not rows, as read_table reads them
        raw = spark.read.text(files)
        line = F.regexp_replace(F.trim("value"), r"\s+", " ")
        raw = raw.where((line != "") & (line != " ".join(names)))
    else:
        raw = spark.read.csv(files, header=True, sep=mode, inferSchema=False, quote='"', escape='"',
                             encoding="UTF-8", mode="PERMISSIVE")
        if len(raw.columns) != len(names):
            raise InputError(f"{paths[0].name}: Spark reads {len(raw.columns)} columns, segkit {len(names)}; "
                             "check the delimiter and quoting, or set engine: duckdb")
        raw = raw.toDF(*[f"_c{i}" for i in range(len(names))])
    return raw.withColumn("_file", F.input_file_name()).withColumn("_row", F.monotonically_increasing_id())


def _offsets(raw) -> tuple[dict, dict, list[str], list[int]]:
    """Where each partition's lines of each file start: ``before[(partition, file)]`` (lines of
    the file in earlier partitions), ``start[file]`` (lines of the files before it), the files
    in name order and their lines (what :func:`segkit.io.messages.row_label` needs)."""
    from pyspark.sql import functions as F

    counts = raw.groupBy(F.spark_partition_id().alias("p"), "_file").count().collect()
    before: dict[tuple[int, str], int] = {}
    totals: dict[str, int] = {}
    for row in sorted(counts, key=lambda r: (r["_file"], r["p"])):
        before[(row["p"], row["_file"])] = totals.get(row["_file"], 0)
        totals[row["_file"]] = totals.get(row["_file"], 0) + row["count"]
    files = sorted(totals)
    start = dict(zip(files, np.r_[0, np.cumsum([totals[f] for f in files])[:-1]].tolist(), strict=True))
    return before, start, files, [totals[f] for f in files]


def _header_lines(frame: pd.DataFrame, names: list[str]) -> pd.Series:
    """Whitespace-separated lines split into the columns, each file's header line left out."""
    parts = frame["value"].str.strip().str.split(r"\s+", regex=True)
    header = parts.map(lambda p: [str(x) for x in p] == names)
    return parts[~header.to_numpy()]


def _spark_type(dtype) -> str:
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "timestamp"
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "bigint"
    if pd.api.types.is_float_dtype(dtype):
        return "double"
    return "string"


@dataclass
class _Plan:
    """What each executor needs to check and standardise its batches."""

    roles: Any
    label: str
    names: list[str]
    mode: str | None
    where: Mapping[str, Any]
    given: Mapping[str, Any]
    before: dict
    start: dict
    files: list[str]
    file_rows: list[int]
    columns: list[str]
    #: Parquet timestamp columns stored in nanoseconds, which Spark reads as integers.
    nanos: list[str] = field(default_factory=list)

    def chunks(self, part: int, frame: pd.DataFrame, seen: dict[str, int]) -> Iterator[tuple[pd.DataFrame, Any]]:
        """``frame`` (one batch of a partition) as typed chunks of one file each, with each chunk's
        place in the files (``segkit_source``) and its ``_row`` values."""
        files, rows = frame.pop("_file").to_numpy(), frame.pop("_row").to_numpy()
        if self.mode is None:
            split = _header_lines(frame, self.names)
            keep = split.index.to_numpy()
            files, rows = files[keep], rows[keep]
            frame = pd.DataFrame(split.tolist(), columns=self.names) if len(split) else pd.DataFrame(columns=self.names)
        elif self.mode != "parquet":
            frame = frame.set_axis(self.names, axis=1)
        for column in self.nanos:
            frame[column] = pd.to_datetime(frame[column], unit="ns")
        edges = np.flatnonzero(np.r_[True, files[1:] != files[:-1], True])
        for a, b in zip(edges[:-1], edges[1:], strict=True):
            chunk, file = frame.iloc[a:b].reset_index(drop=True), files[a]
            if self.mode != "parquet":
                text = chunk.astype(object).where(~chunk.isin(_NULL_VALUES), None)
                chunk = infer_types(pa.Table.from_pandas(text, preserve_index=False))
            offset = self.start.get(file, 0) + self.before.get((part, file), 0) + seen.get(file, 0)
            seen[file] = seen.get(file, 0) + len(chunk)
            chunk.attrs["segkit_source"] = {"label": self.label, "chunk": True, "row_offset": offset,
                                            "rows": sum(self.file_rows), "paths": self.files,
                                            "file_rows": self.file_rows}
            yield chunk, rows[a:b]

    def standardise(self, iterator: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        """The pandas function each executor runs (``mapInPandas``)."""
        from segkit.spark.session import batches_with_ids

        seen: dict[str, int] = {}
        for part, batch, frame in batches_with_ids(iterator):
            for chunk, rows in self.chunks(part, frame, seen):
                result, payload = run_batch(self._one, chunk, rows)
                payload["rows"] = len(chunk)
                if result is not None:
                    std, quality, returns = result
                    payload.update(quality=quality, returns=returns)
                    if len(std):
                        yield std.assign(_part=part, _batch=batch, **{META: None})[self.columns]
                yield meta_row(self.columns, payload).assign(_part=part, _batch=batch)[self.columns]
                if "error" in payload:
                    return

    def _one(self, chunk: pd.DataFrame, rows: np.ndarray):
        chunk = apply_where(chunk, self.where, self.label, kind="transactions", given=self.given, allow_empty=True)
        if chunk.empty:
            return chunk.iloc[:0], None, 0
        quality = sio.quality_report(chunk, self.roles, label=self.label, duplicates=False)
        std = standardise_log(chunk, self.roles, self.label, part=True)
        returns = std.attrs.pop("segkit_return_lines", 0)
        # the hash of the line as written: a batch's own typing must not decide what a duplicate is
        text = chunk.astype("string")
        std["line_hash"] = pd.util.hash_pandas_object(text, index=False).to_numpy().view("int64")[: len(std)]
        std["_row"] = rows[chunk.index.to_numpy()][: len(std)] if len(std) == len(chunk) else rows[: len(std)]
        return std, quality, returns


def read_log(spark, config: Mapping[str, Any], *, say: Callable[[str], None] | None = None) -> Inputs:
    """Read the config's purchase log on Spark: :class:`~segkit.inputs.Inputs` whose
    ``transactions`` is a :class:`SparkLog`, with the quality and provenance of every line."""
    data = config["data"]
    source = data.get("transactions")
    if data.get("customers"):
        raise ConfigError("engine: spark segments a purchase log alone for now; a customer table beside it "
                          "is read on one machine: set engine: duckdb")
    if not source or not isinstance(source, str | Path):
        raise ConfigError("engine: spark reads data.transactions from files (a file, folder or glob of CSV, "
                          "delimited text or Parquet); none was given")
    label = Path(str(source)).name
    paths, _ = _resolve_paths(str(source), label)
    head, mode = head_frame(paths[0], str(paths[0]))
    where = data.get("where") or {}
    given = given_roles(config, "transactions", head.columns, False)
    kept = apply_where(head, where, label, kind="transactions", given=given, allow_empty=True)
    roles = sio.detect_roles(head if kept.empty else kept, kind="transactions", given=given,
                             missing_codes=(config.get("survey") or {}).get("missing_codes") or ())
    if roles.order_fields:
        raise ConfigError(f"{label}: orders write {roles.order_fields} on their first line only; those are filled "
                          "down across lines on one machine: set engine: duckdb")
    names = [str(c) for c in head.columns]
    raw = _raw_lines(spark, paths, mode, names)
    before, start, files, file_rows = _offsets(raw)
    types = dict(raw.dtypes)
    nanos = [c for c in names if pd.api.types.is_datetime64_any_dtype(head[c]) and types.get(c) == "bigint"]
    head.attrs["segkit_source"] = {"label": label}
    sample = standardise_log(head.iloc[:1000], roles, label)
    sample["line_hash"] = sample["line_hash"].astype("int64")
    sample["_row"] = np.int64(0)
    columns = [*sample.columns, "_part", "_batch", META]
    schema = ", ".join([f"`{c}` {_spark_type(sample[c].dtype)}" for c in sample.columns]
                       + ["_part int", "_batch int", f"{META} binary"])
    plan = _Plan(roles, label, names, mode, where, given, before, start, files, file_rows, columns, nanos)
    folder = work_folder("segkit-spark-log-")
    with removed_on_failure(folder):
        raw.mapInPandas(plan.standardise, schema).write.mode("overwrite").parquet(f"{folder}/lines")
        stored = spark.read.parquet(f"{folder}/lines")
        payloads = collect_meta(stored)
        raise_first_error(payloads)
        qualities = [p["quality"] for p in payloads if p.get("quality") is not None]
        if not qualities:  # as a log read on one machine
            column = next(iter(where))
            wanted = where[column] if isinstance(where[column], list) else [where[column]]
            raise DataError(f"{label}: no rows where column {column!r} is {sorted(map(fold, wanted))}")
        if roles.returns is not None and not sum(p.get("returns", 0) for p in payloads):
            raise no_returns_error(head[roles.returns], roles.returns, label)
        lines = stored.where(stored[META].isNull()).drop("_part", "_batch", META)
        from pyspark.sql import functions as F

        n, distinct, first, last = lines.agg(F.count("*"), F.countDistinct("line_hash"), F.min("date"),
                                             F.max("date")).first()
        quality = sio.combine_quality(qualities, duplicate_rows=int(n - distinct))
        digest, nbytes = _sha256(paths)
        record = {"label": label, "paths": [str(p.absolute()) for p in paths], "sha256": digest, "bytes": nbytes,
                  "rows": int(sum(file_rows)), "file_rows": file_rows}
        log = SparkLog(lines, label, int(n), pd.Timestamp(first), pd.Timestamp(last), folder,
                       attrs={"segkit_source": record, "segkit_roles": sample.attrs.get("segkit_roles")})
    remove_with(log, folder)  # the log's lines are read from it
    if say is not None:
        say(roles.summary(label=label, rows=int(sum(file_rows))))
    return Inputs(transactions=log, transaction_roles=roles, quality={"transactions": quality},
                  sources=[{**record, "role": "transactions"}])
