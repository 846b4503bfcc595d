"""One scored decision per column: its role, the basis it feeds and its kind, with the evidence.

Each column of a customer table gets candidate roles, each with a score and a reason: what
its name says (:data:`segkit.io.names.HINTS`, the group rules) weighed against what its
values are (:mod:`segkit.io.kinds`). A role the values rule out is not a candidate: ``contact``
holding ``cellular`` / ``telephone`` is not the customer id, ``Churn`` holding amounts is not
an outcome, ``familienname`` with three levels is not personal data. The best candidate wins;
what the config names wins over both (:func:`segkit.io.detect_roles` applies it). Two choices
look at the whole table: one customer id (the best of the candidates), and a battery of
survey ratings (several columns answered on one 0-5 or 1-7 scale) is psychographic.

A purchase log's roles come from the search of :mod:`segkit.io.detect` (its single roles are
one column each, found by name and by the habits of exports); :func:`log_calls` gives its
columns their kinds and evidence.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"id": range(1, 7), "day": [5, 17, 31, 1, 5, 9], "Churn": ["Yes", "No"] * 3,
...                       "Channel": [1, 2, 2, 1, 1, 2]})
>>> calls = customer_calls(table)
>>> [(c.role, c.kind) for c in calls.values()]
[('customer_id', 'identifier'), ('behaviour', 'ordinal'), ('outcome', 'outcome'), ('behaviour', 'code')]
>>> calls["Churn"].evidence
'values are yes/no answers (Yes, No) -> flag; name says churn -> outcome: profiled per segment, not clustered'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import pandas as pd

from segkit.io.answers import ANSWER_ROWS, answer_codes, mask_codes, too_many_answers, zeros_beside
from segkit.io.content import CONTENT_ROWS, Content, is_attitude_scale, is_gender, measured_contents, read_content
from segkit.io.kinds import KindCall, judge_kind, rating_scale
from segkit.io.names import (
    GROUP_NAME_RULES,
    SINGLE_NAME_RULES,
    hints_of,
    is_birth_name,
    is_id_name,
    is_question,
    name_words,
)
from segkit.io.roles import ColumnCall, ColumnRoles
from segkit.schema import LOG_ROLES, SINGLE_ROLES, call_basis

__all__ = ["Candidate", "customer_calls", "log_calls"]

#: The kind a role gives its column whatever the values are.
_ROLE_KINDS = {"customer_id": "identifier", "identifiers": "identifier", "invoice": "identifier", "date": "date",
               "time": "date", "amount": "money", "price": "money", "refunded": "money", "quantity": "quantity",
               "channel": "code", "category": "code", "country": "code", "returns": "code"}
#: The call roles of the segmentation bases.
_GROUPS = ("demographics", "geography", "behaviour", "psychographics", "technographics")
#: Kinds a segmentation basis can use.
_USABLE = frozenset({"money", "count", "quantity", "share", "code", "flag", "ordinal", "options"})


@dataclass(frozen=True)
class Candidate:
    """A role a column may have: the ColumnRoles field that would hold it, a score and the reason."""

    role: str
    field: str
    score: float
    reason: str


def _id_like(content: Content, kind: KindCall) -> bool:
    """Values an id column may hold: whole numbers or codes, mostly distinct, not answers or sentences."""
    if content.type not in ("number", "text") or content.flag or kind.kind in ("date", "flag", "ordinal"):
        return False
    if content.type == "number" and not content.integers:
        return False
    if content.type == "text" and (content.words >= 2.5 or content.pattern == "person"):
        return False
    mostly_distinct = content.distinct >= 0.5 * content.present
    return content.present > 0 and mostly_distinct and (content.distinct >= 2 or content.unique)


def _code_like(content: Content) -> bool:
    """Labels written as codes: whole numbers, single letters or tokens with a digit ('Cat_3')."""
    if content.type == "number":
        return bool(content.integers)
    levels = [str(v) for v in content.levels]
    return bool(levels) and all(len(v) <= 2 or any(ch.isdigit() for ch in v) for v in levels)


def _outcome(name, content: Content, kind: KindCall, hints: Mapping[str, str]) -> Candidate | None:
    """An answer to predict or a result of the past: a campaign response, churn, a label..."""
    answer = kind.kind in ("flag", "code") and (content.few_levels or content.flag)
    if not answer:
        return None
    response = GROUP_NAME_RULES["campaigns"].says(name)
    if response and kind.kind == "flag":
        return Candidate("outcome", "campaigns", 6.5, f"name says {response} -> outcome: a campaign response, "
                                                    "profiled per segment and targeted on, not clustered")
    if "outcome" in hints:
        return Candidate("outcome", "outcomes", 6.5,
                         f"name says {hints['outcome']} -> outcome: profiled per segment, not clustered")
    words = name_words(name)
    if "label" in hints and (kind.kind == "flag" or _code_like(content) or len(words) == 1):
        return Candidate("outcome", "outcomes", 5.5, f"name says {hints['label']} -> outcome (a label): profiled "
                                                     "per segment, not clustered")
    if "class" in hints and (kind.kind == "flag" or _code_like(content)):
        return Candidate("outcome", "outcomes", 5.5, f"name says {hints['class']} and the values are codes "
                                                     "-> outcome (a label): profiled per segment, not clustered")
    if words == ["y"] and (kind.kind == "flag" or _code_like(content)):
        return Candidate("outcome", "outcomes", 5.5, "name is 'y', a target -> outcome: profiled per segment, "
                                                     "not clustered")
    if "group" in hints and len(words) == 1:
        return Candidate("outcome", "outcomes", 5.5, f"name is {hints['group']!r}: a grouping someone made "
                                                     "-> outcome (a label): profiled per segment, not clustered")
    return None


def _candidates(name, s: pd.Series, content: Content, kind: KindCall,
                hints: Mapping[str, str] | None = None) -> list[Candidate]:
    """Every role a customer-table column may have, best first (``hints``: what its name says)."""
    hints = hints_of(name) if hints is None else hints
    found: list[Candidate] = []
    add = found.append
    if content.distinct == 1 and content.rows > 1 and kind.kind != "options":
        add(Candidate("constant", "constants", 10, "one value -> constant, not a feature"))
    if content.type == "empty":
        add(Candidate("none", "unused", 9, "no values -> no role"))
    if content.consecutive and content.low in (0.0, 1.0) and ("row" in hints or not name_words(name)
                                                            or str(name).startswith("Unnamed")):
        add(Candidate("none", "unused", 9, "counts the rows -> a row number, no role"))
    if content.pattern in ("email", "phone", "ip"):
        add(Candidate("identifiers", "identifiers", 8.5, "personal data -> kept out of features and reports"))
    if kind.kind == "date":
        if is_birth_name(name):
            add(Candidate("demographics", "demographics", 7, "name says birth -> demographics (an age)"))
        else:
            add(Candidate("date", "date", 7, ""))
    outcome = _outcome(name, content, kind, hints)
    if outcome is not None:
        add(outcome)
    id_score = SINGLE_NAME_RULES["customer_id"].score(name)
    if id_score > 0 and _id_like(content, kind):
        add(Candidate("customer_id", "customer_id", 6 + id_score, "name and values say customer id"))
    person = GROUP_NAME_RULES["identifiers"].says(name)
    many = content.distinct >= 20 or content.distinct >= 0.5 * content.present
    if person and content.type == "text" and many:
        add(Candidate("identifiers", "identifiers", 6, f"name says {person} -> personal data, kept out"))
    elif content.pattern == "person" and many:
        add(Candidate("identifiers", "identifiers", 6, "values are people's names -> personal data, kept out"))
    if kind.kind == "identifier" or ((id_score > 0 or is_id_name(name)) and _id_like(content, kind)):
        add(Candidate("none", "unused", 4.5, "values identify rows (an id) -> no role"))
    if kind.kind == "text":
        add(Candidate("none", "unused", 4.5, "free text -> no role"))
    if kind.kind in _USABLE:
        found.extend(_group_candidates(name, s, content, kind, hints))
    return sorted(found, key=lambda c: -c.score)


def _group_candidates(name, s: pd.Series, content: Content, kind: KindCall,
                      hints: Mapping[str, str]) -> list[Candidate]:
    """The segmentation bases a usable column may belong to: by name, by values, behaviour otherwise."""
    out = []
    for group, score in (("demographics", 3.2), ("geography", 3.1), ("technographics", 3.0), ("psychographics", 3.0)):
        word = GROUP_NAME_RULES[group].says(name)
        if word:
            out.append(Candidate(group, group, score, f"name says {word} -> {group}"))
    if content.type == "text" and is_attitude_scale(s):
        out.append(Candidate("psychographics", "psychographics", 4, "answers on an attitude scale -> psychographics"))
    elif kind.kind == "ordinal" and content.type == "number" and ("rating" in hints or is_question(name)):
        out.append(Candidate("psychographics", "psychographics", 3.8, "a rating -> psychographics"))
    if content.type == "text" and is_gender(s):
        out.append(Candidate("demographics", "demographics", 3.3, "values are genders -> demographics"))
    out.append(Candidate("behaviour", "behaviour", 1, "no other role -> behaviour"))
    return out


def _call(name, kind: KindCall, candidate: Candidate, content: Content) -> ColumnCall:
    role = candidate.role
    value_kind = kind.kind
    if role in _ROLE_KINDS:
        value_kind = _ROLE_KINDS[role]
    if role == "none" and ("counts the rows" in candidate.reason or "(an id)" in candidate.reason):
        value_kind = "identifier"
    shown = "outcome" if role == "outcome" else value_kind
    evidence = kind.reason if value_kind == kind.kind else candidate.reason
    if value_kind == kind.kind and candidate.reason:
        evidence = f"{kind.reason}; {candidate.reason}"
    return ColumnCall(name, role, call_basis("customers", role), shown, evidence,
                      values=kind.kind if role == "outcome" else "", given=False, group=candidate.field)


def customer_calls(frame: pd.DataFrame, *, given: Mapping | None = None, kinds: Mapping | None = None,
                   closed: frozenset = frozenset(), missing_codes: Iterable = ()) -> dict:
    """One :class:`ColumnCall` per column of a customer table, in table order.

    Parameters
    ----------
    frame : pandas.DataFrame
        The raw customer table.
    given : mapping, optional
        ``{column: ColumnRoles field}`` for the columns the config names (``"demographics"``,
        ``"customer_id"``, ``"campaigns"``, ``"outcomes"``, ``"constants"``, ...).
    kinds : mapping, optional
        ``{column: kind}`` the config gives (``columns.kinds``).
    closed : frozenset
        The ColumnRoles fields the config lists in full: no other column is detected into them.
    missing_codes : iterable
        Values that are no answer in any column of answers (``survey.missing_codes``), beside
        the ones :func:`segkit.io.answers.answer_codes` finds: a column is judged without them.
    """
    given, kinds = dict(given or {}), dict(kinds or {})
    measured = measured_contents(frame)  # measurements read in blocks: too many numbers to hold answer codes
    plain = {c for c, content in measured.items() if ANSWER_ROWS >= CONTENT_ROWS and too_many_answers(content.distinct)}
    codes = {c: answer_codes(frame[c], extra=missing_codes) for c in frame.columns
             if given.get(c) not in ("customer_id", "identifiers") and c not in plain}
    codes = zeros_beside(frame, {c: found for c, found in codes.items() if found is not None})
    contents = {c: measured[c] if c in measured and c not in codes else
                read_content(mask_codes(frame[c], codes[c].values) if c in codes else frame[c])
                for c in frame.columns}
    hints = {c: hints_of(c) for c in frame.columns}  # read once per name: the kind and the roles both ask
    judged = {c: judge_kind(c, contents[c], hints[c], given=kinds.get(c)) for c in frame.columns}
    options = {c: _candidates(c, frame[c], contents[c], judged[c], hints[c])
               for c in frame.columns if c not in given}
    _battery(options, contents, judged)
    chosen = _choose(options, closed | ({"customer_id"} if "customer_id" in given.values() else set()))
    calls = {}
    for c in frame.columns:
        if c in given:
            calls[c] = _given_call(c, given[c], judged[c])
        else:
            calls[c] = _call(c, judged[c], chosen[c], contents[c])
        if c in codes and calls[c].role not in ("customer_id", "identifiers", "none"):
            calls[c] = replace(calls[c], evidence=f"{calls[c].evidence}; {codes[c].note}", missing=codes[c].values)
    return calls


def _choose(options: dict, closed: set) -> dict:
    """The best candidate of each column; one customer id (the best named), none in a closed field."""
    ids = sorted(((next(o for o in opts if o.field == "customer_id").score, -i, c)
                  for i, (c, opts) in enumerate(options.items()) if any(o.field == "customer_id" for o in opts)),
                 reverse=True)
    winner = ids[0][2] if ids and "customer_id" not in closed else None
    chosen = {}
    for c, opts in options.items():
        usable = [o for o in opts if (o.field != "customer_id" or c == winner) and o.field not in closed]
        if not usable:
            field = next((o.field for o in opts if o.field in closed), "unused")
            usable = [Candidate("none", "unused", 0, f"columns.{field} is given without it -> no role")]
        chosen[c] = usable[0]
    return chosen


#: What a name may say of a column that is still an item of a battery of ratings beside it.
_NAMED_ITEMS = frozenset({"unit", "money", "share", "count"})
#: Items a table's batteries need, not counting those whose name says otherwise, before those join.
_BATTERY_CORE = 3


def _battery(options: dict, contents: dict, judged: dict) -> None:
    """Several columns answered on one short rating scale (0-5, 1-7): a battery of survey questions,
    ordinal and psychographic whatever the words of their names say.

    A scale is one some column uses from end to end (:func:`~segkit.io.kinds.rating_scale`); a
    column of whole numbers inside it (an item answered 2-5 only) is on it too, on the scale
    most columns use. Two items whose names say nothing make a battery; an item whose name says
    money, a count or a unit ('Spending on gadgets', 'Children' rated 1-5) joins when the
    table's batteries have at least three such items: a rating is never money, never a count.
    """
    items = {c: contents[c] for c, opts in options.items()
             if opts and opts[0].role in _GROUPS and judged[c].kind in ("count", "quantity", "ordinal", "money")
             and contents[c].type == "number" and contents[c].integers and 2 <= contents[c].distinct <= 11
             and contents[c].distinct < contents[c].present and contents[c].low >= 0 and contents[c].high <= 10}
    used: dict[tuple, int] = {}
    for content in items.values():
        if rating_scale(content):
            used[(content.low, content.high)] = used.get((content.low, content.high), 0) + 1
    scales = sorted(used, key=lambda s: (-used[s], s[1] - s[0], s))  # the commonest scale first
    groups: dict[tuple, list] = {}
    others = []
    for c, content in items.items():
        scale = next((s for s in scales if s[0] <= content.low and content.high <= s[1]), None)
        if scale is not None:
            groups.setdefault(scale, []).append((c, bool(set(hints_of(c)) & _NAMED_ITEMS)))
        elif content.distinct >= 3:
            others.append(c)
    plain = sum(1 for members in groups.values() if sum(not named for _, named in members) >= 2
                for _, named in members if not named)
    if plain >= _BATTERY_CORE:  # in a survey, an item answered 1-6 beside 1-5 and 1-7 items is one too
        for c in others:
            groups.setdefault((min(items[c].low, 1.0), items[c].high), []).append((c, True))
    for (low, high), members in groups.items():
        columns = [c for c, named in members if not named or plain >= _BATTERY_CORE]
        if sum(not named for _, named in members) < 2 and plain < _BATTERY_CORE or not columns:
            continue
        why = (f"one of {len(columns)} columns answered on the same {low:g}-{high:g} scale" if len(columns) > 1
               else f"answered on a {low:g}-{high:g} scale beside {plain} rated items")
        for c in columns:
            judged[c] = KindCall("ordinal", f"{why} -> rating scale, ordinal")
            options[c] = [Candidate("psychographics", "psychographics", 3.9, "a survey rating -> psychographics"),
                          *options[c]]


def _given_call(name, field: str, kind: KindCall) -> ColumnCall:
    role = {"campaigns": "outcome", "outcomes": "outcome", "constants": "constant", "unused": "none"}.get(field, field)
    value_kind = "flag" if field == "campaigns" else _ROLE_KINDS.get(role, kind.kind)  # campaign answers are yes/no
    shown = "outcome" if role == "outcome" else value_kind
    evidence = f"columns.{field} names it" + (f"; {kind.reason}" if value_kind == kind.kind else "")
    return ColumnCall(name, role, call_basis("customers", role), shown, evidence,
                      values=value_kind if role == "outcome" else "", given=True, group=field)


def log_calls(frame: pd.DataFrame, roles: ColumnRoles, *, kinds: Mapping | None = None,
              given: frozenset = frozenset()) -> dict:
    """One :class:`ColumnCall` per column of a purchase log whose ``roles`` were found.

    A column's role is the single role naming it (``customer_id``, ``amount``, ``time``...),
    ``identifiers`` for personal data, else ``none`` (order fields and unused columns alike);
    its kind follows from the role, or from its values for a column without one.
    """
    kinds = dict(kinds or {})
    named = {}
    for role in (*SINGLE_ROLES, *LOG_ROLES):
        column = getattr(roles, role)
        if column is not None:
            named.setdefault(column, role)
    calls = {}
    for c in frame.columns:
        role = named.get(c) or ("identifiers" if c in roles.identifiers else "none")
        kind = judge_kind(c, read_content(frame[c]), given=kinds.get(c))
        value_kind = kinds.get(c) or _ROLE_KINDS.get(role, kind.kind)
        how = f"columns.{role} names it" if role in given else f"found as {role}"
        if role == "none":
            why = "written on each order's first line only" if c in roles.order_fields else "no role in a purchase log"
            evidence = f"{kind.reason}; {why}"
        elif value_kind == kind.kind:
            evidence = f"{kind.reason}; {how}"
        else:
            evidence = f"{how} -> {value_kind}"
        group = role if role != "none" else ("order_fields" if c in roles.order_fields else "unused")
        calls[c] = ColumnCall(c, role, call_basis("transactions", role), value_kind, evidence, given=role in given,
                              group=group)
    return calls


