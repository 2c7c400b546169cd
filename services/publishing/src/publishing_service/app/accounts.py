"""Connecting and disconnecting an employee's social account, and reading
the ledger. A connection and a disconnection are each an entry of the
tenant's audit log in their transaction: the network and Chorus's opaque
account id, never the handle or the secret.

Connecting records when the network says the token expires (the token
warnings' job announces it beforehand, app/token_warnings.py). Reconnecting
(connecting again, the network accepting the new credentials) clears
"needs reconnect" and, in the same transaction, releases the shares held
for it (app/holds.py): deferred to now, so the sweeper sends them.

Disconnecting, and connecting again, forget the account's stored session
once the transaction has committed (app/sessions.py): a disconnected account
is not posted to, and a reconnected one signs in with its new credentials."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition, InvalidArgument, NotFound, Unavailable
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import UnitOfWork
from chorus_identity.policy import tenant_for
from chorus_identity.principal import Principal
from chorus_messaging.audit import AuditTrail, OutboxAuditTrail
from opentelemetry import trace

from publishing_service.app import policy
from publishing_service.app.ports import (
    AccountCredentials,
    CredentialsRejected,
    NetworkConnector,
    RetryableNetworkError,
    SecretCipher,
    StoredSessions,
    Stores,
)
from publishing_service.app.sessions import AccountSessions
from publishing_service.domain.accounts import (
    account_id_for,
    associated_data,
    supported_network,
    validate_connection,
)
from publishing_service.domain.ledger import LedgerEntry

log = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class ConnectRequest:
    """tenant_id and employee_id as the request names them (empty = the
    caller's own); app.policy checks them against the caller."""

    tenant_id: str
    employee_id: str
    network: str
    handle: str
    secret: str = field(repr=False)
    request_id: str = ""


@dataclass(frozen=True)
class ConnectedAccount:
    account_id: str
    network: str


class AccountUseCases:
    def __init__(
        self,
        db: UnitOfWork,
        stores: Stores,
        connectors: Mapping[str, NetworkConnector],
        secrets: SecretCipher,
        audit: AuditTrail | None = None,
        sessions: Sequence[StoredSessions] = (),
    ) -> None:
        self.db = db
        self.stores = stores
        self.connectors = connectors
        self.secrets = secrets
        self.audit = audit or OutboxAuditTrail.of_service("publishing")
        self.sessions = AccountSessions(sessions)

    async def connect_account(self, actor: Principal, asked: ConnectRequest) -> ConnectedAccount:
        request = replace(
            asked,
            tenant_id=valid_tenant(tenant_for(actor, asked.tenant_id)),
            employee_id=policy.own_employee(actor, asked.employee_id),
        )
        network = supported_network(request.network, tuple(self.connectors))
        handle = validate_connection(
            network, tuple(self.connectors), request.handle, request.secret
        )
        account_id = account_id_for(request.tenant_id, request.employee_id, network)
        trace.get_current_span().set_attribute("chorus.tenant_id", request.tenant_id)
        if request.request_id:
            async with self.db.session() as reads:
                existing = await self.stores.accounts(reads).find(
                    request.tenant_id, request.employee_id, network
                )
            if existing is not None and existing.request_id == request.request_id:
                # A retried call: connected already, and createSession is too
                # rate-limited to spend on a retry.
                return ConnectedAccount(account_id, network)
        try:
            verified = await self.connectors[network].verify(
                AccountCredentials(account_id=account_id, handle=handle, secret=request.secret)
            )
        except CredentialsRejected:
            # FAILED_PRECONDITION, not INVALID_ARGUMENT: the request is well
            # formed, and the same one succeeds once the employee fixes the
            # account at the network (new app password); nor PERMISSION_DENIED,
            # which would say the caller lacks a right in Chorus.
            raise FailedPrecondition(
                f"{network} rejected the credentials for this handle"
            ) from None
        ciphertext = self.secrets.encrypt(
            request.secret, associated_data(request.tenant_id, request.employee_id, network)
        )
        now = utcnow()
        async with self.db.transaction() as transaction:
            accounts = self.stores.accounts(transaction)
            known = await accounts.find(request.tenant_id, request.employee_id, network)
            await accounts.save(
                account_id=account_id,
                tenant_id=request.tenant_id,
                employee_id=request.employee_id,
                network=network,
                handle=handle,
                external_id=verified.network_account_id,
                secret_ciphertext=ciphertext,
                request_id=request.request_id or None,
                now=now,
                token_expires_at=verified.token_expires_at,
            )
            # After save(), which locks the account row: a worker holding a
            # share of this account right now either committed before (its
            # share is released here) or sees the new credentials (it sends).
            released = await self.stores.ledger(transaction).release_held(
                request.tenant_id, request.employee_id, network, now
            )
            self.audit.record(
                transaction,
                tenant_id=request.tenant_id,
                action="account.reconnect" if known is not None else "account.connect",
                target_type="account",
                target_id=account_id,
                before=None,
                after={"network": network, "account_id": account_id},
                request_id=request.request_id,
            )
        if known is not None:
            await self._forget_replaced_session(request.tenant_id, request.employee_id, network)
        if released:
            log.info(
                "account reconnected; its held shares go out",
                extra={"chorus": {"account_id": account_id, "count": released}},
            )
        return ConnectedAccount(account_id, network)

    async def _forget_replaced_session(
        self, tenant_id: str, employee_id: str, network: str
    ) -> None:
        """A reconnection's next post signs in again (one createSession per
        reconnection): the session verify() made may have been replaced, while
        the old credentials were still the stored ones, by one a replica made
        from them. After the commit only the new credentials can sign in."""
        try:
            await self.sessions.forget(tenant_id, employee_id, network)
        except RetryableNetworkError:
            # The connection is made and answered as such (a retried call
            # returns early): the stored session is verify()'s, from the new
            # credentials, unless a replica raced it; say so, opaquely.
            log.warning(
                "reconnected, but its stored session could not be forgotten",
                extra={"chorus": {"account_id": account_id_for(tenant_id, employee_id, network)}},
            )

    async def disconnect_account(
        self,
        actor: Principal,
        *,
        tenant_id: str,
        employee_id: str,
        network: str,
        request_id: str = "",
    ) -> bool:
        """Deletes the employee's account for `network` (its encrypted secret
        with it); False when none was connected. Idempotent: disconnecting
        again changes and records nothing. Shares due afterwards fail as for
        an employee who never connected (app.publish finds no account);
        shares already held for a reconnection stay held: connecting again
        sends them. The account's stored session is forgotten after the
        commit, even when no account was left to delete: a disconnection
        retried because Redis did not answer (UNAVAILABLE) forgets it then."""
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        employee_id = policy.own_employee(actor, employee_id)
        network = supported_network(network, tuple(self.connectors))
        trace.get_current_span().set_attribute("chorus.tenant_id", tenant_id)
        account_id = account_id_for(tenant_id, employee_id, network)
        async with self.db.transaction() as transaction:
            deleted = await self.stores.accounts(transaction).delete(
                tenant_id, employee_id, network
            )
            if deleted:
                self.audit.record(
                    transaction,
                    tenant_id=tenant_id,
                    action="account.disconnect",
                    target_type="account",
                    target_id=account_id,
                    before={"network": network, "account_id": account_id},
                    after=None,
                    request_id=request_id,
                )
        try:
            await self.sessions.forget(tenant_id, employee_id, network)
        except RetryableNetworkError:
            raise Unavailable(
                "the account is disconnected, but its stored session could not be "
                "forgotten yet; disconnect again"
            ) from None
        return deleted


class LedgerQueries:
    def __init__(self, db: UnitOfWork, stores: Stores) -> None:
        self.db = db
        self.stores = stores

    async def get_publish_status(
        self, actor: Principal, tenant_id: str, share_id: str
    ) -> LedgerEntry:
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        require("share_id", share_id)
        trace.get_current_span().set_attribute("chorus.share_id", share_id)
        async with self.db.session() as reads:
            entry = await self.stores.ledger(reads).get(tenant_id, share_id)
        if entry is None:
            raise NotFound("share", share_id)
        policy.require_readable(actor, entry)
        return entry

    async def list_published(
        self,
        actor: Principal,
        tenant_id: str,
        post_id: str,
        page_size: int = 0,
        page_token: str = "",
    ) -> tuple[list[LedgerEntry], str]:
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        employee_id = policy.published_filter(actor)
        require("post_id", post_id)
        if page_size < 0 or page_size > MAX_PAGE_SIZE:
            raise InvalidArgument("page_size", f"must be between 0 and {MAX_PAGE_SIZE}")
        limit = page_size or DEFAULT_PAGE_SIZE
        async with self.db.session() as reads:
            page = await self.stores.ledger(reads).list_published(
                tenant_id, post_id, limit, page_token, employee_id
            )
        return page, (page[-1].share_id if len(page) == limit else "")
