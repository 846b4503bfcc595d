"""segkit: customer segmentation for analysts.

The package mirrors the pipeline: read + validate (:mod:`segkit.io`), clean and build
customer features (:mod:`segkit.features`), segment (:mod:`segkit.segment`), profile and
name (:mod:`segkit.profile`), value, target and test (:mod:`segkit.value`,
:mod:`segkit.target`), and report (:mod:`segkit.report`).
"""

from segkit.exceptions import SegkitError, SegkitWarning

__version__ = "0.1.0"

__all__ = ["SegkitError", "SegkitWarning", "__version__"]
