"""`chorus directory|audience|segment|channel|employee|scim ...`: the targeting service.

Every app is listed in `targeting_apps` (name, typer app) for main.py to mount.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import typer
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

from chorus_cli.common import TenantOption, console, run
from chorus_cli.report import RichReporter

directory_app = typer.Typer(help="Employee directory (targeting service)", no_args_is_help=True)
audience_app = typer.Typer(help="Audiences (targeting service)", no_args_is_help=True)
segment_app = typer.Typer(help="Saved audience segments (rule language)", no_args_is_help=True)
channel_app = typer.Typer(help="Thematic channels and subscriptions", no_args_is_help=True)
employee_app = typer.Typer(
    help="Participation and GDPR erasure of one employee", no_args_is_help=True
)
scim_app = typer.Typer(help="SCIM 2.0 provisioning access", no_args_is_help=True)

CHUNK_BYTES = 256 * 1024  # one gRPC message of the streamed import


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        source, sep, target = pair.partition("=")
        if not sep:
            raise typer.BadParameter(
                f"{pair!r} is not EXPORT_COLUMN=directory_column", param_hint="--map"
            )
        mapping[source] = target
    return mapping


@directory_app.command("import")
def directory_import(
    path: Path,
    tenant: str = TenantOption,
    map_column: list[str] = typer.Option(
        [], "--map", help="EXPORT_COLUMN=directory_column, repeatable"
    ),
    dry_run: bool = typer.Option(False, help="show what would change, write nothing"),
    deactivate_missing: bool = typer.Option(
        False, help="deactivate people the export no longer lists"
    ),
) -> None:
    """Import an HR CSV export in chunks, with a progress bar; bad rows are listed by line."""
    size = path.stat().st_size
    first = targeting_pb.ImportDirectoryRequest(
        request_id=str(uuid.uuid4()),
        tenant_id=tenant,
        column_mapping=_mapping(map_column),
        dry_run=dry_run,
        deactivate_missing=deactivate_missing,
    )
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task(f"sending {path.name}", total=size)

        async def chunks() -> AsyncIterator[targeting_pb.ImportDirectoryRequest]:
            yield first
            with path.open("rb") as source:
                while data := source.read(CHUNK_BYTES):
                    progress.advance(task, len(data))
                    yield targeting_pb.ImportDirectoryRequest(csv=data)
            progress.update(task, description="importing (server side)")

        reply = run(lambda c: c.targeting.ImportDirectoryStream(chunks()))
    prefix = "dry run: would have " if dry_run else ""
    console.print(
        f"{prefix}{reply.created} created, {reply.updated} updated, "
        f"{reply.deactivated} deactivated, {len(reply.errors)} rejected"
    )
    for error in reply.errors:
        console.print(f"  line {error.line}: {error.reason}")
    for change in reply.changes:
        fields = f" ({', '.join(change.fields)})" if change.fields else ""
        console.print(f"  {change.kind:<11} {change.external_id}{fields}")


def _show_preview(reply: targeting_pb.PreviewAudienceResponse) -> None:
    reporter = RichReporter(console)
    reporter.info(f"{reply.count} employees")
    for title, values in (
        ("country", reply.by_country),
        ("language", reply.by_language),
        ("timezone", reply.by_timezone),
        ("network", reply.by_network),
    ):
        reporter.table(f"by {title}", [title, "employees"], sorted(values.items()))


@audience_app.command("preview")
def audience_preview(
    country: list[str] = typer.Option([]),
    department: list[str] = typer.Option([]),
    segment: str = typer.Option(
        "", help='a rule, e.g. country in ("FR", "BE") and not group = "Contractors"'
    ),
    segment_id: str = typer.Option("", help="a saved segment (latest version)"),
    channel: list[str] = typer.Option([], help="channel id, repeatable"),
    tenant: str = TenantOption,
) -> None:
    """Count the audience, with breakdowns by country, language, timezone and network."""
    reply = run(
        lambda c: c.targeting.PreviewAudience(
            targeting_pb.PreviewAudienceRequest(
                tenant_id=tenant,
                targeting=content_pb.Targeting(countries=country, departments=department),
                segment=segment,
                segment_id=segment_id,
                channel_ids=channel,
            )
        )
    )
    _show_preview(reply)


@segment_app.command("check")
def segment_check(rule: str) -> None:
    """Parse a rule; errors point at the line and column."""
    reply = run(
        lambda c: c.targeting.ValidateSegment(targeting_pb.ValidateSegmentRequest(rule=rule))
    )
    console.print(f"valid; attributes: {', '.join(reply.attributes)}")


@segment_app.command("save")
def segment_save(
    name: str,
    rule: str,
    segment_id: str = typer.Option("", help="update this segment"),
    tenant: str = TenantOption,
) -> None:
    """Save a rule (a new version when an existing segment's rule changes)."""
    reply = run(
        lambda c: c.targeting.SaveSegment(
            targeting_pb.SaveSegmentRequest(
                request_id=str(uuid.uuid4()),
                tenant_id=tenant,
                segment_id=segment_id,
                name=name,
                rule=rule,
            )
        )
    )
    console.print(f"{reply.segment_id} v{reply.version}: {reply.name}")


@segment_app.command("list")
def segment_list(tenant: str = TenantOption) -> None:
    reply = run(
        lambda c: c.targeting.ListSegments(targeting_pb.ListSegmentsRequest(tenant_id=tenant))
    )
    RichReporter(console).table(
        "segments",
        ["id", "version", "name", "rule"],
        [(s.segment_id, s.version, s.name, s.rule) for s in reply.segments],
    )


@channel_app.command("create")
def channel_create(
    name: str,
    description: str = "",
    region: list[str] = typer.Option([], help="visible in; none = everywhere"),
    mandatory: bool = False,
    manager: list[str] = typer.Option([], help="employee id, repeatable"),
    tenant: str = TenantOption,
) -> None:
    reply = run(
        lambda c: c.targeting.CreateChannel(
            targeting_pb.CreateChannelRequest(
                request_id=str(uuid.uuid4()),
                tenant_id=tenant,
                name=name,
                description=description,
                regions=region,
                mandatory=mandatory,
                manager_ids=manager,
            )
        )
    )
    console.print(f"{reply.channel_id}: {reply.name}{' (mandatory)' if reply.mandatory else ''}")


@channel_app.command("list")
def channel_list(tenant: str = TenantOption) -> None:
    reply = run(
        lambda c: c.targeting.ListChannels(targeting_pb.ListChannelsRequest(tenant_id=tenant))
    )
    RichReporter(console).table(
        "channels",
        ["id", "name", "regions", "mandatory", "subscribers", "managers"],
        [
            (
                ch.channel_id,
                ch.name,
                ",".join(ch.regions) or "all",
                ch.mandatory,
                ch.subscribers,
                len(ch.manager_ids),
            )
            for ch in reply.channels
        ],
    )


@channel_app.command("managers")
def channel_managers(
    channel_id: str, manager: list[str] = typer.Option([]), tenant: str = TenantOption
) -> None:
    reply = run(
        lambda c: c.targeting.SetChannelManagers(
            targeting_pb.SetChannelManagersRequest(
                request_id=str(uuid.uuid4()),
                tenant_id=tenant,
                channel_id=channel_id,
                manager_ids=manager,
            )
        )
    )
    console.print(f"{reply.name}: {len(reply.manager_ids)} manager(s)")


@channel_app.command("subscribe")
def channel_subscribe(
    channel_id: str,
    employee_id: str,
    leave: bool = typer.Option(False, "--leave"),
    tenant: str = TenantOption,
) -> None:
    """Subscribe an employee (or --leave: unsubscribe; refused on a mandatory channel)."""
    request = targeting_pb.SubscriptionRequest(
        request_id=str(uuid.uuid4()),
        tenant_id=tenant,
        channel_id=channel_id,
        employee_id=employee_id,
    )
    reply = run(lambda c: (c.targeting.Unsubscribe if leave else c.targeting.Subscribe)(request))
    console.print(f"{reply.name}: {reply.subscribers} subscriber(s)")


@employee_app.command("opt-out")
def employee_opt_out(employee_id: str, tenant: str = TenantOption) -> None:
    """Withdraw participation now: scheduled shares are cancelled."""
    reply = run(
        lambda c: c.targeting.SetParticipation(
            targeting_pb.SetParticipationRequest(
                request_id=str(uuid.uuid4()),
                tenant_id=tenant,
                employee_id=employee_id,
                opted_in=False,
                source="cli",
            )
        )
    )
    console.print(f"{reply.employee_id}: opted out")


@employee_app.command("opt-in")
def employee_opt_in(employee_id: str, tenant: str = TenantOption) -> None:
    reply = run(
        lambda c: c.targeting.SetParticipation(
            targeting_pb.SetParticipationRequest(
                request_id=str(uuid.uuid4()),
                tenant_id=tenant,
                employee_id=employee_id,
                opted_in=True,
                source="cli",
            )
        )
    )
    console.print(f"{reply.employee_id}: opted in")


@employee_app.command("consent")
def employee_consent(
    employee_id: str,
    take_part: bool = typer.Option(True, "--opt-in/--opt-out", help="take part"),
    represent: bool = typer.Option(
        True, "--consent/--no-consent", help="consent to be represented (posts in their name)"
    ),
    auto_share: bool = typer.Option(False, "--auto-share/--no-auto-share"),
    tenant: str = TenantOption,
) -> None:
    """Record the employee's own choice (how a SCIM- or API-provisioned person starts)."""
    reply = run(
        lambda c: c.targeting.RecordConsent(
            targeting_pb.RecordConsentRequest(
                request_id=str(uuid.uuid4()),
                tenant_id=tenant,
                employee_id=employee_id,
                opted_in=take_part,
                consent=represent,
                auto_share=auto_share,
                source="cli",
            )
        )
    )
    console.print(
        f"{reply.employee_id}: opted_in={reply.opted_in} consent={reply.consent} "
        f"auto_share={reply.auto_share}"
    )


@employee_app.command("erase")
def employee_erase(
    employee_id: str,
    yes: bool = typer.Option(False, "--yes", help="confirm"),
    tenant: str = TenantOption,
) -> None:
    """GDPR erasure: every service deletes or anonymises what it holds about the person."""
    if not yes:
        console.print("erasure cannot be undone: add --yes")
        raise typer.Exit(2)
    reply = run(
        lambda c: c.targeting.EraseEmployee(
            targeting_pb.EraseEmployeeRequest(
                request_id=str(uuid.uuid4()), tenant_id=tenant, employee_id=employee_id
            )
        )
    )
    console.print("erased" if reply.erased else "already erased")


@scim_app.command("issue-token")
def scim_issue_token(tenant: str = TenantOption) -> None:
    """A new bearer token for /scim/v2 (the previous one stops working). Shown once."""
    reply = run(
        lambda c: c.targeting.IssueScimToken(targeting_pb.IssueScimTokenRequest(tenant_id=tenant))
    )
    console.print(reply.token)


targeting_apps: list[tuple[str, typer.Typer]] = [
    ("directory", directory_app),
    ("audience", audience_app),
    ("segment", segment_app),
    ("channel", channel_app),
    ("employee", employee_app),
    ("scim", scim_app),
]
