"""``segkit report --by COLUMN``: one report per value of a column, and an index page.

The batch folder is built like a single report (in a temporary folder beside the target)
and published whole. By default (``report.by_fit: shared``) one segmentation is fitted on all
customers first (:class:`segkit.model.SegmentationModel`, saved as the batch's
``model.skops``) and each value's report places its customers in those segments
(``segmentation.model``), so "segment 2" means the same in every report; the index compares
the values: segment shares, revenue per customer and response per value, in a table and a
chart (:func:`compare_batches`). ``report.by_fit: separate`` fits each value on its own, as
before; the index then lists the customers and segments each run found, as the run handed
them over (:class:`segkit.report.runner.ReportRun`), without reading the published files back.

It reads the tables as a run does (:mod:`segkit.inputs`) to count customers per value.
"""

from __future__ import annotations

import copy
import html
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from segkit import io as sio
from segkit.exceptions import ColumnError, ConfigError, DataError
from segkit.inputs import configured_tables
from segkit.report.outputs import partial_folder, publish_folder, remove_stale_partials
from segkit.report.runner import execute_report, write_index

__all__ = ["MISSING_BY_VALUE", "compare_batches", "comparison_html", "run_batch"]

#: How the batch index lists the customers without a value in the ``--by`` column.
MISSING_BY_VALUE = "(no value)"


def run_batch(config: Mapping[str, Any], out: str | Path, *, by: str,
              log: Callable[[str], None] | None = None) -> Path:
    """One report per value of column ``by`` (``--by``), plus ``index.html`` linking them.

    Values with fewer than ``report.by_min_customers`` customers are skipped and listed in
    the index, and so are the customers without a value (``(no value)``). The batch folder
    is published whole, like a single report.

    Returns
    -------
    Path
        The published batch folder.

    Raises
    ------
    ColumnError
        No input table has the column ``by``.
    DataError
        No value of ``by`` has enough customers for a report.
    """
    say = log or (lambda msg: None)
    if config.get("engine") == "spark":
        raise ConfigError(f"--by {by}: batches of reports run on one machine; set engine: duckdb (docs/spark.md)")
    counts = _customers_per_value(config, by)
    minimum = config["report"]["by_min_customers"]
    kept = {v: n for v, n in counts.items() if n >= minimum and v != MISSING_BY_VALUE}
    skipped = {v: n for v, n in counts.items() if v not in kept}
    if not kept:
        raise DataError(f"--by {by}: no value of {by!r} has at least {minimum} customers "
                        f"(largest: {max(counts.values()) if counts else 0}); lower report.by_min_customers")
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(out.parent)  # left by runs that were killed
    tmp = partial_folder(out)
    shared = config["report"].get("by_fit", "shared") == "shared"
    try:
        comparison = None
        if shared:
            say(f"one segmentation of all customers, shared by every {by}")
            comparison = _fit_shared(config, by, tmp / "model.skops")
        entries = []
        for value, n in kept.items():
            folder = re.sub(r"[^A-Za-z0-9_.-]+", "-", str(value)).strip("-") or "value"
            say(f"{by} = {value} ({n:,} customers)")
            sub = _value_config(config, by, value, folder)
            if shared:
                sub["segmentation"]["model"] = str(tmp / "model.skops")
            run = execute_report(sub, tmp / folder, log=None)
            entries.append({"value": value, "folder": folder, "n_customers": run.n_customers,
                            "n_segments": run.n_segments})
        if comparison is not None:
            comparison = comparison.loc[[str(v) for v in kept if str(v) in comparison.index]]
        compared = comparison_html(comparison) if comparison is not None and len(comparison) else ""
        write_index(tmp, entries, title=_index_title(config["title"], by), skipped=skipped, compared=compared)
        publish_folder(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _index_title(title: str, by: str) -> str:
    """The index page's title: "Shop by Region", not "Shop by region by Region".

    Examples
    --------
    >>> _index_title("Shop by region", "Region"), _index_title("Shop", "Region")
    ('Shop by region', 'Shop by Region')
    """
    if re.search(rf"\bby\s+{re.escape(by)}\s*$", title, flags=re.IGNORECASE):
        return title
    return f"{title} by {by}"


def _fit_shared(config: Mapping[str, Any], by: str, path: Path) -> pd.DataFrame:
    """Fit one segmentation on all customers, save it at ``path``, and compare the values of ``by``."""
    from segkit.pipeline import Analysis

    whole = copy.deepcopy(dict(config))
    # monitor.previous names the previous batch's folder, which each value's report reads for its
    # own earlier report; the batch itself is no report to compare with
    whole["monitor"] = {**(whole.get("monitor") or {}), "previous": None}
    run = Analysis(whole, verbose=False)
    run.load()
    run.build_features()
    run.segment()
    run.profile()
    run.model.save(path)
    values = _customer_values(run, by)
    frame = run.features.frame
    value_col = next((c for c in ("monetary", "total_spend") if c in frame.columns), None)
    response = run.response_column()
    outcome = (run.inputs.customers.set_index("customer_id")[response].reindex(run.labels.index)
               if response else None)
    return compare_batches(run.labels, values, names=run.names["name"].to_dict(),
                           value=frame[value_col].reindex(run.labels.index) if value_col else None,
                           response=outcome, min_cell_size=int(config["privacy"]["min_cell_size"]))


def _customer_values(run: Any, by: str) -> pd.Series:
    """The ``by`` value of every segmented customer (the most common one when a log gives several)."""
    log = run.inputs.transactions
    if log is not None and not isinstance(log, pd.DataFrame) and by in log.columns:  # a log on disk: two columns
        log = log.to_pandas(["customer_id", by])
    for table in (run.inputs.customers, log):
        if table is not None and by in table.columns:
            text = table[by].astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
            keys = text.str.casefold()
            spelling = text.groupby(keys.to_numpy()).agg(lambda v: v.value_counts().index[0])
            per = pd.DataFrame({"id": table["customer_id"].to_numpy(), "key": keys.to_numpy()}).dropna()
            first = per.groupby("id")["key"].agg(lambda v: v.value_counts().index[0])
            return first.map(spelling).reindex(run.labels.index)
    raise ColumnError(f"--by: column {by!r} is not in the data")


def compare_batches(labels: pd.Series, values: pd.Series, *, names: Mapping[int, str], value: pd.Series | None = None,
                    response: pd.Series | None = None, min_cell_size: int = 10) -> pd.DataFrame:
    """One row per batch value: customers, each segment's share, revenue per customer, response rate.

    Shares of fewer than ``min_cell_size`` customers are left empty (suppressed), as in reports.

    Examples
    --------
    >>> idx = pd.Index(list("abcdefgh"), name="customer_id")
    >>> labels = pd.Series([0, 0, 1, 1, 0, 1, 1, 1], index=idx)
    >>> values = pd.Series(["N", "N", "N", "N", "S", "S", "S", "S"], index=idx)
    >>> compare_batches(labels, values, names={0: "Big", 1: "Small"}, min_cell_size=1).round(2).to_dict("list")
    {'customers': [4, 4], 'Big': [0.5, 0.25], 'Small': [0.5, 0.75]}
    """
    known = values.notna()
    labels, values = labels[known], values[known].astype(str)
    counts = pd.crosstab(values, labels).reindex(columns=sorted(names), fill_value=0)
    customers = counts.sum(axis=1)
    shares = counts.div(customers, axis=0).where(counts >= min_cell_size)
    shares.columns = [names[c] for c in shares.columns]
    table = pd.concat([customers.rename("customers"), shares], axis=1)
    if value is not None:
        table["revenue per customer"] = value[known].groupby(values).mean()
    if response is not None:
        answered = pd.to_numeric(response[known], errors="coerce")
        table["response rate"] = answered.groupby(values).mean().where(answered.groupby(values).count() >= min_cell_size)
    table.index.name = "value"
    return table.sort_values("customers", ascending=False, kind="stable")


def _value_config(config: Mapping[str, Any], by: str, value: Any, folder: str) -> dict[str, Any]:
    """The config of one value's report: its customers only, its own title, and (for a
    monthly batch) the earlier report of the same value to compare with, if there is one."""
    sub = copy.deepcopy(dict(config))
    sub["data"]["where"] = {**sub["data"].get("where", {}), by: value}
    sub["title"] = f"{config['title']}: {by} = {value}"
    previous = (config.get("monitor") or {}).get("previous")
    if previous:
        earlier = Path(previous) / folder
        sub["monitor"] = {**sub.get("monitor", {}),
                          "previous": str(earlier) if (earlier / "segments.csv").is_file() else None}
    return sub


def _customers_per_value(config: Mapping[str, Any], by: str) -> dict[Any, int]:
    """Distinct customers per value of ``by``, from whichever input table has that column;
    those without a value are counted under :data:`MISSING_BY_VALUE`."""
    seen: list[str] = []
    for kind, _label, raw, given in configured_tables(config):
        if by not in raw.columns:
            seen.extend(map(str, raw.columns))
            continue
        roles = sio.detect_roles(raw, kind=kind, given=given)
        if kind == "transactions":  # an order's first-line fields count for each of its lines
            raw = sio.fill_order_fields(raw, roles)
        ids = raw[roles.customer_id] if roles.customer_id else pd.Series(range(len(raw)), index=raw.index)
        text = raw[by].astype("string").str.strip().str.replace(r"\s+", " ", regex=True).replace("", pd.NA)
        # 'Leeds', 'leeds ' and 'LEEDS' are one value, shown in its most common spelling
        keys = text.str.casefold()
        spelling = text.groupby(keys.to_numpy()).agg(lambda v: v.value_counts().index[0])
        counts = ids.groupby(keys.to_numpy()).nunique().sort_values(ascending=False, kind="stable")
        out = {spelling[k]: int(v) for k, v in counts.items() if pd.notna(k)}
        without = int(ids[text.isna().to_numpy()].nunique())
        if without:  # no report of their own; the index lists them with the skipped values
            out[MISSING_BY_VALUE] = without
        return out
    raise ColumnError(f"--by: column {by!r} is not in the data (columns: {seen})")


def comparison_html(table: pd.DataFrame) -> str:
    """The values compared: a table (shares as percentages, money with separators) and a
    stacked bar chart of segment shares, embedded as a PNG."""
    import base64
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    extra = [c for c in ("revenue per customer", "response rate") if c in table.columns]
    segments = [c for c in table.columns if c not in ("customers", *extra)]

    def cell(column, value):
        if value != value:  # NaN: suppressed or unknown
            return "<td>-</td>"
        if column == "customers":
            return f"<td>{int(value):,}</td>"
        if column == "revenue per customer":
            return f"<td>{value:,.0f}</td>"
        return f"<td>{value:.0%}</td>"

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in ["value", *table.columns])
    body = "".join("<tr><td>" + html.escape(str(v)) + "</td>" + "".join(cell(c, r[c]) for c in table.columns)
                   + "</tr>" for v, r in table.iterrows())
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(table) + 1.5))
    table[segments].fillna(0).plot.barh(stacked=True, ax=ax, width=0.7, colormap="tab10")
    ax.invert_yaxis()
    ax.set_xlabel("share of the value's customers")
    ax.set_ylabel("")
    ax.legend(title="segment", bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    image = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"<h2>The values compared</h2><p>Share of each value's customers in every segment of the shared "
            f"segmentation (- : fewer customers than privacy.min_cell_size), revenue per customer and campaign "
            f"response.</p><table class=\"segkit-table\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f'<img alt="Segment shares per value" src="data:image/png;base64,{image}">')
