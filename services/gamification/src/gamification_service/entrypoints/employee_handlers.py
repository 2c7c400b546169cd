"""Kafka entry point for chorus.targeting.employee.v1 (erasure)."""

from __future__ import annotations

from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_messaging import EventContext, Subscription
from chorus_messaging.topics import EMPLOYEES
from redis.asyncio import Redis

from gamification_service.app.employee_privacy import anonymise_employee


def subscriptions(redis: Redis) -> list[Subscription]:
    async def on_erased(event: targeting.EmployeeErased, ctx: EventContext) -> None:
        async with ctx.transaction() as session:
            await anonymise_employee(
                session, redis, ctx.envelope.tenant_id or event.tenant_id, event.employee_id
            )

    # EmployeeOptedOut has no handler (the consumer skips it): points already
    # earned stay the employee's.
    return [Subscription(EMPLOYEES, {targeting.EmployeeErased: on_erased})]
