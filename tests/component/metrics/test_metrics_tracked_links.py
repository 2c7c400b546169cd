"""CreateTrackedLink(s): deterministic code per share, idempotent, validated;
many at once in one transaction, each request with its own outcome."""

from __future__ import annotations

import asyncio

import pytest
from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from chorus_testing.identity import as_service
from metrics_service.adapters.tables import TrackedLinkRow
from metrics_service.app.use_cases import MAX_LINKS_PER_CALL, MetricsUseCases
from metrics_service.domain import links as link_rules

PUBLISHING = as_service("publishing")  # the only caller metrics makes links for


async def test_a_share_gets_its_deterministic_code_and_short_url(use_cases, kit, tenant) -> None:
    link = await use_cases.create_tracked_link(PUBLISHING, kit.new_link(tenant, "share-a"))
    assert link.code == next(link_rules.candidate_codes(tenant, "share-a"))
    assert use_cases.short_url(link.code) == f"http://go.chorus.test/l/{link.code}"
    assert (link.tenant_id, link.share_id, link.country, link.network) == (
        tenant,
        "share-a",
        "FR",
        "bluesky",
    )


async def test_creating_twice_for_one_share_returns_the_same_code_and_one_row(
    use_cases, kit, tenant, metrics_db
) -> None:
    first = await use_cases.create_tracked_link(PUBLISHING, kit.new_link(tenant, "share-a"))
    again = await use_cases.create_tracked_link(
        PUBLISHING, kit.new_link(tenant, "share-a")
    )  # new request_id
    assert again == first
    assert await kit.count(metrics_db, TrackedLinkRow) == 1


async def test_concurrent_creates_for_one_share_agree(use_cases, kit, tenant, metrics_db) -> None:
    results = await asyncio.gather(
        *(use_cases.create_tracked_link(PUBLISHING, kit.new_link(tenant, "s")) for _ in range(6))
    )
    assert len({r.code for r in results}) == 1
    assert await kit.count(metrics_db, TrackedLinkRow) == 1


async def test_a_taken_code_moves_the_share_to_its_next_candidate(
    use_cases, kit, tenant, metrics_db
) -> None:
    wanted = list(link_rules.candidate_codes(tenant, "share-b"))
    # Occupy share-b's first candidate with another row, as a collision would.
    async with metrics_db.transaction() as session:
        session.add(
            TrackedLinkRow(
                code=wanted[0],
                tenant_id="other",
                share_id="x",
                post_id="p",
                employee_id="e",
                country="DE",
                network="x",
                target_url="https://e.com",
                campaign="",
                created_at=utcnow(),
            )
        )
    link = await use_cases.create_tracked_link(PUBLISHING, kit.new_link(tenant, "share-b"))
    assert link.code == wanted[1]
    assert (
        await use_cases.create_tracked_link(PUBLISHING, kit.new_link(tenant, "share-b"))
    ).code == wanted[1]


async def test_one_share_cannot_point_somewhere_else_later(use_cases, kit, tenant) -> None:
    await use_cases.create_tracked_link(PUBLISHING, kit.new_link(tenant, "share-a"))
    with pytest.raises(FailedPrecondition, match="different target_url"):
        await use_cases.create_tracked_link(
            PUBLISHING, kit.new_link(tenant, "share-a", target_url="https://other.example/")
        )


async def test_the_same_share_id_in_two_tenants_gets_two_links(
    use_cases: MetricsUseCases, kit, tenant
) -> None:
    mine = await use_cases.create_tracked_link(PUBLISHING, kit.new_link(tenant, "share-a"))
    theirs = await use_cases.create_tracked_link(
        PUBLISHING, kit.new_link(tenant + "-other", "share-a")
    )
    assert mine.code != theirs.code


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"target_url": "ftp://files.example.com/a"}, "target_url"),
        ({"target_url": "not a url"}, "target_url"),
        ({"target_url": ""}, "target_url"),
        ({"country": "FRA"}, "country"),
        ({"post_id": ""}, "post_id"),
        ({"employee_id": ""}, "employee_id"),
        ({"network": ""}, "network"),
    ],
)
async def test_bad_input_names_the_field_and_writes_nothing(
    use_cases, kit, tenant, metrics_db, overrides, field
) -> None:
    with pytest.raises(InvalidArgument) as raised:
        await use_cases.create_tracked_link(
            PUBLISHING, kit.new_link(tenant, "share-a", **overrides)
        )
    assert raised.value.field == field
    assert await kit.count(metrics_db, TrackedLinkRow) == 0


async def test_a_link_without_a_tenant_is_rejected(use_cases, kit, metrics_db) -> None:
    # A service acts for the tenant of the work it does, which it must name.
    with pytest.raises(PermissionDenied, match="name the tenant"):
        await use_cases.create_tracked_link(PUBLISHING, kit.new_link(""))
    assert await kit.count(metrics_db, TrackedLinkRow) == 0


# CreateTrackedLinks: many at once, one transaction, one outcome per request.


async def test_a_batch_gets_each_share_its_own_deterministic_link_in_order(
    use_cases, kit, tenant, metrics_db
) -> None:
    shares = [f"share-{n}" for n in range(5)]
    made = await use_cases.create_tracked_links(
        PUBLISHING, [kit.new_link(tenant, share) for share in shares]
    )
    assert [link.share_id for link in made] == shares
    assert [link.code for link in made] == [
        next(link_rules.candidate_codes(tenant, share)) for share in shares
    ]
    assert await kit.count(metrics_db, TrackedLinkRow) == 5
    # Redelivered (with one new share): the same links, one new row.
    again = await use_cases.create_tracked_links(
        PUBLISHING, [kit.new_link(tenant, share) for share in [*shares, "share-new"]]
    )
    assert again[:5] == made
    assert await kit.count(metrics_db, TrackedLinkRow) == 6
    # As the one-at-a-time call sees them.
    assert (
        await use_cases.create_tracked_link(PUBLISHING, kit.new_link(tenant, "share-2")) == made[2]
    )


async def test_one_bad_request_in_a_batch_gets_its_error_and_the_others_their_links(
    use_cases, kit, tenant, metrics_db
) -> None:
    await use_cases.create_tracked_links(PUBLISHING, [kit.new_link(tenant, "share-old")])
    outcomes = await use_cases.create_tracked_links(
        PUBLISHING,
        [
            kit.new_link(tenant, "share-a"),
            kit.new_link(tenant, "share-b", country="FRA"),
            kit.new_link(tenant, "share-old", target_url="https://other.example/"),
            kit.new_link("", "share-c"),
            kit.new_link(tenant, "share-d"),
        ],
    )
    ok_a, bad_country, moved, no_tenant, ok_d = outcomes
    assert not isinstance(ok_a, Exception) and ok_a.share_id == "share-a"
    assert isinstance(bad_country, InvalidArgument) and bad_country.field == "country"
    assert isinstance(moved, FailedPrecondition) and "different target_url" in str(moved)
    assert isinstance(no_tenant, PermissionDenied)
    assert not isinstance(ok_d, Exception) and ok_d.share_id == "share-d"
    assert await kit.count(metrics_db, TrackedLinkRow) == 3  # old, a, d


async def test_a_share_twice_in_one_batch_gets_one_link(use_cases, kit, tenant, metrics_db) -> None:
    first, second = await use_cases.create_tracked_links(
        PUBLISHING, [kit.new_link(tenant, "share-a"), kit.new_link(tenant, "share-a")]
    )
    assert first == second
    assert await kit.count(metrics_db, TrackedLinkRow) == 1


async def test_concurrent_batches_over_the_same_shares_agree(
    use_cases, kit, tenant, metrics_db
) -> None:
    batch = [kit.new_link(tenant, f"share-{n}") for n in range(8)]
    results = await asyncio.gather(
        *(use_cases.create_tracked_links(PUBLISHING, batch) for _ in range(4))
    )
    assert all(result == results[0] for result in results)
    assert await kit.count(metrics_db, TrackedLinkRow) == 8


async def test_a_batch_over_the_bound_is_refused_whole(use_cases, kit, tenant, metrics_db) -> None:
    with pytest.raises(InvalidArgument) as raised:
        await use_cases.create_tracked_links(
            PUBLISHING, [kit.new_link(tenant, f"s-{n}") for n in range(MAX_LINKS_PER_CALL + 1)]
        )
    assert raised.value.field == "links"
    assert await kit.count(metrics_db, TrackedLinkRow) == 0
