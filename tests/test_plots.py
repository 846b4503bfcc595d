"""Report figures: titles in words, scales in order, small cells hidden."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from segkit import plots
from segkit.monitor import migration_matrix
from segkit.plots import plot_category_breakdown
from segkit.profile import profile_segments
from tests.shapes import breakdown, customer_ids, every_figure

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


@pytest.mark.parametrize(("missing", "said"), [(1, "1 customer without one is not counted"),
                                               (2, "2 customers without one are not counted")],
                         ids=["one-missing-value", "several-missing-values"])
def test_a_breakdown_says_how_many_customers_have_no_value(missing, said):
    frame, labels = _survey()
    frame.loc[frame.index[:missing], "device_type"] = None
    ax = plot_category_breakdown(profile_segments(frame, labels).breakdowns, "device_type")
    assert said in ax.get_xlabel()


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


def test_plot_category_breakdown_hides_what_the_profile_hides():
    """The report's stacked bars apply the profile's rule; a segment's hidden cells are one grey part.

    Segment 3 (7 customers) is hidden, and segment 0's phone (3). Segment 0 protects it with
    web (30), which also protects the web column; the catalogue column hides segment 2's 45,
    and the store column then takes segment 2's 35 rather than segment 1's 20, because that
    protects segment 2's row as well: segment 1 is shown whole.
    """
    from segkit.plots import plot_category_breakdown

    counts = {0: {"catalogue": 50, "store": 40, "phone": 3, "web": 30},
              1: {"catalogue": 60, "store": 20, "phone": 25, "web": 15},
              2: {"catalogue": 45, "store": 35, "phone": 30, "web": 40},
              3: {"catalogue": 4, "store": 1, "phone": 0, "web": 2}}
    features, labels = breakdown(counts, "channel")
    profile = profile_segments(features, labels, min_cell_size=10)
    ax = plot_category_breakdown(profile.breakdowns, "channel")
    rows = [t.get_text() for t in ax.get_yticklabels()]
    bars = {(row, c.get_label()): bar.get_width() for c in ax.containers for row, bar in zip(rows, c.patches)}
    hidden = "suppressed (small cells)"
    assert bars[("Segment 0", hidden)] == pytest.approx(33 / 123)  # phone 3 + web 30, never apart
    assert bars[("Segment 1", hidden)] == 0.0
    assert bars[("Segment 2", hidden)] == pytest.approx(80 / 150)  # catalogue + store
    assert bars[("Segment 3", hidden)] == pytest.approx(1.0)
    for _, cell in profile.categories.iterrows():
        shown = 0.0 if cell["suppressed"] else cell["share"]
        assert bars[(f"Segment {cell['segment']}", cell["level"])] == pytest.approx(shown)
    plain = plot_category_breakdown(profile_segments(features, labels, min_cell_size=0).breakdowns, "channel")
    assert hidden not in [c.get_label() for c in plain.containers]


def test_plot_feature_by_segment_draws_no_box_for_a_suppressed_segment(small_table):
    from segkit.plots import plot_feature_by_segment

    features, labels, _ = small_table  # segment 2: 5 customers, all with Income 200
    hidden = profile_segments(features, labels, min_cell_size=10).hidden_segments("Income")
    ax = plot_feature_by_segment(features, "Income", labels, hidden=hidden, min_cell_size=10)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Segment 0", "Segment 1", "Segment 2"]
    assert len(ax.patches) == 2  # boxes for segments 0 and 1 only
    assert [t.get_text() for t in ax.texts] == ["suppressed: fewer than 10 customers"]
    assert ax.get_xlim()[1] < 200
    hidden = profile_segments(features, labels, min_cell_size=5).hidden_segments("Income")
    assert len(plot_feature_by_segment(features, "Income", labels, hidden=hidden, min_cell_size=5).patches) == 3


def test_snake_plot_keeps_the_other_segments_when_one_is_suppressed():
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from segkit.plots import plot_profile_lines

    wide = pd.DataFrame({"recency_days": [10.0, 50.0, np.nan], "frequency": [5.0, 1.0, np.nan]}, index=[0, 1, 2])
    ax = plot_profile_lines(wide)
    assert len(ax.lines) == 2 + 1  # two segments and the zero line
    plt.close(ax.figure)


def test_size_plot_says_when_there_is_no_revenue():
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from segkit.plots import plot_segment_sizes

    summary = pd.DataFrame({"share": [0.6, 0.4]}, index=pd.Index([0, 1], name="segment"))
    ax = plot_segment_sizes(summary)
    assert ax.get_title() == "Share of customers per segment (no revenue in the data)"
    assert ax.get_legend() is None
    plt.close(ax.figure)
    ax = plot_segment_sizes(summary.assign(revenue_share=[0.7, 0.3]))
    assert "revenue" in ax.get_title() and ax.get_legend() is not None
    plt.close(ax.figure)


def test_migration_plot_hides_small_cells_and_names_both_runs():
    from segkit.plots import plot_migration

    old = pd.Series([0] * 60 + [1] * 60, index=customer_ids(120))
    new = pd.Series([0] * 55 + [1] * 5 + [1] * 60, index=customer_ids(120))
    ax = plot_migration(migration_matrix(old, new), names={0: "Now A", 1: "Now B"}, old_names={0: "Was A", 1: "Was B"},
                        min_cell_size=10)
    written = [t.get_text() for t in ax.texts]
    assert "55" in written and "60" in written and "5" not in written
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == ["0: Was A", "1: Was B"]
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["0: Now A", "1: Now B"]


def test_the_break_even_label_stays_inside_the_plot():
    from segkit.plots import plot_response_rates

    targeting = pd.DataFrame({"segment": [0, 1], "name": ["A", "B"], "response_rate": [0.2, 0.1],
                              "rate_low": [0.18, 0.08], "rate_high": [0.22, 0.12]})
    for break_even, side in ((0.27, "right"), (0.05, "left")):
        ax = plot_response_rates(targeting, break_even=break_even)
        label = next(t for t in ax.texts if "break-even" in t.get_text())
        assert label.get_horizontalalignment() == side
        # the label sits in its own row above the first segment, not on a point
        assert label.xy[1] < -0.5 < 0 and ax.get_ylim()[1] < label.xy[1]


def _drawn_boxes(ax) -> list[np.ndarray]:
    """Every line and box outline the axes hold, as vertex arrays in drawing order."""
    paths = [line.get_xydata() for line in ax.lines]
    return paths + [patch.get_path().vertices @ np.eye(2) for patch in ax.patches]


_value_shapes = {
    "skewed spend": lambda rng, n: rng.lognormal(3, 1.2, n),
    "whole-number counts with ties": lambda rng, n: rng.poisson(2, n).astype(float),
    "one value repeated": lambda rng, n: np.full(n, 7.0),
    "far outliers": lambda rng, n: np.where(rng.random(n) < 0.02, 1e6, rng.normal(50, 5, n)),
}


@pytest.mark.parametrize("log", [False, True], ids=["linear axis", "log axis"])
@pytest.mark.parametrize("shape", list(_value_shapes), ids=list(_value_shapes))
def test_box_summary_draws_the_boxes_of_every_value(shape, log):
    import matplotlib.pyplot as plt
    import seaborn as sns
    from matplotlib.cbook import boxplot_stats

    from segkit.plots import box_summary

    rng = np.random.default_rng(len(shape))
    sizes = [1, 2, 3, 40, 333]  # a segment of one customer, of two, and larger ones
    groups = pd.Series(np.repeat(np.arange(len(sizes)), sizes))
    values = pd.Series(np.abs(_value_shapes[shape](rng, len(groups))) + 0.5)
    five = box_summary(values, groups, log=log)
    assert list(five.groupby("segment").size()) == [5] * len(sizes)
    for segment, part in five.groupby("segment"):
        raw = values[groups == segment].to_numpy()
        full = boxplot_stats(np.log10(raw) if log else raw)[0]
        small = boxplot_stats(np.log10(part["value"]) if log else part["value"].to_numpy())[0]
        for stat in ("q1", "med", "q3", "whislo", "whishi"):
            assert small[stat] == pytest.approx(full[stat], rel=1e-12, abs=1e-12), (segment, stat)
    # seaborn's box plot of every value is the reference; segkit draws its boxes from the five numbers
    _, theirs = plt.subplots()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "vert: bool was deprecated", DeprecationWarning)  # seaborn 0.13.2
        sns.boxplot(data=pd.DataFrame({"value": values, "segment": groups}), x="value", y="segment", orient="h",
                    showfliers=False, ax=theirs, log_scale=(True, False) if log else None)
    _, ours = plt.subplots()
    plots._draw_boxes(ours, five, list(range(len(sizes))), plots.segment_palette(len(sizes)), log=log)
    drawn = [_drawn_boxes(theirs), _drawn_boxes(ours)]
    plt.close(theirs.figure)
    plt.close(ours.figure)
    assert len(drawn[0]) == len(drawn[1])
    for whole, summary in zip(*drawn, strict=True):
        np.testing.assert_allclose(summary, whole, rtol=1e-9, atol=1e-9)


def test_box_summary_of_no_values_is_empty_and_draws_no_box(small_table):
    from segkit.plots import box_summary, plot_feature_by_segment

    assert box_summary(pd.Series([], dtype=float), pd.Series([], dtype=int)).empty
    features, labels, _ = small_table
    ax = plot_feature_by_segment(features, "Income", labels, hidden=sorted(labels.unique()), min_cell_size=100)
    assert len(ax.patches) == 0 and len(ax.texts) == labels.nunique()  # every segment marked as suppressed
    # each mark on its segment's row, inside the axes (seaborn, given no box, left the rows unlabelled)
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"Segment {s}" for s in sorted(labels.unique())]
    assert [t.xy[1] for t in ax.texts] == list(range(labels.nunique())) and ax.get_ylim() == (labels.nunique() - 0.5, -0.5)


_FIGURES = list(every_figure())


@pytest.mark.parametrize("scale", [1.0, 1e6, 1e-7], ids=["values near one", "millions", "millionths"])
@pytest.mark.parametrize("figure", _FIGURES, ids=_FIGURES)
def test_a_pinned_title_sits_where_matplotlib_would_place_it(figure, scale):
    """segkit pins the titles of its figures where nothing can sit above the axes (no search at each
    draw); drawn into an Axes of yours, matplotlib places the title itself: both must agree, on
    values whose y axis writes an offset text (``1e6``) and on values whose does not."""
    import matplotlib.pyplot as plt

    plots.report_style()
    ours = every_figure(scale)[figure]()
    _, yours = plt.subplots(figsize=ours.figure.get_size_inches())
    every_figure(scale)[figure](ax=yours)
    for ax in (ours, yours):
        ax.figure.canvas.draw()
    renderer = ours.figure.canvas.get_renderer()
    assert ours.title.get_window_extent(renderer).bounds == pytest.approx(
        yours.title.get_window_extent(yours.figure.canvas.get_renderer()).bounds)
    offset = ours.yaxis.offsetText
    if offset.get_visible() and offset.get_text():
        assert not ours.title.get_window_extent(renderer).overlaps(offset.get_window_extent(renderer))


def test_titles_are_pinned_on_category_axes_and_searched_above_numbers():
    """The speed-up is real only where a figure's title is pinned: every figure whose y axis holds
    categories or fixed labels; numeric y axes (which may write an offset text) keep matplotlib's search."""
    numeric_y = {"k selection", "segment map", "snake plot"}
    plots.report_style()  # seaborn's style hides the tick marks: matplotlib says their position is 'unknown'
    for name, draw in every_figure(1.0).items():
        ax = draw()
        assert ax._autotitlepos is (name in numeric_y), name  # matplotlib's own flag of the search
