"""The workshop's exercises, one module per notebook of ``notebooks/workshop/``.

Each module holds its notebook's exercises (``EXERCISES``, in the order the notebook asks
them) and the answer functions they use; :data:`LESSONS` lists the modules in the order of
the notebooks, and :mod:`segkit.workshop.check` registers their exercises. A new exercise
goes into its notebook's module; a new notebook adds a module here.
"""

from types import ModuleType

from segkit.workshop.lessons import (
    clustering_and_choosing_k,
    data_and_cleaning,
    features_and_scaling,
    monitoring,
    privacy_and_the_report,
    profiles_names_and_stability,
    real_data,
    rfm,
    value_and_targeting,
)

__all__ = ["LESSONS"]

#: The lesson modules, in the order of the notebooks (01 to 09).
LESSONS: tuple[ModuleType, ...] = (
    data_and_cleaning,
    rfm,
    features_and_scaling,
    clustering_and_choosing_k,
    profiles_names_and_stability,
    value_and_targeting,
    real_data,
    monitoring,
    privacy_and_the_report,
)
