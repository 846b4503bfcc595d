"""The role-detection benchmark of issue 14: a seeded generator of customer tables and purchase
logs whose every column has a known role, basis and kind, and the scoring of segkit's answers.

* :mod:`~benchmarks.rolebench.truth`: the vocabulary of roles, bases and kinds; tables and columns.
* :mod:`~benchmarks.rolebench.words`, :mod:`~benchmarks.rolebench.values`: values in seven languages.
* :mod:`~benchmarks.rolebench.concepts`, :mod:`~benchmarks.rolebench.people`,
  :mod:`~benchmarks.rolebench.habits`, :mod:`~benchmarks.rolebench.logs`: the column concepts.
* :mod:`~benchmarks.rolebench.shapes`: table shapes and the generator; :mod:`~benchmarks.rolebench.files`
  writes a table to a file.
* :mod:`~benchmarks.rolebench.today`: what today's segkit answers, mapped onto the vocabulary;
  :mod:`~benchmarks.rolebench.run` runs it over the tables; :mod:`~benchmarks.rolebench.score`
  scores it; :mod:`~benchmarks.rolebench.report` writes ``benchmarks/results/roles.md``.

``benchmarks/bench_roles.py`` runs it all.
"""
