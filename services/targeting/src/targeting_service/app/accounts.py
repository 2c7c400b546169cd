"""Just-in-time account linking: on a person's first sign-in the gateway
asks which directory entry their identity-provider account is; the link is
kept so the entry never changes hands silently.

The e-mail and externalId come from the provider's token (the gateway passes
only what the provider vouched for); neither is logged nor put on a span,
only the tenant, the entry's opaque id and how it was matched; a new link
is in the tenant's audit log the same way.
"""

from __future__ import annotations

import logging

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument, NotFound
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import Transaction, UnitOfWork
from chorus_identity.policy import tenant_for
from chorus_identity.principal import Principal
from chorus_messaging.audit import AuditTrail
from opentelemetry import trace

from targeting_service.app import policy
from targeting_service.app.ports import Stores
from targeting_service.domain.account_links import (
    AccountLink,
    LinkedAccount,
    check_free,
    chosen_entry,
    valid_subject,
)

log = logging.getLogger(__name__)


class AccountLinkUseCases:
    def __init__(self, db: UnitOfWork, stores: Stores, audit: AuditTrail) -> None:
        self.db = db
        self.stores = stores
        self.audit = audit

    async def link(
        self, actor: Principal, tenant_id: str, subject: str, email: str, external_id: str
    ) -> LinkedAccount:
        """The entry with this externalId, else the one with this e-mail;
        the same subject again: its entry as linked before."""
        policy.require_linker(actor)
        tenant = valid_tenant(tenant_for(actor, tenant_id))
        subject = valid_subject(subject)
        if not email.strip() and not external_id.strip():
            raise InvalidArgument("email", "give an e-mail or an external_id")
        try:
            return await self._link(tenant, subject, email.strip(), external_id.strip())
        except Exception as error:
            # A sign-in of the same account (or of the entry's other account)
            # committed first: answer as if it had come before this one.
            if not self.stores.is_duplicate(error):
                raise
        return await self._link(tenant, subject, email.strip(), external_id.strip())

    async def _link(self, tenant: str, subject: str, email: str, external_id: str) -> LinkedAccount:
        async with self.db.transaction() as transaction:
            links = self.stores.account_links(transaction)
            known = await links.of_subject(tenant, subject)
            if known is not None:
                return await self._with_entry(transaction, tenant, known, "linked before")
            by_external_id = (
                await links.by_external_id(tenant, external_id) if external_id else None
            )
            by_email = await links.by_email(tenant, email) if email and not by_external_id else []
            employee = chosen_entry(by_external_id, by_email)
            check_free(
                employee.employee_id, await links.of_employee(tenant, employee.employee_id), subject
            )
            link = AccountLink(subject, employee.employee_id, utcnow())
            await links.add(tenant, link)
            matched = "external_id" if by_external_id else "email"
            self.audit.record(
                transaction,
                tenant_id=tenant,
                action="account_link.create",
                target_type="subject",
                target_id=subject,
                before=None,
                after={"employee_id": employee.employee_id, "matched": matched},
                request_id="",
            )
        self._observe(tenant, employee.employee_id, matched)
        return LinkedAccount(link, employee)

    async def get(self, actor: Principal, tenant_id: str, subject: str) -> LinkedAccount:
        tenant = valid_tenant(tenant_for(actor, tenant_id))
        subject = valid_subject(policy.link_subject(actor, subject))
        async with self.db.session() as transaction:
            link = await self.stores.account_links(transaction).of_subject(tenant, subject)
            if link is None:
                raise NotFound("account link", "of this subject")
            return await self._with_entry(transaction, tenant, link)

    async def _with_entry(
        self, transaction: Transaction, tenant: str, link: AccountLink, matched: str = ""
    ) -> LinkedAccount:
        employee = await self.stores.employees(transaction).get(tenant, link.employee_id)
        if matched:
            self._observe(tenant, link.employee_id, matched)
        return LinkedAccount(link, employee)

    @staticmethod
    def _observe(tenant: str, employee_id: str, matched: str) -> None:
        span = trace.get_current_span()
        span.set_attribute("chorus.tenant_id", tenant)
        span.set_attribute("chorus.employee_id", employee_id)
        log.info(
            "account linked",
            extra={"chorus": {"tenant_id": tenant, "employee_id": employee_id, "matched": matched}},
        )
