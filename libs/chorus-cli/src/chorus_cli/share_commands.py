"""`chorus share ...`: the scheduling service's shares. `best-hours`: the
best local hours to share for a region and network, learned from clicks
(a documented prior until there is enough data), with the data they rest
on. main.py mounts `share_app` as `share`."""

from __future__ import annotations

import json

import typer
from chorus.scheduling.v1 import scheduling_service_pb2 as scheduling_pb
from google.protobuf.json_format import MessageToDict
from rich.markup import escape

from chorus_cli.common import TenantOption, console, run
from chorus_cli.report import RichReporter

share_app = typer.Typer(help="Shares (scheduling): the best local hours", no_args_is_help=True)
BAR = 40  # characters for the busiest hour


def hour_span(hour: int) -> str:
    return f"{hour:02d}:00-{(hour + 1) % 24:02d}:00"


def hour_rows(reply: scheduling_pb.GetBestHoursResponse) -> list[list[str]]:
    """One row per local hour: its share of the engagement, as a percentage
    and a bar scaled to the busiest hour, and its rank among the best."""
    top = max(reply.shares, default=0.0) or 1.0
    rank = {hour: index + 1 for index, hour in enumerate(reply.best)}
    return [
        [
            hour_span(hour),
            f"{share:6.1%}",
            "#" * round(BAR * share / top),
            f"#{rank[hour]}" if hour in rank else "",
        ]
        for hour, share in enumerate(reply.shares)
    ]


@share_app.command("best-hours")
def best_hours(
    region: str = typer.Option(..., "--region", help="the employees' home region, e.g. eu-west"),
    network: str = typer.Option(..., "--network", help="bluesky, linkedin, x, ..."),
    as_json: bool = typer.Option(False, "--json", help="the response as JSON, for scripts"),
    tenant: str = TenantOption,
) -> None:
    """The best local hours to share (each employee's own timezone), and what they rest on."""
    reply = run(
        lambda c: c.scheduling.GetBestHours(
            scheduling_pb.GetBestHoursRequest(tenant_id=tenant, region=region, network=network)
        )
    )
    if as_json:
        # Every field, defaults too: a script reads `prior_only: false`
        # rather than guessing from a missing key.
        print(
            json.dumps(
                MessageToDict(
                    reply,
                    preserving_proto_field_name=True,
                    always_print_fields_with_no_presence=True,
                ),
                indent=2,
            )
        )
        return
    best = ", ".join(hour_span(h) for h in reply.best)
    console.print(f"best local hours for {escape(reply.region)} on {reply.network}: {best}")
    console.print(f"basis: {escape(reply.basis)}")
    enough = "yes" if reply.enough_data else f"no ({reply.min_clicks} needed)"
    console.print(
        f"clicks: {reply.clicks}, enough data: {enough}; "
        "the planner prefers these hours only with enough data"
    )
    RichReporter(console).table(
        "Share of the engagement by local hour", ["hour", "share", "", "best"], hour_rows(reply)
    )
