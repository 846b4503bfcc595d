"""Tests for segkit.workshop.lessons and segkit.workshop.check: one lesson module per notebook,
registered in the notebooks' order."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from segkit.exceptions import ConfigError
from segkit.workshop.check import EXERCISES, _registry
from segkit.workshop.exercise import Exercise
from segkit.workshop.lessons import LESSONS

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks" / "workshop"


def test_every_notebook_has_its_lesson_module_in_order():
    stems = [p.stem for p in sorted(NOTEBOOKS.glob("*.ipynb"))]
    assert [f"{i:02d}_{lesson.__name__.rsplit('.', 1)[-1]}" for i, lesson in enumerate(LESSONS, start=1)] == stems


@pytest.mark.parametrize("number", range(1, len(LESSONS) + 1), ids=lambda n: f"{n:02d}")
def test_a_lesson_holds_only_its_notebook_exercises(number):
    ids = [exercise.id for exercise in LESSONS[number - 1].EXERCISES]
    assert ids and all(i.startswith(f"{number:02d}.") for i in ids)


def test_the_registry_keeps_the_notebooks_order():
    assert list(EXERCISES) == [ex.id for lesson in LESSONS for ex in lesson.EXERCISES]
    assert len(EXERCISES) == sum(len(lesson.EXERCISES) for lesson in LESSONS)  # no id twice


def test_the_registry_refuses_an_unknown_kind():
    lesson = types.SimpleNamespace(EXERCISES=(Exercise("00.bad", "?", (), lambda: 1, kind="integer"),))
    with pytest.raises(ConfigError, match=r"exercise '00.bad': kind must be one of \['number', 'count', 'label', "
                                          r"'labels'\], but 'integer' was given"):
        _registry([lesson])
