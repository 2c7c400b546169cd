"""Outgoing webhooks: the event types a tenant may subscribe to, the
endpoint rule, the Standard Webhooks signature, and when to retry or give
up. Pure: no I/O (the secret's randomness comes from `secrets`).

Signing follows the Standard Webhooks convention, so receivers can use its
libraries: headers `webhook-id` (the same on every attempt of one message),
`webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature`
= space-separated `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`,
one per secret in force; the secret is `whsec_<base64 of the key bytes>`.
After a rotation the old secret signs too, until its grace period ends, so
a receiver can switch keys without losing a message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from chorus_core.errors import InvalidArgument
from chorus_core.outbound import Target, check_url

# The fixed list a subscription chooses from: name -> what it announces.
EVENT_TYPES: Final[dict[str, str]] = {
    "post.approved": "a post passed its last approval step and goes out",
    "share.published": "an employee's share was posted on a social network",
    "share.failed": "a share could not be posted",
    "points.awarded": "an employee earned points",
    "account.token_expiring": "an employee's social account token expires soon: reconnect it",
    "account.reconnect_needed": "a network refused an employee's token: their shares wait",
}
SECRET_PREFIX: Final = "whsec_"
SECRET_BYTES: Final = 32
MAX_URL_CHARS: Final = 2000


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # queued, or waiting for its next attempt
    DELIVERED = "delivered"  # a 2xx answer
    FAILED = "failed"  # every attempt failed: given up


@dataclass(frozen=True)
class Webhook:
    webhook_id: str
    tenant_id: str
    url: str
    event_types: tuple[str, ...]
    created_at: datetime
    created_by: str  # Principal.ref of the admin
    enabled: bool = True
    consecutive_failures: int = 0
    disabled_at: datetime | None = None
    disabled_reason: str = ""
    # When the previous secret stops signing (None: no rotation in progress).
    previous_secret_until: datetime | None = None

    def wants(self, event_type: str) -> bool:
        return self.enabled and event_type in self.event_types


@dataclass(frozen=True)
class Attempt:
    number: int
    at: datetime
    status_code: int | None  # None: no HTTP answer (refused, timeout, TLS)
    error: str  # a short reason, never the receiver's body
    duration_ms: int


@dataclass(frozen=True)
class Delivery:
    delivery_id: str  # the webhook-id header: one per (webhook, event)
    tenant_id: str
    webhook_id: str
    event_type: str
    event_id: str  # the ce_id of the Chorus event
    payload: str  # the JSON body, the same on every attempt
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None = None
    history: tuple[Attempt, ...] = ()


def check_event_types(values: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(values))
    if not chosen:
        raise InvalidArgument("event_types", "choose at least one event type")
    for index, value in enumerate(chosen):
        if value not in EVENT_TYPES:
            raise InvalidArgument(
                f"event_types[{index}]", f"unknown; one of {', '.join(EVENT_TYPES)}"
            )
    return chosen


def check_endpoint(url: str) -> Target:
    """HTTPS only, a host, no credentials (the address is checked against
    the SSRF guard when it is resolved, at creation and at every delivery)."""
    if len(url) > MAX_URL_CHARS:
        raise InvalidArgument("url", f"at most {MAX_URL_CHARS} characters")
    return check_url(url, schemes=("https",), scheme_reason="webhook endpoints must be https")


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError("a webhook secret starts with whsec_")
    try:
        return base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except binascii.Error:
        raise ValueError("a webhook secret is whsec_ and base64") from None


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(
    secrets_in_force: Iterable[str], message_id: str, timestamp: int, body: bytes
) -> str:
    """The webhook-signature value: one v1 signature per secret, newest first."""
    return " ".join(sign(s, message_id, timestamp, body) for s in secrets_in_force)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, a bounded number of attempts; a
    webhook is disabled after `disable_after` failed attempts in a row."""

    max_attempts: int = 8
    first_delay: timedelta = timedelta(seconds=10)
    max_delay: timedelta = timedelta(hours=1)
    disable_after: int = 20

    def delay(self, attempt: int, rand: random.Random | None = None) -> timedelta:
        """Wait before attempt `attempt + 1`: half the exponential step fixed,
        half random, so receivers recovering from an outage are not hit by
        every queued message at the same instant."""
        step = min(self.first_delay * (2 ** (attempt - 1)), self.max_delay)
        fraction = (rand or random.SystemRandom()).random()
        return step / 2 + step * (fraction / 2)

    def next_attempt(
        self, attempt: int, now: datetime, rand: random.Random | None = None
    ) -> datetime | None:
        """When to try again after failed attempt `attempt`; None: give up."""
        if attempt >= self.max_attempts:
            return None
        return now + self.delay(attempt, rand)

    def disables(self, consecutive_failures: int) -> bool:
        return consecutive_failures >= self.disable_after


def disabled_reason(failures: int) -> str:
    return f"disabled after {failures} failed delivery attempts in a row"
