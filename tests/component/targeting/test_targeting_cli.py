"""The `chorus` targeting commands against a real TargetingService (gRPC
server in its own thread and event loop, since the CLI runs asyncio.run)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from chorus_cli.main import acting_as
from chorus_cli.session import use_people
from chorus_cli.targeting_commands import targeting_apps
from chorus_db import Database, migrate
from chorus_grpc import GrpcServer
from chorus_messaging import Outbox
from chorus_testing.directory import generate_directory_csv, inject_malformed_rows
from chorus_testing.identity import IDENTITY, admin
from targeting_service import composition
from targeting_service.adapters.migrations import SCHEMA
from targeting_service.entrypoints import grpc_api
from typer.testing import CliRunner


@pytest.fixture
def targeting_addr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict[str, Any] = {}

    async def start() -> None:
        db = Database(f"sqlite:///{tmp_path}/targeting.db")
        await migrate(db, SCHEMA)
        outbox = Outbox("chorus/targeting@local")
        use_cases = composition.build(db, "local", outbox).use_cases
        server = GrpcServer(0, [grpc_api.binding(use_cases)], verifier=IDENTITY.verifier)
        await server.start()
        state.update(server=server, db=db)
        ready.set()

    thread = threading.Thread(
        target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True
    )
    thread.start()
    assert ready.wait(30)
    address = f"127.0.0.1:{state['server'].port}"
    monkeypatch.setenv("CHORUS_TARGETING_ADDR", address)
    # The CLI acts as tenant t's admin unless told otherwise (--as).
    people = {
        "admin.t": IDENTITY.credentials(admin("t")),
        "admin.u": IDENTITY.credentials(admin("u", subject="admin-u")),
    }
    with use_people(people, default="admin.t"):
        yield address

    async def stop() -> None:
        await state["server"].stop(0)
        await state["db"].dispose()

    asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(30)


def cli() -> typer.Typer:
    app = typer.Typer()
    app.callback()(acting_as)  # the global --as option
    for name, sub in targeting_apps:
        app.add_typer(sub, name=name)
    return app


def test_import_preview_segments_channels_and_erasure(targeting_addr: str, tmp_path: Path) -> None:
    text, broken = inject_malformed_rows(
        generate_directory_csv(3000, seed=9, extended=True), 2, seed=9
    )
    export = tmp_path / "hr.csv"
    export.write_text(text.replace("external_id,", "Employee Number,", 1))
    runner = CliRunner()
    dry = runner.invoke(
        cli(),
        [
            "directory",
            "import",
            str(export),
            "--tenant",
            "t",
            "--map",
            "Employee Number=external_id",
            "--dry-run",
        ],
    )
    assert dry.exit_code == 0, dry.output
    assert "dry run: would have 2998 created" in dry.output
    done = runner.invoke(
        cli(),
        [
            "directory",
            "import",
            str(export),
            "--tenant",
            "t",
            "--map",
            "Employee Number=external_id",
        ],
    )
    assert "2998 created, 0 updated, 0 deactivated, 2 rejected" in done.output
    assert all(f"line {line}:" in done.output for line in broken)
    preview = runner.invoke(
        cli(),
        [
            "audience",
            "preview",
            "--tenant",
            "t",
            "--segment",
            'country = "FR" and not group = "Contractors"',
        ],
    )
    assert (
        preview.exit_code == 0
        and "by network" in preview.output
        and "Europe/Paris" in preview.output
    )
    bad = runner.invoke(cli(), ["segment", "check", 'country = "FR" and\nsalary > 1'])
    assert bad.exit_code == 1 and "line 2, column 1: unknown attribute 'salary'" in bad.output
    saved = runner.invoke(cli(), ["segment", "save", "France", 'country = "FR"', "--tenant", "t"])
    assert " v1: France" in saved.output
    channel = runner.invoke(cli(), ["channel", "create", "Careers", "--mandatory", "--tenant", "t"])
    assert "(mandatory)" in channel.output
    assert "Careers" in runner.invoke(cli(), ["channel", "list", "--tenant", "t"]).output
    token = runner.invoke(cli(), ["scim", "issue-token", "--tenant", "t"])
    assert token.output.startswith("chorus_scim_")
    refused = runner.invoke(cli(), ["employee", "erase", "nobody", "--tenant", "t"])
    assert refused.exit_code == 2
    # Another tenant's admin, signed in too, is refused tenant t's directory.
    other = runner.invoke(cli(), ["--as", "admin.u", "channel", "list", "--tenant", "t"])
    assert other.exit_code == 1 and "PERMISSION_DENIED" in other.output, other.output
    assert "Careers" not in other.output
