"""segkit.io.parse: cell text written for people (currencies, decimal commas, accounting negatives,
k and M, missing-value words, yes/no in several languages) read as typed values."""

from __future__ import annotations

import pandas as pd

from segkit.io import standardise_transactions


def test_amount_text_with_currency_and_decimal_comma():
    raw = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2011-01-01"] * 2, "Revenue": ["$1,234.50", "€ 7"],
                        "Qty": ["3,50", "1.234,5"], "Unit Price": [1.0, 2.0]})
    out = standardise_transactions(raw)
    assert out["amount"].tolist() == [1234.5, 7.0] and out["quantity"].tolist() == [3.5, 1234.5]
