"""`chorus login | logout | whoami | users`: signing people in from a terminal.

`chorus login` runs the OAuth device authorization grant against the CLI's
public client: it prints a URL and a short code, the person opens the URL in
any browser (their phone will do), signs in there (single sign-on, SAML
brokering, MFA: whatever the provider asks) and approves; the CLI, polling
meanwhile, receives the tokens and caches them (chorus_cli.token_cache).
Several people may be signed in at once; `--as NAME` picks who acts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import jwt
import typer

from chorus_cli.common import console
from chorus_cli.oauth import TIMEOUT, DeviceCode, OAuthClient, SignInError, Tokens
from chorus_cli.session import CliIdentity, SignedIn, acting_user
from chorus_cli.token_cache import CacheError, Session, TokenCache, check_name

ME_PATH = "/v1/me"


def username_of(tokens: Tokens) -> str:
    """The provider's user name for the tokens, to name the cache file.
    Read without verifying: it only labels the file; every use of the token
    is verified by the gateway (signature, issuer, audience, expiry)."""
    for token in (tokens.id_token, tokens.access_token):
        if not token:
            continue
        try:
            claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            continue
        for claim in ("preferred_username", "sub"):
            value = claims.get(claim)
            if isinstance(value, str) and value:
                return value
    raise SignInError("the provider's tokens name nobody")


async def sign_in(
    identity: CliIdentity,
    show: Callable[[DeviceCode], Awaitable[None] | None],
    expected: str = "",
    cache: TokenCache | None = None,
) -> Session:
    """Device grant, then cache the tokens under the person's user name.
    `expected`: refuse (and cache nothing) if someone else approved."""
    oauth = OAuthClient(identity.issuer, identity.client_id)
    try:
        tokens = await oauth.device_sign_in(show)
        name = check_name(username_of(tokens))
        if expected and name != expected:
            if tokens.refresh_token:
                await oauth.revoke(tokens.refresh_token)
            raise SignInError(f"signed in as {name}, not {expected}: nothing saved")
    finally:
        await oauth.close()
    store = cache or identity.cache()
    session = Session(name, tokens)
    store.save(session)
    store.set_current(name)
    return session


def _show(device: DeviceCode) -> None:
    console.print(f"Open [bold]{device.verification_uri}[/bold] and enter the code")
    console.print(f"    [bold green]{device.user_code}[/bold green]")
    if device.verification_uri_complete:
        console.print(f"(or open {device.verification_uri_complete})")
    console.print(
        f"Waiting for the approval (the code expires in {device.expires_in // 60} min)..."
    )


def login(
    user: str = typer.Option("", "--user", help="sign in as this user (refused if another)"),
) -> None:
    """Sign in with the device code flow; the tokens are cached for this user."""
    identity = CliIdentity.from_env()
    try:
        session = asyncio.run(sign_in(identity, _show, expected=user))
    except (SignInError, CacheError) as error:
        console.print(f"[red]sign-in failed[/red]: {error}")
        raise typer.Exit(1) from None
    console.print(f"signed in as [bold]{session.name}[/bold]; commands now act as them")


def logout(
    user: str = typer.Option("", "--user", help="default: the acting user"),
    everyone: bool = typer.Option(False, "--all", help="sign out every cached user"),
) -> None:
    """Forget the cached tokens (and revoke the refresh token at the provider)."""
    identity = CliIdentity.from_env()
    cache = identity.cache()
    try:
        names = cache.names() if everyone else [user or acting_user(identity)]
    except SignInError as error:
        console.print(str(error))
        raise typer.Exit(1) from None

    async def revoke(token: str) -> None:
        oauth = OAuthClient(identity.issuer, identity.client_id)
        try:
            await oauth.revoke(token)
        finally:
            await oauth.close()

    for name in names:
        session = cache.load(name)
        if session and session.idp.refresh_token:
            asyncio.run(revoke(session.idp.refresh_token))
        removed = cache.remove(name)
        console.print(f"{name}: {'signed out' if removed else 'was not signed in'}")


def whoami() -> None:
    """Who the gateway says the acting user is (tenant, roles, employee link)."""
    identity = CliIdentity.from_env()

    async def me() -> dict[str, Any]:
        person = SignedIn(acting_user(identity), identity)
        token = await person.provider_token()
        async with httpx.AsyncClient(timeout=TIMEOUT) as http:
            response = await http.get(
                identity.gateway_url + ME_PATH, headers={"authorization": f"Bearer {token}"}
            )
        if response.status_code != 200:
            raise SignInError(f"{identity.gateway_url}{ME_PATH} answered {response.status_code}")
        body: dict[str, Any] = response.json()
        return body

    try:
        body = asyncio.run(me())
    except (SignInError, httpx.HTTPError) as error:
        console.print(f"[red]whoami failed[/red]: {error}")
        raise typer.Exit(1) from None
    for key, value in body.items():
        console.print(f"{key:<12} {value}")


def users() -> None:
    """The users signed in on this machine (* = who acts by default)."""
    cache = CliIdentity.from_env().cache()
    current = cache.current()
    for name in cache.names():
        console.print(f"{'*' if name == current else ' '} {name}")


def register(app: typer.Typer) -> None:
    app.command("login")(login)
    app.command("logout")(logout)
    app.command("whoami")(whoami)
    app.command("users")(users)
