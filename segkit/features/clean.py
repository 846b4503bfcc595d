"""Cleaning with a log: documented, configurable rules for purchase logs and customer tables.

Every rule is data (:data:`TRANSACTION_RULES`, :data:`CUSTOMER_RULES`): a name, a default
action and a sentence saying what it does. The functions apply the rules in that order and
return the cleaned frame with a :class:`CleaningLog` of what each rule touched (rows and,
for purchase logs, revenue), which the report shows and ``summary.json`` stores under
``data_quality``.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from segkit.exceptions import ColumnError, ConfigError
from segkit.io import duplicated_rows

__all__ = [
    "CleaningEntry",
    "CleaningLog",
    "TRANSACTION_RULES",
    "CUSTOMER_RULES",
    "clean_transactions",
    "clean_customers",
]

#: Purchase-log rules in the order they are applied: ``{rule: (default action, what it does)}``.
#: ``cancellations`` and ``negative_quantities`` only flag lines by default (they stay, as
#: negative revenue) and are counted on the input as given; each later rule counts what it
#: finds in the lines the previous rules left. ``refunds`` applies only to a log with a
#: ``refunded`` column (a refunded amount beside the paid one, as Stripe's ``Amount Refunded``)
#: and comes last, so a refund follows its line whatever the earlier rules did with it.
TRANSACTION_RULES: dict[str, tuple[str, str]] = {
    "cancellations": (
        "net",
        "cancellation invoices ('C' + digits) are kept as negative revenue so they net against "
        "the purchases they cancel",
    ),
    "negative_quantities": (
        "net",
        "other lines with a negative quantity or amount (returns, corrections) are kept as "
        "negative revenue",
    ),
    "missing_customer_id": (
        "drop",
        "lines without a customer id cannot be attributed; excluded from customer features, "
        "counted here with their revenue",
    ),
    "missing_date": ("drop", "lines without a date"),
    "missing_amount": ("drop", "lines without an amount"),
    "duplicates": (
        "drop",
        "exact duplicate lines (every column equal) are dropped, keeping the first; set "
        "drop_duplicates=False when repeated lines are real purchases (CDNOW)",
    ),
    "adjustments": ("drop", "adjustment invoices ('A' + digits, e.g. bad-debt write-offs) are not purchases"),
    "negative_prices": ("drop", "lines with a negative unit price"),
    "zero_prices": (
        "keep",
        "lines with a zero price (or zero amount when the log has no price) add no revenue and do "
        "not count as purchases; kept so that a customer with only such lines stays in the table",
    ),
    "future_dates": ("drop", "lines dated on or after the snapshot date (after today when no snapshot is given)"),
    "refunds": (
        "net",
        "amounts refunded on a line (a refunded-amount column such as Stripe's 'Amount Refunded') are "
        "subtracted: each becomes a negative line of the same order, at most what the order was paid, so a "
        "line of 50 with 20 refunded counts 30 and a fully refunded one counts 0 and as a return; 'keep' "
        "leaves revenue as paid",
    ),
}

#: Customer-table rules in the order they are applied.
CUSTOMER_RULES: dict[str, tuple[str, str]] = {
    "missing_customer_id": ("drop", "rows without a customer id"),
    "duplicate_customers": ("drop", "repeated customer ids: the first row is kept"),
    "impossible_birth_years": (
        "missing",
        "birth years (or birth dates) before min_birth_year (1900) or after the reference year are set to missing",
    ),
    "impossible_ages": (
        "missing",
        "ages below 1 or above max_age (120) in an age column (Age, customer_age) are set to missing",
    ),
    "income_outliers": (
        "missing",
        "values above Q3 + 3 x IQR of log(1 + value) (e.g. Income 666666) are set to missing; "
        "'cap' caps them at that fence instead",
    ),
    "negative_values": (
        "missing",
        "negative values in count, spend and income columns are set to missing; columns that may be negative "
        "(a balance, profit, change or score, or one with at least 5% negative values) are left as they are",
    ),
}

#: Invoice numbers of cancellations ("C536379") and adjustments ("A563185"): the letter then
#: digits, so an invoice code that merely starts with the letter ("CUST-1") is not caught.
CANCELLATION_PATTERN = r"[Cc][-_ ]?\d+"
ADJUSTMENT_PATTERN = r"[Aa][-_ ]?\d+"

_ACTIONS = {
    "cancellations": ("net", "drop"),
    "negative_quantities": ("net", "drop"),
    "refunds": ("net", "keep"),
    "missing_customer_id": ("drop",),
    "missing_date": ("drop",),
    "missing_amount": ("drop",),
    "impossible_birth_years": ("missing", "keep"),
    "impossible_ages": ("missing", "keep"),
    "income_outliers": ("missing", "cap", "keep"),
    "negative_values": ("missing", "keep"),
    "duplicate_customers": ("drop",),
}

_ACTION_WORDS = {"drop": "dropped", "net": "netted", "keep": "kept", "missing": "set to missing", "cap": "capped"}


@dataclass(frozen=True)
class CleaningEntry:
    """One applied rule: what it did to how many rows and how much revenue."""

    rule: str
    action: str
    description: str
    rows: int
    revenue: float | None = None
    column: str | None = None


class CleaningLog:
    """What the cleaning rules did, one entry per rule, in the order applied.

    Parameters
    ----------
    entries : iterable of CleaningEntry, optional
    thresholds : dict, optional
        The limits the data-dependent rules computed from the table they cleaned (see
        :func:`clean_customers`), so that a later batch can be cleaned with the same ones.

    Examples
    --------
    >>> log = CleaningLog()
    >>> log.add("duplicates", "dropped", "exact duplicate lines", rows=2, revenue=15.5)
    >>> log.rows_dropped, log.to_dict()["entries"][0]["revenue"]
    (2, 15.5)
    >>> log
    CleaningLog(1 rule, 2 rows dropped, revenue 15.50 dropped)
      duplicates: dropped 2 rows (revenue 15.50) -- exact duplicate lines
    """

    def __init__(self, entries: Iterable[CleaningEntry] = (), thresholds: Mapping | None = None):
        self.entries: list[CleaningEntry] = list(entries)
        self.thresholds: dict = dict(thresholds or {})

    def add(
        self,
        rule: str,
        action: str,
        description: str,
        *,
        rows: int,
        revenue: float | None = None,
        column: str | None = None,
    ) -> None:
        """Append an entry (revenue NaN or None means "not applicable")."""
        if revenue is not None and (isinstance(revenue, float) and math.isnan(revenue)):
            revenue = None
        self.entries.append(
            CleaningEntry(
                rule=str(rule),
                action=str(action),
                description=str(description),
                rows=int(rows),
                revenue=None if revenue is None else round(float(revenue), 2),
                column=column,
            )
        )

    def __iter__(self) -> Iterator[CleaningEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __add__(self, other: CleaningLog) -> CleaningLog:
        return CleaningLog([*self.entries, *other.entries], {**self.thresholds, **other.thresholds})

    def __getitem__(self, rule: str) -> CleaningEntry:
        """The first entry for ``rule``."""
        for entry in self.entries:
            if entry.rule == rule:
                return entry
        raise KeyError(f"no cleaning entry for rule {rule!r}; rules: {[e.rule for e in self.entries]}")

    @property
    def rows_dropped(self) -> int:
        """Rows removed by all rules together."""
        return sum(e.rows for e in self.entries if e.action == "dropped")

    @property
    def revenue_dropped(self) -> float:
        """Revenue of the removed rows."""
        return round(sum(e.revenue or 0.0 for e in self.entries if e.action == "dropped"), 2)

    def to_frame(self, *, changed_only: bool = False) -> pd.DataFrame:
        """One row per entry: rule, action, column, rows, revenue, description.

        With ``changed_only``, only the entries that affected at least one row.

        Examples
        --------
        >>> log = CleaningLog()
        >>> log.add("duplicates", "dropped", "exact duplicate lines", rows=2)
        >>> log.add("future_dates", "dropped", "dates after the snapshot", rows=0)
        >>> log.to_frame(changed_only=True)["rule"].tolist()
        ['duplicates']
        """
        cols = ["rule", "action", "column", "rows", "revenue", "description"]
        frame = pd.DataFrame([asdict(e) for e in self.entries], columns=cols)
        frame["rows"] = frame["rows"].astype("int64")
        frame["revenue"] = frame["revenue"].astype("float64")
        if changed_only:
            frame = frame[frame["rows"] > 0].reset_index(drop=True)
        return frame

    def to_dict(self) -> dict:
        """Plain, JSON-serialisable form: ``entries`` plus totals, and ``thresholds`` when any."""
        out = {
            "entries": [asdict(e) for e in self.entries],
            "rows_dropped": int(self.rows_dropped),
            "revenue_dropped": float(self.revenue_dropped),
        }
        if self.thresholds:
            out["thresholds"] = self.thresholds
        return out

    def __repr__(self) -> str:
        n = len(self.entries)
        head = f"CleaningLog({n} rule{'s' if n != 1 else ''}, {self.rows_dropped:,} rows dropped"
        if any(e.revenue is not None for e in self.entries):
            head += f", revenue {self.revenue_dropped:,.2f} dropped"
        lines = [head + ")"]
        for e in self.entries:
            what = f"{e.action} {e.rows:,} row{'s' if e.rows != 1 else ''}"
            if e.revenue is not None:
                what += f" (revenue {e.revenue:,.2f})"
            col = f" [{e.column}]" if e.column else ""
            lines.append(f"  {e.rule}{col}: {what} -- {e.description}")
        return "\n".join(lines)


def _resolve_rules(defaults: Mapping[str, tuple[str, str]], rules: Mapping[str, str] | None) -> dict[str, str]:
    actions = {name: default for name, (default, _) in defaults.items()}
    for name, action in (rules or {}).items():
        if name not in defaults:
            close = difflib.get_close_matches(name, list(defaults), n=3)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"cleaning rule {name!r} is unknown{hint} Rules: {list(defaults)}")
        allowed = _ACTIONS.get(name, ("drop", "keep"))
        if action not in allowed:
            raise ConfigError(f"cleaning rule {name!r}: action must be one of {list(allowed)}, but {action!r} was passed")
        actions[name] = action
    return actions


def _revenue(frame: pd.DataFrame, mask: pd.Series) -> float:
    return float(frame.loc[mask, "amount"].sum()) if "amount" in frame else float("nan")


def clean_transactions(
    transactions: pd.DataFrame,
    *,
    drop_duplicates: bool = True,
    rules: Mapping[str, str] | None = None,
    snapshot_date: datetime | date | str | pd.Timestamp | None = None,
    source: str = "transactions",
) -> tuple[pd.DataFrame, CleaningLog]:
    """Apply the purchase-log rules of :data:`TRANSACTION_RULES` and log what they did.

    Parameters
    ----------
    transactions : DataFrame
        A standardised purchase log (``customer_id``, ``date``, ``amount``; ``quantity``,
        ``price``, ``invoice`` and ``refunded`` used when present). Exact duplicates are judged
        on every column present, so keep product columns in the log for that check to be exact.
    drop_duplicates : bool
        Drop exact duplicate lines (default). Shortcut for ``rules={"duplicates": ...}``.
    rules : mapping of str to str, optional
        Override actions: ``{"cancellations": "drop", "zero_prices": "drop", ...}``; see
        :data:`TRANSACTION_RULES` for the rules and their defaults.
    snapshot_date : date-like, optional
        Lines on or after it are "future" lines; default: anything after now.
    source : str
        Name of the input in messages.

    Returns
    -------
    (DataFrame, CleaningLog)
        The kept lines (original index, so rows can be traced back) and the log; the negative
        lines of the ``refunds`` rule follow them, under the index of the line each refunds.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "customer_id": pd.array(["1", "1", None, "2", "2"], dtype="string"),
    ...     "date": pd.to_datetime(["2024-01-02"] * 5),
    ...     "amount": [10.0, 10.0, 4.0, -3.0, 0.0],
    ...     "invoice": pd.array(["5", "5", "6", "C7", "8"], dtype="string"),
    ... })
    >>> clean, cleaning = clean_transactions(log)
    >>> len(clean), cleaning["missing_customer_id"].revenue, cleaning["cancellations"].rows
    (3, 4.0, 1)
    """
    missing = [c for c in ("customer_id", "date", "amount") if c not in transactions.columns]
    if missing:
        raise ColumnError(
            f"{source}: column {missing[0]!r} is missing (columns: {list(transactions.columns)}); "
            "expected a standardised purchase log"
        )
    overrides = dict(rules or {})
    overrides.setdefault("duplicates", "drop" if drop_duplicates else "keep")
    actions = _resolve_rules(TRANSACTION_RULES, overrides)
    log = CleaningLog()
    df = transactions
    invoice = df["invoice"].astype("string") if "invoice" in df else pd.Series(pd.NA, index=df.index, dtype="string")
    price = df["price"] if "price" in df and df["price"].notna().any() else None

    def record(rule: str, mask: pd.Series, column: str | None = None) -> None:
        action = actions[rule]
        log.add(
            rule,
            _ACTION_WORDS[action],
            TRANSACTION_RULES[rule][1],
            rows=int(mask.sum()),
            revenue=_revenue(df, mask),
            column=column,
        )

    def apply(rule: str, mask: pd.Series, column: str | None = None) -> None:
        nonlocal df, invoice
        mask = mask.fillna(False).astype(bool)
        record(rule, mask, column)
        if actions[rule] == "drop" and mask.any():
            df, invoice = df.loc[~mask], invoice.loc[~mask]

    is_cancel = invoice.str.fullmatch(CANCELLATION_PATTERN).fillna(False).astype(bool)
    apply("cancellations", is_cancel, "invoice")
    negative = (df["amount"] < 0).fillna(False)
    if "quantity" in df:
        negative |= (df["quantity"] < 0).fillna(False)
    is_cancel = invoice.str.fullmatch(CANCELLATION_PATTERN).fillna(False).astype(bool)
    apply("negative_quantities", negative & ~is_cancel, "quantity" if "quantity" in df else "amount")
    apply("missing_customer_id", df["customer_id"].isna(), "customer_id")
    apply("missing_date", df["date"].isna(), "date")
    apply("missing_amount", df["amount"].isna(), "amount")
    if actions["duplicates"] == "drop":
        apply("duplicates", pd.Series(duplicated_rows(df), index=df.index))
    else:
        record("duplicates", pd.Series(duplicated_rows(df), index=df.index))
    apply("adjustments", invoice.str.fullmatch(ADJUSTMENT_PATTERN).fillna(False), "invoice")
    if price is not None:
        apply("negative_prices", df["price"] < 0, "price")
        apply("zero_prices", df["price"] == 0, "price")
    else:
        apply("negative_prices", pd.Series(False, index=df.index), "price")
        apply("zero_prices", df["amount"] == 0, "amount")
    if snapshot_date is not None:
        future = df["date"] >= pd.Timestamp(snapshot_date)
    else:
        future = df["date"] > pd.Timestamp.now()
    apply("future_dates", future, "date")
    if "refunded" in df:
        refund = _refunds(df, invoice)
        log.add("refunds", _ACTION_WORDS[actions["refunds"]], TRANSACTION_RULES["refunds"][1],
                rows=int((refund > 0).sum()), revenue=-float(refund.sum()), column="refunded")
        if actions["refunds"] == "net" and (refund > 0).any():
            lines = df.loc[refund > 0].assign(amount=-refund[refund > 0], refunded=0.0)
            for column in ("quantity", "price"):
                if column in lines:
                    lines[column] = np.nan
            df = pd.concat([df, lines])  # the paid lines' index, so each refund traces back to its line
    return df, log


def _refunds(df: pd.DataFrame, invoice: pd.Series) -> pd.Series:
    """The amount refunded on each line with a positive amount, the refunds of an order taken
    down together to what the order was paid (a refund that includes shipping, which the
    lines do not).

    Examples
    --------
    >>> lines = pd.DataFrame({"amount": [30.0, 10.0, 50.0, -5.0], "refunded": [45.0, 0.0, 20.0, 5.0]})
    >>> _refunds(lines, pd.Series(["#1", "#1", None, "#3"], dtype="string")).tolist()
    [40.0, 0.0, 20.0, 0.0]
    """
    paid = df["amount"].clip(lower=0).fillna(0.0).to_numpy()
    refund = np.where(paid > 0, df["refunded"].abs().fillna(0.0).to_numpy(), 0.0)
    codes = np.asarray(pd.factorize(invoice)[0])
    lone = codes < 0  # a line without an invoice is an order of its own here
    codes = np.where(lone, codes.max(initial=-1) + 1 + np.cumsum(lone), codes)
    order_paid, order_refund = np.bincount(codes, paid)[codes], np.bincount(codes, refund)[codes]
    scale = np.divide(order_paid, order_refund, out=np.ones(len(codes)), where=order_refund > order_paid)
    return pd.Series(refund * scale, index=df.index)


_BIRTH_YEAR = re.compile(r"(year.?of.?birth|birth.?year|year.?birth|birth.?yr|^yob$)", re.I)
_INCOME = re.compile(r"(income|salary|earning|einkommen|ingreso|reddito|salaire|salario|gehalt|revenus?(?![a-z]))",
                     re.I)


_BIRTH_DATE = re.compile(r"(birth|^dob|dob$|born|naissance|geburt|nacimiento|nascita|nascimento|geboorte)", re.I)


def birth_date_columns(frame: pd.DataFrame) -> list[str]:
    """Date columns whose name says they hold a birth date (``DateOfBirth``, ``dob``, ``Geburtsdatum``).

    Examples
    --------
    >>> t = pd.DataFrame({"DateOfBirth": pd.to_datetime(["1980-05-01"]), "Year_Birth": [1980],
    ...                   "signup": pd.to_datetime(["2020-01-01"])})
    >>> birth_date_columns(t)
    ['DateOfBirth']
    """
    return [c for c in frame.columns
            if _BIRTH_DATE.search(str(c)) and pd.api.types.is_datetime64_any_dtype(frame[c])]


def birth_year_columns(columns: Iterable[str]) -> list[str]:
    """Columns whose name says they hold a birth year (``Year_Birth``, ``birth_year``, ``yob``).

    Examples
    --------
    >>> birth_year_columns(["ID", "Year_Birth", "Income"])
    ['Year_Birth']
    """
    return [c for c in columns if _BIRTH_YEAR.search(str(c))]


_AGE_WORDS = frozenset({"age", "alter", "edad", "idade", "leeftijd"})
# Words that may stand beside "age" in the name of a person's age; "account_age" is not one.
_AGE_COMPANIONS = frozenset({"customer", "client", "member", "user", "person", "respondent", "years", "yrs", "in",
                             "current", "the", "of"})


# Words of a column name that say its values may be below zero: an overdrawn balance, a loss.
_SIGNED_WORDS = frozenset({"balance", "balances", "profit", "margin", "net", "change", "delta", "diff", "difference",
                           "growth", "trend", "pnl", "gain", "loss", "score", "zscore", "saldo", "solde"})


def signed_columns(frame: pd.DataFrame, columns: Iterable[str], share: float = 0.05, count: int = 5) -> list[str]:
    """Columns whose negative values are part of their scale, not errors.

    A name that says so (``balance``, ``NetProfit``, ``score_change``), or at least ``share`` of
    the known values and at least ``count`` values below zero: a bank balance has many
    overdrafts, a spend column a stray typo.

    Examples
    --------
    >>> t = pd.DataFrame({"Balance": [10.0, 5] * 50, "spend": [-1.0] + [5.0] * 99,
    ...                   "delta_z": [-1.0, 1.0] * 50, "Income": [-5.0, 50_000, 61_000] + [1.0] * 97})
    >>> signed_columns(t, ["Balance", "spend", "delta_z", "Income"])
    ['Balance', 'delta_z']
    """
    out = []
    for column in columns:
        plain = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(column)).lower()
        negative = pd.to_numeric(frame[column], errors="coerce").dropna() < 0
        if set(re.findall(r"[a-z]+", plain)) & _SIGNED_WORDS or (negative.sum() >= count and negative.mean() >= share):
            out.append(column)
    return out


def age_columns(columns: Iterable[str]) -> list[str]:
    """Columns whose name says they hold a person's age in years (``Age``, ``customer_age``, ``Âge``).

    Examples
    --------
    >>> age_columns(["Age", "customer_age", "Age (years)", "account_age", "page_views", "Âge"])
    ['Age', 'customer_age', 'Age (years)', 'Âge']
    """
    out = []
    for column in columns:
        plain = unicodedata.normalize("NFKD", str(column)).encode("ascii", "ignore").decode()
        words = set(re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", plain).lower()))
        if words & _AGE_WORDS and not words - _AGE_WORDS - _AGE_COMPANIONS:
            out.append(column)
    return out


def income_columns(columns: Iterable[str]) -> list[str]:
    """Columns whose name says they hold income (``Income``, ``Annual Income (k$)``, ``salary``, ``Revenu annuel``).

    Examples
    --------
    >>> income_columns(["Income", "Annual Income (k$)", "Age", "Revenu annuel", "Z_Revenue"])
    ['Income', 'Annual Income (k$)', 'Revenu annuel']
    """
    return [c for c in columns if _INCOME.search(str(c))]


def upper_log_fence(values: pd.Series, factor: float = 3.0) -> float:
    """The income-outlier fence: ``expm1(Q3 + factor * IQR)`` of ``log1p(values)``.

    On the log scale income is roughly symmetric, so the fence sits far above ordinary high
    incomes (about 500,000 for marketing_campaign) while catching placeholder values such
    as 666666.

    Examples
    --------
    >>> round(upper_log_fence(pd.Series([10.0, 20, 30, 40, 50])), 1)
    304.1
    """
    logged = np.log1p(pd.to_numeric(values, errors="coerce").dropna().clip(lower=0).astype("float64"))
    if logged.empty:
        return float("inf")
    q1, q3 = np.quantile(logged, [0.25, 0.75])
    return float(np.expm1(q3 + factor * (q3 - q1)))


def _role_columns(roles: object, names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        for col in getattr(roles, name, None) or []:
            if col not in out:
                out.append(col)
    return out


def with_customer_id_column(customers: pd.DataFrame, source: str) -> pd.DataFrame:
    """The customer table with ``customer_id`` as a column (moved out of the index if needed)."""
    if "customer_id" in customers.columns:
        return customers
    if customers.index.name == "customer_id":
        return customers.reset_index()
    raise ColumnError(
        f"{source}: column 'customer_id' is missing (columns: {list(customers.columns)}); "
        "expected a standardised customer table (see segkit.io.standardise_customers)"
    )


def clean_customers(
    customers: pd.DataFrame,
    roles: object = None,
    *,
    rules: Mapping[str, str] | None = None,
    birth_years: list[str] | None = None,
    incomes: list[str] | None = None,
    nonnegative: list[str] | None = None,
    min_birth_year: int = 1900,
    max_age: int = 120,
    reference_year: int | None = None,
    iqr_factor: float = 3.0,
    thresholds: Mapping | None = None,
    source: str = "customers",
) -> tuple[pd.DataFrame, CleaningLog]:
    """Apply the customer-table rules of :data:`CUSTOMER_RULES` and log what they did.

    Some rules take their limits from the table itself: the income fence (a quantile of the
    incomes), which columns may be negative (a share of negative values) and the latest
    possible birth year (the reference year). The log keeps what they were in
    :attr:`CleaningLog.thresholds`; pass that back as ``thresholds`` to clean another table
    (a batch of new customers, one customer alone) exactly as this one was cleaned.

    Parameters
    ----------
    customers : DataFrame
        A standardised customer table with a ``customer_id`` column (or index).
    roles : object, optional
        Column roles (attributes ``demographics``, ``behaviour``, ``value``, ... holding
        lists of column names). Columns to check are taken from the roles when the explicit
        lists are not given; without roles, from the column names.
    rules : mapping of str to str, optional
        Override actions, e.g. ``{"income_outliers": "cap"}``.
    birth_years, incomes, nonnegative : list of str, optional
        Columns holding birth years / incomes / values that cannot be negative. Default:
        recognised by name (``Year_Birth``, ``Income``); ``nonnegative`` defaults to the
        numeric demographic, behaviour and value columns (all numeric columns without
        roles) other than birth years.
    min_birth_year : int
        Birth years before this are impossible (default 1900).
    max_age : int
        Ages above this, or below 1, in an age column (:func:`age_columns`) are impossible
        (default 120); ages of 0 are usually a placeholder for "unknown".
    reference_year : int, optional
        Birth years after this are impossible (default: the current year).
    iqr_factor : float
        Fence factor of :func:`upper_log_fence` (default 3).
    thresholds : mapping, optional
        The :attr:`CleaningLog.thresholds` of an earlier run: ``{"reference_year": year,
        "income_outliers": {column: fence or None}, "negative_values": [columns]}``. Its
        fences, columns and year are used instead of those this table would give (columns
        the table lacks are skipped); explicit ``incomes`` / ``nonnegative`` lists still win.
    source : str
        Name of the input in messages.

    Returns
    -------
    (DataFrame, CleaningLog)

    Examples
    --------
    >>> t = pd.DataFrame({"customer_id": pd.array(["1", "2", "3"], dtype="string"),
    ...                   "Year_Birth": [1893, 1970, 1985], "Income": [50000.0, 61000.0, -5.0]})
    >>> clean, log = clean_customers(t, reference_year=2014)
    >>> clean["Year_Birth"].isna().tolist(), clean["Income"].isna().tolist()
    ([True, False, False], [False, False, True])
    >>> sorted(log.thresholds), log.thresholds["negative_values"]
    (['income_outliers', 'negative_values', 'reference_year'], ['Income'])

    New customers cleaned as the whole table was, whatever the batch's own incomes:

    >>> new = pd.DataFrame({"customer_id": ["4", "5"], "Year_Birth": [1980, 1990], "Income": [666666.0, 400000.0]})
    >>> clean_customers(new, thresholds={"income_outliers": {"Income": 500000.0}})[0]["Income"].isna().tolist()
    [True, False]
    """
    actions = _resolve_rules(CUSTOMER_RULES, rules)
    df = with_customer_id_column(customers, source).copy()
    log = CleaningLog()
    given = dict(thresholds or {})
    year = int(given.get("reference_year") or reference_year or date.today().year)

    def drop(rule: str, mask: pd.Series, column: str | None) -> None:
        nonlocal df
        mask = mask.fillna(False).astype(bool)
        log.add(rule, "dropped", CUSTOMER_RULES[rule][1], rows=int(mask.sum()), column=column)
        df = df.loc[~mask]

    def set_missing(rule: str, column: str, mask: pd.Series, cap: float | None = None) -> None:
        nonlocal df
        mask = mask.fillna(False).astype(bool)
        action = actions[rule]
        log.add(rule, _ACTION_WORDS[action], CUSTOMER_RULES[rule][1], rows=int(mask.sum()), column=column)
        if action == "keep" or not mask.any():
            return
        col = df[column]
        if not pd.api.types.is_float_dtype(col):
            col = col.astype("Float64") if isinstance(col.dtype, pd.api.extensions.ExtensionDtype) else col.astype("float64")
        df[column] = col.where(~mask, cap if action == "cap" else np.nan)

    drop("missing_customer_id", df["customer_id"].isna(), "customer_id")
    drop("duplicate_customers", df["customer_id"].duplicated(keep="first"), "customer_id")

    columns = [c for c in df.columns if c != "customer_id"]
    numeric = [c for c in columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]
    birth = birth_years if birth_years is not None else [c for c in birth_year_columns(columns) if c in numeric]
    by_name = {str(c): c for c in columns}
    fences: dict = {}
    if incomes is None and "income_outliers" in given:
        fences = {by_name[name]: math.inf if fence is None else float(fence)
                  for name, fence in given["income_outliers"].items() if name in by_name}
        income = list(fences)
    else:
        income = incomes if incomes is not None else [c for c in income_columns(columns) if c in numeric]
    if nonnegative is None and "negative_values" in given:
        nonnegative = [by_name[name] for name in given["negative_values"] if name in by_name]
    elif nonnegative is None:
        pool = _role_columns(roles, ("demographics", "behaviour", "value")) if roles is not None else columns
        nonnegative = [c for c in pool if c in numeric and c not in birth]
        signed = set(signed_columns(df, nonnegative))
        nonnegative = [c for c in nonnegative if c not in signed]
    for name in [*birth, *income, *nonnegative]:
        if name not in df.columns:
            close = difflib.get_close_matches(str(name), columns, n=3)
            raise ColumnError(f"{source}: column {name!r} is missing; close matches: {close}")

    for column in birth:
        values = pd.to_numeric(df[column], errors="coerce")
        set_missing("impossible_birth_years", column, (values < min_birth_year) | (values > year))
    for column in birth_date_columns(df) if birth_years is None else []:
        years = df[column].dt.year
        bad = ((years < min_birth_year) | (years > year)).fillna(False).astype(bool)
        log.add("impossible_birth_years", _ACTION_WORDS[actions["impossible_birth_years"]],
                CUSTOMER_RULES["impossible_birth_years"][1], rows=int(bad.sum()), column=column)
        if actions["impossible_birth_years"] != "keep" and bad.any():
            df[column] = df[column].mask(bad)
    for column in age_columns(c for c in columns if c in numeric and c not in birth):
        values = pd.to_numeric(df[column], errors="coerce")
        set_missing("impossible_ages", column, (values < 1) | (values > max_age))
    for column in nonnegative:
        set_missing("negative_values", column, pd.to_numeric(df[column], errors="coerce") < 0)
    for column in income:
        values = pd.to_numeric(df[column], errors="coerce")
        fence = fences[column] if column in fences else upper_log_fence(values, iqr_factor)
        fences[column] = fence
        set_missing("income_outliers", column, values > fence, cap=fence)
    log.thresholds = {
        "reference_year": year,
        "income_outliers": {str(c): None if math.isinf(f) else f for c, f in fences.items()},
        "negative_values": [str(c) for c in nonnegative],
    }
    return df, log
