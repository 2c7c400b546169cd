"""The ShareDue the ledger keeps (its `due` JSON) keeps what the text is: the
post's variant and whether the employee edited it, through JSON and back
(the sweeper sends a deferred share from it)."""

from __future__ import annotations

import json
from dataclasses import replace

from publishing_service.app.ports import DueShare, due_from_record, due_record


def test_the_kept_share_due_keeps_its_variant_and_edit() -> None:
    share = DueShare(
        "t1", "s1", "p1", "e1", "bluesky", "es", "ES", "Mi texto", "", variant=2, edited=True
    )
    record = json.loads(json.dumps(due_record(share)))  # as the JSON column stores it
    assert (record["variant"], record["edited"]) == (2, True)
    assert due_from_record(record) == share
    plain = replace(share, variant=None, edited=False)
    assert due_from_record(json.loads(json.dumps(due_record(plain)))) == plain
    # Kept before variants existed: no variant, not edited.
    older = {k: v for k, v in record.items() if k not in ("variant", "edited")}
    assert (due_from_record(older).variant, due_from_record(older).edited) == (None, False)
