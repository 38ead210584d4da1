# The two set-up commands of the README; each makes .venv first if needed.
#   make generate   generated/ from schema.yaml
#   make test       the whole test suite (needs PostgreSQL: see README)
#   make migrate-check  migrations/ intact and up to date with schema.yaml
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: generate test check migrate-check bench lint

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

generate: $(STAMP)
	$(VENV)/bin/schemagen generate

test: $(STAMP)
	$(PY) -m pytest

check: $(STAMP)
	$(VENV)/bin/schemagen generate --check

migrate-check: $(STAMP)
	$(VENV)/bin/schemagen migrate check

lint: $(STAMP)
	$(VENV)/bin/ruff check generator tests bench
	$(VENV)/bin/ruff format --check generator tests bench
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) bench/bench.py
