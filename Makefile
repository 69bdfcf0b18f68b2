# The two quick-start commands: `make run` (dashboard) and `make test` (whole test suite).
# Each creates .venv with Python 3.11 when missing and installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PORT ?= 8501

.PHONY: run test lint chromium postgres bench bench-scale bench-browser messages

$(VENV)/.runtime: requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(VENV)/bin/python -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(VENV)/bin/python -m streamlit run app.py --server.port $(PORT)

# Browser tests drive Debian's chromium (also what prints PDF snapshots), and the PDF test
# renders pages with poppler's pdftoppm: install them when missing and we may (root with apt).
chromium:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's$$missing for the browser and PDF tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "missing$$missing and cannot install here: browser and PDF tests will be skipped"; fi

# The store tests run on DuckDB and on PostgreSQL: the suite starts a throwaway server from
# Debian's binaries in a temporary folder (tests/pg_server.py); install them when missing.
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's postgresql for the PostgreSQL store tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else echo "missing postgresql and cannot install here: PostgreSQL tests will be skipped"; fi

test: $(VENV)/.dev chromium postgres
	$(VENV)/bin/python -m pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Snapshot sizes and generation times on the demo data (prints a table, writes JSON).
bench: $(VENV)/.runtime
	$(VENV)/bin/python bench/snapshot_bench.py

# Every page at 100k and 1M seizure events against a naive baseline (about 12 minutes).
bench-scale: $(VENV)/.runtime
	$(VENV)/bin/python bench/scale_bench.py --sizes 100000 1000000 --runs 5

# What a person waits for in the browser: each page's load and filter change in headless
# chromium, against the naive app and a minimal one-chart app (about 10 minutes).
bench-browser: $(VENV)/.dev chromium
	$(VENV)/bin/python bench/browser_bench.py

# Interface text: extract every _()/N_() string into the template, merge it into each catalog.
# Translate the new or changed entries in crimjust_data/locale/*/LC_MESSAGES/messages.po.
LOCALES := crimjust_data/locale
messages: $(VENV)/.dev
	$(VENV)/bin/pybabel -q extract -k N_ -k ngettext:1,2 --no-wrap --sort-output \
		--project=crimjust-dashboard -o $(LOCALES)/messages.pot app.py pages crimjust_data
	for lang in es fr pt; do \
		if [ -f $(LOCALES)/$$lang/LC_MESSAGES/messages.po ]; then \
			$(VENV)/bin/pybabel -q update --no-wrap --ignore-obsolete -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang; \
		else $(VENV)/bin/pybabel -q init --no-wrap -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang; fi; \
	done
