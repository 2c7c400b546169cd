"""The IdempotencyStore and RoleGrantStore ports on the gateway's database."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from chorus_core.clock import as_utc
from chorus_db import Database, affected_rows, exclusive, is_unique_violation
from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from chorus_identity.principal import Grant
from chorus_identity.secrets import SecretBox
from chorus_messaging.audit import AuditTrail, State, Value
from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gateway_service.adapters.tables import IdempotencyRow, RoleGrantRow
from gateway_service.domain.idempotency import IdempotencyRecord, StoredResponse


def _aad(tenant_id: str, subject: str, key: str) -> bytes:
    return f"idempotency\x00{tenant_id}\x00{subject}\x00{key}".encode()


def _record(row: IdempotencyRow, box: SecretBox) -> IdempotencyRecord:
    response = None
    if row.status is not None:
        headers = json.loads(row.headers or "{}")
        body = box.open(row.body, _aad(row.tenant_id, row.subject, row.key)) if row.body else b""
        response = StoredResponse(row.status, dict(headers), body)
    return IdempotencyRecord(
        row.tenant_id, row.subject, row.key, row.fingerprint, as_utc(row.created_at), response
    )


def _key(tenant_id: str, subject: str, key: str) -> list[ColumnElement[bool]]:
    return [
        col(IdempotencyRow.tenant_id) == tenant_id,
        col(IdempotencyRow.subject) == subject,
        col(IdempotencyRow.key) == key,
    ]


class SqlIdempotencyStore:
    """Stored responses are encrypted at rest: a replayed body may hold what
    was shown once (a new webhook's signing secret) or personal data."""

    def __init__(self, db: Database, box: SecretBox) -> None:
        self.db = db
        self.box = box

    async def insert(self, record: IdempotencyRecord) -> bool:
        row = IdempotencyRow(
            tenant_id=record.tenant_id,
            subject=record.subject,
            key=record.key,
            fingerprint=record.fingerprint,
            created_at=record.created_at,
        )
        try:
            async with self.db.transaction() as session:
                session.add(row)
        except IntegrityError as error:
            if is_unique_violation(error):
                return False
            raise
        return True

    async def get(self, tenant_id: str, subject: str, key: str) -> IdempotencyRecord | None:
        async with self.db.session() as session:
            row = (
                await session.execute(select(IdempotencyRow).where(*_key(tenant_id, subject, key)))
            ).scalar_one_or_none()
        return None if row is None else _record(row, self.box)

    async def take_over(self, old: IdempotencyRecord, new: IdempotencyRecord) -> bool:
        async with self.db.transaction() as session:
            result = await session.execute(
                update(IdempotencyRow)
                .where(
                    *_key(old.tenant_id, old.subject, old.key),
                    col(IdempotencyRow.created_at) == old.created_at,
                    col(IdempotencyRow.fingerprint) == old.fingerprint,
                )
                .values(
                    fingerprint=new.fingerprint,
                    created_at=new.created_at,
                    status=None,
                    headers=None,
                    body=None,
                )
            )
            return affected_rows(result) == 1

    async def complete(
        self, tenant_id: str, subject: str, key: str, response: StoredResponse
    ) -> None:
        async with self.db.transaction() as session:
            await session.execute(
                update(IdempotencyRow)
                .where(*_key(tenant_id, subject, key))
                .values(
                    status=response.status,
                    headers=json.dumps(response.headers, sort_keys=True),
                    body=self.box.seal(response.body, _aad(tenant_id, subject, key)),
                )
            )

    async def release(self, tenant_id: str, subject: str, key: str) -> None:
        async with self.db.transaction() as session:
            await session.execute(
                delete(IdempotencyRow).where(
                    *_key(tenant_id, subject, key), col(IdempotencyRow.status).is_(None)
                )
            )

    async def purge(self, created_before: datetime) -> int:
        async with self.db.transaction() as session:
            result = await session.execute(
                delete(IdempotencyRow).where(col(IdempotencyRow.created_at) < created_before)
            )
            return affected_rows(result)


def grants_state(grants: Sequence[Grant]) -> State:
    """A subject's grants for the audit log: roles and their scopes (region,
    channel and step ids: configuration, not personal data)."""
    state: dict[str, Value] = {"roles": sorted(g.role.value for g in grants)}
    for g in grants:
        for scope in ("regions", "channels", "steps"):
            if values := sorted(getattr(g, scope)):
                state[f"{g.role.value}.{scope}"] = values
    return state


class SqlRoleGrants:
    def __init__(self, db: Database, audit: AuditTrail | None = None) -> None:
        """`audit`: where changes are recorded (role.grant / role.revoke), in
        the transaction of the change; None for a reader (the Authenticator)."""
        self.db = db
        self.audit = audit

    def _record(
        self,
        session: AsyncSession,
        tenant_id: str,
        subject: str,
        action: str,
        before: Sequence[Grant],
        after: Sequence[Grant],
        request_id: str,
    ) -> None:
        if self.audit is None:
            raise RuntimeError("SqlRoleGrants needs an audit trail to change grants")
        self.audit.record(
            session,
            tenant_id=tenant_id,
            action=action,
            target_type="subject",
            target_id=subject,
            before=grants_state(before) if before else None,
            after=grants_state(after) if after else None,
            request_id=request_id,
        )

    @staticmethod
    async def _lock(session: AsyncSession, tenant_id: str, subject: str) -> None:
        """One change of a person's grants at a time: two replacements at
        once would both delete the same rows and insert the same roles, and
        one would fail on the primary key; the audit's `before` would be stale."""
        await exclusive(session, f"gateway.role_grants/{tenant_id}/{subject}")

    async def grants(self, tenant_id: str, subject: str) -> tuple[Grant, ...]:
        async with self.db.session() as session:
            return await self._grants(session, tenant_id, subject)

    @staticmethod
    async def _grants(session: AsyncSession, tenant_id: str, subject: str) -> tuple[Grant, ...]:
        rows = (
            await session.execute(
                select(RoleGrantRow)
                .where(
                    col(RoleGrantRow.tenant_id) == tenant_id,
                    col(RoleGrantRow.subject) == subject,
                )
                .order_by(col(RoleGrantRow.role))
            )
        ).scalars()
        return tuple(
            Grant.of(
                row.role,
                json.loads(row.regions),
                json.loads(row.channels),
                json.loads(row.steps),
            )
            for row in rows
        )

    async def put(
        self, tenant_id: str, subject: str, grants: Sequence[Grant], request_id: str = ""
    ) -> None:
        """Replaces the subject's grants (one row per role: a role given twice
        keeps the union of its scopes)."""
        merged: dict[str, Grant] = {}
        for g in grants:
            seen = merged.get(g.role.value)
            merged[g.role.value] = (
                g
                if seen is None
                else Grant(
                    g.role,
                    seen.regions | g.regions,
                    seen.channels | g.channels,
                    seen.steps | g.steps,
                )
            )
        async with self.db.transaction() as session:
            await self._lock(session, tenant_id, subject)
            before = await self._grants(session, tenant_id, subject)
            await session.execute(
                delete(RoleGrantRow).where(
                    col(RoleGrantRow.tenant_id) == tenant_id, col(RoleGrantRow.subject) == subject
                )
            )
            self._record(
                session, tenant_id, subject, "role.grant", before, list(merged.values()), request_id
            )
            for role, g in sorted(merged.items()):
                session.add(
                    RoleGrantRow(
                        tenant_id=tenant_id,
                        subject=subject,
                        role=role,
                        regions=json.dumps(sorted(g.regions)),
                        channels=json.dumps(sorted(g.channels)),
                        steps=json.dumps(sorted(g.steps)),
                    )
                )

    async def delete(self, tenant_id: str, subject: str, request_id: str = "") -> bool:
        async with self.db.transaction() as session:
            return await self._delete(session, tenant_id, subject, request_id)

    async def erase(
        self, transaction: Transaction, tenant_id: str, subjects: Sequence[str]
    ) -> None:
        session = session_of(transaction)
        for subject in subjects:
            await self._delete(session, tenant_id, subject, "")

    async def _delete(
        self, session: AsyncSession, tenant_id: str, subject: str, request_id: str
    ) -> bool:
        await self._lock(session, tenant_id, subject)
        before = await self._grants(session, tenant_id, subject)
        result = await session.execute(
            delete(RoleGrantRow).where(
                col(RoleGrantRow.tenant_id) == tenant_id, col(RoleGrantRow.subject) == subject
            )
        )
        if affected_rows(result) == 0:
            return False
        self._record(session, tenant_id, subject, "role.revoke", before, (), request_id)
        return True
