"""A due share whose text is a fallback (the engine could not produce the
employee's language) is posted labelled with the language it is written in,
on the real local Bluesky PDS; the published event keeps the employee's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from chorus.publishing.v1 import publishing_events_pb2 as pub_events
from chorus_testing.identity import everything
from publishing_service.app.accounts import ConnectRequest
from publishing_service.entrypoints.kafka_handlers import share_due_handler

if TYPE_CHECKING:
    from tests.component.publishing.conftest import (
        MetricsServer,
        PdsAccount,
        PublishingDatabase,
        PublishingKit,
        StackFactory,
    )

PUBLISHED = pub_events.SharePublished.DESCRIPTOR.full_name


async def test_fallback_text_is_labelled_with_its_own_language(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: Callable[[], Awaitable[PdsAccount]],
    metrics_server: MetricsServer,
    pds_url: str,
    kit: PublishingKit,
) -> None:
    db = await publishing_database()
    stack = publishing_stack(db)
    account = await new_pds_account()
    await stack.accounts.connect_account(
        everything("t1", employee_id="e1"),
        ConnectRequest("t1", "e1", "bluesky", account.handle, account.password),
    )
    event = kit.share_due("t1", "e1", text="Our new plant opens today")
    event.language, event.fallback_language = "de", "en"
    await share_due_handler(stack.publisher)(event, kit.context(db, event, "t1"))

    (post,) = await kit.list_posts(pds_url, account.did)
    value = post["value"]
    assert isinstance(value, dict)
    assert value["langs"] == ["en"] and value["text"].startswith("Our new plant opens today")
    (row,) = await kit.outbox_rows(db, PUBLISHED)
    assert pub_events.SharePublished.FromString(row.payload).language == "de"
