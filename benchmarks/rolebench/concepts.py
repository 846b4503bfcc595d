"""A column concept: what a column truly is, how its values are drawn, what it may be called.

Names are readable data: :func:`names` reads ``"en: customer id | CustomerID; fr: n° client"``,
one language per ``;``, alternatives split by ``|``. A name in lower-case words is written in
the table's style (:func:`styled`: ``customer_id``, ``CustomerId``, ``Customer Id``, ...); a
name with capitals or punctuation is written as exports spell it (``Annual Income (k$)``).
A name holding ``{}`` is a template filled with one of the concept's ``subjects`` (spend on
``wines``, ``fruits``, ... gives one column each).

Examples
--------
>>> names("en: customer id | CustomerID; fr: n° client")
{'en': ('customer id', 'CustomerID'), 'fr': ('n° client',)}
>>> styled("customer id", "pascal"), styled("n° client", "snake"), styled("Annual Income (k$)", "snake")
('CustomerId', 'n°_client', 'Annual Income (k$)')
>>> styled("tranche d'âge", "title", plain=True)
"Tranche D'age"
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchmarks.rolebench.values import Context

__all__ = ["STYLES", "Concept", "names", "styled"]

#: How a table writes names made of lower-case words.
STYLES = ("words", "snake", "pascal", "title", "upper_snake", "camel", "dotted")
_WORDS_RE = re.compile(r"[a-zß-ÿ0-9°'’ /-]+")


def names(spec: str) -> dict[str, tuple[str, ...]]:
    """``{language: names}`` from ``"en: a | b; fr: c"``."""
    out = {}
    for part in spec.split(";"):
        language, _, alternatives = part.partition(":")
        out[language.strip()] = tuple(a.strip() for a in alternatives.split("|") if a.strip())
    return out


def _plain(text: str) -> str:
    """``text`` without accents, as many exports write names."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def styled(name: str, style: str, *, plain: bool = False) -> str:
    """``name`` written in ``style`` when it is lower-case words; with ``plain``, without accents."""
    if plain:
        name = _plain(name)
    if not _WORDS_RE.fullmatch(name) or style == "words":
        return name
    parts = [p for p in re.split(r"[ /-]+", name) if p]
    if style == "snake":
        return "_".join(parts)
    if style == "upper_snake":
        return "_".join(parts).upper()
    if style == "dotted":
        return ".".join(parts)
    if style == "title":
        return " ".join(p[:1].upper() + p[1:] for p in parts)
    pascal = "".join(p[:1].upper() + p[1:] for p in parts)
    return pascal if style == "pascal" else pascal[:1].lower() + pascal[1:]


@dataclass(frozen=True)
class Concept:
    """One kind of column: its true role and kind, its names, how its values are drawn.

    ``make`` draws the values (purchase-log concepts have none: the log's shape draws every
    column of a line together); ``subjects`` fill the ``{}`` of templated names, one column
    per subject; ``missing`` is the share of blank cells.
    """

    key: str
    role: str
    kind: str
    names: dict[str, tuple[str, ...]]
    make: Callable[[Context], pd.Series] | None = None
    subjects: dict[str, tuple[str, ...]] | None = None
    missing: float = 0.0

    def name(self, rng: np.random.Generator, language: str, subject: int | None = None) -> str:
        """A name in ``language`` (English when it has none), filled with subject number ``subject``."""
        choices = self.names.get(language) or self.names["en"]
        if subject is not None:
            choices = tuple(c for c in choices if "{}" in c) or choices
        name = str(rng.choice(choices))
        if "{}" not in name:
            return name
        subjects = (self.subjects or {}).get(language) or self.subjects["en"]
        return name.replace("{}", subjects[(subject or 0) % len(subjects)])

    def subject_count(self, language: str) -> int:
        """How many subjects the concept has in ``language`` (1 without subjects)."""
        if not self.subjects:
            return 1
        return len(self.subjects.get(language) or self.subjects["en"])
