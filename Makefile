# Stratlas: every target bootstraps .venv from nothing (python3 -m venv + pip), then does its job.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stratlas-installed

.PHONY: site test lint typecheck pytest serve bench clean setup consumer-tools browser-deps checker-deps \
	native-sanitize sanitizer-deps

setup: $(STAMP)

$(STAMP): pyproject.toml toolkit/_native.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

## make site: set up, validate the records (strict), build the site into site/ (mkdocs, strict)
site: $(STAMP)
	$(BIN)/stratlas build --strict --out site/

## make serve: live preview on http://127.0.0.1:8000/, regenerated when a record changes
serve: $(STAMP)
	$(BIN)/stratlas serve

## make bench: set up, then time validate and build at N = 1,000 and 10,000 against the targets
## of issues 7, 15 and 18; prints one table and writes bench/RESULTS.md (corpora are cached in bench/out/)
bench: $(STAMP)
	$(BIN)/python bench/run.py

## make test: set up, then lint, type-check, test the C kernels under the sanitizers, and run
## every test
test: lint typecheck native-sanitize pytest

lint: $(STAMP)
	$(BIN)/ruff check toolkit tests bench
	$(BIN)/ruff format --check toolkit tests bench
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy toolkit

pytest: $(STAMP) consumer-tools browser-deps checker-deps node_modules/.installed
	$(BIN)/pytest

## make native-sanitize: build toolkit/_native.c with AddressSanitizer and UBSan into its own
## folder (build/sanitize/) and run the C kernels' tests on that build: tests/test_native.py and
## the native cases of tests/test_load.py (gcc's libasan preloaded into Python; every Python
## allocation through malloc, so that ASan sees the kernels' buffers; leaks not reported:
## CPython frees little at exit)
SANITIZE := build/sanitize
native-sanitize: $(STAMP) sanitizer-deps
	rm -rf $(SANITIZE) && mkdir -p $(SANITIZE)
	gcc -shared -fPIC -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	  -fno-sanitize-recover=all -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	  -I"$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["include"])')" \
	  toolkit/_native.c \
	  -o "$(SANITIZE)/_native$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')"
	LD_PRELOAD="$$(gcc -print-file-name=libasan.so)" PYTHONMALLOC=malloc \
	  ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  STRATLAS_NATIVE_BUILD=$(SANITIZE) $(BIN)/pytest -q -p no:cacheprovider --capture=sys \
	  tests/test_native.py tests/test_load.py -k "not python and (native or test_native)"

## make sanitizer-deps: gcc's AddressSanitizer runtime (libasan, with Debian's gcc), via apt as root
sanitizer-deps:
	@test -e "$$(gcc -print-file-name=libasan.so 2>/dev/null)" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc >/dev/null; \
	  else echo "sanitizer-deps: install gcc (and its libasan) to run make native-sanitize" >&2; fi; }

## make browser-deps: Debian chromium for the browser test (via apt as root; never a browser download)
browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser-deps: install Debian's chromium to run tests/test_browser.py" >&2; fi; }

## node_modules: the independent checkers of tests/test_checkers.py (vnu-jar, ajv-cli, ajv-formats,
## axe-core), exactly as package-lock.json pins them; --ignore-scripts: vnu-jar's optional Java
## download never runs (Debian's Java is used)
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

## make checker-deps: Debian's Java (for vnu) and Node.js/npm (for the npm checkers), via apt as root
checker-deps:
	@command -v java >/dev/null && command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless nodejs npm >/dev/null; \
	  else echo "checker-deps: install Java and npm to run tests/test_checkers.py" >&2; fi; }

## make consumer-tools: the command-line tools docs/consumers.md uses (jq, sqlite3), via apt as root
consumer-tools:
	@command -v jq >/dev/null && command -v sqlite3 >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq sqlite3 >/dev/null; \
	  else echo "consumer-tools: install jq and sqlite3 to run the docs/consumers.md examples" >&2; fi; }

clean:
	rm -rf $(VENV) site docs/generated .pytest_cache .mypy_cache .ruff_cache build
