"""segkit.profile.naming: plain-language labels of columns and names of segments from their traits."""

from __future__ import annotations

import pandas as pd

from segkit.profile import humanise, name_segments, profile_segments


def test_labels_keep_accented_letters():
    assert humanise("Dépenses épicerie") == "dépenses épicerie"
    assert humanise("Âge") == "age" and humanise("Revenu annuel") == "income"
    assert humanise("Visits per month") == "visits" and humanise("NumWebVisitsMonth") == "web visits"


def _profile(features: dict, labels: list[int]):
    idx = pd.Index([str(i) for i in range(len(labels))], name="customer_id")
    return profile_segments(pd.DataFrame(features, index=idx), pd.Series(labels, index=idx, name="segment"),
                            min_cell_size=0)


def test_yes_no_features_are_named_and_described_as_shares():
    names = name_segments(_profile({"PaperlessBilling": [1] * 30 + [0] * 30 + [1] * 10 + [0] * 10,
                                    "tenure": [10.0, 12.0] * 15 + [11.0, 13.0] * 15 + [11.0, 12.0] * 10},
                                   [0] * 30 + [1] * 30 + [2] * 20))
    assert names.loc[0, "name"].startswith("Paperless-billing")
    assert names.loc[1, "name"].startswith("Non-paperless-billing")
    assert names.loc[0, "description"].startswith("Paperless billing: 100% vs 50% overall")


def test_one_off_only_for_customers_with_about_one_order():
    freq = [1.0] * 20 + [4.0, 5.0] * 10 + [12.0, 13.0] * 10  # 6 orders on average
    names = name_segments(_profile({"frequency": freq}, [0] * 20 + [1] * 20 + [2] * 20))
    assert names["name"].tolist() == ["One-off customers", "Infrequent customers", "Regulars"]


def test_weak_second_traits_do_not_name_a_segment():
    # Segment 0 spends less; its orders are the same as everyone's: it is not "low-orders".
    spend = [50.0, 60.0] * 20 + [150.0, 160.0] * 20
    orders = [5.0, 6.0, 5.0, 6.0] * 10 + [5.0, 6.0, 6.0, 5.0] * 10
    names = name_segments(_profile({"spend_last_year": spend, "orders_last_year": orders}, [0] * 40 + [1] * 40))
    assert names.loc[0, "name"] == "Light spenders"


def test_is_and_has_flags_are_named_as_nouns():
    flags = [1] * 30 + [0] * 30 + [1, 0] * 10
    spend = [10.0, 12.0] * 15 + [11.0, 13.0] * 15 + [11.0, 12.0] * 10
    names = name_segments(_profile({"IsMember": flags, "spend": spend}, [0] * 30 + [1] * 30 + [2] * 20))
    assert names.loc[0, "name"].startswith("Member") and names.loc[1, "name"].startswith("Non-member")
    names = name_segments(_profile({"HasPet": flags, "spend": spend}, [0] * 30 + [1] * 30 + [2] * 20))
    assert names.loc[0, "name"].startswith("With-pet") and names.loc[1, "name"].startswith("Without-pet")


def test_abbreviated_column_names_are_written_out():
    assert [humanise(c) for c in ("amt", "qty", "txn_count", "TotalSpend", "Spend [€]")] == [
        "amount", "quantity", "transaction count", "spend", "spend"]
