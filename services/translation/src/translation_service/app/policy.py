"""Who may do what in translation (its authorization policy).

* Translate (an ad-hoc text, e.g. previewing a draft in another language),
  GetTranslations, ListLanguageDecisions and GetLanguagePolicy: comms
  managers, reviewers and tenant admins of the tenant — the people who
  write, check and approve what goes out in each language. Employees get
  their text in their share suggestion, not from here; moderators have no
  use for it.
* SetLanguagePolicy: tenant admins only. The policy (fall back or hold a
  language for a human) applies to every post of the tenant in every
  region, while a comms manager's role is scoped to regions and channels;
  a tenant-wide rule is the tenant admin's, like the charter.
* No service calls these RPCs (translation reads content, not the other
  way round); service principals are refused.
* tenant_id is checked by tenant_for (empty = the caller's tenant); another
  tenant's translations, decisions and policy are never read or changed.
"""

from __future__ import annotations

from chorus_identity.policy import require_admin, require_role
from chorus_identity.principal import Principal, Role

_READERS = (Role.COMMS_MANAGER, Role.REVIEWER)


def require_reader(actor: Principal) -> None:
    require_role(actor, *_READERS)


def require_policy_setter(actor: Principal) -> None:
    require_admin(actor)
