# The README's commands. `make demo` runs the service on the demo data; `make test` runs the tests.
# Both set up everything first: the virtualenv, the package, and (on first use) the local Neo4j.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-unit test-fast lint format schema bench bench-wrk clean neo4j help check-tools web browser

help:
	@echo "make demo    - run the service with its own local Neo4j, loaded with the demo data"
	@echo "               (GraphQL at http://127.0.0.1:8000/graphql, explorer at http://127.0.0.1:8000/explore)"
	@echo "make test    - run the tests against a throwaway local Neo4j"
	@echo "make test-unit - tests/unit only: no database, no server, no browser (seconds)"
	@echo "make test-fast - all but the tests marked slow"
	@echo "make web     - build the explorer's and GraphiQL's scripts (Node.js 20+, npm)"
	@echo "make lint    - ruff, mypy and the schema linter (graphql-schema-linter)"
	@echo "make schema  - rewrite schema/schema.graphql from the code"
	@echo "make bench   - benchmark: 10k/100k/1M parties, ours and the peer (see bench/README.md)"

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

# The web pages' scripts (explorer, GraphiQL): built from web/ with the lock file's packages
# into the package's static folder, again whenever a source or the lock file is newer.
WEB_STAMP := graph_api/web/static/BUILT
WEB_SOURCES := web/package.json web/package-lock.json web/build.mjs $(shell find web/src -type f 2>/dev/null)

$(WEB_STAMP): $(WEB_SOURCES)
	@command -v npm >/dev/null || { echo "Node.js 20+ and npm are needed to build the explorer (web/)"; exit 1; }
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent

web: $(WEB_STAMP)

# The browser tests drive Debian's Chromium (with CJK fonts, so that Chinese is not boxes).
CHROMIUM := $(shell command -v chromium)
CJK_FONTS := $(wildcard /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc)

BROWSER_MISSING := $(if $(CHROMIUM),$(if $(CJK_FONTS),,fonts),chromium)

browser:
ifneq ($(BROWSER_MISSING),)
	@echo "installing chromium and fonts-noto-cjk (Debian packages) for the browser tests ..."
	@if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO="sudo -n"; \
	  else echo "chromium is needed: apt-get install chromium fonts-noto-cjk (as root)"; exit 1; fi; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk >/dev/null \
	  || { $$SUDO apt-get update -q >/dev/null && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk >/dev/null; } \
	  || { echo "could not install chromium: apt-get install chromium fonts-noto-cjk (as root)"; exit 1; }
endif

demo: $(STAMP) $(WEB_STAMP)
	$(BIN)/graph-api serve --load-demo

# tests/unit: no database, no server, no browser (seconds): the quick loop while working.
# tests/integration: a real Neo4j from the launcher, live servers, headless Chromium.
# `make test` runs both, the slow ones too (CI runs it); `make test-fast` leaves out the
# tests marked slow (bulk generation and loads, killed servers).
test-unit: $(STAMP)
	$(BIN)/pytest -q tests/unit

test-fast: $(STAMP) $(WEB_STAMP) browser
	$(BIN)/pytest -m "not slow"

test: $(STAMP) $(WEB_STAMP) browser
	$(BIN)/pytest

# The schema linter (graphql-schema-linter, npm) from tools/lint's lock file: every schema
# element described, Relay connections; its rules are in tools/lint/.graphql-schema-linterrc.
LINT_STAMP := tools/lint/node_modules/.package-lock.json

$(LINT_STAMP): tools/lint/package.json tools/lint/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20+ and npm are needed for the schema linter"; exit 1; }
	cd tools/lint && npm ci --no-audit --no-fund --loglevel=error

lint: $(STAMP) $(LINT_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	cd tools/lint && node_modules/.bin/graphql-schema-linter --config-directory .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schema: $(STAMP)
	$(BIN)/graph-api schema --write
	$(BIN)/graph-api model-doc --write

# The benchmark's tools: wrk (Debian's package) and the peer's npm packages, from the lock file.
WRK := $(shell command -v wrk)
PEER_STAMP := bench/peer/node_modules/.package-lock.json

bench-wrk:
ifeq ($(WRK),)
	@echo "installing wrk (Debian package) for the benchmark ..."
	@if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO="sudo -n"; \
	  else echo "wrk is needed: apt-get install wrk (as root)"; exit 1; fi; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null \
	  || { $$SUDO apt-get update -q >/dev/null && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; } \
	  || { echo "could not install wrk: apt-get install wrk (as root)"; exit 1; }
endif

$(PEER_STAMP): bench/peer/package.json bench/peer/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20+ and npm are needed for the benchmark's peer (or BENCH_PEER=0)"; exit 1; }
	cd bench/peer && npm ci --no-audit --no-fund --loglevel=error

# Data sets, databases and results: see bench/README.md (BENCH_SIZES, BENCH_DURATION, ...).
bench: $(STAMP) check-tools bench-wrk $(PEER_STAMP)
	$(BIN)/python -m bench.harness

neo4j: $(STAMP)
	$(BIN)/graph-api neo4j

clean:
	rm -rf $(VENV) launcher/target .mypy_cache .ruff_cache .pytest_cache web/node_modules graph_api/web/static
