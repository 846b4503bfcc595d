"""One call from raw inputs to the customer feature table: clean, compute, join, tag, score."""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from segkit.exceptions import ColumnError, ConfigError
from segkit.features.clean.customers import clean_customers
from segkit.features.clean.log import CleaningLog
from segkit.features.clean.transactions import clean_transactions
from segkit.features.customers import customer_features, feature_kinds
from segkit.features.rfm import rfm_scores
from segkit.features.transactions import REQUIRED_COLUMNS, _source_sql, default_snapshot, transaction_features
from segkit.io.purchase_log import PurchaseLog, PurchaseLogWriter, bucket_count, release_arrow_memory
from segkit.io.weights import effective_size
from segkit.schema import BASES, TRANSACTION_BASES, basis_name, log_basis

__all__ = ["FeatureTable", "build_features", "TRANSACTION_BASES"]


@dataclass
class FeatureTable:
    """The customer feature table with its bases, cleaning log, join report and RFM.

    Attributes
    ----------
    frame : DataFrame
        One row per customer, indexed by ``customer_id``.
    bases : dict
        ``{column: basis}``.
    cleaning : CleaningLog
        What the cleaning rules did (purchase log first, then customer table).
    join : dict
        ``{"customers_only": n, "transactions_only": n, "both": n}`` (counts of customers
        in only the customer table, only the purchase log, both); empty with one input.
    rfm : DataFrame or None
        ``r_score, f_score, m_score, rfm_segment`` for customers with purchases.
    snapshot_date : Timestamp or None
    kinds : dict
        ``{column: kind}``: what each feature's values are (:func:`feature_kinds`): ``flag``
        columns are 0/1 answers shown as shares, ``code`` and ``ordinal`` columns categories.

    Examples
    --------
    >>> ft = FeatureTable(frame=pd.DataFrame({"Income": [1.0], "age": [30.0]},
    ...                   index=pd.Index(["1"], name="customer_id")),
    ...                   bases={"Income": "demographic", "age": "demographic"})
    >>> ft.select(features=["age"]).columns.tolist()
    ['age']
    >>> ft.select(features=["Incme"])
    Traceback (most recent call last):
    ...
    segkit.exceptions.ColumnError: feature 'Incme' is not in the feature table; close matches: ['Income']
    """

    frame: pd.DataFrame
    bases: dict[str, str]
    cleaning: CleaningLog = field(default_factory=CleaningLog)
    join: dict[str, int] = field(default_factory=dict)
    rfm: pd.DataFrame | None = None
    snapshot_date: pd.Timestamp | None = None
    #: The columns computed from the purchase log (the rest come from the customer table).
    log_columns: tuple[str, ...] = ()
    kinds: dict[str, str] = field(default_factory=dict)
    #: Each customer's survey weight (``survey.weight``), aligned to ``frame``; None when unweighted.
    #: Profiles, outcomes, targeting and the k-means fit read it from here, and nowhere else.
    weights: pd.Series | None = None
    #: Every customer on another engine (``engine: spark``: a :class:`segkit.spark.customers.SparkCustomers`),
    #: when this table is the sample the driver fits on; None on one machine.
    engine: object = None

    def with_weights(self, weights: pd.Series | None) -> FeatureTable:
        """This table with ``weights`` (indexed by customer id) aligned to its rows; a customer
        without one (in the purchase log only) weighs 0. Returns self.

        >>> ft = FeatureTable(frame=pd.DataFrame({"x": [1.0, 2.0]}, index=pd.Index(["a", "b"], name="customer_id")),
        ...                   bases={"x": "behavioural"})
        >>> ft.with_weights(pd.Series([2.0], index=["b"])).weights.tolist()
        [0.0, 2.0]
        """
        if weights is not None:
            aligned = weights.set_axis(weights.index.astype("string")).reindex(self.frame.index.astype("string"))
            self.weights = pd.Series(aligned.fillna(0.0).to_numpy(dtype=float), index=self.frame.index, name="weight")
        return self

    def select(
        self,
        basis: str | Sequence[str] | None = None,
        features: str | Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Columns for clustering: by basis (groups) and/or by exact feature name.

        Parameters
        ----------
        basis : str or list of str, optional
            Bases to include (``"behavioural"``, ``"value"``, ...; config spellings such as
            ``"behaviour"`` and ``"demographics"`` work). Date columns are left out of a
            basis selection (they are kept in :attr:`frame` for profiles).
        features : str or list of str, optional
            Exact column names, added to the basis selection.

        Returns
        -------
        DataFrame
            The selected columns in table order. With neither argument, every non-date
            column.

        Raises
        ------
        ColumnError
            A feature name is not in the table (the message lists close matches).
        ConfigError
            A basis name is unknown.
        """
        if isinstance(basis, str):
            basis = [basis]
        if isinstance(features, str):
            features = [features]
        wanted_bases = None if basis is None else {basis_name(b) for b in basis}
        wanted = set()
        for name in features or []:
            if name not in self.frame.columns:
                close = difflib.get_close_matches(str(name), [str(c) for c in self.frame.columns], n=3, cutoff=0.5)
                raise ColumnError(f"feature {name!r} is not in the feature table; close matches: {close}")
            wanted.add(name)
        if wanted_bases is not None or features is None:
            for col in self.frame.columns:
                if pd.api.types.is_datetime64_any_dtype(self.frame[col]):
                    continue
                if wanted_bases is None or self.bases.get(col) in wanted_bases:
                    wanted.add(col)
        return self.frame[[c for c in self.frame.columns if c in wanted]]

    def basis_columns(self) -> dict[str, list[str]]:
        """``{basis: [columns]}`` for the bases present, in :data:`BASES` order."""
        out: dict[str, list[str]] = {}
        for basis in BASES:
            cols = [c for c in self.frame.columns if self.bases.get(c) == basis]
            if cols:
                out[basis] = cols
        return out

    def __repr__(self) -> str:
        n, k = self.frame.shape
        groups = ", ".join(f"{b} {len(c)}" for b, c in self.basis_columns().items())
        lines = [f"FeatureTable({n:,} customers x {k} features)", f"  bases: {groups or 'none'}"]
        if self.snapshot_date is not None:
            lines.append(f"  snapshot: {pd.Timestamp(self.snapshot_date).date()}")
        if self.join:
            lines.append("  join: " + ", ".join(f"{key} {val:,}" for key, val in self.join.items()))
        if self.rfm is not None:
            top = self.rfm["rfm_segment"].value_counts().head(3)
            more = ", ..." if self.rfm["rfm_segment"].nunique() > 3 else ""
            lines.append("  rfm: " + ", ".join(f"{s} {c:,}" for s, c in top.items()) + more)
        if self.weights is not None:
            lines.append(f"  weights: sum {float(self.weights.sum()):,.4g}, effective sample size "
                         f"{effective_size(self.weights):,.1f}")
        lines.append(f"  cleaning: {len(self.cleaning)} rules, {self.cleaning.rows_dropped:,} rows dropped")
        return "\n".join(lines)


def _load_log(transactions) -> pd.DataFrame:
    """Read a Parquet/CSV purchase log (already standardised) into pandas with DuckDB."""
    con = duckdb.connect()
    try:
        frame = con.sql(f"SELECT * FROM {_source_sql(transactions)}").to_arrow_table().to_pandas()
    finally:
        con.close()
    for col in ("customer_id", "invoice"):
        if col in frame:
            frame[col] = frame[col].astype("string")
    return frame


def build_features(
    *,
    customers: pd.DataFrame | None = None,
    transactions: pd.DataFrame | PurchaseLog | str | os.PathLike | None = None,
    roles: object = None,
    snapshot_date: datetime | date | str | pd.Timestamp | None = None,
    drop_duplicates: bool = True,
    clean: bool = True,
    transaction_rules: dict[str, str] | None = None,
    customer_rules: dict[str, str] | None = None,
    customer_thresholds: dict | None = None,
    share_columns: Iterable[str] = ("channel", "category", "country"),
    top_n: int = 5,
    reference_year: int | None = None,
    rare_share: float = 0.02,
    rfm: bool = True,
    rfm_segments=None,
) -> FeatureTable:
    """Clean the inputs and build one customer feature table.

    Parameters
    ----------
    customers : DataFrame, optional
        Standardised customer table.
    transactions : DataFrame, PurchaseLog or path, optional
        Standardised purchase log, or a Parquet/CSV file/glob of one. A
        :class:`~segkit.io.PurchaseLog` on disk is cleaned one bucket of orders at a time
        and its features computed by DuckDB over the cleaned parts; it never is one frame.
    roles : object, optional
        Column roles of the customer table (see :func:`customer_features`); needed with
        ``customers``.
    snapshot_date : date-like, optional
        Default: the day after the last purchase (purchase log); ages are computed at its
        year (the current year without a log).
    drop_duplicates : bool
        Drop exact duplicate purchase-log lines (False for logs like CDNOW where repeated
        lines are real purchases).
    clean : bool
        Apply the cleaning rules (logged in :attr:`FeatureTable.cleaning`).
    transaction_rules, customer_rules : dict, optional
        Action overrides for :func:`clean_transactions` / :func:`clean_customers`.
    customer_thresholds : dict, optional
        Limits of the customer-table rules from an earlier run (its
        ``FeatureTable.cleaning.thresholds``), used instead of limits computed on
        ``customers``, so that new customers are cleaned as that run's were (``segkit score``).
    share_columns, top_n
        Passed to :func:`transaction_features`.
    reference_year : int, optional
        Year for ages; overrides the snapshot year.
    rare_share : float
        Categorical levels below this share are grouped as ``Other``.
    rfm : bool
        Compute RFM scores and segments (purchase log only).
    rfm_segments : DataFrame or list of dict, optional
        Segment rules for :func:`rfm_scores`.

    Returns
    -------
    FeatureTable
        Customers of both inputs (outer join): purchase-log features are missing for
        customers without purchases except ``frequency`` and ``monetary``, which are 0.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "customer_id": pd.array(["1", "1", "2", None], dtype="string"),
    ...     "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-15", "2024-01-20"]),
    ...     "amount": [20.0, 30.0, 12.0, 5.0],
    ...     "invoice": pd.array(["a", "b", "c", "d"], dtype="string")})
    >>> ft = build_features(transactions=log)
    >>> ft.frame["monetary"].tolist(), ft.cleaning["missing_customer_id"].rows
    ([50.0, 12.0], 1)
    >>> ft.select(basis="value").columns.tolist()
    ['monetary', 'avg_order_value']
    """
    if customers is None and transactions is None:
        raise ConfigError("build_features needs customers, transactions or both; got neither")
    if customers is not None and roles is None:
        raise ConfigError("build_features: customers were given without roles; pass the column roles (segkit.io)")
    log = CleaningLog()
    bases: dict[str, str] = {}
    rfm_table = None
    snapshot = None if snapshot_date is None else pd.Timestamp(snapshot_date)
    trans_features = None
    if transactions is not None:
        trans_features, snapshot, tlog = _log_features(
            transactions, snapshot, clean=clean, drop_duplicates=drop_duplicates, rules=transaction_rules,
            share_columns=share_columns, top_n=top_n,
        )
        if tlog is not None:
            log = log + tlog
        bases.update({c: log_basis(c) for c in trans_features.columns})
        if rfm:
            rfm_table = rfm_scores(trans_features, segments=rfm_segments)
    cust_features = None
    if customers is not None:
        year = reference_year or (snapshot.year if snapshot is not None else None)
        cust_features, cbases, clog = _table_features(
            customers, roles, year=year, snapshot=snapshot, clean=clean, rules=customer_rules,
            thresholds=customer_thresholds, rare_share=rare_share,
        )
        if clog is not None:
            log = log + clog
        for col, basis in cbases.items():
            if col in bases:  # a customer-table column named like a log feature: the log wins
                continue
            bases[col] = basis
    frame, join = _join(cust_features, trans_features)
    bases = {c: bases[c] for c in frame.columns}
    log_columns = tuple(map(str, trans_features.columns)) if trans_features is not None else ()
    return FeatureTable(frame=frame, bases=bases, cleaning=log, join=join, rfm=rfm_table, snapshot_date=snapshot,
                        log_columns=log_columns, kinds=feature_kinds(frame, roles if customers is not None else None))


def _log_features(transactions, snapshot: pd.Timestamp | None, *, clean: bool, drop_duplicates: bool,
                  rules: dict[str, str] | None, share_columns: Iterable[str],
                  top_n: int) -> tuple[pd.DataFrame, pd.Timestamp | None, CleaningLog | None]:
    """The purchase log's features (cleaned first with ``clean``), the snapshot date they are as of, and
    the cleaning log (None without cleaning)."""
    if isinstance(transactions, PurchaseLog):
        if not transactions.in_memory:
            return _stored_log_features(transactions, snapshot, clean=clean, drop_duplicates=drop_duplicates,
                                        rules=rules, share_columns=share_columns, top_n=top_n)
        transactions = transactions.frame
    cleaning = None
    if clean:
        data = transactions if isinstance(transactions, pd.DataFrame) else _load_log(transactions)
        if snapshot is None:
            last = data["date"].max()
            snapshot = default_snapshot(last) if pd.notna(last) else None
        data, cleaning = clean_transactions(data, drop_duplicates=drop_duplicates, rules=rules, snapshot_date=snapshot)
    else:
        data = transactions
    features = transaction_features(data, snapshot_date=snapshot, share_columns=tuple(share_columns), top_n=top_n)
    if "snapshot_date" in features.attrs:
        snapshot = pd.Timestamp(features.attrs["snapshot_date"])
    return features, snapshot, cleaning


#: DuckDB's memory for the feature query over a log on disk: at 10M lines / 1M customers the query
#: peaked 600 MB lower with this limit than without, for 20% more CPU (benchmarks/results/report.md).
#: The value stage's summaries of a log on disk (segkit.value.periods) run within it too.
STORED_LOG_MEMORY = "500MB"


def _stored_log_features(log: PurchaseLog, snapshot: pd.Timestamp | None, *, clean: bool, drop_duplicates: bool,
                         rules: dict[str, str] | None, share_columns: Iterable[str],
                         top_n: int) -> tuple[pd.DataFrame, pd.Timestamp | None, CleaningLog | None]:
    """:func:`_log_features` of a log on disk: cleaned one bucket at a time by the same rules
    (every copy of a line is in one bucket, and so is every line of an order when cleaning needs
    them: :func:`~segkit.io.log_bucketing`), the cleaned lines written to Parquet in buckets by
    customer, and the feature query run by DuckDB on one bucket at a time. A log bucketed by
    customer keeps its buckets: each cleaned bucket is written as it is."""
    cleaning = None
    folder = Path(tempfile.mkdtemp(prefix="segkit-clean-"))
    try:
        if clean:
            if snapshot is None:
                last = log.date_range()[1]
                snapshot = default_snapshot(last) if pd.notna(last) else None
            has_price = "price" in log.columns and _has_prices(log)
            logs = []
            wanted = [*REQUIRED_COLUMNS, "invoice", *share_columns]  # what the feature query reads
            # the cleaned lines go into buckets by customer: the feature query then runs a bucket at a time
            kept_buckets = log.by == "customer"
            n_buckets = len(log.bucket_sql()) if kept_buckets else bucket_count(len(log))
            with PurchaseLogWriter(log.label, folder=folder / "cleaned", by="customer", buckets=n_buckets) as writer:
                for i, bucket in enumerate(log.buckets()):
                    kept, part_log = clean_transactions(bucket, drop_duplicates=drop_duplicates, rules=rules,
                                                        snapshot_date=snapshot, has_price=has_price,
                                                        source=log.label, columns=wanted)
                    logs.append(part_log)
                    writer.write(kept, bucket=i if kept_buckets else None)
                source = writer.close() if writer.rows else kept  # nothing kept: the query says the log is empty
            cleaning = CleaningLog.summed(logs)
        else:
            source = log.folder
        features = transaction_features(source, snapshot_date=snapshot, share_columns=tuple(share_columns),
                                        top_n=top_n, source=log.label, memory_limit=STORED_LOG_MEMORY,
                                        temp_directory=folder / "spill")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        release_arrow_memory()
    if "snapshot_date" in features.attrs:
        snapshot = pd.Timestamp(features.attrs["snapshot_date"])
    return features, snapshot, cleaning


def _has_prices(log: PurchaseLog) -> bool:
    """Whether any line of a log on disk has a unit price."""
    con = duckdb.connect()
    try:
        log.register(con)
        return bool(con.execute("SELECT COUNT(price) > 0 FROM log").fetchone()[0])
    finally:
        con.close()


def _table_features(customers: pd.DataFrame, roles: object, *, year: int | None, snapshot: pd.Timestamp | None,
                    clean: bool, rules: dict[str, str] | None, thresholds: dict | None,
                    rare_share: float) -> tuple[pd.DataFrame, dict[str, str], CleaningLog | None]:
    """The customer table's features (cleaned first with ``clean``), their bases, and the cleaning log
    (None without cleaning)."""
    cleaning = None
    if clean:
        customers, cleaning = clean_customers(customers, roles, rules=rules, reference_year=year, thresholds=thresholds)
    features, bases = customer_features(customers, roles, reference_year=year, reference_date=snapshot,
                                        rare_share=rare_share, clean=False)
    return features, bases, cleaning


def _join(cust_features: pd.DataFrame | None,
          trans_features: pd.DataFrame | None) -> tuple[pd.DataFrame, dict[str, int]]:
    """One table of the customers of both inputs (outer join; a log feature wins over a table column of its
    name), and how many customers are in one input only or in both (empty with one input)."""
    if trans_features is None or cust_features is None:
        return (trans_features if trans_features is not None else cust_features), {}
    a, b = cust_features.index, trans_features.index
    join = {
        "customers_only": int((~a.isin(b)).sum()),
        "transactions_only": int((~b.isin(a)).sum()),
        "both": int(a.isin(b).sum()),
    }
    cust_features = cust_features.drop(columns=[c for c in cust_features if c in trans_features])
    frame = cust_features.join(trans_features, how="outer")
    for col in ("frequency", "monetary"):
        frame[col] = frame[col].fillna(0).astype(trans_features[col].dtype)
    frame = frame.sort_index()
    frame.index = frame.index.astype("string")
    frame.index.name = "customer_id"
    return frame, join
