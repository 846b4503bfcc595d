"""Read and validate customer tables and purchase logs.

The first stage of the pipeline. :func:`read_table` reads a file, a folder, a glob pattern
or a DataFrame and records where the data came from; :func:`detect_roles` works out which
column plays which part (customer id, date, amount, demographics, outcomes...) and what kind of
values each holds, with the evidence;
:func:`standardise_transactions` and :func:`standardise_customers` turn the raw tables into
the canonical schemas of ``docs/architecture.md``; :func:`quality_report` summarises what
is wrong with the data before anything is cleaned.

One module per job:

* :mod:`~segkit.io.read` -- files, folders, globs, zip, Excel and Parquet, with provenance;
* :mod:`~segkit.io.text` -- decoding, delimiter sniffing, title and footer lines;
* :mod:`~segkit.io.parse` / :mod:`~segkit.io.dates` -- cell text to numbers, yes/no answers,
  ids, dates and times of day;
* :mod:`~segkit.io.names` / :mod:`~segkit.io.content` -- what a column's name and its values say;
* :mod:`~segkit.io.kinds` / :mod:`~segkit.io.judge` -- a column's kind, and one scored decision per
  column (:class:`ColumnCall`: role, basis, kind and the evidence);
* :mod:`~segkit.io.roles` / :mod:`~segkit.io.detect` -- :class:`ColumnRoles` and the search
  that finds them;
* :mod:`~segkit.io.exports` -- vendor export profiles (Shopify, Stripe, tills) in a registry;
* :mod:`~segkit.io.standardise` -- the standardised log and customer table;
* :mod:`~segkit.io.quality` -- :class:`DataQuality` and duplicate lines;
* :mod:`~segkit.io.messages` -- how errors name values and rows.

Examples
--------
>>> import pandas as pd
>>> from segkit.io import detect_roles, standardise_transactions
>>> log = pd.DataFrame({"CustomerID": [17850.0, 13047.0],
...                     "InvoiceDate": ["2011-12-01 08:26", "2011-12-09 12:50"],
...                     "Quantity": [6, 2], "UnitPrice": [2.5, 3.25]})
>>> roles = detect_roles(log, kind="transactions")
>>> standardise_transactions(log, roles)[["customer_id", "date", "amount"]]
  customer_id                date  amount
0       17850 2011-12-01 08:26:00    15.0
1       13047 2011-12-09 12:50:00     6.5
"""

from segkit.io.detect import detect_roles
from segkit.io.exports import ExportProfile, ExportProfiles, export_profiles
from segkit.io.purchase_log import (
    PurchaseLog,
    PurchaseLogWriter,
    as_purchase_log,
    bucket_count,
    log_bucketing,
    release_arrow_memory,
)
from segkit.io.quality import DataQuality, combine_quality, duplicated_rows, quality_report, row_hashes
from segkit.io.read import TableChunks, file_sha256, read_chunks, read_table
from segkit.io.roles import ColumnCall, ColumnRoles, resolve_column
from segkit.io.standardise import fill_order_fields, standardise_customers, standardise_transactions
from segkit.schema import FLAG_VALUES, GROUP_ROLES, SINGLE_ROLES

__all__ = [
    "FLAG_VALUES",
    "GROUP_ROLES",
    "SINGLE_ROLES",
    "ColumnCall",
    "ColumnRoles",
    "DataQuality",
    "PurchaseLog",
    "PurchaseLogWriter",
    "TableChunks",
    "as_purchase_log",
    "bucket_count",
    "combine_quality",
    "ExportProfile",
    "ExportProfiles",
    "detect_roles",
    "duplicated_rows",
    "export_profiles",
    "file_sha256",
    "fill_order_fields",
    "log_bucketing",
    "quality_report",
    "read_chunks",
    "release_arrow_memory",
    "read_table",
    "resolve_column",
    "row_hashes",
    "standardise_customers",
    "standardise_transactions",
]
