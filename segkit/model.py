"""One fitted segmentation: how raw inputs become features, and which segment each customer is in.

:class:`SegmentationModel` holds everything a fit learned: the column roles the data were read
with, the limits of the cleaning rules (income fence, signed columns, reference year), the
snapshot date of the purchase log, the clustered features with their category levels, the
fitted :class:`~segkit.segment.Segmenter` and the segment names. Fitting and scoring run the
same code: :meth:`SegmentationModel.fit` builds its feature matrix with
:meth:`~SegmentationModel.transform`'s steps, so a customer scored later gets the segment the
report gave it, whoever else is in the batch. The report (:class:`segkit.pipeline.Analysis`),
``segkit score``, ``--by`` batches and monitoring all use this one object; it is saved as
``model.skops``.

Examples
--------
>>> from segkit.config import make_config
>>> from segkit.datasets import make_demo
>>> from segkit.inputs import load_inputs
>>> import tempfile
>>> paths = make_demo(400, random_state=3).write(tempfile.mkdtemp())
>>> config = make_config({"data": {"transactions": str(paths["transactions"])},
...                       "segmentation": {"n_segments": 3, "n_bootstrap": 0}})
>>> inputs = load_inputs(config)
>>> model = SegmentationModel(config).fit(inputs)
>>> model
SegmentationModel(3 segments over 15 features from a purchase log; sizes 167, 83, 150)
>>> bool((model.assign(inputs) == model.labels_).all())
True
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from segkit._json import plain
from segkit.exceptions import (ColumnError, DataError, ModelError, SegkitError, SegkitWarning, SegmentationError, quote,
                               user_stacklevel)
from segkit.features.bases import select_features, unknown_feature_message
from segkit.features.batteries import ItemBatteries
from segkit.features.build import FeatureTable, build_features
from segkit.inputs import Inputs, load_inputs, response_column
from segkit.schema import FLAG_VALUES, GROUP_ROLES
from segkit.features.preprocess import plan_columns
from segkit.segment import Segmenter, load_segmenter, save_segmenter
from segkit.segment.validation import check_customers

__all__ = ["SegmentationModel", "score"]

#: Revenue shares kept per share column when fitting (the rest pooled as ``other``).
FIT_SHARE_VALUES = 5
#: Scoring gives every value of a share column its own column, then folds them into the model's.
ALL_SHARE_VALUES = 1000
#: Levels of a category below this share are pooled as ``Other`` when fitting.
RARE_SHARE = 0.02


class SegmentationModel:
    """The fitted segmentation of one config: features, segmenter and names in one object.

    Parameters
    ----------
    config : mapping
        A validated config (:func:`segkit.config.make_config`): its ``columns``,
        ``cleaning`` and ``segmentation`` sections say how to read, clean and segment.

    Attributes
    ----------
    segmenter_ : Segmenter
        The fitted segmenter (preprocessing included).
    features_ : list of str
        The clustered features, in order.
    tables_ : list of str
        The inputs the features come from (``customers``, ``transactions``); scoring needs
        those, and only those.
    roles_ : dict or None
        The customer table's role groups as fitted, so a batch is read the same way.
    snapshot_date_ : str or None
        The purchase log's snapshot date (ISO) the features were computed at.
    cleaning_thresholds_ : dict or None
        The limits of the customer-table cleaning rules (income fence, ...).
    levels_ : dict
        ``{column: [levels]}`` of the clustered text columns (``Other`` when rare levels
        were pooled).
    names_ : dict
        ``{segment: name}``, set by the report's profile stage or :meth:`rename`.
    table_, X_, labels_ : FeatureTable, DataFrame, Series
        The feature table, matrix and segments of the fit (not saved).
    notes_ : list of str
        What the report should say about the choice of features.
    """

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config

    def __repr__(self) -> str:
        if not hasattr(self, "segmenter_"):
            return "SegmentationModel(not fitted)"
        sizes = ", ".join(f"{n:,}" for n in np.bincount(self.segmenter_.labels_, minlength=self.n_segments))
        source = " and ".join("a customer table" if t == "customers" else "a purchase log" for t in self.tables_)
        return (f"SegmentationModel({self.n_segments} segments over {len(self.features_)} features from {source}; "
                f"sizes {sizes})")

    def _repr_html_(self) -> str:
        """The model in a notebook: k, algorithm, and per segment its name, size and stability."""
        if not hasattr(self, "segmenter_"):
            return f"<code>{repr(self)}</code>"
        from segkit.segment.display import segments_html

        return segments_html(self.segmenter_, names=self.names_, title=repr(self))

    @property
    def n_segments(self) -> int:
        return int(self.segmenter_.n_segments_)

    @property
    def fitted(self) -> bool:
        return hasattr(self, "features_")

    # ------------------------------------------------------------------ fit
    def fit(self, inputs: Inputs, *, table: FeatureTable | None = None, progress: bool = False,
            prefer_k: int | None = None) -> SegmentationModel:
        """Build the features of ``inputs``, choose the clustered ones, and fit the segments.

        ``table`` is the feature table of ``inputs`` when it was built already (with
        :meth:`features` of an unfitted model of the same config). ``prefer_k`` (the previous
        run's number of segments) is kept unless the data clearly say otherwise. Segments hold
        at least ``privacy.min_cell_size`` customers each, so that none is too small to show.
        """
        for name in ("features_", "levels_", "cleaning_thresholds_", "snapshot_date_", "names_"):
            self.__dict__.pop(name, None)  # refit from scratch: nothing learned before counts
        self.notes_: list[str] = []
        roles = self._fit_roles(inputs)
        self.roles_ = {g: list(getattr(roles, g)) for g in GROUP_ROLES} if roles is not None else None
        if roles is not None and roles.columns:  # a batch's columns are read as these were, however few its rows
            grouped = {c for g in GROUP_ROLES if g != "identifiers" for c in getattr(roles, g)}
            self.roles_["kinds"] = {c: call.value_kind for c, call in roles.columns.items() if c in grouped}
        self.table_ = table if table is not None else self.features(inputs)
        selected = self._select(self.table_, inputs)
        self._learn(self.table_, selected, inputs)
        self.batteries_ = None  # rating items as read, then centred or factored as survey.centre / factors say
        self.batteries_ = ItemBatteries.from_config(self.config).fit(raw := self.matrix(self.table_))
        self.X_ = self.batteries_.transform(raw)
        self.notes_.extend(self.batteries_.notes_)
        seg = self.config["segmentation"]
        self.segmenter_ = Segmenter(
            n_segments=seg["n_segments"], algorithm=seg["algorithm"], k_min=seg["k_min"], k_max=seg["k_max"],
            min_share=seg["min_share"], min_size=max(1, int(self.config["privacy"]["min_cell_size"])),
            n_bootstrap=seg["n_bootstrap"], prefer_k=prefer_k,
            order_by="monetary" if "monetary" in self.X_.columns else None,
            random_state=seg["random_state"], progress=progress,
        )
        with _named_input(next((q.label for q in inputs.quality.values()), "the data")):
            weights = self.table_.weights  # survey.weight: the fit's centres weighted where the backend can
            self.segmenter_.fit(self.X_, sample_weight=None if weights is None else weights.reindex(self.X_.index))
        self.names_ = {}
        return self

    def plan(self, inputs: Inputs, *, table: FeatureTable | None = None):
        """What a fit would cluster on, without fitting: the feature table of ``inputs`` and the
        :class:`~segkit.features.bases.Selection` (clustered features, and why each other column is not).

        ``segkit inspect`` shows it; :meth:`fit` makes the same choice.
        """
        self.notes_ = []
        table = table if table is not None else self.features(inputs)
        X = self._select(table, inputs)
        check_customers(len(X), self.config["segmentation"]["n_segments"])
        with warnings.catch_warnings():  # a constant feature is reported by the fit, not here
            warnings.simplefilter("ignore", SegkitWarning)
            plan_columns(X, random_state=self.config["segmentation"]["random_state"])
        return table, self.selection_

    def _fit_roles(self, inputs: Inputs):
        """The customer table's roles the features are built with: the targeted campaign's
        response is the outcome, not a trait to segment or count on."""
        roles = inputs.customer_roles
        response = response_column(self.config, inputs) if roles is not None else None
        if response:
            roles = dataclasses.replace(roles, campaigns=[c for c in roles.campaigns if c != response])
        return roles

    @property
    def labels_(self) -> pd.Series:
        """The fitted customers' segments, indexed by customer id."""
        return pd.Series(self.segmenter_.labels_, index=self.X_.index, name="segment")

    def _select(self, table: FeatureTable, inputs: Inputs) -> pd.DataFrame:
        """The features to cluster on (:func:`segkit.features.bases.select_features`): the config's
        names, or its bases (default bases when none), without ``segmentation.exclude``, customer-table
        columns missing for most customers and copies; :attr:`selection_` keeps why the others are not."""
        seg = self.config["segmentation"]
        features = seg.get("features") or None
        roles = inputs.customer_roles
        try:
            X, self.selection_ = select_features(
                table, basis=seg.get("basis"), features=features, exclude=seg.get("exclude") or (),
                customer_columns=inputs.customers.columns if inputs.customers is not None else (),
                calls=getattr(roles, "columns", None), max_features=seg.get("max_features"), random_state=seg["random_state"])
        except ColumnError as err:
            if not features:
                raise
            raise ColumnError(unknown_feature_message(features, table, inputs)) from err
        label = next((q.label for q in inputs.quality.values()), "the data")
        if len(X) < 3:
            raise SegmentationError(f"{label}: {len(X)} {'customer' if len(X) == 1 else 'customers'} "
                                    "to segment after cleaning; expected at least 3")
        k = seg.get("n_segments")
        if isinstance(k, int) and not isinstance(k, bool) and k >= len(X):
            raise SegmentationError(f"{label}: {len(X)} customers cannot form {k} segments; expected "
                                    f"segmentation.n_segments of at most {len(X) - 1}")
        cell = int(self.config["privacy"]["min_cell_size"])
        if len(X) < 2 * cell:
            raise SegmentationError(f"{label}: {len(X):,} customers to segment after cleaning, too few for two "
                                    f"segments of at least privacy.min_cell_size = {cell} customers each; expected "
                                    f"at least {2 * cell} (or a smaller privacy.min_cell_size)")
        self.notes_.extend(self.selection_.notes)
        return X

    def _learn(self, table: FeatureTable, X: pd.DataFrame, inputs: Inputs) -> None:
        """Keep what scoring needs to read, clean and code new data as this data was."""
        self.features_ = list(map(str, X.columns))
        from_log = set(table.log_columns)
        needs = {"customers": any(c not in from_log for c in self.features_),
                 "transactions": any(c in from_log for c in self.features_)}
        self.tables_ = [k for k in ("customers", "transactions") if needs[k] and getattr(inputs, k) is not None]
        self.source_ = "transactions" if inputs.transactions is not None else "customers"
        snapshot = table.snapshot_date
        self.snapshot_date_ = str(pd.Timestamp(snapshot).date()) if snapshot is not None else None
        thresholds = dict(table.cleaning.thresholds) if table.cleaning is not None else {}
        self.cleaning_thresholds_ = thresholds or None
        self.levels_ = {str(c): sorted(map(str, X[c].dropna().unique())) for c in X.columns
                        if not (pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c])
                                or pd.api.types.is_datetime64_any_dtype(X[c]))}

    # ------------------------------------------------------------------ the one path
    def features(self, inputs: Inputs) -> FeatureTable:
        """The feature table of ``inputs``: cleaned with the fit's limits once fitted, every basis.

        Before fitting, the limits, snapshot date and category levels are computed from
        ``inputs``; after, those of the fit are used (a purchase log is summarised as of the
        later of the fit's snapshot date and the day after the batch's last purchase).
        """
        cleaning = self.config["cleaning"]
        if not self.fitted:
            return build_features(customers=inputs.customers, transactions=inputs.transactions,
                                  roles=self._fit_roles(inputs), snapshot_date=cleaning["snapshot_date"],
                                  drop_duplicates=cleaning["drop_duplicates"], top_n=FIT_SHARE_VALUES,
                                  rare_share=RARE_SHARE).with_weights(inputs.weights)
        thresholds = self.cleaning_thresholds_
        return build_features(
            customers=inputs.customers if "customers" in self.tables_ else None,
            transactions=inputs.transactions if "transactions" in self.tables_ else None,
            roles=inputs.customer_roles, snapshot_date=self._snapshot(inputs),
            drop_duplicates=cleaning["drop_duplicates"], top_n=ALL_SHARE_VALUES,
            # the model's levels decide what is pooled, not the batch's rare levels (older models: as before)
            rare_share=0.0 if self.levels_ is not None else RARE_SHARE,
            customer_thresholds=thresholds, reference_year=(thresholds or {}).get("reference_year"), rfm=False,
        )

    def _snapshot(self, inputs: Inputs):
        snapshot = self.config["cleaning"]["snapshot_date"] or self.snapshot_date_
        log = inputs.transactions
        if log is None or "transactions" not in self.tables_:
            return snapshot
        last = log["date"].max() if isinstance(log, pd.DataFrame) else log.date_range()[1]
        if pd.notna(last) and (snapshot is None or pd.Timestamp(last) >= pd.Timestamp(snapshot)):
            return None  # later data: as of the day after its last purchase
        return snapshot

    def matrix(self, table: FeatureTable) -> pd.DataFrame:
        """The clustered features of ``table`` as the segmenter takes them: the model's share
        columns (values it pooled folded into ``share_<column>_other``, values it lacks at 0),
        its category levels (a level it pooled is ``Other`` again), in its column order."""
        frame = _model_shares(table.frame, self.features_) if table.log_columns else table.frame
        missing = [f for f in self.features_ if f not in frame.columns]
        if missing:
            fitted = " and ".join(f"a {'customer table' if t == 'customers' else 'purchase log'}" for t in self.tables_)
            raise ModelError(f"cannot build the model's features {missing} from this data "
                             f"(the model was fitted on {fitted})")
        X = frame[self.features_].copy(deep=False)  # columns replaced below are X's own; the rest stay shared
        ordinal = getattr(getattr(self, "segmenter_", None), "ordinal_features_", {})
        for column, levels in (self.levels_ or {}).items():
            if column not in X or column in ordinal:
                continue  # ordered levels: the segmenter matches them ignoring case and spaces, and warns itself
            text = X[column].astype("string")
            unseen = text.notna() & ~text.isin(levels)
            if "Other" in levels:  # the levels the model pooled as rare
                if unseen.any():
                    X[column] = text.where(~unseen, "Other")
            elif unseen.any():
                warnings.warn(f"column {column!r} has {int(unseen.sum()):,} customers with a level the model "
                              f"has not seen (e.g. {quote(text[unseen].iloc[0])}; it knows {levels[:10]}); they are "
                              "placed by their other features", SegkitWarning, stacklevel=user_stacklevel())
        return self.batteries_.transform(X) if getattr(self, "batteries_", None) is not None else X

    def transform(self, inputs: Inputs) -> pd.DataFrame:
        """The feature matrix of ``inputs`` (the fit's own matrix for the fit's inputs)."""
        return self.matrix(self.features(inputs))

    def assign(self, inputs: Inputs) -> pd.Series:
        """Each customer's segment, indexed by customer id."""
        X = self.transform(inputs)
        return pd.Series(self.segmenter_.predict(X), index=X.index, name="segment")

    # ------------------------------------------------------------------ explaining
    def embedding(self, X: pd.DataFrame | None = None) -> pd.DataFrame:
        """Customers in the space the segments were fitted in: indexed by customer id, one column per
        prepared feature under the preprocessor's name (``log__monetary``, ``cat__Education_PhD``).

        ``X`` is a feature matrix (:meth:`transform`); default: the fit's own customers.
        """
        from segkit.explain import embedding

        return embedding(self.segmenter_, self.X_ if X is None else X)

    def explain(self, customer_id, X: pd.DataFrame | None = None, *, label: str = "the data"):
        """Why a customer is in their segment (:func:`segkit.explain.explain_customer`): distances to
        every segment, the runner-up and the margin, the features that pull, in their own units.

        ``X`` is a feature matrix holding the customer (:meth:`transform`); default: the fit's.
        """
        from segkit.explain import explain_customer

        X = self.X_ if X is None else X
        key = str(customer_id).strip()
        index = X.index.astype(str)
        if key not in index:
            close = difflib.get_close_matches(key, list(index[:50_000]), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else \
                f" (ids such as {', '.join(map(repr, index[:3]))})"
            raise DataError(f"{label}: customer id {key!r} is not among its {len(X):,} customers{hint}")
        row = X.iloc[[int(np.flatnonzero(index == key)[0])]]
        return explain_customer(self.segmenter_, row, names=self.names_)

    def rules(self, *, min_rule_size: int = 10):
        """Short threshold rules that recognise each segment (:func:`segkit.explain.segment_rules`),
        on the fit's clustered features, with the segmenter's own fill values for missing ones."""
        from segkit.explain import fill_values, segment_rules

        seed = self.config["segmentation"]["random_state"]
        return segment_rules(self.X_, self.segmenter_.labels_, fills=fill_values(self.segmenter_.preprocessor_),
                             ordinal=self.segmenter_.ordinal_features_, names=self.names_,
                             min_rule_size=min_rule_size, random_state=seed if isinstance(seed, int) else 0)

    # ------------------------------------------------------------------ names and ids
    def rename(self, names: Mapping[int, str]) -> SegmentationModel:
        """Set segment names (``{segment: name}``); other segments keep theirs."""
        for segment, name in names.items():
            if int(segment) not in range(self.n_segments):
                raise ModelError(f"segment {segment!r} is not one of this model's segments 0..{self.n_segments - 1}")
            if not str(name).strip():
                raise ModelError(f"segment {segment}: a name must not be empty")
            self.names_[int(segment)] = str(name)
        return self

    def relabel(self, new_ids) -> SegmentationModel:
        """Renumber the segments (segment ``i`` becomes ``new_ids[i]``); names follow."""
        old = dict(self.names_)
        self.segmenter_.relabel(new_ids)
        self.names_ = {int(new_ids[i]): name for i, name in old.items()}
        return self

    # ------------------------------------------------------------------ reading and scoring
    def read(self, data, transactions=None) -> Inputs:
        """Read a batch to score as the fit's data were read (roles, levels, checks).

        ``data`` is a customer table when the model was fitted on customer columns, a purchase
        log when it was fitted on purchase features; a model fitted on both takes the customer
        table as ``data`` and the log as ``transactions``.
        """
        label = _label(data)
        _check_tables(self.tables_, label, transactions)
        sources = {"customers": data if "customers" in self.tables_ else None,
                   "transactions": (transactions if "customers" in self.tables_ else data)
                   if "transactions" in self.tables_ else None}
        config = {**self.config, "data": {**sources, "where": {}},
                  "campaign": {**self.config["campaign"], "response": None}}
        fitted = {"customers": self.roles_} if self.roles_ else None
        return load_inputs(config, fitted_roles=fitted, batch=True, check=self._check_raw)

    def _check_raw(self, kind: str, label: str, raw: pd.DataFrame) -> None:
        if kind == "customers" and self.roles_:
            _check_score_columns(raw, self.roles_, self.levels_ or {}, label, self.features_)

    def score(self, data, transactions=None) -> pd.DataFrame:
        """``customer_id, segment, segment_name`` of every customer in a batch (``segkit score``)."""
        inputs = self.read(data, transactions)
        label = _label(data)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SegkitWarning)
            X = self.transform(inputs)
        for w in caught:  # a batch's warnings name the batch
            text = str(w.message)
            warnings.warn(re.sub(r"^X: ", f"{label}: ", text) if text.startswith("X: ") else f"{label}: {text}",
                          w.category, stacklevel=user_stacklevel())
        if self.roles_ and inputs.customers is not None:
            gaps = {c: int(n) for c, n in X.isna().sum().items() if n and c in inputs.customers.columns}
            if gaps:
                listed = ", ".join(f"{c!r} for {n:,}" for c, n in gaps.items())
                warnings.warn(f"{label}: values missing in {listed} of the {len(X):,} customers (blank, or set to "
                              "missing by the report's cleaning rules); the model fills them in as it did when "
                              "fitted (median or most common value)", SegkitWarning, stacklevel=user_stacklevel())
        with _named_input(label):
            labels = self.segmenter_.predict(X)
        out = pd.DataFrame({"customer_id": X.index.astype(str), "segment": labels})
        out["segment_name"] = out["segment"].map(self.names_)
        return out

    # ------------------------------------------------------------------ saving
    def metadata(self) -> dict[str, Any]:
        """What ``model.skops`` keeps beside the segmenter (JSON-ready)."""
        return plain({
            "features": self.features_, "names": self.names_, "config": _public(self.config), "source": self.source_,
            "tables": self.tables_, "roles": self.roles_, "snapshot_date": self.snapshot_date_,
            "cleaning_thresholds": self.cleaning_thresholds_, "levels": self.levels_,
            "batteries": self.batteries_.to_dict() if getattr(self, "batteries_", None) is not None else None})

    def save(self, path: str | Path) -> Path:
        """Write the model to ``path`` (skops, with the metadata above)."""
        return save_segmenter(self.segmenter_, path, metadata=self.metadata())

    @classmethod
    def from_saved(cls, segmenter, meta: Mapping[str, Any]) -> SegmentationModel:
        """The model a segmenter and its metadata describe (files written by any segkit version)."""
        from segkit.config import load_config

        model = cls(meta.get("config") or load_config(None))
        model.segmenter_ = segmenter
        model.features_ = list(meta.get("features", []))
        model.batteries_ = ItemBatteries.from_dict(meta.get("batteries"))
        model.names_ = {int(k): v for k, v in (meta.get("names") or {}).items()}
        model.source_ = meta.get("source", "customers")
        model.tables_ = _model_tables(meta)
        model.roles_ = meta.get("roles") or None
        model.snapshot_date_ = meta.get("snapshot_date")
        model.cleaning_thresholds_ = meta.get("cleaning_thresholds") or None
        model.levels_ = meta.get("levels")  # None for models written before levels were kept
        return model

    @classmethod
    def load(cls, path: str | Path) -> SegmentationModel:
        """Read a ``model.skops`` written by ``segkit report`` or :meth:`save`."""
        return cls.from_saved(*load_segmenter(path))

    @classmethod
    def shared(cls, path: str | Path, inputs: Inputs, customers: pd.Index) -> SegmentationModel:
        """The saved model in ``path`` (fitted on more customers, as ``--by`` fits one on all of
        them) with the ``customers`` of ``inputs`` placed in its segments, which keep its ids and
        names, so that "segment 2" means the same in every report of a batch."""
        model = cls.load(path)
        X = model.transform(inputs)
        model.X_ = X.loc[X.index.intersection(customers, sort=False)]
        model.segmenter_.labels_ = model.segmenter_.predict(model.X_)
        model.notes_ = [f"These {len(model.X_):,} customers are placed in the segments of one segmentation fitted "
                        f"on all customers ({model.n_segments} segments), so segment ids and names mean the same in "
                        "every report of the batch; the choice of k and the stability figures are those of that fit."]
        return model


def score(model_path: str | Path, data, transactions=None) -> pd.DataFrame:
    """Assign new customers to the segments of a saved model (``segkit score``).

    ``data`` is read like the model's training input: a customer table when the model was
    fitted on customer columns, a purchase log when it was fitted on purchase features. A
    model fitted on both takes the customer table as ``data`` and the purchase log as
    ``transactions`` (``--transactions LOG``), and scores the customers of either, as the
    report did.

    A customer's segment does not depend on who else is in the batch: the batch is read,
    cleaned and coded by the fitted model itself (:class:`SegmentationModel`), with the
    roles, cleaning limits, snapshot date, category levels and share columns of the fit.
    """
    return SegmentationModel.load(model_path).score(data, transactions)


# ---------------------------------------------------------------------- helpers

def _public(config: Mapping[str, Any]) -> dict[str, Any]:
    """The config as written into reports and exports: secrets replaced by ``<redacted>``."""
    import json

    cfg = json.loads(json.dumps(config, default=str))
    if cfg.get("privacy", {}).get("pseudonym_key"):
        cfg["privacy"]["pseudonym_key"] = "<redacted>"
    return cfg


@contextlib.contextmanager
def _named_input(label: str):
    """Errors of the Segmenter name its input ``X``, as scikit-learn's do; here the input is a
    file the analyst knows: name it instead (the same error class, the message otherwise kept)."""
    try:
        yield
    except SegkitError as err:
        text = str(err)
        named = re.sub(r"^X( has|:)", lambda m: f"{label}{m[1]}", text)
        named = re.sub(r" \(n_samples = \d+\)", "", named)
        if named == text:
            raise
        raise type(err)(named) from err


def _label(data) -> str:
    return Path(str(data)).name if not isinstance(data, pd.DataFrame) else "data"


def _model_tables(meta: Mapping[str, Any]) -> list[str]:
    """The inputs a model was fitted on: ``customers``, ``transactions`` or both.

    Models written before ``tables`` was kept say it through their roles: only a run with a
    customer table has them, so a purchase-log model with roles was fitted on both.
    """
    if meta.get("tables"):
        return list(meta["tables"])
    kind = meta.get("source", "customers")
    return ["customers", "transactions"] if kind == "transactions" and meta.get("roles") else [kind]


def _check_tables(tables: list[str], label: str, transactions: Any) -> None:
    """The model's inputs, no more and no less: say what to add or leave out."""
    if len(tables) == 2 and transactions is None:
        raise ModelError(f"{label}: the model was fitted on a customer table and a purchase log, so it needs both; "
                         "give the customer table as DATA and add the purchase log with --transactions LOG "
                         "(segkit score MODEL CUSTOMERS --transactions LOG --out FILE; in Python "
                         "score(model, customers, transactions=log))")
    if len(tables) == 1 and transactions is not None:
        what = "a customer table" if tables == ["customers"] else "a purchase log"
        fix = "leave out --transactions" if tables == ["customers"] else \
            "give the purchase log as DATA and leave out --transactions"
        raise ModelError(f"{_label(transactions)}: the model was fitted on {what} alone, without a purchase "
                         f"log beside it; {fix}")


def _check_score_columns(raw: pd.DataFrame, roles: Mapping[str, list], levels: Mapping[str, list], label: str,
                         wanted: list) -> None:
    """The model's features that are columns of a customer table must be in the new table, as numbers
    when the model took them as numbers."""
    used = {str(c) for cols in roles.values() for c in cols}
    columns = [str(c) for c in raw.columns]
    for feature in wanted:
        if feature not in used or feature in columns:
            continue
        close = difflib.get_close_matches(feature, columns, n=1, cutoff=0.6)
        folded = [c for c in columns if re.sub(r"[\W_]+", "", c).lower() == re.sub(r"[\W_]+", "", feature).lower()]
        hint = f"; did you mean {(folded or close)[0]!r}?" if folded or close else f" (columns: {columns[:20]})"
        raise ColumnError(f"{label}: column {feature!r}, which the model segments on, is missing{hint}")
    for feature in wanted:
        if feature not in columns or feature in levels:
            continue
        values = raw[feature]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        text = values.astype("string").str.strip()
        numbers = pd.to_numeric(text, errors="coerce")
        # yes/no answers are numbers too: features turn them into 0/1, as they did for the model
        answers = text.str.lower().isin(list(FLAG_VALUES)).fillna(False)
        bad = values.notna() & numbers.isna() & ~answers & text.ne("").fillna(False)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            n = int(bad.sum())
            what = "value that is not a number" if n == 1 else "values that are not numbers"
            raise DataError(f"{label}: column {feature!r} has {n} {what} (e.g. {quote(values.iloc[row])} at row {row + 1}); "
                            "the model segments on it as a number")


def _model_shares(frame: pd.DataFrame, wanted: list) -> pd.DataFrame:
    """Revenue-share features named as the model has them.

    A batch has a column for each of its values (:data:`ALL_SHARE_VALUES`); a value the model
    has a column for and the batch lacks is a share of 0, and the values the model pooled into
    ``share_<column>_other`` are summed into it. On the fit's own table nothing changes.
    """
    out = frame
    shares = [c for c in frame.columns if str(c).startswith("share_")]
    for feature in wanted:
        match = re.match(r"share_(channel|category|country)_", feature)
        other = feature == f"{match.group(0)}other" if match else False
        if match is None or (feature in frame.columns and not other):
            continue
        family = [c for c in shares if str(c).startswith(match.group(0))]
        if not family:
            continue  # the log has no such column: reported with the other missing features
        pooled = [c for c in family if c not in wanted or c == feature] if other else []
        if other and pooled == [feature]:
            continue  # nothing pooled beyond the model's own column (the fit's own table)
        known = frame[family].notna().any(axis=1)
        if out is frame:
            out = frame.copy()
        out[feature] = (frame[pooled].sum(axis=1) if pooled else pd.Series(0.0, index=frame.index)).where(known)
    return out

