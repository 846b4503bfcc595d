"""Item batteries: the rated items of the clustered set centred on each respondent's own mean
(scale-use bias) and/or replaced by their principal components (factors).

A rating item is an ordered category whose levels are all numbers (``'1' < '2' < ... < '5'``),
as :func:`segkit.features.customers.customer_features` codes a rating; text scales
(``Rarely < Monthly``) are left as they are. :class:`ItemBatteries` follows the scikit-learn
contract: ``fit`` learns which items, their means, spreads and loadings; ``transform`` applies
exactly that to new respondents.

Examples
--------
>>> X = pd.DataFrame({"Seat comfort": pd.Categorical(["1", "3", "5", "4"], categories=list("12345"), ordered=True),
...                   "Cleanliness": pd.Categorical(["2", "4", "5", "5"], categories=list("12345"), ordered=True),
...                   "Age": [20, 30, 40, 50]})
>>> ItemBatteries(centre=True).fit_transform(X)["Seat comfort"].tolist()
[-0.5, -0.5, 0.0, -0.5]
>>> fa = ItemBatteries(factors=1).fit(X)
>>> sorted(fa.loadings_table()["item"])
['Cleanliness', 'Seat comfort']
>>> fa
ItemBatteries(2 rating items; factors: 1, 98% of the variance)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.exceptions import ConfigError

__all__ = ["ItemBatteries", "rating_items", "VARIANCE_SHARE"]

#: Share of the items' variance the factors keep when their number is not given.
VARIANCE_SHARE = 0.7
_LABEL_CHARS = 18


def rating_items(X: pd.DataFrame) -> list[str]:
    """The columns of ``X`` that are rating items: ordered categories whose levels are all numbers.

    >>> rating_items(pd.DataFrame({"r": pd.Categorical(["1"], categories=["1", "2"], ordered=True),
    ...                            "f": pd.Categorical(["Daily"], categories=["Rarely", "Daily"], ordered=True)}))
    ['r']
    """
    out = []
    for col in X.columns:
        dtype = X[col].dtype
        if isinstance(dtype, pd.CategoricalDtype) and dtype.ordered and len(dtype.categories):
            if pd.to_numeric(pd.Series(dtype.categories.astype(str)), errors="coerce").notna().all():
                out.append(col)
    return out


def _points(X: pd.DataFrame, items: list[str]) -> pd.DataFrame:
    """The items as numbers (their scale points), missing answers NaN."""
    return pd.DataFrame({c: pd.to_numeric(X[c].astype("string"), errors="coerce").astype(float) for c in items},
                        index=X.index)


def _short(label: str) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1].rstrip() + "…"


class ItemBatteries:
    """Centre rating items on each respondent's mean and/or cluster on their factors.

    Parameters
    ----------
    centre : bool
        Subtract each respondent's mean rating (over the items they answered) from their ratings.
    factors : bool or int
        Replace the items by principal components of the standardised items: ``True`` keeps enough
        for :data:`VARIANCE_SHARE` of the variance, an int that many.
    """

    def __init__(self, *, centre: bool = False, factors: bool | int = False) -> None:
        self.centre = centre
        self.factors = factors

    @classmethod
    def from_config(cls, config) -> ItemBatteries:
        """The options of a config's ``survey`` section (off when it has none)."""
        survey = (config or {}).get("survey") or {}
        return cls(centre=bool(survey.get("centre", False)), factors=survey.get("factors", False))

    def to_dict(self) -> dict | None:
        """What :meth:`transform` needs, JSON-ready (None when the fit changed nothing), for ``model.skops``."""
        if not self.active:
            return None
        out = {"centre": bool(self.centre), "factors": self.factors, "items": list(self.items_)}
        if self.loadings_ is not None:
            out.update(mean=self.mean_.tolist(), scale=self.scale_.tolist(), names=list(self.factor_names_),
                       loadings=self.loadings_.to_numpy().tolist(), variance=self.explained_variance_ratio_.tolist())
        return out

    @classmethod
    def from_dict(cls, state: dict | None) -> ItemBatteries | None:
        """The fitted batteries :meth:`to_dict` wrote (None for None)."""
        if not state:
            return None
        self = cls(centre=state["centre"], factors=state["factors"])
        self.items_, self.notes_, self.factor_names_, self.loadings_ = list(state["items"]), [], [], None
        if "loadings" in state:
            self.factor_names_ = list(state["names"])
            self.mean_ = pd.Series(state["mean"], index=self.items_)
            self.scale_ = pd.Series(state["scale"], index=self.items_)
            self.loadings_ = pd.DataFrame(state["loadings"], index=pd.Index(self.items_, name="item"),
                                          columns=self.factor_names_)
            self.explained_variance_ratio_ = np.asarray(state["variance"], dtype=float)
        return self

    @property
    def active(self) -> bool:
        """True when the fit changed anything (an option is on and there were at least two items)."""
        return bool(getattr(self, "items_", None))

    def fit(self, X: pd.DataFrame, y=None) -> ItemBatteries:
        """Learn the rating items of ``X`` and, with ``factors``, their means, spreads and loadings."""
        self.notes_: list[str] = []
        items = rating_items(X) if (self.centre or self.factors) else []
        if (self.centre or self.factors) and len(items) < 2:
            self.notes_.append(f"survey.centre / survey.factors need at least two rating items among the clustered "
                               f"features; found {len(items)}, so the items are clustered as they are")
            items = []
        self.items_ = items
        self.loadings_ = None
        self.factor_names_: list[str] = []
        if not items or not self.factors:
            return self
        values = self._centred(_points(X, items))
        self.mean_ = values.mean()
        self.scale_ = values.std(ddof=0).replace(0, 1.0).fillna(1.0)
        Z = ((values - self.mean_) / self.scale_).fillna(0.0).to_numpy()
        _, s, vt = np.linalg.svd(Z - Z.mean(axis=0), full_matrices=False)
        ratio = s**2 / max(float((s**2).sum()), np.finfo(float).tiny)
        if isinstance(self.factors, bool):
            n = int(np.searchsorted(np.cumsum(ratio), VARIANCE_SHARE - 1e-12) + 1)
        else:
            if self.factors > len(items):
                raise ConfigError(f"survey.factors: {self.factors} factors asked for, but the clustered features "
                                  f"hold {len(items)} rating items; expected at most {len(items)}")
            n = int(self.factors)
        vt = vt[:n] * np.where(np.abs(vt[:n]).max(axis=1, keepdims=True) == vt[:n].max(axis=1, keepdims=True), 1, -1)
        self.explained_variance_ratio_ = ratio[:n]
        names = []
        for i, row in enumerate(vt):
            top = [items[j] for j in np.argsort(-np.abs(row), kind="stable")[:2]]
            names.append(f"F{i + 1} " + " / ".join(_short(t) for t in top))
        self.factor_names_ = names
        self.loadings_ = pd.DataFrame(vt.T, index=pd.Index(items, name="item"), columns=names)
        return self

    def _centred(self, values: pd.DataFrame) -> pd.DataFrame:
        return values.sub(values.mean(axis=1), axis=0) if self.centre else values

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """``X`` with its rating items centred (as numbers) or replaced by the factors' scores."""
        if not self.active:
            return X
        values = self._centred(_points(X, self.items_))
        rest = X.drop(columns=self.items_)
        if self.loadings_ is None:
            return pd.concat([rest, values], axis=1)
        Z = ((values - self.mean_) / self.scale_).fillna(0.0).to_numpy()
        scores = pd.DataFrame(Z @ self.loadings_.to_numpy(), index=X.index, columns=self.factor_names_)
        return pd.concat([rest, scores], axis=1)

    def fit_transform(self, X: pd.DataFrame, y=None) -> pd.DataFrame:
        return self.fit(X).transform(X)

    def loadings_table(self, top: int = 3) -> pd.DataFrame:
        """Each factor's ``top`` items by absolute loading: columns ``factor, item, loading``."""
        if self.loadings_ is None:
            return pd.DataFrame(columns=["factor", "item", "loading"])
        rows = []
        for name in self.factor_names_:
            col = self.loadings_[name]
            for item in col.abs().sort_values(ascending=False, kind="stable").index[:top]:
                rows.append({"factor": name, "item": item, "loading": round(float(col[item]), 2)})
        return pd.DataFrame(rows)

    def method_text(self) -> str:
        """One sentence per option used, and the loadings as a Markdown table; empty when none was."""
        if not self.active:
            return " ".join(getattr(self, "notes_", []))
        lines = []
        if self.centre:
            lines.append(f"- Respondent centring (`survey.centre`): each respondent's {len(self.items_)} rating "
                         "items were centred on their own mean answer, so segments differ in what they rate "
                         "higher or lower, not in how generously they use the scale.")
        if self.loadings_ is not None:
            share = float(np.sum(self.explained_variance_ratio_))
            lines.append(f"- Factors (`survey.factors`): the {len(self.items_)} rating items were clustered as "
                         f"{len(self.factor_names_)} principal components of the standardised items, keeping "
                         f"{share:.0%} of their variance; each is named after its two top-loading items.")
        lines += self._stability_lines()
        if self.loadings_ is not None:
            table = self.loadings_table()
            lines += ["", "| factor | item | loading |", "|---|---|---|"]
            lines += [f"| {r.factor} | {r.item} | {r.loading:+.2f} |" for r in table.itertuples()]
        return "\n".join(lines)

    def _stability_lines(self) -> list[str]:
        """The effect of the options on bootstrap stability, when the analysis measured it: ``stability_``
        holds the stability ``with`` them and ``without`` them (the same algorithm and k on the items
        as answered, :func:`segkit.segment.stability.stability_without`)."""
        measured = getattr(self, "stability_", None)
        if not measured:
            return []
        with_, without = measured["with"], measured["without"]

        def jaccard(record) -> str:
            values = list((record.get("per_segment") or {}).values())
            return f"{np.mean(values):.2f}" if values else "n/a"

        ari, ari_without = float(with_.get("ari", np.nan)), float(without.get("ari", np.nan))
        verdict = ("more stable with them" if ari > ari_without + 0.02 else
                   "less stable with them" if ari < ari_without - 0.02 else "about as stable either way")
        return [f"- Effect on stability: the segments are {verdict}. Bootstrap ARI {ari:.2f} (mean segment "
                f"Jaccard {jaccard(with_)}) as fitted, against {ari_without:.2f} ({jaccard(without)}) when the "
                f"same {measured['algorithm']} with the same number of segments and "
                f"{with_.get('n_bootstrap', 0)} bootstraps is fitted on the rating items as answered "
                "(one extra fit; it compares reproducibility, not which segments are right)."]

    def __repr__(self) -> str:
        if not hasattr(self, "items_"):
            return f"ItemBatteries(centre={self.centre}, factors={self.factors})"
        parts = [f"{len(self.items_)} rating items"]
        if self.active and self.centre:
            parts.append("centred")
        if self.loadings_ is not None:
            parts.append(f"factors: {len(self.factor_names_)}, "
                         f"{float(np.sum(self.explained_variance_ratio_)):.0%} of the variance")
        return f"ItemBatteries({'; '.join(parts)})"
