"""Who may do what in metrics (its authorization policy).

* CreateTrackedLink: the service `publishing` only (it makes the link of
  each share it posts); no person, no other service. As a service it must
  name the tenant it acts for (tenant_for).
* GetPostStats, GetTenantStats, GetCampaignStats: comms managers and
  tenant admins of the tenant (a campaign's actuals are its posts' stats).
  Reviewers do not see stats: they judge a post before it goes out, and
  reach per country is the comms team's steering data, not input to an
  approval. Employees and moderators do not either; services call
  none of them.
* The click redirect (GET /l/{code}) stays public: it is the link people
  follow from a social network, with no identity by nature.
* tenant_id is checked by tenant_for (empty = the caller's tenant);
  stats of another tenant are never read.
"""

from __future__ import annotations

from chorus_identity.policy import require_role, require_service
from chorus_identity.principal import Principal, Role

LINK_MAKERS = frozenset({"publishing"})


def require_link_maker(actor: Principal) -> None:
    require_service(actor, LINK_MAKERS)


def require_stats_reader(actor: Principal) -> None:
    require_role(actor, Role.COMMS_MANAGER)
