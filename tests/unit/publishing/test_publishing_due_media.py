"""The ShareDue the ledger keeps (its `due` JSON) keeps the post's images and
link card text through JSON and back (the sweeper sends a deferred share
from it), and a share kept before media existed has none."""

from __future__ import annotations

import json

from publishing_service.app.ports import DueShare, due_from_record, due_record


def test_the_kept_share_due_keeps_its_images_and_card_text() -> None:
    share = DueShare(
        "t1",
        "s1",
        "p1",
        "e1",
        "bluesky",
        "en",
        "GB",
        "Our new plant",
        "https://example.com/plant",
        media_ids=("a" * 64, "b" * 64),
        title="New plant",
        description="We opened our new plant.",
    )
    record = json.loads(json.dumps(due_record(share)))  # as the JSON column stores it
    assert record["media_ids"] == ["a" * 64, "b" * 64]
    assert due_from_record(record) == share
    older = {k: v for k, v in record.items() if k not in ("media_ids", "title", "description")}
    kept = due_from_record(older)
    assert (kept.media_ids, kept.title, kept.description) == ((), "", "")
