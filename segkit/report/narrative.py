"""Plain-language text for reports: key findings, data quality, method.

Each function takes a finished :class:`segkit.pipeline.Analysis` and returns Markdown, so
the report notebook only displays it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import yaml

from segkit.io.weights import weighting_text
from segkit.monitor import psi_level
from segkit.profile.naming import humanise
from segkit.report.sections import people

__all__ = ["changes_text", "clustering_text", "data_text", "key_findings", "k_choice_text", "method_text",
           "not_shown_text", "outcomes_text", "pct", "rules_text", "segments_table", "unchanged_rules_text"]


def pct(x: float | None, digits: int = 0) -> str:
    """Format a share as a percentage.

    Examples
    --------
    >>> pct(0.1234), pct(0.1234, 1), pct(None)
    ('12%', '12.3%', 'n/a')
    """
    if x is None or pd.isna(x):
        return "n/a"
    return f"{x:.{digits}%}"


def segments_table(run: Any) -> pd.DataFrame:
    """One row per segment: name, size, share, revenue share, stability and description."""
    summary = run.profile_.summary
    stab = run.segmenter.stability_.get("per_segment", {})
    table = pd.DataFrame({
        "name": run.names["name"],
        people(run): summary["size"],
        "share": summary["share"].map(pct),
    })
    if "weighted_share" in summary:  # survey.weight
        table["weighted share"] = summary["weighted_share"].map(pct)
    if "revenue_share" in summary:
        table["revenue share"] = summary["revenue_share"].map(pct)
    table["stability"] = [None if stab.get(int(s)) is None else round(float(stab[int(s)]), 2) for s in table.index]
    table["description"] = run.names["description"]
    table.index.name = "segment"
    return table


def key_findings(run: Any) -> str:
    """The report's opening bullets: how many segments, who they are, where value and response are."""
    seg = run.segmenter
    summary = run.profile_.summary
    names = run.names["name"]
    n = len(run.labels)
    lines = [f"- **{seg.n_segments_} segments** among **{n:,} {people(run)}**, found with {seg.algorithm_} "
             f"on {run.X.shape[1]} features ({', '.join(humanise(str(c)) for c in run.X.columns[:6])}"
             f"{', ...' if run.X.shape[1] > 6 else ''})."]
    if summary["size"].notna().any():
        largest = summary["size"].idxmax()
        lines.append(f"- The largest segment is **{names[largest]}** ({pct(summary.loc[largest, 'share'])} of "
                     f"{people(run)}).")
    else:  # every segment is under privacy.min_cell_size: no size can be shown
        small = run.config["privacy"]["min_cell_size"]
        lines.append(f"- Every segment has fewer than {small} {people(run)} (privacy.min_cell_size), so their sizes and "
                     "figures are suppressed throughout this report.")
    if "revenue_share" in summary and summary["revenue_share"].notna().any():
        top = summary["revenue_share"].idxmax()
        lines.append(f"- **{names[top]}** bring {pct(summary.loc[top, 'revenue_share'])} of revenue "
                     f"from {pct(summary.loc[top, 'share'])} of customers.")
    if run.targeting is not None and run.targeting["response_rate"].notna().any():
        t = run.targeting.dropna(subset=["response_rate"]).sort_values("response_rate", ascending=False)
        best = t.iloc[0]
        lines.append(f"- Best responders: **{best['name']}** at {pct(best['response_rate'], 1)} "
                     f"(95% interval {pct(best['rate_low'], 1)}-{pct(best['rate_high'], 1)}).")
        actions = run.targeting.groupby("action")["segment"].apply(lambda s: ", ".join(str(names[i]) for i in s))
        for action, who in actions.items():
            if action == "too small to judge":
                small = run.config["privacy"]["min_cell_size"]
                lines.append(f"- **Too small to judge** (fewer than {small} customers; figures suppressed): {who}.")
            else:
                lines.append(f"- Recommended **{action}**: {who}.")
    unstable = seg.stability_.get("unstable", [])
    if unstable:
        lines.append(f"- Treat with care: {', '.join(str(names[u]) for u in unstable)} "
                     f"{'is' if len(unstable) == 1 else 'are'} not stable under resampling.")
    structure = getattr(seg, "structure_", None)
    if isinstance(structure, dict) and structure.get("level") in ("weak", "none"):
        lines.append(f"- {structure.get('reason') or 'The data show ' + structure['level'] + ' cluster structure.'}")
    for note in run.notes:
        lines.append(f"- {note}")
    return "\n".join(lines)


def changes_text(comparison: Any, *, max_features: int = 5) -> str:
    """What changed since the earlier run, as Markdown bullets (see :mod:`segkit.monitor`)."""
    m = comparison.migration
    returning = comparison.returning
    stayed = sum(int(m.at[i, i]) for i in m.index if i in m.columns)
    lines = [
        f"- Compared with **{comparison.old_label}**: {returning:,} customers are in both runs, "
        f"{comparison.newcomers:,} are new and {comparison.gone:,} are gone; "
        f"{stayed / returning:.0%} of the returning customers kept their segment." if returning else
        f"- Compared with **{comparison.old_label}**: no customer is in both runs.",
        "- Segment ids continue the earlier run's: each segment took the id of the earlier segment it "
        "overlaps best (Jaccard index of their customers).",
        f"- The mix of segments: PSI {comparison.size_psi:.2f} ({psi_level(comparison.size_psi)}; "
        "below 0.1 is stable, above 0.25 a major shift).",
    ]
    if len(comparison.drift):
        shifted = comparison.drift[comparison.drift["level"] != "stable"]
        if len(shifted):
            top = ", ".join(f"{humanise(f)} ({r['psi']:.2f}, {r['level']})"
                            for f, r in shifted.head(max_features).iterrows())
            lines.append(f"- Features that shifted ({len(shifted)} of {len(comparison.drift)}): {top}.")
        else:
            lines.append(f"- None of the {len(comparison.drift)} features shifted (PSI below 0.1 for all).")
    else:
        lines.append("- Feature drift not measured: the earlier run's summary.json has no feature reference.")
    lines += [f"- **Alert**: {a}" for a in comparison.alerts]
    return "\n".join(lines)


def k_choice_text(run: Any) -> str:
    """Why this number of segments, as bullets."""
    reasons = list(getattr(run.segmenter, "k_reasons_", []) or [])
    if not reasons:
        return f"The number of segments was fixed at {run.segmenter.n_segments_} by the config."
    return "\n".join(f"- {r}" for r in reasons)


def data_text(run: Any) -> str:
    """What was read, from where, and what the cleaning rules removed."""
    lines = []
    for src in run.inputs.sources:
        sha = str(src.get("sha256", ""))[:12]
        rows = src.get("rows")
        rows_txt = f"{rows:,} rows" if isinstance(rows, int) else ""
        lines.append(f"- **{src.get('role')}**: `{src.get('label')}` {rows_txt} (sha256 {sha}...)")
    join = getattr(run.features, "join", None)
    if isinstance(join, dict) and join:
        parts = ", ".join(f"{k.replace('_', ' ')}: {v:,}" for k, v in join.items() if isinstance(v, int))
        lines.append(f"- Customer table joined with the purchase log on the customer id ({parts}).")
    if run.inputs.ids_generated:
        lines.append("- The customer table has no id column: customers are numbered by row.")
    lines.append(f"- **{len(run.features.frame):,} {people(run)}** have features.")
    for text in getattr(run, "data_warnings", []):
        lines.append(f"- Warning: {text}")
    return "\n".join(lines)


def not_shown_text(columns: list[str], shown: list[str], *, what: str = "features", max_names: int = 6) -> str:
    """One line naming the ``columns`` a report section left out to stay readable.

    Sections show the most distinguishing few of many features (``shown``, e.g. from
    :func:`segkit.report.sections.most_distinguishing`); this line says how many others
    there are and names the first of them, so that the reader knows they exist. Empty when
    every column is shown.

    Examples
    --------
    >>> not_shown_text(["device", "os", "plan", "app_user"], ["os", "device"], what="category breakdowns")
    '_2 more category breakdowns not shown (smaller differences between segments): plan, app user._'
    >>> not_shown_text(["device", "os"], ["device"], what="category breakdowns")
    '_1 more category breakdown not shown (smaller differences between segments): os._'
    >>> not_shown_text(["device"], ["device"])
    ''
    """
    shown_set = set(shown)
    rest = [c for c in columns if c not in shown_set]
    if not rest:
        return ""
    if len(rest) == 1 and what.endswith("s"):
        what = what[:-1]  # "1 more category breakdown"
    listed = ", ".join(humanise(str(c)) for c in rest[:max_names])
    more = f" and {len(rest) - max_names} others" if len(rest) > max_names else ""
    return (f"_{len(rest)} more {what} not shown (smaller differences between segments): {listed}{more}._")


def unchanged_rules_text(log: Any) -> str:
    """One line naming the cleaning rules that were checked but changed no row.

    The report's cleaning table shows only the rules that changed something; this line
    says what else was checked, so that an empty table still tells the reader something.

    Examples
    --------
    >>> from segkit.features.clean import CleaningLog
    >>> log = CleaningLog()
    >>> log.add("duplicates", "dropped", "exact duplicate lines", rows=2)
    >>> for column in ("Income", "Kidhome"):
    ...     log.add("negative_values", "set to missing", "negative values", rows=0, column=column)
    >>> log.add("future_dates", "dropped", "dates after the snapshot", rows=0)
    >>> unchanged_rules_text(log)
    '_Also checked, nothing to change: negative values (2 columns), future dates._'
    """
    columns: dict[str, int] = {}
    for entry in log:
        if entry.rows == 0:
            columns[entry.rule] = columns.get(entry.rule, 0) + 1
    if not columns:
        return ""
    parts = [rule.replace("_", " ") + (f" ({n} columns)" if n > 1 else "") for rule, n in columns.items()]
    return f"_Also checked, nothing to change: {', '.join(parts)}._"


def outcomes_text(run: Any) -> str:
    """Which columns were treated as outcomes, and what that means, as Markdown.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from segkit.io import ColumnCall, ColumnRoles
    >>> calls = {"Churn": ColumnCall("Churn", "outcome", "none", "outcome", "", values="flag", group="outcomes")}
    >>> run = SimpleNamespace(inputs=SimpleNamespace(customer_roles=ColumnRoles(outcomes=["Churn"], columns=calls)),
    ...                       response_column=lambda: None)
    >>> print(outcomes_text(run))
    Outcomes are answers to predict or results of the past: the segments were found without them, and this table shows how each segment fares on them (the share of each answer with its 95% interval). Treated as outcomes: **Churn** (yes/no). To cluster on one, name it in `segmentation.features`.
    """
    roles = run.inputs.customer_roles
    columns = roles.outcome_columns if roles is not None else []
    if not columns:
        return ("_No outcome columns were found (churn, a default, an earlier segment label, campaign responses); "
                "name one with `columns.outcomes` to see it per segment._")
    response = run.response_column()
    described = []
    for column in columns:
        call = roles.columns.get(column)
        what = {"flag": "yes/no", "code": "levels", "ordinal": "ordered levels"}.get(
            call.value_kind if call is not None else "", "levels")
        if column in roles.campaigns:
            what = "campaign response, targeted on" if column == response else "campaign response"
        described.append(f"**{column}** ({what})")
    return ("Outcomes are answers to predict or results of the past: the segments were found without them, and "
            "this table shows how each segment fares on them (the share of each answer with its 95% interval). "
            f"Treated as outcomes: {', '.join(described)}. To cluster on one, name it in `segmentation.features`.")


def clustering_text(run: Any) -> str:
    """What was clustered on and why the other columns were not, as Markdown bullets."""
    selection = getattr(run.model, "selection_", None)
    if selection is None:
        return ""
    how = (f"the {', '.join(selection.basis)} {'basis' if len(selection.basis) == 1 else 'bases'}"
           if selection.basis else "`segmentation.features`")
    lines = [f"- Clustered on {len(selection.features)} features, chosen by {how}: "
             f"{', '.join(humanise(str(c)) for c in selection.features)}."]
    for why, columns in selection.reasons().items():
        lines.append(f"- Left out ({why}): {', '.join(map(str, columns))}.")
    return "\n".join(lines)


def method_text(run: Any) -> str:
    """Config, seeds and algorithm choice, as Markdown with a YAML block."""
    seg = run.segmenter
    reason = getattr(seg, "algorithm_reason_", "") or ""
    cfg = yaml.safe_dump(run.public_config(), sort_keys=False, allow_unicode=True, default_flow_style=None)
    clustering = clustering_text(run)
    clustering = f"{clustering}\n" if clustering else ""
    batteries = getattr(getattr(run, "model", None), "batteries_", None)  # survey.centre / survey.factors
    battery = batteries.method_text() if batteries is not None else ""
    clustering += f"{battery}\n\n" if battery else ""
    weights = getattr(run.features, "weights", None)
    if weights is not None:  # survey.weight: column, sum of weights, n_eff, and whether the fit used them
        clustering += "- " + weighting_text(run.inputs.weight_column, weights, algorithm=seg.algorithm_,
                                            used=getattr(seg, "weighted_", False), people=people(run)) + "\n"
    if getattr(run.features, "engine", None) is not None:  # engine: spark: what ran where
        from segkit.spark.stages import method_line

        clustering += f"- {method_line(run)}\n"
    return (f"{clustering}- Algorithm: **{seg.algorithm_}**. {reason}\n"
            f"- Seed: `segmentation.random_state = {run.config['segmentation']['random_state']}`; "
            f"the same data, config and seed give the same segments.\n"
            f"- Small cells: tables suppress groups of fewer than "
            f"{run.config['privacy']['min_cell_size']} {people(run)}.\n\n"
            f"Configuration used:\n\n```yaml\n{cfg}```")


def value_text(run: Any) -> str:
    """What the Value section says about predicted lifetime value: tested how, and shown or withheld, and why."""
    result = getattr(run, "value_result", None)
    if result is None:
        if run.config.get("engine") == "spark":
            from segkit.spark.stages import NO_VALUE

            return f"_{NO_VALUE}_"
        return "_Without a purchase log there is no predicted lifetime value._"
    v = result.validation
    if v["mae"] is None:
        return (f"**Predicted lifetime value is not shown**: {v['reason']}. The table shows historical "
                "value only.")
    head = (f"**How the prediction was tested.** The purchase models (BG/NBD, MBG/NBD, Pareto/NBD) were fitted on "
            f"the purchases up to {v['calibration_end']} and predicted what the {v['customers']:,} customers known "
            f"by then would buy in the next {v['holdout_days']} days. {v['model']} came closest: a mean absolute "
            f"error of {v['mae']:.3f} purchases per customer, against {v['baseline_mae']:.3f} for the naive "
            "baseline in which each customer keeps their past purchase rate.")
    failed = v.get("failed") or {}
    if failed and v["reliable"]:  # an unreliable verdict's reason, shown below, names them already
        head += " " + "; ".join(f"**{name} could not be scored** ({why})" for name, why in failed.items()) + \
            ": it is left out of the comparison, not counted as a loss."
    if not v["reliable"]:
        return head + (f"\n\n**Predicted lifetime value is not shown**: {v['reason']}. The table shows historical "
                       "value only.")
    alive = v.get("p_alive_model") or v["model"]
    source = "" if alive == v["model"] else (
        f" P(alive) comes from {alive}, the best of the models in which a customer who bought once and never "
        "again can have left (BG/NBD counts every such customer as alive).")
    return head + (f"\n\n{v['model']} was then refitted on the whole log. Lifetime value is the spend it expects over "
                   f"the next {result.horizon_weeks:.0f} weeks (purchases times the Gamma-Gamma expected "
                   f"spend per purchase).{source}")


def rules_text(run: Any) -> str:
    """What the rules table says, and how far to trust it (their fidelity and self-check)."""
    rules = run.rules
    text = (f"Each segment described by short rules a CRM can apply: thresholds on the clustered features, "
            f"at most {rules.max_conditions} per rule. Together the rules put **{pct(rules.fidelity, 1)}** of "
            f"{people(run)} in the segment the model gave them (their fidelity); `segment_rules.sql` holds the same "
            "rules as a SQL `CASE` expression.")
    if rules.reason:
        text += f"\n\n**Read these rules as approximations:** {rules.reason}."
    return text
