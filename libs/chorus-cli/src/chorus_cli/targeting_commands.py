"""`chorus directory ...` and `chorus audience ...`: the targeting service."""

from __future__ import annotations

import uuid
from pathlib import Path

import typer
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb

from chorus_cli.common import TenantOption, console, run
from chorus_cli.report import RichReporter

directory_app = typer.Typer(help="Employee directory (targeting service)", no_args_is_help=True)
audience_app = typer.Typer(help="Audiences (targeting service)", no_args_is_help=True)


@directory_app.command("import")
def directory_import(path: Path, tenant: str = TenantOption) -> None:
    """Import an HR CSV export; malformed rows are listed with their line number."""
    data = path.read_bytes()
    with console.status(f"importing {len(data):,} bytes..."):
        reply = run(lambda c: c.targeting.ImportDirectory(
            targeting_pb.ImportDirectoryRequest(request_id=str(uuid.uuid4()), tenant_id=tenant, csv=data)))
    console.print(f"{reply.created} created, {reply.updated} updated, {len(reply.errors)} rejected")
    for error in reply.errors:
        console.print(f"  line {error.line}: {error.reason}")


@audience_app.command("preview")
def audience_preview(country: list[str] = typer.Option([]), department: list[str] = typer.Option([]), tenant: str = TenantOption) -> None:
    reply = run(lambda c: c.targeting.PreviewAudience(targeting_pb.PreviewAudienceRequest(
        tenant_id=tenant, targeting=content_pb.Targeting(countries=country, departments=department))))
    reporter = RichReporter(console)
    reporter.info(f"{reply.count} employees")
    reporter.table("by country", ["country", "employees"], sorted(reply.by_country.items()))
    reporter.table("by language", ["language", "employees"], sorted(reply.by_language.items()))
