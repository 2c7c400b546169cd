"""Erasure of an employee (EmployeeErased from targeting, through
chorus_messaging.privacy's subscription).

Aggregates stay exact (post stats never held a person); the personal column
of their tracked links and clicks is overwritten with the shared ERASED
marker. The links keep redirecting (they are out in the world), and a later
click is counted for the post and attributed to nobody. The erasure hold
stays (chorus_messaging.privacy): a link publishing asks for after it, or a
click read just before it committed, is stored under the marker too
(MetricsUseCases._owner).

Counted shares get a token of this erasure instead: "erased-" and 128 random
bits, the same on every share of the person and on nobody else's. A
campaign's active ambassadors are distinct sharers over any set of posts and
any period, so the person who shared before the erasure still counts once,
and two erased people still count as two (under the shared marker they would
be one). A kept count of erased ambassadors could not do that: it cannot be
cut by post and period without counting the same person twice. The token is
drawn at random, never derived from the employee id, and stored nowhere
else: nothing leads from it back to the person. A share counted after the
erasure names nobody (MetricsUseCases._sharer).
"""

from __future__ import annotations

import logging
import secrets

from chorus_db.ports import Transaction

from metrics_service.app.ports import Stores

log = logging.getLogger(__name__)
ERASED = "erased"


def erasure_token() -> str:
    """A sharer id for one erased person's counted shares (see above)."""
    return f"{ERASED}-{secrets.token_hex(16)}"


async def anonymise_employee(
    stores: Stores, transaction: Transaction, tenant_id: str, employee_id: str
) -> int:
    """Returns how many rows (links + clicks + counted shares) were anonymised."""
    changed = await stores.links(transaction).anonymise(tenant_id, employee_id, ERASED)
    changed += await stores.clicks(transaction).anonymise(tenant_id, employee_id, ERASED)
    changed += await stores.stats(transaction).anonymise_shares(
        tenant_id, employee_id, erasure_token()
    )
    log.info(
        "employee erased: links, clicks and counted shares anonymised",
        extra={"chorus": {"tenant_id": tenant_id, "employee_id": employee_id, "rows": changed}},
    )
    return changed
