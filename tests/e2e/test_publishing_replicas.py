"""Two publishing replicas in one consumer group, one killed mid-campaign:
nothing lost, nothing doubled, nothing left leased (issue 9 §5). The seven
services run as real processes on real Kafka, PostgreSQL, Redis and the
Bluesky PDS; publishing runs twice (Stack.start(..., replica=1): the same
database, consumer group and Redis budgets, a port of its own), and the
share topic's partitions are split between the two.

A campaign of EMPLOYEES shares, each employee with an account on the local
PDS sharing "now", in two waves of people sharing at once: while the first
wave's posts are going out, the second replica is killed with SIGKILL after
its own KILL_AFTER-th post, while a batch of its own is out on the network
(no draining, its offsets not committed, that batch's leases left behind);
the second wave is shared
after the kill. Its partitions go to the survivor once its Kafka session
times out; a lease it held goes stale and the sweeper sends the share again
after asking the network whether the post exists. Two orders: the replica
stays dead until the end, or it is restarted at once (its old session and
leases still alive). And a third: the replica is stopped gracefully
(SIGTERM) at the same moment, and drains: the shares it had in flight are
finished before it exits, so none is left leased and none waits for a sweep.

What is asserted, per order: every share of the campaign ends published in
publishing's ledger (GetPublishStatus for each: none leased, failed or
deferred; ListPublished lists each once); each employee's account on the PDS
holds exactly one post, under the record key derived from the share id and
the URI the ledger recorded; no share was announced published twice (the
replicas' logs); and the kill fell while posts were going out (the killed
replica had published some, not all); and a share the dead replica had
leased went out once its lease was stale (published more than a lease's
length after the kill). Whether the kill lands before the batch it aims at
is recorded is fault timing (the batch may finish within the 5 ms it takes
to see it): a campaign whose kill missed is asserted like the others, and
another is run, up to MAX_ROUNDS.
Each campaign prints its figures (run with -s to see them)."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import grpc
import pytest
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.publishing.v1 import publishing_service_pb2 as publishing_pb
from chorus.scheduling.v1 import scheduling_service_pb2 as scheduling_pb
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from chorus_cli.bluesky import PdsClient
from chorus_cli.collect import all_employees, all_published, all_shares, bounded, wait_for
from chorus_cli.report import SilentReporter
from chorus_cli.stack import Stack
from chorus_core.settings import DEFAULT_REGION
from chorus_testing.infra import required_env
from publishing_service.domain.ledger import LEASE_DURATION
from publishing_service.domain.tid import rkey_for_share

from tests.e2e.test_channel_segment_campaign import Person, Team, connect_accounts, directory_csv

# The stack starts (minutes on two busy cores), then a campaign or a few per
# order, one of them waiting a stale lease's sweep (two lease lengths).
pytestmark = [pytest.mark.infra, pytest.mark.timeout(2400)]

PORT_OFFSET = 700  # its own ports and Redis database (7): no other stack uses them
SERVICE = "publishing"
SURVIVOR, VICTIM = 0, 1  # the test's reads go to replica 0's address: it stays up
EMPLOYEES = 100
FIRST_WAVE = 60  # shared before the kill; the other 40 after it
KILL_AFTER = 4  # the victim's own posts before it is killed
IN_FLIGHT = 4  # shares a replica takes at once (CHORUS_PUBLISHING_IN_FLIGHT)
BODY = "Our Seville plant opens its doors on Saturday: come and see #OpenDay"
LINK = "https://www.example.com/open-day/seville"
# A dead worker's lease is swept once stale for a lease's length: two lease
# lengths after it was taken, plus the sweeper's tick, the survivor's Kafka
# session timeout and the shares behind.
ALL_PUBLISHED_TIMEOUT = 2 * LEASE_DURATION.total_seconds() + 180.0
MAX_ROUNDS = 3  # campaigns per order, until a kill catches a lease (see `rounds`)
GRACEFUL = "stopped gracefully"  # SIGTERM: the replica drains what it has in flight


@dataclass
class Outcome:
    order: str
    shares: list[scheduling_pb.Share]
    statuses: dict[str, str]  # share id -> its status in the ledger (GetPublishStatus)
    records: list[publishing_pb.PublishRecord]  # ListPublished: what the comms team sees
    posts: dict[str, list[dict]]  # employee id -> records on their PDS account
    published_at_kill: int  # in the ledger just after the kill
    held_at_kill: int  # leased in the ledger just after the kill
    by_victim: Counter[str]  # share id -> "share published" lines, killed replica
    by_victim_before_kill: int
    by_survivor: Counter[str]
    swept: int  # published more than a lease's length after the kill
    found_existing: int  # published by finding a post already made (find()), not sent again
    seconds_to_all: float  # first share shared -> every share published
    seconds_kill_to_all: float


@pytest.fixture(scope="module")
async def stack(
    tmp_path_factory: pytest.TempPathFactory,
    start_stack: Callable[[Path, int], AbstractAsyncContextManager[Stack]],
) -> AsyncIterator[Stack]:
    # A replica takes its due shares a poll at a time (one batch: leases,
    # network calls, one commit). Small batches here, so that a campaign of
    # EMPLOYEES goes out in many and a kill can fall inside one.
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CHORUS_PUBLISHING_IN_FLIGHT", str(IN_FLIGHT))
        async with start_stack(tmp_path_factory.mktemp("replicas") / "var", PORT_OFFSET) as running:
            yield running


def published_lines(path: Path, share_ids: set[str]) -> list[dict[str, Any]]:
    """A replica's log lines saying it recorded one of these shares
    published (app/publish.py logs it once the ledger row is committed)."""
    if not path.exists():
        return []
    lines = []
    for line in path.read_text(errors="replace").splitlines():
        if '"share published"' not in line:
            continue
        entry = json.loads(line)
        if entry.get("message") == "share published" and entry.get("share_id") in share_ids:
            lines.append(entry)
    return lines


def published_in_log(path: Path, share_ids: set[str]) -> Counter[str]:
    """How many times a replica's log says each of these shares was published."""
    return Counter(entry["share_id"] for entry in published_lines(path, share_ids))


async def share_now(
    team: Team, tenant: str, post_id: str, shares: list[scheduling_pb.Share]
) -> None:
    """The employees share now, all at once (the campaign's announcement
    lands): scheduling's timer fires them together, so each replica has
    shares queued behind the one in its hands."""

    def share(share: scheduling_pb.Share) -> Callable[[], Awaitable[None]]:
        async def job() -> None:
            with team.employees.acting(share.employee_id):
                await team.employee.scheduling.ScheduleShare(
                    scheduling_pb.ScheduleShareRequest(
                        request_id=f"{share.share_id}-now",
                        tenant_id=tenant,
                        post_id=post_id,
                        employee_id=share.employee_id,
                        mode=scheduling_pb.SHARE_MODE_NOW,
                    )
                )

        return job

    await bounded([share(s) for s in shares], concurrency=16)


def leased_times(path: Path) -> list[datetime]:
    """When the replica took a batch's leases, before its network calls
    (app/publish.py logs "shares leased")."""
    if not path.exists():
        return []
    times = []
    for line in path.read_text(errors="replace").splitlines():
        if '"shares leased"' in line:
            times.append(datetime.fromisoformat(json.loads(line)["time"]))
    return times


async def kill_mid_share(
    stack: Stack,
    log: Path,
    share_ids: set[str],
    posts: int,
    timeout: float = 180.0,
    *,
    graceful: bool = False,
) -> None:
    """SIGKILL the victim once its log shows `posts` of these shares
    published, while a batch of its own is out: its leases taken (its
    "shares leased" line) and no outcome of it recorded yet, so it dies
    calling the network with those leases held. (Between batches it would
    hold none: offset commit, next fetch.) The log is read every 5 ms; a
    batch's network calls take tens of milliseconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        lines = published_lines(log, share_ids)
        last = max((datetime.fromisoformat(e["time"]) for e in lines), default=None)
        out = last is not None and any(t > last for t in leased_times(log))
        if len(lines) >= posts and out:
            break
        if loop.time() > deadline:
            raise AssertionError(
                f"the replica to kill published {len(lines)} shares in {timeout:.0f}s "
                f"(wanted {posts}, then a batch of its own out on the network)"
            )
        await asyncio.sleep(0.005)  # fault timing, not a wait for a result
    if graceful:
        # SIGTERM, then wait for it to exit (Stack.stop polls: off the loop,
        # so that the wave being shared goes on meanwhile).
        await asyncio.to_thread(stack.stop, SERVICE, replica=VICTIM)
    else:
        stack.kill(SERVICE, VICTIM)


async def ledger(team: Team, tenant: str, share_ids: set[str]) -> dict[str, str]:
    """Each share's status in publishing's ledger (GetPublishStatus, as the
    comms team reads it); NOT_FOUND: publishing never took the share."""
    statuses: dict[str, str] = {}
    gate = asyncio.Semaphore(8)

    async def read(share_id: str) -> None:
        async with gate:
            try:
                reply = await team.comms.publishing.GetPublishStatus(
                    publishing_pb.GetPublishStatusRequest(tenant_id=tenant, share_id=share_id)
                )
            except grpc.aio.AioRpcError as error:
                if error.code() != grpc.StatusCode.NOT_FOUND:
                    raise
                statuses[share_id] = "NOT_FOUND"
                return
            statuses[share_id] = publishing_pb.PublishStatus.Name(reply.record.status)

    await asyncio.gather(*(read(s) for s in share_ids))
    return statuses


async def campaign_with_a_kill(stack: Stack, order: str) -> Outcome:
    # Both replicas up: the victim of an earlier campaign is started again.
    await stack.start(SERVICE, SURVIVOR, timeout=300)
    await stack.start(SERVICE, VICTIM, timeout=300)
    tenant = f"replicas-{uuid.uuid4().hex[:8]}"
    team = Team.of(stack, tenant)
    report = SilentReporter()
    region = os.environ.get("CHORUS_REGION", DEFAULT_REGION)  # the stack's
    people = [Person(f"e-{n:03d}") for n in range(EMPLOYEES)]
    imported = await team.admin.targeting.ImportDirectory(
        targeting_pb.ImportDirectoryRequest(
            request_id=f"{tenant}-import", tenant_id=tenant, csv=directory_csv(people, region)
        )
    )
    assert (imported.created, list(imported.errors)) == (EMPLOYEES, [])
    ids = {e.external_id: e.employee_id for e in (await all_employees(team.admin, tenant)).values()}
    pds = PdsClient(required_env("CHORUS_BLUESKY_PDS_URL"))
    accounts = await connect_accounts(team, pds, tenant, ids)

    post = (
        await team.comms.content.CreatePost(
            content_pb.CreatePostRequest(
                request_id=f"{tenant}-post",
                tenant_id=tenant,
                title="Open day in Seville",
                body=BODY,
                link=LINK,
                source_language="en",
                targeting=content_pb.Targeting(countries=["ES"]),  # everyone (directory_csv)
                network_texts={"bluesky": BODY},
            )
        )
    ).post
    await team.comms.content.SubmitPost(
        content_pb.SubmitPostRequest(
            request_id=f"{tenant}-submit", tenant_id=tenant, post_id=post.post_id
        )
    )
    await team.reviewer.content.ApprovePost(
        content_pb.ApprovePostRequest(
            request_id=f"{tenant}-approve", tenant_id=tenant, post_id=post.post_id
        )
    )

    async def shares_count() -> int:
        return len(await all_shares(team.comms, tenant, post.post_id))

    async def published_count() -> int:
        return len(await all_published(team.comms, tenant, post.post_id))

    await wait_for(f"{order}: shares planned", EMPLOYEES, shares_count, report, timeout=180)
    shares = await all_shares(team.comms, tenant, post.post_id)
    share_ids = {s.share_id for s in shares}
    victim_log = stack.log_path(SERVICE, VICTIM)
    victim_lines_before = published_in_log(victim_log, share_ids)  # an earlier life's: none
    assert not victim_lines_before, "these shares were published before the campaign began"

    loop = asyncio.get_running_loop()
    started = loop.time()
    first_wave = asyncio.create_task(
        share_now(team, tenant, post.post_id, shares[:FIRST_WAVE]), name="first wave"
    )
    try:
        await kill_mid_share(stack, victim_log, share_ids, KILL_AFTER, graceful=order == GRACEFUL)
    except BaseException:
        first_wave.cancel()
        raise
    killed_at, killed_wall = loop.time(), datetime.now(UTC)
    at_kill = Counter((await ledger(team, tenant, share_ids)).values())
    # Its whole life's lines are in the file now: nothing more will come.
    by_victim_before_kill = sum(published_in_log(victim_log, share_ids).values())
    if order == "restarted at once":
        # While its Kafka session and its leases are still alive.
        await stack.start(SERVICE, VICTIM, timeout=300)
    await first_wave
    await share_now(team, tenant, post.post_id, shares[FIRST_WAVE:])

    try:
        await wait_for(
            f"{order}: every share published",
            EMPLOYEES,
            published_count,
            report,
            timeout=ALL_PUBLISHED_TIMEOUT,
        )
    except TimeoutError:
        left = await ledger(team, tenant, share_ids)
        stuck = sorted(s for s, status in left.items() if status != "PUBLISH_STATUS_PUBLISHED")
        raise AssertionError(
            f"{order}: not every share was published {ALL_PUBLISHED_TIMEOUT:.0f}s after the"
            f" second wave; the ledger by status: {dict(Counter(left.values()))} (of"
            f" {EMPLOYEES}); e.g. {stuck[:5]}"
        ) from None
    done = loop.time()
    statuses = await ledger(team, tenant, share_ids)
    records = await all_published(team.comms, tenant, post.post_id)
    posts = {ids[key]: await pds.posts(account.did) for key, account in accounts.items()}
    await pds.close()
    await team.close()
    outcome = Outcome(
        order=order,
        shares=shares,
        statuses=statuses,
        records=records,
        posts=posts,
        published_at_kill=at_kill["PUBLISH_STATUS_PUBLISHED"],
        held_at_kill=at_kill["PUBLISH_STATUS_LEASED"],
        by_victim=published_in_log(victim_log, share_ids),
        by_victim_before_kill=by_victim_before_kill,
        by_survivor=published_in_log(stack.log_path(SERVICE, SURVIVOR), share_ids),
        swept=sum(
            r.published_at.ToDatetime(tzinfo=UTC) - killed_wall > LEASE_DURATION for r in records
        ),
        found_existing=sum(
            bool(entry.get("redelivery"))
            for path in (victim_log, stack.log_path(SERVICE, SURVIVOR))
            for entry in published_lines(path, share_ids)
        ),
        seconds_to_all=done - started,
        seconds_kill_to_all=done - killed_at,
    )
    print(
        f"\n[{order}] {EMPLOYEES} shares, two replicas: all published {outcome.seconds_to_all:.0f}s"
        f" after the first was shared ({outcome.seconds_kill_to_all:.0f}s after the kill);"
        f" at the kill {outcome.published_at_kill} published, {outcome.held_at_kill} leased;"
        f" the killed replica had published {outcome.by_victim_before_kill}"
        f" ({sum(outcome.by_victim.values())} by the end), the survivor"
        f" {sum(outcome.by_survivor.values())}; {outcome.swept} published more than a lease's"
        f" length after the kill (its leases, swept), {outcome.found_existing} of them found"
        f" on the network rather than sent again"
    )
    return outcome


@pytest.fixture(scope="module", params=["left dead", "restarted at once", GRACEFUL])
async def rounds(stack: Stack, request: pytest.FixtureRequest) -> list[Outcome]:
    """Campaigns with a kill in this order, until one kill caught the victim
    holding a lease (a share it had taken waited for the sweep), at most
    MAX_ROUNDS: where the kill falls between two shares is fault timing.
    Every round is a kill test all the same: each is asserted. A graceful
    stop leaves no lease behind: one campaign."""
    done: list[Outcome] = []
    while len(done) < MAX_ROUNDS and not any(r.swept for r in done):
        if done and request.param == GRACEFUL:
            break
        done.append(await campaign_with_a_kill(stack, request.param))
    return done


async def test_every_share_ends_published_none_left_leased_or_failed(
    rounds: list[Outcome],
) -> None:
    for outcome in rounds:
        shares = {s.share_id for s in outcome.shares}
        assert len(outcome.shares) == EMPLOYEES == len({s.employee_id for s in outcome.shares})
        assert Counter(outcome.statuses.values()) == {"PUBLISH_STATUS_PUBLISHED": EMPLOYEES}
        assert sorted(r.share_id for r in outcome.records) == sorted(shares), (
            "ListPublished does not list the campaign's shares once each"
        )
        assert all(r.post_uri for r in outcome.records)


async def test_exactly_one_post_per_share_under_its_own_record_key(
    rounds: list[Outcome],
) -> None:
    for outcome in rounds:
        recorded = {r.share_id: r.post_uri for r in outcome.records}
        for share in outcome.shares:
            posts = outcome.posts[share.employee_id]
            assert len(posts) == 1, f"share {share.share_id} has {len(posts)} posts on the PDS"
            uri = posts[0]["uri"]
            assert uri.rsplit("/", 1)[-1] == rkey_for_share(share.share_id)
            assert uri == recorded[share.share_id]
            assert posts[0]["value"]["text"].startswith(BODY)


async def test_no_share_was_announced_published_twice(rounds: list[Outcome]) -> None:
    for outcome in rounds:
        both = outcome.by_victim + outcome.by_survivor
        assert [s for s, n in both.items() if n > 1] == []
        assert sum(both.values()) <= EMPLOYEES


async def test_the_kill_fell_while_posts_were_going_out(rounds: list[Outcome]) -> None:
    for outcome in rounds:
        assert KILL_AFTER <= outcome.published_at_kill < EMPLOYEES
        assert 0 < outcome.by_victim_before_kill < EMPLOYEES, (
            f"the killed replica had published {outcome.by_victim_before_kill} of {EMPLOYEES}"
        )
        assert sum(outcome.by_survivor.values()) > 0, "the survivor published nothing"


async def test_a_lease_the_killed_replica_held_was_swept(rounds: list[Outcome]) -> None:
    """The sweeper's part: a share the dead replica had leased went out
    after its lease went stale (and, by the tests above, once). A replica
    stopped gracefully finished what it had in flight: no lease was left for
    a sweep."""
    if rounds[-1].order == GRACEFUL:
        # (Leased at the stop: the survivor's own shares in flight, so not 0.)
        assert [r.swept for r in rounds] == [0], (
            "the stopped replica left shares leased (swept later) instead of finishing them"
        )
        return
    assert rounds[-1].swept >= 1, (
        f"in {len(rounds)} campaigns the kill never caught the replica holding a lease"
        " (each time between two shares): fault timing, not a publishing fault"
    )
