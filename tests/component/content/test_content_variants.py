"""Text variants per network (issue 9 §4, against the parrot effect) against a
real database (SQLite and PostgreSQL): saved with the post and in every
version, carried by PostApproved, checked against the charter and the
network's length (counted the network's way) when saved — a refusal is
INVALID_ARGUMENT naming the variant's field and index, and nothing is saved
— and checked again at approval and by the dry-run check."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from chorus.content.v1 import content_events_pb2 as events
from chorus_core.errors import FailedPrecondition, InvalidArgument
from content_service.adapters.messages import post_to_pb
from content_service.app.use_cases import NewPost
from content_service.domain.charter import Charter
from content_service.domain.matcher import Term
from content_service.domain.posts import MAX_VARIANTS, PostContent, PostStatus

from tests.component.content.principals import ADMIN, ALICE, BOB, employee

if TYPE_CHECKING:
    from tests.component.content.conftest import ContentKit, ContentKitFactory

LINK = "https://example.com/plant"
X_VARIANTS = (f"Our new plant is open {LINK}", f"Come and see the new plant {LINK} #chorus")


async def strict(kit: ContentKit) -> None:
    await kit.posts.charters.set_charter(
        ADMIN,
        "t1",
        Charter(blocked_terms=(Term("guaranteed returns", "", "block"),), max_length={"x": 100}),
    )


async def test_variants_are_saved_versioned_and_approved_with_the_post(
    content_kit: ContentKitFactory,
) -> None:
    kit = await content_kit()
    await strict(kit)
    post_id = await kit.draft(link=LINK, network_variants={"x": X_VARIANTS})
    created = await kit.services.queries.get_post(BOB, "t1", post_id)
    assert created.network_variants == {"x": X_VARIANTS}

    edited = await kit.posts.update_post(
        ALICE,
        "t1",
        post_id,
        PostContent(
            title="Launch",
            body="We launched the new plant",
            link=LINK,
            network_variants={"x": (X_VARIANTS[1],), "linkedin": ("A longer word for LinkedIn",)},
        ),
    )
    assert edited.version == 2
    versions = await kit.services.queries.versions(BOB, "t1", post_id)
    assert [v.network_variants for v in versions] == [
        {"x": X_VARIANTS},
        {"x": (X_VARIANTS[1],), "linkedin": ("A longer word for LinkedIn",)},
    ]

    await kit.posts.submit_post(ALICE, "t1", post_id)
    await kit.reviews.approve_post(BOB, "t1", post_id)
    [approved] = await kit.events(events.PostApproved)
    assert {n: list(v.texts) for n, v in approved.post.network_variants.items()} == {
        "x": [X_VARIANTS[1]],
        "linkedin": ["A longer word for LinkedIn"],
    }
    head = post_to_pb(await kit.services.queries.get_post(BOB, "t1", post_id))
    assert list(head.network_variants["x"].texts) == [X_VARIANTS[1]]


@pytest.mark.parametrize(
    ("variants", "field", "reason"),
    [
        # The charter's own limit for X (100), counted X's way: a URL weighs 23.
        ({"x": (X_VARIANTS[0], "a" * 101)}, "network_variants.x[1]", "max-length.x"),
        # Bluesky's limit is in graphemes: 301 of them are too many.
        ({"bluesky": ("🇪🇸" * 301,)}, "network_variants.bluesky[0]", "max-length.bluesky"),
        (
            {"linkedin": ("Fine", "Guaranteed   returns for all")},
            "network_variants.linkedin[1]",
            "blocked-phrase",
        ),
        ({"x": ("Fine", "  ")}, "network_variants.x[1]", "must not be empty"),
        ({"myspace": ("Hello",)}, "network_variants.myspace", "unknown network"),
        ({"x": ("v",) * (MAX_VARIANTS + 1)}, "network_variants.x", f"at most {MAX_VARIANTS}"),
    ],
)
async def test_a_bad_variant_is_refused_naming_its_field_and_index_and_nothing_is_saved(
    content_kit: ContentKitFactory,
    variants: dict[str, tuple[str, ...]],
    field: str,
    reason: str,
) -> None:
    kit = await content_kit()
    await kit.posts.charters.set_charter(
        ADMIN,
        "t1",
        Charter(blocked_phrases=("guaranteed returns",), max_length={"x": 100}),
    )
    with pytest.raises(InvalidArgument) as refused:
        await kit.draft(network_variants=variants)
    assert refused.value.field == field
    assert reason in refused.value.message
    posts, _ = await kit.services.queries.list_posts(BOB, "t1", None, 10, "")
    assert posts == []
    assert await kit.events(events.PostCreated) == []


async def test_an_edit_with_a_bad_variant_changes_nothing(content_kit: ContentKitFactory) -> None:
    kit = await content_kit()
    await strict(kit)
    post_id = await kit.draft(network_variants={"x": X_VARIANTS})
    with pytest.raises(InvalidArgument) as refused:
        await kit.posts.update_post(
            ALICE,
            "t1",
            post_id,
            PostContent(
                title="Launch",
                body="We launched the new plant",
                network_variants={"x": (X_VARIANTS[0], "Guaranteed returns!")},
            ),
        )
    assert refused.value.field == "network_variants.x[1]"
    assert "blocked-term.any" in refused.value.message
    post = await kit.services.queries.get_post(BOB, "t1", post_id)
    assert (post.version, post.network_variants) == (1, {"x": X_VARIANTS})
    assert await kit.events(events.PostUpdated) == []


async def test_approval_and_the_dry_run_check_look_at_the_variants(
    content_kit: ContentKitFactory,
) -> None:
    """The charter tightened after the variants were saved: approval names
    the variant that breaks it now; the editor's check (and an employee's,
    who checks their own text before sharing) reports variants by index."""
    kit = await content_kit()
    post_id = await kit.draft(network_variants={"x": ("Fine words", "Falcon is coming")})
    await kit.posts.charters.set_charter(
        ADMIN, "t1", Charter(blocked_terms=(Term("falcon", "", "block"),))
    )
    await kit.posts.submit_post(ALICE, "t1", post_id)
    with pytest.raises(FailedPrecondition, match=r"network_variants\.x\[1\]"):
        await kit.reviews.approve_post(BOB, "t1", post_id)
    assert (await kit.services.queries.get_post(BOB, "t1", post_id)).status is (
        PostStatus.IN_REVIEW
    )

    found = await kit.posts.charters.check(
        ALICE, "t1", "T", "Body", {}, "en", network_variants={"bluesky": ("ok", "Falcon!")}
    )
    assert [(v.rule_id, v.field) for v in found] == [
        ("blocked-term.any", "network_variants.bluesky[1]")
    ]
    mine = await kit.posts.charters.check(employee(), "t1", "", "", {"x": "Falcon soon"}, "en")
    assert [(v.rule_id, v.field) for v in mine] == [("blocked-term.any", "network_texts.x")]


async def test_a_post_without_variants_is_as_before(content_kit: ContentKitFactory) -> None:
    kit = await content_kit()
    post = await kit.posts.create_post(
        ALICE, NewPost("t1", content=PostContent(title="Launch", body="Body"))
    )
    assert post.network_variants == {}
    assert dict(post_to_pb(post).network_variants) == {}
