"""Kafka entry points for chorus.targeting.employee.v1 (opt-out, opt-in again, erasure)."""

from __future__ import annotations

from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_messaging import EventContext, Outbox, Subscription
from chorus_messaging.consumer import Handler
from chorus_messaging.topics import EMPLOYEES

from scheduling_service.app.employee_privacy import EmployeePrivacy


def handlers(privacy: EmployeePrivacy) -> dict[type, Handler]:
    async def on_opted_out(event: targeting.EmployeeOptedOut, ctx: EventContext) -> None:
        async with ctx.transaction() as session:
            await privacy.opted_out(
                session, ctx.envelope.tenant_id or event.tenant_id, event.employee_id
            )

    async def on_opted_in(event: targeting.EmployeeOptedIn, ctx: EventContext) -> None:
        async with ctx.transaction() as session:
            await privacy.opted_in(
                session, ctx.envelope.tenant_id or event.tenant_id, event.employee_id
            )

    async def on_erased(event: targeting.EmployeeErased, ctx: EventContext) -> None:
        async with ctx.transaction() as session:
            await privacy.erased(
                session, ctx.envelope.tenant_id or event.tenant_id, event.employee_id
            )

    return {
        targeting.EmployeeOptedOut: on_opted_out,
        targeting.EmployeeOptedIn: on_opted_in,
        targeting.EmployeeErased: on_erased,
    }


def subscriptions(outbox: Outbox) -> list[Subscription]:
    return [Subscription(EMPLOYEES, handlers(EmployeePrivacy(outbox)))]
