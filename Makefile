# segkit: `make help` lists the targets. Everything runs inside .venv, created on first use.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.segkit-installed
PYTEST_ARGS ?=

.PHONY: help setup report test test-fast lab browser bench workshop clean

help: ## Show this list of targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (segkit)" > /dev/null
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install segkit with pinned dependencies (quick when nothing changed)
	@# Compiled once here: where PYTHONDONTWRITEBYTECODE is set, every process (each report kernel)
	@# would compile segkit's modules again at import.
	@$(PY) -m compileall -q segkit

browser: ## Install headless Chromium (Debian package) for the report browser test, if missing
	@command -v chromium > /dev/null || command -v chromium-browser > /dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null); \
	  else echo "chromium is missing; install it (sudo apt-get install chromium) to run the browser test"; fi; }

report: setup ## Run the full segment report on the built-in demo data into reports/demo/
	$(VENV)/bin/segkit report --demo --out reports/demo

test: setup browser ## Run the whole test suite, notebooks and browser check included
	$(PY) -m pytest -n 2 --dist loadscope $(PYTEST_ARGS)

test-fast: setup ## Run the tests that need neither the real data nor a kernel
	$(PY) -m pytest -n 2 --dist loadscope -m "not slow and not browser" segkit tests $(PYTEST_ARGS)

lab: setup ## Start JupyterLab on 127.0.0.1 with the project's environment
	$(VENV)/bin/jupyter lab --ip 127.0.0.1 --no-browser notebooks/

workshop: setup ## Write learner copies of the workshop notebooks to workshop/ (solutions removed; existing copies kept)
	$(PY) -m segkit.workshop strip --keep notebooks/workshop workshop

bench: setup ## Run the benchmarks by hand (results in benchmarks/results/)
	$(PY) benchmarks/bench_features.py
	$(PY) benchmarks/bench_segment.py
	$(PY) benchmarks/bench_end_to_end.py

clean: ## Remove the environment and generated reports
	rm -rf $(VENV) reports/demo reports/*.png
