"""How :mod:`segkit.plots` finishes a figure it makes: the title stays where it is set.

At every draw matplotlib looks for what could sit above an Axes (x tick labels, tick marks
or the x label on top; the y axis's offset text, such as ``1e6``) to lift the title over it.
The search measures every tick label again, about a fifth of a report's figure time, and in
most of segkit's figures it cannot find anything: their x axis is labelled below and their y
axis holds categories or fixed labels. There the title is pinned (:func:`pin_title`), and it
is drawn exactly where the search would have left it; everywhere else matplotlib searches.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import matplotlib.ticker as mticker
from matplotlib.axes import Axes

__all__ = ["figure", "pin_title"]


def figure(plot: Callable[..., Axes]) -> Callable[..., Axes]:
    """Mark a figure function: the title of a figure it makes is pinned where nothing can sit
    above the axes (:func:`pin_title`); an ``ax`` passed in is left as it is."""

    @functools.wraps(plot)
    def draw(*args: Any, **kwargs: Any) -> Axes:
        ax = plot(*args, **kwargs)
        if kwargs.get("ax") is None:
            pin_title(ax)
        return ax

    return draw


def pin_title(ax: Axes) -> bool:
    """Pin ``ax``'s title at the top of the axes when matplotlib's placement could not move it.

    That is when no tick mark, tick label or label of the x axis is on top and the y axis's
    formatter writes no offset text: one that never writes one (categories, percentages), or
    fixed labels and functions, which write only an offset they are given. A formatter that
    computes an offset at each draw (numbers, dates) keeps matplotlib's placement. Returns
    whether the title was pinned.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.barh(["a", "b"], [1, 2]); _ = ax.set_title("Categories")
    >>> pin_title(ax), ax.get_title()
    (True, 'Categories')
    >>> _ = ax.xaxis.tick_top()
    >>> pin_title(ax)
    False
    >>> plt.close(fig)
    """
    on_top = [ax.xaxis.get_tick_params(which=which).get(part, False) for which in ("major", "minor")
              for part in ("top", "labeltop")]
    if any(on_top) or ax.xaxis.get_label_position() == "top":
        return False
    formatter = ax.yaxis.get_major_formatter()
    if type(formatter).get_offset is not mticker.Formatter.get_offset:
        given_only = isinstance(formatter, mticker.FixedFormatter | mticker.FuncFormatter)
        if not given_only or formatter.get_offset():
            return False
    ax.set_title(ax.get_title(), y=1.0)  # an explicit y switches matplotlib's search off
    return True
