"""What every `chorus` command shares: the console, the tenant option and
how a command runs its gRPC calls (as the signed-in person, with telemetry
and clean error output)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import grpc
import typer
from rich.console import Console

from chorus_cli.clients import Clients
from chorus_cli.oauth import SignInError

console = Console()
T = TypeVar("T")

# Empty: the signed-in person's own tenant (the services take it from the
# token; naming another tenant is refused).
TenantOption = typer.Option(
    os.environ.get("CHORUS_TENANT", ""),
    "--tenant",
    help="tenant id (env CHORUS_TENANT; default: the signed-in person's)",
)


def telemetry() -> Any:
    # The CLI is the first hop of a demo's trace, so it exports spans too.
    os.environ.setdefault("CHORUS_LOG_LEVEL", "WARNING")
    from chorus_telemetry import setup_telemetry

    global _TELEMETRY
    _TELEMETRY = setup_telemetry("cli", os.environ.get("CHORUS_REGION", "eu-west"), "local")
    return _TELEMETRY


_TELEMETRY: Any = None


def run(work: Callable[[Clients], Awaitable[T]]) -> T:
    async def main() -> T:
        clients = Clients()
        try:
            return await work(clients)
        finally:
            await clients.close()

    try:
        return asyncio.run(main())
    except grpc.aio.AioRpcError as error:
        console.print(f"[red]{error.code().name}[/red]: {error.details()}")
        raise typer.Exit(1) from None
    except SignInError as error:
        console.print(f"[red]not signed in[/red]: {error}")
        raise typer.Exit(1) from None
    finally:
        if _TELEMETRY is not None:
            _TELEMETRY.shutdown()
