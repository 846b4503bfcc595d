"""segkit.report.tables: the report's tables read like a report: words for names, no NaN,
percentages, no row numbers, captions that say what a column would only repeat."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from segkit import tables, target
from segkit.exceptions import SegkitWarning
from segkit.tables import (
    ab_plan_table,
    attractiveness_table,
    inputs_table,
    k_selection_table,
    rfm_by_segment_table,
    show,
    targeting_table,
)
from tests.shapes import two_segments


def test_targeting_table_says_how_many_customers_had_no_response():
    labels = two_segments(40)
    response = pd.Series([1, 0, None, 0] * 10, index=labels.index, name="Responded", dtype="Float64")
    with pytest.warns(SegkitWarning):
        t = target.targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11, min_cell_size=2)
    caption = tables.targeting_table(t).caption
    assert "10 customers have no response in Responded and are left out" in caption
    assert caption.startswith("Break-even response rate: 27.3% of contacts.")


def _cells(styler) -> list[str]:
    """The visible text of every body cell, row by row."""
    html = styler.to_html()
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>.*?</td>", html, re.S)]


def _headers(styler) -> list[str]:
    html = styler.to_html()
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<th[^>]*>.*?</th>", html, re.S)]


def test_numbers_shares_missing_values_and_lists_are_formatted():
    frame = pd.DataFrame({
        "customers": pd.array([400, None], dtype="Int64"),
        "revenue": [1_329_670.9, 97_291.44],
        "revenue_per_customer": [3.14159, 2.0],
        "response_rate": [0.3075, 0.0232],
        "size": [8188.0, 15382.0],
        "sufficient": [True, False],
        "note": ["", None],
        "paths": [["a.csv", "b.csv"], ["c.csv"]],
    })
    cells = _cells(show(frame))
    assert cells == ["400", "1,329,671", "3.14", "30.8%", "8,188", "yes", "", "a.csv, b.csv",
                     "", "97,291", "2.00", "2.3%", "15,382", "no", "", "c.csv"]
    assert "revenue per customer" in _headers(show(frame))
    assert frame["revenue"].iloc[0] == 1_329_670.9  # the data are untouched


def test_a_rate_outside_zero_one_is_not_a_percentage():
    cells = _cells(show(pd.DataFrame({"growth_rate": [1.5, 3.25]})))
    assert cells == ["1.50", "3.25"]


def test_row_numbers_are_hidden_but_a_named_index_is_shown():
    plain = pd.DataFrame({"a": [1, 2]})
    assert "0" not in _headers(show(plain))
    named = pd.DataFrame({"a": [1, 2]}, index=pd.RangeIndex(2, name="segment"))
    headers = _headers(show(named))
    assert "segment" in headers and "1" in headers


def test_k_selection_table_keeps_what_a_reader_needs():
    selection = pd.DataFrame({
        "silhouette": [0.3, 0.2], "calinski_harabasz": [100.0, 90.0], "davies_bouldin": [1.1, 1.3],
        "bic": [np.nan, np.nan], "inertia": [10.0, 8.0], "elbow": [2.0, 1.0], "smallest_share": [0.4, 0.1],
        "eligible": [True, True], "rank_silhouette": [1.0, 2.0], "score": [1.0, 2.0], "chosen": [True, False],
    }, index=pd.Index([2, 3], name="k"))
    headers = _headers(k_selection_table(selection))
    assert "BIC" not in headers and "inertia" not in headers and "rank silhouette" not in headers
    assert "eligible" not in headers  # every k was eligible
    assert {"k", "silhouette", "Calinski-Harabasz", "smallest share", "chosen"} <= set(headers)
    selection.loc[3, "eligible"] = False
    assert "eligible" in _headers(k_selection_table(selection))


def test_k_selection_table_shows_the_votes_the_screen_and_a_bic_minimum_that_decided():
    from segkit.segment.selection import rank_k

    selection = rank_k(pd.DataFrame({
        "silhouette": [0.5, 0.4, 0.3, 0.2, 0.1], "calinski_harabasz": [900.0, 800.0, 700.0, 600.0, 500.0],
        "davies_bouldin": [0.5, 0.6, 0.7, 0.8, 0.9], "bic": [900.0, 500.0, 530.0, 560.0, 600.0],
        "inertia": [50.0, 40.0, 30.0, 20.0, 10.0], "elbow": [3.0, 2.0, 1.5, 1.2, 1.0],
        "smallest_share": [0.4, 0.3, 0.2, 0.1, 0.1], "stability_min": [0.9, 0.9, 0.9, 0.9, 0.3],
    }, index=pd.Index(range(2, 7), name="k")), min_share=0.02, stability_threshold=0.6)
    headers = _headers(k_selection_table(selection))
    assert {"votes (of 4 indices)", "BIC minimum", "stable", "weakest segment stability"} <= set(headers)
    assert not any("mean rank" in h for h in headers)


def test_attractiveness_table_drops_the_rescaled_components():
    table = pd.DataFrame({"size": [10.0], "size_scaled": [1.0], "size_points": [0.5], "score": [0.5]},
                         index=pd.Index([0], name="segment"))
    headers = _headers(attractiveness_table(table))
    assert "size scaled" not in headers and "size points" in headers


def test_targeting_table_moves_the_common_break_even_rate_to_the_caption():
    targeting = pd.DataFrame({"segment": [0, 1], "response_rate": [0.3, 0.02], "break_even_rate": [0.27, 0.27],
                              "action": ["test first", "do not contact"], "suppressed": [False, False]})
    styler = targeting_table(targeting)
    headers = _headers(styler)
    assert "break even rate" not in headers and "suppressed" not in headers and "segment" in headers
    assert "Break-even response rate: 27.0%" in styler.to_html()
    targeting.loc[1, "suppressed"] = True
    assert "suppressed" in _headers(targeting_table(targeting))


def test_a_score_that_happens_to_be_whole_keeps_its_decimals():
    cells = _cells(show(pd.DataFrame({"score": [1.0, 0.0], "size": [400.0, 12.0]})))
    assert cells == ["1.00", "400", "0.00", "12"]


def test_rfm_by_segment_table_orders_rows_by_id_and_columns_by_the_rule_table():
    labels = pd.Series([1] * 40 + [0] * 35, index=[f"c{i}" for i in range(75)], name="segment")
    rfm = pd.Series(["Lost"] * 25 + ["Other"] * 15 + ["Champions"] * 30 + ["Lost"] * 5, index=labels.index)
    styler = rfm_by_segment_table(labels, rfm, names={0: "Regulars", 1: "Lapsed"}, min_cell_size=10)
    headers = _headers(styler)
    assert headers.index("Champions") < headers.index("Lost") < headers.index("Other")
    assert "col_0" not in headers and "rfm_segment" not in headers
    # Segment 0 first; its 5 Lost are hidden, and so is a second cell of its row (its empty
    # Other: shown, it would give the 5 away) and of each column hit.
    assert _cells(styler) == ["Regulars", "30", "hidden", "hidden", "Lapsed", "0", "hidden", "hidden"]
    assert "are hidden" in styler.to_html()
    plain = rfm_by_segment_table(labels, rfm, min_cell_size=1)
    assert _cells(plain) == ["30", "5", "0", "0", "25", "15"]
    assert "are hidden" not in plain.to_html()


def test_ab_plan_table_speaks_in_words_and_keeps_a_note_only_when_there_is_one():
    from segkit.target import ab_plan

    labels = pd.Series([0] * 9000 + [1] * 2000, name="segment")
    styler = ab_plan_table(ab_plan(labels, baseline_rates=0.10, mde=0.02))
    headers = _headers(styler)
    assert {"customers per arm", "enough customers", "smallest detectable change"} <= set(headers)
    assert "note" not in headers and "mde" not in headers
    assert _cells(styler)[:4] == ["9,000", "10.0%", "2.0%", "3,841"]
    noted = ab_plan_table(ab_plan(labels, baseline_rates={0: 0.10, 1: 0.0}, mde=0.02))
    assert "note" in _headers(noted)


def test_inputs_table_shortens_checksums_and_long_file_lists():
    sources = [{"label": "log", "paths": [f"/d/part-{i}.csv" for i in range(12)], "rows": 1_234_567,
                "bytes": 2_500_000_000, "sha256": "ab" * 32}]
    cells = _cells(inputs_table(sources))
    assert cells == ["log", "12 files, e.g. /d/part-0.csv", "1,234,567", "2.5 GB", "abababababab…"]


def test_attractiveness_table_drops_an_empty_unranked_reason():
    table = pd.DataFrame({"size": [400, 383], "score": [0.67, 0.33], "rank": [1, 2], "unranked_reason": ["", None]},
                         index=pd.Index([0, 1], name="segment"))
    assert "unranked reason" not in _headers(attractiveness_table(table))
    table.loc[1, "unranked_reason"] = "too small"
    assert "unranked reason" in _headers(attractiveness_table(table))


def test_attractiveness_table_says_how_points_are_scored():
    from segkit.target import attractiveness

    seg = pd.DataFrame({"size": [1133, 1107], "response_rate": [0.198, 0.099]}, index=pd.Index([0, 1], name="segment"))
    html = attractiveness_table(attractiveness(seg, value_col=None)).to_html()
    assert "share of the best segment's figure, times its weight (size 50%, response 50%)" in html


def test_segment_means_table_blanks_small_segments_and_reads_flags_as_shares():
    from segkit.profile import profile_segments
    from segkit.tables import segment_means_table

    idx = pd.Index([f"c{i}" for i in range(46)], name="customer_id")
    features = pd.DataFrame({
        "trust_score": [4.0] * 20 + [2.0] * 20 + [3.0] * 6,
        "app_user": pd.array([1] * 16 + [0] * 4 + [0] * 20 + [1] * 6, dtype="Int8"),
    }, index=idx)
    labels = pd.Series([0] * 20 + [1] * 20 + [2] * 6, index=idx, name="segment")
    profile = profile_segments(features, labels, min_cell_size=10)
    styler = segment_means_table(profile, ["app_user", "trust_score"], names={0: "Fans", 1: "Sceptics", 2: "Few"})
    assert _headers(styler)[1:4] == ["name", "app user (share yes)", "trust score"]
    # segment 2 has 6 customers: its means are not shown, only its name
    assert _cells(styler) == ["Fans", "80.0%", "4.00", "Sceptics", "0.0%", "2.00", "Few", "", "",
                              "", "47.8%", "3.00"]
    assert "all customers" in _headers(styler)
