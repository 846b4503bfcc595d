"""segkit.target.economics: the cost of a contact and the revenue of a response, from the config or
the data, written as numbers or as text."""

from __future__ import annotations

import pandas as pd
import pytest

from segkit.config import make_config
from segkit.exceptions import ConfigError, DataError
from segkit.target import campaign_economics
from segkit.target.campaign import targeting_table
from segkit.target.economics import amount
from tests.shapes import two_segments


@pytest.mark.parametrize(("value", "expected"), [(3, 3.0), ("3", 3.0), ("€3", 3.0), ("2,50 €", 2.5)],
                         ids=["int", "text", "euro-prefix", "euro-suffix-comma"])
def test_amount_reads_money_written_as_text(value, expected):
    assert amount(value, "cost") == expected


@pytest.mark.parametrize("value", [True, float("inf"), "three", None], ids=["bool", "inf", "word", "none"])
def test_amount_refuses_what_is_not_a_finite_number(value):
    with pytest.raises(ConfigError, match="cost must be a"):
        amount(value, "cost")


def test_costs_written_as_text_are_numbers_and_nonsense_is_refused():
    cfg = make_config({"campaign": {"cost_per_contact": "€3", "revenue_per_response": "12,50 €"},
                       "ab_test": {"mde": "3%"}})
    assert (cfg["campaign"]["cost_per_contact"], cfg["campaign"]["revenue_per_response"]) == (3, 12.5)
    assert cfg["ab_test"]["mde"] == 0.03
    for key, value, expected in [("revenue_per_response", 0, "a number > 0"),
                                 ("revenue_per_response", float("inf"), "a number > 0"),
                                 ("cost_per_contact", "3 euros", "a number >= 0")]:
        with pytest.raises(ConfigError, match=f"'campaign.{key}' must be {expected}"):
            make_config({"campaign": {key: value}})
    labels = two_segments(20)
    t = targeting_table(labels, pd.Series([1, 0] * 10, index=labels.index), cost_per_contact="3",
                        revenue_per_response="€11", min_cell_size=2)
    assert t["expected_profit_per_contact"].tolist() == [0.5 * 11 - 3] * 2
    with pytest.raises(ConfigError, match="cost_per_contact must be a finite number"):
        targeting_table(labels, pd.Series([1, 0] * 10, index=labels.index), cost_per_contact=float("nan"),
                        revenue_per_response=11)
    econ = campaign_economics(pd.DataFrame({"Z_CostContact": ["€3", "€3"], "Z_Revenue": ["€11", "€11"]}))
    assert econ[:2] == (3.0, 11.0)


def test_campaign_economics_from_columns_and_config():
    df = pd.DataFrame({"Z_CostContact": [3, 3, 3], "Z_Revenue": [11, 11, 11], "Income": [1, 2, 3]})
    assert campaign_economics(df)[:2] == (3.0, 11.0)
    assert campaign_economics(df, cost=2, revenue=20)[:2] == (2.0, 20.0)
    assert campaign_economics(df, revenue=20).cost_per_contact == 3.0
    assert campaign_economics(None, cost=1, revenue=5).source == "config"
    varied = df.assign(Z_Revenue=[11, 12, 11])
    with pytest.raises(DataError, match="Z_Revenue"):
        campaign_economics(varied)
    with pytest.raises(ConfigError, match="cost"):
        campaign_economics(df[["Income"]])
