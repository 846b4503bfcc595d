"""Campaign targeting: response rate, expected profit and action per segment.

From past campaign responses, :func:`targeting_table` gives each segment a response rate
with a Wilson interval, the expected profit per contact
(``response_rate * revenue_per_response - cost_per_contact``) and a recommended action
from where the interval lies against the break-even rate ``cost / revenue``
(:data:`ACTIONS`; see :mod:`segkit.target`); :func:`target_lists` lists the customers of
the segments to contact.

Examples
--------
>>> import pandas as pd
>>> labels = pd.Series([0] * 50 + [1] * 50, name="segment")
>>> response = pd.Series([1] * 25 + [0] * 25 + [0] * 50)
>>> targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11)["action"].tolist()
['target', 'do not contact']
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from segkit.exceptions import ColumnError, ConfigError, DataError, SegkitWarning, user_stacklevel
from segkit.privacy import DEFAULT_MIN_CELL_SIZE, suppress_small_cells
from segkit.target.economics import amount
from segkit.target.rates import binary_responses, weighted_rates, wilson_interval

__all__ = ["ACTIONS", "TargetingTable", "target_lists", "targeting_table"]

#: The recommended actions, from where a segment's response-rate interval lies against the
#: break-even rate: above it, straddling it, below it, or too few customers to judge.
ACTIONS = ("target", "test first", "do not contact", "too small to judge")


class TargetingTable(pd.DataFrame):
    """The targeting table (a plain :class:`~pandas.DataFrame` to compute with) that a notebook
    shows formatted: rates as percentages, profit in currency units, names unwrapped, the
    break-even rate and notes in the caption (:func:`segkit.report.tables.targeting_table`).
    Anything computed from it (a selection, a copy) is a plain DataFrame again."""

    @property
    def _constructor(self):
        return pd.DataFrame

    def _repr_html_(self) -> str:
        from segkit.report.tables import targeting_table as styled

        return styled(self).to_html()


def _segment_names(names, segments) -> pd.Series:
    if names is None:
        return pd.Series([f"Segment {s}" for s in segments], index=segments, dtype="string")
    if isinstance(names, pd.DataFrame):
        if "name" not in names.columns:
            raise ColumnError("names: expected a 'name' column (the output of name_segments)")
        names = names["name"]
    names = pd.Series(names) if isinstance(names, Mapping) else names
    out = pd.Series(names).reindex(segments)
    out = out.astype("string").fillna(pd.Series([f"Segment {s}" for s in segments], index=segments, dtype="string"))
    return out


def _align(labels: pd.Series, other: pd.Series, what: str) -> tuple[pd.Series, pd.Series]:
    if not isinstance(labels, pd.Series) or not isinstance(other, pd.Series):
        raise DataError(f"labels and {what} must be pandas Series indexed by customer_id")
    common = labels.index.intersection(other.index)
    if len(common) == 0:
        raise DataError(f"labels and {what} share no customer ids; expected both indexed by customer_id")
    if len(common) < len(labels):
        warnings.warn(f"{len(labels) - len(common)} labelled customers have no {what} and are left out of the "
                      "response rates", SegkitWarning, stacklevel=user_stacklevel())
    return labels.loc[common], other.loc[common]


def targeting_table(
    labels: pd.Series,
    response: pd.Series,
    *,
    names=None,
    cost_per_contact: float,
    revenue_per_response: float,
    confidence: float = 0.95,
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE,
    source: str | None = None,
    weights: pd.Series | None = None,
) -> pd.DataFrame:
    """Response rate, interval, expected profit and action per segment (``targeting.csv``).

    Parameters
    ----------
    labels : Series
        Segment per customer, indexed by ``customer_id``.
    response : Series
        Past campaign response per customer: 0/1, true/false or yes/no (y/n, in any case);
        missing responses are left out of the rates (their number is in
        ``attrs["without_response"]``), not out of the segment.
    names : Series, mapping or DataFrame, optional
        Segment names (e.g. :func:`segkit.profile.name_segments` output).
    cost_per_contact, revenue_per_response : float
        Campaign economics (see :func:`~segkit.target.economics.campaign_economics`).
    confidence : float
        Level of the Wilson interval.
    min_cell_size : int
        Segments with fewer customers with a known response are suppressed: their row
        stays, with the name, ``break_even_rate``, ``suppressed`` True and the action
        ``too small to judge``; every figure that describes the segment (``customers``,
        ``size``, ``responders``, the rate and its interval, both profits) is NaN, as in
        :func:`segkit.profile.profile_segments`. A segment with no known response at all is
        ``too small to judge`` whatever ``min_cell_size``.
    source : str, optional
        Name of the table the responses come from, for messages.
    weights : Series, optional
        Survey weights per customer (``survey.weight``): the rate is the weighted share of
        responders, its interval a Wilson interval on the effective sample size (``n_eff``, a
        column then), and a segment is too small when its ``n_eff`` (or its responders, raw or
        effective) is under ``min_cell_size``.

    Returns
    -------
    DataFrame
        One row per segment of ``labels``, sorted by segment: ``segment, name, customers,
        size, responders, response_rate, rate_low, rate_high, expected_profit_per_contact,
        expected_total_profit, break_even_rate, action, suppressed, suppressed_reason``
        (segments with fewer than ``min_cell_size`` customers, responders or non-responders
        have their response figures hidden). ``customers`` counts
        all the segment's customers, ``size`` those with a known response (the base of
        the rate and its interval).
        ``expected_profit_per_contact = response_rate * revenue - cost`` exactly, and
        ``expected_total_profit = expected_profit_per_contact * customers``: the expected
        profit if the whole segment is contacted, customers without a known response
        assumed to respond at the segment's rate.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.Series([0] * 100 + [1] * 100, name="segment")
    >>> response = pd.Series([1] * 40 + [0] * 60 + [1] * 10 + [0] * 90)
    >>> t = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11)
    >>> t[["segment", "response_rate", "expected_profit_per_contact", "action"]]
       segment  response_rate  expected_profit_per_contact          action
    0        0            0.4                          1.4          target
    1        1            0.1                         -1.9  do not contact
    >>> tiny = pd.Series([0] * 100 + [1] * 6, name="segment")
    >>> targeting_table(tiny, pd.Series([1] * 40 + [0] * 66), cost_per_contact=3,
    ...                 revenue_per_response=11)[["segment", "size", "response_rate", "action"]]
       segment   size  response_rate              action
    0        0  100.0            0.4              target
    1        1    NaN            NaN  too small to judge
    """
    cost, revenue = _checked_economics(cost_per_contact, revenue_per_response)
    answered, response, without = _known_responses(labels, response, source)
    # the whole segment, customers without a response included: whom a campaign would contact
    customers = labels.dropna().groupby(labels.dropna().to_numpy(), sort=True).size().astype("int64")
    rates = _response_rates(answered, response, customers.index, confidence, weights)
    break_even = cost / revenue
    per_contact = rates["response_rate"] * revenue - cost
    action = np.where(rates["rate_low"] > break_even, ACTIONS[0],
                      np.where(rates["rate_high"] < break_even, ACTIONS[2], ACTIONS[1]))
    table = pd.DataFrame(
        {
            "segment": customers.index.to_numpy(),
            "name": _segment_names(names, customers.index).to_numpy(),
            "customers": customers.to_numpy(),
            **{column: rates[column].to_numpy() for column in rates.columns},
            "expected_profit_per_contact": per_contact.to_numpy(),
            # if the whole segment is contacted: the rate of those who answered, for all its customers
            "expected_total_profit": (per_contact * customers).to_numpy(),
            "break_even_rate": break_even,
            "action": action,
        }
    )
    checks = None
    if weights is not None:  # the privacy check counts by the effective sizes (never more than the raw ones)
        effective = rates.pop("effective").to_numpy()
        checks = {"responders": np.minimum(rates["responders"].to_numpy(), effective),
                  "non-responders": np.minimum(rates["size"].to_numpy() - rates["responders"].to_numpy(),
                                               rates["n_eff"].to_numpy() - effective)}
        table = table.drop(columns="effective")
    table = suppress_small_cells(
        table, count_col="size" if weights is None else table["n_eff"], min_cell_size=min_cell_size,
        columns=["customers", "size", "responders", "response_rate", "rate_low", "rate_high",
                 "expected_profit_per_contact", "expected_total_profit", *(["n_eff"] if weights is not None else [])],
    )
    table.loc[table["suppressed"] | (rates["size"].to_numpy() == 0), "action"] = ACTIONS[3]
    table = _suppress_few_responders(table, min_cell_size, checks)
    table.attrs.update({"cost_per_contact": cost, "revenue_per_response": revenue, "confidence": confidence,
                        "without_response": without, "response_column": response.name})
    shown = TargetingTable(table)
    shown.attrs.update(table.attrs)
    return shown


#: The figures of a targeting row from which its responders could be counted.
_RESPONSE_FIGURES = ["responders", "response_rate", "rate_low", "rate_high", "expected_profit_per_contact",
                     "expected_total_profit"]


def _suppress_few_responders(table: pd.DataFrame, min_cell_size: int, checks: dict | None = None) -> pd.DataFrame:
    """Hide the response figures of segments with 1 to ``min_cell_size - 1`` responders (or
    non-responders), and say why in ``suppressed_reason``.

    Small-cell suppression covers every count derived from customers: a segment of 400 with
    3 responders shows its size, but not the 3 (nor a rate, interval or profit that gives them
    away). The action is kept: whether to contact a segment of 400 reveals no small count.

    Examples
    --------
    >>> t = pd.DataFrame({"segment": [0, 1], "size": [400.0, 5.0], "responders": [3.0, None],
    ...                   "response_rate": [0.0075, None], "rate_low": [0.002, None], "rate_high": [0.02, None],
    ...                   "expected_profit_per_contact": [-2.9, None], "expected_total_profit": [-1160.0, None],
    ...                   "suppressed": [False, True]})
    >>> _suppress_few_responders(t, 10)[["responders", "response_rate", "suppressed", "suppressed_reason"]]
       responders  response_rate  suppressed         suppressed_reason
    0         NaN            NaN        True  fewer than 10 responders
    1         NaN            NaN        True  fewer than 10 customers
    """
    out = table.copy()
    reason = pd.Series("", index=out.index, dtype="object")
    reason[out["suppressed"].to_numpy(dtype=bool)] = f"fewer than {min_cell_size} customers"
    if min_cell_size > 1:
        responders, size = out["responders"], out["size"]
        checks = checks or {"responders": responders, "non-responders": size - responders}
        for what, count in checks.items():
            count = pd.Series(np.asarray(count, dtype=float), index=out.index)
            few = (~out["suppressed"] & (count > 0) & (count < min_cell_size)).to_numpy(dtype=bool)
            reason[few & (reason == "")] = f"fewer than {min_cell_size} {what}"
        hide = (reason != "").to_numpy() & ~out["suppressed"].to_numpy(dtype=bool)
        out.loc[hide, _RESPONSE_FIGURES] = np.nan
        out["suppressed"] = out["suppressed"].to_numpy(dtype=bool) | hide
    out["suppressed_reason"] = reason.astype("string")
    return out


def _checked_economics(cost_per_contact, revenue_per_response) -> tuple[float, float]:
    if revenue_per_response is None or cost_per_contact is None:
        raise ConfigError("targeting_table needs cost_per_contact and revenue_per_response")
    cost = amount(cost_per_contact, "cost_per_contact")
    revenue = amount(revenue_per_response, "revenue_per_response")
    if revenue <= 0 or cost < 0:
        raise ConfigError(f"expected cost_per_contact >= 0 and revenue_per_response > 0, got {cost:g}, {revenue:g}")
    return cost, revenue


def _known_responses(labels: pd.Series, response: pd.Series, source: str | None) -> tuple[pd.Series, pd.Series, int]:
    """The segments and 0/1 responses of the customers who answered, and how many did not."""
    labels, response = _align(labels, response, "response")
    name = response.name
    column = f"{source + ': ' if source else ''}column {name!r}" if name is not None else "response"
    response = binary_responses(response, column)
    known = response.notna()
    if not known.any():
        raise DataError(f"{column} has no response for any of the {len(response):,} segmented customers (all "
                        "missing); expected 0/1, yes/no or true/false answers to a past campaign")
    if not known.all():
        warnings.warn(f"{int((~known).sum())} customers without a response are left out of the response rates",
                      SegkitWarning, stacklevel=user_stacklevel())
    return labels[known], response[known].rename(name), int((~known).sum())


def _response_rates(labels: pd.Series, response: pd.Series, segments: pd.Index, confidence: float,
                    weights: pd.Series | None = None) -> pd.DataFrame:
    """Per segment: ``size`` (known responses), ``responders``, ``response_rate`` and its Wilson interval
    (weighted: the weighted rate, its interval on ``n_eff``, and ``n_eff`` and ``effective`` responders).

    A segment none of whose customers has a response keeps its row, with size 0.
    """
    grouped = response.groupby(labels.to_numpy(), sort=True)
    if weights is not None:
        w = weights.reindex(labels.index).fillna(0.0)
        table = weighted_rates(response, labels.to_numpy(), w, segments, confidence=confidence)
        return pd.DataFrame({"size": table["size"].astype("int64"),
                             "responders": grouped.sum().reindex(segments, fill_value=0).astype("int64"),
                             "response_rate": table["rate"], "rate_low": table["low"], "rate_high": table["high"],
                             "n_eff": table["n_eff"], "effective": table["effective"]}, index=segments)
    size = grouped.size().reindex(segments, fill_value=0).astype("int64")
    responders = grouped.sum().reindex(segments, fill_value=0).astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = responders / size.where(size > 0)
    low, high = wilson_interval(responders.to_numpy(), size.to_numpy(), confidence=confidence)
    return pd.DataFrame({"size": size, "responders": responders, "response_rate": rate, "rate_low": low,
                         "rate_high": high}, index=segments)


def target_lists(
    labels: pd.Series,
    targeting: pd.DataFrame,
    *,
    segments=None,
    actions=None,
) -> pd.DataFrame:
    """Customers of the chosen segments: the CRM target list.

    Parameters
    ----------
    labels : Series
        Segment per customer, indexed by ``customer_id``.
    targeting : DataFrame
        :func:`targeting_table` output.
    segments : int or sequence of int, optional
        Export these segments (whatever their action, unless ``actions`` is given too).
    actions : str or sequence of str, optional
        Export the segments whose action is one of these (:data:`ACTIONS`). With neither
        ``segments`` nor ``actions``, the segments to ``"target"``; when there are none, the
        list is empty and a :class:`~segkit.exceptions.SegkitWarning` says what the actions
        were and how to choose segments.

    Returns
    -------
    DataFrame
        ``customer_id, segment, segment_name, action``, sorted by segment and id.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.Series([0, 0, 1], index=pd.Index(["a", "b", "c"], name="customer_id"), name="segment")
    >>> targeting = pd.DataFrame({"segment": [0, 1], "name": ["Wine lovers", "Lapsed"],
    ...                           "action": ["target", "do not contact"]})
    >>> target_lists(labels, targeting)
      customer_id  segment segment_name  action
    0           a        0  Wine lovers  target
    1           b        0  Wine lovers  target
    >>> target_lists(labels, targeting, segments=[1])["customer_id"].tolist()
    ['c']
    """
    for column in ("segment", "name", "action"):
        if column not in targeting.columns:
            raise ColumnError(f"targeting: column {column!r} not found; expected targeting_table output")
    default = segments is None and actions is None
    actions = _as_tuple(actions if actions is not None else (None if segments is not None else ("target",)))
    unknown = [a for a in actions if a not in ACTIONS]
    if unknown:
        raise ConfigError(f"The value for `actions` must be among {list(ACTIONS)}, but {unknown} was passed.")
    chosen = targeting.set_index("segment")
    if segments is not None:
        wanted = [int(s) for s in _as_tuple(segments)]
        missing = [s for s in wanted if s not in chosen.index]
        if missing:
            raise ConfigError(f"The value for `segments` must be among the targeting table's segments "
                              f"{chosen.index.tolist()}, but {missing} was passed.")
        chosen = chosen.loc[wanted]
    if actions:
        chosen = chosen[chosen["action"].isin(list(actions))]
    if default and chosen.empty:
        counts = targeting["action"].value_counts()
        listed = ", ".join(f"{action} {n}" for action, n in counts.items())
        warnings.warn(f"no segment has the action 'target' (actions: {listed}), so the target list is empty; "
                      "export chosen segments with target_lists(labels, targeting, segments=[...]) or other "
                      "actions with actions=['test first']", SegkitWarning, stacklevel=user_stacklevel())
    frame = pd.DataFrame({"customer_id": labels.index.astype("string"), "segment": labels.to_numpy()})
    frame = frame[frame["segment"].isin(chosen.index)]
    frame["segment_name"] = frame["segment"].map(chosen["name"]).astype("string")
    frame["action"] = frame["segment"].map(chosen["action"]).astype("string")
    return frame.sort_values(["segment", "customer_id"], kind="stable").reset_index(drop=True)


def _as_tuple(value) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (str, int, np.integer)):
        return (value,)
    return tuple(value)
