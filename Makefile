# Two commands matter: `make run` and `make test`. Both create the virtual environment on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Amazon's APL validator (npm), which the tests run on the skill's screen document.
APL_CHECK := tools/apl/node_modules/.package-lock.json
# The local wheel cache of the production set (constraints.txt): tests/deploy/test_install.py
# installs the project into a fresh virtualenv from it, offline.
WHEELS := build/wheels

.PHONY: run test lint bench lambda skill-package replay constraints clean models review-pack review-check

# The production set at the pinned versions (constraints.txt); development tools unpinned.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(PY) -m pip wheel --quiet --wheel-dir $(WHEELS) -r constraints.txt
	touch $(STAMP)

$(APL_CHECK): tools/apl/package.json tools/apl/package-lock.json
	cd tools/apl && npm ci --no-audit --no-fund --silent

# `make run PORT=5001` serves on another port.
PORT ?= 5000
run: $(STAMP)
	$(PY) -m skill serve --dev --port $(PORT)

test: $(STAMP) $(APL_CHECK)
	$(PY) -m ruff check skill tests lambda tools bench
	$(PY) -m ruff format --check skill tests lambda tools bench
	$(PY) -m mypy
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check skill tests lambda tools bench
	$(PY) -m ruff format --check skill tests lambda tools bench

# docs/benchmarks.{json,md,svg}; `python -m bench` alone writes into build/bench/, `--quick` is a
# smoke run of a few seconds.
bench: $(STAMP)
	$(PY) -m bench --out docs/benchmarks.md

# dist/lambda.zip, holding exactly the versions constraints.txt pins.
lambda: $(STAMP)
	$(PY) tools/build_lambda.py --constraints constraints.txt

# skill-package/ and ask-resources.json for ask deploy (docs/deployment.md: SKILL_ENDPOINT,
# SSL_CERTIFICATE_TYPE, PRIVACY_POLICY_URL, ALEXA_SKILL_ID, ...).
skill-package: lambda
	$(PY) tools/build_skill_package.py

# build/replay/<locale>/*.json from tests/conversations/, for `ask dialog --replay` against the
# deployed skill (ALEXA_SKILL_ID, or the id ask deploy recorded in ask-resources.json).
replay: $(STAMP)
	$(PY) tools/export_replays.py

# The clinician review pack (docs/review-pack.md): a static site in dist/review/. For a re-review,
# `make review-pack SINCE=path/to/the/signed/pack` shows only what changed since that pack.
REVIEW_OUT ?= dist/review
review-pack: $(STAMP)
	$(PY) -m skill review --out $(REVIEW_OUT) $(if $(SINCE),--since $(SINCE))

# The pack in a real browser (headless Chromium): it renders, prints on A4, reads at 200% zoom,
# and its contrast passes WCAG AA; screenshots and PDFs in dist/review/screenshots/. Installs
# Debian's chromium and chromium-driver (apt) and selenium (into the venv) when missing, so it is
# not part of `make test`.
review-check: review-pack
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
			chromium chromium-driver; \
	fi
	$(PY) -c "import selenium" 2>/dev/null || $(PY) -m pip install --quiet -c constraints.txt selenium
	$(PY) -m pytest -q -p no:cacheprovider -m browser tests/review/test_review_browser.py
	$(PY) -m skill.review.browser $(REVIEW_OUT)

# Pin the production set as installed now (after moving a pin and running make).
constraints: $(STAMP)
	$(PY) tools/pin_constraints.py > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf $(VENV) tools/apl/node_modules dist build *.egg-info .pytest_cache .ruff_cache .mypy_cache .hypothesis

# The interaction models, from the sentence templates in interaction_model/sentences/.
models: $(STAMP)
	$(PY) -m skill models
