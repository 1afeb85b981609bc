# Two commands set everything up on a fresh machine: `make demo` and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test test-fast chromium virtuoso bench lint clean cordis

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev,pandas,pyvis]"
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/kemitraan demo --out out

chromium:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -q && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

virtuoso:  # a second real SPARQL server for tests/test_remote.py
	@test -x /usr/bin/virtuoso-t || { $(SUDO) apt-get update -q && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtuoso-opensource; }

# the suite runs on every core (pytest-xdist); each worker loads the bundled graph once
test: $(STAMP) chromium virtuoso
	$(PY) -m pytest -q -p no:cacheprovider -n auto --durations=10

test-fast: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider -n auto -m "not browser and not slow"

bench: $(STAMP)
	$(PY) benchmarks/bench_store.py
	$(PY) benchmarks/bench_views.py

# CORDIS Horizon 2020 (real data at scale): raw files stay in CORDIS_SRC, the store is CORDIS_STORE.
CORDIS_SRC   ?= ../shared/external/cordis
CORDIS_STORE ?= cordis.oxigraph
CORDIS_NT    := build/cordis/cordis-h2020.nt
cordis: $(STAMP)
	$(PY) examples/cordis/build_cordis.py --source $(CORDIS_SRC) -o $(CORDIS_NT)
	$(VENV)/bin/kemitraan -v --store $(CORDIS_STORE) --no-bundled --data $(CORDIS_NT) stats --top 20

lint: $(STAMP)
	$(VENV)/bin/ruff check kemitraan_graph tests benchmarks examples

clean:
	rm -rf out build dist .pytest_cache
