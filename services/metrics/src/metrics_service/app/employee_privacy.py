"""Erasure of an employee (EmployeeErased from targeting).

Aggregates stay exact (post stats never held a person); the personal column
of their tracked links and clicks is overwritten with the shared ERASED
marker. The links keep redirecting (they are out in the world), and a later
click is counted for the post and attributed to nobody.
"""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from metrics_service.adapters.tables import ClickRow, TrackedLinkRow

log = logging.getLogger(__name__)
ERASED = "erased"


async def anonymise_employee(session: AsyncSession, tenant_id: str, employee_id: str) -> int:
    """Returns how many rows (links + clicks) were anonymised."""
    changed = 0
    for table in (TrackedLinkRow, ClickRow):
        result = await session.execute(
            update(table)
            .where(table.tenant_id == tenant_id, table.employee_id == employee_id)  # type: ignore[attr-defined]
            .values(employee_id=ERASED)
        )
        changed += result.rowcount  # type: ignore[attr-defined]
    log.info(
        "employee erased: links and clicks anonymised",
        extra={"chorus": {"tenant_id": tenant_id, "employee_id": employee_id, "rows": changed}},
    )
    return changed
