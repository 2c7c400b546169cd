"""Importing an HR export: column mapping, per-row errors, upsert by external
id, dry run, leavers, and opt-out events for people who withdrew.

The export is read as a stream (bytes or a file object), written in chunks
of UPSERT_CHUNK rows; nothing holds the whole file or all its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO

from chorus_core.clock import utcnow
from chorus_messaging import Outbox
from sqlalchemy.ext.asyncio import AsyncSession

from targeting_service.adapters.directory_repository import DirectoryRepository
from targeting_service.adapters.repository import EmployeeRepository, changed_fields
from targeting_service.app.participation import announce, announce_opt_out
from targeting_service.domain.csv_rows import ParsedRow, RowError, parse_directory
from targeting_service.domain.group_names import group_names_value
from targeting_service.domain.participation import Standing, standing_before

UPSERT_CHUNK = 1000  # rows per chunk: one SELECT, then one multi-row statement per table
MAX_REPORTED_CHANGES = 1000  # a dry run lists at most this many changes


class DryRunRollback(Exception):
    """Raised inside the transaction so a dry run writes nothing."""


@dataclass(frozen=True)
class Change:
    external_id: str
    kind: str  # created | updated | deactivated
    fields: tuple[str, ...] = ()


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    rows: int = 0

    def note(self, change: Change) -> None:
        if len(self.changes) < MAX_REPORTED_CHANGES:
            self.changes.append(change)


@dataclass(frozen=True)
class ImportOptions:
    mapping: Mapping[str, str] = field(default_factory=dict)
    dry_run: bool = False
    deactivate_missing: bool = False


async def import_rows(
    session: AsyncSession,
    outbox: Outbox,
    tenant_id: str,
    data: bytes | IO[bytes],
    options: ImportOptions,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    report = ImportReport()
    now = utcnow()
    directory = DirectoryRepository(session)
    seen: set[str] = set()
    chunk: list[ParsedRow] = []
    analyzed_at = 0  # rows created when the statistics were last refreshed
    for parsed in parse_directory(tenant_id, data, options.mapping):
        if isinstance(parsed, ParsedRow):
            chunk.append(parsed)
            seen.add(parsed.employee.external_id)
        else:
            report.errors.append(parsed)
        report.rows += 1
        if len(chunk) >= UPSERT_CHUNK:
            await _write_chunk(session, outbox, directory, chunk, report, options, now)
            chunk = []
            if not options.dry_run and report.created >= 2 * max(analyzed_at, UPSERT_CHUNK // 2):
                # Each time the table has doubled (log2(n) times in all).
                await directory.refresh_statistics()
                analyzed_at = report.created
            if progress:
                progress(report.rows)
    await _write_chunk(session, outbox, directory, chunk, report, options, now)
    if not options.dry_run and report.created >= UPSERT_CHUNK:
        await directory.refresh_statistics()
    if options.deactivate_missing:
        active = await directory.active_external_ids(tenant_id)
        leavers = sorted((x, e) for x, e in active.items() if x not in seen)
        report.deactivated = len(leavers)
        for external_id, _ in leavers:
            report.note(Change(external_id, "deactivated", ("active",)))
        if not options.dry_run:
            await directory.deactivate(tenant_id, [e for _, e in leavers], now)
            for _, employee_id in leavers:
                # Left: out, whatever their standing (an extra opt-out is a no-op downstream).
                announce_opt_out(session, outbox, tenant_id, employee_id, now)
    if progress:
        progress(report.rows)
    return report


async def _write_chunk(
    session: AsyncSession,
    outbox: Outbox,
    directory: DirectoryRepository,
    chunk: list[ParsedRow],
    report: ImportReport,
    options: ImportOptions,
    now: datetime,
) -> None:
    if not chunk:
        return
    tenant_id = chunk[0].employee.tenant_id
    erased = await directory.erased(tenant_id, [p.employee.employee_id for p in chunk])
    for parsed in chunk:
        if parsed.employee.employee_id in erased:
            report.errors.append(
                RowError(parsed.line, "external_id: this person was erased (GDPR)")
            )
    chunk = [p for p in chunk if p.employee.employee_id not in erased]
    employees = [p.employee for p in chunk]
    # The networks column is written with the employee row (not updated after it).
    networks = {
        p.employee.employee_id: ",".join(sorted({a.network for a in p.entry.accounts}))
        for p in chunk
        if p.entry.accounts is not None
    }
    # So is the copy of the group names the segments test (domain.group_names).
    group_names = {
        p.employee.employee_id: group_names_value(p.entry.groups)
        for p in chunk
        if p.entry.groups is not None
    }
    changes = await changed_fields(session, employees, networks, group_names)
    for employee in employees:
        names = changes.get(employee.external_id)
        if names == ["*"]:
            report.note(Change(employee.external_id, "created"))
        elif names:
            report.note(Change(employee.external_id, "updated", tuple(names)))
    if options.dry_run:
        report.created += sum(1 for n in changes.values() if n == ["*"])
        report.updated += sum(1 for n in changes.values() if n != ["*"])
        return
    created, updated = await EmployeeRepository(session).write(
        employees, changes, now, networks, group_names
    )
    report.created += created
    report.updated += updated
    groups = {p.employee.employee_id: p.entry.groups for p in chunk if p.entry.groups is not None}
    accounts = {
        p.employee.employee_id: p.entry.accounts for p in chunk if p.entry.accounts is not None
    }
    # People new to the directory have nothing to delete first.
    known = {p.employee.employee_id for p in chunk if changes.get(p.employee.external_id) != ["*"]}
    await directory.replace_groups(tenant_id, groups, now, known)
    await directory.replace_accounts(tenant_id, accounts, known)
    for employee in employees:
        names = changes.get(employee.external_id) or []
        if not names or names == ["*"]:
            continue  # unchanged, or new to the directory: nobody held anything for them
        after = Standing(employee.active, employee.opted_in, employee.consent)
        announce(
            session,
            outbox,
            tenant_id,
            employee.employee_id,
            standing_before(after, names),
            after,
            now,
        )
