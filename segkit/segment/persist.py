"""Saving and loading a fitted :class:`~segkit.segment.Segmenter` with skops (never pickle).

:func:`save_segmenter` writes the fitted state, the report's figures of the fit as JSON and
the caller's metadata; :func:`load_segmenter` reads it back with an explicit list of trusted
types, so ``segkit score`` can assign new customers. Files written before the ``segment``
package (format version 1, the preprocessor without its ``coerce`` step, the backend's model
as ``mixture_`` or ``neighbors_``) load into today's estimator and score as they did.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from io import StringIO
from pathlib import Path

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.utils.validation import check_is_fitted

from segkit.exceptions import ModelError
from segkit.features.preprocess import with_coercion
from segkit.segment.estimator import Segmenter, jsonable

__all__ = ["TRUSTED_TYPES", "load_segmenter", "save_segmenter"]

_FORMAT = "segkit-segmenter"
# 2: the preprocessor coerces its own input and the backend's model is ``model_``.
_FORMAT_VERSION = 2
_READABLE_VERSIONS = (1, 2)
#: Every type a segmenter file may contain beyond what skops trusts by default. Computed by
#: saving one segmenter per algorithm (see tests); a file with anything else is refused. Class
#: and function paths of files written before the segment package are kept.
TRUSTED_TYPES = frozenset({
    "builtins.slice",
    "numpy.clip",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "numpy.log1p",
    "segkit.features.preprocess._coerced_names",
    "segkit.features.preprocess.coerce_columns",
    "segkit.features.preprocess.level_positions",
    "segkit.segment.Segmenter",
    "segkit.segment._level_positions",
    "segkit.segment.estimator.Segmenter",
    "sklearn.cluster._kmeans.KMeans",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.impute._base.SimpleImputer",
    "sklearn.metrics._dist_metrics.EuclideanDistance64",
    "sklearn.mixture._gaussian_mixture.GaussianMixture",
    "sklearn.neighbors._classification.KNeighborsClassifier",
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.MinMaxScaler",
    "sklearn.preprocessing._data.StandardScaler",
    "sklearn.preprocessing._encoders.OneHotEncoder",
    "sklearn.preprocessing._function_transformer.FunctionTransformer",
    "sklearn.utils._bunch.Bunch",
})
# Attributes kept as JSON text (skops stores numpy and scikit-learn objects, not pandas).
_JSON_ATTRIBUTES = ("k_selection_", "segments_")
_REPORT_ATTRIBUTES = ("k_reasons_", "stability_", "structure_", "dropped_features_")


def save_segmenter(segmenter: Segmenter, path, *, metadata: dict | None = None) -> Path:
    """Save a fitted segmenter (and JSON-able metadata) to a skops file.

    Parameters
    ----------
    segmenter : Segmenter
        A fitted segmenter.
    path : str or Path
        Destination, conventionally ``model.skops``.
    metadata : dict, optional
        JSON-able facts to keep with the model (feature configuration, segment names...).
        Dict keys that are not strings (``{0: "Loyal"}``) come back with their type.

    Returns
    -------
    Path
        The path written.

    Notes
    -----
    The training customers' ids are not written: the file describes the segments, not
    the people (``segments.csv`` says who is where, pseudonymised on request). A loaded
    segmenter's ``segments_`` is indexed by training row position.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from segkit.segment import Segmenter, save_segmenter, load_segmenter
    >>> X = np.r_[np.zeros((20, 2)), np.ones((20, 2)) * 5] + np.arange(40)[:, None] % 3 * 0.1
    >>> seg = Segmenter(n_segments=2, n_bootstrap=0).fit(X)
    >>> path = os.path.join(tempfile.mkdtemp(), "model.skops")
    >>> _ = save_segmenter(seg, path, metadata={"segment_names": {0: "Big", 1: "Small"}})
    >>> loaded, meta = load_segmenter(path)
    >>> bool((loaded.predict(X) == seg.predict(X)).all()), meta["segment_names"][0]
    (True, 'Big')
    """
    import skops.io as sio

    check_is_fitted(segmenter, "labels_")
    path = Path(path)
    try:
        metadata_json = json.dumps(_encode_keys(metadata or {}), allow_nan=True)
    except TypeError as err:
        raise ModelError(f"{path}: metadata must be JSON-able (dicts, lists, strings, numbers): {err}") from err
    params = segmenter.get_params()
    attributes = {
        name: value for name, value in vars(segmenter).items()
        if name not in _JSON_ATTRIBUTES and name not in params and name not in _REPORT_ATTRIBUTES
    }
    report = {
        "k_selection_": segmenter.k_selection_.reset_index().to_json(orient="split"),
        "k_reasons_": segmenter.k_reasons_,
        "stability_": _encode_keys(segmenter.stability_),
        "structure_": segmenter.structure_,
        "dropped_features_": segmenter.dropped_features_,
    }
    state = {
        "format": _FORMAT,
        "format_version": _FORMAT_VERSION,
        "params": json.dumps(jsonable(segmenter.get_params())),
        "attributes": attributes,
        "report_json": json.dumps(jsonable(report)),
        "metadata_json": metadata_json,
    }
    try:
        sio.dump(state, path)
        _seal(path)
    except OSError as err:
        raise ModelError(f"{path}: cannot write the model file: {err}") from err
    return path


#: The member of a model file that holds the SHA-256 of all its other members.
DIGEST_MEMBER = "segkit-digest.json"


def _content_digest(archive: zipfile.ZipFile) -> str:
    """SHA-256 over every member but the digest: names and bytes, in name order."""
    digest = hashlib.sha256()
    for name in sorted(n for n in archive.namelist() if n != DIGEST_MEMBER):
        data = archive.read(name)
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _seal(path: Path) -> None:
    """Add the content digest to a model file just written."""
    with zipfile.ZipFile(path, "a") as archive:
        digest = _content_digest(archive)
        archive.writestr(DIGEST_MEMBER, json.dumps({"sha256": digest}))


def _check_digest(path: Path) -> None:
    """Refuse a model file whose content no longer matches the digest written with it.

    This catches accidents (a file cut short by a full disk, damaged in a copy, edited by
    hand); it cannot stop someone who can rewrite the file, who can rewrite the digest too.
    Files written before the digest existed have none and are read as before.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            if DIGEST_MEMBER not in archive.namelist():
                return
            expected = json.loads(archive.read(DIGEST_MEMBER)).get("sha256")
            actual = _content_digest(archive)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, zlib.error) as err:
        raise ModelError(f"{path}: damaged model file ({err}); write it again with `segkit report`") from err
    if actual != expected:
        raise ModelError(f"{path}: the model file was changed after segkit wrote it (its content digest does not "
                         "match); write it again with `segkit report`")


def load_segmenter(path) -> tuple[Segmenter, dict]:
    """Load a segmenter saved by :func:`save_segmenter`.

    Only the types in :data:`TRUSTED_TYPES` (plus skops' defaults) are accepted; anything
    else means the file was not written by segkit and it is refused.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    segmenter : Segmenter
    metadata : dict

    Raises
    ------
    ModelError
        The file is missing, corrupted, changed since it was written (its content digest does
        not match: this catches accidents, not someone who can rewrite the file), not a segkit
        model or holds untrusted types.
    """
    import skops.io as sio

    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path}: model file not found")
    if zipfile.is_zipfile(path):
        _check_digest(path)
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as err:  # skops raises zipfile/JSON/key errors on foreign files
        raise ModelError(f"{path}: not a segkit model file (cannot be read by skops: {err})") from err
    unknown = sorted(set(untrusted) - TRUSTED_TYPES)
    if unknown:
        raise ModelError(f"{path}: holds types a segkit model never contains ({', '.join(unknown)}); refusing to load it")
    try:
        state = sio.load(path, trusted=list(untrusted))
    except Exception as err:
        raise ModelError(f"{path}: corrupted segkit model file: {err}") from err
    if not isinstance(state, dict) or state.get("format") != _FORMAT:
        raise ModelError(f"{path}: not a segkit model file (no '{_FORMAT}' marker)")
    if state.get("format_version") not in _READABLE_VERSIONS:
        raise ModelError(f"{path}: model format version {state.get('format_version')!r}; this segkit reads "
                         f"{' and '.join(map(str, _READABLE_VERSIONS))}")
    try:
        segmenter = Segmenter(**json.loads(state["params"]))
        for name, value in _upgrade(state["attributes"]).items():
            setattr(segmenter, name, value)
        report = json.loads(state["report_json"])
        table = pd.read_json(StringIO(report["k_selection_"]), orient="split").set_index("k")
        segmenter.k_selection_ = table
        # Training customers' ids are not saved (segments.csv holds the assignments, with
        # pseudonyms when asked); files written before that still carry them.
        index = (pd.Index(json.loads(report["segments_index"]), name=report["segments_index_name"])
                 if "segments_index" in report else pd.RangeIndex(len(segmenter.labels_)))
        segmenter.segments_ = pd.Series(segmenter.labels_, index=index, name="segment")
        segmenter.k_reasons_ = report["k_reasons_"]
        segmenter.stability_ = _decode_keys(report["stability_"])
        segmenter.structure_ = report["structure_"]
        segmenter.dropped_features_ = report["dropped_features_"]
        metadata = _decode_keys(json.loads(state["metadata_json"]))
    except (KeyError, TypeError, ValueError) as err:
        raise ModelError(f"{path}: corrupted segkit model file: {err!r}") from err
    return segmenter, metadata


def _upgrade(attributes: dict) -> dict:
    """The fitted attributes of a file as today's estimator keeps them.

    Files written before ordinal features existed have no ``ordinal_features_``; files of
    format version 1 keep the backend's model as ``mixture_`` (gmm) or ``neighbors_``
    (hdbscan), and a preprocessor fitted on columns coerced by the estimator (``_coerce_``).
    """
    attributes = dict(attributes)
    attributes.setdefault("ordinal_features_", {})
    models = [attributes.pop(name) for name in ("mixture_", "neighbors_") if name in attributes]
    attributes.setdefault("model_", models[0] if models else None)
    attributes.pop("_raw_columns_", None)
    if isinstance(attributes["preprocessor_"], ColumnTransformer):
        attributes["preprocessor_"] = with_coercion(attributes["preprocessor_"], attributes.pop("_coerce_"))
    return attributes


def _encode_keys(obj):
    """Dicts with non-string keys as tagged pair lists, so JSON keeps the key types."""
    if isinstance(obj, dict):
        if all(isinstance(k, str) for k in obj):
            return {k: _encode_keys(v) for k, v in obj.items()}
        return {"__segkit_items__": [[jsonable(k), _encode_keys(v)] for k, v in obj.items()]}
    if isinstance(obj, (list, tuple)):
        return [_encode_keys(v) for v in obj]
    return jsonable(obj)


def _decode_keys(obj):
    if isinstance(obj, dict):
        if set(obj) == {"__segkit_items__"}:
            return {(tuple(k) if isinstance(k, list) else k): _decode_keys(v) for k, v in obj["__segkit_items__"]}
        return {k: _decode_keys(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode_keys(v) for v in obj]
    return obj
