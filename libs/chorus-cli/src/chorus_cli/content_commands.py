"""`chorus post|charter|media|ugc|feed ...`: the content service.

main.py mounts `post_app` as `post`; the other groups are in `content_apps`
as (name, app) pairs (media and feeds live in content_drive_commands.py)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar, cast

import typer
from chorus.content.v1 import content_service_pb2 as content_pb
from google.protobuf.json_format import MessageToDict, ParseDict
from rich.markup import escape

from chorus_cli.clients import Clients
from chorus_cli.common import TenantOption, console, run
from chorus_cli.content_drive_commands import feed_app, media_app

post_app = typer.Typer(help="Posts (content service)", no_args_is_help=True)
charter_app = typer.Typer(help="The social-media charter (content service)", no_args_is_help=True)
ugc_app = typer.Typer(help="Employee-generated content and its moderation", no_args_is_help=True)
content_apps: list[tuple[str, typer.Typer]] = [
    ("charter", charter_app),
    ("media", media_app),
    ("ugc", ugc_app),
    ("feed", feed_app),
]
KINDS = {
    "brand_news": content_pb.POST_KIND_BRAND_NEWS,
    "job_offer": content_pb.POST_KIND_JOB_OFFER,
    "curated": content_pb.POST_KIND_CURATED,
    "ugc": content_pb.POST_KIND_UGC,
}
STATUSES = {
    # protoc's stubs type the values of items() as int; they are PostStatus values.
    name.removeprefix("POST_STATUS_").lower(): cast(content_pb.PostStatus, value)
    for name, value in content_pb.PostStatus.items()
}
E = TypeVar("E", bound=int)


def pick(options: Mapping[str, E], value: str, name: str) -> E | None:
    """An enum option by its lower-case name; "" = unspecified (None leaves the
    field unset). Unknown names are a usage error (not a traceback, nor a
    silently ignored filter)."""
    if not value:
        return None
    if value not in options:
        raise typer.BadParameter(
            f"{value!r}: expected one of {', '.join(options)}", param_hint=f"--{name}"
        )
    return options[value]


def rid() -> str:
    return str(uuid.uuid4())


def texts(network_text: list[str]) -> dict[str, str]:
    """--network-text bluesky='Hello' (repeatable)."""
    out: dict[str, str] = {}
    for item in network_text:
        network, sep, text = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"{item!r}: expected NETWORK=TEXT")
        out[network.strip()] = text
    return out


def variants(variant: list[str]) -> dict[str, content_pb.TextVariants]:
    """--variant x='One' --variant x='Two' (repeatable): each network's text
    variants, in the order given (an employee's choice is their index)."""
    out: dict[str, content_pb.TextVariants] = {}
    for network, text in map(_pair, variant):
        out.setdefault(network, content_pb.TextVariants()).texts.append(text)
    return out


def _pair(item: str) -> tuple[str, str]:
    network, sep, text = item.partition("=")
    if not sep:
        raise typer.BadParameter(f"{item!r}: expected NETWORK=TEXT")
    return network.strip(), text


def show_violations(violations: list[content_pb.Violation]) -> None:
    if not violations:
        console.print("[green]no charter violation[/green]")
    for v in violations:
        level = (
            "[red]BLOCK[/red]"
            if v.severity == content_pb.SEVERITY_BLOCK
            else "[yellow]warn[/yellow]"
        )
        console.print(
            f"{level} {v.rule_id} {v.field}[{v.start}:{v.end}] {v.message} -> {v.suggestion}"
        )


@post_app.command("create")
def post_create(
    title: str = typer.Option(...),
    body: str = typer.Option(...),
    link: str = "",
    language: str = "en",
    country: list[str] = typer.Option([], help="repeat for several"),
    department: list[str] = typer.Option([]),
    kind: str = typer.Option("brand_news", help=", ".join(KINDS)),
    hashtag: list[str] = typer.Option([]),
    mention: list[str] = typer.Option([]),
    campaign: str = "",
    channel: list[str] = typer.Option([], help="editorial labels (search), not delivery"),
    segment_id: str = typer.Option("", help="deliver to this saved segment (its id)"),
    channel_id: list[str] = typer.Option(
        [], help="deliver to the subscribers of this channel (its id); repeatable"
    ),
    media: list[str] = typer.Option([], help="media ids"),
    network_text: list[str] = typer.Option([], help="NETWORK=TEXT, repeatable"),
    variant: list[str] = typer.Option(
        [], help="NETWORK=TEXT: a text variant (against identical posts), repeatable, in order"
    ),
    campaign_id: str = typer.Option(
        "",
        help="join this campaign (its id): its segment, channels and regions deliver the post",
    ),
    tenant: str = TenantOption,
) -> None:
    request = content_pb.CreatePostRequest(
        request_id=rid(),
        tenant_id=tenant,
        title=title,
        body=body,
        link=link,
        source_language=language,
        targeting=content_pb.Targeting(
            countries=country,
            departments=department,
            segment_id=segment_id,
            channel_ids=channel_id,
        ),
        kind=pick(KINDS, kind, "kind"),
        hashtags=hashtag,
        mentions=mention,
        campaign=campaign,
        channels=channel,
        media_ids=media,
        network_texts=texts(network_text),
        network_variants=variants(variant),
        campaign_id=campaign_id,
    )
    post = run(lambda c: c.content.CreatePost(request)).post
    console.print(f"created post {post.post_id} (draft, version {post.version})")


@post_app.command("update")
def post_update(
    post_id: str,
    title: str | None = None,
    body: str | None = None,
    link: str | None = None,
    language: str | None = None,
    hashtag: list[str] | None = typer.Option(None),
    network_text: list[str] | None = typer.Option(None, help="NETWORK=TEXT, repeatable"),
    variant: list[str] | None = typer.Option(
        None, help="NETWORK=TEXT: replaces every text variant, repeatable, in order"
    ),
    expected_version: int = typer.Option(0, help="0 = the version read just before the edit"),
    tenant: str = TenantOption,
) -> None:
    """A new version: the fields given replace the current ones, every other
    field (kind, targeting, media, channels, ...) is kept as it is."""

    async def edit(c: Clients) -> content_pb.Post:
        current = (
            await c.content.GetPost(content_pb.GetPostRequest(tenant_id=tenant, post_id=post_id))
        ).post
        # Same field names in Post and PostContent: copy the current content over.
        known = set(content_pb.PostContent.DESCRIPTOR.fields_by_name)
        doc = MessageToDict(current, preserving_proto_field_name=True)
        content = ParseDict({k: v for k, v in doc.items() if k in known}, content_pb.PostContent())
        for name, value in (
            ("title", title),
            ("body", body),
            ("link", link),
            ("source_language", language),
        ):
            if value is not None:
                setattr(content, name, value)
        if hashtag is not None:
            content.ClearField("hashtags")
            content.hashtags.extend(hashtag)
        if network_text is not None:
            content.ClearField("network_texts")
            content.network_texts.update(texts(network_text))
        if variant is not None:
            content.ClearField("network_variants")
            for network, given in variants(variant).items():
                content.network_variants[network].CopyFrom(given)
        # The version just read guards against an edit made in between.
        return (
            await c.content.UpdatePost(
                content_pb.UpdatePostRequest(
                    request_id=rid(),
                    tenant_id=tenant,
                    post_id=post_id,
                    expected_version=expected_version or current.version,
                    content=content,
                )
            )
        ).post

    post = run(edit)
    console.print(
        f"post {post_id} is at version {post.version} ({content_pb.PostStatus.Name(post.status)})"
    )


@post_app.command("submit")
def post_submit(post_id: str, tenant: str = TenantOption) -> None:
    run(
        lambda c: c.content.SubmitPost(
            content_pb.SubmitPostRequest(request_id=rid(), tenant_id=tenant, post_id=post_id)
        )
    )
    console.print(f"post {post_id} is in review")


@post_app.command("approve")
def post_approve(
    post_id: str,
    step: str = "",
    comment: str = "",
    tenant: str = TenantOption,
) -> None:
    post = run(
        lambda c: c.content.ApprovePost(
            content_pb.ApprovePostRequest(
                request_id=rid(),
                tenant_id=tenant,
                post_id=post_id,
                step=step,
                comment=comment,
            )
        )
    ).post
    if post.status == content_pb.POST_STATUS_APPROVED:
        console.print(f"post {post_id} approved (version {post.approved_version} pinned)")
    else:
        console.print(f"post {post_id}: step approved, now awaiting {post.awaiting_step!r}")


@post_app.command("request-changes")
def post_request_changes(
    post_id: str,
    comment: str = typer.Option(...),
    tenant: str = TenantOption,
) -> None:
    run(
        lambda c: c.content.RequestChanges(
            content_pb.RequestChangesRequest(
                request_id=rid(),
                tenant_id=tenant,
                post_id=post_id,
                comment=comment,
            )
        )
    )
    console.print(f"changes requested on post {post_id}")


@post_app.command("reject")
def post_reject(
    post_id: str,
    reason: str = typer.Option(...),
    tenant: str = TenantOption,
) -> None:
    run(
        lambda c: c.content.RejectPost(
            content_pb.RejectPostRequest(
                request_id=rid(),
                tenant_id=tenant,
                post_id=post_id,
                reason=reason,
            )
        )
    )
    console.print(f"post {post_id} rejected")


@post_app.command("archive")
def post_archive(post_id: str, tenant: str = TenantOption) -> None:
    run(
        lambda c: c.content.ArchivePost(
            content_pb.ArchivePostRequest(request_id=rid(), tenant_id=tenant, post_id=post_id)
        )
    )
    console.print(f"post {post_id} archived")


@post_app.command("get")
def post_get(post_id: str, version: int = 0, tenant: str = TenantOption) -> None:
    if version:
        console.print(
            run(
                lambda c: c.content.GetPostVersion(
                    content_pb.GetPostVersionRequest(
                        tenant_id=tenant, post_id=post_id, version=version
                    )
                )
            ).post
        )
    else:
        console.print(
            run(
                lambda c: c.content.GetPost(
                    content_pb.GetPostRequest(tenant_id=tenant, post_id=post_id)
                )
            ).post
        )


@post_app.command("comment")
def post_comment(
    post_id: str,
    text: str = typer.Option(...),
    tenant: str = TenantOption,
) -> None:
    run(
        lambda c: c.content.AddComment(
            content_pb.AddCommentRequest(
                request_id=rid(), tenant_id=tenant, post_id=post_id, text=text
            )
        )
    )
    console.print("comment added")


@post_app.command("audit")
def post_audit(
    post_id: str = typer.Argument("", help="empty = every post"),
    csv: bool = False,
    tenant: str = TenantOption,
) -> None:
    if csv:
        print(
            run(
                lambda c: c.content.ExportAuditTrail(
                    content_pb.ExportAuditTrailRequest(tenant_id=tenant, post_id=post_id)
                )
            ).csv,
            end="",
        )
        return
    for e in run(
        lambda c: c.content.GetAuditTrail(
            content_pb.GetAuditTrailRequest(tenant_id=tenant, post_id=post_id)
        )
    ).entries:
        console.print(
            f"{e.at.ToDatetime():%Y-%m-%d %H:%M:%S} v{e.version} {e.actor_id}: "
            f"{e.from_status} -> {e.to_status} {e.step} {e.reason}"
        )


@post_app.command("search")
def post_search(
    query: str = "",
    status: str = "",
    channel: str = "",
    campaign: str = "",
    language: str = "",
    kind: str = "",
    page_size: int = 20,
    page_token: str = "",
    tenant: str = TenantOption,
) -> None:
    response = run(
        lambda c: c.content.SearchPosts(
            content_pb.SearchPostsRequest(
                tenant_id=tenant,
                query=query,
                status=pick(STATUSES, status, "status"),
                channel=channel,
                campaign=campaign,
                language=language,
                kind=pick(KINDS, kind, "kind"),
                page_size=page_size,
                page_token=page_token,
            )
        )
    )
    for p in response.posts:
        console.print(
            f"{p.post_id}  {content_pb.PostStatus.Name(p.status):28} v{p.version}  {p.title}"
        )
    if response.next_page_token:
        console.print(f"next page: --page-token {response.next_page_token}")


@post_app.command("chain")
def post_chain(
    kind: str = typer.Option(..., help=", ".join(KINDS)),
    step: list[str] = typer.Option([], help="in order"),
    tenant: str = TenantOption,
) -> None:
    chain = run(
        lambda c: c.content.SetApprovalChain(
            content_pb.SetApprovalChainRequest(
                request_id=rid(),
                tenant_id=tenant,
                chain=content_pb.ApprovalChain(kind=pick(KINDS, kind, "kind"), steps=step),
            )
        )
    ).chain
    console.print(f"{kind} posts are approved by: {' then '.join(chain.steps) or 'one reviewer'}")


@post_app.command("held")
def post_held(post_id: str = "", tenant: str = TenantOption) -> None:
    """Translations held back for a charter violation in their language."""
    for h in run(
        lambda c: c.content.ListHeldTranslations(
            content_pb.ListHeldTranslationsRequest(tenant_id=tenant, post_id=post_id)
        )
    ).held:
        console.print(
            escape(
                f"{h.post_id} v{h.post_version} [{h.language}]: "
                + "; ".join(v.rule_id for v in h.violations)
            )
        )


@charter_app.command("set")
def charter_set(
    file: Path = typer.Argument(..., help="JSON in the shape of chorus.content.v1.Charter"),
    tenant: str = TenantOption,
) -> None:
    charter = ParseDict(json.loads(file.read_text()), content_pb.Charter())
    saved = run(
        lambda c: c.content.SetCharter(
            content_pb.SetCharterRequest(request_id=rid(), tenant_id=tenant, charter=charter)
        )
    ).charter
    console.print(f"charter version {saved.version} saved")


@charter_app.command("get")
def charter_get(version: int = 0, tenant: str = TenantOption) -> None:
    console.print(
        run(
            lambda c: c.content.GetCharter(
                content_pb.GetCharterRequest(tenant_id=tenant, version=version)
            )
        ).charter
    )


@charter_app.command("check")
def charter_check(
    body: str = typer.Option(...),
    title: str = "",
    link: str = "",
    language: str = "",
    network_text: list[str] = typer.Option([]),
    tenant: str = TenantOption,
) -> None:
    """Dry run: what the editor shows as the author types."""
    show_violations(
        list(
            run(
                lambda c: c.content.CheckCompliance(
                    content_pb.CheckComplianceRequest(
                        tenant_id=tenant,
                        title=title,
                        body=body,
                        link=link,
                        language=language,
                        network_texts=texts(network_text),
                    )
                )
            ).violations
        )
    )


@ugc_app.command("propose")
def ugc_propose(
    employee: str = typer.Option("", help="your own directory id (default: yours)"),
    title: str = typer.Option(...),
    body: str = typer.Option(...),
    link: str = "",
    tenant: str = TenantOption,
) -> None:
    proposal = run(
        lambda c: c.content.ProposePost(
            content_pb.ProposePostRequest(
                request_id=rid(),
                tenant_id=tenant,
                employee_id=employee,
                title=title,
                body=body,
                link=link,
            )
        )
    ).proposal
    console.print(
        f"proposal {proposal.post.post_id} queued (language: {proposal.detected_language})"
    )
    show_violations(list(proposal.violations))


@ugc_app.command("queue")
def ugc_queue(tenant: str = TenantOption) -> None:
    for p in run(
        lambda c: c.content.ListModerationQueue(
            content_pb.ListModerationQueueRequest(tenant_id=tenant)
        )
    ).proposals:
        blocks = sum(v.severity == content_pb.SEVERITY_BLOCK for v in p.violations)
        console.print(
            escape(f"{p.post.post_id} [{p.detected_language}] {p.post.title}  ({blocks} blocking)")
        )


@ugc_app.command("moderate")
def ugc_moderate(
    post_id: str,
    approve: bool = typer.Option(..., "--approve/--reject"),
    reason: str = "",
    tenant: str = TenantOption,
) -> None:
    run(
        lambda c: c.content.ModerateProposal(
            content_pb.ModerateProposalRequest(
                request_id=rid(),
                tenant_id=tenant,
                post_id=post_id,
                approve=approve,
                reason=reason,
            )
        )
    )
    console.print(f"proposal {post_id} {'approved' if approve else 'rejected'}; the author is told")
