# Two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HASH   := $(shell cat pyproject.toml | sha1sum | cut -c1-12)
APP    := $(VENV)/.app-$(HASH)
STAMP  := $(VENV)/.installed-$(HASH)

.PHONY: run test lint typecheck unit check-catalogue bench clean system-deps system-deps-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The app alone (what `make run` needs): no test tools, no camera extra.
$(APP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	rm -f $(VENV)/.app-* && touch $(APP)

# Everything the tests need: the test tools and the camera extra (MediaPipe) too.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,vision]'
	rm -f $(VENV)/.installed-* $(VENV)/.app-* && touch $(STAMP) $(APP)

system-deps:
	sh scripts/system-deps.sh run

system-deps-test:
	sh scripts/system-deps.sh test

## run: create the environment, install backcoach and start the browser app (127.0.0.1:8765)
run: $(APP) system-deps
	$(BIN)/backcoach serve

## test: install what the tests need, then lint, type-check, validate the catalogue and run every test
test: $(STAMP) system-deps-test lint typecheck check-catalogue unit

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

check-catalogue: $(STAMP)
	$(BIN)/backcoach catalogue check

unit: $(STAMP) system-deps-test
	$(BIN)/pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/planning.py
	$(BIN)/python bench/engine_drift.py
	$(BIN)/python bench/save_set.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/today_rate.py
	$(BIN)/python bench/workers_rate.py
	$(BIN)/python bench/people_load.py
	$(BIN)/python bench/clinic_patients.py
	$(BIN)/python bench/clinic_sessions.py
	$(BIN)/python bench/history_cost.py
	$(BIN)/python bench/motion.py
	$(BIN)/python bench/figures.py
	$(BIN)/python bench/import_memory.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
