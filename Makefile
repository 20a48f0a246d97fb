# The README's commands. `make demo` runs the service on the demo data; `make test` runs the tests.
# Both set up everything first: the virtualenv, the package, and (on first use) the local Neo4j.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format schema bench clean neo4j help check-tools

help:
	@echo "make demo    - run the service with its own local Neo4j, loaded with the demo data"
	@echo "               (GraphQL at http://127.0.0.1:8000/graphql)"
	@echo "make test    - run the tests against a throwaway local Neo4j"
	@echo "make lint    - ruff and mypy"
	@echo "make schema  - rewrite schema/schema.graphql from the code"
	@echo "make bench   - benchmark tables (see bench/README.md)"

check-tools:
	@command -v java >/dev/null || { echo "Java 17+ is needed for the local Neo4j (or set NEO4J_URI)"; exit 1; }
	@command -v mvn >/dev/null || { echo "Maven is needed to build the local Neo4j launcher (or set NEO4J_URI)"; exit 1; }

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/graph-api serve --load-demo

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schema: $(STAMP)
	$(BIN)/graph-api schema --write

neo4j: $(STAMP)
	$(BIN)/graph-api neo4j

clean:
	rm -rf $(VENV) launcher/target .mypy_cache .ruff_cache .pytest_cache
