# The two set-up commands of the README: `make book` and `make test`.
# Each creates .venv and installs what it needs; a second run reinstalls nothing.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: book test lint clean chromium

book: $(VENV)/.installed node_modules/.installed
	$(BIN)/course build

test: $(VENV)/.installed-dev node_modules/.installed chromium
	node --test tests/js/
	$(BIN)/python -m pytest --numprocesses=2 --dist=loadfile

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip==26.3"
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.created
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) install -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests use Debian's chromium; Playwright never downloads a browser.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium', then 'make test' again." >&2; \
	    exit 2; \
	  fi; \
	fi

clean:
	rm -rf book/_build .cache .pytest_cache
