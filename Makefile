# Two commands do all set-up on a fresh Debian/Ubuntu machine (README.md):
#   make run    installs what is needed and starts dy-verifier (demo on the sandbox without credentials)
#   make test   installs what is needed and runs the whole test suite (what .ci/run calls)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test setup lint bench sandbox serve screenshots bundle clean

$(STAMP): pyproject.toml
	bash packaging/system-deps.sh $(if $(WITH_XVFB),--with-xvfb,)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(PY) -m app $(ARGS)

test: $(STAMP)
	$(PY) -m ruff check .
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .

sandbox: $(STAMP)
	$(PY) -m gateway_core sandbox $(ARGS)

serve: $(STAMP)
	$(PY) -m gateway_core serve $(ARGS)

bench: $(STAMP)
	$(PY) -m bench $(ARGS)

# The installable folder dist/dy-verifier/ (PyInstaller; packaging/README.md). ARGS=--clean to rebuild all.
bundle: $(STAMP)
	bash packaging/build $(ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
