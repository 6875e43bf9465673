# Two commands for a newcomer: `make run` (app + demo data on SQLite) and `make test` (both backends).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
export FLASK_APP := app

USERS ?= 60
DURATION ?= 120

.PHONY: run test test-sqlite test-servers bench loadtest worker scheduler lint install lock assets catalogs messages fonts clean

# Exactly the versions (and files, by hash) in requirements.lock; then the project itself, without deps.
$(VENV)/.installed: requirements.lock setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

lock:  ## Re-pin requirements.lock from setup.cfg (after changing a dependency; commit both)
	test -x $(VENV)/bin/uv || $(MAKE) install
	$(VENV)/bin/uv pip compile setup.cfg --extra dev --generate-hashes --universal --python-version 3.11 \
		--quiet -o requirements.lock

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

web/static/vendor/.copied: node_modules/.installed scripts/copy_assets.sh $(wildcard web/frontend/*)
	bash scripts/copy_assets.sh
	touch $@

install: $(VENV)/.installed
assets: web/static/vendor/.copied

fonts:  ## A Chinese font for the PDFs (Debian's fonts-noto-cjk), installed when missing and allowed
	@fc-list :lang=zh family 2>/dev/null | grep -q . || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-cjk; \
	  else echo "WARNING: no Chinese font: PDFs show Chinese as boxes. Install one: sudo apt-get install fonts-noto-cjk"; fi; }

catalogs: install  ## Compile the translation catalogs (i18n/catalogs/*/*/LC_MESSAGES/*.po -> .mo)
	$(PY) -m i18n.catalogs compile

messages: install  ## Extract marked strings into every area's catalogs (zh_CN, en), then compile
	$(PY) -m i18n.catalogs update

run: install assets catalogs fonts  ## Serve http://127.0.0.1:5000 with demo data on the embedded default
	$(FLASK) crm init-db
	$(FLASK) crm demo
	$(FLASK) crm serve

test: install assets catalogs  ## The whole suite on SQLite, then on PostgreSQL + Redis with rq workers
	$(VENV)/bin/ruff check .
	bash scripts/run_tests.sh

test-sqlite: install assets catalogs
	CRM_TEST_BACKEND=sqlite $(VENV)/bin/pytest

test-servers: install assets catalogs
	CRM_TEST_BACKEND=servers $(VENV)/bin/pytest

bench: install  ## Engine and worklist benchmarks; writes bench/results/engine.json
	$(PY) -m bench

loadtest: install  ## Locust against gunicorn + PostgreSQL + Redis + worker + scheduler; bench/results/load.json
	$(PY) -m bench.loadtest --users $(USERS) --duration $(DURATION)

worker: install  ## An rq worker (production: set DATABASE_URL and REDIS_URL)
	$(FLASK) engine worker

scheduler: install  ## Fires due timers and relays the job outbox (production)
	$(FLASK) engine scheduler

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules web/static/vendor instance
