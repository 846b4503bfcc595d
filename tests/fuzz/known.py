"""The suite's cases that fail today, by defect id (see ``tests/fuzz/defects.py``).

Written by ``.venv/bin/python -m tests.fuzz.suite > tests/fuzz/known.py``; when a fix lands,
its cases pass and their strict xfail markers fail the suite: delete those lines.
"""

KNOWN: dict[str, str] = {
    "bytes-07": "D09",
    "cli-00": "D08",
    "encodings-07": "D08",
    "invoice-numbers-06": "D08",
    "line-ends-07": "D08",
    "missing-07": "D08",
    "numbers-huge-int-02": "D08",
    "numbers-huge-int-04": "D08",
    "numbers-inf-04": "D11",
    "numbers-inf-05": "D11",
    "numbers-inf-06": "D16",
    "numbers-tiny-float-01": "D08",
    "numbers-tiny-float-03": "D08",
    "numbers-tiny-float-06": "D08",
    "quotes-06": "D03",
    "reader-quotes-03": "D03",
    "valid-07": "D08",
}
