"""Checked exercises for the training workshops in ``notebooks/workshop/``.

Each workshop notebook ends its lessons with exercises. A learner computes an answer and
passes it to :func:`check` together with the data the exercise is about; the expected
answer is computed from those data by segkit itself (never a number typed into the
notebook), compared with a tolerance where one makes sense, and the result says
"correct", gives a specific hint ("you counted lines, not orders: ..."), or says the
exercise is not answered yet. :func:`check` never raises on a learner's answer, so a
notebook with open exercises still runs from top to bottom.

Exercises are registered in :data:`EXERCISES` (id -> :class:`Exercise`): which inputs they
need, how segkit computes the expected answer from them, and which common mistakes earn
which hint. :func:`exercises` lists them.

The notebooks are stored with their solutions, between ``# BEGIN SOLUTION`` and
``# END SOLUTION`` lines in cells tagged ``solution`` (the scheme of nbgrader), so the
test suite proves that every check passes. :func:`strip_solutions` (or
``python -m segkit.workshop strip SRC DST``, ``make workshop``) writes the learner copies,
with each solution replaced by ``answer = ...  # your code here``.

The modules: :mod:`~segkit.workshop.exercise` (an exercise and the verdict on an answer),
:mod:`~segkit.workshop.lessons` (the exercises, one module per notebook),
:mod:`~segkit.workshop.check` (the registry, :func:`check`, :func:`exercises`),
:mod:`~segkit.workshop.strip` (learner copies), :mod:`~segkit.workshop.data` (where the
shared data sets are) and :mod:`~segkit.workshop.cli` (``python -m segkit.workshop``).

Examples
--------
>>> from segkit import workshop
>>> workshop.check("06.sample_size", ...)
06.sample_size: not answered yet
>>> workshop.check("06.sample_size", 1372)
06.sample_size: not quite. That is both arms together; the question asks for customers per arm.
>>> workshop.check("06.sample_size", 686)
06.sample_size: correct
"""

from segkit.workshop.check import EXERCISES, check, exercises
from segkit.workshop.cli import main
from segkit.workshop.data import shared_data
from segkit.workshop.exercise import CORRECT, INCORRECT, NOT_ANSWERED, CheckResult, Exercise, Mistake
from segkit.workshop.strip import BEGIN_SOLUTION, END_SOLUTION, PLACEHOLDER, strip_solutions

__all__ = [
    "EXERCISES",
    "CheckResult",
    "Exercise",
    "Mistake",
    "check",
    "exercises",
    "main",
    "shared_data",
    "strip_solutions",
    "BEGIN_SOLUTION",
    "END_SOLUTION",
    "PLACEHOLDER",
    "CORRECT",
    "INCORRECT",
    "NOT_ANSWERED",
]
