"""Erasure of an employee (EmployeeErased from targeting, through
chorus_messaging.privacy's subscription).

Aggregates stay exact (post stats never held a person); the personal column
of their tracked links and clicks is overwritten with the shared ERASED
marker. The links keep redirecting (they are out in the world), and a later
click is counted for the post and attributed to nobody. The erasure hold
stays (chorus_messaging.privacy): a link publishing asks for after it, or a
click read just before it committed, is stored under the marker too
(MetricsUseCases._owner).
"""

from __future__ import annotations

import logging

from chorus_db.ports import Transaction

from metrics_service.app.ports import Stores

log = logging.getLogger(__name__)
ERASED = "erased"


async def anonymise_employee(
    stores: Stores, transaction: Transaction, tenant_id: str, employee_id: str
) -> int:
    """Returns how many rows (links + clicks) were anonymised."""
    changed = await stores.links(transaction).anonymise(tenant_id, employee_id, ERASED)
    changed += await stores.clicks(transaction).anonymise(tenant_id, employee_id, ERASED)
    log.info(
        "employee erased: links and clicks anonymised",
        extra={"chorus": {"tenant_id": tenant_id, "employee_id": employee_id, "rows": changed}},
    )
    return changed
