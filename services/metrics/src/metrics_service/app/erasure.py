"""Erasure of an employee (EmployeeErased from targeting, through
chorus_messaging.privacy's subscription).

Aggregates stay exact (post stats never held a person); the personal column
of their tracked links and clicks is overwritten with the shared ERASED
marker. The links keep redirecting (they are out in the world), and a later
click is counted for the post and attributed to nobody.
"""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from metrics_service.adapters.tables import ClickRow, TrackedLinkRow

log = logging.getLogger(__name__)
ERASED = "erased"


async def anonymise_employee(session: AsyncSession, tenant_id: str, employee_id: str) -> int:
    """Returns how many rows (links + clicks) were anonymised."""
    changed = 0
    for table, tenant, employee in (
        (TrackedLinkRow, col(TrackedLinkRow.tenant_id), col(TrackedLinkRow.employee_id)),
        (ClickRow, col(ClickRow.tenant_id), col(ClickRow.employee_id)),
    ):
        result = await session.execute(
            update(table)
            .where(tenant == tenant_id, employee == employee_id)
            .values(employee_id=ERASED)
        )
        # An UPDATE's result is a CursorResult; execute() is typed Result.
        changed += getattr(result, "rowcount", 0)
    log.info(
        "employee erased: links and clicks anonymised",
        extra={"chorus": {"tenant_id": tenant_id, "employee_id": employee_id, "rows": changed}},
    )
    return changed
