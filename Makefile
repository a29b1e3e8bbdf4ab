# Two commands matter: `make run` and `make test`. Both create the virtual environment on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench lambda skill-package clean models

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m skill serve --dev

test: $(STAMP)
	$(PY) -m ruff check skill tests lambda
	$(PY) -m mypy
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check skill tests lambda
	$(PY) -m ruff format --check skill tests lambda

bench: $(STAMP)
	$(PY) -m bench

lambda: $(STAMP)
	$(PY) tools/build_lambda.py

skill-package: lambda
	$(PY) tools/build_skill_package.py

clean:
	rm -rf $(VENV) dist build *.egg-info .pytest_cache .ruff_cache .mypy_cache .hypothesis

# The interaction models, from the sentence templates in interaction_model/sentences/.
models: $(STAMP)
	$(PY) -m skill models
