"""Report figures: titles in words, scales in order, small cells hidden."""

from __future__ import annotations

import pandas as pd

from segkit.plots import plot_category_breakdown
from segkit.profile import profile_segments

SCALE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]


def _survey() -> tuple[pd.DataFrame, pd.Series]:
    idx = pd.Index([f"c{i}" for i in range(60)], name="customer_id")
    answers = ["Strongly agree"] * 22 + ["Agree"] * 8 + ["Disagree"] * 20 + ["Strongly disagree"] * 10
    frame = pd.DataFrame({
        "I trust Apple products": pd.Categorical(answers, categories=SCALE, ordered=True),
        "device_type": ["iOS"] * 30 + ["Android"] * 30,
    }, index=idx)
    return frame, pd.Series([0] * 30 + [1] * 30, index=idx, name="segment")


def test_category_breakdown_titles_are_words_and_keep_a_question_as_asked():
    frame, labels = _survey()
    breakdowns = profile_segments(frame, labels).breakdowns
    assert plot_category_breakdown(breakdowns, "device_type").get_title() == "Device type by segment"
    ax = plot_category_breakdown(breakdowns, "I trust Apple products")
    assert ax.get_title() == "I trust Apple products by segment"


def test_likert_answers_are_stacked_in_scale_order_with_small_cells_hidden():
    frame, labels = _survey()
    ax = plot_category_breakdown(profile_segments(frame, labels, min_cell_size=10).breakdowns, "I trust Apple products")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    # scale order, not frequency order (nobody answered "Neither ..."); 8 "Agree" answers are hidden
    assert legend == ["Strongly disagree", "Disagree", "Agree", "Strongly agree", "suppressed (small cells)"]
    widths = {bar.get_label(): [round(p.get_width(), 3) for p in bar.patches] for bar in ax.containers}
    assert widths["Agree"] == [0.0, 0.0]
    assert widths["suppressed (small cells)"][0] > 0


def test_a_figure_that_leaves_features_out_says_how_many():
    import numpy as np

    from segkit.plots import plot_lift_heatmap, plot_profile_lines

    rng = np.random.default_rng(0)
    lift = pd.DataFrame(rng.uniform(0.5, 2.0, size=(3, 20)), columns=[f"f{i}" for i in range(20)])
    assert plot_lift_heatmap(lift).get_title().endswith("18 of 20 features: those that separate the segments most")
    assert plot_lift_heatmap(lift.iloc[:, :5]).get_title() == "Lift against the whole base (1.0 = average, red = above)"
    assert plot_profile_lines(lift).get_title() == ("Segment profiles (snake plot)\n"
                                                    "14 of 20 features: those that separate the segments most")
