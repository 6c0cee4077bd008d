# `make run` starts the explorer, `make test` runs every test; both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# `make run PORT=8600 ADDRESS=0.0.0.0` chooses the port and the address to listen on.
# (no ADDRESS: Streamlit's default, every interface).
PORT ?= 8501
ADDRESS ?=

run: $(STAMP)
	$(BIN)/python -m streamlit run app.py --server.port $(PORT)$(if $(ADDRESS), --server.address $(ADDRESS))

test: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/python -m ruff check .

bench: $(STAMP)
	$(BIN)/python bench/cold_start.py
	$(BIN)/python bench/core.py
	$(BIN)/python bench/app.py
	$(BIN)/python bench/store.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-output
