"""`chorus calendar ...`: the editorial calendar of the content service (per
day, region and channel: planned, scheduled and published posts with their
share volumes, and the conflicts), on screen or as an iCalendar file for the
comms team's own calendar. main.py mounts `calendar_app` as `calendar`."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import cast

import typer
from chorus.content.v1 import content_service_pb2 as content_pb
from google.protobuf.json_format import MessageToDict
from rich.markup import escape

from chorus_cli.campaign_commands import name_of
from chorus_cli.common import TenantOption, console, run
from chorus_cli.report import RichReporter

calendar_app = typer.Typer(
    help="The editorial calendar and its iCalendar export", no_args_is_help=True
)

STATUSES = cast(
    dict[str, content_pb.CalendarEntryStatus],
    {
        n.removeprefix("CALENDAR_ENTRY_STATUS_").lower(): v
        for n, v in content_pb.CalendarEntryStatus.items()
        if v
    },
)
CONFLICTS = cast(
    dict[str, content_pb.CalendarConflictKind],
    {
        n.removeprefix("CALENDAR_CONFLICT_KIND_").lower(): v
        for n, v in content_pb.CalendarConflictKind.items()
        if v
    },
)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

SinceOption = typer.Option(..., "--since", help="first day, YYYY-MM-DD (UTC), inclusive")
UntilOption = typer.Option(..., "--until", help="last day, YYYY-MM-DD (UTC), inclusive")
RegionOption = typer.Option("", "--region", help="only this region (e.g. eu-west)")
ChannelOption = typer.Option("", "--channel", help="only this channel (targeting's id)")


def day(value: str, option: str) -> str:
    """The syntax only (a usage error naming the option); the service judges
    the period (order, length) and names the field."""
    try:
        if not _DAY.fullmatch(value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r}: expected YYYY-MM-DD", param_hint=option) from None
    return value


def request(
    since: str, until: str, region: str, channel: str, tenant: str
) -> content_pb.CalendarRequest:
    return content_pb.CalendarRequest(
        tenant_id=tenant,
        since_day=day(since, "--since"),
        until_day=day(until, "--until"),
        region=region,
        channel_id=channel,
    )


def shares(entry: content_pb.CalendarEntry) -> str:
    # Unset is not zero: scheduling could not say (see the note).
    return str(entry.shares) if entry.HasField("shares") else "not available"


def entry_row(entry: content_pb.CalendarEntry) -> tuple[str, ...]:
    return (
        name_of(STATUSES, entry.status),
        entry.region,
        entry.channel_id or "-",
        entry.campaign_id or "-",
        entry.post_id,
        escape(entry.title),
        shares(entry),
    )


def conflict_row(conflict: content_pb.CalendarConflict) -> tuple[str, ...]:
    return (
        conflict.day,
        name_of(CONFLICTS, conflict.kind).replace("_", " "),
        conflict.region,
        conflict.channel_id or "-",
        ", ".join(conflict.ids),
        escape(conflict.detail) or "-",
    )


def say_what_is_missing(not_available: list[str], note: str) -> None:
    if not_available:
        console.print(f"share volumes not available for: {', '.join(not_available)}")
    if note:
        console.print(f"note: {escape(note)}")


@calendar_app.command("show")
def calendar_show(
    since: str = SinceOption,
    until: str = UntilOption,
    region: str = RegionOption,
    channel: str = ChannelOption,
    as_json: bool = typer.Option(False, "--json", help="the response as JSON, for scripts"),
    tenant: str = TenantOption,
) -> None:
    """A table per day, then the conflicts."""
    wanted = request(since, until, region, channel, tenant)
    calendar = run(lambda c: c.content.GetCalendar(wanted))
    if as_json:
        # Defaults printed (a script reads an empty list, not a missing key);
        # an unknown volume stays absent, never 0.
        print(
            json.dumps(
                MessageToDict(
                    calendar,
                    preserving_proto_field_name=True,
                    always_print_fields_with_no_presence=True,
                ),
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    reporter = RichReporter(console)
    by_day: dict[str, list[content_pb.CalendarEntry]] = defaultdict(list)
    for entry in calendar.entries:
        by_day[entry.day].append(entry)
    if not by_day:
        console.print(f"nothing planned, scheduled or published from {since} to {until}")
    for when, entries in by_day.items():  # the service's order: by day
        weekday = date.fromisoformat(when).strftime("%A")
        reporter.table(
            f"{when} ({weekday})",
            ["status", "region", "channel", "campaign", "post", "title", "shares"],
            [entry_row(e) for e in entries],
        )
    reporter.table(
        f"Conflicts ({len(calendar.conflicts)})",
        ["day", "conflict", "region", "channel", "ids", "detail"],
        [conflict_row(c) for c in calendar.conflicts],
    )
    say_what_is_missing(list(calendar.not_available), calendar.note)


@calendar_app.command("export")
def calendar_export(
    since: str = SinceOption,
    until: str = UntilOption,
    region: str = RegionOption,
    channel: str = ChannelOption,
    out: Path = typer.Option(..., "--out", help="the .ics file to write"),
    tenant: str = TenantOption,
) -> None:
    """The period as an iCalendar (RFC 5545) file: one all-day event per entry."""
    wanted = request(since, until, region, channel, tenant)
    export = run(lambda c: c.content.ExportCalendar(wanted))
    # Bytes as the service made them: CRLF line ends and folding are part
    # of the format (a text-mode write would translate line ends on some
    # systems).
    out.write_bytes(export.ical.encode())
    events = export.ical.count("BEGIN:VEVENT")
    console.print(
        f"wrote {events} events to {escape(str(out))} (suggested name {export.file_name})"
    )
    say_what_is_missing(list(export.not_available), export.note)
