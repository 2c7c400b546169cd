"""Where the real infrastructure is. `make test` starts it and exports these
variables (deploy/local/infra.sh env); a test that needs one and finds it
missing fails with a message saying so, it never skips."""

from __future__ import annotations

import os

import pytest


def required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(
            f"{name} is not set: run the tests through `make test` (it starts the real "
            'infrastructure), or `eval "$(deploy/local/infra.sh env)"` after `make infra`'
        )
    return value
