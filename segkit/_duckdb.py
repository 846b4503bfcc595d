"""One DuckDB database per process for the small queries segkit runs on frames in memory.

Hashing a chunk's keys or rows is a few milliseconds of DuckDB's work; opening a database for it
cost 15-60 ms (more with other threads busy), more than the query. :func:`scratch_cursor` hands
out a cursor of one in-memory database, opened on first use: a cursor is a connection of its own
(what one registers, another does not see), so threads each take one. Queries that set limits of
their own (memory, threads, a spill folder) open their own database instead: settings are the
database's, shared by its cursors.

>>> import pandas as pd
>>> con = scratch_cursor()
>>> con.register("frame", pd.DataFrame({"x": [1, 2, 3]}))  # doctest: +ELLIPSIS
<...>
>>> con.execute("SELECT SUM(x) FROM frame").fetchone()[0]
6
>>> con.close()
"""

from __future__ import annotations

import os
import threading
from typing import Any

__all__ = ["scratch_cursor"]

_lock = threading.Lock()
_database: Any = None
_opened_by: int | None = None  # the process that opened it: a forked child opens its own


def scratch_cursor() -> Any:
    """A new cursor (``duckdb.DuckDBPyConnection``) of this process's scratch database; close it after use."""
    import duckdb  # not at the top: slow to import, and short tables never need it

    global _database, _opened_by
    with _lock:
        if _database is None or _opened_by != os.getpid():
            _database, _opened_by = duckdb.connect(), os.getpid()
        return _database.cursor()
