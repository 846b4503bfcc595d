"""The config-driven analysis behind ``segkit report``, one step per pipeline stage.

:class:`Analysis` holds a validated config and runs the stages in order, keeping each
result as an attribute so an analyst can stop anywhere and carry on by hand::

    run = Analysis(config)
    run.load()              # read + validate, roles detected and printed
    run.build_features()    # clean (logged), RFM and every basis
    run.segment()           # choose k, fit, stability (run.segment(n_segments=4) to change k)
    run.profile()           # profiles, lift, names (run.rename({0: "VIPs"}) to change one)
    run.value()             # historical value and CLV
    run.target()            # campaign targeting, attractiveness, A/B plan
    run.write("out/")       # the output contract

The report notebook calls exactly these steps. A stage run again throws away the results of
the stages after it, and :meth:`Analysis.write` runs any stage that has no result, so what is
written always follows from the latest settings; a result computed before a setting it
depends on was changed by hand is refused with :class:`~segkit.exceptions.StaleResultError`.
The work itself lives in the stage modules: reading in :mod:`segkit.inputs`, the fitted
segmentation in :mod:`segkit.model`, profiles in :mod:`segkit.profile`, and so on."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from segkit.config import DEFAULT_CONFIG, load_config, make_config, validate_config
from segkit.exceptions import ConfigError, ModelError, SegkitWarning, StaleResultError, user_stacklevel
from segkit.features.bases import copies, value_column
from segkit.inputs import Inputs, load_inputs, response_column
from segkit.io.purchase_log import release_arrow_memory
from segkit.model import SegmentationModel, score
from segkit.monitor import feature_reference
from segkit.report import contract
from segkit.report.outputs import write_csv_atomic, write_text_atomic
from segkit.segment.stability import stability_without
from segkit.spark import stages as spark_stages

__all__ = ["Analysis", "Inputs", "demo_config", "score", "write_csv_atomic", "write_demo_inputs", "write_text_atomic"]


# ----------------------------------------------------------------------------- demo inputs

def write_demo_inputs(folder: str | Path, *, n_customers: int = 3000, random_state: int = 0) -> Path:
    """Generate the seeded demo data into ``folder``; return its ``config.yml``."""
    from segkit.datasets import make_demo

    return make_demo(n_customers, random_state=random_state).write(folder)["config"]


def demo_config(folder: str | Path | None = None, **overrides: Any) -> dict[str, Any]:
    """A validated config for the demo data, generated into ``folder`` (a temp folder by default)."""
    folder = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="segkit-demo-"))
    path = write_demo_inputs(folder)
    return load_config(path, overrides=[f"{k}={json.dumps(v)}" for k, v in overrides.items()])


class _DemoFiles:
    """The demo's CSV files, on disk (a private temporary folder) only while :meth:`Analysis.load`
    reads them, so no run leaves a ``segkit-demo-*`` folder behind, even when its kernel is killed."""

    def __init__(self) -> None:
        from segkit.datasets import make_demo

        self.folder = Path(tempfile.gettempdir()) / f"segkit-demo-{os.getpid()}-{id(self):x}"
        demo = make_demo(3000, random_state=0)
        self.config = make_config(demo.config(self.folder / "customers.csv", self.folder / "transactions.csv"),
                                  require_data=True)

    @contextlib.contextmanager
    def present(self) -> Iterator[None]:
        write_demo_inputs(self.folder)
        try:
            yield
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


# ----------------------------------------------------------------------------- timing

class StageTimer:
    """Wall-clock seconds per named stage, for ``summary.json``'s ``timings``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = round(self.seconds.get(stage, 0.0) + time.perf_counter() - started, 3)

    def __repr__(self) -> str:
        return f"StageTimer({', '.join(f'{k}={v:.2f}s' for k, v in self.seconds.items())})"


# ----------------------------------------------------------------------------- the analysis

#: The stages in order, each with the config sections its result depends on (and the earlier stages').
STAGES: dict[str, tuple[str, ...]] = {
    "load": ("data", "columns", "survey", "engine"),
    "features": ("cleaning",),
    "segment": ("segmentation", "monitor"),
    "profile": ("segment_names", "privacy"),
    "value": (),
    "target": ("campaign", "ab_test", "attractiveness"),
}
_RESULTS: dict[str, tuple[str, ...]] = {  # each stage's results, cleared when an earlier stage runs again
    "load": ("inputs",),
    "features": ("features",),
    "segment": ("model", "labels", "previous"),
    "profile": ("profile_", "names", "rules", "comparison", "_reference", "outcomes"),
    "value": ("clv", "value_result"),
    "target": ("targeting", "attractiveness", "ab_plan"),
}


class Analysis:
    """Run the segmentation pipeline for one config, stage by stage.

    Parameters
    ----------
    config : mapping or str or Path or None
        A config dict with the keys of a YAML config (those left out take their
        defaults), a YAML path, or ``None`` for the built-in demo.
    verbose : bool
        Print what was detected and chosen at each stage, with progress bars over the
        choice of k and the stability bootstraps (the long steps).

    Examples
    --------
    >>> run = Analysis(None, verbose=False)
    >>> run
    Analysis('segkit demo customers', stages done: none)
    """

    def __init__(self, config: Mapping[str, Any] | str | Path | None = None, *, verbose: bool = True) -> None:
        self._demo = None
        if config is None:
            self._demo = _DemoFiles()
            config = self._demo.config
        elif isinstance(config, str | Path):
            config = load_config(config, require_data=True)
        else:
            config = make_config(config, require_data=True)
        self.config: dict[str, Any] = config
        self.verbose, self.timer = verbose, StageTimer()
        self.inputs: Inputs | None = None
        self.features = None
        self.model: SegmentationModel | None = None
        self.labels: pd.Series | None = None
        self.profile_ = None
        self.names: pd.DataFrame | None = None
        self.rules = None  # segkit.explain.SegmentRules, from profile()
        #: Each outcome per segment: the share of each level with its interval (segkit.profile.outcome_rates).
        self.outcomes: pd.DataFrame | None = None
        self.clv: pd.DataFrame | None = None
        self.value_result = None  # what the value stage found (segkit.value.stage.ValueResult)
        self.targeting: pd.DataFrame | None = None
        self.attractiveness: pd.DataFrame | None = None
        self.ab_plan: pd.DataFrame | None = None
        self.previous = None  # the earlier run named by monitor.previous (segkit.monitor.RunRecord)
        self.comparison = None  # what changed since it (segkit.monitor.Comparison), from changes()
        self._reference = None
        #: The config each stage ran with (a digest of the sections it depends on).
        self._ran: dict[str, str] = {}
        self._notes: dict[str, list[str]] = {}
        #: SegkitWarnings raised while reading and cleaning (the report lists them under "Data and quality").
        self.data_warnings: list[str] = []

    def __repr__(self) -> str:
        done = [s for s in STAGES if s in self._ran]
        return f"Analysis({self.config['title']!r}, stages done: {', '.join(done) or 'none'})"

    # -- the fitted segmentation, as the report reads it -----------------------------------
    @property
    def segmenter(self):
        """The fitted :class:`~segkit.segment.Segmenter` (preprocessing included)."""
        return self.model.segmenter_ if self.model is not None and hasattr(self.model, "segmenter_") else None

    @property
    def X(self) -> pd.DataFrame | None:
        """The clustered features, as the segmenter took them."""
        return getattr(self.model, "X_", None)

    @property
    def _spark(self) -> bool:
        return self.config.get("engine") == "spark"  # segkit.spark runs the line-level stages

    @property
    def notes(self) -> list[str]:
        """What the report says about the choices made, stage by stage."""
        return [note for stage in STAGES for note in self._notes.get(stage, [])]

    def public_config(self) -> dict[str, Any]:
        """The config as written into reports and exports: secrets replaced by ``<redacted>``."""
        cfg = json.loads(json.dumps(self.config, default=str))
        for key in ("survey", "engine"):  # a section at its defaults says nothing
            if cfg.get(key) == DEFAULT_CONFIG[key]:
                cfg.pop(key)
        if cfg["privacy"].get("pseudonym_key"):
            cfg["privacy"]["pseudonym_key"] = "<redacted>"
        return cfg

    # -- stage bookkeeping --------------------------------------------------------------------
    def _digest(self, stage: str) -> str:
        """A digest of the config sections ``stage`` and the stages before it depend on."""
        keys = [key for name in STAGES for key in STAGES[name] if list(STAGES).index(name) <= list(STAGES).index(stage)]
        text = json.dumps({k: self.config.get(k) for k in keys}, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    @contextlib.contextmanager
    def _stage(self, stage: str) -> Iterator[list[str]]:
        """Run ``stage``: the results of later stages are cleared, its notes collected, and the
        config it ran with recorded once it succeeds."""
        later = list(STAGES)[list(STAGES).index(stage) + 1:]
        for name in [stage, *later]:
            self._ran.pop(name, None)
            self._notes.pop(name, None)
        for name in later:
            for attr in _RESULTS[name]:
                setattr(self, attr, None)
        notes: list[str] = []
        with self.timer(stage):
            yield notes
        release_arrow_memory()  # what Arrow's allocator kept of the stage's temporaries goes back to the system
        self._notes[stage] = notes
        self._ran[stage] = self._digest(stage)

    def _ensure(self, stage: str) -> None:
        """Run ``stage`` (and the stages it needs) unless it already ran."""
        if stage not in self._ran:
            getattr(self, {"features": "build_features"}.get(stage, stage))()

    def check_current(self) -> None:
        """Raise :class:`StaleResultError` when a stage's result predates a change of its config.

        Examples
        --------
        >>> run = Analysis(None, verbose=False)
        >>> _ = run.load()
        >>> run.config["columns"]["customer_id"] = "email"
        >>> run.check_current()
        Traceback (most recent call last):
        ...
        segkit.exceptions.StaleResultError: load ran before data, columns, survey or engine changed; run run.load() again ...
        """
        for stage in STAGES:
            if stage in self._ran and self._ran[stage] != self._digest(stage):
                sections = [k for name in list(STAGES)[: list(STAGES).index(stage) + 1] for k in STAGES[name]]
                method = {"features": "build_features"}.get(stage, stage)
                raise StaleResultError(
                    f"{stage} ran before {', '.join(sections[:-1])} or {sections[-1]} changed; run run.{method}() "
                    "again (the stages after it follow), or undo the change")

    @contextlib.contextmanager
    def _collect_warnings(self) -> Iterator[None]:
        """Record the SegkitWarnings raised inside (once each) and raise them again for the caller."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SegkitWarning)
            try:
                yield
            finally:
                seen = list(caught)
        for w in seen:
            if issubclass(w.category, SegkitWarning):
                text = str(w.message)
                if text not in self.data_warnings:
                    self.data_warnings.append(text)
            # at the analyst's line (a notebook cell), not segkit's source line
            warnings.warn(w.message, w.category, stacklevel=user_stacklevel())

    def _say(self, msg: str) -> None:
        if self.verbose:
            print(msg)

    # -- read + validate -----------------------------------------------------------------
    def load(self) -> Inputs:
        """Read the configured tables, detect column roles, standardise and check quality.

        The config's ``campaign.response`` column is read as a campaign answer (0/1, yes/no,
        true/false) whatever its name. With both a customer table and a purchase log, their
        customer ids must match: a table without an id column, or ids that match none of
        the other table's, is an error rather than a report on two disjoint sets of customers.
        """
        response = self.config["campaign"]["response"]
        if response is not None and not self.config["data"].get("customers"):
            raise ConfigError(f"campaign.response is {response!r} but no customer table is given (data.customers); "
                              f"expected the campaign answers as a column of a customer table")
        self.data_warnings = []
        files = self._demo.present() if self._demo is not None else contextlib.nullcontext()
        with self._stage("load") as notes, self._collect_warnings(), files:
            self.inputs = (spark_stages.load if self._spark else load_inputs)(self.config, say=self._say)
            notes.extend(self.inputs.notes)
        return self.inputs

    # -- features --------------------------------------------------------------------------
    def build_features(self):
        """Clean the inputs (logged) and build one feature table with every basis.

        Returns the table (a notebook shows its summary: customers, bases, snapshot, cleaning).
        """
        self._ensure("load")
        with self._stage("features"), self._collect_warnings():
            self.features = spark_stages.build_features(self.inputs, self.config) if self._spark else \
                SegmentationModel(self.config).features(self.inputs)
        return self.features

    # -- segment ---------------------------------------------------------------------------
    def segment(self, **settings: Any):
        """Choose k, fit the segmentation and check its stability.

        Keyword arguments change ``segmentation`` settings first (``n_segments=4``,
        ``algorithm="gmm"``, ``basis=["demographic"]``); the stages after this one start again.
        """
        if settings:
            updated = {**self.config["segmentation"], **settings}
            candidate = {**self.config, "segmentation": updated}
            validate_config(candidate, source="segment()")
            self.config["segmentation"] = updated
        self._ensure("features")
        with self._stage("segment") as notes:
            previous = self.config.get("monitor", {}).get("previous")
            shared = self.config["segmentation"].get("model")
            prefer = self._previous_k(previous) if previous else None  # reads it for changes() too
            if shared:
                self.model = SegmentationModel.shared(shared, self.inputs, self.features.frame.index)
                notes.extend(self.model.notes_)
                self.labels = self.model.labels_
                self._say(f"{self.segmenter.n_segments_} segments of the shared model {shared}")
                return self.segmenter
            self.model = SegmentationModel(self.config).fit(self.inputs, table=self.features, progress=self.verbose,
                                                            prefer_k=prefer)
            notes.extend(self.model.notes_)
            self._say(f"clustering on {self.X.shape[1]} features: {', '.join(map(str, self.X.columns))}")
            if previous:
                self._continue_ids(previous)
            self.labels = self.model.labels_
            if self._spark:  # every customer assigned on Spark by the model fitted on the sample
                spark_stages.after_fit(self, notes)
            batteries = self.model.batteries_  # survey.centre / factors: their effect on stability, one extra fit
            if batteries is not None and batteries.active and min(self.segmenter.n_bootstrap, self.segmenter.n_segments_ - 1):
                batteries.stability_ = {"with": self.segmenter.stability_, "without": stability_without(
                    self.segmenter, self.model.table_.frame[self.model.features_]), "algorithm": self.segmenter.algorithm_}
        self._say(f"{self.segmenter.n_segments_} segments with {self.segmenter.algorithm_}")
        return self.segmenter

    def feature_reference(self) -> dict[str, dict[str, Any]]:
        """This run's :func:`segkit.monitor.feature_reference` (computed once per feature table)."""
        if self._reference is None:
            self._reference = feature_reference(self._profile_frame(),
                                                min_cell_size=int(self.config["privacy"]["min_cell_size"]))
        return self._reference

    def _published_ids(self, index: pd.Index) -> pd.Index:
        """Customer ids as segments.csv writes them (pseudonymised when the config says so)."""
        ids = pd.Series(index.astype(str))
        priv = self.config["privacy"]
        if priv["pseudonymise_ids"]:
            from segkit.privacy import pseudonymise

            ids = pseudonymise(ids, key=priv["pseudonym_key"])
        return pd.Index(ids.astype(str).to_numpy())

    def _previous_k(self, previous: str) -> int | None:
        """The k of the report in ``previous`` (kept in ``self.previous``) when k is left to choose."""
        from segkit import monitor

        self.previous = monitor.read_run(previous)
        k = int(self.previous.labels.nunique())
        return k if self.config["segmentation"]["n_segments"] == "auto" and k >= 2 else None

    def _continue_ids(self, previous: str) -> None:
        """Renumber the segments to continue the ids of the report in ``previous`` (read by :meth:`_previous_k`)."""
        from segkit import monitor

        current = pd.Series(self.segmenter.labels_, index=self._published_ids(self.X.index))
        self.model.relabel(monitor.stable_ids(self.previous.labels, current))

    def changes(self):
        """What changed since the report in ``monitor.previous`` (a :class:`segkit.monitor.Comparison`),
        or None when no previous run is configured. Call after :meth:`profile` (it uses the names)."""
        from segkit import monitor
        from segkit.profile import humanise

        if not self.config.get("monitor", {}).get("previous"):
            return None
        self._ensure("profile")
        reference = self.feature_reference()
        current = pd.Series(self.labels.to_numpy(), index=self._published_ids(self.labels.index))
        self.comparison = monitor.compare(
            self.previous.labels, current, old_names=self.previous.names, new_names=self.names["name"].to_dict(),
            old_reference=self.previous.reference, new_reference=reference,
            old_label=self.previous.label, new_label="this run", align=False,  # ids already continue
            feature_label=humanise,
        )
        return self.comparison

    # -- why: the prepared space and one customer -----------------------------------------
    def embedding(self) -> pd.DataFrame:
        """The customers in the space the segments were fitted in, labelled: indexed by customer id,
        one column per prepared feature under the preprocessor's name (``log__monetary``, ...)."""
        self._ensure("segment")
        return self.model.embedding()

    def explain(self, customer_id):
        """Why a customer is in their segment (a :class:`segkit.explain.CustomerExplanation`):
        distances to every segment, the runner-up and the margin, the features that pull the
        customer to their segment, in their own units. Names follow :meth:`profile` when it ran."""
        self._ensure("segment")
        return self.model.explain(customer_id, label=self.config["title"])

    # -- profile + names -------------------------------------------------------------------
    def profile(self):
        """Profile every segment on every feature and give each a plain-language name."""
        from segkit.profile import humanise, profile_segments
        from segkit.profile.outcomes import table_outcome_rates

        self._ensure("segment")
        with self._stage("profile") as notes:
            frame = self._profile_frame()
            bases = dict(self.features.bases)
            value_col, parts = value_column(frame, bases, {c: humanise(str(c)) for c in frame.columns})
            if parts:
                frame["total_spend"] = frame[parts].sum(axis=1, min_count=1)
                bases["total_spend"] = "value"
                notes.append("Revenue figures use total spend: the sum of "
                             f"{', '.join(humanise(str(c)) for c in parts)} in the customer table.")
            weights = self.features.weights  # survey.weight, if any: one source for every weighted figure
            self.profile_ = profile_segments(frame, self.labels, bases=bases, value_col=value_col,
                                             min_cell_size=self.config["privacy"]["min_cell_size"], weights=weights)
            self.outcomes = table_outcome_rates(self.labels, self.inputs.customers, self.inputs.customer_roles,
                                                min_cell_size=self.config["privacy"]["min_cell_size"], weights=weights)
            self.rules = self.model.rules(min_rule_size=int(self.config["privacy"]["min_cell_size"]))
            self._name_segments()
        return self.profile_

    def columns(self) -> pd.DataFrame:
        """One row per column of every input: its role, basis, kind, what the segmentation does with it
        (clustered, profiled and why, not used and why) and the evidence (``segkit inspect``'s table)."""
        from segkit.inspection import inputs_columns

        self._ensure("segment")
        return inputs_columns(self.inputs, self.features, getattr(self.model, "selection_", None))

    def _name_segments(self) -> None:
        from segkit.profile import name_segments
        from segkit.profile.labels import audience

        overrides = {int(k): str(v) for k, v in self.config["segment_names"].items()}
        if self.config["segmentation"].get("model") and self.model.names_:
            # a shared model's names, so that a segment is called the same in every batch
            present = set(self.profile_.summary.index)
            overrides = {**{int(k): v for k, v in self.model.names_.items() if int(k) in present}, **overrides}
        people = audience(purchases=self.features.rfm is not None, revenue=self.profile_.value_col is not None,
                          response=self.response_column() is not None, bases=self.features.bases.values())
        self.names = name_segments(self.profile_, overrides=overrides, kinds=getattr(self.features, "kinds", None),
                                   people=people)
        self.model.names_ = self.names["name"].to_dict()
        self.profile_.names, self.profile_.people = dict(self.model.names_), people
        if self.rules is not None:
            self.rules.names = dict(self.model.names_)

    def rename(self, names: Mapping[int, str]) -> pd.DataFrame:
        """Name segments by hand (``{segment: name}``); targeting and every written file follow.

        The names are kept in ``segment_names`` of the config, as if it had said so.
        """
        self._ensure("profile")
        known = range(self.model.n_segments)
        for segment, name in names.items():
            if int(segment) not in known or not str(name).strip():
                raise ConfigError(f"rename: segment {segment!r} -> {name!r}; expected a segment id from 0 to "
                                  f"{known[-1]} and a name that is not empty")
        self.config["segment_names"] = {**self.config["segment_names"], **{int(k): str(v) for k, v in names.items()}}
        self._name_segments()
        self._ran["profile"] = self._digest("profile")
        for stage in ("target",):  # targeting tables carry the names
            self._ran.pop(stage, None)
            for attr in _RESULTS[stage]:
                setattr(self, attr, None)
        return self.names

    def _profile_frame(self) -> pd.DataFrame:
        from segkit.privacy import find_identifier_columns

        screened = getattr(getattr(self.model, "selection_", None), "screened", [])  # the wide-table screen's
        frame = self.features.frame.drop(columns=screened)  # leftovers are not profiled
        ids = set(find_identifier_columns(frame))
        roles = self.inputs.customer_roles
        if roles is not None:
            ids |= set(getattr(roles, "identifiers", []) or [])
        keep = [c for c in frame.columns if c not in ids and not pd.api.types.is_datetime64_any_dtype(frame[c])]
        return frame[keep].drop(columns=list(copies(frame[keep])))

    # -- value -----------------------------------------------------------------------------
    def value(self) -> pd.DataFrame | None:
        """Predicted customer lifetime value, tested on a holdout, when a purchase log exists (not on Spark).

        :func:`segkit.value.stage.validated_value` fits BG/NBD, MBG/NBD and Pareto/NBD on the first two
        thirds of the log, keeps the best predictor of the last third, refits it on the whole log and checks
        it (``run.value_result``). ``run.clv`` (P(alive), expected purchases and value, CLV) is set only when
        the predictions are reliable; otherwise the report shows historical value and says why.
        """
        from segkit.value.stage import validated_value

        self._ensure("profile")
        with self._stage("value") as notes:
            tx = self.inputs.transactions
            if tx is None or self._spark:
                notes.append(spark_stages.NO_VALUE if self._spark else
                             "No purchase log was given, so there is no predicted lifetime value.")
                return None
            snapshot = self.features.snapshot_date
            end = pd.Timestamp(snapshot) - pd.Timedelta(days=1) if snapshot is not None else None
            self.value_result = result = validated_value(
                tx, labels=self.labels, observation_end=end,
                random_state=int(self.config["segmentation"]["random_state"] or 0),
                min_cell_size=int(self.config["privacy"]["min_cell_size"]))
            if result.reliable:
                self.clv = result.customers
                notes.append(f"Lifetime value comes from {result.validation['model']}, which predicted "
                             f"{result.validation['holdout_days']} days of held-out purchases better than "
                             "the naive baseline (see Value).")
            else:
                notes.append(f"Predicted lifetime value is not shown: {result.validation['reason']}.")
        return self.clv

    # -- target ----------------------------------------------------------------------------
    def response_column(self) -> str | None:
        """The campaign column targeted on: the config's, else the last campaign column."""
        return response_column(self.config, self.inputs)

    def target(self) -> pd.DataFrame | None:
        """Response per segment with intervals, expected profit, actions, attractiveness, A/B plan."""
        from segkit import target as tg

        self._ensure("value")
        column = self.response_column()
        names = self.names["name"].to_dict()
        with self._stage("target") as notes:
            if column is None:
                notes.append("No campaign response column was found, so there is no campaign targeting.")
            else:
                response = self.inputs.customers.set_index("customer_id")[column].reindex(self.labels.index)
                cost, revenue, known = tg.economics_or_rate(self.inputs.customers, self.config["campaign"],
                                                            response, notes)
                self.targeting = tg.targeting_table(
                    self.labels, response, names=names, cost_per_contact=cost, revenue_per_response=revenue,
                    min_cell_size=self.config["privacy"]["min_cell_size"], source=self.inputs.label("customers"),
                    weights=self.features.weights,
                )
                if not known:
                    self.targeting[["expected_profit_per_contact", "expected_total_profit"]] = np.nan
                self.targeting.attrs["economics_known"] = known
                ab = self.config["ab_test"]
                rates = self.targeting.set_index("segment")["response_rate"]
                self.ab_plan = tg.ab_plan(self.labels, baseline_rates=rates, mde=ab["mde"], alpha=ab["alpha"],
                                          power=ab["power"], treatment_share=ab["treatment_share"])
            self.attractiveness = tg.attractiveness(
                self.profile_.summary, targeting=self.targeting, weights=self.config["attractiveness"]["weights"],
                scaling=self.config["attractiveness"]["scaling"],  # survey.weight: sizes as weighted shares
                size_col="weighted_share" if self.features.weights is not None else "size",
            )
        return self.targeting

    # -- outputs ---------------------------------------------------------------------------
    def segments_table(self) -> pd.DataFrame:
        """``segments.csv``: one row per customer with segment id, name and RFM segment."""
        return contract.segments_table(self)

    def summary(self) -> dict[str, Any]:
        """Everything ``summary.json`` records about this run."""
        return contract.summary(self)

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write the output contract files into ``out_dir`` (the report adds the HTML).

        Stages that have not run (or were cleared by an earlier stage run again) run first;
        a result older than a config change it depends on is refused (:meth:`check_current`).
        See :func:`segkit.report.contract.write_run` for what is written.
        """
        self.check_current()
        for stage in STAGES:
            self._ensure(stage)
        return contract.write_run(self, out_dir)
