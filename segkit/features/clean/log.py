"""The cleaning log: what each cleaning rule did, and how a config's rule actions are checked.

The rules themselves live beside the tables they clean: :mod:`segkit.features.clean.transactions`
for purchase logs, :mod:`segkit.features.clean.customers` for customer tables. Both record
into one :class:`CleaningLog`, which the report shows and ``summary.json`` stores under
``data_quality``.
"""

from __future__ import annotations

import dataclasses

import difflib
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass

import pandas as pd

from segkit.exceptions import ConfigError

__all__ = ["ACTION_WORDS", "CleaningEntry", "CleaningLog", "resolve_rules"]

#: How the log words each action ("drop" -> "dropped").
ACTION_WORDS = {"drop": "dropped", "net": "netted", "keep": "kept", "missing": "set to missing", "cap": "capped"}


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

    @classmethod
    def summed(cls, logs: Iterable[CleaningLog]) -> CleaningLog:
        """One log for a table cleaned in parts (each rule's rows and revenue added up), in the
        order the rules were applied.

        Examples
        --------
        >>> a, b = CleaningLog(), CleaningLog()
        >>> a.add("duplicates", "dropped", "exact duplicate lines", rows=2, revenue=15.5)
        >>> b.add("duplicates", "dropped", "exact duplicate lines", rows=1, revenue=None)
        >>> CleaningLog.summed([a, b])["duplicates"].rows
        3
        """
        entries: dict[tuple, CleaningEntry] = {}
        thresholds: dict = {}
        for log in logs:
            thresholds.update(log.thresholds)
            for entry in log.entries:
                key = (entry.rule, entry.column)
                seen = entries.get(key)
                if seen is None:
                    entries[key] = entry
                    continue
                revenue = None if seen.revenue is None and entry.revenue is None else \
                    (seen.revenue or 0.0) + (entry.revenue or 0.0)
                entries[key] = dataclasses.replace(seen, rows=seen.rows + entry.rows, revenue=revenue)
        return cls(entries.values(), thresholds)

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


def resolve_rules(defaults: Mapping[str, tuple[str, str]], rules: Mapping[str, str] | None,
                  allowed: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """The action of every rule: its default from ``defaults``, unless ``rules`` overrides it.

    ``allowed`` lists the actions a rule may take (``("drop", "keep")`` for a rule not in it).

    Examples
    --------
    >>> defaults = {"dups": ("drop", "exact duplicate lines"), "refunds": ("net", "refunded amounts")}
    >>> resolve_rules(defaults, {"refunds": "keep"}, {"refunds": ("net", "keep")})
    {'dups': 'drop', 'refunds': 'keep'}
    >>> resolve_rules(defaults, {"refund": "keep"}, {})
    Traceback (most recent call last):
    ...
    segkit.exceptions.ConfigError: cleaning rule 'refund' is unknown; did you mean 'refunds'? Rules: ['dups', 'refunds']
    """
    actions = {name: default for name, (default, _) in defaults.items()}
    for name, action in (rules or {}).items():
        if name not in defaults:
            close = difflib.get_close_matches(name, list(defaults), n=3)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"cleaning rule {name!r} is unknown{hint} Rules: {list(defaults)}")
        permitted = allowed.get(name, ("drop", "keep"))
        if action not in permitted:
            raise ConfigError(f"cleaning rule {name!r}: action must be one of {list(permitted)}, "
                              f"but {action!r} was passed")
        actions[name] = action
    return actions
