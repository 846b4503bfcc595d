"""Table shapes and the seeded generator: :func:`make_table` draws table ``index`` of a seed,
:func:`make_tables` the first ``n``.

A customer-table shape is a list of :class:`Use` (a concept, the chance a table has it, how
many columns of it); a purchase-log shape is a builder of :mod:`benchmarks.rolebench.logs`.
Table ``i`` of a seed is drawn from its own generator (``default_rng([seed, i])``) and has
shape ``i`` modulo the number of shapes, so the first 40 tables of a seed are the same whatever
``n`` is and cover every shape.

Examples
--------
>>> table = make_table(14, 0)
>>> table.kind, table.shape, len(table.frame) >= 200
('customers', 'retail_customers', True)
>>> [t.shape for t in make_tables(3, seed=14)] == [s.name for s in SHAPES[:3]]
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchmarks.rolebench.concepts import STYLES, Concept, styled
from benchmarks.rolebench.files import choose_layout
from benchmarks.rolebench.habits import HABITS
from benchmarks.rolebench.logs import LOG_BUILDERS, LOG_CONCEPTS
from benchmarks.rolebench.people import PEOPLE
from benchmarks.rolebench.truth import Table, TrueColumn, truth
from benchmarks.rolebench.values import Context, with_gaps
from benchmarks.rolebench.words import LANGUAGES

__all__ = ["CONCEPTS", "SHAPES", "Shape", "Use", "make_table", "make_tables"]

#: Every concept by key.
CONCEPTS: dict[str, Concept] = {**PEOPLE, **HABITS, **LOG_CONCEPTS}
_LANGUAGE_WEIGHTS = (0.4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1)
_STYLE_WEIGHTS = (0.25, 0.25, 0.2, 0.15, 0.05, 0.05, 0.05)


@dataclass(frozen=True)
class Use:
    """A concept in a customer-table shape: kept with chance ``p``, ``count`` columns of it (low, high)."""

    concept: str
    p: float = 1.0
    count: tuple[int, int] = (1, 1)


@dataclass(frozen=True)
class Shape:
    """A kind of table: a customer table's concepts, or a purchase log's builder."""

    name: str
    kind: str
    uses: tuple[Use, ...] = ()
    build: Callable[[Context], list] | None = None


def _uses(spec: str) -> tuple[Use, ...]:
    """Uses from ``"id.customer, demo.age .8, beh.spend .9 2-6"``: concept, chance, count range."""
    out = []
    for item in spec.split(","):
        parts = item.split()
        p = float(parts[1]) if len(parts) > 1 else 1.0
        low, _, high = (parts[2] if len(parts) > 2 else "1").partition("-")
        out.append(Use(parts[0], p, (int(low), int(high or low))))
    return tuple(out)


_CUSTOMER_SHAPES = {
    "retail_customers": "id.customer, demo.birth_year .8, demo.education .8, demo.marital .8, demo.income .9, "
                        "demo.kids .7, demo.teens .5, demo.birth_date .2, date.signup .7, beh.share .4 1-2, beh.recency .8, beh.spend .9 2-6, "
                        "beh.purchases .8 1-4, beh.visits .6, out.accepted .6 1-5, beh.complain .4, "
                        "const.cost_contact .4, const.revenue .4, out.response .8",
    "telco_customers": "id.subscriber .9, demo.gender, demo.senior, demo.partner, demo.dependents, beh.tenure_months, "
                       "beh.phone_service, beh.multiple_lines .6, tech.internet .9, beh.addon .8 1-6, beh.contract, "
                       "beh.paperless, beh.payment_method, beh.monthly_charges, beh.total_charges .9, out.churn .95",
    "telco_calls": "id.customer .5, geo.state .8, beh.account_length, geo.area_code .8, beh.intl_plan, "
                   "beh.vmail_plan, beh.vmail .8, beh.call_minutes 1 2-4, beh.call_count .8 2-4, "
                   "beh.service_calls, pii.phone .4, out.churn",
    "bank_churn": "row.number .6, id.customer, pii.last .7, beh.credit_score, geo.geography .9, demo.gender, demo.age, "
                  "beh.tenure_years, beh.balance, beh.products, beh.has_card, beh.active_member, demo.income, "
                  "out.exited .8, out.attrition .3",
    "bank_marketing": "id.customer .3, demo.age, demo.job, demo.marital, demo.education, beh.balance, beh.housing, "
                      "beh.loan, beh.contact_type, beh.contact_day .9, beh.contact_month .9, beh.duration, "
                      "beh.contacts_campaign, beh.pdays, beh.previous, out.poutcome .7, out.y .9",
    "credit_default": "id.customer, beh.credit_limit, demo.gender_code, demo.education_code, demo.marital_code, "
                      "demo.age, beh.bill 1 2-6, beh.payment 1 2-6, out.default .95",
    "airline_survey": "row.number .4, id.respondent .8, demo.gender, beh.customer_type, demo.age, beh.travel_type, "
                      "beh.travel_class, beh.flight_distance, psy.service_rating 1 4-14, beh.delay .8 1-2, "
                      "out.satisfaction .9",
    "opinion_survey": "id.respondent .9, demo.age_band, demo.gender, geo.region, psy.likert 1 2-6, "
                      "beh.frequency_answer .7, psy.nps .7, psy.satisfaction_rating .6, psy.importance .6 1-3, "
                      "psy.interest .5, text.comment .5",
    "app_usage": "id.customer .9, tech.device_model, tech.os, beh.app_time, beh.screen_time .8, tech.battery .7, "
                 "tech.apps .8, beh.data_usage .8, demo.age, demo.gender, out.class_label .7",
    "household_bands": "id.household, demo.age_band, demo.marital_code, demo.income_band, demo.homeowner, "
                       "demo.household_comp, demo.household_size_band, demo.kids_band",
    "mall_customers": "id.customer, demo.gender, demo.age, demo.income, beh.spending_score",
    "wholesale": "beh.channel_code, geo.region_code, beh.spend 1 4-6",
    "segmentation_survey": "id.customer, demo.gender, demo.ever_married, demo.age, demo.graduated, demo.job, "
                           "demo.work_experience, beh.spending_level, demo.household_size, out.segment",
    "crm_contacts": "id.customer, pii.first .6, pii.last .6, pii.full .3, pii.email .8, pii.phone .6, "
                    "pii.address .4, demo.birth_date .3, geo.city .8, geo.postcode .5, geo.country .5, date.signup .8, "
                    "date.last_purchase .5, beh.orders .8, beh.total_spend .9, beh.aov .5, beh.loyalty_tier .7, "
                    "beh.preferred_channel .6, beh.favourite_category .5, beh.newsletter .6, beh.share .6 1-2, "
                    "text.comment .3, out.segment .3, out.cluster .3, out.churn .4, out.converted .3, pii.ip .2, "
                    "const.source .3",
    "subscriptions": "id.subscriber, beh.plan, date.signup, date.contract_end, beh.monthly_charges, beh.data_usage .8, "
                     "tech.device_type .8, tech.os .8, tech.browser .4, tech.smartphone .4, demo.age .5, "
                     "geo.region .6, date.last_login .4, beh.share .3, out.churn .8, const.currency .4",
}

#: Every shape, customer tables first; table ``i`` of a seed has shape ``i % len(SHAPES)``.
SHAPES: tuple[Shape, ...] = (
    *(Shape(name, "customers", _uses(spec)) for name, spec in _CUSTOMER_SHAPES.items()),
    *(Shape(name, "transactions", build=build) for name, build in LOG_BUILDERS.items()),
)


def _customer_columns(shape: Shape, ctx: Context, rng: np.random.Generator, language: str) -> list:
    """``[(concept, values, name), ...]`` of a customer table, the id first more often than not."""
    out = []
    for use in shape.uses:
        if rng.random() >= use.p:
            continue
        concept = CONCEPTS[use.concept]
        count = min(int(rng.integers(use.count[0], use.count[1] + 1)), concept.subject_count(language))
        subjects = rng.permutation(concept.subject_count(language))[:count] if concept.subjects else [None]
        for subject in subjects:
            values = with_gaps(ctx, concept.make(ctx), concept.missing)
            name_language = "en" if language != "en" and rng.random() < 0.1 else language
            out.append((concept, values, lambda c=concept, s=subject, lang=name_language: c.name(rng, lang, s)))
    order = rng.permutation(len(out))
    out = [out[i] for i in order]
    ids = [i for i, (c, _, _) in enumerate(out) if c.role == "customer_id"]
    if ids and rng.random() < 0.8:
        out.insert(0, out.pop(ids[0]))
    return out


def _log_columns(shape: Shape, ctx: Context, rng: np.random.Generator, language: str) -> list:
    out = []
    for key, values, fixed in shape.build(ctx):
        concept = CONCEPTS[key]
        out.append((concept, values, (lambda f=fixed: f) if fixed else
                    (lambda c=concept: c.name(rng, language))))
    if rng.random() < 0.3:
        out = [out[i] for i in rng.permutation(len(out))]
    return out


def make_table(seed: int, index: int) -> Table:
    """Table number ``index`` of ``seed``: its values, file layout and the truth of every column."""
    rng = np.random.default_rng([seed, index])
    shape = SHAPES[index % len(SHAPES)]
    language = str(rng.choice(LANGUAGES, p=_LANGUAGE_WEIGHTS))
    ctx = Context(rng, int(rng.integers(200, 2001)), language if rng.random() < 0.6 else "en")
    style = str(rng.choice(STYLES, p=_STYLE_WEIGHTS))
    plain = language != "en" and rng.random() < 0.3
    drawn = (_customer_columns if shape.kind == "customers" else _log_columns)(shape, ctx, rng, language)
    frame, columns, seen = {}, [], set()
    for concept, values, name_of in drawn:
        for _ in range(6):
            name = styled(name_of(), style, plain=plain)
            if name.casefold() not in seen:
                break
        else:
            continue  # six names taken already: the table goes without this column
        seen.add(name.casefold())
        frame[name] = values.reset_index(drop=True)
        columns.append(TrueColumn(name, truth(shape.kind, concept.role, concept.kind), concept.key))
    return Table(name=f"t{index:04d}-{shape.name}-{language}", kind=shape.kind, shape=shape.name, language=language,
                 frame=pd.DataFrame(frame), columns=tuple(columns), layout=choose_layout(rng, language))


def make_tables(n: int, *, seed: int) -> Iterator[Table]:
    """The first ``n`` tables of ``seed``."""
    return (make_table(seed, i) for i in range(n))
