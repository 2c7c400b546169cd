from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from chorus_core.errors import FailedPrecondition, InvalidArgument
from content_service.domain.charter import Charter, Severity, blocking, check
from content_service.domain.posts import Post, PostStatus, Targeting, validate_new_post

NOW = datetime(2026, 11, 21, tzinfo=UTC)


def draft(**changes: Any) -> Post:
    fields: dict[str, Any] = dict(
        post_id="p1",
        tenant_id="t1",
        version=1,
        title="T",
        body="B",
        link="",
        source_language="en",
        network_texts={},
        targeting=Targeting(),
        status=PostStatus.DRAFT,
        author_id="alice",
        approver_id="",
        created_at=NOW,
        updated_at=NOW,
    )
    fields.update(changes)
    return Post(**fields)


def test_four_eyes() -> None:
    in_review = draft().submit("alice", NOW)
    with pytest.raises(FailedPrecondition, match="four-eyes"):
        in_review.approve("alice", NOW)
    assert in_review.approve("bob", NOW).status is PostStatus.APPROVED


def test_transitions_name_the_current_state() -> None:
    with pytest.raises(FailedPrecondition, match="draft"):
        draft().approve("bob", NOW)
    with pytest.raises(FailedPrecondition, match="approved"):
        draft(status=PostStatus.APPROVED).submit("alice", NOW)


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("body", {"body": " "}),
        ("source_language", {"source_language": "english"}),
        ("link", {"link": "ftp://x"}),
        ("network_texts.myspace", {"network_texts": {"myspace": "x"}}),
        ("targeting.countries", {"targeting": Targeting(countries=("France",))}),
    ],
)
def test_new_post_validation_names_the_field(field: str, changes: dict[str, Any]) -> None:
    fields: dict[str, Any] = dict(
        title="T",
        body="B",
        link="",
        source_language="en",
        network_texts={},
        targeting=Targeting(),
        author_id="alice",
    )
    fields.update(changes)
    with pytest.raises(InvalidArgument) as caught:
        validate_new_post(**fields)
    assert caught.value.field == field


def test_blocked_phrases_are_case_accent_and_word_boundary_aware() -> None:
    charter = Charter(blocked_phrases=("garantía total",))
    hits = check(charter, {"body": "Con GARANTIA TOTAL, ya!"})
    assert [(v.rule_id, v.start, v.end) for v in hits] == [("blocked-phrase", 4, 18)]
    assert check(charter, {"body": "garantía totalmente"}) == []


def test_network_length_counts_per_network() -> None:
    hits = check(
        Charter(), {"network_texts.bluesky": "x" * 301, "network_texts.linkedin": "x" * 301}
    )
    assert [v.rule_id for v in hits] == ["max-length.bluesky"]
    assert blocking(hits)[0].severity is Severity.BLOCK
    assert check(Charter(max_length={"bluesky": 400}), {"network_texts.bluesky": "x" * 301}) == []
