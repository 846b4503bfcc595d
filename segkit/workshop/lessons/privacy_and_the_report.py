"""Exercises of notebook 09: identifiers, hidden cells and pseudonyms.

The notebook is ``notebooks/workshop/09_privacy_and_the_report.ipynb``; each answer function
recomputes the expected answer with segkit from the data the notebook passes to
:func:`segkit.workshop.check`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from segkit.privacy import DEFAULT_MIN_CELL_SIZE, find_identifier_columns, pseudonymise, suppress_count_table
from segkit.workshop.exercise import Exercise, Mistake

__all__ = ["EXERCISES"]


def _identifiers(extract: pd.DataFrame, *, by_name_only: bool = False) -> list[str]:
    # An empty frame has no contents to look at: only the column names are judged.
    return find_identifier_columns(extract.iloc[:0] if by_name_only else extract)


def _hidden(counts: pd.DataFrame) -> int:
    return int(suppress_count_table(counts).eq("hidden").to_numpy().sum())


def _small(counts: pd.DataFrame, *, empty_too: bool = False) -> int:
    return int(((counts < DEFAULT_MIN_CELL_SIZE) & ((counts > 0) | empty_too)).to_numpy().sum())


def _whose_pseudonym(customers: pd.DataFrame, key: str, pseudonym: str) -> Any:
    ids = customers["customer_id"].astype(str).reset_index(drop=True)
    found = ids[(pseudonymise(ids, key=key) == pseudonym).fillna(False).to_numpy()]
    return found.iloc[0] if len(found) else None


#: The notebook's exercises, in the order it asks them.
EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "09.identifiers",
        "Which columns of the extract would segkit keep out of the analysis as personal identifiers?",
        ("extract",), _identifiers, kind="labels",
        mistakes=(
            Mistake(lambda extract: _identifiers(extract, by_name_only=True),
                    "You judged the column names only; a column is an identifier by its contents too "
                    "(look at the values: emails, phone numbers, IP addresses)."),
            Mistake(lambda extract: ["customer_id", *_identifiers(extract)],
                    "The customer id is not dropped: it is the key that joins the tables, and is pseudonymised "
                    "on export instead."),
        ),
    ),
    Exercise(
        "09.hidden_cells",
        "How many cells of the count table must be hidden at min_cell_size 10, small cells and their "
        "complements together?",
        ("counts",), _hidden, kind="count",
        mistakes=(
            Mistake(_small,
                    "Those are the small cells only; each row and column with one hidden cell must hide a "
                    "second one, or the first is its total minus the cells shown (complementary_suppression)."),
            Mistake(lambda counts: _small(counts, empty_too=True),
                    "You counted the empty cells (0) as small; they describe nobody and are shown. Also count "
                    "the complementary cells."),
        ),
    ),
    Exercise(
        "09.pseudonym",
        "Which customer id is behind the pseudonym (you hold the key)?",
        ("customers", "key", "pseudonym"), _whose_pseudonym, kind="label",
        mistakes=(Mistake(lambda customers, key, pseudonym: pseudonym,
                          "That is the pseudonym itself; pseudonymise every customer id with the key and find "
                          "the one that gives it."),),
    ),
)
