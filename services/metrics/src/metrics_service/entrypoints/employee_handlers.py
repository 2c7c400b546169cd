"""Kafka entry point for chorus.targeting.employee.v1 (erasure; opt-out needs
nothing here: counting a click on an existing link is not sharing)."""

from __future__ import annotations

from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_messaging import EventContext, Subscription
from chorus_messaging.topics import EMPLOYEES

from metrics_service.app.employee_privacy import anonymise_employee


def subscriptions() -> list[Subscription]:
    async def on_erased(event: targeting.EmployeeErased, ctx: EventContext) -> None:
        async with ctx.transaction() as session:
            await anonymise_employee(
                session, ctx.envelope.tenant_id or event.tenant_id, event.employee_id
            )

    return [Subscription(EMPLOYEES, {targeting.EmployeeErased: on_erased})]
