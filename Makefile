# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-fast bench bench-big bench-rca lint sample browser-deps java-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

## Start the app on the bundled sample data.
run: $(VENV)/.installed
	$(BIN)/python -m streamlit run app.py

## Debian's Chromium and CJK fonts for the browser tests (installed only when missing).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "Installing chromium and fonts-noto-cjk with apt-get"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium fonts-noto-cjk; \
	fi

## Debian's Java runtime for the Spark engine tests (installed only when java is missing).
java-deps:
	@if ! command -v java >/dev/null 2>&1; then \
		echo "Installing openjdk-17-jre-headless with apt-get"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q openjdk-17-jre-headless; \
	fi

## Every test: unit, anchors, AppTest, Spark engine and real-browser tests.
test: $(VENV)/.dev-installed browser-deps java-deps
	$(BIN)/python -m pytest

## Unit tests only (no browser), for quick iteration.
test-fast: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -m "not browser"

lint: $(VENV)/.dev-installed
	$(BIN)/python -m ruff check ccmetrics tests pages app.py bench

## Regenerate sample_data/ deterministically from its seed.
sample: $(VENV)/.installed
	$(BIN)/python -m ccmetrics.sample

## Benchmark at 1, 5 and 10 million calls beside DuckDB (figures go to docs/PERFORMANCE.md).
## Smaller run: make bench BENCH_ARGS="--sizes 1000000 --rounds 1"
BENCH_ARGS ?=
bench: $(VENV)/.dev-installed
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## Beyond RAM: 50M calls as a Parquet folder (about 1 GB, made once in $CCMETRICS_BENCH_DIR,
## default ~/.cache/ccmetrics-bench; several minutes on 2 cores), then a month's Overview, the
## year's control chart and a one-day drill-down with DuckDB's memory limit (figures go to
## docs/PERFORMANCE.md, "50M calls from Parquet"). Not part of `make test`.
## Smaller run: make bench-big BIG_ARGS="--calls 20000000 --memory-limit 1GB"
BIG_ARGS ?=
bench-big: $(VENV)/.dev-installed
	$(BIN)/python bench/bigdata.py $(BIG_ARGS)

## Root-cause localisation beside RiskLoc on semi-synthetic and call-center incidents
## (figures go to docs/ROOTCAUSE.md). Fewer cases: make bench-rca RCA_ARGS="--cases 5"
RCA_ARGS ?= --cases 20
bench-rca: $(VENV)/.installed
	$(BIN)/python -W ignore bench/rootcause.py $(RCA_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
