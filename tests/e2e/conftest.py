"""What the end-to-end tests share: the services and the gateway as real
processes, and the demo's people signed in at the real Keycloak."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from chorus_cli.demo_people import DemoPeople
from chorus_cli.stack import Stack
from chorus_testing.infra import required_env

from tests.e2e.identities import signed_in_people


@asynccontextmanager
async def running_stack(var: Path, port_offset: int) -> AsyncIterator[Stack]:
    """A stack on its own ports, var dir, databases (PostgreSQL), Redis
    database and Kafka namespace, so it touches neither a `make run` stack
    nor another test's. Its services trust the gateway's key made in the var
    dir and the local Keycloak. The tail of every service log is printed
    when it stops (shown on failure)."""
    required_env("CHORUS_PG_URL")
    required_env("CHORUS_OTEL_TRACES_FILE")
    required_env("CHORUS_OIDC_ISSUER")  # the services' own identities come from there
    stack = Stack(var, port_offset=port_offset, database="postgresql")
    try:
        # Eight processes importing, migrating and joining consumer groups at
        # once: on a busy two-core machine that can take minutes.
        await stack.up(timeout=300)
        yield stack
    finally:
        stack.down()
        for log in sorted((var / "log").glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-15:]
            print(f"--- {log.name}\n" + "\n".join(tail))


@pytest.fixture(scope="session")
def start_stack() -> Callable[[Path, int], AbstractAsyncContextManager[Stack]]:
    return running_stack


@pytest.fixture(scope="session")
def sign_in_people() -> Callable[[Stack, Path], AbstractAsyncContextManager[DemoPeople]]:
    return signed_in_people
