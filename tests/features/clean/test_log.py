"""segkit.features.clean.log: the actions a config may ask of each cleaning rule, and the log."""

from __future__ import annotations

import pandas as pd
import pytest

from segkit.exceptions import ConfigError
from segkit.features.clean import CleaningLog, clean_customers, clean_transactions

LOG = pd.DataFrame({
    "customer_id": pd.array(["1", "1", "2"], dtype="string"),
    "date": pd.to_datetime(["2024-01-02", "2024-01-02", "2024-01-03"]),
    "amount": [10.0, 0.0, 4.0],
    "invoice": pd.array(["5", "6", "7"], dtype="string"),
})
TABLE = pd.DataFrame({"customer_id": pd.array(["1", "2", "3"], dtype="string"), "Income": [5e4, 6e4, 7e4]})


@pytest.mark.parametrize("clean, data, rules, message", [
    (clean_transactions, LOG, {"refunds": "drop"}, r"'refunds': action must be one of \['net', 'keep'\]"),
    (clean_transactions, LOG, {"missing_date": "keep"}, r"'missing_date': action must be one of \['drop'\]"),
    (clean_transactions, LOG, {"zero_price": "drop"}, r"'zero_price' is unknown; did you mean 'zero_prices'\?"),
    (clean_customers, TABLE, {"income_outliers": "drop"},
     r"'income_outliers': action must be one of \['missing', 'cap', 'keep'\]"),
    (clean_customers, TABLE, {"missing_customer_id": "keep"},
     r"'missing_customer_id': action must be one of \['drop'\]"),
    (clean_customers, TABLE, {"duplicates": "keep"}, r"'duplicates' is unknown"),  # a purchase-log rule
], ids=["log-refunds", "log-missing-date", "log-typo", "table-income", "table-missing-id", "table-log-rule"])
def test_a_rule_takes_only_the_actions_it_allows(clean, data, rules, message):
    with pytest.raises(ConfigError, match=message):
        clean(data, rules=rules)


def test_a_rule_without_listed_actions_may_drop_or_keep():
    kept, log = clean_transactions(LOG, rules={"zero_prices": "keep"})
    dropped, _ = clean_transactions(LOG, rules={"zero_prices": "drop"})
    assert (len(kept), len(dropped)) == (3, 2)
    assert log["zero_prices"].action == "kept"


def test_both_tables_record_into_one_log():
    _, log_lines = clean_transactions(LOG, snapshot_date="2024-02-01")
    _, table_lines = clean_customers(TABLE, reference_year=2024)
    log = log_lines + table_lines
    assert isinstance(log, CleaningLog)
    assert [e.rule for e in log][:2] == ["cancellations", "negative_quantities"]
    assert log.thresholds["reference_year"] == 2024
    assert log.to_frame()["rule"].tolist()[-1] == "income_outliers"


def test_logs_of_the_parts_of_a_table_add_up_rule_by_rule():
    from segkit.features.clean.log import CleaningLog

    parts = []
    for rows, revenue in ((2, 10.0), (0, 0.0), (5, -2.5)):
        log = CleaningLog(thresholds={"reference_year": 2024})
        log.add("missing_customer_id", "dropped", "no id", rows=rows, revenue=revenue, column="customer_id")
        log.add("duplicates", "dropped", "exact duplicates", rows=1, revenue=None)
        parts.append(log)
    total = CleaningLog.summed(parts)
    assert [e.rule for e in total.entries] == ["missing_customer_id", "duplicates"]
    assert (total["missing_customer_id"].rows, total["missing_customer_id"].revenue) == (7, 7.5)
    assert (total["duplicates"].rows, total["duplicates"].revenue) == (3, None)
    assert total.thresholds == {"reference_year": 2024} and total.rows_dropped == 10
