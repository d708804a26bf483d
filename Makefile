# detente — two commands do everything on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
DEMO_DB := demo/demo.duckdb

.PHONY: install browser-deps demo test test-fast bench bench-api eval clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the browser tests (Playwright drives it; no browser is downloaded).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

demo: install
	mkdir -p demo && rm -f $(DEMO_DB) $(DEMO_DB).wal
	$(BIN)/detente ingest examples --db $(DEMO_DB)
	$(BIN)/detente summary --db $(DEMO_DB)
	$(BIN)/detente alerts --db $(DEMO_DB)
	@echo
	@echo "Dashboard: $(BIN)/detente serve --db $(DEMO_DB)   then open http://127.0.0.1:8000/"

test: install browser-deps
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow and not browser"

bench: install
	$(BIN)/python bench/bench.py

bench-api: install
	$(BIN)/python bench/api_bench.py

eval: install
	$(BIN)/detente eval ../shared/eval/plover_gsr_dev.jsonl --by-type

clean:
	rm -rf demo .pytest_cache build *.egg-info
