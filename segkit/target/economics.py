"""Campaign economics: the cost of a contact and the revenue of a response.

From the config, or from constant columns of the customer table (the iFood table's
``Z_CostContact`` and ``Z_Revenue``), read as numbers even when written as money
(``"€3"``, ``"2,50 €"``).

Examples
--------
>>> campaign_economics(cost=3, revenue="€11")
CampaignEconomics(cost_per_contact=3.0, revenue_per_response=11.0, source='config')
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from segkit.config import _money
from segkit.exceptions import ConfigError, DataError, quote

__all__ = ["CampaignEconomics", "amount", "campaign_economics", "economics_or_rate"]


class CampaignEconomics(NamedTuple):
    """Cost per contact, revenue per response, and where each came from."""

    cost_per_contact: float
    revenue_per_response: float
    source: str


def amount(value, what: str) -> float:
    """A cost or revenue as a finite float; text such as ``"3"`` or ``"€3"`` is read as a number.

    Examples
    --------
    >>> amount("€3", "campaign.cost_per_contact"), amount(2.5, "campaign.cost_per_contact")
    (3.0, 2.5)
    >>> amount("free", "campaign.cost_per_contact")
    Traceback (most recent call last):
    ...
    segkit.exceptions.ConfigError: campaign.cost_per_contact must be a number (e.g. 3 or 2.50), got 'free'
    """
    number = _money(value) if isinstance(value, str) else value
    try:
        number = float(number)
    except (TypeError, ValueError):
        raise ConfigError(f"{what} must be a number (e.g. 3 or 2.50), got {quote(value)}") from None
    if isinstance(value, bool) or not math.isfinite(number):
        raise ConfigError(f"{what} must be a finite number (e.g. 3 or 2.50), got {quote(value)}")
    return number


def _single_value(frame: pd.DataFrame, column: str) -> float:
    present = frame[column].dropna()
    text = present.map(lambda v: _money(v) if isinstance(v, str) else v)
    values = pd.to_numeric(text, errors="coerce")
    if values.isna().any():
        pos = int(np.flatnonzero(frame[column].notna().to_numpy())[np.flatnonzero(values.isna().to_numpy())[0]])
        raise DataError(f"customers: column {column!r} has a value that is not a number ({frame[column].iloc[pos]!r} "
                        f"at row {pos + 1}); expected one constant campaign cost or revenue, or give it in the "
                        "config instead")
    values = values.unique()
    if len(values) != 1:
        example = values[:3].tolist()
        raise DataError(f"customers: column {column!r} has {len(values)} distinct values (e.g. {example}); "
                        "expected one constant campaign cost or revenue; give it in the config instead")
    return float(values[0])


def campaign_economics(
    customers: pd.DataFrame | None = None,
    cost: float | None = None,
    revenue: float | None = None,
) -> CampaignEconomics:
    """Cost per contact and revenue per response, from arguments or constant columns.

    Explicit values win. Otherwise a single-valued column whose name contains ``cost``
    (e.g. ``Z_CostContact``) gives the cost and one containing ``revenue`` (``Z_Revenue``)
    gives the revenue.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"Z_CostContact": [3, 3], "Z_Revenue": [11, 11]})
    >>> campaign_economics(df)
    CampaignEconomics(cost_per_contact=3.0, revenue_per_response=11.0, source='columns Z_CostContact, Z_Revenue')
    >>> campaign_economics(df, cost=2.5).cost_per_contact
    2.5
    """
    sources = []
    if cost is None:
        cost, column = _from_column(customers, "cost", "campaign.cost_per_contact", "Z_CostContact")
        sources.append(column)
    if revenue is None:
        revenue, column = _from_column(customers, "revenue", "campaign.revenue_per_response", "Z_Revenue")
        sources.append(column)
    cost = amount(cost, "campaign.cost_per_contact")
    revenue = amount(revenue, "campaign.revenue_per_response")
    if cost < 0 or revenue <= 0:
        raise ConfigError(f"campaign economics must have cost >= 0 and revenue > 0, got cost={cost:g}, "
                          f"revenue={revenue:g}")
    source = "columns " + ", ".join(sources) if len(sources) == 2 else (
        "config" if not sources else f"config and column {sources[0]}")
    return CampaignEconomics(cost, revenue, source)


def _from_column(customers: pd.DataFrame | None, word: str, key: str, example: str) -> tuple[float, str]:
    """The constant value of the first column whose name contains ``word``, and that column."""
    hits = [] if customers is None else [c for c in customers.columns
                                         if word in re.sub(r"[^a-z]", "", str(c).lower())]
    if not hits:
        raise ConfigError(f"{key} is not set and no {word} column (e.g. {example}) was found; "
                          "expected a number in the config")
    return _single_value(customers, hits[0]), hits[0]


def economics_or_rate(customers: pd.DataFrame | None, campaign: dict, response: pd.Series,
                      notes: list[str]) -> tuple[float, float, bool]:
    """Cost per contact and revenue per response for a report, and whether they are known.

    They come from the ``campaign`` config section or from constant columns (``Z_CostContact``,
    :func:`campaign_economics`). Without them a segment's action compares its response rate
    with the overall rate (the break-even rate is set to it, as if a contact cost what the
    average response earns), expected profit is left empty, and a note (appended to ``notes``)
    says so.

    Examples
    --------
    >>> notes = []
    >>> economics_or_rate(None, {"cost_per_contact": None, "revenue_per_response": None},
    ...                   pd.Series([1, 0, 0, 0]), notes)
    (0.25, 1.0, False)
    """
    try:
        econ = campaign_economics(customers, cost=campaign["cost_per_contact"],
                                  revenue=campaign["revenue_per_response"])
    except ConfigError:
        if campaign["cost_per_contact"] is not None and campaign["revenue_per_response"] is not None:
            raise
    else:
        return econ.cost_per_contact, econ.revenue_per_response, True
    rate = float(pd.to_numeric(response, errors="coerce").astype("float64").mean())
    rate = 0.0 if np.isnan(rate) else rate
    missing = [f"campaign.{k}" for k in ("cost_per_contact", "revenue_per_response") if campaign[k] is None]
    notes.append(
        f"There is no expected profit because {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
        f"not set: segments responding clearly above the overall rate ({rate:.1%}) are recommended for "
        f"targeting, those clearly below it are not."
    )
    return rate, 1.0, False
