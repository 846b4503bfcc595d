"""Explore segments interactively in JupyterLab (the ``explore`` extra: Altair and ipywidgets).

* :mod:`~segkit.explore.charts` -- Vega-Lite charts built with Altair: the hoverable segment
  map and the validity indices per k, shown as bundles JupyterLab renders offline;
* :mod:`~segkit.explore.widgets` -- :func:`explore` / :class:`SegmentExplorer`: a segment
  filter that redraws the map and the profile tables, and a k explorer.

Install with ``pip install 'segkit[explore]'``; ``import segkit`` never imports this package.
"""

from segkit.explore.charts import bundle, k_indices_chart, map_points, segment_map
from segkit.explore.widgets import SegmentExplorer, explore

__all__ = ["SegmentExplorer", "bundle", "explore", "k_indices_chart", "map_points", "segment_map"]
