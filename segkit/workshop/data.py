"""Where the workshop finds the shared public data sets (notebook 07 reads CDNOW from there).

The data sets are never copied into the repository: a notebook's ``data_dir`` parameter, the
environment variable ``SEGKIT_SHARED_DATA`` or ``../shared/data`` beside the checkout say
where they are, in that order.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from segkit.exceptions import InputNotFoundError

__all__ = ["shared_data"]


def shared_data(data_dir: str | os.PathLike | None = None, *, needs: Sequence[str] = ()) -> Path:
    """The folder of the shared public data sets, checked to hold what a notebook needs.

    Parameters
    ----------
    data_dir : path, optional
        The folder (a notebook's ``data_dir`` parameter). Default: the environment
        variable ``SEGKIT_SHARED_DATA``, else ``../shared/data`` beside the segkit checkout
        (``../../../shared/data`` from ``notebooks/workshop/``), as the tests use.
    needs : sequence of str
        Paths inside the folder that must exist, e.g. ``["cdnow/CDNOW_master.txt"]``.

    Returns
    -------
    Path

    Raises
    ------
    InputNotFoundError
        The folder or a needed file is missing; the message says where it looked and how
        to point the notebook at the data.

    Examples
    --------
    >>> shared_data("/nowhere", needs=["cdnow/CDNOW_master.txt"])
    Traceback (most recent call last):
    ...
    segkit.exceptions.InputNotFoundError: shared data not found: /nowhere does not exist (folder from data_dir); ...
    """
    if data_dir is not None:
        folder, origin = Path(data_dir), "data_dir"
    elif os.environ.get("SEGKIT_SHARED_DATA"):
        folder, origin = Path(os.environ["SEGKIT_SHARED_DATA"]), "$SEGKIT_SHARED_DATA"
    else:
        folder, origin = Path(__file__).resolve().parents[3] / "shared" / "data", "the default beside the checkout"
    for path in [folder, *(folder / n for n in needs)]:
        if not path.exists():
            raise InputNotFoundError(
                f"shared data not found: {path} does not exist (folder from {origin}); expected the public data "
                f"sets there (cdnow/, online_retail/, marketing_campaign/): set data_dir in the parameters cell "
                f"(papermill -p data_dir PATH) or the environment variable SEGKIT_SHARED_DATA to their folder")
    return folder
