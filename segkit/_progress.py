"""Progress bars over long loops, with tqdm imported only when a bar is shown.

``tqdm.auto`` picks Jupyter's widget bar inside a notebook, which loads the widget machinery:
about 60 ms of import that a report kernel, which shows no bars, need not pay.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

__all__ = ["progress"]

T = TypeVar("T")


def progress(items: Iterable[T], *, desc: str, show: bool) -> Iterable[T]:
    """``items`` with a tqdm progress bar when ``show`` (a widget in Jupyter, text elsewhere), else as they are.

    Examples
    --------
    >>> list(progress(range(3), desc="choosing k", show=False))
    [0, 1, 2]
    """
    if not show:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc)
