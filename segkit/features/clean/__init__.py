"""Cleaning with a log: documented, configurable rules for purchase logs and customer tables.

Every rule is data (:data:`TRANSACTION_RULES`, :data:`CUSTOMER_RULES`): a name, a default
action and a sentence saying what it does. The functions apply the rules in that order and
return the cleaned frame with a :class:`CleaningLog` of what each rule touched (rows and,
for purchase logs, revenue), which the report shows and ``summary.json`` stores under
``data_quality``.

* :mod:`~segkit.features.clean.log` -- the :class:`CleaningLog` both kinds of table record into;
* :mod:`~segkit.features.clean.transactions` -- the purchase-log rules, :func:`clean_transactions`;
* :mod:`~segkit.features.clean.customers` -- the customer-table rules, :func:`clean_customers`,
  and how they find birth years, ages and incomes by name.

Examples
--------
>>> import pandas as pd
>>> from segkit.features.clean import clean_customers
>>> table = pd.DataFrame({"customer_id": ["1", "1", "2"], "Age": [34, 34, 430]})
>>> clean, log = clean_customers(table)
>>> clean["Age"].tolist(), log.rows_dropped
([34.0, nan], 1)
"""

from segkit.features.clean.customers import (
    CUSTOMER_RULES,
    age_columns,
    birth_date_columns,
    birth_year_columns,
    clean_customers,
    income_columns,
    signed_columns,
    upper_log_fence,
    with_customer_id_column,
)
from segkit.features.clean.log import CleaningEntry, CleaningLog
from segkit.features.clean.transactions import (
    ADJUSTMENT_PATTERN,
    CANCELLATION_PATTERN,
    TRANSACTION_RULES,
    clean_transactions,
)

__all__ = [
    "ADJUSTMENT_PATTERN",
    "CANCELLATION_PATTERN",
    "CUSTOMER_RULES",
    "TRANSACTION_RULES",
    "CleaningEntry",
    "CleaningLog",
    "age_columns",
    "birth_date_columns",
    "birth_year_columns",
    "clean_customers",
    "clean_transactions",
    "income_columns",
    "signed_columns",
    "upper_log_fence",
    "with_customer_id_column",
]
