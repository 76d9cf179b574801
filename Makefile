# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3.13
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# Settings default to production-safe values; a local run and the tests use DEBUG's defaults.
export DEBUG ?= true

.PHONY: run test lint format browser lock clean bench css lighthouse

$(INSTALLED): requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else "Python 3.13 is needed (found " + sys.version.split()[0] + "): set PYTHON=/path/to/python3.13")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py tick
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(INSTALLED) browser lint
	$(BIN)/python manage.py makemigrations --check --dry-run --no-input
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The browser tests drive Debian's Chromium; install it when we can (root with apt-get).
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need Chromium: sudo apt-get install chromium (or set CHROMIUM_PATH)."; exit 1; \
	  fi; }

# The scale benchmark (not a test: CI never runs it); PostgreSQL at BENCH_DATABASE_URL.
bench: $(INSTALLED)
	$(BIN)/python -m bench

# Lighthouse mobile scores of /me/, /me/log/ and /assessment/ (a benchmark, not a test: the
# median of 3 runs against gunicorn with DEBUG off); Lighthouse is pinned in bench/lighthouse/.
LIGHTHOUSE_INSTALLED := bench/lighthouse/node_modules/.installed
$(LIGHTHOUSE_INSTALLED): bench/lighthouse/package-lock.json
	cd bench/lighthouse && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

lighthouse: $(INSTALLED) $(LIGHTHOUSE_INSTALLED) browser
	$(BIN)/python -m bench.lighthouse

# Cut Bootstrap down to the classes the templates use, for the phone pages' 60 KB budget.
css: $(INSTALLED)
	$(BIN)/python manage.py subset_bootstrap

# Re-pin dependencies after editing pyproject.toml (hashes, no index URLs).
lock: $(INSTALLED)
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-find-links --no-emit-index-url -o requirements.txt pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-find-links --no-emit-index-url --extra dev -o requirements-dev.txt pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles .pytest_cache
