"""The suite's cases that fail today, by defect id (see ``tests/fuzz/defects.py``).

Written by ``.venv/bin/python -m tests.fuzz.suite > tests/fuzz/known.py``; when a fix lands,
its cases pass and their strict xfail markers fail the suite: delete those lines.
"""

KNOWN: dict[str, str] = {
}
