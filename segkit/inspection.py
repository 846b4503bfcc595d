"""What segkit makes of the data before a run: every column's role, basis, kind and evidence, what
would be clustered, and the data-quality checks (``segkit inspect``).

:func:`inspect_data` reads and checks the configured tables, detects their roles and builds the
features, as a report would, and chooses what to cluster on, without segmenting; the
:class:`Inspection` it returns prints as the long table ``segkit inspect`` shows, and its
:meth:`~Inspection.short` form is what ``segkit report`` prints before it starts. No kernel is
started: it takes the seconds reading takes.

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "people.csv"
>>> pd.DataFrame({"ID": range(1, 41), "Age": [25, 52] * 20, "Visits": [1, 9, 3, 4] * 10,
...               "Spend": [20.0, 400.0, 55.5, 80.0] * 10, "Churn": ["yes", "no", "no", "no"] * 10}).to_csv(path, index=False)
>>> found = inspect_data({"data": {"customers": str(path)}})
>>> print(found.short())  # doctest: +NORMALIZE_WHITESPACE
people.csv (customers): 40 rows, 5 columns
  customer id     ID
  demographics    Age (quantity)
  behaviour       Visits (count), Spend (money)
  outcomes        Churn (flag) - profiled per segment, never clustered
  clustered on    Visits, Spend (behavioural)
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from segkit.config import make_config
from segkit.features.bases import Selection
from segkit.features.build import FeatureTable
from segkit.inputs import Inputs, load_inputs
from segkit.io.names import is_birth_name, is_birth_year_name
from segkit.io.roles import ColumnRoles, roles_line
from segkit.model import SegmentationModel

__all__ = ["Inspection", "column_uses", "columns_frame", "inputs_columns", "inspect_data", "roles_summary"]

#: A purchase log's features, by the role of the column that makes them.
_LOG_FEEDS = {"customer_id": ("frequency", "monetary", "recency_days"),
              "date": ("recency_days", "tenure_days", "avg_days_between_orders", "first_purchase", "last_purchase"),
              "time": ("recency_days",), "invoice": ("frequency", "avg_order_value"),
              "amount": ("monetary", "avg_order_value", "return_rate"), "quantity": ("monetary", "return_rate"),
              "price": ("monetary",), "refunded": ("monetary",), "returns": ("return_rate",),
              "channel": ("share_channel_",), "category": ("share_category_",), "country": ("share_country_",)}


@dataclass
class Inspection:
    """What was read and decided before a run: the inputs with their column calls, the feature
    table and what would be clustered (``selection``), and the data-quality checks."""

    inputs: Inputs
    table: FeatureTable | None = None
    selection: Selection | None = None
    notes: list[str] = field(default_factory=list)

    def columns(self) -> pd.DataFrame:
        """One row per column of every table: ``table, column, role, basis, kind, use, evidence``."""
        frames = [columns_frame(roles, self.table, self.selection, label=label)
                  for label, roles in self._tables()]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def _tables(self) -> list[tuple[str, ColumnRoles]]:
        out = []
        for kind, roles in (("customers", self.inputs.customer_roles), ("transactions", self.inputs.transaction_roles)):
            if roles is not None:
                out.append((self.inputs.label(kind), roles))
        return out

    def short(self) -> str:
        """Each table's columns by role, with their kinds, and what would be clustered."""
        parts = []
        for label, roles in self._tables():
            rows = self._rows(roles)
            parts.append(roles_summary(roles, label=label, rows=rows))
        if self.selection is not None:
            basis = f" ({', '.join(self.selection.basis)})" if self.selection.basis else ""
            parts.append(roles_line("clustered on", f"{', '.join(self.selection.features)}{basis}"))
        return "\n".join(parts)

    def _rows(self, roles: ColumnRoles) -> int | None:
        kind = roles.kind or "customers"
        quality = self.inputs.quality.get(kind)
        return quality.rows if quality is not None else None

    def __str__(self) -> str:
        lines = []
        for label, roles in self._tables():
            frame = columns_frame(roles, self.table, self.selection, label=label)
            rows = self._rows(roles)
            lines.append(f"{label} ({roles.kind}): {rows:,} rows, {len(frame)} columns" if rows is not None
                         else f"{label} ({roles.kind}): {len(frame)} columns")
            lines.extend(_table_lines(frame))
            lines.append("")
        if self.selection is not None:
            basis = f" (bases: {', '.join(self.selection.basis)})" if self.selection.basis else \
                " (segmentation.features)"
            lines.append(f"Would be clustered on {len(self.selection.features)} features{basis}:")
            lines.append(textwrap.fill(", ".join(self.selection.features), 110, initial_indent="  ",
                                       subsequent_indent="  "))
            reasons = self.selection.reasons()
            if reasons:
                lines.append("Left out of clustering:")
                for why, columns in reasons.items():
                    lines.append(textwrap.fill(f"{why}: {', '.join(map(str, columns))}", 110, initial_indent="  ",
                                               subsequent_indent="    "))
            lines.append("")
        for kind, quality in self.inputs.quality.items():
            lines.append(f"Data quality, {kind} ({quality.label}):")
            for _, row in quality.to_frame(most=None).iterrows():  # every column: inspect lists them all
                parts = ["" if pd.isna(row["count"]) else f"{int(row['count']):,}", row["detail"] or ""]
                column = f" {row['column']}" if row["column"] else ""
                lines.append(f"  {row['check']}{column}: {'  '.join(p for p in parts if p)}".rstrip())
        lines += [f"Note: {note}" for note in [*self.inputs.notes, *self.notes]]
        return "\n".join(lines).rstrip() + "\n"

    def _repr_html_(self) -> str:
        return self.columns().to_html(index=False)


def _table_lines(frame: pd.DataFrame) -> list[str]:
    """The long form: one line per column, fixed widths, the evidence last."""
    head = ("column", "role", "basis", "kind", "use", "evidence")
    width = {"column": min(30, max(6, *(len(str(c)) for c in frame["column"]))) if len(frame) else 6,
             "role": 14, "basis": 13, "kind": 10, "use": 36}
    lines = ["  " + "  ".join(f"{h:<{width[h]}}" if h in width else h for h in head)]
    for _, row in frame.iterrows():
        cells = [_cut(row[h], width[h]) for h in head[:-1]]
        lines.append("  " + "  ".join(f"{cell:<{width[h]}}" for cell, h in zip(cells, head)) + "  " + row["evidence"])
    return lines


def _cut(value: Any, width: int) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def roles_summary(roles: ColumnRoles, *, label: str, rows: int | None = None) -> str:
    """The short form of a table's calls (:meth:`segkit.io.ColumnRoles.summary`)."""
    return roles.summary(label=label, rows=rows)


def column_uses(roles: ColumnRoles, table: FeatureTable | None, selection: Selection | None) -> dict:
    """What the segmentation does with each column: ``clustered``, ``profiled (why)``, ``not used (why)``.

    A customer-table column is clustered when its feature is (a birth year as ``age``, a date
    as ``<column>_days``); a purchase log's column when a feature it makes is.
    """
    if selection is None or table is None:
        return {c: "" for c in roles.columns}
    clustered, screened = set(selection.features), set(selection.screened)
    out = {}
    for column, call in roles.columns.items():
        if roles.kind == "transactions":
            made = [f for f in clustered if any(f == p or (p.endswith("_") and f.startswith(p))
                                               for p in _LOG_FEEDS.get(call.role, ()))]
            out[column] = f"clustered: {', '.join(sorted(made)[:3])}{', ...' if len(made) > 3 else ''}" if made \
                else ("not used" if call.role in ("none", "identifiers") else "profiled")
            continue
        if call.role == "weight":  # survey.weight: a role, not a feature
            out[column] = "weights the figures and the fit (survey.weight)"
            continue
        features = [f for f in (column, f"{column}_days") if f in table.frame.columns]
        if not features and call.role == "demographics" and (is_birth_year_name(column) or is_birth_name(column)) \
                and "age" in table.frame.columns:
            features = ["age"]
        if any(f in clustered for f in features):
            feature = next(f for f in features if f in clustered)
            out[column] = "clustered" if feature == column else f"clustered as {feature}"
        elif features and features[0] in screened:  # left out by the wide-table screen: not profiled either
            out[column] = f"not used: {selection.left_out[features[0]]}"
        elif features:
            why = selection.left_out.get(features[0], "")
            out[column] = f"profiled: {why}" if why else "profiled"
        else:
            out[column] = f"not used: {selection.left_out.get(column, 'no feature')}"
    return out


def columns_frame(roles: ColumnRoles, table: FeatureTable | None = None, selection: Selection | None = None, *,
                  label: str = "") -> pd.DataFrame:
    """One row per column of a table: ``table, column, role, basis, kind, use, evidence``."""
    uses = column_uses(roles, table, selection)
    rows = [{"table": label, "column": call.column, "role": call.role, "basis": call.basis, "kind": call.kind,
             "use": uses.get(column, ""), "evidence": call.evidence}
            for column, call in roles.columns.items()]
    return pd.DataFrame(rows, columns=["table", "column", "role", "basis", "kind", "use", "evidence"])


def inputs_columns(inputs: Inputs, table: FeatureTable | None = None, selection: Selection | None = None
                   ) -> pd.DataFrame:
    """:func:`columns_frame` of every table of ``inputs`` (customers, then the purchase log)."""
    frames = [columns_frame(roles, table, selection, label=inputs.label(kind))
              for kind, roles in (("customers", inputs.customer_roles), ("transactions", inputs.transaction_roles))
              if roles is not None]
    return pd.concat(frames, ignore_index=True)


def inspect_data(config: Mapping[str, Any] | None) -> Inspection:
    """Read, check and detect the configured tables and choose what to cluster on, without segmenting.

    Parameters
    ----------
    config : mapping
        A validated config (:func:`segkit.config.load_config`) or the keys of one.

    Raises
    ------
    SegkitError
        The same errors a report raises on bad data or config, naming the file, column and value.
    """
    config = make_config(config, require_data=True) if not _validated(config) else config
    inputs = load_inputs(config)
    model = SegmentationModel(config)
    table, selection = model.plan(inputs)
    return Inspection(inputs, table, selection, notes=list(model.notes_))


def _validated(config) -> bool:
    return isinstance(config, Mapping) and {"data", "columns", "segmentation", "campaign"} <= set(config) and \
        isinstance(config.get("segmentation"), Mapping) and "k_min" in config["segmentation"]
