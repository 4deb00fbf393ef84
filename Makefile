# yiwang — one network for a district's government services.
# `make run` starts the whole platform; `make test` installs and runs every test.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
SERVICES := identity-svc catalog-svc intake-svc hotline-svc evaluation-svc licence-svc
PACKAGES := shared $(SERVICES) gateway
PYPROJECTS := $(foreach p,$(PACKAGES),$(p)/pyproject.toml)

.DEFAULT_GOAL := help
.PHONY: help install lock pin-images mypy run test test-clock test-shared test-services test-gateway test-web test-e2e migrate demo lint bench bench-services bench-capacity bench-events bench-floor bench-scale drills clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "yiwang needs Python 3.11 or newer (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Every third-party package comes from the lock file, pinned and hashed; our own packages are then
# installed without dependencies (so a dependency missing from the lock fails `pip check`).
# The build backend comes from its own lock too, and nothing is built in isolation (which would
# fetch the newest setuptools unpinned): jieba's sdist and our packages build with it.
$(STAMP): $(PY) $(PYPROJECTS) requirements/dev.lock requirements/build.lock
	$(PIP) install --quiet --require-hashes -r requirements/build.lock
	$(PIP) install --quiet --require-hashes --no-build-isolation -r requirements/dev.lock
	$(PIP) install --quiet --no-deps --no-build-isolation $(foreach p,$(PACKAGES),-e ./$(p))
	$(PIP) check
	@touch $(STAMP)

NO_EMIT := $(foreach p,shared identity catalog intake hotline evaluation licence gateway,--no-emit-package yiwang-$(p))
LOCK := $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes $(NO_EMIT)

pin-images: $(STAMP) ## Pin the Dockerfiles' base images by digest (where Docker Hub answers; review and commit the diff)
	$(PY) tools/pin_images.py

lock: $(STAMP) ## Re-resolve requirements/*.lock after a dependency change in a pyproject.toml or requirements-dev.txt (UPGRADE=1: newest versions)
	$(LOCK) $(if $(UPGRADE),--upgrade) requirements/runtime.in -o requirements/runtime.lock
	$(LOCK) $(if $(UPGRADE),--upgrade) requirements/dev.in -o requirements/dev.lock
	$(LOCK) $(if $(UPGRADE),--upgrade) requirements/build.in -o requirements/build.lock

install: $(STAMP) ## Create the virtual environment and install every package

run: $(STAMP) ## Start NATS (if none answers), migrate, load demo data, start every service and the gateway
	$(PY) tools/run.py

migrate: $(STAMP) ## Run every service's migrations (SQLite under var/ unless <SVC>_DATABASE_URL is set)
	$(PY) tools/migrate.py

demo: $(STAMP) ## Load the demo data (idempotent)
	$(PY) tools/demo.py

test: $(STAMP) ## Run every test: shared, each service, gateway, compose checks and end-to-end
	$(PY) tools/run_tests.py

test-clock: $(STAMP) ## The clock-sensitive suites at awkward instants (month end, year end, a holiday, 2027); AT=name SUITES="..." to narrow
	$(PY) tools/test_clock.py $(foreach a,$(AT),--at $(a)) $(SUITES)

test-shared: $(STAMP) ## Only shared's tests
	$(PY) tools/run_tests.py shared

test-services: $(STAMP) ## Only the five services' own tests (side by side, as in make test)
	$(PY) tools/run_tests.py $(SERVICES)

test-gateway: $(STAMP) ## Only the gateway's tests
	$(PY) tools/run_tests.py gateway

test-web: $(STAMP) ## Only the front end: its checks (types, Vitest, build, JS budget) and the browser journeys
	$(PY) tools/run_tests.py tests/web tests/browser

test-e2e: $(STAMP) ## Only the end-to-end tests (real processes through the gateway)
	$(PY) tools/run_tests.py tests/e2e

.PHONY: api-snapshot
api-snapshot: $(STAMP) ## Refresh docs/api/openapi.json from a live platform (commit it after an intended API change)
	$(PY) tools/contract/snapshot.py

lint: $(STAMP) ## ruff (lint and format), mypy, the import contracts, the service shape and the API document's rules
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@$(MAKE) --no-print-directory mypy
	$(VENV)/bin/lint-imports --no-cache
	$(PY) tools/lint_shape.py
	$(PY) tools/lint_openapi.py

mypy: $(STAMP) ## mypy on every src/ and the provider simulators (strict settings in pyproject.toml)
	$(foreach p,$(PACKAGES),$(VENV)/bin/mypy $(p)/src &&) $(VENV)/bin/mypy simulators --exclude 'simulators/tests/'

bench: $(STAMP) ## Gateway throughput and latency side by side with nginx
	$(PY) bench/gateway/run.py

bench-services: $(STAMP) ## Catalogue search, intake flows, hotline, evaluation (SQLite; see bench/*/README.md)
	$(PY) bench/catalog_search/run.py
	$(PY) bench/intake_flow/run.py
	$(PY) bench/hotline/run.py
	$(PY) bench/evaluation/run.py

bench-capacity: $(STAMP) ## Sustained throughput and CPU per flow on PostgreSQL, for sizing (bench/capacity; QUICK=1 for 10 s per flow)
	$(PY) bench/capacity/run.py --sizing $(if $(QUICK),--quick)

bench-events: $(STAMP) ## Event latency outbox → consumer, p50/p99 per event type at 1 and 8 clients (SQLite; PostgreSQL too with TEST_POSTGRES_URL)
	$(PY) bench/events/run.py $(if $(TEST_POSTGRES_URL),--postgres $(TEST_POSTGRES_URL))

bench-floor: $(STAMP) ## Every write step as a multiple of the floor: SQL statements, CPU, p50 (SQLite; PostgreSQL too with TEST_POSTGRES_URL)
	$(PY) bench/floor/run.py $(if $(TEST_POSTGRES_URL),--postgres $(TEST_POSTGRES_URL))

bench-scale: $(STAMP) ## Every list/supervision/indicator/ranking GET at 10,000 and 1,000,000 rows, ratio ≤ 2× (SQLite; PostgreSQL too with TEST_POSTGRES_URL; QUICK=1: 2,000 and 20,000)
	$(PY) bench/scale/run.py $(if $(QUICK),--sizes 2000,20000 --n 5) $(if $(TEST_POSTGRES_URL),--postgres $(TEST_POSTGRES_URL))

drills: $(STAMP) ## Reliability and security drills on real processes (SQLite, and PostgreSQL with TEST_POSTGRES_URL; FULL=1 for issue 8's sizes)
	$(PY) -m drills.run $(if $(FULL),--full)

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var
