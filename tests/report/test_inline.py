"""segkit.report.inline: the report kernel prints each figure as the inline backend would, byte for
byte, without matplotlib's settling draw; any other display of figures is left alone."""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import pytest
from IPython.core.pylabtools import print_figure
from matplotlib.figure import Figure

from segkit import plots
from segkit.report.inline import configure, figure_png
from tests.shapes import every_figure


def _inline(fig) -> bytes:
    """What Jupyter's inline backend makes of ``fig`` by default."""
    return print_figure(fig, "png", bbox_inches="tight")


FIGURES = list(every_figure())


@pytest.mark.parametrize("scale", [1.0, 1e6], ids=["values near one", "millions"])
@pytest.mark.parametrize("figure", FIGURES, ids=FIGURES)
def test_every_figure_prints_the_bytes_the_inline_backend_prints(figure, scale):
    plots.report_style()
    fig = every_figure(scale)[figure]().figure
    assert figure_png(fig) == _inline(fig)


def _long_labels() -> Figure:
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.barh(["a category label far longer than the figure is wide", "b"], [1, 2])
    ax.legend(["spend"], loc="best")
    fig.suptitle("A title above the axes")
    return fig


def _constrained() -> Figure:
    fig, axes = plt.subplots(1, 2, layout="constrained")
    for ax in axes:
        ax.plot([1, 2, 3], [1e6, 3e6, 2e6])
        ax.set_ylabel("a label the layout moves")
    return fig


def _empty() -> Figure:
    return plt.figure()


@pytest.mark.parametrize("make", [_long_labels, _constrained, _empty],
                         ids=["labels-beyond-the-figure", "layout-engine", "nothing-drawn"])
def test_figures_of_other_shapes_print_as_the_inline_backend_prints(make):
    """Labels that reach past the figure's edge (the crop grows the canvas), a layout engine
    (which moves the axes at draw: matplotlib crops it itself) and an empty figure (no image)."""
    fig = make()
    assert figure_png(fig) == _inline(fig)


def test_a_figure_is_drawn_once():
    fig, ax = plt.subplots()
    ax.plot([1, 2])
    draws = []
    fig.canvas.mpl_connect("draw_event", lambda event: draws.append(1))
    figure_png(fig)
    assert len(draws) == 1
    _inline(fig)
    assert len(draws) == 3  # the inline backend's settling draw and its drawing


class _Shell:
    """The part of an IPython shell that configure() uses."""

    def __init__(self):
        from IPython.core.formatters import DisplayFormatter

        self.display_formatter = DisplayFormatter()


def test_configure_replaces_only_the_inline_backends_default_display():
    shell = _Shell()
    png = shell.display_formatter.formatters["image/png"]
    png.for_type(Figure, functools.partial(print_figure, fmt="png", base64=True, bbox_inches="tight"))
    assert configure(shell)
    shown = png.lookup_by_type(Figure)
    assert shown.func is figure_png and shown.keywords == {"base64": True}

    fig, ax = plt.subplots()
    ax.plot([1, 2])
    assert shown(fig) == print_figure(fig, "png", bbox_inches="tight", base64=True)


@pytest.mark.parametrize("display", [
    functools.partial(print_figure, fmt="png", base64=True, bbox_inches="tight", dpi=200),
    functools.partial(print_figure, fmt="png", base64=True, bbox_inches=None),
    None,
], ids=["other-options", "no-crop", "no-png-display"])
def test_configure_leaves_a_display_someone_chose(display):
    shell = _Shell()
    png = shell.display_formatter.formatters["image/png"]
    if display is not None:
        png.for_type(Figure, display)
    assert not configure(shell)
    assert (png.lookup_by_type(Figure) if Figure in png.type_printers else None) is display
