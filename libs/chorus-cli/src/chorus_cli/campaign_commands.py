"""`chorus campaign ...`: campaigns of the content service (an objective, a
period, regions, channels, segments, KPI targets; pilot, widen, end; goals
against actuals). main.py mounts `campaign_app` as `campaign`; a post joins
a campaign with `chorus post create --campaign-id`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import TypeVar, cast

import typer
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus_core.prototime import from_timestamp, to_timestamp
from google.protobuf.json_format import MessageToDict
from google.protobuf.timestamp_pb2 import Timestamp
from rich.markup import escape

from chorus_cli.clients import Clients
from chorus_cli.common import TenantOption, console, run
from chorus_cli.content_commands import pick, rid
from chorus_cli.report import RichReporter

campaign_app = typer.Typer(help="Campaigns, their pilot and their goals", no_args_is_help=True)
E = TypeVar("E", bound=int)


def _names(values: Mapping[str, int], prefix: str) -> dict[str, int]:
    """An enum's values by lower-case name, without UNSPECIFIED (which the
    server refuses or reads as "any": never something to type)."""
    return {name.removeprefix(prefix).lower(): v for name, v in values.items() if v}


# protoc's stubs type the values of items() as int; they are the enum's values.
OBJECTIVES = cast(
    dict[str, content_pb.CampaignObjective],
    _names(dict(content_pb.CampaignObjective.items()), "CAMPAIGN_OBJECTIVE_"),
)
PHASES = cast(
    dict[str, content_pb.CampaignPhase],
    _names(dict(content_pb.CampaignPhase.items()), "CAMPAIGN_PHASE_"),
)
KPIS = cast(dict[str, content_pb.Kpi], _names(dict(content_pb.Kpi.items()), "KPI_"))
STATUSES = cast(
    dict[str, content_pb.GoalStatus],
    _names(dict(content_pb.GoalStatus.items()), "GOAL_STATUS_"),
)


def name_of(options: Mapping[str, E], value: int) -> str:
    """The lower-case name `pick` reads, for output: one spelling both ways."""
    return next((name for name, v in options.items() if v == value), "unspecified")


def instant(value: str, option: str) -> Timestamp:
    """YYYY-MM-DD (midnight UTC) or ISO 8601 with an offset. A time without an
    offset is refused: the machine's own zone would silently shift a
    campaign's period by hours."""
    try:
        if len(value) == len("YYYY-MM-DD"):
            day = date.fromisoformat(value)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r}: expected YYYY-MM-DD or ISO 8601 with an offset "
            "(2027-03-01T09:00:00+01:00)",
            param_hint=option,
        ) from None
    if moment.tzinfo is None:
        raise typer.BadParameter(
            f"{value!r}: a time needs a UTC offset (Z, +01:00, ...)", param_hint=option
        )
    return to_timestamp(moment)


def kpi_targets(values: list[str]) -> list[content_pb.KpiTarget]:
    """--target KPI=NUMBER[@REGION], repeatable (no region = the whole
    campaign). Only the syntax is checked here; the service judges the
    values (positive, a region of the campaign) and names the field."""
    expected = f"expected KPI=NUMBER[@REGION], KPI one of {', '.join(KPIS)}"
    targets: list[content_pb.KpiTarget] = []
    for item in values:
        kpi, sep, rest = item.partition("=")
        amount, at, region = rest.partition("@")
        try:
            target = float(amount)
        except ValueError:
            target = None
        if not sep or kpi.strip() not in KPIS or target is None or (at and not region.strip()):
            raise typer.BadParameter(f"{item!r}: {expected}", param_hint="--target")
        targets.append(
            content_pb.KpiTarget(kpi=KPIS[kpi.strip()], target=target, region=region.strip())
        )
    return targets


def when(stamp: Timestamp) -> str:
    moment = from_timestamp(stamp)
    return moment.isoformat() if moment is not None else "-"


def number(value: float) -> str:
    return f"{value:g}"


def target_text(target: content_pb.KpiTarget) -> str:
    where = f"@{target.region}" if target.region else ""
    return f"{name_of(KPIS, target.kpi)}={number(target.target)}{where}"


def summary(campaign: content_pb.Campaign) -> str:
    return f"campaign {campaign.campaign_id} ({name_of(PHASES, campaign.phase)})"


def action(campaign_id: str, tenant: str) -> content_pb.CampaignActionRequest:
    return content_pb.CampaignActionRequest(
        request_id=rid(), tenant_id=tenant, campaign_id=campaign_id
    )


@campaign_app.command("create")
def campaign_create(
    name: str = typer.Option(...),
    objective: str = typer.Option(..., help=", ".join(OBJECTIVES)),
    starts: str = typer.Option(..., help="YYYY-MM-DD (UTC) or ISO 8601 with an offset"),
    ends: str = typer.Option(..., help="YYYY-MM-DD (UTC) or ISO 8601 with an offset"),
    region: list[str] = typer.Option(..., help="an owning deployment region; repeatable"),
    channel_id: list[str] = typer.Option([], help="a channel (targeting's id); repeatable"),
    segment_id: str = typer.Option("", help="the full audience's saved segment (its id)"),
    pilot_segment_id: str = typer.Option("", help="the pilot's saved segment (its id)"),
    target: list[str] = typer.Option(
        [], help=f"KPI=NUMBER[@REGION] ({', '.join(KPIS)}); repeatable"
    ),
    tenant: str = TenantOption,
) -> None:
    """A draft campaign: its posts wait until `pilot` or `widen`."""
    request = content_pb.CreateCampaignRequest(
        request_id=rid(),
        tenant_id=tenant,
        name=name,
        objective=pick(OBJECTIVES, objective, "objective"),
        starts_at=instant(starts, "--starts"),
        ends_at=instant(ends, "--ends"),
        regions=region,
        channel_ids=channel_id,
        segment_id=segment_id,
        pilot_segment_id=pilot_segment_id,
        targets=kpi_targets(target),
    )
    console.print(f"created {summary(run(lambda c: c.content.CreateCampaign(request)))}")


@campaign_app.command("list")
def campaign_list(
    region: str = typer.Option("", help="only the campaigns of this region"),
    phase: str = typer.Option("", help=", ".join(PHASES)),
    page_size: int = typer.Option(0, help="campaigns per request (0 = the server's default)"),
    tenant: str = TenantOption,
) -> None:
    """Every campaign that matches (all pages)."""
    wanted = pick(PHASES, phase, "phase")

    async def every(c: Clients) -> list[content_pb.Campaign]:
        found: list[content_pb.Campaign] = []
        token = ""
        while True:
            page = await c.content.ListCampaigns(
                content_pb.ListCampaignsRequest(
                    tenant_id=tenant,
                    region=region,
                    phase=wanted,
                    page_size=page_size,
                    page_token=token,
                )
            )
            found.extend(page.campaigns)
            token = page.next_page_token
            if not token:
                return found

    campaigns = run(every)
    RichReporter(console).table(
        f"Campaigns ({len(campaigns)})",
        ["id", "name", "objective", "phase", "starts", "ends", "regions"],
        [
            (
                c.campaign_id,
                escape(c.name),
                name_of(OBJECTIVES, c.objective),
                name_of(PHASES, c.phase),
                when(c.starts_at),
                when(c.ends_at),
                ", ".join(c.regions),
            )
            for c in campaigns
        ],
    )


@campaign_app.command("show")
def campaign_show(campaign_id: str, tenant: str = TenantOption) -> None:
    """Every field of one campaign: period, audience, targets, posts."""
    campaign = run(
        lambda c: c.content.GetCampaign(
            content_pb.GetCampaignRequest(tenant_id=tenant, campaign_id=campaign_id)
        )
    )
    for label, value in (
        ("campaign", campaign.campaign_id),
        ("name", campaign.name),
        ("objective", name_of(OBJECTIVES, campaign.objective)),
        ("phase", name_of(PHASES, campaign.phase)),
        ("starts", when(campaign.starts_at)),
        ("ends", when(campaign.ends_at)),
        ("regions", ", ".join(campaign.regions)),
        ("channels", ", ".join(campaign.channel_ids) or "-"),
        ("segment", campaign.segment_id or "-"),
        ("pilot segment", campaign.pilot_segment_id or "- (no pilot)"),
        ("targets", ", ".join(target_text(t) for t in campaign.targets) or "-"),
        ("posts", ", ".join(campaign.post_ids) or "-"),
        ("created", when(campaign.created_at)),
        ("updated", when(campaign.updated_at)),
    ):
        console.print(f"{label + ':':<15}{escape(value)}")


@campaign_app.command("pilot")
def campaign_pilot(campaign_id: str, tenant: str = TenantOption) -> None:
    """Serve the campaign's posts to its pilot segment."""
    campaign = run(lambda c: c.content.StartPilot(action(campaign_id, tenant)))
    console.print(f"{summary(campaign)}: posts go to the pilot segment")


@campaign_app.command("widen")
def campaign_widen(campaign_id: str, tenant: str = TenantOption) -> None:
    """Serve the campaign's posts to the full audience (nobody served twice)."""
    campaign = run(lambda c: c.content.WidenCampaign(action(campaign_id, tenant)))
    console.print(f"{summary(campaign)}: posts go to the full audience")


@campaign_app.command("end")
def campaign_end(campaign_id: str, tenant: str = TenantOption) -> None:
    """End the campaign: no post joins it any more."""
    campaign = run(lambda c: c.content.EndCampaign(action(campaign_id, tenant)))
    console.print(summary(campaign))


def goal_row(line: content_pb.GoalLine) -> tuple[str, ...]:
    where = line.region or "all"
    if not line.measured:
        # Not measured is not zero: no actual, no progress, and why.
        return (
            name_of(KPIS, line.kpi),
            where,
            number(line.target),
            "not measured",
            "-",
            "not measured",
            escape(line.note),
        )
    return (
        name_of(KPIS, line.kpi),
        where,
        number(line.target),
        number(line.actual),
        f"{100 * line.actual / line.target:.0f}%",
        name_of(STATUSES, line.status).replace("_", " "),
        escape(line.note),
    )


@campaign_app.command("goals")
def campaign_goals(
    campaign_id: str,
    as_json: bool = typer.Option(False, "--json", help="the response as JSON, for scripts"),
    tenant: str = TenantOption,
) -> None:
    """Each KPI target against what metrics measured."""
    goals = run(
        lambda c: c.content.GetCampaignGoals(
            content_pb.GetCampaignGoalsRequest(tenant_id=tenant, campaign_id=campaign_id)
        )
    )
    if as_json:
        # Every field, defaults too: a script reads `measured: false` rather
        # than guessing from a missing key.
        print(
            json.dumps(
                MessageToDict(
                    goals,
                    preserving_proto_field_name=True,
                    always_print_fields_with_no_presence=True,
                ),
                indent=2,
            )
        )
        return
    measured_in = f" (measured in {goals.measured_region})" if goals.measured_region else ""
    RichReporter(console).table(
        f"Goals of campaign {goals.campaign_id}{measured_in}",
        ["KPI", "region", "target", "actual", "progress", "status", "note"],
        [goal_row(line) for line in goals.lines],
    )
