"""Post use cases: each one transaction, events through the outbox, every
transition in the audit trail, every mutating call idempotent by request_id.
Each takes the verified caller first and asks app/policy.py whether it may;
the caller's subject is what is stored as author, approver or reviewer.
Every editorial action also writes one entry of the tenant's audit log
(chorus_messaging.audit) in its transaction: the post's status, version,
step and channels before -> after, never its text."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition, InvalidArgument, NotFound
from chorus_core.ids import new_id, stable_id
from chorus_core.settings import DEFAULT_REGION
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import Transaction, UnitOfWork
from chorus_identity.policy import actor_id
from chorus_identity.principal import Principal
from chorus_messaging.audit import AuditTrail, State
from opentelemetry import trace

from content_service.app import events, policy
from content_service.app.charters import CharterService, check_variants
from content_service.app.events import PostEvent
from content_service.app.ports import PostEvents, Stores
from content_service.app.records import Comment
from content_service.domain.campaigns import campaign_targeting
from content_service.domain.posts import (
    Post,
    PostContent,
    PostStatus,
    new_post,
    validate_content,
)

# A transition of one post, in mutate's transaction: the post after it, the
# events it emits, who made it and why.
Change = Callable[[Transaction, Post], Awaitable[tuple[Post, list[PostEvent], str, str]]]
# The audit action of each mutate operation (the others are post.<operation>).
AUDIT_ACTIONS = {"approve_step": "post.approve"}


def post_state(post: Post) -> State:
    """What the audit log keeps of a post: where it is in its workflow and
    where it goes, never what it says or who wrote it."""
    return {
        "status": post.status.value,
        "version": post.version,
        "review_step": post.review_step,
        "kind": post.kind.value,
        "channels": sorted(post.channels),
    }


@dataclass(frozen=True)
class NewPost:
    """A post to create: for which tenant (empty = the caller's), what it says.
    Its author is the caller."""

    tenant_id: str
    content: PostContent
    request_id: str = ""
    campaign_id: str = ""  # a campaign of the tenant: its targeting is the campaign's


class ContentUseCases:
    def __init__(
        self,
        uow: UnitOfWork,
        stores: Stores,
        events: PostEvents,
        charters: CharterService,
        audit: AuditTrail,
        region: str = DEFAULT_REGION,
    ) -> None:
        self.uow = uow
        self.stores = stores
        self.events = events
        self.charters = charters
        self.audit = audit
        self.region = region  # the deployment's region: a regional comms team's scope

    async def create_post(
        self, actor: Principal, new: NewPost, status: PostStatus = PostStatus.DRAFT
    ) -> Post:
        tenant_id = policy.comms(actor, new.tenant_id)
        valid_tenant(tenant_id)
        content = new.content
        author_id = actor_id(actor)
        validate_content(content, author_id)
        if new.campaign_id:
            campaign_targeting(content.targeting)
        else:
            policy.manages(actor, content.targeting, self.region)
        async with self.uow.transaction() as transaction:
            posts = self.stores.posts(transaction)
            if new.request_id:
                # A retried CreatePost (same request_id) returns the first result.
                existing = await posts.find_by_request(tenant_id, new.request_id)
                if existing:
                    return existing
            await self._check_variants(transaction, tenant_id, content)
            post_id = stable_id("post", tenant_id, new.request_id) if new.request_id else new_id()
            post = new_post(post_id, tenant_id, author_id, content, utcnow(), status)
            if new.campaign_id:
                post = await self._join_campaign(actor, transaction, post, new.campaign_id)
            await self.add_in(transaction, post, new.request_id)
            self.record(transaction, "post.create", None, post, new.request_id)
        trace.get_current_span().set_attribute("chorus.post_id", post.post_id)
        return post

    async def _join_campaign(
        self, actor: Principal, transaction: Transaction, post: Post, campaign_id: str
    ) -> Post:
        """The post joins the campaign (locked: two posts joining at once both
        stay listed); the campaign must be the caller's to manage."""
        campaigns = self.stores.campaigns(transaction)
        try:
            campaign = await campaigns.get(post.tenant_id, campaign_id, for_update=True)
        except NotFound:
            raise InvalidArgument("campaign_id", f"no campaign {campaign_id!r}") from None
        policy.manages_campaign(actor, campaign.regions, campaign.channels)
        await campaigns.save(campaign.with_post(post.post_id), utcnow())
        return replace(post, campaign_id=campaign.campaign_id)

    async def _check_variants(
        self, transaction: Transaction, tenant_id: str, content: PostContent
    ) -> None:
        """The variants against the tenant's charter, in the transaction that
        saves them (InvalidArgument: nothing is saved)."""
        if content.network_variants:
            engine = await self.charters.engine(transaction, tenant_id)
            check_variants(engine, content.network_variants, content.source_language)

    async def add_in(self, transaction: Transaction, post: Post, request_id: str = "") -> None:
        """A new post inside the caller's transaction (also used by UGC and feeds)."""
        await self.stores.posts(transaction).add(post, request_id or None)
        self.events.emit(transaction, events.PostCreated(post))

    def record(
        self,
        transaction: Transaction,
        action: str,
        before: Post | None,
        after: Post,
        request_id: str,
        **extra: str,
    ) -> None:
        """The audit entry of one editorial action on `after` (`extra`:
        non-personal facts of the action, such as the step approved)."""
        self.audit.record(
            transaction,
            tenant_id=after.tenant_id,
            action=action,
            target_type="post",
            target_id=after.post_id,
            before=post_state(before) if before is not None else None,
            after={**post_state(after), **extra},
            request_id=request_id,
        )

    async def mutate(
        self,
        tenant_id: str,
        post_id: str,
        request_id: str,
        operation: str,
        change: Change,
        *,
        action: str = "",
    ) -> Post:
        """One transition of a post in one transaction; `action`: its audit
        action when not the operation's own (a UGC moderation decision)."""
        valid_tenant(tenant_id)
        require("post_id", post_id)
        async with self.uow.transaction() as transaction:
            posts = self.stores.posts(transaction)
            requests = self.stores.requests(transaction)
            if await requests.seen(tenant_id, request_id):
                # A retry: the change is already applied. The caller passed the
                # role check of the operation, and every such role reads posts.
                return await posts.get(tenant_id, post_id)
            before = await posts.get(tenant_id, post_id, for_update=True)
            after, emitted, actor, reason = await change(transaction, before)
            await posts.save(after, new_version=after.version != before.version)
            if after.status is not before.status or operation in ("approve_step", "comment"):
                step = reason if operation == "approve_step" else ""
                await posts.audit(
                    after, before.status, actor, reason="" if step else reason, step=step
                )
            if after is not before:  # a no-op retry of a transition changed nothing
                extra = {"step": reason} if operation == "approve_step" else {}
                action = action or AUDIT_ACTIONS.get(operation, f"post.{operation}")
                self.record(transaction, action, before, after, request_id, **extra)
            for event in emitted:
                self.events.emit(transaction, event)
            await requests.record(tenant_id, request_id, operation, post_id, utcnow())
        trace.get_current_span().set_attribute("chorus.post_id", post_id)
        return after

    async def update_post(
        self,
        actor: Principal,
        tenant_id: str,
        post_id: str,
        content: PostContent,
        expected_version: int = 0,
        request_id: str = "",
    ) -> Post:
        tenant_id = policy.comms(actor, tenant_id)
        editor = actor_id(actor)

        async def change(
            transaction: Transaction, before: Post
        ) -> tuple[Post, list[PostEvent], str, str]:
            policy.manages(actor, before.targeting, self.region)
            policy.manages(actor, content.targeting, self.region)
            if expected_version and before.version != expected_version:
                raise FailedPrecondition(
                    f"post is at version {before.version}, not {expected_version}; reload it"
                )
            validate_content(content, before.author_id)
            await self._check_variants(transaction, tenant_id, content)
            after = before.edit(content, utcnow())
            return after, [events.PostUpdated(after)], editor, "edited"

        return await self.mutate(tenant_id, post_id, request_id, "update", change)

    async def submit_post(
        self, actor: Principal, tenant_id: str, post_id: str, request_id: str = ""
    ) -> Post:
        tenant_id = policy.comms(actor, tenant_id)
        submitter = actor_id(actor)

        async def change(
            transaction: Transaction, before: Post
        ) -> tuple[Post, list[PostEvent], str, str]:
            policy.manages(actor, before.targeting, self.region)
            if before.status is PostStatus.IN_REVIEW:
                return before, [], submitter, ""  # a retried submit is a no-op
            after = before.submit(submitter, utcnow())
            return after, [events.PostSubmitted(after)], submitter, ""

        return await self.mutate(tenant_id, post_id, request_id, "submit", change)

    async def archive_post(
        self, actor: Principal, tenant_id: str, post_id: str, request_id: str = ""
    ) -> Post:
        tenant_id = policy.comms(actor, tenant_id)
        archiver = actor_id(actor)

        async def change(
            transaction: Transaction, before: Post
        ) -> tuple[Post, list[PostEvent], str, str]:
            policy.manages(actor, before.targeting, self.region)
            if before.status is PostStatus.ARCHIVED:
                return before, [], archiver, ""
            after = before.archive(archiver, utcnow())
            return after, [events.PostArchived(after)], archiver, ""

        return await self.mutate(tenant_id, post_id, request_id, "archive", change)

    async def comment_in(
        self, transaction: Transaction, post: Post, author_id: str, text: str
    ) -> None:
        await self.stores.posts(transaction).add_comment(
            Comment(
                comment_id=new_id(),
                tenant_id=post.tenant_id,
                post_id=post.post_id,
                version=post.version,
                author_id=author_id,
                text=text,
                at=utcnow(),
            )
        )

    async def set_approval_chain(
        self,
        actor: Principal,
        tenant_id: str,
        kind: str,
        steps: tuple[str, ...],
        request_id: str = "",
    ) -> tuple[str, ...]:
        tenant_id = policy.admin(actor, tenant_id)
        valid_tenant(tenant_id)
        cleaned = tuple(s.strip() for s in steps)
        if any(not s for s in cleaned) or len(set(cleaned)) != len(cleaned) or len(cleaned) > 10:
            raise InvalidArgument("chain.steps", "steps must be 0..10 distinct non-empty names")
        async with self.uow.transaction() as transaction:
            chains = self.stores.chains(transaction)
            before = await chains.steps(tenant_id, kind)
            await chains.save(tenant_id, kind, cleaned)
            # Step names are the tenant's role names for its review stages.
            self.audit.record(
                transaction,
                tenant_id=tenant_id,
                action="approval_chain.set",
                target_type="approval_chain",
                target_id=kind,
                before={"steps": list(before)},
                after={"steps": list(cleaned)},
                request_id=request_id,
            )
        return cleaned

    async def approval_chains(self, actor: Principal, tenant_id: str) -> dict[str, tuple[str, ...]]:
        tenant_id = policy.staff(actor, tenant_id)
        valid_tenant(tenant_id)
        async with self.uow.session() as session:
            return await self.stores.chains(session).all(tenant_id)

    async def chain_for(self, post: Post) -> tuple[str, ...]:
        async with self.uow.session() as session:
            return await self.stores.chains(session).steps(post.tenant_id, post.kind.value)
