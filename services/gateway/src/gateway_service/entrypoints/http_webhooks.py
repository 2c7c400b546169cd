"""The tenant's outgoing webhooks (app/webhooks.py: tenant admins only).

GET    /v1/webhooks                          every webhook (a disabled one says why)
POST   /v1/webhooks                          subscribe an HTTPS endpoint (201; the secret, once)
GET    /v1/webhooks/{webhook_id}             one webhook
DELETE /v1/webhooks/{webhook_id}             unsubscribe (its delivery log stays)
POST   /v1/webhooks/{webhook_id}/rotate-secret  a new secret; the old one signs during the grace
POST   /v1/webhooks/{webhook_id}/enable      back on after being disabled for failing
GET    /v1/webhooks/{webhook_id}/deliveries  the delivery log, newest first
GET    /v1/webhook-allowed-hosts             hosts allowed although non-public
PUT    /v1/webhook-allowed-hosts             replace them
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from gateway_service.app.webhooks import Webhooks
from gateway_service.domain.cursor import DEFAULT_LIMIT
from gateway_service.domain.webhooks import EVENT_TYPES, Attempt, Delivery, Webhook
from gateway_service.entrypoints.deps import Caller, RequestId, gateway
from gateway_service.entrypoints.pagination import Cursor, Limit, Page, page, page_token
from gateway_service.entrypoints.routing import router

api = router("/v1", ["webhooks"])
WebhookId = Annotated[str, Path(min_length=1, max_length=36, description="The webhook's id")]


def webhooks(request: Request) -> Webhooks:
    found = gateway(request).webhooks
    assert found is not None, "composition.build wires the webhooks"
    return found


Hooks = Annotated[Webhooks, Depends(webhooks)]


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=1, max_length=2000, description="An https:// URL")
    event_types: list[str] = Field(
        min_length=1, max_length=len(EVENT_TYPES), description=f"of: {', '.join(EVENT_TYPES)}"
    )


class WebhookJson(BaseModel):
    webhook_id: str
    url: str
    event_types: list[str]
    enabled: bool
    created_at: datetime
    created_by: str
    consecutive_failures: int
    disabled_at: datetime | None = None
    disabled_reason: str = ""  # set when it was disabled for failing
    previous_secret_until: datetime | None = None  # a rotation's grace period

    @classmethod
    def of(cls, webhook: Webhook) -> WebhookJson:
        return cls(
            webhook_id=webhook.webhook_id,
            url=webhook.url,
            event_types=list(webhook.event_types),
            enabled=webhook.enabled,
            created_at=webhook.created_at,
            created_by=webhook.created_by,
            consecutive_failures=webhook.consecutive_failures,
            disabled_at=webhook.disabled_at,
            disabled_reason=webhook.disabled_reason,
            previous_secret_until=webhook.previous_secret_until,
        )


class WebhookCreated(WebhookJson):
    secret: str = Field(description="whsec_...: shown this once; verify signatures with it")


class SecretJson(BaseModel):
    secret: str = Field(description="the new whsec_ secret, shown this once")
    previous_secret_until: datetime | None


class WebhookList(BaseModel):
    items: list[WebhookJson]


class AttemptJson(BaseModel):
    number: int
    at: datetime
    status_code: int | None
    error: str
    duration_ms: int

    @classmethod
    def of(cls, attempt: Attempt) -> AttemptJson:
        return cls(**attempt.__dict__)


class DeliveryJson(BaseModel):
    delivery_id: str  # the webhook-id header the receiver saw
    event_type: str
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    history: list[AttemptJson]

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryJson:
        return cls(
            delivery_id=delivery.delivery_id,
            event_type=delivery.event_type,
            status=delivery.status.value,
            attempts=delivery.attempts,
            created_at=delivery.created_at,
            next_attempt_at=delivery.next_attempt_at,
            delivered_at=delivery.delivered_at,
            history=[AttemptJson.of(a) for a in delivery.history],
        )


class AllowedHosts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hosts: list[str] = Field(max_length=50)


@api.get("/webhooks", summary="The tenant's webhooks")
async def list_webhooks(caller: Caller, hooks: Hooks) -> WebhookList:
    return WebhookList(items=[WebhookJson.of(w) for w in await hooks.all(caller.principal)])


@api.post("/webhooks", status_code=201, summary="Subscribe an HTTPS endpoint to events")
async def create_webhook(
    body: WebhookIn, caller: Caller, hooks: Hooks, request_id: RequestId, response: Response
) -> WebhookCreated:
    webhook, secret = await hooks.create(caller.principal, body.url, body.event_types, request_id)
    response.headers["Location"] = f"/v1/webhooks/{webhook.webhook_id}"
    return WebhookCreated(**WebhookJson.of(webhook).model_dump(), secret=secret)


@api.get("/webhooks/{webhook_id}", summary="One webhook")
async def get_webhook(caller: Caller, hooks: Hooks, webhook_id: WebhookId) -> WebhookJson:
    return WebhookJson.of(await hooks.get(caller.principal, webhook_id))


@api.delete("/webhooks/{webhook_id}", status_code=204, summary="Unsubscribe")
async def delete_webhook(
    caller: Caller, hooks: Hooks, webhook_id: WebhookId, request_id: RequestId
) -> Response:
    await hooks.delete(caller.principal, webhook_id, request_id)
    return Response(status_code=204)


@api.post("/webhooks/{webhook_id}/rotate-secret", summary="Rotate the signing secret")
async def rotate_secret(
    caller: Caller, hooks: Hooks, webhook_id: WebhookId, request_id: RequestId
) -> SecretJson:
    secret = await hooks.rotate_secret(caller.principal, webhook_id, request_id)
    webhook = await hooks.get(caller.principal, webhook_id)
    return SecretJson(secret=secret, previous_secret_until=webhook.previous_secret_until)


@api.post("/webhooks/{webhook_id}/enable", summary="Enable a webhook disabled for failing")
async def enable_webhook(
    caller: Caller, hooks: Hooks, webhook_id: WebhookId, request_id: RequestId
) -> WebhookJson:
    return WebhookJson.of(await hooks.enable(caller.principal, webhook_id, request_id))


@api.get("/webhooks/{webhook_id}/deliveries", summary="The delivery log, newest first")
async def list_deliveries(
    request: Request,
    caller: Caller,
    hooks: Hooks,
    webhook_id: WebhookId,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[DeliveryJson]:
    before = page_token(request, caller, cursor)
    items, next_token = await hooks.deliveries(caller.principal, webhook_id, before, limit)
    return page(request, caller, [DeliveryJson.of(d) for d in items], next_token)


@api.get("/webhook-allowed-hosts", summary="Hosts webhooks may reach although non-public")
async def get_allowed_hosts(caller: Caller, hooks: Hooks) -> AllowedHosts:
    return AllowedHosts(hosts=sorted(await hooks.allowed_hosts(caller.principal)))


@api.put("/webhook-allowed-hosts", summary="Replace the hosts webhooks may reach")
async def put_allowed_hosts(
    body: AllowedHosts, caller: Caller, hooks: Hooks, request_id: RequestId
) -> AllowedHosts:
    hosts = await hooks.set_allowed_hosts(caller.principal, body.hosts, request_id)
    return AllowedHosts(hosts=sorted(hosts))
