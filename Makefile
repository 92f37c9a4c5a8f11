# Everyday commands. `make run` and `make test` need only Python >= 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export KLIMABOK_DEBUG ?= true

.PHONY: run test test-random test-postgres lint bench demo migrate messages translations clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("klimabok needs Python >= 3.11, this is " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

translations: $(STAMP)
	@$(BIN)/python manage.py compilemessages_klimabok

demo: migrate translations
	$(BIN)/klimabok demo load --url http://$(HOST):$(PORT)/

# The web server and, beside it, the task worker that reads uploaded SAF-T files; Ctrl-C stops both.
run: demo
	@$(BIN)/klimabok demo logins --url http://$(HOST):$(PORT)/
	@echo "Task worker running (manage.py db_worker: reads uploaded ledger files, makes auditor's bundles and the account's exports of every line); Ctrl-C stops it with the server."
	@$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite on SQLite. Browser tests run when Chromium is there (always with CI=true).
test: translations
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider

# The suite in a shuffled order, to find a test that passes or fails by what ran before it; the seed it
# prints repeats an order: make test-random SEED=1234
test-random: translations
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider -p randomly $(if $(SEED),--randomly-seed=$(SEED))

# Needs PostgreSQL on 127.0.0.1:5432 with trust auth; pytest-django creates and drops test databases.
test-postgres: translations
	DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/klimabok} \
		$(BIN)/python -m pytest -n 2 -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check klimabok tests benches scripts
	$(BIN)/mypy klimabok tests benches scripts
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: $(STAMP)
	$(BIN)/python benches/run.py

messages: $(STAMP)
	cd klimabok && ../$(BIN)/python ../manage.py makemessages_klimabok -l nb --no-obsolete

clean:
	rm -rf $(VENV) var .pytest_cache
