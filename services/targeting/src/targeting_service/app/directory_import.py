"""Importing an HR export: column mapping, per-row errors, upsert by external
id, dry run, leavers, and opt-out events for people who withdrew.

The export is read as a stream (bytes or a file object), written in chunks
of UPSERT_CHUNK rows; nothing holds the whole file or all its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO

from chorus_core.clock import utcnow
from chorus_db.ports import Transaction

from targeting_service.app.participation import announce
from targeting_service.app.ports import EmployeeEvents, Stores
from targeting_service.domain.csv_rows import ParsedRow, RowError, parse_directory
from targeting_service.domain.employees import ERASED
from targeting_service.domain.group_names import group_names_value
from targeting_service.domain.imports import Change
from targeting_service.domain.participation import Standing, standing_before

UPSERT_CHUNK = 1000  # rows per chunk: one SELECT, then one multi-row statement per table
MAX_REPORTED_CHANGES = 1000  # a dry run lists at most this many changes


class DryRunRollback(Exception):
    """Raised inside the transaction so a dry run writes nothing."""


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


class DirectoryImport:
    """One import, written in the caller's transaction (its rows, their
    groups and accounts, and the opt-out events they cause commit together)."""

    def __init__(
        self,
        stores: Stores,
        events: EmployeeEvents,
        transaction: Transaction,
        options: ImportOptions,
    ) -> None:
        self.transaction = transaction
        self.employees = stores.employees(transaction)
        self.directory = stores.directory(transaction)
        self.events = events
        self.options = options
        self.now = utcnow()

    async def run(
        self,
        tenant_id: str,
        data: bytes | IO[bytes],
        progress: Callable[[int], None] | None = None,
    ) -> ImportReport:
        options, directory = self.options, self.directory
        await directory.lock_tenant(tenant_id)
        report = ImportReport()
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
                await self._write_chunk(chunk, report)
                chunk = []
                grown = report.created >= 2 * max(analyzed_at, UPSERT_CHUNK // 2)
                if not options.dry_run and grown:
                    # Each time the table has doubled (log2(n) times in all).
                    await directory.refresh_statistics()
                    analyzed_at = report.created
                if progress:
                    progress(report.rows)
        await self._write_chunk(chunk, report)
        if not options.dry_run and report.created >= UPSERT_CHUNK:
            await directory.refresh_statistics()
        if options.deactivate_missing:
            await self._deactivate_leavers(tenant_id, seen, report)
        if progress:
            progress(report.rows)
        return report

    async def _deactivate_leavers(
        self, tenant_id: str, seen: set[str], report: ImportReport
    ) -> None:
        active = await self.directory.active_external_ids(tenant_id)
        leavers = sorted((x, e) for x, e in active.items() if x not in seen)
        report.deactivated = len(leavers)
        for external_id, _ in leavers:
            report.note(Change(external_id, "deactivated", ("active",)))
        if not self.options.dry_run:
            await self.directory.deactivate(tenant_id, [e for _, e in leavers], self.now)
            for _, employee_id in leavers:
                # Left: out, whatever their standing (an extra opt-out is a no-op downstream).
                self.events.opted_out(self.transaction, tenant_id, employee_id, self.now)

    async def _write_chunk(self, chunk: list[ParsedRow], report: ImportReport) -> None:
        if not chunk:
            return
        directory, now = self.directory, self.now
        tenant_id = chunk[0].employee.tenant_id
        erased = await directory.erased(tenant_id, [p.employee.employee_id for p in chunk])
        for parsed in chunk:
            if parsed.employee.employee_id in erased:
                report.errors.append(RowError(parsed.line, f"external_id: {ERASED}"))
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
        changes = await self.employees.changed_fields(employees, networks, group_names)
        for employee in employees:
            names = changes.get(employee.external_id)
            if names == ["*"]:
                report.note(Change(employee.external_id, "created"))
            elif names:
                report.note(Change(employee.external_id, "updated", tuple(names)))
        if self.options.dry_run:
            report.created += sum(1 for n in changes.values() if n == ["*"])
            report.updated += sum(1 for n in changes.values() if n != ["*"])
            return
        created, updated = await self.employees.write(
            employees, changes, now, networks, group_names
        )
        report.created += created
        report.updated += updated
        groups = {
            p.employee.employee_id: p.entry.groups for p in chunk if p.entry.groups is not None
        }
        accounts = {
            p.employee.employee_id: p.entry.accounts for p in chunk if p.entry.accounts is not None
        }
        # People new to the directory have nothing to delete first.
        known = {
            p.employee.employee_id for p in chunk if changes.get(p.employee.external_id) != ["*"]
        }
        await directory.replace_groups(tenant_id, groups, now, known)
        await directory.replace_accounts(tenant_id, accounts, known)
        for employee in employees:
            names = changes.get(employee.external_id) or []
            if not names or names == ["*"]:
                continue  # unchanged, or new to the directory: nobody held anything for them
            after = Standing(employee.active, employee.opted_in, employee.consent)
            before = standing_before(after, names)
            announce(
                self.events, self.transaction, tenant_id, employee.employee_id, before, after, now
            )
