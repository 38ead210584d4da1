# The two set-up commands of the README; each makes .venv first if needed.
#   make generate   generated/ from schema.yaml
#   make test       the whole test suite (needs PostgreSQL: see README)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: generate test check bench lint

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

lint: $(STAMP)
	$(VENV)/bin/ruff check generator tests bench
	$(VENV)/bin/ruff format --check generator tests bench
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) bench/bench.py
