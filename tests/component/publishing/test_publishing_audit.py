"""Connecting a social account (against the real local Bluesky PDS) leaves
exactly one entry of the tenant's audit log, in the connection's
transaction: the network and Chorus's opaque account id, never the handle,
the DID or the app password. A retried connection records nothing more, a
new connection of the same account is a reconnect, a refused one nothing
(SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import pytest
from chorus_core.errors import FailedPrecondition
from chorus_identity import acting_as
from chorus_identity.principal import Role, user
from chorus_testing.audit import AuditProbe
from publishing_service.app.accounts import ConnectRequest

if TYPE_CHECKING:
    from tests.component.publishing.conftest import PdsAccount, PublishingDatabase, StackFactory

NewAccount = Callable[[], Awaitable["PdsAccount"]]
OWNER = user("sub-e1", "t1", Role.EMPLOYEE, employee_id="e1")


def connect(account: PdsAccount, request_id: str, password: str = "") -> ConnectRequest:
    return ConnectRequest(
        tenant_id="",
        employee_id="",
        network="bluesky",
        handle=account.handle,
        secret=password or account.password,
        request_id=request_id,
    )


async def test_connecting_an_account_is_audited(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
) -> None:
    db = await publishing_database()
    accounts = publishing_stack(db).accounts
    audit = AuditProbe(db)
    account = await new_pds_account()
    private = (account.handle, account.password, account.did)
    with acting_as(OWNER):
        connected = await accounts.connect_account(OWNER, connect(account, "c-1"))
        await accounts.connect_account(OWNER, connect(account, "c-1"))  # a retry
    summary = await audit.one(
        "account.connect",
        actor=OWNER.ref,
        target=("account", connected.account_id),
        tenant="t1",
        request_id="c-1",
        service="publishing",
        absent=private,
    )
    assert summary == {"account_id": [None, connected.account_id], "network": [None, "bluesky"]}

    with acting_as(OWNER), pytest.raises(FailedPrecondition):
        await accounts.connect_account(OWNER, connect(account, "c-2", password="wrong-password"))
    await audit.none()  # refused by the network: nothing changed, nothing recorded

    with acting_as(OWNER):
        await accounts.connect_account(OWNER, connect(account, "c-3"))
    summary = await audit.one(
        "account.reconnect",
        actor=OWNER.ref,
        target=("account", connected.account_id),
        request_id="c-3",
        absent=private,
    )
    assert summary["network"] == [None, "bluesky"]
