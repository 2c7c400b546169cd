"""`chorus share best-hours` against a real SchedulingService gRPC server (in
its own thread and event loop, since the CLI runs asyncio.run) on SQLite:
the prior with no clicks, the learned hours once enough clicks were counted
(a table and --json), and the errors: bad input, a missing option, a caller
who may not read it."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from chorus_cli.main import acting_as
from chorus_cli.session import use_people
from chorus_cli.share_commands import share_app
from chorus_db import Database, migrate
from chorus_grpc import GrpcServer
from chorus_identity.principal import ANY, Grant, Role, user
from chorus_messaging import Outbox
from chorus_testing.identity import IDENTITY
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.migrations import SCHEMA
from scheduling_service.adapters.stores import SqlStores
from scheduling_service.adapters.waiting import SqlWaitingReader
from scheduling_service.app.use_cases import SchedulingUseCases
from scheduling_service.app.waiting import WaitingShares
from scheduling_service.domain.best_hours import MIN_CLICKS
from scheduling_service.entrypoints import grpc_api
from typer.testing import CliRunner

LEARNED_HOUR = 15  # t1's linkedin audience in eu-west clicks on what goes out then


async def seed(db: Database) -> None:
    """MIN_CLICKS clicks counted for (t1, eu-west, linkedin) at 15:00 local,
    through the store the click handler writes with."""
    now = datetime(2026, 6, 2, tzinfo=UTC)
    async with db.transaction() as transaction:
        engagement = SqlStores().engagement(transaction)
        for index in range(MIN_CLICKS):
            await engagement.count_click(
                "t1", f"click-{index}", "eu-west", "linkedin", LEARNED_HOUR, now
            )


@contextmanager
def scheduling_server(tmp_path: Path) -> Iterator[str]:
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict[str, Any] = {}

    async def start() -> None:
        db = Database(f"sqlite:///{tmp_path}/scheduling.db")
        await migrate(db, SCHEMA)
        await seed(db)
        use_cases = SchedulingUseCases(db, SqlStores(), OutboxShareEvents(Outbox("s@test")))
        binding = grpc_api.binding(use_cases, WaitingShares(SqlWaitingReader(db)))
        server = GrpcServer(0, [binding], verifier=IDENTITY.verifier)
        await server.start()
        state.update(server=server, db=db)
        ready.set()

    thread = threading.Thread(
        target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True
    )
    thread.start()
    assert ready.wait(30)
    try:
        yield f"127.0.0.1:{state['server'].port}"
    finally:

        async def stop() -> None:
            await state["server"].stop(0)
            await state["db"].dispose()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)


PEOPLE = {
    "alice": IDENTITY.credentials(
        user("alice", "t1", Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]))
    ),
    "emp": IDENTITY.credentials(user("emp-sub", "t1", Role.EMPLOYEE, employee_id="emp-1")),
    "rev": IDENTITY.credentials(user("rev-sub", "t1", Grant.of(Role.REVIEWER, steps=[ANY]))),
}


@pytest.fixture
def scheduling_addr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with scheduling_server(tmp_path) as address:
        monkeypatch.setenv("CHORUS_SCHEDULING_ADDR", address)
        monkeypatch.setenv("COLUMNS", "200")
        with use_people(PEOPLE, default="alice"):
            yield address


def cli() -> typer.Typer:
    app = typer.Typer()
    app.callback()(acting_as)  # the global --as option
    app.add_typer(share_app, name="share")
    return app


def chorus(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli(), [*args, "--tenant", "t1"])
    assert result.exit_code == code, result.output
    return result.output


def test_the_prior_until_clicks_come_in(scheduling_addr: str) -> None:
    shown = chorus("share", "best-hours", "--region", "eu-west", "--network", "bluesky")
    assert "best local hours for eu-west on bluesky: 09:00-10:00, 10:00-11:00, 11:00-12:00" in (
        shown
    )
    assert "basis: prior: weekday mornings local time, 0 clicks" in shown
    assert f"clicks: 0, enough data: no ({MIN_CLICKS} needed)" in shown
    rows = [line for line in shown.splitlines() if "-" in line and ":00" in line and "%" in line]
    assert len(rows) == 24
    assert "#1" in next(r for r in rows if "09:00-10:00" in r)

    # An employee may look too: it is an aggregate, nobody's own activity.
    mine = chorus("--as", "emp", "share", "best-hours", "--region", "eu-west", "--network", "x")
    assert "best local hours for eu-west on x:" in mine


def test_learned_hours_with_enough_clicks_as_json(scheduling_addr: str) -> None:
    shown = chorus("share", "best-hours", "--region", "eu-west", "--network", "LinkedIn")
    assert "best local hours for eu-west on linkedin: 15:00-16:00" in shown
    assert f"basis: learned from {MIN_CLICKS} clicks" in shown
    assert f"clicks: {MIN_CLICKS}, enough data: yes" in shown

    found = json.loads(
        chorus("share", "best-hours", "--region", "eu-west", "--network", "linkedin", "--json")
    )
    assert (found["region"], found["network"], found["clicks"]) == ("eu-west", "linkedin", "500")
    assert found["best"][0] == LEARNED_HOUR and len(found["best"]) == 3
    assert len(found["shares"]) == 24 and sum(found["shares"]) == pytest.approx(1)
    assert (found["enough_data"], found["prior_only"]) == (True, False)
    # Another region learns nothing from eu-west's clicks.
    other = json.loads(
        chorus("share", "best-hours", "--region", "us-east", "--network", "linkedin", "--json")
    )
    assert (other["clicks"], other["prior_only"]) == ("0", True)


def test_errors(scheduling_addr: str) -> None:
    bad = chorus("share", "best-hours", "--region", "eu-west", "--network", "myspace", code=1)
    assert "INVALID_ARGUMENT" in bad and "network" in bad
    blank = chorus("share", "best-hours", "--region", " ", "--network", "x", code=1)
    assert "INVALID_ARGUMENT" in blank and "region" in blank
    missing = chorus("share", "best-hours", "--network", "x", code=2)
    assert "--region" in missing
    refused = chorus(
        "--as", "rev", "share", "best-hours", "--region", "eu-west", "--network", "x", code=1
    )
    assert "PERMISSION_DENIED" in refused
