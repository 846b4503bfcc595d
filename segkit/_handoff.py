"""How a report kernel hands its fitted model to the report runner (no imports: the CLI
reads this before it starts the kernel).

:func:`segkit.report.start_kernel` sets :data:`MODEL_HANDOFF_ENV` in the kernel's
environment; :meth:`segkit.pipeline.Analysis.write` then pickles the fitted model to
:data:`MODEL_HANDOFF_FILE` in the run's private temporary folder instead of importing skops
(about a second), and the runner, which imported skops while the kernel worked, writes
``model.skops`` from it and deletes the pickle. Everywhere else (JupyterLab, nbval, your
own scripts) ``Analysis.write`` saves ``model.skops`` itself.
"""

MODEL_HANDOFF_ENV = "SEGKIT_MODEL_HANDOFF"
MODEL_HANDOFF_FILE = "model.handoff.pickle"
