"""Running the demo from the command line (`chorus demo`, `make run`) and
telling its watcher how to sign in as each of its people afterwards."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import grpc
import typer
from rich.console import Console

from chorus_cli.common import telemetry
from chorus_cli.demo import CampaignResult, run_campaign
from chorus_cli.demo_people import (
    COMMS,
    SAML_REALM_FILE,
    TENANT,
    Ambassadors,
    DemoPeople,
    realm_users,
)
from chorus_cli.oauth import SignInError
from chorus_cli.report import RichReporter
from chorus_cli.session import CliIdentity
from chorus_cli.stack import repo_root

ROLE_NAMES = {
    "tenant_admin": "tenant admin",
    "comms_manager": "comms manager",
    "reviewer": "reviewer",
    "moderator": "moderator",
    "employee": "employee",
}


async def _run(console: Console, signing_key: Path, employees: int, seed: int) -> CampaignResult:
    report = RichReporter(console)
    identity = CliIdentity.from_env()
    people = DemoPeople(None, identity, Ambassadors.from_key_file(signing_key))
    try:
        report.step("0. The demo's people sign in (device code flow, each approving as themself)")
        await people.sign_in(repo_root())
        report.info(f"signed in; tokens cached for the CLI in {people.cache.dir}")
        return await run_campaign(
            people,
            pds_url=os.environ.get("CHORUS_BLUESKY_PDS_URL", "http://127.0.0.1:2583"),
            report=report,
            employees=employees,
            seed=seed,
            region=os.environ.get("CHORUS_REGION", "eu-west"),
        )
    finally:
        await people.close()


def run_demo(console: Console, signing_key: Path, employees: int, seed: int) -> CampaignResult:
    handle = telemetry()
    try:
        return asyncio.run(_run(console, signing_key, employees, seed))
    except grpc.aio.AioRpcError as error:
        console.print(f"[red]{error.code().name}[/red]: {error.details()}")
        raise typer.Exit(1) from None
    except SignInError as error:
        console.print(f"[red]sign-in failed[/red]: {error}")
        raise typer.Exit(1) from None
    finally:
        handle.shutdown()


def print_sign_in_help(console: Console, gateway_url: str) -> None:
    """Who is who in the local realm, with the dev passwords (the realm file's)."""
    identity = CliIdentity.from_env()
    console.rule("[bold]Sign in as any of the demo's people")
    console.print(f"tenant {TENANT}; identity provider {identity.issuer}")
    for person in realm_users(repo_root()).values():
        roles = ", ".join(ROLE_NAMES.get(r, r) for r in person.roles if r in ROLE_NAMES)
        console.print(
            f"  {person.username:<16} {person.password:<22} {roles:<15} tenant {person.tenant}"
        )
    for person in realm_users(repo_root(), SAML_REALM_FILE).values():
        console.print(
            f"  {person.username:<16} {person.password:<22} {'employee, SAML':<15} "
            f"tenant {person.tenant} (sign-in page: the saml-idp button)"
        )
    console.print(f"gateway (HTTP API, OpenAPI at /openapi.json): {gateway_url}")
    console.print(f"your account page: {identity.issuer}/account")
    console.print(
        f"CLI: [bold]uv run chorus login --user {COMMS}[/bold] (a code to approve in a browser), "
        f"then e.g. [bold]uv run chorus --as {COMMS} leaderboard[/bold]; `chorus whoami`, "
        "`chorus users`, `chorus logout`. The demo's people are signed in already."
    )
