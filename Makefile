# Two commands matter: `make run` and `make test`. Both create the virtual environment on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Amazon's APL validator (npm), which the tests run on the skill's screen document.
APL_CHECK := tools/apl/node_modules/.package-lock.json

.PHONY: run test lint bench lambda skill-package clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(APL_CHECK): tools/apl/package.json tools/apl/package-lock.json
	cd tools/apl && npm ci --no-audit --no-fund --silent

run: $(STAMP)
	$(PY) -m skill serve --dev

test: $(STAMP) $(APL_CHECK)
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
	rm -rf $(VENV) tools/apl/node_modules dist build *.egg-info .pytest_cache .ruff_cache .mypy_cache .hypothesis
