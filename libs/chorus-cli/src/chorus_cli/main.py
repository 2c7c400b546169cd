"""`chorus`: drive the platform from a terminal.

chorus login [--user NAME] | logout | whoami | users   sign in (device code flow)
chorus --as NAME <command>               act as another signed-in user
chorus stack up|down|status|run-demo     the local services as processes
chorus demo                              a demo campaign on a running stack
chorus post create|submit|approve|get    content
chorus campaign create|list|show|goals   campaigns (content)
chorus campaign pilot|widen|end ID       a campaign's phases
chorus calendar show|export              the editorial calendar (content), .ics export
chorus share best-hours --region R --network N   the best local hours (scheduling)
chorus directory import FILE             targeting (CSV, with progress)
chorus audience preview --country FR     targeting
chorus leaderboard | stats POST | trace TRACE_ID
chorus db revision SERVICE -m MSG         a new schema migration revision
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

import typer
from chorus.gamification.v1 import gamification_service_pb2 as gamification_pb
from chorus.metrics.v1 import metrics_service_pb2 as metrics_pb

from chorus_cli.calendar_commands import calendar_app
from chorus_cli.campaign_commands import campaign_app
from chorus_cli.clients import Clients
from chorus_cli.common import TenantOption, console, run
from chorus_cli.content_commands import content_apps, post_app
from chorus_cli.db_commands import db_app
from chorus_cli.login_commands import register as register_login
from chorus_cli.report import RichReporter
from chorus_cli.session import select_user
from chorus_cli.share_commands import share_app
from chorus_cli.stack import SERVICES, Stack
from chorus_cli.targeting_commands import targeting_apps
from chorus_cli.traces import spans_of

app = typer.Typer(help="Chorus command line", no_args_is_help=True)
stack_app = typer.Typer(help="Run the services locally as processes", no_args_is_help=True)
app.add_typer(stack_app, name="stack")
app.add_typer(post_app, name="post")
app.add_typer(campaign_app, name="campaign")
app.add_typer(calendar_app, name="calendar")
app.add_typer(share_app, name="share")
app.add_typer(db_app, name="db")
for name, sub in [*content_apps, *targeting_apps]:
    app.add_typer(sub, name=name)
register_login(app)


@app.callback()
def acting_as(
    as_user: str = typer.Option(
        "",
        "--as",
        envvar="CHORUS_CLI_USER",
        help="act as this signed-in user (default: who signed in last)",
    ),
) -> None:
    """Every command acts as a signed-in person: `chorus login` first."""
    select_user(as_user)


@stack_app.command("up")
def stack_up() -> None:
    """Start the services and the gateway (infrastructure must be running: `make infra`)."""
    stack = Stack()
    asyncio.run(stack.up())
    for spec in SERVICES:
        console.print(
            f"{spec.name:<13} {stack.address(spec.name)}  log: {stack.var}/log/{spec.name}.log"
        )
    console.print(f"gateway HTTP  {stack.gateway_url}")


@stack_app.command("down")
def stack_down() -> None:
    Stack().down()


@stack_app.command("status")
def stack_status() -> None:
    stack = Stack()
    for spec in SERVICES:
        state = "[green]running[/green]" if stack.running(spec.name) else "[red]stopped[/red]"
        console.print(f"{spec.name:<13} {stack.address(spec.name)}  {state}")


@stack_app.command("run-demo")
def stack_run_demo(
    employees: int = 300,
    keep_running: bool = typer.Option(True, help="wait for Ctrl-C after the demo"),
) -> None:
    """Start the services, run the demo campaign, keep running until Ctrl-C."""
    from chorus_cli.demo_commands import print_sign_in_help, run_demo

    stack = Stack()
    console.rule("[bold]Starting the Chorus services")
    asyncio.run(stack.up())
    os.environ.update(stack.client_env())
    try:
        run_demo(console, stack.identity().signing_key, employees, seed=7)
        if keep_running:
            print_sign_in_help(console, stack.gateway_url)
            console.print("\nEverything is still running. Press Ctrl-C (or `make stop`) to stop.")
            try:
                # Stay up while the services do; `make stop` elsewhere ends them.
                while any(stack.running(spec.name) for spec in SERVICES):
                    time.sleep(1.0)
                console.print("services stopped")
            except KeyboardInterrupt:
                pass
    finally:
        console.print("stopping services...")
        stack.down()


@app.command()
def demo(employees: int = 300, seed: int = 7) -> None:
    """Run the demo campaign against a running stack, as its people."""
    from chorus_cli.demo_commands import print_sign_in_help, run_demo

    stack = Stack()
    run_demo(console, stack.identity().signing_key, employees, seed)
    print_sign_in_help(console, os.environ.get("CHORUS_GATEWAY_URL", stack.gateway_url))


@app.command()
def leaderboard(limit: int = 10, tenant: str = TenantOption) -> None:
    reply = run(
        lambda c: c.gamification.GetLeaderboard(
            gamification_pb.GetLeaderboardRequest(tenant_id=tenant, limit=limit)
        )
    )
    RichReporter(console).table(
        "Leaderboard",
        ["rank", "employee", "points"],
        [(e.rank, e.employee_id, e.points) for e in reply.entries],
    )


@app.command()
def stats(
    post_id: str = typer.Argument("", help="a post id; empty = the whole tenant"),
    tenant: str = TenantOption,
) -> None:
    async def fetch(c: Clients) -> Any:
        if post_id:
            return await c.metrics.GetPostStats(
                metrics_pb.GetPostStatsRequest(tenant_id=tenant, post_id=post_id)
            )
        return await c.metrics.GetTenantStats(metrics_pb.GetTenantStatsRequest(tenant_id=tenant))

    reply = run(fetch)
    RichReporter(console).table(
        f"{reply.shares} shares, {reply.clicks} clicks",
        ["country", "shares", "clicks"],
        [(k, v.shares, v.clicks) for k, v in sorted(reply.by_country.items())],
    )


@app.command("trace")
def show_trace(trace_id: str) -> None:
    """Print one trace, span by span, from the collector's output file."""
    spans = spans_of(trace_id)
    if not spans:
        console.print(f"no spans for {trace_id} in the collector output yet")
        raise typer.Exit(1)
    start = spans[0].start_ns
    for span in spans:
        console.print(f"+{(span.start_ns - start) / 1e6:9.1f} ms  {span.service:<20} {span.name}")
    console.print(f"{len(spans)} spans from {len({s.service for s in spans})} services")


if __name__ == "__main__":
    app()
