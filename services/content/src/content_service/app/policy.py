"""Who may do what in content: the service's authorization policy.

Every call acts in the caller's own tenant (`tenant_for`: a request naming
another tenant is PERMISSION_DENIED; objects of another tenant are simply
not found, as every query is tenant-scoped). A tenant admin passes every
role check of its tenant (chorus_identity.policy.require_role), but not the
four-eyes rules, which are about people, not roles.

| what                                             | who                                |
|--------------------------------------------------|------------------------------------|
| create, edit, submit, archive a post             | comms manager, within their scope  |
| upload and tag media; subscribe and poll feeds   | comms manager                      |
| approve, request changes, reject                 | reviewer of the step awaited, not  |
|                                                  | the author; approve: once a round  |
| comment                                          | staff                              |
| dry-run charter check                            | comms manager, reviewer; employee  |
|                                                  | (their own text before sharing)    |
| propose UGC                                      | an employee, as themself           |
| moderation queue, moderate                       | moderator, not on their own        |
| set charter, approval chain, feed allow-list     | tenant admin                       |
| editorial calendar, its iCalendar export         | comms manager (the whole tenant's) |
| reads: list, search, versions, comments, audit,  | staff                              |
|   charter, chains, held translations, media,     |                                    |
|   feeds                                          |                                    |
| GetPost                                          | staff; an employee if approved;    |
|                                                  | service translation                |
| GetPostVersion                                   | staff; service translation         |
| DownloadMedia                                    | staff; service publishing (the     |
|                                                  | images of the shares it posts)     |

Staff = tenant admin, comms manager, reviewer, moderator. Employees read
only what they may share: the head of an approved post (the employee app
shows it); drafts, reviews and the audit trail are the comms team's.

A comms manager's scope: a post's audience is the intersection of its
targeting's restrictions, so the channel restriction is what bounds it. A
grant covering the region this deployment serves (CHORUS_REGION: a regional
team writes in its region's deployment) covers any targeting; otherwise
every channel the post targets must be covered by a grant, and a post
without a channel restriction (the whole tenant) needs a grant covering
every channel. Editing needs the scope of the post as it is and as it will
be; submitting and archiving the scope of the post as it is.

Services act only where named: translation reads posts for the tenant of
the event it handles; publishing downloads the images of the shares it
posts, for the tenant of the share. No other RPC is open to services.
"""

from __future__ import annotations

from collections.abc import Sequence

from chorus_core.errors import NotFound, PermissionDenied
from chorus_identity.policy import is_self, require_role, require_service, tenant_for
from chorus_identity.principal import ANY, Principal, Role

from content_service.domain.posts import Post, PostStatus, Targeting

STAFF = (Role.COMMS_MANAGER, Role.REVIEWER, Role.MODERATOR)
READER_SERVICES = ("translation",)
MEDIA_SERVICES = ("publishing",)


def staff(actor: Principal, requested_tenant: str) -> str:
    """A read (or comment) by anyone of the tenant with a non-employee role."""
    tenant = tenant_for(actor, requested_tenant)
    require_role(actor, *STAFF)
    return tenant


def staff_or_reader_service(actor: Principal, requested_tenant: str) -> str:
    tenant = tenant_for(actor, requested_tenant)
    if actor.is_service:
        require_service(actor, READER_SERVICES)
    else:
        require_role(actor, *STAFF)
    return tenant


def media_downloader(actor: Principal, requested_tenant: str) -> str:
    """DownloadMedia: staff, and publishing (a share's images, in its tenant)."""
    tenant = tenant_for(actor, requested_tenant)
    if actor.is_service:
        require_service(actor, MEDIA_SERVICES)
    else:
        require_role(actor, *STAFF)
    return tenant


def may_read_post(actor: Principal, post: Post) -> None:
    """GetPost, after post_reader: an employee sees approved posts only (any
    other is not found for them, as if it did not exist)."""
    if actor.is_service or actor.has(Role.TENANT_ADMIN) or any(actor.has(r) for r in STAFF):
        return
    if post.status is not PostStatus.APPROVED:
        raise NotFound("post", post.post_id)


def post_reader(actor: Principal, requested_tenant: str) -> str:
    """GetPost: staff, an employee (approved posts: may_read_post), translation."""
    tenant = tenant_for(actor, requested_tenant)
    if actor.is_service:
        require_service(actor, READER_SERVICES)
    else:
        require_role(actor, *STAFF, Role.EMPLOYEE)
    return tenant


def comms(actor: Principal, requested_tenant: str) -> str:
    tenant = tenant_for(actor, requested_tenant)
    require_role(actor, Role.COMMS_MANAGER)
    return tenant


def compliance_checker(actor: Principal, requested_tenant: str) -> str:
    """The dry run writes nothing and answers about the text sent only. An
    employee asks it (through scheduling, with their own token) about the
    text they edited before sharing: they learn no more of the charter than
    a refused share would tell them."""
    tenant = tenant_for(actor, requested_tenant)
    require_role(actor, Role.COMMS_MANAGER, Role.REVIEWER, Role.EMPLOYEE)
    return tenant


def admin(actor: Principal, requested_tenant: str) -> str:
    tenant = tenant_for(actor, requested_tenant)
    require_role(actor)  # no role named: the tenant admin only
    return tenant


def moderator(actor: Principal, requested_tenant: str) -> str:
    tenant = tenant_for(actor, requested_tenant)
    require_role(actor, Role.MODERATOR)
    return tenant


def reviewer(actor: Principal, requested_tenant: str) -> str:
    """Any reviewer of the tenant; the step is checked on the post (reviews_step)."""
    tenant = tenant_for(actor, requested_tenant)
    require_role(actor, Role.REVIEWER)
    return tenant


def proposer(actor: Principal, requested_tenant: str, employee_id: str) -> tuple[str, str]:
    """ProposePost: an employee proposes as themself only (an empty
    employee_id is the caller's own). Nobody proposes in someone's name, not
    even a tenant admin: the author of UGC is the person who wrote it."""
    tenant = tenant_for(actor, requested_tenant)
    if actor.is_service or not actor.has(Role.EMPLOYEE) or not actor.employee_id:
        raise PermissionDenied("only an employee linked to the directory proposes posts")
    wanted = employee_id or actor.employee_id
    if not is_self(actor, wanted):
        raise PermissionDenied("employee_id: an employee proposes as themself only")
    return tenant, wanted


def reviews_step(actor: Principal, step: str) -> None:
    """The reviewer's grant must cover the step the post awaits."""
    if actor.has(Role.TENANT_ADMIN):
        return
    if not any(g.covers_step(step) for g in actor.grants_of(Role.REVIEWER)):
        raise PermissionDenied(f"not a reviewer of the step {step!r}")


def not_author(actor: Principal, post: Post) -> None:
    if actor.subject == post.author_id:
        raise PermissionDenied("the author cannot review their own post (four-eyes rule)")


def four_eyes(actor: Principal, post: Post) -> None:
    """An approval: never the author, never the same person twice in one
    round (the domain keeps the same rule on subject ids; this answers it as
    the authorization failure it is). No role lifts it, not even admin."""
    not_author(actor, post)
    if actor.subject in post.review_approvers:
        raise PermissionDenied("each step of a review needs a different approver")


def moderates(actor: Principal, post: Post) -> None:
    """A moderator does not decide on their own proposal (UGC's author is an
    employee id, so the moderator's linked entry is compared)."""
    if post.author_id in (actor.subject, actor.employee_id):
        raise PermissionDenied("a moderator cannot moderate their own proposal")


def manages(actor: Principal, targeting: Targeting, region: str) -> None:
    """The comms manager's scope covers the targeting (see the module doc)."""
    if actor.has(Role.TENANT_ADMIN):
        return
    grants = actor.grants_of(Role.COMMS_MANAGER)
    if any(g.covers_region(region) for g in grants):
        return
    channels = targeting.channel_ids or (ANY,)
    for channel in channels:
        if not any(g.covers_channel(channel) for g in grants):
            what = "every channel" if channel == ANY else f"the channel {channel}"
            raise PermissionDenied(f"targeting: the caller does not manage {what}")


def manages_campaign(actor: Principal, regions: Sequence[str], channels: Sequence[str]) -> None:
    """A campaign is the comms manager's when their grants cover each of its
    regions, or else each of its channels (as for a post's targeting)."""
    if actor.has(Role.TENANT_ADMIN):
        return
    grants = actor.grants_of(Role.COMMS_MANAGER)
    if all(any(g.covers_region(r) for g in grants) for r in regions):
        return
    for channel in channels or (ANY,):
        if not any(g.covers_channel(channel) for g in grants):
            what = "every channel" if channel == ANY else f"the channel {channel}"
            raise PermissionDenied(
                f"campaign: the caller manages neither all its regions nor {what}"
            )
