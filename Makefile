# The two commands of the README:
#   make demo   -- install, then run the demo city on the embedded default (SQLite, no services)
#   make test   -- install, then run the whole test suite (SQLite pass, then PostgreSQL + Redis)
VENV ?= .venv
# The interpreter the .venv is made with: a PGO/LTO build (a distribution's python3) serves pages
# about a quarter faster than a plain source build (docs/operations.md, "Which Python").
PYTHON ?= python3
PY := $(VENV)/bin/python
PORT ?= 5000

.PHONY: install demo test bench clean

$(VENV)/.installed: pyproject.toml setup.py examples/placette-keys/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[test]" -e examples/placette-keys
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/placette demo --port $(PORT)

test: install
	scripts/run-tests $(PY)

bench: install
	$(PY) benchmarks/run.py --scale small

clean:
	rm -rf $(VENV) build dist *.egg-info demo-instance
