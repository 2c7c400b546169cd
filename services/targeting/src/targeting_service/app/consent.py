"""Participation (opt-in/out), GDPR erasure and SCIM tokens.

Opt-out, opt-in again and erasure write their event in the same transaction as the change
(EmployeeOptedOut / EmployeeOptedIn / EmployeeErased on chorus.targeting.employee.v1, keyed by
the opaque employee id), so every other service hears of it exactly when it
took effect here. Each decision, erasure and SCIM token is also an entry of
the tenant's audit log in that transaction: the flags decided and the
opaque employee id, never a name, an e-mail or the token.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import UnitOfWork
from chorus_identity.principal import Principal
from chorus_messaging.audit import AuditTrail, State

from targeting_service.app import policy
from targeting_service.app.participation import announce
from targeting_service.app.ports import EmployeeEvents, Stores
from targeting_service.domain.consent_records import (
    ConsentRecord,
    Operation,
    check_retry,
    decide,
)
from targeting_service.domain.employees import Employee
from targeting_service.domain.participation import ConsentChoice, valid_choice

log = logging.getLogger(__name__)
MAX_REQUEST_ID = 100  # the record table's key column


# The audit action of each consent operation.
DECISIONS = {
    Operation.RECORD_CONSENT: "consent.record",
    Operation.SET_PARTICIPATION: "participation.set",
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def decision_state(record: ConsentRecord) -> State:
    """A decision in the audit log, as its consent record keeps it: the state
    it sets (whole, so each entry alone says what was agreed to), whether it
    took effect (a later decision may hold already) and where it was made."""
    return {
        "opted_in": record.opted_in,
        "consent": record.consent,
        "auto_share": record.auto_share,
        "applied": record.applied,
        "source": record.source,
    }


class ConsentUseCases:
    def __init__(
        self, db: UnitOfWork, stores: Stores, events: EmployeeEvents, audit: AuditTrail
    ) -> None:
        self.db = db
        self.stores = stores
        self.events = events
        self.audit = audit

    async def record_consent(
        self,
        actor: Principal,
        tenant_id: str,
        employee_id: str,
        choice: ConsentChoice,
        request_id: str,
    ) -> Employee:
        """The employee's own choice (participation, consent to be
        represented, auto-share), with its time and source. The event, if the
        choice changes whether they take part, is decided where the import's
        and SCIM's are (app.participation) and commits with the change and
        its record (domain.consent_records): a retried request_id changes
        nothing and emits nothing. Only the employee themself: it is the
        proof of their consent."""
        tenant_id = valid_tenant(policy.person_tenant(actor, tenant_id))
        employee_id = policy.own_employee(actor, employee_id)
        return await self._decide(
            tenant_id, employee_id, choice, request_id, Operation.RECORD_CONSENT
        )

    async def set_participation(
        self,
        actor: Principal,
        tenant_id: str,
        employee_id: str,
        opted_in: bool,
        source: str,
        request_id: str,
    ) -> Employee:
        """Opting in or out only (consent and auto-share as they are; opting
        out ends auto-share). The employee themself, or a tenant admin."""
        tenant_id = valid_tenant(policy.person_tenant(actor, tenant_id))
        employee_id = policy.own_or(actor, employee_id)
        choice = ConsentChoice(opted_in, None, source or "app")
        return await self._decide(
            tenant_id, employee_id, choice, request_id, Operation.SET_PARTICIPATION
        )

    async def _decide(
        self,
        tenant_id: str,
        employee_id: str,
        choice: ConsentChoice,
        request_id: str,
        operation: Operation,
    ) -> Employee:
        valid_tenant(tenant_id)
        require("employee_id", employee_id)
        require("request_id", request_id)
        if len(request_id) > MAX_REQUEST_ID:
            raise InvalidArgument("request_id", f"is longer than {MAX_REQUEST_ID} characters")
        now = utcnow()
        valid_choice(choice, now)
        change = None
        async with self.db.transaction() as transaction:
            consents = self.stores.consents(transaction)
            before, current = await consents.lock(tenant_id, employee_id)
            record = await consents.find(tenant_id, request_id)
            retry = record is not None
            if record is not None:
                check_retry(record, employee_id, operation, choice)
            else:
                last = await consents.last_applied(tenant_id, employee_id)
                record = decide(request_id, employee_id, operation, choice, current, last, now)
                if record.applied:
                    after = await consents.apply(tenant_id, record, now)
                    change = announce(
                        self.events, transaction, tenant_id, employee_id, before, after, now
                    )
                await consents.add(tenant_id, record, now)
                self.audit.record(
                    transaction,
                    tenant_id=tenant_id,
                    action=DECISIONS[operation],
                    target_type="employee",
                    target_id=employee_id,
                    before=None,  # a new consent record; the one before has its own entry
                    after=decision_state(record),
                    request_id=request_id,
                )
        log.info(
            "consent recorded",
            extra={
                "chorus": {
                    "tenant_id": tenant_id,
                    "employee_id": employee_id,
                    "operation": operation.value,
                    "retry": retry,
                    "applied": record.applied and not retry,
                    "transition": change.value if change else "",
                    "source": choice.source,
                }
            },
        )
        # As they are now, a retry included (the project's rule for replies
        # to a replayed request_id): the record says what this request decided.
        async with self.db.session() as transaction:
            return await self.stores.employees(transaction).get(tenant_id, employee_id)

    async def erase(
        self, actor: Principal, tenant_id: str, employee_id: str, request_id: str = ""
    ) -> bool:
        """Deletes the person's data here (their account links too) and tells
        every service to do the same. Erasing twice is a no-op answered with
        False. Tenant admins only."""
        tenant_id = valid_tenant(policy.admin_tenant(actor, tenant_id))
        require("employee_id", employee_id)
        now = utcnow()
        async with self.db.transaction() as transaction:
            # Read before the erasure deletes it: the services that record
            # people by their sign-in subject erase that too.
            link = await self.stores.account_links(transaction).of_employee(tenant_id, employee_id)
            erased = await self.stores.directory(transaction).erase(tenant_id, employee_id, now)
            if erased:
                subjects = [link.subject] if link is not None else []
                self.events.erased(transaction, tenant_id, employee_id, now, subjects)
                # The opaque id is all the log keeps: the person is gone here.
                self.audit.record(
                    transaction,
                    tenant_id=tenant_id,
                    action="employee.erase",
                    target_type="employee",
                    target_id=employee_id,
                    before={"erased": False},
                    after={"erased": True},
                    request_id=request_id,
                )
        log.info(
            "employee erased",
            extra={
                "chorus": {"tenant_id": tenant_id, "employee_id": employee_id, "first_time": erased}
            },
        )
        return erased

    async def issue_scim_token(self, actor: Principal, tenant_id: str) -> str:
        """Tenant admins only: a new token revokes the one the tenant's
        identity provider uses."""
        tenant_id = valid_tenant(policy.admin_tenant(actor, tenant_id))
        token = f"chorus_scim_{secrets.token_urlsafe(32)}"
        async with self.db.transaction() as transaction:
            revoked = await self.stores.scim_tokens(transaction).replace(
                tenant_id, token_hash(token), utcnow()
            )
            # Neither the token nor its hash: only that one is in force.
            self.audit.record(
                transaction,
                tenant_id=tenant_id,
                action="scim_token.rotate" if revoked else "scim_token.issue",
                target_type="scim_token",
                target_id=tenant_id,
                before={"active": revoked},
                after={"active": True, "revoked_previous": revoked},
                request_id="",
            )
        return token

    async def tenant_for_token(self, token: str) -> str | None:
        async with self.db.session() as transaction:
            return await self.stores.scim_tokens(transaction).tenant_of(token_hash(token))
