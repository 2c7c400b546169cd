"""The CLI's side of OAuth 2.0 at the identity provider: the device
authorization grant (RFC 8628) to sign a person in from a terminal, the
refresh grant to stay signed in, and token revocation (RFC 7009) to sign
out. The CLI is a public client (no secret: anyone can read a CLI's code);
the person proves who they are in their own browser, on the provider's
page, so the CLI never sees a password.

Endpoints come from the provider's discovery document, so any OIDC
provider with the device grant works by configuration (issuer, client id).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from chorus_identity.sources import discover

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
TIMEOUT = httpx.Timeout(15.0)
# RFC 8628 §3.5: a slow_down answer adds five seconds to the interval.
SLOW_DOWN_SECONDS = 5


class SignInError(Exception):
    """The provider refused (or the person did not approve in time); the
    message is safe to show: it never contains a token."""


@dataclass(frozen=True)
class DeviceCode:
    device_code: str
    user_code: str
    verification_uri: str
    verification_uri_complete: str
    expires_in: int
    interval: int


@dataclass(frozen=True)
class Tokens:
    """What the provider issued, with absolute expiry times (epoch seconds)."""

    access_token: str
    expires_at: float
    refresh_token: str = ""
    refresh_expires_at: float = 0.0  # 0: the provider did not say
    id_token: str = ""

    @classmethod
    def from_response(cls, body: dict[str, Any], now: float) -> Tokens:
        refresh_in = float(body.get("refresh_expires_in") or 0)
        return cls(
            access_token=str(body["access_token"]),
            expires_at=now + float(body.get("expires_in") or 60),
            refresh_token=str(body.get("refresh_token") or ""),
            refresh_expires_at=now + refresh_in if refresh_in else 0.0,
            id_token=str(body.get("id_token") or ""),
        )


def _refusal(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "http_" + str(response.status_code), ""
    return str(body.get("error", response.status_code)), str(body.get("error_description", ""))


class OAuthClient:
    """One public client at one provider."""

    def __init__(self, issuer: str, client_id: str, http: httpx.AsyncClient | None = None) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self._http = http or httpx.AsyncClient(timeout=TIMEOUT)
        self._owns_http = http is None
        self._meta: dict[str, object] = {}

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def _endpoint(self, name: str) -> str:
        if not self._meta:
            try:
                self._meta = await discover(self.issuer, self._http)
            except httpx.HTTPError as error:
                raise SignInError(f"identity provider {self.issuer} unreachable: {error}") from None
        url = self._meta.get(name)
        if not isinstance(url, str) or not url:
            raise SignInError(f"{self.issuer} does not offer {name.removesuffix('_endpoint')}")
        return url

    async def start_device(self, scope: str = "openid") -> DeviceCode:
        url = await self._endpoint("device_authorization_endpoint")
        response = await self._http.post(url, data={"client_id": self.client_id, "scope": scope})
        if response.status_code != 200:
            error, description = _refusal(response)
            raise SignInError(f"device sign-in refused: {error} {description}".strip())
        body = response.json()
        return DeviceCode(
            device_code=str(body["device_code"]),
            user_code=str(body["user_code"]),
            verification_uri=str(body["verification_uri"]),
            verification_uri_complete=str(body.get("verification_uri_complete") or ""),
            expires_in=int(body["expires_in"]),
            interval=int(body.get("interval") or 5),
        )

    async def poll_device(self, device: DeviceCode) -> Tokens:
        """Wait for the person's approval, polling as RFC 8628 §3.5 says."""
        url = await self._endpoint("token_endpoint")
        interval = device.interval
        deadline = time.monotonic() + device.expires_in
        form = {
            "grant_type": DEVICE_GRANT,
            "device_code": device.device_code,
            "client_id": self.client_id,
        }
        while time.monotonic() < deadline:
            await asyncio.sleep(interval)
            response = await self._http.post(url, data=form)
            if response.status_code == 200:
                return Tokens.from_response(response.json(), time.time())
            error, description = _refusal(response)
            if error == "slow_down":
                interval += SLOW_DOWN_SECONDS
            elif error != "authorization_pending":
                raise SignInError(f"sign-in not completed: {error} {description}".strip())
        raise SignInError("the code expired before the sign-in was approved")

    async def device_sign_in(self, show: Callable[[DeviceCode], Awaitable[None] | None]) -> Tokens:
        """Start the grant, let `show` tell the person where to go (or, in
        the demo, act out their approval), then wait for the tokens."""
        device = await self.start_device()
        shown = show(device)
        if shown is not None:
            # Poll while the approval runs: that is how a real browser and
            # the waiting terminal overlap.
            poll = asyncio.ensure_future(self.poll_device(device))
            try:
                await shown
            except BaseException:
                poll.cancel()
                raise
            return await poll
        return await self.poll_device(device)

    async def refresh(self, refresh_token: str) -> Tokens:
        url = await self._endpoint("token_endpoint")
        response = await self._http.post(
            url,
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": self.client_id,
            },
        )
        if response.status_code != 200:
            error, _ = _refusal(response)
            raise SignInError(f"the session could not be renewed ({error})")
        return Tokens.from_response(response.json(), time.time())

    async def revoke(self, token: str) -> bool:
        """Best effort: True if the provider confirmed the revocation."""
        try:
            url = await self._endpoint("revocation_endpoint")
            response = await self._http.post(
                url,
                data={
                    "token": token,
                    "token_type_hint": "refresh_token",
                    "client_id": self.client_id,
                },
            )
        except (SignInError, httpx.HTTPError):
            return False
        return response.status_code == 200
