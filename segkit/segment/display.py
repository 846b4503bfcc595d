"""How a fitted segmentation shows itself: one line of text, and a table in a notebook.

:func:`fitted_summary` is the line a fitted :class:`~segkit.segment.Segmenter` adds to its
repr (k, algorithm, sizes, stability); :func:`segments_frame` and :func:`segments_html` are the
per-segment table a notebook shows for the segmenter and for
:class:`segkit.model.SegmentationModel` (with the segment names). Plain pandas formatting: the
report's table style lives in :mod:`segkit.report`, which loads fitted models, so the segment
package cannot import it.

Examples
--------
>>> import numpy as np
>>> from segkit.segment import Segmenter
>>> rng = np.random.default_rng(1)
>>> seg = Segmenter(n_segments=2, n_bootstrap=5).fit(np.vstack([rng.normal(0, 1, (150, 2)),
...                                                             rng.normal(6, 1, (50, 2))]))
>>> print(fitted_summary(seg))
2 segments by kmeans on 200 customers; sizes 150, 50; stability: ARI 1.00, no unstable segment
>>> segments_frame(seg, names={0: "Most", 1: "Few"})[["name", "customers", "share"]]
         name  customers  share
segment
0        Most        150   0.75
1         Few         50   0.25
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np
import pandas as pd


__all__ = ["fitted_summary", "segments_frame", "segments_html"]


def fitted_summary(segmenter) -> str:
    """One line: number of segments, algorithm, customers, sizes and stability."""
    sizes = np.bincount(segmenter.labels_, minlength=segmenter.n_segments_)
    stability = getattr(segmenter, "stability_", {}) or {}
    ari = stability.get("ari")
    if ari is None or (isinstance(ari, float) and np.isnan(ari)):
        stable = "stability not measured"
    else:
        unstable = stability.get("unstable") or []
        stable = (f"stability: ARI {ari:.2f}, "
                  + (f"unstable segments {unstable}" if unstable else "no unstable segment"))
    return (f"{segmenter.n_segments_} segments by {segmenter.algorithm_} on {int(sizes.sum()):,} customers; "
            f"sizes {', '.join(f'{int(n):,}' for n in sizes)}; {stable}")


def segments_frame(segmenter, names: Mapping[int, str] | None = None) -> pd.DataFrame:
    """Per segment: ``name``, ``customers``, ``share``, ``stability`` (mean bootstrap Jaccard)
    and ``stable``."""
    k = segmenter.n_segments_
    sizes = np.bincount(segmenter.labels_, minlength=k)
    stability = getattr(segmenter, "stability_", {}) or {}
    per_segment = stability.get("per_segment") or {}
    unstable = set(stability.get("unstable") or [])
    names = dict(names or {})
    frame = pd.DataFrame({
        "name": [names.get(s, f"Segment {s}") for s in range(k)],
        "customers": sizes.astype("int64"),
        "share": sizes / max(int(sizes.sum()), 1),
        "stability": [per_segment.get(s, np.nan) for s in range(k)],
        "stable": [s not in unstable if per_segment else np.nan for s in range(k)],
    }, index=pd.RangeIndex(k, name="segment"))
    return frame.dropna(axis=1, how="all")


def segments_html(segmenter, *, names: Mapping[int, str] | None = None, title: str | None = None) -> str:
    """The per-segment table as HTML, under ``title`` and the one-line summary."""
    head = html.escape(title or type(segmenter).__name__)
    frame = segments_frame(segmenter, names)
    formats = {"customers": "{:,}", "share": "{:.1%}", "stability": "{:.2f}",
               "stable": lambda v: "yes" if v is True else ("no" if v is False else "")}
    styler = (frame.style.format({k: v for k, v in formats.items() if k in frame.columns}, na_rep="")
              .set_caption(html.escape(fitted_summary(segmenter))))
    return f"<p><code>{head}</code></p>" + styler.to_html()
