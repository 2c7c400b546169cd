# Chorus — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
INFRA := deploy/local/infra.sh
# Every target that talks to the infrastructure loads its addresses first.
WITH_ENV := set -a && eval "$$($(INFRA) env)" && set +a &&

.PHONY: help setup pysetup infra run stop test test-e2e bench proto proto-check lint typecheck

help:
	@echo "make run    set up, start infrastructure and all services, run the demo campaign (Ctrl-C stops)"
	@echo "make test   set up, start infrastructure, run the tests (unit, authz, component, contract, integration)"
	@echo "make test-e2e  the end-to-end tests: the whole stack as processes, Keycloak, schemathesis"
	@echo "make bench  benchmarks, each against a baseline measured in the same run"
	@echo "make stop   stop services and infrastructure"
	@echo "make setup | infra | proto | lint"

setup:
	@deploy/local/setup.sh

# The Python workspace alone (uv and the locked dependencies): enough to lint.
pysetup:
	@deploy/local/setup.sh python

infra: setup
	@$(INFRA) start

run: infra
	@$(WITH_ENV) uv run --no-sync chorus stack run-demo

stop:
	@-uv run --no-sync chorus stack down 2>/dev/null
	@$(INFRA) stop

# The suite against real Kafka, Redis, PostgreSQL, Apertium, Keycloak, the
# Bluesky PDS and the collector; the infrastructure is stopped again
# afterwards. Two targets, each well under 30 minutes on two cores: the
# end-to-end tests (the stack started as processes) are their own.
test: infra
	@rc=0; $(WITH_ENV) uv run --no-sync pytest --ignore=tests/e2e $(PYTEST_ARGS) || rc=$$?; \
	  $(INFRA) stop >/dev/null 2>&1 || true; exit $$rc

test-e2e: infra
	@rc=0; $(WITH_ENV) uv run --no-sync pytest tests/e2e $(PYTEST_ARGS) || rc=$$?; \
	  $(INFRA) stop >/dev/null 2>&1 || true; exit $$rc

# Every bench/*.py prints absolute figures and a ratio to a baseline measured
# in the same run (these machines are shared and noisy).
bench: infra
	@$(WITH_ENV) for b in bench/*.py; do echo "== $$b"; uv run --no-sync python $$b || exit 1; done

proto:
	@uv run --no-sync python libs/chorus-protos/generate.py

proto-check: pysetup
	@uv run --no-sync python libs/chorus-protos/generate.py --check

# mypy over libs/, services/ and tests/ with the settings in pyproject.toml [tool.mypy].
typecheck: pysetup
	@uv run --no-sync mypy

# Format, lint and types: all three must be clean (mypy's config is in pyproject.toml).
lint: proto-check typecheck
	@uv run --no-sync ruff format --check .
	@uv run --no-sync ruff check .
