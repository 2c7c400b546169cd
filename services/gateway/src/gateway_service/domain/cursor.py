"""Opaque, tamper-evident list cursors.

A cursor wraps the service's own page token with what it was issued for
(the route, the filters, the tenant) and an HMAC over all of it: a client
cannot forge one, edit one, or carry one to another list, filter or
tenant. It carries nothing a client may not see (a service page token is
an offset or a key of the caller's own list).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass

from gateway_service.domain.problems import FieldError, bad_request

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass(frozen=True)
class CursorScope:
    """What a cursor is bound to: one list, one filter set, one tenant."""

    route: str
    tenant_id: str
    filters: str = ""  # a canonical rendering of the list's filters


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CursorCodec:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("a cursor secret needs at least 16 bytes")
        self._secret = secret

    def _mac(self, payload: bytes, scope: CursorScope) -> str:
        bound = b"\x00".join(
            [payload, scope.route.encode(), scope.tenant_id.encode(), scope.filters.encode()]
        )
        return _b64(hmac.new(self._secret, bound, hashlib.sha256).digest()[:18])

    def encode(self, page_token: str, scope: CursorScope) -> str:
        payload = json.dumps({"p": page_token}, separators=(",", ":")).encode()
        return f"{_b64(payload)}.{self._mac(payload, scope)}"

    def decode(self, cursor: str, scope: CursorScope) -> str:
        """The service page token a cursor stands for; 400 naming `cursor`
        when it is not one we issued for this very list."""
        refused = bad_request(
            "the cursor is not valid for this list",
            FieldError("query.cursor", "not a cursor issued for this list"),
        )
        head, _, mac = cursor.partition(".")
        try:
            payload = _unb64(head)
        except (ValueError, UnicodeEncodeError):
            raise refused from None
        if not mac or not hmac.compare_digest(mac, self._mac(payload, scope)):
            raise refused
        try:
            token = json.loads(payload)["p"]
        except (ValueError, KeyError, TypeError):
            raise refused from None
        if not isinstance(token, str):
            raise refused
        return token
