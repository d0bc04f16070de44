# 物业管家 — developer entry points. `make run` to try it, `make test` before a commit.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
REQS := requirements.txt constraints.txt
DEV_REQS := $(REQS) requirements-dev.txt
# Stamps are named by the requirement files' hash: editing one reinstalls, otherwise a no-op.
RUN_STAMP := $(VENV)/.installed-run-$(shell cat $(REQS) 2>/dev/null | sha256sum | cut -c1-16)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat $(DEV_REQS) 2>/dev/null | sha256sum | cut -c1-16)

.PHONY: run test lint lock install install-dev clean

run: $(RUN_STAMP)
	$(BIN)/python -m bot db upgrade
	$(BIN)/python -m bot seed --demo --if-empty
	$(BIN)/python -m bot serve

test: $(DEV_STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(DEV_STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .

install: $(RUN_STAMP)
install-dev: $(DEV_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): $(REQS) | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	rm -f $(VENV)/.installed-run-*
	touch $@

$(DEV_STAMP): $(DEV_REQS) | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt -c constraints.txt
	rm -f $(VENV)/.installed-dev-*
	touch $@

# Pin the whole resolved set (direct + transitive, dev tools included) for reproducible installs.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(BIN)/pip freeze --exclude-editable | LC_ALL=C sort -f > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
