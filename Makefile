# Two entry points (see README): `make card` and `make test`. Both bootstrap .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Public benchmark copies for tests and benchmarks, when they sit beside the checkout.
SHARED_DATA := $(wildcard ../shared/data)
export TONY_DATA_DIR ?= $(SHARED_DATA)

.PHONY: setup card test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "tony needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# llama-cpp-python compiles from source the first time (5-8 minutes on 2 cores); pip caches the wheel.
	CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc 2>/dev/null || echo 2) $(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

card: $(STAMP)
	$(BIN)/tony card --out card

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/provider_throughput.py

clean:
	rm -rf $(VENV) card
