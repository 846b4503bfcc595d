"""``python -m segkit.workshop``: see :func:`segkit.workshop.cli.main`."""

from segkit.workshop.cli import main

raise SystemExit(main())
