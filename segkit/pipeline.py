"""The config-driven analysis behind ``segkit report``, one step per pipeline stage.

:class:`Analysis` holds a validated config and runs the stages in order, keeping each
result as an attribute so an analyst can stop anywhere and carry on by hand::

    run = Analysis(config)
    run.load()              # read + validate, roles detected and printed
    run.build_features()    # clean (logged), RFM and every basis
    run.segment()           # choose k, fit, stability
    run.profile()           # profiles, lift, names
    run.value()             # historical value and CLV
    run.target()            # campaign targeting, attractiveness, A/B plan
    run.write("out/")       # the output contract

The report notebook calls exactly these steps. Functions here only translate config keys
into arguments of the stage modules; the work itself lives in those modules.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import json
import os
import platform
import re
import tempfile
import time
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from segkit import io as sio
from segkit._handoff import MODEL_HANDOFF_ENV, MODEL_HANDOFF_FILE
from segkit._json import finite
from segkit.config import load_config, make_config
from segkit.exceptions import ColumnError, ConfigError, DataError, ModelError, SegkitWarning, SegmentationError
from segkit.monitor import feature_reference
from segkit.report.outputs import write_csv_atomic, write_text_atomic
from segkit.schema import FLAG_VALUES, GROUP_ROLES, SHARED_ROLES, TRANSACTION_ROLES

__all__ = ["Analysis", "demo_config", "score", "write_csv_atomic", "write_demo_inputs", "write_text_atomic"]




# ----------------------------------------------------------------------------- inputs

def write_demo_inputs(folder: str | Path, *, n_customers: int = 3000, random_state: int = 0) -> Path:
    """Generate the seeded demo data into ``folder``; return its ``config.yml``."""
    from segkit.datasets import make_demo

    return make_demo(n_customers, random_state=random_state).write(folder)["config"]


def demo_config(folder: str | Path | None = None, **overrides: Any) -> dict[str, Any]:
    """A validated config for the demo data, generated into ``folder`` (a temp folder by default)."""
    folder = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="segkit-demo-"))
    path = write_demo_inputs(folder)
    return load_config(path, overrides=[f"{k}={json.dumps(v)}" for k, v in overrides.items()])


def _read_tables(config: Mapping[str, Any]) -> Iterator[tuple[str, str, pd.DataFrame, dict[str, Any]]]:
    """Read each configured table: yields (kind, label, raw frame, the config's roles for it).

    Both tables are read before any is handed on, so that a column the config names for
    either of them (customer id, country) is checked against both.
    """
    data = config["data"]
    tables = []
    for kind in ("customers", "transactions"):
        path = data.get(kind)
        if path:
            label = Path(str(path)).name
            tables.append((kind, label, sio.read_table(path, label=label)))
    both = len(tables) == 2
    if both:
        _check_shared_roles(config, tables)
    for kind, label, raw in tables:
        yield kind, label, raw, _given_roles(config, kind, raw.columns, both)


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
        for _, label, raw in tables:
            present = [n for n in _shared_names(config["columns"].get(key)) if str(n) in map(str, raw.columns)]
            if len(present) > 1:
                raise ConfigError(f"columns.{key}: {label} has {len(present)} of the columns given ({present}); "
                                  f"expected one per table")


def _standardise_log(raw: pd.DataFrame, roles: Any, label: str) -> pd.DataFrame:
    """Standardise a purchase log, keeping a hash of each whole raw line.

    The standard columns alone would make two products on one invoice at the same price
    and quantity look like duplicate lines; cleaning judges duplicates on the raw line.
    """
    std = sio.standardise_transactions(raw, roles, label=label)
    if len(std) == len(raw):
        hashes = sio.row_hashes(raw)
        std["line_hash"] = hashes if hashes is not None else pd.util.hash_pandas_object(raw, index=False).to_numpy()
    return std


def _given_roles(config: Mapping[str, Any], kind: str, columns: pd.Index, both: bool) -> dict[str, Any]:
    """The `columns:` entries that apply to one table.

    Transaction roles go to the log, column groups to the customer table. Roles both tables
    can have (customer id, country) go to a table only if it has that column, unless it is
    the only table, so that a misspelt name still raises a clear error. The customer id may
    be a list of names, one per table (``[Kundennummer, buyer_ref]``), for tables that name
    it differently; each table takes the one it has.

    Examples
    --------
    >>> cfg = load_config(None, overrides=["columns.customer_id=[Kundennummer, buyer_ref]"])
    >>> _given_roles(cfg, "transactions", pd.Index(["buyer_ref", "ts", "total"]), both=True)
    {'customer_id': 'buyer_ref'}
    """
    cols = config["columns"]
    own = TRANSACTION_ROLES if kind == "transactions" else GROUP_ROLES
    given = {k: cols[k] for k in own if cols.get(k) is not None}
    text = set(map(str, columns))
    for key in SHARED_ROLES:
        names = _shared_names(cols.get(key))
        present = [n for n in names if str(n) in text]
        if present:
            given[key] = present[0]
        elif names and not both:
            given[key] = names[0]
    return given


def _apply_where(raw: pd.DataFrame, where: Mapping[str, Any], label: str, *, kind: str | None = None,
                 given: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Keep the rows matching ``data.where`` ({column: value or [values]}) for the columns this table has
    (spaces and case do not count: ``'north '`` is ``North``, as in ``--by`` batches). In a purchase
    log (``kind="transactions"``, its ``given`` roles), an order's fields written on its first line
    only (Shopify's ``Financial Status``) count for each of its lines, so whole orders are kept."""
    looked = raw
    if kind == "transactions" and any(column in raw.columns for column in where):
        looked = sio.fill_order_fields(raw, given, label=label)
    for column, wanted in where.items():
        if column not in raw.columns:
            continue
        values = {_fold(v) for v in (wanted if isinstance(wanted, list) else [wanted])}
        keep = _folded(looked[column]).isin(values).fillna(False).to_numpy()
        kept = raw[keep]
        if kept.empty:
            raise DataError(f"{label}: no rows where column {column!r} is {sorted(values)}")
        kept.attrs = raw.attrs
        raw, looked = kept, looked[keep]
    return raw


def _fold(value: object) -> str:
    """A value as ``data.where`` and ``--by`` compare it: trimmed, inner spaces single, case folded."""
    return re.sub(r"\s+", " ", str(value).strip()).casefold()


def _folded(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().str.replace(r"\s+", " ", regex=True).str.casefold()


def _restrict_to_common(inputs: Inputs, where: Mapping[str, Any]) -> None:
    """After filtering one table by ``data.where``, keep the other table's matching customers."""
    if not where or inputs.customers is None or inputs.transactions is None:
        return
    tx_ids = set(inputs.transactions["customer_id"].dropna())
    cust_ids = set(inputs.customers["customer_id"])
    if len(tx_ids) < len(cust_ids):
        inputs.customers = inputs.customers[inputs.customers["customer_id"].isin(tx_ids)]
    else:
        inputs.transactions = inputs.transactions[inputs.transactions["customer_id"].isin(cust_ids)]


def _copies(frame: pd.DataFrame) -> dict[str, str]:
    """Columns equal to an earlier column on every row, each with the column it repeats.

    Examples
    --------
    >>> _copies(pd.DataFrame({"recency_days": [3, 40], "monetary": [5.0, 7.0], "tenure_days": [3, 40]}))
    {'tenure_days': 'recency_days'}
    """
    first: dict[int, str] = {}
    copies = {}
    for column in frame.columns:
        key = int(pd.util.hash_pandas_object(frame[column], index=False).sum())
        if key in first and frame[column].equals(frame[first[key]]):
            copies[column] = first[key]
        else:
            first.setdefault(key, column)
    return copies


# ----------------------------------------------------------------------------- timing

class StageTimer:
    """Wall-clock seconds per named stage, for ``summary.json``'s ``timings``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = round(self.seconds.get(stage, 0.0) + time.perf_counter() - started, 3)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v:.2f}s" for k, v in self.seconds.items())
        return f"StageTimer({inner})"


def _versions() -> dict[str, str]:
    import duckdb
    import matplotlib
    import scipy
    import seaborn
    import sklearn

    import segkit

    return {
        "segkit": segkit.__version__,
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "duckdb": duckdb.__version__,
        "seaborn": seaborn.__version__,
        "matplotlib": matplotlib.__version__,
        "platform": platform.platform(),
    }


def _plain(value: Any) -> Any:
    """JSON-safe copy of numpy/pandas scalars and containers (NaN and infinities as None)."""
    return finite(json.loads(json.dumps(value, default=_json_default)))


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, pd.Timestamp | pd.Timedelta):
        return str(value)
    if isinstance(value, pd.DataFrame):
        return value.reset_index().to_dict(orient="records")
    if isinstance(value, pd.Series):
        return value.to_dict()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, Path):
        return str(value)
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


# ----------------------------------------------------------------------------- the analysis

@dataclass
class Inputs:
    """What was read: standardised tables, the detected roles, quality and provenance."""

    customers: pd.DataFrame | None = None
    transactions: pd.DataFrame | None = None
    customer_roles: Any = None
    transaction_roles: Any = None
    quality: dict[str, Any] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
    ids_generated: bool = False

    def __repr__(self) -> str:
        parts = []
        if self.customers is not None:
            parts.append(f"customers={len(self.customers):,} rows")
        if self.transactions is not None:
            parts.append(f"transactions={len(self.transactions):,} lines")
        return f"Inputs({', '.join(parts)})"


class Analysis:
    """Run the segmentation pipeline for one config, stage by stage.

    Parameters
    ----------
    config : mapping or str or Path or None
        A config dict with the keys of a YAML config (those left out take their
        defaults), a YAML path, or ``None`` for the built-in demo.
    verbose : bool
        Print what was detected and chosen at each stage, with progress bars over the
        choice of k and the stability bootstraps (the long steps).

    Examples
    --------
    >>> run = Analysis(None, verbose=False)
    >>> run
    Analysis('segkit demo customers', stages done: none)
    """

    def __init__(self, config: Mapping[str, Any] | str | Path | None = None, *, verbose: bool = True) -> None:
        if config is None:
            config = demo_config()
        elif isinstance(config, str | Path):
            config = load_config(config, require_data=True)
        else:
            config = make_config(config, require_data=True)
        self.config: dict[str, Any] = config
        self.verbose = verbose
        self.timer = StageTimer()
        self.inputs: Inputs | None = None
        self.features = None
        self.segmenter = None
        self.labels: pd.Series | None = None
        self.X: pd.DataFrame | None = None
        self.profile_ = None
        self.names: pd.DataFrame | None = None
        self.clv: pd.DataFrame | None = None
        self.targeting: pd.DataFrame | None = None
        self.attractiveness: pd.DataFrame | None = None
        self.ab_plan: pd.DataFrame | None = None
        self.notes: list[str] = []
        self.previous = None  # the earlier run named by monitor.previous (segkit.monitor.RunRecord)
        self.comparison = None  # what changed since it (segkit.monitor.Comparison), from changes()
        #: SegkitWarnings raised while reading and cleaning (a report kernel's stderr is not
        #: seen by anyone, so the report lists them under "Data and quality").
        self.data_warnings: list[str] = []

    def __repr__(self) -> str:
        done = [s for s in ("load", "features", "segment", "profile", "value", "target") if s in self._done()]
        return f"Analysis({self.config['title']!r}, stages done: {', '.join(done) or 'none'})"

    def _done(self) -> set[str]:
        have = {"load": self.inputs, "features": self.features, "segment": self.labels,
                "profile": self.profile_, "value": self.clv, "target": self.targeting}
        return {k for k, v in have.items() if v is not None}

    def _model_inputs(self) -> list[str]:
        """The inputs the segmentation's features come from (``customers``, ``transactions``).

        A run on both a customer table and a purchase log that segments on purchase
        features only (the demo's default) is scored from a purchase log alone.
        """
        from_log = set(getattr(self.features, "log_columns", ()))
        used = list(map(str, self.X.columns))
        needs = {"customers": any(c not in from_log for c in used), "transactions": any(c in from_log for c in used)}
        return [kind for kind in ("customers", "transactions") if needs[kind] and getattr(self.inputs, kind) is not None]

    def public_config(self) -> dict[str, Any]:
        """The config as written into reports and exports: secrets replaced by ``<redacted>``."""
        cfg = json.loads(json.dumps(self.config, default=str))
        if cfg["privacy"].get("pseudonym_key"):
            cfg["privacy"]["pseudonym_key"] = "<redacted>"
        return cfg

    @contextlib.contextmanager
    def _collect_warnings(self) -> Iterator[None]:
        """Record the SegkitWarnings raised inside (once each) and raise them again for the caller."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SegkitWarning)
            try:
                yield
            finally:
                seen = list(caught)
        for w in seen:
            if issubclass(w.category, SegkitWarning):
                text = str(w.message)
                if text not in self.data_warnings:
                    self.data_warnings.append(text)
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)

    def _say(self, msg: str) -> None:
        if self.verbose:
            print(msg)

    # -- read + validate -----------------------------------------------------------------
    def load(self) -> Inputs:
        """Read the configured tables, detect column roles, standardise and check quality.

        The config's ``campaign.response`` column is read as a campaign answer (0/1, yes/no,
        true/false) whatever its name. With both a customer table and a purchase log, their
        customer ids must match: a table without an id column, or ids that match none of
        the other table's, is an error rather than a report on two disjoint sets of customers.
        """
        response = self.config["campaign"]["response"]
        if response is not None and not self.config["data"].get("customers"):
            raise ConfigError(f"campaign.response is {response!r} but no customer table is given (data.customers); "
                              f"expected the campaign answers as a column of a customer table")
        with self.timer("read"), self._collect_warnings():
            inputs = Inputs()
            labels: dict[str, str] = {}
            where = self.config["data"].get("where") or {}
            for kind, label, raw, given in _read_tables(self.config):
                raw = _apply_where(raw, where, label, kind=kind, given=given)
                roles = sio.detect_roles(raw, kind=kind, given=given)
                if kind == "customers" and response is not None:
                    roles = roles.with_column(sio.resolve_column(raw, response, "campaign.response", label),
                                              "campaigns")
                labels[kind] = label
                self._say(f"{label}: {len(raw):,} rows\n{roles.describe()}")
                inputs.quality[kind] = sio.quality_report(raw, roles, label=label)
                source = dict(raw.attrs.get("segkit_source", {}))
                source.setdefault("label", label)
                source["role"] = kind
                inputs.sources.append(source)
                if kind == "customers":
                    inputs.customers = sio.standardise_customers(raw, roles, label=label)
                    inputs.customer_roles = roles
                    inputs.ids_generated = bool(inputs.customers.attrs.get("segkit_id_generated", False))
                    if inputs.ids_generated:
                        self.notes.append(f"{label} has no customer id column; customers are numbered by row.")
                else:
                    inputs.transactions = _standardise_log(raw, roles, label)
                    inputs.transaction_roles = roles
            if inputs.customers is not None and inputs.transactions is not None:
                self._check_join(inputs, labels)
            _restrict_to_common(inputs, where)
        self.inputs = inputs
        return inputs

    def _check_join(self, inputs: Inputs, labels: Mapping[str, str]) -> None:
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
        log_ids = pd.Index(inputs.transactions["customer_id"].dropna().unique())
        both = cust_ids.isin(log_ids)
        if len(log_ids) and not both.any():
            column = inputs.customer_roles.customer_id
            raise DataError(
                f"{customers} and {log}: no customer id is in both tables (e.g. {cust_ids.iloc[0]!r} in column "
                f"{column!r} of {customers}, {log_ids[0]!r} in column {log_column!r} of {log}); expected the same "
                f"ids in both (set columns.customer_id to the matching columns, a list of two names if they differ)"
            )
        share = float(both.mean()) if len(cust_ids) else 1.0
        if share < 0.5:
            self.notes.append(f"Only {int(both.sum()):,} of the {len(cust_ids):,} customers in {customers} "
                              f"({share:.0%}) have purchases in {log}; check that the customer ids match.")

    # -- features --------------------------------------------------------------------------
    def build_features(self):
        """Clean the inputs (logged) and build one feature table with every basis."""
        from segkit.features import build_features

        if self.inputs is None:
            self.load()
        cleaning = self.config["cleaning"]
        roles = self.inputs.customer_roles
        response = self.response_column() if roles is not None else None
        if response:
            # the campaign being targeted is the outcome, not a trait to segment or count on
            roles = dataclasses.replace(roles, campaigns=[c for c in roles.campaigns if c != response])
        self.feature_roles = roles  # what `segkit score` reads new customer tables with (model.skops)
        with self.timer("features"), self._collect_warnings():
            self.features = build_features(
                customers=self.inputs.customers,
                transactions=self.inputs.transactions,
                roles=roles,
                snapshot_date=cleaning["snapshot_date"],
                drop_duplicates=cleaning["drop_duplicates"],
            )
        self._say(repr(self.features))
        return self.features

    def default_basis(self) -> list[str]:
        """Bases clustered on when the config names none: behaviour and value when present.

        When those hold fewer than two features (a table with one behavioural column, such
        as a spending score), the demographic, geographic, technographic and psychographic
        bases are added in turn until there are two: one number alone shows no structure.
        """
        present = set(self.features.bases.values())
        chosen = sorted(present)
        for choice in (["behavioural", "value"], ["behavioural"], ["value"], ["demographic"]):
            if set(choice) <= present:
                chosen = choice
                break
        for extra in ("demographic", "geographic", "technographic", "psychographic"):
            if self.features.select(basis=chosen).shape[1] >= 2:
                break
            if extra in present and extra not in chosen:
                chosen = [*chosen, extra]
        return chosen

    # -- segment ---------------------------------------------------------------------------
    def segment(self):
        """Choose k, fit the segmentation and check its stability."""
        from segkit.segment import Segmenter

        if self.features is None:
            self.build_features()
        seg_cfg = self.config["segmentation"]
        features = seg_cfg.get("features") or None
        basis = None if features else (seg_cfg.get("basis") or self.default_basis())
        if isinstance(basis, str):
            basis = [basis]
        try:
            self.X = self.features.select(basis=basis, features=features)
        except ColumnError as err:
            if not features:
                raise
            raise ColumnError(self._unknown_feature_message(features)) from err
        if len(self.X) < 3:
            label = next((q.label for q in self.inputs.quality.values()), "the data")
            raise SegmentationError(f"{label}: {len(self.X)} {'customer' if len(self.X) == 1 else 'customers'} "
                                    "to segment after cleaning; expected at least 3")
        if basis is not None:
            self.X = self._without_mostly_missing(self.X)
            copies = _copies(self.X)
            if copies:  # everyone bought once: tenure is recency, average order value is spend
                listed = ", ".join(f"{c} (= {of})" for c, of in copies.items())
                self.notes.append(f"Left out as the same as another feature for every customer: {listed}.")
                self.X = self.X.drop(columns=list(copies))
        self._say(f"clustering on {self.X.shape[1]} features: {', '.join(map(str, self.X.columns))}")
        order_by = "monetary" if "monetary" in self.X.columns else None
        with self.timer("segment"):
            self.segmenter = Segmenter(
                n_segments=seg_cfg["n_segments"],
                algorithm=seg_cfg["algorithm"],
                k_min=seg_cfg["k_min"],
                k_max=seg_cfg["k_max"],
                min_share=seg_cfg["min_share"],
                n_bootstrap=seg_cfg["n_bootstrap"],
                order_by=order_by,
                random_state=seg_cfg["random_state"],
                progress=self.verbose,
            ).fit(self.X)
        previous = self.config.get("monitor", {}).get("previous")
        if previous:
            self._continue_ids(previous)
        self.labels = pd.Series(self.segmenter.labels_, index=self.X.index, name="segment")
        self._say(f"{self.segmenter.n_segments_} segments with {self.segmenter.algorithm_}")
        return self.segmenter

    def _unknown_feature_message(self, features: list) -> str:
        """Why a name in ``segmentation.features`` is not a feature, and which names are."""
        columns = [str(c) for c in self.features.frame.columns]
        name = next(str(f) for f in features if str(f) not in columns)
        roles = self.inputs.customer_roles
        label = self.inputs.quality["customers"].label if "customers" in self.inputs.quality else "the customer table"
        why = {"identifiers": "is a personal identifier in {label}, kept out of the features",
               "constants": "has the same value for every customer in {label}, so it cannot tell segments apart",
               "unused": "was not given a role in {label}; name it under columns: (e.g. columns.behaviour)"}
        for group, reason in why.items():
            if roles is not None and name in map(str, getattr(roles, group, []) or []):
                return f"segmentation.features: {name!r} {reason.format(label=label)}"
        close = difflib.get_close_matches(name, columns, n=3, cutoff=0.5)
        hint = f"did you mean {close[0]!r}? " if close else ""
        shown = ", ".join(columns[:15]) + (", ..." if len(columns) > 15 else "")
        return f"segmentation.features: {name!r} is not a feature; {hint}expected one of: {shown}"

    def _without_mostly_missing(self, X: pd.DataFrame, most: float = 0.5) -> pd.DataFrame:
        """Leave out of the clustering the customer-table columns missing for more than ``most``
        of the customers.

        Filled in with the median, such a column would put most customers on one value and the
        few known answers would shape the segments; it is still profiled. Named in
        ``segmentation.features``, a column is clustered on whatever its gaps. (Purchase-log
        features are not judged: ``avg_days_between_orders`` is rightly empty for one-off buyers.)
        """
        table = self.inputs.customers
        if table is None:
            return X
        missing = X[[c for c in X.columns if c in table.columns]].isna().mean()
        gaps = missing[missing > most]
        if gaps.empty or len(gaps) == X.shape[1]:
            return X
        listed = ", ".join(f"{c} ({share:.0%})" for c, share in gaps.items())
        self.notes.append(f"Not clustered on, because missing for most customers (profiled only): {listed}.")
        return X.drop(columns=gaps.index)

    def feature_reference(self) -> dict[str, dict[str, Any]]:
        """This run's :func:`segkit.monitor.feature_reference` (computed once per feature table)."""
        cached = getattr(self, "_reference", None)
        if cached is None or cached[0] is not self.features:
            reference = feature_reference(self._profile_frame(), min_cell_size=int(self.config["privacy"]["min_cell_size"]))
            self._reference = cached = (self.features, reference)
        return cached[1]

    def _published_ids(self, index: pd.Index) -> pd.Index:
        """Customer ids as segments.csv writes them (pseudonymised when the config says so)."""
        ids = pd.Series(index.astype(str))
        priv = self.config["privacy"]
        if priv["pseudonymise_ids"]:
            from segkit.privacy import pseudonymise

            ids = pseudonymise(ids, key=priv["pseudonym_key"])
        return pd.Index(ids.astype(str).to_numpy())

    def _continue_ids(self, previous: str) -> None:
        """Renumber the segments to continue the ids of the report in ``previous``."""
        from segkit import monitor

        self.previous = monitor.read_run(previous)
        current = pd.Series(self.segmenter.labels_, index=self._published_ids(self.X.index))
        self.segmenter.relabel(monitor.stable_ids(self.previous.labels, current))

    def changes(self):
        """What changed since the report in ``monitor.previous`` (a :class:`segkit.monitor.Comparison`),
        or None when no previous run is configured. Call after :meth:`profile` (it uses the names)."""
        from segkit import monitor
        from segkit.profile import humanise

        if not self.config.get("monitor", {}).get("previous"):
            return None
        if self.previous is None:
            self.segment()
        if self.names is None:
            self.profile()
        reference = self.feature_reference()
        current = pd.Series(self.labels.to_numpy(), index=self._published_ids(self.labels.index))
        self.comparison = monitor.compare(
            self.previous.labels, current, old_names=self.previous.names, new_names=self.names["name"].to_dict(),
            old_reference=self.previous.reference, new_reference=reference,
            old_label=self.previous.label, new_label="this run", align=False,  # ids already continue
            feature_label=humanise,
        )
        return self.comparison

    # -- profile + names -------------------------------------------------------------------
    def profile(self):
        """Profile every segment on every feature and give each a plain-language name."""
        from segkit.profile import name_segments, profile_segments

        if self.labels is None:
            self.segment()
        frame = self._profile_frame()
        bases = dict(self.features.bases)
        value_col = self._value_column(frame, bases)
        with self.timer("profile"):
            self.profile_ = profile_segments(
                frame, self.labels, bases=bases, value_col=value_col,
                min_cell_size=self.config["privacy"]["min_cell_size"],
            )
            overrides = {int(k): str(v) for k, v in self.config["segment_names"].items()}
            self.names = name_segments(self.profile_, overrides=overrides)
        return self.profile_

    def _value_column(self, frame: pd.DataFrame, bases: dict[str, str]) -> str | None:
        """The column the profile's revenue figures come from, added to ``frame`` if derived.

        ``monetary`` when there is a purchase log. A customer table alone may still say
        what each customer spent: one spend column (``TotalSpend``, ``Revenue``) is used as
        it is; spend split over categories (iFood's ``MntWines``, ``MntMeatProducts``, ...)
        is summed into ``total_spend``, which is profiled too (it was not clustered on).
        """
        from segkit.profile import humanise

        if "monetary" in frame:
            return "monetary"
        amounts = [c for c in frame.columns if bases.get(c) in ("behavioural", "value")
                   and pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])]
        labels = {c: humanise(str(c)) for c in amounts}
        whole = [c for c in amounts if labels[c] == "spend"]
        if len(whole) == 1:
            return whole[0]
        parts = whole or [c for c in amounts if labels[c].endswith(" spend")]
        if len(parts) < 2 or "total_spend" in frame:
            return None
        frame["total_spend"] = frame[parts].sum(axis=1, min_count=1)
        bases["total_spend"] = "value"
        self.notes.append("Revenue figures use total spend: the sum of "
                          f"{', '.join(labels[c] for c in parts)} in the customer table.")
        return "total_spend"

    def _profile_frame(self) -> pd.DataFrame:
        from segkit.privacy import find_identifier_columns

        frame = self.features.frame
        ids = set(find_identifier_columns(frame))
        roles = self.inputs.customer_roles
        if roles is not None:
            ids |= set(getattr(roles, "identifiers", []) or [])
        keep = [c for c in frame.columns if c not in ids and not pd.api.types.is_datetime64_any_dtype(frame[c])]
        return frame[keep].drop(columns=list(_copies(frame[keep])))

    # -- value -----------------------------------------------------------------------------
    def value(self) -> pd.DataFrame | None:
        """Predicted customer lifetime value (BG/NBD + Gamma-Gamma) when a purchase log exists.

        The models learn from repeat purchases; when the log has too few (every customer bought
        once), there is no prediction and the report says why instead of failing.
        """
        from segkit.value import predict_clv

        if self.profile_ is None:
            self.profile()
        tx = self.inputs.transactions
        if tx is None:
            self.notes.append("No purchase log was given, so there is no predicted lifetime value.")
            return None
        with self.timer("value"):
            known = tx[["customer_id", "date", "amount"]]  # not the other columns of 10M lines, twice
            known = known[known["customer_id"].isin(self.labels.index).to_numpy(dtype=bool, na_value=False)]
            try:
                self.clv = predict_clv(known, customer_col="customer_id", date_col="date", amount_col="amount")
            except ModelError as err:
                days = known.groupby("customer_id")["date"].nunique()
                self.notes.append(f"There is no predicted lifetime value: the models could not be fitted ({err}); "
                                  f"{(days > 1).sum():,} of {len(days):,} customers bought on more than one day.")
                self.clv = None
        return self.clv

    # -- target ----------------------------------------------------------------------------
    def response_column(self) -> str | None:
        """The campaign column targeted on: the config's, else the last campaign column."""
        name = self.config["campaign"]["response"]
        cust = self.inputs.customers
        if name:
            if cust is None or name not in cust.columns:
                where = list(cust.columns) if cust is not None else []
                raise ColumnError(f"campaign.response: column {name!r} is not in the customer table (columns: {where})")
            return name
        roles = self.inputs.customer_roles
        campaigns = list(getattr(roles, "campaigns", []) or []) if roles is not None else []
        return campaigns[-1] if campaigns else None

    def target(self) -> pd.DataFrame | None:
        """Response per segment with intervals, expected profit, actions, attractiveness, A/B plan."""
        from segkit import target as tg

        if self.profile_ is None:
            self.profile()
        column = self.response_column()
        names = self.names["name"].to_dict()
        with self.timer("target"):
            if column is None:
                self.notes.append("No campaign response column was found, so there is no campaign targeting.")
            else:
                response = self.inputs.customers.set_index("customer_id")[column].reindex(self.labels.index)
                cost, revenue, known = self._economics(response)
                self.targeting = tg.targeting_table(
                    self.labels, response, names=names, cost_per_contact=cost, revenue_per_response=revenue,
                    min_cell_size=self.config["privacy"]["min_cell_size"],
                    source=self.inputs.quality["customers"].label,
                )
                if not known:
                    self.targeting[["expected_profit_per_contact", "expected_total_profit"]] = np.nan
                self.targeting.attrs["economics_known"] = known
                ab = self.config["ab_test"]
                rates = self.targeting.set_index("segment")["response_rate"]
                self.ab_plan = tg.ab_plan(self.labels, baseline_rates=rates, mde=ab["mde"], alpha=ab["alpha"],
                                          power=ab["power"], treatment_share=ab["treatment_share"])
            self.attractiveness = tg.attractiveness(
                self.profile_.summary, targeting=self.targeting, weights=self.config["attractiveness"]["weights"],
                scaling=self.config["attractiveness"]["scaling"],
            )
        return self.targeting

    def _economics(self, response: pd.Series) -> tuple[float, float, bool]:
        """Cost per contact and revenue per response, and whether they are known.

        They come from the config or from constant columns (``Z_CostContact``). Without
        them a segment's action compares its response rate with the overall rate (the
        break-even rate is set to it, as if a contact cost what the average response
        earns), expected profit is left empty, and a note says so.
        """
        from segkit import target as tg

        camp = self.config["campaign"]
        try:
            econ = tg.campaign_economics(self.inputs.customers, cost=camp["cost_per_contact"],
                                         revenue=camp["revenue_per_response"])
        except ConfigError:
            if camp["cost_per_contact"] is not None and camp["revenue_per_response"] is not None:
                raise
        else:
            return econ.cost_per_contact, econ.revenue_per_response, True
        rate = float(pd.to_numeric(response, errors="coerce").astype("float64").mean())
        rate = 0.0 if np.isnan(rate) else rate
        missing = [f"campaign.{k}" for k in ("cost_per_contact", "revenue_per_response") if camp[k] is None]
        self.notes.append(
            f"There is no expected profit because {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
            f"not set: segments responding clearly above the overall rate ({rate:.1%}) are recommended for "
            f"targeting, those clearly below it are not."
        )
        return rate, 1.0, False

    # -- outputs ---------------------------------------------------------------------------
    def segments_table(self) -> pd.DataFrame:
        """``segments.csv``: one row per customer with segment id, name and RFM segment."""
        out = pd.DataFrame({"customer_id": self._published_ids(self.labels.index), "segment": self.labels.to_numpy()})
        out["segment_name"] = out["segment"].map(self.names["name"])
        rfm = getattr(self.features, "rfm", None)
        if rfm is not None:
            out["rfm_segment"] = rfm["rfm_segment"].reindex(self.labels.index).to_numpy()
        return out

    def summary(self) -> dict[str, Any]:
        """Everything ``summary.json`` records about this run."""
        seg = self.segmenter
        sizes = self.labels.value_counts().sort_index()
        n = int(len(self.labels))
        unstable = set(seg.stability_.get("unstable", []))
        segments = [
            {
                "id": int(k),
                "name": str(self.names.loc[k, "name"]),
                "description": str(self.names.loc[k, "description"]),
                "size": int(sizes.get(k, 0)),
                "share": round(float(sizes.get(k, 0)) / n, 6),
                "stability": seg.stability_.get("per_segment", {}).get(int(k)),
                "stable": int(k) not in unstable,
            }
            for k in sorted(sizes.index)
        ]
        cleaning = getattr(self.features, "cleaning", None)
        return _plain({
            "title": self.config["title"],
            "n_customers": n,
            "n_segments": int(seg.n_segments_),
            "segments": segments,
            "algorithm": {"name": seg.algorithm_, "reason": getattr(seg, "algorithm_reason_", None)},
            "features": list(map(str, self.X.columns)),
            "k_selection": {
                "chosen": int(seg.n_segments_),
                "reasons": list(getattr(seg, "k_reasons_", [])),
                "scores": seg.k_selection_.reset_index().to_dict(orient="records")
                if getattr(seg, "k_selection_", None) is not None else [],
                "structure": getattr(seg, "structure_", None),
            },
            "stability": seg.stability_,
            "data_quality": {
                "inputs": {k: v.to_dict() for k, v in self.inputs.quality.items()},
                "cleaning": cleaning.to_dict() if cleaning is not None else [],
                "join": getattr(self.features, "join", None),
                "ids_generated": self.inputs.ids_generated,
                "warnings": self.data_warnings,
            },
            "inputs": self.inputs.sources,
            "config": self.public_config(),
            "seeds": {"segmentation.random_state": self.config["segmentation"]["random_state"]},
            "notes": self.notes,
            "previous_run": ({"folder": self.config.get("monitor", {}).get("previous"), **self.comparison.to_dict()}
                             if self.comparison is not None else None),
            # Quantiles and level shares of every profiled feature, so that a later run can
            # measure drift against this one (`segkit compare`); no bin under min_cell_size.
            "feature_reference": self.feature_reference(),
            "versions": _versions(),
            "timings": self.timer.seconds,
        })

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write the output contract files into ``out_dir`` (the report adds the HTML).

        ``model.skops`` is written here too, except inside a report kernel, whose runner
        writes it (see :mod:`segkit._handoff`).
        """
        from segkit.segment import save_segmenter

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        with self.timer("write"):
            paths = {"segments": out / "segments.csv", "profiles": out / "profiles.csv",
                     "summary": out / "summary.json", "model": out / "model.skops"}
            self.segments_table().to_csv(paths["segments"], index=False, lineterminator="\n")
            self.profile_.long.to_csv(paths["profiles"], index=False, lineterminator="\n", float_format="%.6g")
            if self.targeting is not None:
                paths["targeting"] = out / "targeting.csv"
                self.targeting.to_csv(paths["targeting"], index=False, lineterminator="\n", float_format="%.6g")
            roles = getattr(self, "feature_roles", None)
            snapshot = getattr(self.features, "snapshot_date", None)
            cleaning = getattr(self.features, "cleaning", None)
            metadata = _plain({
                "features": list(map(str, self.X.columns)),
                "names": self.names["name"].to_dict(),
                "config": self.public_config(),
                "source": "transactions" if self.inputs.transactions is not None else "customers",
                # the inputs the model's features come from: scoring needs those, and only those
                "tables": self._model_inputs(),
                # so that scoring reads new data as this run read its own, whatever the batch holds
                "roles": {g: list(getattr(roles, g)) for g in GROUP_ROLES} if roles is not None else None,
                "snapshot_date": str(pd.Timestamp(snapshot).date()) if snapshot is not None else None,
                # the limits this run's customer-table cleaning computed (income fence, ...), for the batch
                "cleaning_thresholds": (dict(cleaning.thresholds) or None) if cleaning is not None else None,
                "levels": {str(c): sorted(map(str, self.X[c].dropna().unique())) for c in self.X.columns
                           if not (pd.api.types.is_numeric_dtype(self.X[c]) or pd.api.types.is_bool_dtype(self.X[c])
                                   or pd.api.types.is_datetime64_any_dtype(self.X[c]))},
            })
            if os.environ.get(MODEL_HANDOFF_ENV) == "1":
                import pickle

                with open(out / MODEL_HANDOFF_FILE, "wb") as fh:
                    pickle.dump((self.segmenter, metadata), fh, protocol=pickle.HIGHEST_PROTOCOL)
            else:
                save_segmenter(self.segmenter, paths["model"], metadata=metadata)
        paths["summary"].write_text(json.dumps(self.summary(), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                                    encoding="utf-8")
        return paths


# ----------------------------------------------------------------------------- scoring

def score(model_path: str | Path, data: str | Path | pd.DataFrame,
          transactions: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Assign new customers to the segments of a saved model (``segkit score``).

    ``data`` is read like the model's training input: a customer table when the model was
    fitted on customer columns, a purchase log when it was fitted on purchase features. A
    model fitted on both takes the customer table as ``data`` and the purchase log as
    ``transactions`` (``--transactions LOG``), and scores the customers of either, as the
    report did.

    A customer's segment does not depend on who else is in the batch: columns keep the
    roles they had when the model was fitted (a column with one value in the batch, or a
    batch of one customer, is still a feature), the customer table is cleaned with the
    limits the report's run computed (its income fence, the columns it let be negative, its
    reference year for birth years and ages), categories keep the model's levels (a level
    the model pooled as ``Other`` is ``Other`` again; rare levels of the batch are not
    pooled), a purchase log is summarised as of the later of the model's snapshot date and
    the day after the batch's last purchase, and revenue shares use the model's values.
    Models written before the limits were kept are cleaned with the batch's own limits.
    """
    from segkit.features import build_features
    from segkit.segment import load_segmenter

    segmenter, meta = load_segmenter(model_path)
    config = meta.get("config") or load_config(None)
    label = _score_label(data)
    kind = meta.get("source", "customers")
    tables = _model_tables(meta)
    _check_score_inputs(tables, label, transactions)
    wanted = list(meta.get("features", []))
    customers = roles = log = raw = None
    if "customers" in tables:
        raw = sio.read_table(data, label=label)
        given = _given_roles(config, "customers", raw.columns, both=True)
        if meta.get("roles"):
            _check_score_columns(raw, meta, label, wanted)
            present = set(map(str, raw.columns))
            given.update({g: [c for c in cols if str(c) in present] for g, cols in meta["roles"].items()})
        roles = sio.detect_roles(raw, kind="customers", given=given)
        customers = sio.standardise_customers(raw, roles, label=label)
    snapshot = None
    if "transactions" in tables:
        source = transactions if customers is not None else data
        log_label = _score_label(source)
        raw_log = sio.read_table(source, label=log_label)
        log_roles = sio.detect_roles(raw_log, kind="transactions",
                                     given=_given_roles(config, "transactions", raw_log.columns, both=True))
        log = _standardise_log(raw_log, log_roles, log_label)
        snapshot = config["cleaning"]["snapshot_date"] or meta.get("snapshot_date")
        last = log["date"].max()
        if pd.notna(last) and (snapshot is None or pd.Timestamp(last) >= pd.Timestamp(snapshot)):
            snapshot = None  # later data: as of the day after its last purchase
    thresholds = meta.get("cleaning_thresholds") or None
    # the model's levels decide what is pooled, not the batch's rare levels (older models: as before)
    rare_share = 0.0 if meta.get("levels") is not None else 0.02
    features = build_features(customers=customers, transactions=log, roles=roles, snapshot_date=snapshot,
                              top_n=_ALL_SHARE_VALUES, drop_duplicates=config["cleaning"]["drop_duplicates"],
                              rare_share=rare_share, customer_thresholds=thresholds,
                              reference_year=(thresholds or {}).get("reference_year"))
    frame = _model_shares(features.frame, wanted) if log is not None else features.frame
    missing = [f for f in wanted if f not in frame.columns]
    if missing:
        fitted = " and ".join(f"a {'customer table' if t == 'customers' else 'purchase log'}" for t in tables)
        raise ModelError(f"{label}: cannot build the model's features {missing} from this data "
                         f"(the model was fitted on {fitted})")
    X = frame[wanted].copy()
    if raw is not None and meta.get("roles"):
        gaps = {c: int(n) for c, n in X.isna().sum().items() if n and c in raw.columns}
        if gaps:
            listed = ", ".join(f"{c!r} for {n:,}" for c, n in gaps.items())
            warnings.warn(f"{label}: values missing in {listed} of the {len(X):,} customers (blank, or set to "
                          "missing by the report's cleaning rules); the model fills them in as it did when fitted "
                          "(median or most common value)", SegkitWarning, stacklevel=2)
    for column, levels in (meta.get("levels") or {}).items():
        if column not in X or column in getattr(segmenter, "ordinal_features_", {}):
            continue  # ordered levels: the segmenter matches them ignoring case and spaces, and warns itself
        text = X[column].astype("string")
        unseen = text.notna() & ~text.isin(levels)
        if "Other" in levels:  # the levels the model pooled as rare
            X[column] = text.where(~unseen, "Other")
        elif unseen.any():
            warnings.warn(f"{label}: column {column!r} has {int(unseen.sum()):,} customers with a level the model "
                          f"has not seen (e.g. {text[unseen].iloc[0]!r}; it knows {levels[:10]}); they are placed "
                          "by their other features", SegkitWarning, stacklevel=2)
    labels = segmenter.predict(X)
    names = {int(k): v for k, v in (meta.get("names") or {}).items()}
    out = pd.DataFrame({"customer_id": X.index.astype(str), "segment": labels})
    out["segment_name"] = out["segment"].map(names)
    return out


def _score_label(data: str | Path | pd.DataFrame) -> str:
    return Path(str(data)).name if not isinstance(data, pd.DataFrame) else "data"


def _model_tables(meta: Mapping[str, Any]) -> list[str]:
    """The inputs a model was fitted on: ``customers``, ``transactions`` or both.

    Models written before ``tables`` was kept say it through their roles: only a run with a
    customer table has them, so a purchase-log model with roles was fitted on both.
    """
    if meta.get("tables"):
        return list(meta["tables"])
    kind = meta.get("source", "customers")
    return ["customers", "transactions"] if kind == "transactions" and meta.get("roles") else [kind]


def _check_score_inputs(tables: list[str], label: str, transactions: Any) -> None:
    """The model's inputs, no more and no less: say what to add or leave out."""
    if len(tables) == 2 and transactions is None:
        raise ModelError(f"{label}: the model was fitted on a customer table and a purchase log, so it needs both; "
                         "give the customer table as DATA and add the purchase log with --transactions LOG "
                         "(segkit score MODEL CUSTOMERS --transactions LOG --out FILE; in Python "
                         "score(model, customers, transactions=log))")
    if len(tables) == 1 and transactions is not None:
        what = "a customer table" if tables == ["customers"] else "a purchase log"
        fix = "leave out --transactions" if tables == ["customers"] else \
            "give the purchase log as DATA and leave out --transactions"
        raise ModelError(f"{_score_label(transactions)}: the model was fitted on {what} alone, without a purchase "
                         f"log beside it; {fix}")


#: Scoring gives every value of a share column its own column, then folds them into the model's.
_ALL_SHARE_VALUES = 1000


def _check_score_columns(raw: pd.DataFrame, meta: Mapping[str, Any], label: str, wanted: list) -> None:
    """The model's features that are columns of a customer table must be in the new table, as numbers
    when the model took them as numbers."""
    roles = meta.get("roles") or {}
    used = {str(c) for cols in roles.values() for c in cols}
    columns = [str(c) for c in raw.columns]
    for feature in wanted:
        if feature not in used or feature in columns:
            continue
        close = difflib.get_close_matches(feature, columns, n=1, cutoff=0.6)
        folded = [c for c in columns if re.sub(r"[\W_]+", "", c).lower() == re.sub(r"[\W_]+", "", feature).lower()]
        hint = f"; did you mean {(folded or close)[0]!r}?" if folded or close else f" (columns: {columns[:20]})"
        raise ColumnError(f"{label}: column {feature!r}, which the model segments on, is missing{hint}")
    text_levels = meta.get("levels") or {}
    for feature in wanted:
        if feature not in columns or feature in text_levels:
            continue
        values = raw[feature]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        text = values.astype("string").str.strip()
        numbers = pd.to_numeric(text, errors="coerce")
        # yes/no answers are numbers too: features turn them into 0/1, as they did for the model
        answers = text.str.lower().isin(list(FLAG_VALUES)).fillna(False)
        bad = values.notna() & numbers.isna() & ~answers & text.ne("").fillna(False)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            n = int(bad.sum())
            what = "value that is not a number" if n == 1 else "values that are not numbers"
            raise DataError(f"{label}: column {feature!r} has {n} {what} (e.g. {values.iloc[row]!r} at row {row + 1}); "
                            "the model segments on it as a number")


def _model_shares(frame: pd.DataFrame, wanted: list) -> pd.DataFrame:
    """Revenue-share features named as the model has them.

    The batch has a column for each of its values (:data:`_ALL_SHARE_VALUES`); a value the
    model has a column for and the batch lacks is a share of 0, and the values the model
    pooled into ``share_<column>_other`` are summed into it.
    """
    out = frame.copy()
    shares = [c for c in frame.columns if str(c).startswith("share_")]
    for feature in wanted:
        match = re.match(r"share_(channel|category|country)_", feature)
        other = feature == f"{match.group(0)}other" if match else False
        if match is None or (feature in frame.columns and not other):
            continue
        family = [c for c in shares if str(c).startswith(match.group(0))]
        if not family:
            continue  # the log has no such column: reported with the other missing features
        known = frame[family].notna().any(axis=1)
        pooled = [c for c in family if c not in wanted or c == feature] if other else []
        out[feature] = (frame[pooled].sum(axis=1) if pooled else pd.Series(0.0, index=frame.index)).where(known)
    return out
