# detente — two commands do everything on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
DEMO_DB := demo/demo.duckdb

.PHONY: install demo test test-fast bench eval clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	mkdir -p demo && rm -f $(DEMO_DB) $(DEMO_DB).wal
	$(BIN)/detente ingest examples --db $(DEMO_DB)
	$(BIN)/detente summary --db $(DEMO_DB)

test: install
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow and not browser"

bench: install
	$(BIN)/python bench/bench.py

eval: install
	$(BIN)/detente eval ../shared/eval/plover_gsr_dev.jsonl --by-type

clean:
	rm -rf demo .pytest_cache build *.egg-info
