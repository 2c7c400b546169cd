"""Identities for the end-to-end tests: the demo's people signed in at the
real Keycloak through the CLI's device grant. Tests about something other
than sign-in act through Stack.clients_as (Chorus tokens signed with the
stack's own gateway key; the services verify both the same way)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from chorus_cli.demo_people import Ambassadors, DemoPeople
from chorus_cli.session import DEFAULT_CLIENT_ID, CliIdentity
from chorus_cli.stack import Stack, repo_root
from chorus_cli.token_cache import TokenCache
from chorus_testing.infra import required_env


def cli_identity(stack: Stack) -> CliIdentity:
    """The CLI's sign-in settings for this stack: the local Keycloak, the
    CLI's public client, this stack's gateway."""
    return CliIdentity(required_env("CHORUS_OIDC_ISSUER"), DEFAULT_CLIENT_ID, stack.gateway_url)


@asynccontextmanager
async def signed_in_people(stack: Stack, cache_dir: Path) -> AsyncIterator[DemoPeople]:
    """The demo's people signed in with the CLI's device grant (approved as
    each of them), their tokens cached in `cache_dir` (not the user's)."""
    identity = cli_identity(stack)
    people = DemoPeople(
        stack.client_env(),
        identity,
        Ambassadors.from_key_file(stack.identity().signing_key),
        TokenCache(identity.issuer, cache_dir),
    )
    try:
        await people.sign_in(repo_root())
        yield people
    finally:
        await people.close()
