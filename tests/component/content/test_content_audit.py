"""Every administrative and editorial action of content leaves exactly one
entry of the tenant's audit log in the outbox, in the action's transaction:
approval chains, the feed allow-list, feed subscriptions, each transition of
a post, a UGC moderation decision, media tags. The actor is the caller's
ref, the target the object's opaque id, the summary states and counts,
never a post's text, a reason, a feed's query or a tag (SQLite and
PostgreSQL). A retried action records nothing more."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from chorus_identity import acting_as
from chorus_testing.audit import AuditProbe
from content_service.app.media import MediaHeader
from content_service.app.use_cases import NewPost
from content_service.domain.posts import PostContent, PostKind

from tests.component.content.principals import ADMIN, ALICE, BOB, employee, moderator, reviewer

if TYPE_CHECKING:
    from tests.component.content.conftest import ContentKitFactory

SECRET_TEXT = "Merger with Initech closes Friday"
REASON = "Ask Jane Doe in legal first"


def _content(title: str = SECRET_TEXT) -> PostContent:
    return PostContent(title=title, body=f"{title}, says Jane Doe", channels=("news",))


async def test_admin_settings_are_audited(content_kit: ContentKitFactory) -> None:
    kit = await content_kit()
    audit = AuditProbe(kit.db)
    with acting_as(ADMIN):
        await kit.posts.set_approval_chain(
            ADMIN, "t1", PostKind.JOB_OFFER.value, ("comms", "legal"), request_id="chain-1"
        )
    summary = await audit.one(
        "approval_chain.set",
        actor=ADMIN.ref,
        target=("approval_chain", "job_offer"),
        tenant="t1",
        request_id="chain-1",
    )
    assert summary == {"steps": [[], ["comms", "legal"]]}

    with acting_as(ADMIN):
        await kit.services.feeds.set_allowed_hosts(
            ADMIN, "t1", ["intranet.acme.test", "Wiki.Acme.Test."], "hosts-1"
        )
    summary = await audit.one(
        "feed_allow_list.set", actor=ADMIN.ref, target=("feed_allow_list", "t1")
    )
    assert summary == {"hosts": [[], ["intranet.acme.test", "wiki.acme.test"]]}

    url = "https://news.example.com/feed.xml?api_key=k-3141592653"
    with acting_as(ALICE):
        feed = await kit.services.feeds.subscribe(ALICE, "t1", url, "Jane's picks", "en", "feed-1")
        await kit.services.feeds.subscribe(ALICE, "t1", url, "Jane's picks", "en", "feed-1")
    summary = await audit.one(
        "feed.subscribe",
        actor=ALICE.ref,
        target=("feed", feed.feed_id),
        request_id="feed-1",
        absent=("k-3141592653", "Jane"),  # a feed by its host: no key, no campaign name
    )
    assert summary == {
        "campaign": [None, True],
        "host": [None, "news.example.com"],
        "source_language": [None, "en"],
    }
    await audit.none()  # the retried subscribe


async def test_each_transition_of_a_post_is_audited(content_kit: ContentKitFactory) -> None:
    kit = await content_kit()
    audit = AuditProbe(kit.db)
    carl, lea = reviewer(subject="carl"), reviewer(subject="lea")
    with acting_as(ALICE):
        post = await kit.posts.create_post(ALICE, NewPost("t1", _content(), request_id="create-1"))
    post_id = post.post_id
    target = ("post", post_id)
    private = (SECRET_TEXT, "Jane Doe", "alice")  # the text, a name, the author's subject
    created = await audit.one(
        "post.create", actor=ALICE.ref, target=target, request_id="create-1", absent=private
    )
    assert created["status"] == [None, "draft"] and created["channels"] == [None, ["news"]]

    with acting_as(ALICE):
        await kit.posts.update_post(
            ALICE, "t1", post_id, _content("v2 " + SECRET_TEXT), request_id="u-1"
        )
    assert await audit.one("post.update", actor=ALICE.ref, target=target, absent=private) == {
        "version": [1, 2]
    }
    with acting_as(ALICE):
        await kit.posts.submit_post(ALICE, "t1", post_id, "submit-1")
        await kit.posts.submit_post(ALICE, "t1", post_id, "submit-2")  # already in review
    submitted = await audit.one("post.submit", actor=ALICE.ref, target=target, absent=private)
    assert submitted == {"status": ["draft", "in_review"]}
    await audit.none()

    with acting_as(BOB):
        await kit.reviews.request_changes(BOB, "t1", post_id, REASON, "changes-1")
    summary = await audit.one(
        "post.request_changes", actor=BOB.ref, target=target, absent=(REASON, "Jane")
    )
    assert summary["status"] == ["in_review", "changes_requested"]

    with acting_as(ALICE):
        await kit.posts.submit_post(ALICE, "t1", post_id, "submit-3")
    await audit.one("post.submit", actor=ALICE.ref, target=target)
    with acting_as(carl):
        approved = await kit.reviews.approve_post(carl, "t1", post_id, comment=REASON)
        await kit.reviews.approve_post(carl, "t1", post_id)  # a retry
    summary = await audit.one("post.approve", actor="user:carl", target=target, absent=(REASON,))
    assert summary["status"] == ["in_review", "approved"] and summary["step"] == [None, "review"]
    assert approved.status.value == "approved"
    await audit.none()

    with acting_as(ALICE):
        await kit.posts.archive_post(ALICE, "t1", post_id, "archive-1")
    summary = await audit.one("post.archive", actor=ALICE.ref, target=target, absent=private)
    assert summary == {"status": ["approved", "archived"]}

    rejected_id = await kit.draft()
    await kit.posts.submit_post(ALICE, "t1", rejected_id)
    # No caller in context (a direct call): the entries are the service's own.
    assert [(e.action, e.actor) for e in await audit.new()] == [
        ("post.create", "service:content"),
        ("post.submit", "service:content"),
    ]
    with acting_as(lea):
        await kit.reviews.reject_post(lea, "t1", rejected_id, REASON, "reject-1")
    summary = await audit.one(
        "post.reject", actor="user:lea", target=("post", rejected_id), absent=(REASON,)
    )
    assert summary == {"status": ["in_review", "rejected"]}


async def test_a_ugc_moderation_decision_is_one_entry(content_kit: ContentKitFactory) -> None:
    kit = await content_kit()
    audit = AuditProbe(kit.db)
    ugc, mod = kit.services.ugc, moderator()
    proposals = []
    for n in (1, 2):
        emp = employee(employee_id=f"emp-{n}")
        post, _, _ = await ugc.propose(
            emp, "t1", emp.employee_id, SECRET_TEXT, "Jane Doe and I at the plant", "", {}
        )
        proposals.append(post.post_id)
    await audit.none()  # a proposal is the employee's, not an editorial action
    with acting_as(mod):
        await ugc.moderate(mod, "t1", proposals[0], True, "", "mod-1")
    approved = await audit.one(
        "ugc.moderate", actor=mod.ref, target=("post", proposals[0]), request_id="mod-1"
    )
    assert approved["status"] == ["in_review", "approved"] and approved["step"] == [None, "review"]
    with acting_as(mod):
        await ugc.moderate(mod, "t1", proposals[1], False, REASON, "mod-2")
        await ugc.moderate(mod, "t1", proposals[1], False, REASON, "mod-2")  # a retry
    rejected = await audit.one(
        "ugc.moderate",
        actor=mod.ref,
        target=("post", proposals[1]),
        request_id="mod-2",
        absent=(REASON, "Jane", SECRET_TEXT),
    )
    assert rejected == {"status": ["in_review", "rejected"]}


async def _bytes(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def test_media_tags_are_audited_as_counts(content_kit: ContentKitFactory) -> None:
    kit = await content_kit()
    audit = AuditProbe(kit.db)
    pdf = b"%PDF-1.4\n" + b"x" * 100
    with acting_as(ALICE):
        asset = await kit.services.media.upload(
            ALICE, MediaHeader("t1", "r.pdf", ("report",), "Jane's report"), _bytes(pdf)
        )
        await kit.services.media.tag(ALICE, "t1", asset.media_id, ["jane-doe", "lyon"], "tag-1")
    summary = await audit.one(
        "media.tag",
        actor=ALICE.ref,
        target=("media", asset.media_id),
        request_id="tag-1",
        absent=("jane-doe", "lyon"),
    )
    assert summary == {"tags": [1, 2]}
