"""Report configuration: defaults, YAML loading, ``--set`` overrides and validation.

A config is a plain nested ``dict`` (so it can be printed, diffed and stored in
``summary.json``). Every key is optional except a data source; unknown keys are an error
that suggests the closest valid key.

Examples
--------
>>> cfg = load_config(None, overrides=["data.customers=customers.csv",
...                                    "segmentation.n_segments=4"], base_dir="/data")
>>> cfg["segmentation"]["n_segments"], cfg["data"]["customers"]
(4, '/data/customers.csv')
>>> load_config(None, overrides=["segmentation.n_segment=4"])
Traceback (most recent call last):
...
segkit.exceptions.ConfigError: --set: unknown key 'segmentation.n_segment'; did you mean 'segmentation.n_segments'?
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import glob
import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from segkit.exceptions import ConfigError, InputNotFoundError, quote
from segkit.parameters import SEGMENTER_PARAMETERS, check_parameters
from segkit.schema import ALGORITHMS, BASES, CONFIG_ROLE_KEYS, GROUP_ROLES, KINDS

__all__ = [
    "ALGORITHMS",
    "BASES",
    "DEFAULT_CONFIG",
    "check_data_paths",
    "load_config",
    "make_config",
    "parse_override",
    "validate_config",
]


#: Every key a config may hold, with its default. ``None`` means "detect" or "not set".
DEFAULT_CONFIG: dict[str, Any] = {
    "title": "Customer segments",
    "data": {"customers": None, "transactions": None, "where": {}},
    "columns": {**{k: None for k in CONFIG_ROLE_KEYS}, **{k: None for k in GROUP_ROLES}, "constants": None,
                "kinds": {}},
    "cleaning": {"drop_duplicates": True, "snapshot_date": None},
    "segmentation": {
        "model": None,
        "basis": None,
        "features": [],
        "exclude": [],
        "n_segments": "auto",
        "algorithm": "auto",
        "k_min": 2,
        "k_max": 10,
        "min_share": 0.02,
        "n_bootstrap": 20,
        "random_state": 0,
        "max_features": 100,
    },
    "segment_names": {},
    "campaign": {"response": None, "cost_per_contact": None, "revenue_per_response": None},
    "attractiveness": {"weights": {"size": 1.0, "value": 1.0, "response": 1.0, "growth": 1.0}, "scaling": "max"},
    "ab_test": {"mde": 0.03, "alpha": 0.05, "power": 0.8, "treatment_share": 0.5},
    "privacy": {"min_cell_size": 10, "pseudonymise_ids": False, "pseudonym_key": None},
    "report": {"timeout": 900, "by_min_customers": 50, "by_fit": "shared"},
    "monitor": {"previous": None},
    "survey": {"missing_codes": [], "centre": False, "factors": False, "weight": None},
    "engine": "duckdb",  # or spark: the report's line-level work on a Spark session (segkit.spark)
}

#: What ``engine`` may be: DuckDB (one machine) or Spark (segkit.spark).
ENGINES = ("duckdb", "spark")

# Keys below these hold free-form mappings (user ids, weights) rather than fixed schemas.
_FREE_FORM = {("segment_names",), ("attractiveness", "weights"), ("data", "where"), ("columns", "kinds")}


def load_config(
    path: str | Path | None = None,
    *,
    overrides: Iterable[str] = (),
    base_dir: str | Path | None = None,
    require_data: bool = False,
) -> dict[str, Any]:
    """Read, override and validate a report config.

    Parameters
    ----------
    path : str or Path, optional
        A YAML file. ``None`` starts from the defaults alone.
    overrides : iterable of str
        ``KEY=VALUE`` strings as given to ``--set``; ``VALUE`` is parsed as YAML.
    base_dir : str or Path, optional
        Folder that relative data paths are resolved against. Defaults to the config
        file's folder, or the working directory without a file.
    require_data : bool
        Raise when neither ``data.customers`` nor ``data.transactions`` is set.

    Returns
    -------
    dict
        The full config: every key present, data paths absolute.

    Raises
    ------
    ConfigError
        Broken YAML, an unknown key, a value of the wrong kind, or no data source.
    """
    user: dict[str, Any] = {}
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found")
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(err, "problem", None) or str(err).splitlines()[0]
            raise ConfigError(f"{path}: not valid YAML{where}: {problem}") from err
        except UnicodeDecodeError as err:
            raise ConfigError(f"{path}: not a text file (expected a YAML config)") from err
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, Mapping):
            raise ConfigError(f"{path}: expected a mapping of keys at the top level, got {type(loaded).__name__}")
        user = dict(loaded)
    if base_dir is None:
        base_dir = path.parent if path is not None else Path.cwd()
    return make_config(user, overrides=overrides, base_dir=base_dir, require_data=require_data,
                       source=str(path) if path is not None else "config")


def make_config(
    user: Mapping[str, Any],
    *,
    overrides: Iterable[str] = (),
    base_dir: str | Path | None = None,
    require_data: bool = False,
    source: str = "config",
) -> dict[str, Any]:
    """The full config from the keys a user gave (a dict, as a YAML file would hold them).

    Keys not given take their defaults, so ``{"data": {"customers": "c.csv"}}`` is a
    complete config; unknown keys and values of the wrong kind are errors, as in a file.

    Parameters
    ----------
    user : mapping
        The user's keys, nested as in the YAML file.
    overrides, require_data
        As in :func:`load_config`.
    base_dir : str or Path, optional
        Folder that relative data paths are resolved against (default: the working directory).
    source : str
        Name of the config in error messages.

    Returns
    -------
    dict

    Examples
    --------
    >>> cfg = make_config({"data": {"customers": "/data/c.csv"}, "segmentation": {"n_segments": 4}})
    >>> cfg["segmentation"]["n_segments"], cfg["segmentation"]["algorithm"], cfg["data"]["where"]
    (4, 'auto', {})
    """
    cfg = _merge(copy.deepcopy(DEFAULT_CONFIG), user, source=source, prefix=())
    for item in overrides:
        key, value = parse_override(item)
        _set_key(cfg, key, value, source="--set")
    _resolve_paths(cfg, Path(base_dir) if base_dir is not None else Path.cwd())
    if isinstance(cfg["cleaning"]["snapshot_date"], dt.date):  # YAML reads 2011-12-10 as a date; keep JSON-able
        cfg["cleaning"]["snapshot_date"] = cfg["cleaning"]["snapshot_date"].isoformat()
    for key in ("cost_per_contact", "revenue_per_response"):
        cfg["campaign"][key] = _money(cfg["campaign"][key])
    for key in ("mde", "alpha", "power", "treatment_share"):
        cfg["ab_test"][key] = _percent(cfg["ab_test"][key])
    validate_config(cfg, source=source, require_data=require_data)
    return cfg


_SYMBOL = r"(?:[€$£¥]|EUR|USD|GBP|CHF)?"
#: An amount with an optional currency before or after it; a decimal comma has one or two digits.
_CURRENCY = re.compile(rf"^\s*{_SYMBOL}\s*([+-]?\d+(?:[.,]\d{{1,2}}|\.\d+)?)\s*{_SYMBOL}\s*$", re.IGNORECASE)


def _money(value: Any) -> Any:
    """A cost or revenue written as text (``"3"``, ``"€3"``, ``"2,50 €"``) as a number; other
    values unchanged (validation says what is wrong with them).

    Examples
    --------
    >>> [_money(v) for v in ("3", "€3", "2,50 €", "$ 1.5", 4, "three")]
    [3, 3, 2.5, 1.5, 4, 'three']
    """
    if not isinstance(value, str):
        return value
    match = _CURRENCY.match(value)
    if match is None:
        return value
    text = match.group(1).replace(",", ".")
    number = float(text)
    return int(number) if "." not in text else number


def _percent(value: Any) -> Any:
    """A rate written as a percentage (``"3%"``) as a fraction (0.03); other values unchanged.

    Examples
    --------
    >>> _percent("3%"), _percent("50 %"), _percent(0.2), _percent("high")
    (0.03, 0.5, 0.2, 'high')
    """
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*", value)
        if match:
            return round(float(match.group(1)) / 100, 12)
    return value


def _is_number(value: Any) -> bool:
    """A finite int or float (not a bool): what every numeric config key needs."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def parse_override(item: str) -> tuple[str, Any]:
    """Split ``KEY=VALUE`` and parse the value as YAML.

    Examples
    --------
    >>> parse_override("segmentation.features=[recency_days, frequency]")
    ('segmentation.features', ['recency_days', 'frequency'])
    >>> parse_override("title=Spring 2026")
    ('title', 'Spring 2026')
    """
    key, sep, raw = item.partition("=")
    if not sep or not key.strip():
        name, colon, value = (part.strip() for part in item.partition(":"))
        hint = f"; did you mean '{name}={value}'?" if colon and name and " " not in name else ""
        raise ConfigError(f"--set: expected KEY=VALUE (e.g. segmentation.n_segments=4), got {quote(item)}{hint}")
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError as err:
        raise ConfigError(f"--set {key.strip()}: value {quote(raw)} is not valid YAML") from err
    return key.strip(), value


def _words(name: str) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9]+", name.lower()) if len(w) >= 3 and w != "per"}


def _suggest(key: str, choices: Iterable[str]) -> str:
    """``; did you mean ...?`` for an unknown dotted key.

    Keys of the same section sharing a word with the typed one come first (``campaign.cost``
    is ``campaign.cost_per_contact``, not ``campaign``); otherwise the closest spelling.
    """
    choices = list(choices)
    section, _, last = key.rpartition(".")
    typed = _words(last)

    def shared(choice: str) -> int:
        theirs = _words(choice.rpartition(".")[2])
        return sum(1 for w in typed for t in theirs if w.startswith(t) or t.startswith(w))

    siblings = [c for c in choices if section and c.rpartition(".")[0] == section]
    best = max(map(shared, siblings), default=0)
    if best:
        hits = [c for c in siblings if shared(c) == best]
        if len(hits) <= 2:
            return "; did you mean " + " or ".join(map(repr, hits)) + "?"
    close = difflib.get_close_matches(key, choices, n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else f"; valid keys are {sorted(choices)}"


def _is_free_form(prefix: tuple[str, ...]) -> bool:
    return any(prefix[: len(f)] == f for f in _FREE_FORM)


def _merge(base: dict, user: Mapping, *, source: str, prefix: tuple[str, ...]) -> dict:
    for key, value in user.items():
        key = str(key) if not _is_free_form(prefix) else key
        here = (*prefix, str(key))
        if _is_free_form(prefix):
            base[key] = value
            continue
        if key not in base:
            full = ".".join(here)
            choices = [".".join((*prefix, k)) for k in base]
            raise ConfigError(f"{source}: unknown key {full!r}{_suggest(full, choices)}")
        if isinstance(base[key], dict) and not _is_free_form(here):
            if value is None:
                continue
            if not isinstance(value, Mapping):
                raise ConfigError(f"{source}: {'.'.join(here)!r} must be a mapping of keys, got {quote(value)}")
            _merge(base[key], value, source=source, prefix=here)
        elif isinstance(base[key], dict):
            if not isinstance(value, Mapping | None):
                raise ConfigError(f"{source}: {'.'.join(here)!r} must be a mapping, got {quote(value)}")
            base[key] = dict(value or {})
        else:
            base[key] = value
    return base


def _set_key(cfg: dict, dotted: str, value: Any, *, source: str) -> None:
    parts = dotted.split(".")
    node: Any = cfg
    for depth, part in enumerate(parts[:-1]):
        prefix = tuple(parts[: depth + 1])
        if _is_free_form(prefix):
            node = node.setdefault(part, {})
            continue
        if not isinstance(node, dict) or part not in node or not isinstance(node[part], dict):
            choices = _dotted_keys(DEFAULT_CONFIG)
            raise ConfigError(f"{source}: unknown key {dotted!r}{_suggest(dotted, choices)}")
        node = node[part]
    last = parts[-1]
    parent = tuple(parts[:-1])
    if not _is_free_form(parent) and last not in node:
        raise ConfigError(f"{source}: unknown key {dotted!r}{_suggest(dotted, _dotted_keys(DEFAULT_CONFIG))}")
    if _is_free_form(parent) and parent == ("segment_names",):
        last = _int_or_str(last)
    if isinstance(node.get(last), dict) and not _is_free_form((*parent, str(last))):
        if not isinstance(value, Mapping):
            raise ConfigError(f"{source}: {dotted!r} must be a mapping of keys, got {quote(value)}")
        _merge(node[last], value, source=source, prefix=(*parent, str(last)))
    else:
        node[last] = value


def _int_or_str(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _dotted_keys(tree: Mapping, prefix: str = "") -> list[str]:
    keys = []
    for key, value in tree.items():
        full = f"{prefix}{key}"
        keys.append(full)
        if isinstance(value, Mapping) and value:
            keys.extend(_dotted_keys(value, full + "."))
    return keys


def _resolve_paths(cfg: dict, base: Path) -> None:
    for section, key in (("data", "customers"), ("data", "transactions"), ("monitor", "previous"),
                         ("segmentation", "model")):
        value = cfg[section].get(key)
        if value is None:
            continue
        if not isinstance(value, str | Path):
            raise ConfigError(f"config: '{section}.{key}' must be a path, got {quote(value)}")
        p = Path(str(value)).expanduser()
        cfg[section][key] = str(p if p.is_absolute() else (base / p))


def _expect(cond: bool, source: str, key: str, expected: str, value: Any) -> None:
    if not cond:
        raise ConfigError(f"{source}: {key!r} must be {expected}, got {quote(value)}")


def validate_config(cfg: Mapping[str, Any], *, source: str = "config", require_data: bool = False) -> None:
    """Check the values of a merged config; raise :class:`ConfigError` naming the key, the value
    and what was expected.

    The ``segmentation`` keys that are :class:`~segkit.segment.Segmenter` parameters are checked
    against the segmenter's own rules (:data:`segkit.parameters.SEGMENTER_PARAMETERS`, which the
    segmenter declares as its ``_parameter_constraints``) and the rules between them (an integer
    ``n_segments`` inside ``[k_min, k_max]``), so a config that passes here also passes the
    segmenter.

    Examples
    --------
    >>> cfg = load_config(None)
    >>> cfg["segmentation"]["algorithm"] = "kmean"
    >>> validate_config(cfg)
    Traceback (most recent call last):
    ...
    segkit.exceptions.ConfigError: config: 'segmentation.algorithm' must be one of ['auto', 'kmeans', 'gmm', 'agglomerative', 'hdbscan', 'kprototypes', 'latent_class'], but 'kmean' was given
    >>> cfg["segmentation"].update(algorithm="auto", n_segments=12)
    >>> validate_config(cfg)
    Traceback (most recent call last):
    ...
    segkit.exceptions.ConfigError: config: 'segmentation.n_segments' must be an integer from k_min (2) to k_max (10), or 'auto', got 12
    """
    data = cfg["data"]
    if require_data and not (data.get("customers") or data.get("transactions")):
        raise ConfigError(f"{source}: no data given; set 'data.customers' and/or 'data.transactions' (or use --demo)")
    _expect(isinstance(cfg["title"], str), source, "title", "text", cfg["title"])
    _expect(cfg.get("engine", "duckdb") in ENGINES, source, "engine", f"one of {list(ENGINES)}", cfg.get("engine"))
    _expect(isinstance(data.get("where"), Mapping), source, "data.where", "a mapping {column: value or [values]}",
            data.get("where"))
    _check_columns(cfg["columns"], source)
    _check_cleaning(cfg["cleaning"], source)
    _check_segmentation(cfg["segmentation"], source)
    _check_segment_names(cfg["segment_names"], source)
    _check_campaign(cfg["campaign"], source)
    _check_attractiveness(cfg["attractiveness"], source)
    _check_ab_test(cfg["ab_test"], source)
    _check_privacy(cfg["privacy"], source)
    codes = cfg["survey"]["missing_codes"]
    _expect(isinstance(codes, list) and all(isinstance(c, str | int | float) and not isinstance(c, bool)
                                            for c in codes), source, "survey.missing_codes",
            "a list of values that mean no answer, such as [99, 'Not applicable']", codes)
    survey = cfg["survey"]
    _expect(isinstance(survey["centre"], bool), source, "survey.centre", "true or false", survey["centre"])
    _expect(isinstance(survey["factors"], bool) or (isinstance(survey["factors"], int) and survey["factors"] >= 1),
            source, "survey.factors", "true, false or a number of factors >= 1", survey["factors"])
    _expect(survey["weight"] is None or (isinstance(survey["weight"], str | int) and not isinstance(survey["weight"], bool)
                                         and str(survey["weight"]).strip() != ""),
            source, "survey.weight", "the name of the column holding each respondent's weight", survey["weight"])
    rep = cfg["report"]
    _expect(_is_number(rep["timeout"]) and rep["timeout"] > 0, source, "report.timeout",
            "a number of seconds > 0", rep["timeout"])
    _expect(isinstance(rep["by_min_customers"], int) and rep["by_min_customers"] >= 1, source,
            "report.by_min_customers", "an integer >= 1", rep["by_min_customers"])
    _expect(rep["by_fit"] in ("shared", "separate"), source, "report.by_fit", "'shared' or 'separate'", rep["by_fit"])
    previous = (cfg.get("monitor") or {}).get("previous")
    _expect(previous is None or isinstance(previous, str | Path), source, "monitor.previous",
            "the folder of an earlier report (its segments.csv and summary.json)", previous)


def _check_columns(cols: Mapping[str, Any], source: str) -> None:
    for key in CONFIG_ROLE_KEYS:
        value = cols[key]
        if key == "customer_id" and isinstance(value, list):  # named differently in the customer table and the log
            _expect(0 < len(value) <= 2 and all(isinstance(v, str | int) for v in value), source, "columns.customer_id",
                    "a column name, or a list of two: the id column of the customer table and of the log", value)
            continue
        _expect(value is None or isinstance(value, str | int), source, f"columns.{key}", "a column name", value)
    for key in (*GROUP_ROLES, "constants"):
        value = cols[key]
        _expect(
            value is None or (isinstance(value, list) and all(isinstance(v, str | int) for v in value)),
            source, f"columns.{key}", "a list of column names", value,
        )
    kinds = cols["kinds"]
    _expect(isinstance(kinds, Mapping), source, "columns.kinds", "a mapping {column: kind}", kinds)
    usable = [k for k in KINDS if k != "outcome"]
    for column, kind in kinds.items():
        if kind not in usable:
            close = difflib.get_close_matches(str(kind), usable, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"{source}: 'columns.kinds.{column}' must be one of {usable}, but {kind!r} was given{hint}")


def _check_cleaning(cleaning: Mapping[str, Any], source: str) -> None:
    _expect(isinstance(cleaning["drop_duplicates"], bool), source, "cleaning.drop_duplicates", "true or false",
            cleaning["drop_duplicates"])
    snap = cleaning["snapshot_date"]
    if snap is not None:
        try:
            dt.date.fromisoformat(str(snap))
        except ValueError:
            raise ConfigError(f"{source}: 'cleaning.snapshot_date' must be a date like 2011-12-10, got {quote(snap)}") from None


def _check_segmentation(seg: Mapping[str, Any], source: str) -> None:
    """The segmenter's parameters by its own constraints, then the basis and feature names."""
    invalid = check_parameters({k: v for k, v in seg.items() if k in SEGMENTER_PARAMETERS}, plain=True)
    if invalid is not None:
        key, value = f"segmentation.{invalid.name}", invalid.value
        if invalid.choice:
            raise ConfigError(f"{source}: {key!r} must be {invalid.expected}, but {quote(value)} was given")
        raise ConfigError(f"{source}: {key!r} must be {invalid.expected}, got {quote(value)}")
    basis = seg["basis"]
    if basis is not None:
        basis_list = [basis] if isinstance(basis, str) else basis
        _expect(isinstance(basis_list, list), source, "segmentation.basis", f"a list drawn from {list(BASES)}", basis)
        for b in basis_list:
            if b not in BASES:
                close = difflib.get_close_matches(str(b), BASES, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ConfigError(f"{source}: 'segmentation.basis' has unknown basis {b!r}; expected one of {list(BASES)}{hint}")
    feats = seg["features"]
    _expect(feats is None or (isinstance(feats, list) and all(isinstance(f, str) for f in feats)), source,
            "segmentation.features", "a list of feature names", feats)
    most = seg["max_features"]
    _expect(isinstance(most, int) and not isinstance(most, bool) and most >= 2, source, "segmentation.max_features",
            "an integer >= 2 (numeric features clustered at most; the wide-table screen keeps the best)", most)
    exclude = seg["exclude"]
    _expect(exclude is None or (isinstance(exclude, list) and all(isinstance(f, str | int) for f in exclude)), source,
            "segmentation.exclude", "a list of column or feature names", exclude)


def _check_segment_names(names: Any, source: str) -> None:
    """``{segment id: name}``: ids are integers >= 0 (``"2"`` from ``--set segment_names.2=...`` too),
    names non-empty text."""
    _expect(isinstance(names, Mapping), source, "segment_names", "a mapping {segment id: name}", names)
    for key, name in names.items():
        is_id = (isinstance(key, int) and not isinstance(key, bool) and key >= 0) or (
            isinstance(key, str) and key.strip().isdigit())
        _expect(is_id, source, "segment_names", "keyed by segment ids (integers >= 0)", key)
        _expect(isinstance(name, str) and bool(name.strip()), source, f"segment_names.{key}",
                "a name (non-empty text)", name)


def _check_campaign(camp: Mapping[str, Any], source: str) -> None:
    _expect(camp["response"] is None or isinstance(camp["response"], str), source, "campaign.response",
            "a column name", camp["response"])
    cost, revenue = camp["cost_per_contact"], camp["revenue_per_response"]
    _expect(cost is None or (_is_number(cost) and cost >= 0), source, "campaign.cost_per_contact",
            "a number >= 0 (the cost of one contact, e.g. 3 or 2.50)", cost)
    _expect(revenue is None or (_is_number(revenue) and revenue > 0), source, "campaign.revenue_per_response",
            "a number > 0 (the revenue of one response, e.g. 11)", revenue)


def _check_attractiveness(attract: Mapping[str, Any], source: str) -> None:
    scalings = ("max", "minmax", "rank")
    _expect(attract["scaling"] in scalings, source, "attractiveness.scaling", f"one of {list(scalings)}",
            attract["scaling"])
    weights = attract["weights"]
    _expect(isinstance(weights, Mapping), source, "attractiveness.weights",
            "a mapping {size: w, value: w, response: w, growth: w}", weights)
    for name, weight in weights.items():
        _expect(name in ("size", "value", "response", "growth"), source, "attractiveness.weights",
                "keys among size, value, response, growth", name)
        _expect(_is_number(weight) and weight >= 0, source, f"attractiveness.weights.{name}",
                "a number >= 0", weight)


def _check_ab_test(ab: Mapping[str, Any], source: str) -> None:
    _expect(isinstance(ab["mde"], int | float) and 0 < ab["mde"] < 1, source, "ab_test.mde",
            "an absolute rate difference between 0 and 1", ab["mde"])
    _expect(isinstance(ab["alpha"], float) and 0 < ab["alpha"] < 0.5, source, "ab_test.alpha", "between 0 and 0.5",
            ab["alpha"])
    _expect(isinstance(ab["power"], float) and 0.5 <= ab["power"] < 1, source, "ab_test.power", "between 0.5 and 1",
            ab["power"])
    _expect(isinstance(ab["treatment_share"], float) and 0 < ab["treatment_share"] < 1, source,
            "ab_test.treatment_share", "between 0 and 1", ab["treatment_share"])


def _check_privacy(priv: Mapping[str, Any], source: str) -> None:
    m = priv["min_cell_size"]
    _expect(isinstance(m, int) and not isinstance(m, bool) and m >= 0, source, "privacy.min_cell_size",
            "a non-negative integer", m)
    _expect(isinstance(priv["pseudonymise_ids"], bool), source, "privacy.pseudonymise_ids", "true or false",
            priv["pseudonymise_ids"])
    if priv["pseudonymise_ids"] and not priv["pseudonym_key"]:
        raise ConfigError(f"{source}: 'privacy.pseudonymise_ids' is true but 'privacy.pseudonym_key' is not set")
    key = priv["pseudonym_key"]
    if key is not None and (not isinstance(key, str) or len(key) < 8):
        shown = f"{len(key)} characters" if isinstance(key, str) else repr(key)
        raise ConfigError(f"{source}: 'privacy.pseudonym_key' must be a secret of at least 8 characters, got {shown}")


def check_data_paths(cfg: Mapping[str, Any]) -> None:
    """Fail fast, before any data is read, when a configured data path matches nothing.

    Examples
    --------
    >>> check_data_paths(load_config(None, overrides=["data.customers=/no/such/file.csv"]))
    Traceback (most recent call last):
    ...
    segkit.exceptions.InputNotFoundError: /no/such/file.csv: no such file, folder or glob match (data.customers in the config)
    """
    for key in ("customers", "transactions"):
        path = cfg["data"].get(key)
        if not path:
            continue
        path = str(path)
        found = glob.glob(path) if any(ch in path for ch in "*?[") else os.path.exists(path)
        if not found:
            raise InputNotFoundError(f"{path}: no such file, folder or glob match (data.{key} in the config)")
