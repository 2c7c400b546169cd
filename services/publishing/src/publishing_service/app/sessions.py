"""Forgetting the sessions a connector keeps outside the database (Bluesky's,
in Redis) when the credentials they came from are gone or replaced: the
employee disconnected the account, connected it again with new credentials
(app/accounts.py), or was erased (app/withdrawal.py). Left behind, a session
would still post for an account Chorus no longer holds (disconnected,
erased: until its refresh token dies, 90 days on Bluesky), or with the
credentials the employee replaced.

Always after the database transaction commits, never inside it: a slow
Redis must not hold the account row locked, and a rolled-back disconnection
must not sign the account out. The account id is derived, not read
(domain.accounts.account_id_for), so an account whose row is gone already
(a disconnection retried because the forgetting failed) is still found."""

from __future__ import annotations

from collections.abc import Iterable

from publishing_service.app.ports import StoredSessions
from publishing_service.domain.accounts import account_id_for


class AccountSessions:
    def __init__(self, stores: Iterable[StoredSessions] = ()) -> None:
        self.by_network = {store.network: store for store in stores}

    async def forget(self, tenant_id: str, employee_id: str, network: str) -> None:
        """Raises RetryableNetworkError when the store does not answer."""
        store = self.by_network.get(network)
        if store is not None:
            await store.forget(account_id_for(tenant_id, employee_id, network))

    async def forget_all(self, tenant_id: str, employee_id: str) -> None:
        """Every network's session of the employee (an erasure)."""
        for network in self.by_network:
            await self.forget(tenant_id, employee_id, network)
