"""The stored secret of an OAuth network account (Mastodon, LinkedIn, X,
Meta): one JSON object, encrypted at rest like any secret (adapters/secrets).
Pure: no I/O.

    {"access_token": "...", "refresh_token": "...", "expires_at": "2027-02-01T00:00:00+00:00"}

A bare token (no JSON) is an access token with nothing else known: what an
employee pastes from a network's developer page. `expires_at` is where the
connector learns when the token stops working (LinkedIn: 60 days), and
what VerifiedAccount reports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from chorus_core.errors import InvalidArgument


@dataclass(frozen=True)
class OAuthToken:
    access_token: str = field(repr=False)
    refresh_token: str = field(default="", repr=False)
    expires_at: datetime | None = None

    @classmethod
    def parse(cls, secret: str, field_name: str = "secret") -> OAuthToken:
        text = secret.strip()
        if not text.startswith("{"):
            if not text:
                raise InvalidArgument(field_name, "must not be empty")
            return cls(text)
        try:
            data = json.loads(text)
        except ValueError:
            raise InvalidArgument(field_name, "is not a token nor a JSON object") from None
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise InvalidArgument(field_name, "has no access_token")
        refresh = data.get("refresh_token") or ""
        expires = data.get("expires_at")
        try:
            moment = datetime.fromisoformat(expires) if isinstance(expires, str) else None
        except ValueError:
            raise InvalidArgument(field_name, "expires_at is not an ISO 8601 instant") from None
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return cls(token, str(refresh), moment)

    def dump(self) -> str:
        data: dict[str, str] = {"access_token": self.access_token}
        if self.refresh_token:
            data["refresh_token"] = self.refresh_token
        if self.expires_at is not None:
            data["expires_at"] = self.expires_at.astimezone(UTC).isoformat()
        return json.dumps(data)
