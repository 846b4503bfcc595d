"""Planted survey data: respondents in latent classes answering item batteries, with the habits of
real questionnaires and their exports.

:func:`make_survey` draws a table the way a survey tool exports it: an id, demographics,
batteries of rated items (each class leaning to its own end of every item), text scales
(frequencies, concern, education), a multi-select question (``Price;Quality``), codes for
"not applicable" (a rare 0 below a 1-5 battery, a ``99`` "don't know", ``Prefer not to
say``), an outcome, and names that mislead (``Spending on gadgets`` rated 1-5, a
``Children`` rating beside an ``Only child`` flag). Its ground truth (the planted class of
each respondent) comes with it, so tests and benchmarks can check what segkit recovers.
Nothing is downloaded; everything is drawn from one seed.

Examples
--------
>>> survey = make_survey(300, n_classes=3, random_state=1)
>>> survey.table.shape[0], survey.truth.nunique()
(300, 3)
>>> sorted(survey.items)[:2]
['Children', 'Cleanliness']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["BATTERIES", "SurveyData", "make_survey"]

#: The item batteries: name -> (items, lowest point, highest point). The first battery's items
#: are worded as spending and family questions, as lifestyle surveys word them.
BATTERIES: dict[str, tuple[tuple[str, ...], int, int]] = {
    "lifestyle": (("Spending on gadgets", "Spending on looks", "Spending on healthy eating", "Children",
                   "Enjoy cooking at home", "Religion", "Internet"), 1, 5),
    "service": (("Inflight wifi service", "Seat comfort", "Online booking ease", "Gate location",
                 "Food and drink", "Cleanliness"), 0, 5),
    "attitudes": (("Trust in brands", "Try new products first", "Price matters most", "Loyal to one shop"), 1, 7),
}
_FREQUENCY = ("Rarely", "Monthly", "Weekly", "Daily")
_CONCERN = ("Not at all concerned", "Not very concerned", "Somewhat concerned", "Very concerned")
_EDUCATION = ("High school", "Some college", "Bachelor's degree", "Master's degree", "Doctorate")
_REASONS = ("Price", "Quality", "Convenience", "Brand", "Sustainability")


@dataclass
class SurveyData:
    """A planted survey: the exported ``table``, each respondent's planted class (``truth``,
    indexed like the table's ``Respondent ID``), the rated ``items`` and the answers that were
    written as codes (``codes``: ``{column: number of answers}``)."""

    table: pd.DataFrame
    truth: pd.Series
    items: list[str] = field(default_factory=list)
    codes: dict[str, int] = field(default_factory=dict)


def _ordinal(rng: np.random.Generator, lean: np.ndarray, low: int, high: int, noise: float) -> np.ndarray:
    """Whole-number answers from ``low`` to ``high``: a class's lean (0..1 along the scale) plus noise."""
    points = high - low
    raw = lean * points + rng.normal(0, noise * points, size=lean.shape)
    return np.clip(np.rint(raw), 0, points).astype(int) + low


def make_survey(n_respondents: int = 600, *, n_classes: int = 4, noise: float = 0.18, na_share: float = 0.03,
                scale_bias: float = 0.0, random_state: int | None = 0) -> SurveyData:
    """Draw a planted survey (see the module).

    Parameters
    ----------
    n_respondents : int
        Rows of the table.
    n_classes : int
        Planted classes, of unequal sizes; each class has its own lean on every item and scale.
    noise : float
        Spread of an answer around its class's lean, as a share of the scale's length.
    na_share : float
        Share of the 0-5 battery's answers that are 0 ("not applicable"), and of the other codes.
    scale_bias : float
        Scale-use bias: each respondent's answers to every rated item move by their own offset,
        drawn uniformly from ``-scale_bias`` to ``+scale_bias`` points (0: none, no draw made).
    random_state : int, optional
        Seed.
    """
    rng = np.random.default_rng(random_state)
    sizes = rng.dirichlet(np.full(n_classes, 4.0))
    truth = rng.choice(n_classes, size=n_respondents, p=sizes)
    table: dict[str, object] = {"Respondent ID": [f"R{10001 + i}" for i in range(n_respondents)]}
    table["Age"] = np.clip(rng.normal(25 + 8 * truth, 7), 18, 85).round().astype(int)
    table["Gender"] = rng.choice(["Female", "Male", "Non-binary"], size=n_respondents, p=(0.5, 0.47, 0.03))
    items, codes = [], {}
    offset = rng.uniform(-scale_bias, scale_bias, n_respondents) if scale_bias else np.zeros(n_respondents)
    for battery, (names, low, high) in BATTERIES.items():
        leans = rng.uniform(0.05, 0.95, size=(n_classes, len(names)))
        for j, name in enumerate(names):
            answers = _ordinal(rng, leans[truth, j] + offset / (high - max(low, 1)), max(low, 1), high, noise)
            answers = answers.astype(float)
            if low == 0:
                na = rng.random(n_respondents) < na_share
                answers[na] = 0
                codes[name] = int(na.sum())
            table[name] = answers.astype(int)
            items.append(name)
    trust = np.asarray(table["Trust in brands"], dtype=int)
    dont_know = rng.random(n_respondents) < na_share
    trust[dont_know] = 99
    table["Trust in brands"] = trust
    codes["Trust in brands"] = int(dont_know.sum())
    for column, levels in (("How often do you shop online?", _FREQUENCY), ("Data privacy concern", _CONCERN)):
        lean = rng.uniform(0.05, 0.95, size=n_classes)[truth]
        table[column] = np.array(levels)[_ordinal(rng, lean, 0, len(levels) - 1, noise)]
    education = np.array(_EDUCATION, dtype=object)[_ordinal(rng, rng.uniform(0.1, 0.9, n_classes)[truth], 0, 4, noise)]
    private = rng.random(n_respondents) < na_share
    education[private] = "Prefer not to say"
    table["Education"] = education
    codes["Education"] = int(private.sum())
    likes = rng.uniform(0.05, 0.9, size=(n_classes, len(_REASONS)))[truth]
    chosen = rng.random((n_respondents, len(_REASONS))) < likes
    table["Why do you choose a shop? (select all that apply)"] = [
        ";".join(r for r, c in zip(_REASONS, row) if c) or None for row in chosen]
    table["Only child"] = rng.choice(["Yes", "No"], size=n_respondents, p=(0.2, 0.8))
    satisfied = rng.random(n_respondents) < rng.uniform(0.2, 0.8, n_classes)[truth]
    table["Overall satisfaction"] = np.where(satisfied, "satisfied", "neutral or dissatisfied")
    frame = pd.DataFrame(table)
    return SurveyData(frame, pd.Series(truth, index=pd.Index(frame["Respondent ID"], name="customer_id"),
                                       name="class"), items, codes)
