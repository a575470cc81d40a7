# Two commands: `make run` (set up and serve the demo) and `make test` (set up and run every test).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
DEMO_ENV := DJANGO_DEBUG=1

.PHONY: install run test lint fmt worker beat e2e bench messages clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py seed_demo --if-empty
	@echo ""
	@echo "  Budget performance dashboard: http://127.0.0.1:8000/"
	@echo "  Demo logins (users admin, officer, head, unit):"
	@cat .demo-credentials 2>/dev/null || echo "  password: the one you gave with --password / DEMO_PASSWORD"
	@echo ""
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py makemigrations --check --dry-run

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

e2e: install
	$(BIN)/pytest -m e2e tests/e2e

worker: install
	$(PY) -m celery -A config worker --loglevel=info

beat: install
	$(PY) -m celery -A config beat --loglevel=info

# One direction: the code's msgids into django.po, every msgstr from locale/glossary.py's ZH, then django.mo.
messages: install
	$(DEMO_ENV) $(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore="*/demo/*"
	$(PY) locale/glossary.py
	$(DEMO_ENV) $(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

.PHONY: audit deploy-check load

# Known vulnerabilities in every installed package, from PyPI's advisory data (needs PyPI's JSON API).
# --strict fails when a package could not be checked, rather than reporting it clean.
audit: install
	$(PY) -m pip install --quiet pip-audit
	$(PY) -m pip freeze --exclude-editable > $(VENV)/audit-requirements.txt
	$(BIN)/pip-audit --strict --no-deps --disable-pip --requirement $(VENV)/audit-requirements.txt

# Django's deployment checks with the settings in this shell's environment (or .env).
deploy-check: install
	$(PY) manage.py check --deploy --fail-level WARNING

# Load test (docs/performance.md, "Load"): 50 users browsing as officers and heads against gunicorn on
# a throw-away PostgreSQL database seeded at scale 1, then the same during 100,000-row imports.
# Minutes long and machine-dependent: a command, not a test. LOAD_OUT, LOAD_USERS, LOAD_DURATION...
load: install
	bash loadtest/run.sh
