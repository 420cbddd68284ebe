# Quick start: `make run` (demo site) and `make test` (ruff, mypy, pytest).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DATA ?= demo-data
QM := app/i18n/continuity_en.qm
# Demo-only credentials of the embedded demo site (see README); never used for a real site.
DEMO_ENV := CONTINUITY_HOME=$(DEMO_DATA) CONTINUITY_USER=crise CONTINUITY_PASSWORD=demo-crise-2026

.PHONY: run test test-fast lint typecheck pytest fuzz bundle bundle-check bench bench-exchange bench-index bench-forms bench-snapshot bench-sync bench-syncthing screenshots forms-images translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.system-deps: installer/system-deps.sh | $(BIN)/python
	bash installer/system-deps.sh
	touch $@

# One environment for running and testing (the test tools are small). The version is
# read from continuity/__init__.py by the build, so a bump reinstalls (package metadata).
$(VENV)/.installed: pyproject.toml continuity/__init__.py $(VENV)/.system-deps
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# Qt translations: French is the source language; English is compiled from its .ts.
$(QM): app/i18n/continuity_en.ts $(VENV)/.installed
	$(BIN)/pyside6-lrelease -silent $< -qm $@

translations: $(VENV)/.installed
	$(BIN)/pyside6-lupdate -silent -no-obsolete app/*.py -ts app/i18n/continuity_en.ts

# With no screen (no DISPLAY), the app starts offscreen, shows it is alive, and stops.
run: $(VENV)/.installed $(QM)
	$(DEMO_ENV) $(BIN)/continuity demo --if-missing
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  $(BIN)/continuity-app --data $(DEMO_DATA); \
	else \
	  echo "Pas d'écran : démarrage hors écran (3 s) / no screen: offscreen start (3 s)"; \
	  QT_QPA_PLATFORM=offscreen $(BIN)/continuity-app --data $(DEMO_DATA) --quit-after 3000 \
	    && echo "Application démarrée et fermée / app started and closed (see docs/screenshots)"; \
	  $(DEMO_ENV) $(BIN)/continuity census; \
	fi

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

# The independent HIS peers the tests run on loopback (tests/peers/package.json, locked):
# Medplum's FHIR engine and validator, two Node HL7 v2 parsers. Node 20 or later.
PEERS := tests/peers/node_modules/.installed
$(PEERS): tests/peers/package.json tests/peers/package-lock.json
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' 2>/dev/null || \
	  { echo "Node.js 20 ou plus requis pour les tests / Node.js 20 or later needed for the tests" >&2; exit 1; }
	cd tests/peers && npm ci --no-audit --no-fund --loglevel=error
	touch $@

pytest: $(VENV)/.installed $(QM) $(PEERS)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

test: lint typecheck pytest

# The inner loop while working: no lint or type check, the slow robustness tests left
# out, stop at the first failure. `make test` (and CI) still runs everything.
test-fast: $(VENV)/.installed $(QM) $(PEERS)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -x -m "not slow"

# The readers of outside input fuzzed (tests/test_fuzz.py): the properties `make test` runs on a
# few hundred cases, here on FUZZ_EXAMPLES a reader (FUZZ_STORE_EXAMPLES for the paths through
# the real store), in two processes for two cores, memory capped (a runaway case fails, it does
# not take the machine); one summary line a reader. README "Tests" gives the figures.
FUZZ_EXAMPLES ?= 100000
FUZZ_STORE_EXAMPLES ?= 5000
FUZZ_MEMORY_KIB ?= 4000000
FUZZ_A := test_snapshot_reader and (HL7 or FHIR) or test_site_reader
fuzz: $(VENV)/.installed
	@logs=$$(mktemp -d); start=$$(date +%s); ulimit -v $(FUZZ_MEMORY_KIB); \
	export FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_STORE_EXAMPLES=$(FUZZ_STORE_EXAMPLES); \
	run() { $(BIN)/python -m pytest -q -p no:cacheprovider -m fuzz tests/test_fuzz.py -k "$$1" > "$$2" 2>&1; }; \
	run "$(FUZZ_A)" $$logs/a.log & a=$$!; run "not ($(FUZZ_A))" $$logs/b.log & b=$$!; \
	wait $$a; ra=$$?; wait $$b; rb=$$?; \
	grep -h "^FUZZ" $$logs/a.log $$logs/b.log; \
	echo "fuzz: $$(( $$(date +%s) - start )) s on $$(nproc) cores"; \
	if [ $$ra -ne 0 ] || [ $$rb -ne 0 ]; then cat $$logs/a.log $$logs/b.log; rm -rf $$logs; exit 1; fi; \
	rm -rf $$logs

screenshots: $(VENV)/.installed $(QM)
	QT_QPA_PLATFORM=offscreen PYTHONPATH=. $(BIN)/python docs/make_screenshots.py

# The store at 100,000 patients, then the HIS identity index at 2,000,000 identities (issue 17),
# each beside plain SQLite in the same run; BENCH_IDENTITIES=200000 for a quicker look.
BENCH_IDENTITIES ?= 2000000
bench: $(VENV)/.installed
	$(BIN)/python -m bench.bench_store
	$(BIN)/python -m bench.bench_index --identities $(BENCH_IDENTITIES)
	$(BIN)/python -m bench.bench_exchange

# 60 ward workstations' bundles into the crisis cell's store, in three orders (issue 18).
bench-exchange: $(VENV)/.installed
	$(BIN)/python -m bench.bench_exchange

bench-index: $(VENV)/.installed
	$(BIN)/python -m bench.bench_index --identities $(BENCH_IDENTITIES)

bench-forms: $(VENV)/.installed
	$(BIN)/python -m bench.bench_forms

# Offline install bundle (installer/): every target, or the Linux one checked as CI does.
bundle: $(VENV)/.installed
	$(BIN)/python installer/build_bundle.py --archive

bundle-check: $(VENV)/.installed
	rm -rf dist/check
	$(BIN)/python installer/build_bundle.py --out dist/check --targets linux-x86_64 \
	  --python $$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
	sh installer/selftest.sh dist/check/continuity-kit-*
	BUILD_PYTHON=$(BIN)/python sh installer/upgrade-selftest.sh dist/check/continuity-kit-*

bench-snapshot: $(VENV)/.installed
	$(BIN)/python -m bench.bench_snapshot

bench-sync: $(VENV)/.installed $(PEERS)
	$(BIN)/python -m bench.bench_sync

bench-syncthing: $(VENV)/.installed
	$(BIN)/python -m bench.bench_syncthing

# Page images of every paper document, from the demo site (pdftoppm).
forms-images: $(VENV)/.installed
	$(BIN)/python docs/make_forms.py

clean:
	rm -rf $(VENV) $(DEMO_DATA) .mypy_cache .ruff_cache .pytest_cache $(QM)
