"""Participation (opt-in/out), GDPR erasure and SCIM tokens.

Opt-out, opt-in again and erasure write their event in the same transaction as the change
(EmployeeOptedOut / EmployeeOptedIn / EmployeeErased on chorus.targeting.employee.v1, keyed by
the opaque employee id), so every other service hears of it exactly when it
took effect here.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from chorus.targeting.v1 import targeting_events_pb2 as events
from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_messaging.topics import EMPLOYEES
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import select

from targeting_service.adapters.directory_repository import DirectoryRepository
from targeting_service.adapters.directory_tables import ScimTokenRow
from targeting_service.adapters.repository import EmployeeRepository
from targeting_service.app.directory_import import opted_in_event, opted_out_event
from targeting_service.domain.employees import Employee

log = logging.getLogger(__name__)
_SOURCES = frozenset({"app", "admin", "import", "scim", "cli"})


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ConsentUseCases:
    def __init__(self, db: Database, outbox: Outbox) -> None:
        self.db = db
        self.outbox = outbox

    async def set_participation(
        self, tenant_id: str, employee_id: str, opted_in: bool, source: str
    ) -> Employee:
        valid_tenant(tenant_id)
        require("employee_id", employee_id)
        source = source or "app"
        if source not in _SOURCES:
            raise InvalidArgument(
                "source", f"{source!r} is not one of {', '.join(sorted(_SOURCES))}"
            )
        now = utcnow()
        async with self.db.transaction() as session:
            was = await DirectoryRepository(session).set_participation(
                tenant_id, employee_id, opted_in, source, now
            )
            if was and not opted_in:
                self.outbox.add(
                    session,
                    topic=EMPLOYEES,
                    key=employee_id,
                    tenant_id=tenant_id,
                    event=opted_out_event(tenant_id, employee_id, now),
                )
            elif opted_in and not was:
                self.outbox.add(
                    session,
                    topic=EMPLOYEES,
                    key=employee_id,
                    tenant_id=tenant_id,
                    event=opted_in_event(tenant_id, employee_id, now),
                )
        log.info(
            "participation changed",
            extra={
                "chorus": {"tenant_id": tenant_id, "employee_id": employee_id, "opted_in": opted_in}
            },
        )
        async with self.db.session() as session:
            return await EmployeeRepository(session).get(tenant_id, employee_id)

    async def erase(self, tenant_id: str, employee_id: str) -> bool:
        """Deletes the person's data here and tells every service to do the
        same. Erasing twice is a no-op answered with False."""
        valid_tenant(tenant_id)
        require("employee_id", employee_id)
        now = utcnow()
        async with self.db.transaction() as session:
            erased = await DirectoryRepository(session).erase(tenant_id, employee_id, now)
            if erased:
                stamp = Timestamp()
                stamp.FromDatetime(now)
                self.outbox.add(
                    session,
                    topic=EMPLOYEES,
                    key=employee_id,
                    tenant_id=tenant_id,
                    event=events.EmployeeErased(
                        tenant_id=tenant_id, employee_id=employee_id, erased_at=stamp
                    ),
                )
        log.info(
            "employee erased",
            extra={
                "chorus": {"tenant_id": tenant_id, "employee_id": employee_id, "first_time": erased}
            },
        )
        return erased

    async def issue_scim_token(self, tenant_id: str) -> str:
        valid_tenant(tenant_id)
        token = f"chorus_scim_{secrets.token_urlsafe(32)}"
        async with self.db.transaction() as session:
            row = await session.get(ScimTokenRow, tenant_id, with_for_update=True)
            if row is None:
                session.add(
                    ScimTokenRow(
                        tenant_id=tenant_id, token_hash=token_hash(token), issued_at=utcnow()
                    )
                )
            else:
                row.token_hash, row.issued_at = token_hash(token), utcnow()
        return token

    async def tenant_for_token(self, token: str) -> str | None:
        async with self.db.session() as session:
            query = select(ScimTokenRow.tenant_id).where(
                ScimTokenRow.token_hash == token_hash(token)
            )
            return (await session.execute(query)).scalar_one_or_none()
