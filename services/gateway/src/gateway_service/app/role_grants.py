"""A tenant's Chorus role grants: roles given in Chorus on top of the ones
the identity provider's token carries (an enterprise IdP rarely knows who
reviews legal or which channels a comms manager runs).

Policy: only a tenant admin reads or changes grants, and only in their own
tenant (the tenant is the admin's, never a request field). An admin may not
remove their own tenant_admin grant here (it would lock the tenant out of
its own administration if the IdP does not also grant it).
"""

from __future__ import annotations

from collections.abc import Sequence

from chorus_core.errors import InvalidArgument
from chorus_db.ports import Transaction
from chorus_identity.policy import require_admin
from chorus_identity.principal import Grant, Principal, Role

from gateway_service.app.auth import Authenticator
from gateway_service.app.ports import RoleGrantStore

MAX_GRANTS = 20
MAX_SCOPE_VALUES = 200


class RoleGrants:
    def __init__(self, store: RoleGrantStore, auth: Authenticator) -> None:
        self.store = store
        self.auth = auth

    async def get(self, actor: Principal, subject: str) -> tuple[Grant, ...]:
        require_admin(actor)
        return await self.store.grants(actor.tenant_id, subject)

    async def put(
        self, actor: Principal, subject: str, grants: Sequence[Grant], request_id: str = ""
    ) -> tuple[Grant, ...]:
        """Audited (role.grant) in the change's transaction, by the store."""
        require_admin(actor)
        if len(grants) > MAX_GRANTS:
            raise InvalidArgument("grants", f"at most {MAX_GRANTS}")
        for index, grant in enumerate(grants):
            for name in ("regions", "channels", "steps"):
                if len(getattr(grant, name)) > MAX_SCOPE_VALUES:
                    raise InvalidArgument(f"grants[{index}].{name}", f"at most {MAX_SCOPE_VALUES}")
        if subject == actor.subject and not any(g.role == Role.TENANT_ADMIN for g in grants):
            await self._keep_own_admin(actor)
        await self.store.put(actor.tenant_id, subject, grants, request_id)
        self.auth.forget(actor.tenant_id, subject)
        return tuple(grants)

    async def delete(self, actor: Principal, subject: str, request_id: str = "") -> bool:
        require_admin(actor)
        if subject == actor.subject:
            await self._keep_own_admin(actor)
        deleted = await self.store.delete(actor.tenant_id, subject, request_id)
        self.auth.forget(actor.tenant_id, subject)
        return deleted

    async def erase(
        self, transaction: Transaction, tenant_id: str, subjects: Sequence[str]
    ) -> None:
        """EmployeeErased: the erased person's sign-ins hold no role any more
        (no admin check: the erasure was a tenant admin's, in targeting). This
        replica forgets them now; a cache refilled before the commit, and
        other replicas, within the grants' TTL (their sign-in no longer
        reaches a directory entry at once: targeting deleted the link)."""
        await self.store.erase(transaction, tenant_id, subjects)
        for subject in subjects:
            self.auth.forget(tenant_id, subject)

    async def _keep_own_admin(self, actor: Principal) -> None:
        stored = await self.store.grants(actor.tenant_id, actor.subject)
        if any(g.role == Role.TENANT_ADMIN for g in stored):
            raise InvalidArgument("grants", "a tenant admin cannot remove their own admin grant")
