"""Who a `chorus` command acts as, and the token its gRPC calls carry.

A person signs in once (`chorus login`, the device grant); every command
after that acts as them. The services trust only Chorus tokens (minted by
the gateway) and service identities, never the provider's token itself, so
a command exchanges the person's cached provider token at the gateway
(`POST /v1/auth/token`) for a Chorus token, and keeps that until shortly
before it expires. When the provider's token has expired, the refresh token
renews it first; when that is gone too, the person signs in again.

Which person: `--as NAME` (the global option), else $CHORUS_CLI_USER, else
whoever signed in last. Tests that run the CLI against in-process servers
give token sources of their own (`use_people`) instead.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from chorus_core.settings import DEFAULT_OIDC_ISSUER
from chorus_identity.sources import RENEW_BEFORE_SECONDS, TokenSource

from chorus_cli.oauth import TIMEOUT, OAuthClient, SignInError
from chorus_cli.token_cache import Session, TokenCache

DEFAULT_CLIENT_ID = "chorus-cli"
DEFAULT_GATEWAY_URL = "http://127.0.0.1:8080"
EXCHANGE_PATH = "/v1/auth/token"


class NotSignedIn(SignInError):
    pass


@dataclass(frozen=True)
class CliIdentity:
    """Where the CLI signs in: the provider, its public client, the gateway."""

    issuer: str
    client_id: str
    gateway_url: str

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> CliIdentity:
        env = os.environ if environ is None else environ
        gateway = (env.get("CHORUS_GATEWAY_URL") or DEFAULT_GATEWAY_URL).rstrip("/")
        if not gateway.startswith(("http://", "https://")):
            raise SignInError("CHORUS_GATEWAY_URL must be an http(s) URL")
        return cls(
            issuer=(env.get("CHORUS_OIDC_ISSUER") or DEFAULT_OIDC_ISSUER).rstrip("/"),
            client_id=env.get("CHORUS_CLI_CLIENT_ID") or DEFAULT_CLIENT_ID,
            gateway_url=gateway,
        )

    def cache(self) -> TokenCache:
        return TokenCache(self.issuer)


class SignedIn:
    """A TokenSource for one signed-in person: their Chorus token, renewed
    (by refresh and exchange) before it expires; the cache file is updated
    so the next command reuses it."""

    def __init__(
        self,
        name: str,
        identity: CliIdentity,
        cache: TokenCache | None = None,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.name = name
        self.identity = identity
        self.cache = cache or identity.cache()
        self._http = http
        self._lock = asyncio.Lock()
        self._session: Session | None = None

    def _load(self) -> Session:
        if self._session is None:
            self._session = self.cache.load(self.name)
            if self._session is None:
                raise NotSignedIn(
                    f"{self.name} is not signed in: run `chorus login --user {self.name}`"
                )
        return self._session

    def _store(self, session: Session) -> None:
        self._session = session
        self.cache.save(session)

    async def provider_token(self) -> str:
        """The provider's access token (what the gateway's own endpoints take)."""
        async with self._lock:
            return await self._provider_token()

    async def _provider_token(self) -> str:
        session = self._load()
        if time.time() < session.idp.expires_at - RENEW_BEFORE_SECONDS:
            return session.idp.access_token
        if not session.idp.refresh_token:
            raise NotSignedIn(f"the sign-in of {self.name} expired: run `chorus login`")
        oauth = OAuthClient(self.identity.issuer, self.identity.client_id, self._http)
        try:
            renewed = await oauth.refresh(session.idp.refresh_token)
        except SignInError as error:
            raise NotSignedIn(
                f"{error}; sign in again: `chorus login --user {self.name}`"
            ) from None
        finally:
            await oauth.close()
        # A renewed provider token calls for a new Chorus token too.
        self._store(session.with_idp(renewed).with_chorus("", 0.0))
        return renewed.access_token

    async def token(self) -> str:
        async with self._lock:
            session = self._load()
            if session.chorus_token and time.time() < (
                session.chorus_expires_at - RENEW_BEFORE_SECONDS
            ):
                return session.chorus_token
            provider = await self._provider_token()
            token, expires_at = await self._exchange(provider)
            self._store(self._load().with_chorus(token, expires_at))
            return token

    async def _exchange(self, provider_token: str) -> tuple[str, float]:
        url = self.identity.gateway_url + EXCHANGE_PATH
        http = self._http or httpx.AsyncClient(timeout=TIMEOUT)
        try:
            response = await http.post(url, headers={"authorization": f"Bearer {provider_token}"})
        except httpx.HTTPError as error:
            raise SignInError(
                f"the gateway at {self.identity.gateway_url} is unreachable: {error}"
            ) from None
        finally:
            if self._http is None:
                await http.aclose()
        if response.status_code in (401, 403):
            raise NotSignedIn(
                f"the gateway refused the sign-in of {self.name} ({response.status_code}"
                f" {_detail(response)}): run `chorus login --user {self.name}`"
            )
        if response.status_code != 200:
            raise SignInError(f"token exchange failed: {response.status_code} {_detail(response)}")
        body = response.json()
        return str(body["access_token"]), time.time() + float(body.get("expires_in") or 60)


def _detail(response: httpx.Response) -> str:
    # problem+json (RFC 9457): the title and detail say why, without the token.
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("detail") or body.get("title") or "") if isinstance(body, dict) else ""


_selected: str = ""
# Tests: who may act and with which token source, instead of signed-in people.
_people: Mapping[str, TokenSource] | None = None


def select_user(name: str) -> None:
    """The global --as option."""
    global _selected
    _selected = name


def acting_user(identity: CliIdentity | None = None) -> str:
    name = _selected or os.environ.get("CHORUS_CLI_USER", "")
    if not name and identity is not None:
        name = identity.cache().current()
    if not name:
        raise NotSignedIn("nobody is signed in: run `chorus login`")
    return name


@contextmanager
def use_people(people: Mapping[str, TokenSource], default: str = "") -> Iterator[None]:
    """Commands run in this block act as `people[--as NAME]` (`default` when
    no --as is given): for tests that serve the gRPC services in-process
    with their own test issuer, so no provider or gateway is involved."""
    global _people
    previous, _people = _people, {**people, "": people[default]} if default else people
    try:
        yield
    finally:
        _people = previous


def token_source() -> TokenSource:
    if _people is not None:
        name = _selected or os.environ.get("CHORUS_CLI_USER", "")
        if name not in _people:
            raise NotSignedIn(f"{name or 'nobody'} is not among this run's people")
        return _people[name]
    identity = CliIdentity.from_env()
    return SignedIn(acting_user(identity), identity)
