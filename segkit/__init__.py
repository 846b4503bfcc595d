"""segkit: customer segmentation for analysts.

The package mirrors the pipeline: read + validate (:mod:`segkit.io`), clean and build
customer features (:mod:`segkit.features`), segment (:mod:`segkit.segment`), profile and
name (:mod:`segkit.profile`), value, target and test (:mod:`segkit.value`,
:mod:`segkit.target`), and report (:mod:`segkit.report`). The names below are imported on
first use, so ``import segkit`` stays light and changes no global settings.

Examples
--------
>>> import segkit
>>> segkit.Segmenter(n_segments=4)
Segmenter(n_segments=4)
"""

from importlib import import_module
from typing import Any

from segkit.exceptions import SegkitError, SegkitWarning

__version__ = "0.1.0"

_LAZY = {
    "Analysis": "segkit.pipeline",
    "read_table": "segkit.io",
    "detect_roles": "segkit.io",
    "build_features": "segkit.features",
    "rfm_scores": "segkit.features",
    "Segmenter": "segkit.segment",
    "load_segmenter": "segkit.segment",
    "profile_segments": "segkit.profile",
    "name_segments": "segkit.profile",
    "predict_clv": "segkit.value",
    "targeting_table": "segkit.target",
    "load_config": "segkit.config",
    "make_demo": "segkit.datasets",
}

__all__ = ["SegkitError", "SegkitWarning", "__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'segkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
