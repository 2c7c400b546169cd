"""Token expiry, per account: ConnectAccount records the expiry the network
gives (LinkedIn's connector, against the LinkedIn simulator), and the token
warnings' job sends one TokenExpiring per (account, expiry) the configured
days before it, however many replicas tick at once and however often they
restart (the database on SQLite and the real PostgreSQL); a reconnection
with a new token is warned of again."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from chorus.publishing.v1 import publishing_events_pb2 as pub_events
from chorus_core.clock import utcnow
from chorus_core.prototime import from_timestamp
from chorus_messaging import Outbox
from chorus_messaging.topics import PUBLISHING_ACCOUNTS
from chorus_testing.events import outbox_rows
from chorus_testing.identity import everything
from publishing_service.adapters.account_repository import AccountRepository
from publishing_service.adapters.events import OutboxPublishEvents
from publishing_service.adapters.linkedin import LinkedInConnector
from publishing_service.adapters.secrets import SecretBox
from publishing_service.adapters.stores import SqlStores
from publishing_service.app.accounts import AccountUseCases, ConnectRequest
from publishing_service.app.token_warnings import TokenWarnings
from publishing_service.domain.accounts import account_id_for

from tests.simulators.harness import RecordingBudget, SimulatorTransport
from tests.simulators.linkedin import LinkedInSimulator

if TYPE_CHECKING:
    from chorus_db import Database

    from tests.component.publishing.conftest import PublishingDatabase

EXPIRING = pub_events.TokenExpiring.DESCRIPTOR.full_name
ACCOUNT_ID = account_id_for("t1", "e1", "linkedin")


@dataclass
class LinkedIn:
    sim: LinkedInSimulator
    accounts: AccountUseCases

    async def connect(self, token: str, expires_at: datetime) -> None:
        secret = json.dumps({"access_token": token, "expires_at": expires_at.isoformat()})
        await self.accounts.connect_account(
            everything("t1", employee_id="e1"),
            ConnectRequest("t1", "e1", "linkedin", "alice", secret),
        )


@pytest.fixture
async def linkedin(
    publishing_database: PublishingDatabase, secret_box: SecretBox
) -> AsyncIterator[tuple[Database, LinkedIn]]:
    db = await publishing_database()
    sim = LinkedInSimulator()
    connector = LinkedInConnector(RecordingBudget(), client=SimulatorTransport(sim.app).client())
    yield db, LinkedIn(sim, AccountUseCases(db, SqlStores(), {"linkedin": connector}, secret_box))
    await connector.aclose()


def replica(db: Database, days: int = 7) -> TokenWarnings:
    """The job as one publishing replica runs it (main.py's wiring)."""
    events = OutboxPublishEvents(Outbox("chorus/publishing@test"))
    return TokenWarnings(db, SqlStores(), events, warning_days=days)


async def stored_expiry(db: Database) -> datetime | None:
    async with db.session() as reads:
        account = await AccountRepository(reads).find("t1", "e1", "linkedin")
    assert account is not None
    return account.token_expires_at


async def warnings(db: Database) -> list[pub_events.TokenExpiring]:
    rows = await outbox_rows(db, EXPIRING)
    assert all(
        (r.topic, r.key, r.tenant_id) == (PUBLISHING_ACCOUNTS, ACCOUNT_ID, "t1") for r in rows
    )
    return [pub_events.TokenExpiring.FromString(r.payload) for r in rows]


async def test_the_expiry_warning_goes_out_once_per_account_and_expiry(
    linkedin: tuple[Database, LinkedIn],
) -> None:
    db, network = linkedin
    network.sim.add_member("token-1", "aB3_xY9k")
    expires = (utcnow() + timedelta(days=20)).replace(microsecond=0)
    await network.connect("token-1", expires)
    assert await stored_expiry(db) == expires  # written at connect, from VerifiedAccount

    first, second = replica(db), replica(db)
    assert await first.tick(utcnow()) == 0  # 20 days away: not yet
    within = expires - timedelta(days=6)
    # Two replicas at the same moment: one warning between them.
    assert sum(await asyncio.gather(first.tick(within), second.tick(within))) == 1
    (warning,) = await warnings(db)
    assert (warning.tenant_id, warning.employee_id, warning.network) == ("t1", "e1", "linkedin")
    assert warning.account_id == ACCOUNT_ID
    assert from_timestamp(warning.expires_at) == expires
    # Ticks later, and a restarted replica: still the one warning.
    assert await first.tick(within + timedelta(hours=1)) == 0
    assert await replica(db).tick(within + timedelta(days=5)) == 0
    assert len(await warnings(db)) == 1

    # Reconnected with a new token: its new expiry is warned of in its turn.
    network.sim.add_member("token-2", "aB3_xY9k")
    renewed = expires + timedelta(days=60)
    await network.connect("token-2", renewed)
    assert await stored_expiry(db) == renewed
    assert await replica(db).tick(within + timedelta(days=5)) == 0
    later = renewed - timedelta(days=2)
    assert sum(await asyncio.gather(first.tick(later), second.tick(later))) == 1
    assert [from_timestamp(w.expires_at) for w in await warnings(db)] == [expires, renewed]


async def test_the_warning_window_is_the_configured_number_of_days(
    linkedin: tuple[Database, LinkedIn],
) -> None:
    db, network = linkedin
    network.sim.add_member("token-1", "aB3_xY9k")
    expires = utcnow() + timedelta(days=20)
    await network.connect("token-1", expires)
    assert await replica(db, days=7).tick(expires - timedelta(days=8)) == 0
    assert await replica(db, days=10).tick(expires - timedelta(days=8)) == 1
    # A token already expired is not "expiring": its shares are held instead.
    await network.connect("token-1", utcnow() - timedelta(days=1))
    assert await replica(db, days=7).tick(utcnow()) == 0
    assert len(await warnings(db)) == 1


async def test_a_network_that_gives_no_expiry_warns_of_nothing(
    linkedin: tuple[Database, LinkedIn],
) -> None:
    db, network = linkedin
    network.sim.add_member("token-1", "aB3_xY9k")
    await network.accounts.connect_account(
        everything("t1", employee_id="e1"),
        ConnectRequest("t1", "e1", "linkedin", "alice", "token-1"),  # a bare token
    )
    assert await stored_expiry(db) is None
    assert await replica(db).tick(utcnow() + timedelta(days=3650)) == 0
