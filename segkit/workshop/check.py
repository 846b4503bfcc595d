"""Checking a learner's answer: the registry of exercises, :func:`check` and :func:`exercises`.

A learner computes an answer and passes it to :func:`check` together with the data the
exercise is about; the expected answer is computed from those data by segkit itself (never
a number typed into the notebook), compared with a tolerance where one makes sense, and the
result says "correct", gives a specific hint, or says the exercise is not answered yet.
:func:`check` never raises on a learner's answer, so a notebook with open exercises still
runs from top to bottom.

Examples
--------
>>> check("06.sample_size", 686)
06.sample_size: correct
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import pandas as pd

from segkit.exceptions import ConfigError
from segkit.workshop.exercise import KINDS, CheckResult, Exercise
from segkit.workshop.lessons import LESSONS

__all__ = ["EXERCISES", "check", "exercises"]


def _registry(lessons: Sequence[ModuleType]) -> dict[str, Exercise]:
    """Every lesson's exercises by id, in the order of the notebooks."""
    registry: dict[str, Exercise] = {}
    for lesson in lessons:
        for exercise in lesson.EXERCISES:
            if exercise.kind not in KINDS:
                raise ConfigError(f"exercise {exercise.id!r}: kind must be one of {list(KINDS)}, "
                                  f"but {exercise.kind!r} was given")
            registry[exercise.id] = exercise
    return registry


#: Every exercise of the workshop, by id (``"<notebook number>.<name>"``).
EXERCISES: dict[str, Exercise] = _registry(LESSONS)


def check(exercise_id: str, answer: Any, **data: Any) -> CheckResult:
    """Check a learner's answer to a workshop exercise.

    Parameters
    ----------
    exercise_id : str
        An id of :data:`EXERCISES`, e.g. ``"02.rules"``.
    answer : object
        The learner's answer; ``...`` or None means not answered yet.
    **data
        The inputs the exercise names (:func:`exercises` lists them), from which segkit
        computes the expected answer.

    Returns
    -------
    CheckResult
        Shown in a notebook as "correct", a hint, or "not answered yet". A wrong answer,
        or one of the wrong type, never raises.

    Raises
    ------
    ConfigError
        An unknown exercise id, or inputs missing or unknown (the notebook's mistake, not
        the learner's).

    Examples
    --------
    >>> import pandas as pd
    >>> features = pd.DataFrame({"frequency": [1, 1, 3, 8], "monetary": [10.0, 20.0, 70.0, 900.0]})
    >>> check("07.one_time_share", 0.5, features=features)
    07.one_time_share: correct
    >>> check("07.one_time_share", 50, features=features)
    07.one_time_share: not quite. That looks like a percentage; give a share between 0 and 1 (0.25 for 25 %).
    >>> check("07.one_time_share", 2, features=features).status
    'incorrect'
    >>> check("7.one_time_share", 0.5, features=features)
    Traceback (most recent call last):
    ...
    segkit.exceptions.ConfigError: unknown exercise '7.one_time_share'; did you mean '07.one_time_share'? ...
    """
    return _exercise(exercise_id).check(answer, **data)


def exercises(notebook: str | int | None = None) -> pd.DataFrame:
    """The registered exercises: id, kind, inputs and question.

    Parameters
    ----------
    notebook : str or int, optional
        Only the exercises of this notebook number (``2`` or ``"02"``).

    Examples
    --------
    >>> exercises(2).index.tolist()
    ['02.recency', '02.champions', '02.champions_revenue', '02.rules']
    """
    rows = [{"id": ex.id, "kind": ex.kind, "inputs": ", ".join(ex.inputs), "question": ex.question}
            for ex in EXERCISES.values()
            if notebook is None or ex.id.split(".")[0] == f"{int(notebook):02d}"]
    return pd.DataFrame(rows, columns=["id", "kind", "inputs", "question"]).set_index("id")


def _exercise(exercise_id: str) -> Exercise:
    try:
        return EXERCISES[exercise_id]
    except (KeyError, TypeError):
        close = difflib.get_close_matches(str(exercise_id), list(EXERCISES), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ConfigError(f"unknown exercise {exercise_id!r}; {hint}expected one of {sorted(EXERCISES)}") from None
