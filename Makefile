# The two set-up commands of the README: `make serve` and `make test`.
# Each creates .venv and installs what it needs; a stamp file makes the second run instant.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8080

.PHONY: serve test install install-test translations clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: setup.cfg pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: setup.cfg pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations

# Compile the interface catalogues (fr, en) when a .po is newer than its .mo.
translations: $(VENV)/.installed
	@if [ -d wikiengine/translations ]; then \
	  $(VENV)/bin/pybabel compile -q -f -d wikiengine/translations 2>/dev/null || \
	  $(VENV)/bin/pybabel compile -f -d wikiengine/translations; fi

serve: install
	$(VENV)/bin/wikiengine serve --host $(HOST) --port $(PORT)

test: install-test
	scripts/run-tests

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
