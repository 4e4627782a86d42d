# Two commands on a fresh clone:  `make demo` (set up + run the product on the simulator)
# and `make test` (set up + ruff + mypy + the whole test suite). Everything else is optional.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test check lint typecheck pytest serve simulator bench conformance inspector cassettes clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "afas-mcp needs Python >= 3.11; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/afas-mcp demo

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

serve: $(STAMP)
	$(BIN)/afas-mcp serve

simulator: $(STAMP)
	$(BIN)/afas-mcp simulator --port 8765

bench: $(STAMP)
	@for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

conformance: $(STAMP)
	bench/conformance.sh

inspector: $(STAMP)
	bench/inspector.sh

cassettes: $(STAMP)
	AFAS_MCP_RECORD=1 $(BIN)/pytest tests/cassettes/test_scenarios.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
