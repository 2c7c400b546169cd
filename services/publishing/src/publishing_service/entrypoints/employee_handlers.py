"""Kafka entry points: chorus.targeting.employee.v1 (opt-out, opt-in again,
erasure) and scheduling's ShareCancelled (subscribed with ShareDue, on the
share topic, by kafka_handlers.subscriptions)."""

from __future__ import annotations

from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_messaging import EventContext, Subscription
from chorus_messaging.topics import EMPLOYEES

from publishing_service.app.employee_privacy import (
    erase_employee,
    hold_employee,
    lift_hold,
    record_cancelled,
)


async def on_opted_out(event: targeting.EmployeeOptedOut, ctx: EventContext) -> None:
    async with ctx.transaction() as session:
        await hold_employee(
            session, ctx.envelope.tenant_id or event.tenant_id, event.employee_id, "opted_out"
        )


async def on_opted_in(event: targeting.EmployeeOptedIn, ctx: EventContext) -> None:
    async with ctx.transaction() as session:
        await lift_hold(session, ctx.envelope.tenant_id or event.tenant_id, event.employee_id)


async def on_erased(event: targeting.EmployeeErased, ctx: EventContext) -> None:
    tenant_id = ctx.envelope.tenant_id or event.tenant_id
    async with ctx.transaction() as session:
        await hold_employee(session, tenant_id, event.employee_id, "erased")
        await erase_employee(session, tenant_id, event.employee_id)


async def on_share_cancelled(event: scheduling.ShareCancelled, ctx: EventContext) -> None:
    async with ctx.transaction() as session:
        await record_cancelled(
            session, ctx.envelope.tenant_id or event.tenant_id, event.share_id, event.reason
        )


def subscriptions() -> list[Subscription]:
    return [
        Subscription(
            EMPLOYEES,
            {
                targeting.EmployeeOptedOut: on_opted_out,
                targeting.EmployeeOptedIn: on_opted_in,
                targeting.EmployeeErased: on_erased,
            },
        )
    ]
