# Two commands for a fresh machine:
#   make demo   the main job (creates .venv and installs what it needs on first use)
#   make test   the whole test suite (the same command CI runs)
# Both are idempotent: the venv is rebuilt only when setup.cfg/pyproject.toml change.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?= -n 2

.PHONY: install data docs docs-tools lint test test-portability test-other-kernel test-thorough test-slow test-cuda demo milestones bench bench-quick clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# The book's own d2l package (0.17.6, the edition whose helpers the companion follows) is the
# reference the companion is tested against; its metadata pins numpy 1.21 and pandas 1.2, so it
# is installed without dependencies (setup.cfg's test extra lists what it imports).
BOOK_D2L := d2l==0.17.6

$(STAMP): setup.cfg pyproject.toml Makefile | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[reference,test,plots,lint]'
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps '$(BOOK_D2L)'
	touch $(STAMP)

install: $(STAMP)

DOCS_STAMP := $(VENV)/.installed-docs
$(DOCS_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[reference,test,plots,docs]'
	touch $(DOCS_STAMP)

# Graphviz draws the computation graphs of the docs when its `dot` is installed (installed here
# when we can, as the data set is); otherwise tinygrad_edu.viz draws them with matplotlib. MathJax
# (npm) renders the formulas without a network; without it the site loads it from its CDN.
docs-tools:
	@if command -v dot >/dev/null 2>&1; then \
	  echo "graphviz: found $$(command -v dot)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "graphviz: installing Debian's graphviz"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null) \
	    || echo "graphviz: apt-get failed; graphs will be drawn with matplotlib"; \
	else \
	  echo "graphviz: not installed and cannot apt-get (needs root); graphs will be drawn with matplotlib"; \
	fi
	@if [ -f $(VENV)/mathjax/node_modules/mathjax/es5/tex-mml-chtml.js ]; then \
	  echo "mathjax: found in $(VENV)/mathjax"; \
	elif command -v npm >/dev/null 2>&1; then \
	  echo "mathjax: installing npm's mathjax@3.2.2 into $(VENV)/mathjax"; \
	  npm install --no-save --no-audit --no-fund --silent --prefix $(VENV)/mathjax mathjax@3.2.2 \
	    || echo "mathjax: npm failed; the site will load MathJax from its CDN"; \
	else \
	  echo "mathjax: no npm; the site will load MathJax from its CDN"; \
	fi

# The documentation site into site/: Sphinx + MyST-NB, warnings are errors, every notebook page
# executed (cached in site/.jupyter_cache, so a rebuild reruns only changed notebooks).
docs: $(DOCS_STAMP) data docs-tools
	@start=$$(date +%s); \
	OPENBLAS_NUM_THREADS=1 $(VENV)/bin/sphinx-build -E -W --keep-going -q -b html -d site/.doctrees docs site \
	  && echo "make docs: site/index.html built in $$(( $$(date +%s) - start )) s"

# Real Fashion-MNIST from Debian (/usr/share/datasets/fashion-mnist) when we can install it;
# everything also runs without it, on the sample bundled with the package.
data:
	@if [ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then \
	  echo "Fashion-MNIST: found in /usr/share/datasets/fashion-mnist"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Fashion-MNIST: installing Debian's dataset-fashion-mnist"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null) \
	    || echo "Fashion-MNIST: apt-get failed; using the bundled sample"; \
	else \
	  echo "Fashion-MNIST: not installed and cannot apt-get (needs root); using the bundled sample"; \
	fi

# One BLAS thread per pytest-xdist worker (see parity_tests/conftest.py); speed is measured in benchmarks/.
TEST_ENV := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
OTHER_CORETYPE ?= Prescott
TRAJECTORY_TESTS := parity_tests/test_training.py parity_tests/test_training_rnn.py \
	parity_tests/test_training_modern.py parity_tests/test_d2l_compat.py

test: install data
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

# ruff (pyflakes, bugbear, NumPy's rules, static errors) over the tree; mypy over tinygrad_edu/,
# strict on the core (tensor.py, autograd.py, ops/). The rule choices are explained in pyproject.toml.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# The training and chapter comparisons under every OpenBLAS kernel this processor runs, at 1 and 2
# BLAS threads, as a table (parity_tests/portability.py); about 3 minutes a cell.
test-portability: install data
	$(PY) -m parity_tests.portability $(PORTABILITY_ARGS)

# The same tests under one other kernel than the environment's (CI runs this after make test).
test-other-kernel: install data
	$(TEST_ENV) OPENBLAS_CORETYPE=$(OTHER_CORETYPE) $(PY) -m pytest $(PYTEST_ARGS) $(TRAJECTORY_TESTS)

test-thorough: install data
	$(TEST_ENV) HYPOTHESIS_PROFILE=thorough $(PY) -m pytest $(PYTEST_ARGS)

test-slow: install data
	$(TEST_ENV) $(PY) -m pytest -m "slow and not alone" $(PYTEST_ARGS)
	$(TEST_ENV) $(PY) -m pytest -m "slow and alone"

test-cuda: install
	$(TEST_ENV) $(PY) -m pytest -m cuda $(PYTEST_ARGS)

# The main job: LeNet on tinygrad_edu and PyTorch side by side from identical weights (full
# Fashion-MNIST when installed, else the bundled sample); about a minute on 2 cores.
demo: install data
	$(PY) -m tinygrad_edu compare $(DEMO_ARGS)

# Both backends per op, per tiny-op overhead and per training epoch: benchmarks/results/{results.json,results.md,*.png}
bench: install data
	$(PY) -m benchmarks $(BENCH_ARGS)

bench-quick: install data
	$(PY) -m benchmarks --quick $(BENCH_ARGS)

# d2l's 10-epoch results on the full Fashion-MNIST, both backends (slow: several minutes).
milestones: install data
	$(PY) examples/d2l_milestones.py

clean:
	rm -rf $(VENV) .hypothesis .pytest_cache build *.egg-info
