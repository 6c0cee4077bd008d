# `make run` starts the explorer, `make test` runs every test; both set up .venv first.
# README "Tests" describes the test targets and the hypothesis profiles (tests/conftest.py).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The oldest releases pyproject.toml allows, in a venv of their own (make test-floor).
FLOOR_VENV := .venv-floor
# Extra pytest arguments for the test targets, e.g. make test PYTEST_ARGS="-x --durations=20".
PYTEST_ARGS ?=

.PHONY: run test test-fast test-nightly test-floor lint bench clean

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

# Every test; hypothesis draws the same examples on every run (profile ci).
test: $(STAMP)
	$(BIN)/python -m ruff check .
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest $(PYTEST_ARGS)

# The edit loop: no browser, no PostgreSQL, no slow test (the wheel), at most 10 examples per property.
test-fast: $(STAMP)
	HYPOTHESIS_PROFILE=quick $(BIN)/python -m pytest -q -m "not browser and not postgres and not slow" $(PYTEST_ARGS)

# Now and then: ten times the examples, a new random seed each run.
test-nightly: $(STAMP)
	HYPOTHESIS_PROFILE=nightly $(BIN)/python -m pytest $(PYTEST_ARGS)

# Every test on the dependency floors: each `>=` of pyproject.toml's dependencies and test
# extra installed as `==` (what pip finds newest for everything else), so a floor never drifts.
test-floor:
	@test -x $(FLOOR_VENV)/bin/python || $(PYTHON) -m venv $(FLOOR_VENV)
	$(FLOOR_VENV)/bin/python -c 'import re, tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	    print("\n".join(re.sub(r"\[.*\]", "", d).replace(">=", "==") for d in p["dependencies"] + p["optional-dependencies"]["test"]))' \
	    > $(FLOOR_VENV)/floors.txt
	$(FLOOR_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(FLOOR_VENV)/bin/python -m pip install --quiet -c $(FLOOR_VENV)/floors.txt -e '.[test]'
	$(FLOOR_VENV)/bin/python -m pip check
	HYPOTHESIS_PROFILE=ci $(FLOOR_VENV)/bin/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/python -m ruff check .

bench: $(STAMP)
	$(BIN)/python bench/cold_start.py
	$(BIN)/python bench/core.py
	$(BIN)/python bench/app.py
	$(BIN)/python bench/store.py

clean:
	rm -rf $(VENV) $(FLOOR_VENV) .pytest_cache .ruff_cache .hypothesis test-output
