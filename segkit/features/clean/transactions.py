"""Cleaning a purchase log: the rules of :data:`TRANSACTION_RULES`, applied in order and logged.

Every rule is data: a name, a default action and a sentence saying what it does.
:func:`clean_transactions` applies them in that order and returns the kept lines with a
:class:`~segkit.features.clean.log.CleaningLog` of the rows and revenue each rule touched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

import numpy as np
import pandas as pd

from segkit.exceptions import ColumnError
from segkit.features.clean.log import ACTION_WORDS, CleaningLog, resolve_rules
from segkit.io.quality import duplicated_rows

__all__ = ["ADJUSTMENT_PATTERN", "CANCELLATION_PATTERN", "TRANSACTION_RULES", "clean_transactions"]

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

#: Invoice numbers of cancellations ("C536379") and adjustments ("A563185"): the letter then
#: digits, so an invoice code that merely starts with the letter ("CUST-1") is not caught.
CANCELLATION_PATTERN = r"[Cc][-_ ]?\d+"
ADJUSTMENT_PATTERN = r"[Aa][-_ ]?\d+"

#: The actions each rule may take (a rule not listed may drop or keep its lines).
_ACTIONS = {
    "cancellations": ("net", "drop"),
    "negative_quantities": ("net", "drop"),
    "refunds": ("net", "keep"),
    "missing_customer_id": ("drop",),
    "missing_date": ("drop",),
    "missing_amount": ("drop",),
}


def _revenue(frame: pd.DataFrame, mask: np.ndarray) -> float:
    """Revenue of the lines ``mask`` picks (NaN for a log without amounts)."""
    return float(frame["amount"][mask].sum()) if "amount" in frame else float("nan")


def _flags(mask) -> np.ndarray:
    """A rule's mask as plain booleans (a missing value is no match)."""
    if isinstance(mask, np.ndarray) and mask.dtype == bool:
        return mask
    return pd.Series(mask).fillna(False).to_numpy(dtype=bool)


def _invoice_codes(invoice: pd.Series, pattern: str, letter: str) -> np.ndarray:
    """Which invoices are a code of ``pattern`` in full; the regular expression runs only on the
    invoices that start with ``letter`` (either case), as every match does.

    >>> _invoice_codes(pd.Series(["C536379", "c-12", "536365", "CUST-1", None], dtype="string"),
    ...                CANCELLATION_PATTERN, "C").tolist()
    [True, True, False, False, False]
    """
    candidates = _flags(invoice.str.slice(0, 1).isin([letter.upper(), letter.lower()]))
    out = np.zeros(len(invoice), dtype=bool)
    if candidates.any():
        out[candidates] = _flags(invoice[candidates].str.fullmatch(pattern))
    return out


def clean_transactions(
    transactions: pd.DataFrame,
    *,
    drop_duplicates: bool = True,
    rules: Mapping[str, str] | None = None,
    snapshot_date: datetime | date | str | pd.Timestamp | None = None,
    source: str = "transactions",
    has_price: bool | None = None,
    columns: Sequence[str] | None = None,
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
    columns : sequence of str, optional
        The columns of the kept lines to return (default: all); the rules still read every
        column. Cutting the kept lines out of a long log costs by the column.
    source : str
        Name of the input in messages.
    has_price : bool, optional
        Whether the log has unit prices (then zero and negative prices are judged on them, else
        zero amounts); default: whether any line of ``transactions`` has one. Given when
        ``transactions`` is one part of a longer log (:meth:`segkit.io.PurchaseLog.buckets`).

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
    actions = resolve_rules(TRANSACTION_RULES, overrides, _ACTIONS)
    log = CleaningLog()
    df = transactions
    invoice = df["invoice"].astype("string") if "invoice" in df else pd.Series(pd.NA, index=df.index, dtype="string")
    if has_price is None:
        has_price = "price" in df and bool(df["price"].notna().any())
    price = df["price"] if has_price and "price" in df else None

    # Each rule sees the lines the rules before it kept: a mask of them, and the frame cut once at the end.
    kept = np.ones(len(df), dtype=bool)

    def apply(rule: str, mask, column: str | None = None) -> None:
        mask = _flags(mask) & kept
        log.add(rule, ACTION_WORDS[actions[rule]], TRANSACTION_RULES[rule][1], rows=int(mask.sum()),
                revenue=_revenue(df, mask), column=column)
        if actions[rule] == "drop":
            kept[mask] = False

    is_cancel = _invoice_codes(invoice, CANCELLATION_PATTERN, "C")
    apply("cancellations", is_cancel, "invoice")
    negative = _flags(df["amount"] < 0)
    if "quantity" in df:
        negative = negative | _flags(df["quantity"] < 0)
    apply("negative_quantities", negative & ~is_cancel, "quantity" if "quantity" in df else "amount")
    apply("missing_customer_id", df["customer_id"].isna(), "customer_id")
    apply("missing_date", df["date"].isna(), "date")
    apply("missing_amount", df["amount"].isna(), "amount")
    # equal lines have equal raw-line hashes (a column of theirs): candidates without hashing again
    apply("duplicates", duplicated_rows(df, key="line_hash" if "line_hash" in df else None, among=kept))
    apply("adjustments", _invoice_codes(invoice, ADJUSTMENT_PATTERN, "A"), "invoice")
    if price is not None:
        apply("negative_prices", df["price"] < 0, "price")
        apply("zero_prices", df["price"] == 0, "price")
    else:
        apply("negative_prices", np.zeros(len(df), dtype=bool), "price")
        apply("zero_prices", df["amount"] == 0, "amount")
    if snapshot_date is not None:
        future = df["date"] >= pd.Timestamp(snapshot_date)
    else:
        future = df["date"] > pd.Timestamp.now()
    apply("future_dates", future, "date")
    wanted = list(df.columns) if columns is None else [c for c in df.columns if c in set(columns) | {"refunded"}]
    if not kept.all() or len(wanted) < df.shape[1]:
        df, invoice = df.loc[kept, wanted], invoice.loc[kept]
    if "refunded" in df:
        refund = _refunds(df, invoice)
        log.add("refunds", ACTION_WORDS[actions["refunds"]], TRANSACTION_RULES["refunds"][1],
                rows=int((refund > 0).sum()), revenue=-float(refund.sum()), column="refunded")
        if actions["refunds"] == "net" and (refund > 0).any():
            lines = df.loc[refund > 0].assign(amount=-refund[refund > 0], refunded=0.0)
            for column in ("quantity", "price"):
                if column in lines:
                    lines[column] = np.nan
            df = pd.concat([df, lines])  # the paid lines' index, so each refund traces back to its line
    if columns is not None and "refunded" not in columns and "refunded" in df:
        df = df.drop(columns="refunded")
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
