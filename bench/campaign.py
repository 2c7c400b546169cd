"""A campaign through publishing at scale (part of make bench).

Real broker, real PostgreSQL, real Redis, the services as processes (a test
stack of their own: own topics, databases and ports).

  null      a campaign of N shares from its approval: N opted-in auto-share
            employees imported into targeting, their accounts connected, then
            a post written, submitted and approved through content's RPCs;
            targeting resolves the audience, translation delivers the text,
            scheduling plans every share in its good slot (now: locale_now)
            and fires it, publishing (two replicas, a connector that answers
            at once: bench/campaign_replica.py, publishing's own composition
            around it) posts it, gamification and metrics count it, and
            scheduling notes it published. Prints when each stage had all N
            (planned, due, published, points, counted) after the approval,
            shares per second, and CPU ms per share per process and server.
  waiting   ShareDue events as scheduling emits them (same topic, key,
            CloudEvents headers and body) to publishing alone, with a
            connector that answers in 200 ms: one replica against two (goal
            >= 1.8x: the work is waiting, so in-flight shares and replicas
            must pay).
  pds       real posts to the local Bluesky PDS through publishing's real
            Bluesky connector, against a raw createRecord loop with the same
            concurrency on the same PDS and accounts (goal >= 0.8x the raw
            rate).

The null campaign's post carries no link unless --links (then publishing
mints each share's tracked link from metrics, coalesced into
CreateTrackedLinks batches), so the default figures are not metrics' link
service's.

    uv run python bench/campaign.py [--shares 100000] [--waiting 2000] [--posts 5000]
                                    [--only null|waiting|pds] [--links] [--traced 0.01]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from chorus_cli.stack import SERVICES, Stack
from chorus_core.ids import new_id
from chorus_core.settings import DEFAULT_REGION
from chorus_identity.principal import ANY, Grant, Role, user
from chorus_identity.secrets import SecretBox, decode_key
from chorus_messaging.envelope import Envelope
from chorus_messaging.topics import SHARES_SCHEDULED
from publishing_service.domain.accounts import account_id_for, associated_data
from scheduling_service.domain.slots import WorkingDays

ROOT = Path(__file__).resolve().parents[1]
TENANT = "bench"
IN_FLIGHT = 64  # publishing's default per replica (CHORUS_PUBLISHING_IN_FLIGHT)
REPLICA = [sys.executable, str(ROOT / "bench" / "campaign_replica.py")]
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Person:
    employee_id: str
    handle: str
    secret: str


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process and its waited-for children (/proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / CLK_TCK


def infra_pids() -> dict[str, list[int]]:
    """The shared servers' processes (PostgreSQL's many, Kafka's JVM, Redis),
    whose CPU the services' work costs too."""
    found: dict[str, list[int]] = {"postgres": [], "kafka": [], "redis": [], "otel collector": []}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            comm = (proc / "comm").read_text().strip()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if comm == "postgres":
            found["postgres"].append(int(proc.name))
        elif comm == "java" and b"kafka" in cmdline:
            found["kafka"].append(int(proc.name))
        elif comm.startswith("redis-server"):
            found["redis"].append(int(proc.name))
        elif comm.startswith("otelcol"):
            found["otel collector"].append(int(proc.name))
    return found


def infra_cpu(pids: dict[str, list[int]]) -> dict[str, float]:
    spent = {}
    for name, group in pids.items():
        total = 0.0
        for pid in group:
            try:
                total += cpu_seconds(pid)
            except OSError:
                pass  # a backend that ended: its CPU is lost to the figure
        spent[name] = total
    return spent


def machine_busy() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine since boot (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / CLK_TCK, sum(fields) / CLK_TCK


def pg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def count(url: str, sql: str) -> int:
    conn = await asyncpg.connect(pg_url(url))
    try:
        return int(await conn.fetchval(sql, TENANT))
    finally:
        await conn.close()


async def wait_for(
    what: str,
    counter: Callable[[], Awaitable[int]],
    n: int,
    timeout: float,
    every: float = 0.25,
) -> float:
    """Seconds until counter() reaches n (from the caller's start), looking
    `every` seconds: each look is a count over the campaign's rows on the
    database the services share, so a long campaign looks less often."""
    started = time.perf_counter()
    while (got := await counter()) < n:
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"{what}: {got} of {n} after {timeout:.0f} s")
        await asyncio.sleep(every)
    return time.perf_counter() - started


class Campaign:
    """One stack, its publishing accounts, and ShareDue events to send."""

    def __init__(self, var: Path, offset: int) -> None:
        self.stack = Stack(var, port_offset=offset, database="postgresql")
        self.bootstrap = os.environ.get("CHORUS_KAFKA_BOOTSTRAP", "127.0.0.1:9092")

    async def env(self) -> dict[str, str]:
        return await self.stack.service_env(next(s for s in SERVICES if s.name == "publishing"))

    async def up(self, names: list[str]) -> None:
        """The stack's topics (as deploy/kafka/topics.yaml sizes them), then
        these services."""
        await self.stack.up(names)

    async def publishing_url(self) -> str:
        return await self.stack.database_url("publishing")

    async def connect(self, people: list[Person]) -> None:
        """Their accounts as ConnectAccount stores them (sealed secret)."""
        env = await self.env()
        box = SecretBox(decode_key(env["CHORUS_PUBLISHING_ENCRYPTION_KEY"]))
        now = datetime.now(UTC)
        conn = await asyncpg.connect(pg_url(await self.publishing_url()))
        try:
            await conn.executemany(
                "INSERT INTO publishing_accounts (account_id, tenant_id, employee_id, network,"
                " handle, external_id, secret_ciphertext, connected_at, updated_at,"
                " reconnect_reason) VALUES ($1, $2, $3, 'bluesky', $4, $5, $6, $7, $7, '')"
                " ON CONFLICT (account_id) DO NOTHING",
                [
                    (
                        account_id_for(TENANT, p.employee_id, "bluesky"),
                        TENANT,
                        p.employee_id,
                        p.handle,
                        p.handle,
                        box.encrypt(p.secret, associated_data(TENANT, p.employee_id, "bluesky")),
                        now,
                    )
                    for p in people
                ],
            )
        finally:
            await conn.close()

    async def send_due(self, people: list[Person], n: int, label: str) -> list[str]:
        """n ShareDue events, round robin over people; their share ids."""
        topic = self.stack.namespace + SHARES_SCHEDULED
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, linger_ms=20, acks="all")
        await producer.start()
        shares = []
        try:
            futures = []
            post_id = f"post-{label}"
            for i in range(n):
                person = people[i % len(people)]
                share_id = str(uuid.uuid4())
                shares.append(share_id)
                event = scheduling.ShareDue(
                    tenant_id=TENANT,
                    share_id=share_id,
                    post_id=post_id,
                    post_version=1,
                    employee_id=person.employee_id,
                    network="bluesky",
                    language="en",
                    country="FR",
                    text=f"Campaign {label}, share {i}: our new solar plant powers 40,000 homes.",
                )
                envelope = Envelope(
                    ce_id=new_id(),
                    ce_type=event.DESCRIPTOR.full_name,
                    ce_source="chorus/scheduling@bench",
                    ce_time=datetime.now(UTC),
                    ce_subject=share_id,
                    tenant_id=TENANT,
                )
                headers = [(k, v.encode()) for k, v in envelope.to_headers().items()]
                futures.append(
                    await producer.send(
                        topic, event.SerializeToString(), key=share_id.encode(), headers=headers
                    )
                )
            await asyncio.gather(*futures)
        finally:
            await producer.stop()
        return shares

    async def consumers_ready(self, members: int, timeout: float = 60.0) -> None:
        """Publishing's consumer group is stable with `members` members:
        every replica has its partitions before the clock starts."""
        group = f"{self.stack.namespace}chorus.publishing"
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:
            deadline = time.monotonic() + timeout
            while True:
                [reply] = await admin.describe_consumer_groups([group])
                [described] = reply.to_object()["groups"]
                on_shares = [
                    m
                    for m in described["members"]
                    if SHARES_SCHEDULED.encode() in m["member_metadata"]
                ]
                if described["state"] == "Stable" and len(on_shares) == members:
                    return
                if time.monotonic() > deadline:
                    raise SystemExit(f"{group}: not stable with {members} members: {described}")
                await asyncio.sleep(0.5)
        finally:
            await admin.close()

    def pids(self, names: list[tuple[str, int]]) -> dict[str, int]:
        found = {}
        for name, replica in names:
            pid = self.stack._pid(name, replica)
            if pid is not None:
                found[f"{name}#{replica}"] = pid
        return found

    async def down(self) -> None:
        self.stack.down()
        await self.stack.drop_databases()


def people(n: int) -> list[Person]:
    return [Person(f"emp-{i:05d}", f"bench{i}.test", "unused") for i in range(n)]


PUBLISHED = "SELECT count(*) FROM publishing_ledger WHERE tenant_id = $1 AND status = 'published'"


# Where the campaign's people are: a country whose today is a working day
# in a timezone whose current hour has time left, so their auto-shares' next
# good slot (the planner's own rules, preferred hours included) is now. Tried
# in order; between them every day of the week is some country's working day
# (IL works on Sundays, IR on Saturdays) and every minute of the hour is at
# least 10 minutes from some zone's next hour.
LOCALES = (
    ("FR", "Europe/Paris"),
    ("IN", "Asia/Kolkata"),
    ("IL", "Asia/Jerusalem"),
    ("IR", "Asia/Tehran"),
    ("NP", "Asia/Kathmandu"),
)
DIRECTORY_HEADER = (
    "external_id,email,display_name,country,language,timezone,department,status,"
    "opted_in,auto_share,home_region,sharing_hours,consent"
)
IMPORT_ROWS = 20_000  # rows per ImportDirectory request
NULL_SERVICES = ["content", "targeting", "translation", "scheduling", "gamification", "metrics"]
POST_BODY = "Our new solar plant powers 40,000 homes. Proud of the team!"


def locale_now(now: datetime) -> tuple[str, str, str]:
    """(country, timezone, sharing hours) in which `now` is a good slot:
    the sharing hours are the rest of the local hour, so the planner's
    preferred hours have only this one to offer."""
    days = WorkingDays()
    for country, zone in LOCALES:
        local = now.astimezone(ZoneInfo(zone))
        if local.minute <= 50 and days.is_working(local.date(), country):
            return country, zone, f"{local.hour:02d}:00-{local.hour:02d}:59"
    raise SystemExit(f"no locale of {LOCALES} has a good slot at {now:%a %H:%M} UTC: run later")


def directory(n: int, country: str, zone: str, hours: str) -> list[bytes]:
    """n opted-in auto-share employees in this region, in CSV chunks."""
    region = os.environ.get("CHORUS_REGION") or DEFAULT_REGION
    chunks = []
    for first in range(0, n, IMPORT_ROWS):
        rows = [DIRECTORY_HEADER]
        rows += [
            f"bench-{i:06d},bench{i}@example.com,Bench {i},{country},en,{zone},Sales,active,"
            f"true,true,{region},{hours},true"
            for i in range(first, min(n, first + IMPORT_ROWS))
        ]
        chunks.append("\n".join(rows).encode())
    return chunks


async def settled(stack: Stack, bootstrap: str, timeout: float = 600.0) -> None:
    """Every consumer group of the stack has read its topics to the end: the
    directory's events are behind it before the clock starts."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    ends = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await admin.start()
    await ends.start()
    try:
        deadline = time.monotonic() + timeout
        while True:
            groups = [
                g[0] for g in await admin.list_consumer_groups() if g[0].startswith(stack.namespace)
            ]
            behind = 0
            for group in groups:
                committed = await admin.list_consumer_group_offsets(group)
                end = await ends.end_offsets(list(committed))
                behind += sum(end[tp] - meta.offset for tp, meta in committed.items())
            if behind == 0:
                return
            if time.monotonic() > deadline:
                raise SystemExit(f"consumers still {behind} events behind after {timeout:.0f} s")
            await asyncio.sleep(1.0)
    finally:
        await ends.stop()
        await admin.close()


async def null_part(var: Path, shares: int, links: bool = False, traced: float = 0.01) -> None:
    print(
        f"== null connector: a {shares:,}-share campaign from approval"
        f"{' with tracked links' if links else ''}: content, targeting, translation, "
        "scheduling, 2 publishing replicas, gamification, metrics"
    )
    # The campaign goes out at once (the comms team's choice for this post):
    # no spreading over minutes, which would measure the spread, not Chorus.
    os.environ["CHORUS_SCHEDULING_MAX_MINUTE_SHARE"] = "1"
    os.environ["CHORUS_SCHEDULING_MIN_GAP_SECONDS"] = "0"
    # As a deployment sending such campaigns would: a sample of the shares'
    # journeys traced (the approval, audience and planning always are).
    os.environ["CHORUS_SCHEDULING_TRACED_SHARES"] = str(traced)
    print(f"shares traced after planning: {traced:.0%} (CHORUS_SCHEDULING_TRACED_SHARES={traced})")
    campaign = Campaign(var / "null", offset=800)
    stack = campaign.stack
    admin = stack.clients_as(user("bench-admin", TENANT, Role.TENANT_ADMIN))
    comms = stack.clients_as(
        user("bench-comms", TENANT, Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]))
    )
    reviewer = stack.clients_as(
        user("bench-reviewer", TENANT, Grant.of(Role.REVIEWER, steps=[ANY]))
    )
    try:
        await campaign.up(NULL_SERVICES)
        for replica in (0, 1):
            await stack.start("publishing", replica, command=[*REPLICA, "--delay", "0"])
        country, zone, hours = locale_now(datetime.now(UTC))
        print(f"employees in {country} ({zone}), sharing hours {hours} local, auto-share on")
        for i, chunk in enumerate(directory(shares, country, zone, hours)):
            imported = await admin.targeting.ImportDirectory(
                targeting_pb.ImportDirectoryRequest(
                    request_id=f"bench-import-{i}", tenant_id=TENANT, csv=chunk
                )
            )
            if imported.errors:
                raise SystemExit(f"directory import refused rows: {imported.errors[:3]}")
        target_url = await stack.database_url("targeting")
        conn = await asyncpg.connect(pg_url(target_url))
        try:
            ids = await conn.fetch(
                "SELECT employee_id FROM targeting_employees WHERE tenant_id = $1", TENANT
            )
        finally:
            await conn.close()
        staff = [Person(r["employee_id"], f"{r['employee_id']}.test", "unused") for r in ids]
        await campaign.connect(staff)
        await campaign.consumers_ready(2)
        await settled(stack, campaign.bootstrap)
        procs = campaign.pids(
            [(name, 0) for name in NULL_SERVICES] + [("publishing", 0), ("publishing", 1)]
        )
        before = {k: cpu_seconds(p) for k, p in procs.items()}
        servers = infra_pids()
        servers_before = infra_cpu(servers)
        machine_before = machine_busy()

        post = (
            await comms.content.CreatePost(
                content_pb.CreatePostRequest(
                    request_id="bench-post",
                    tenant_id=TENANT,
                    title="Solar plant",
                    body=POST_BODY,
                    link="https://example.com/solar-plant" if links else "",
                    source_language="en",
                    targeting=content_pb.Targeting(countries=[country]),
                    network_texts={"bluesky": POST_BODY},
                )
            )
        ).post
        await comms.content.SubmitPost(
            content_pb.SubmitPostRequest(
                request_id="bench-submit", tenant_id=TENANT, post_id=post.post_id
            )
        )
        started = time.perf_counter()
        await reviewer.content.ApprovePost(
            content_pb.ApprovePostRequest(
                request_id="bench-approve", tenant_id=TENANT, post_id=post.post_id
            )
        )
        sched_url = await stack.database_url("scheduling")
        pub_url = await campaign.publishing_url()
        gam_url = await stack.database_url("gamification")
        met_url = await stack.database_url("metrics")
        timeout = max(600.0, shares / 20)
        of_tenant = "SELECT count(*) FROM {} WHERE tenant_id = $1"
        phases = [
            ("shares planned", sched_url, of_tenant.format("scheduling_shares")),
            (
                "shares due",
                sched_url,
                of_tenant.format("scheduling_shares") + " AND status = 'due'",
            ),
            ("published", pub_url, PUBLISHED),
            ("points recorded", gam_url, of_tenant.format("gamification_ledger")),
            ("shares counted", met_url, of_tenant.format("metrics_counted_shares")),
        ]
        reached = {}
        for what, url, sql in phases:
            await wait_for(what, partial(count, url, sql), shares, timeout, every=1.0)
            reached[what] = time.perf_counter() - started
        total = max(reached.values())
        after = {k: cpu_seconds(p) for k, p in procs.items()}
        servers_after = infra_cpu(servers)
        machine_after = machine_busy()
        for what, at in reached.items():
            print(f"all {what:<24}{at:8.1f} s after approval")
        print(f"total                       {total:8.1f} s  ({shares / total:,.0f} shares/s)")
        if shares >= 100_000:
            print(
                f"goal: {shares:,} published and counted in <= 120 s: "
                f"{'met' if total <= 120 else 'not met'}"
            )
        else:
            print("goal: 100,000 published and counted in <= 120 s (not judged on a smaller run)")
        for name, spent in after.items():
            ms = (spent - before[name]) * 1000 / shares
            print(f"CPU {name:<26} {ms:6.2f} ms per share")
        for name, spent in servers_after.items():
            ms = (spent - servers_before[name]) * 1000 / shares
            print(f"CPU {name + ' (server)':<26} {ms:6.2f} ms per share")
        busy = machine_after[0] - machine_before[0]
        whole = machine_after[1] - machine_before[1]
        print(
            f"machine busy                {100 * busy / whole:6.1f} % of "
            f"{os.cpu_count()} cores ({busy * 1000 / shares:.2f} CPU ms per share in all)"
        )
    finally:
        for clients in (admin, comms, reviewer):
            await clients.close()
        await campaign.down()
        for name in (
            "CHORUS_SCHEDULING_MAX_MINUTE_SHARE",
            "CHORUS_SCHEDULING_MIN_GAP_SECONDS",
            "CHORUS_SCHEDULING_TRACED_SHARES",
        ):
            os.environ.pop(name)


async def waiting_part(var: Path, shares: int) -> None:
    print(f"== connector answering in 200 ms: {shares:,} shares, 1 replica vs 2")
    rates = {}
    for replicas in (1, 2):
        campaign = Campaign(var / f"waiting{replicas}", offset=820 + replicas * 20)
        try:
            await campaign.up([])
            for replica in range(replicas):
                await campaign.stack.start(
                    "publishing", replica, command=[*REPLICA, "--delay", "0.2"]
                )
            staff = people(500)
            await campaign.connect(staff)
            await campaign.consumers_ready(replicas)
            started = time.perf_counter()
            await campaign.send_due(staff, shares, f"waiting{replicas}")
            url = await campaign.publishing_url()
            await wait_for("published", partial(count, url, PUBLISHED), shares, 900)
            elapsed = time.perf_counter() - started
            rates[replicas] = shares / elapsed
            print(
                f"{replicas} replica(s): {elapsed:7.1f} s, {rates[replicas]:7.1f} shares/s "
                f"(in flight per replica: {IN_FLIGHT}, so at most "
                f"{replicas * IN_FLIGHT / 0.2:.0f}/s)"
            )
        finally:
            await campaign.down()
    ratio = rates[2] / rates[1]
    print(
        f"2 replicas / 1 replica: {ratio:.2f}x "
        f"(goal >= 1.8x: {'met' if ratio >= 1.8 else 'not met'})"
    )


async def pds_accounts(pds: str, n: int) -> list[Person]:
    run = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=pds, timeout=30) as http:
        staff = []
        for i in range(n):
            handle = f"b{run}{i}.test"
            password = f"pw-{run}-{i}"
            reply = await http.post(
                "/xrpc/com.atproto.server.createAccount",
                json={"handle": handle, "email": f"{handle}@bench.invalid", "password": password},
            )
            reply.raise_for_status()
            staff.append(Person(f"emp-pds-{i:03d}", handle, password))
        return staff


async def raw_create_record(pds: str, staff: list[Person], n: int, concurrency: int) -> float:
    """createRecord straight to the PDS, `concurrency` at once; sessions made
    before the clock starts. Returns posts per second."""
    async with httpx.AsyncClient(base_url=pds, timeout=60) as http:
        sessions = []
        for p in staff:
            reply = await http.post(
                "/xrpc/com.atproto.server.createSession",
                json={"identifier": p.handle, "password": p.secret},
            )
            reply.raise_for_status()
            body = reply.json()
            sessions.append((body["did"], body["accessJwt"]))
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(n):
            queue.put_nowait(i)

        async def worker() -> None:
            while not queue.empty():
                i = queue.get_nowait()
                did, jwt = sessions[i % len(sessions)]
                reply = await http.post(
                    "/xrpc/com.atproto.repo.createRecord",
                    headers={"Authorization": f"Bearer {jwt}"},
                    json={
                        "repo": did,
                        "collection": "app.bsky.feed.post",
                        "record": {
                            "$type": "app.bsky.feed.post",
                            "text": f"Raw loop, post {i}: our new solar plant powers 40,000 homes.",
                            "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                            "langs": ["en"],
                        },
                    },
                )
                reply.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return n / (time.perf_counter() - started)


async def pds_part(var: Path, posts: int) -> None:
    pds = os.environ.get("CHORUS_BLUESKY_PDS_URL", "http://127.0.0.1:2583")
    print(f"== {posts:,} real posts to the local PDS: Chorus vs a raw createRecord loop")
    staff = await pds_accounts(pds, 50)
    raw = await raw_create_record(pds, staff, posts, IN_FLIGHT)
    print(f"raw createRecord, {IN_FLIGHT} at once: {raw:7.1f} posts/s")
    # The local PDS runs with its rate limits off (deploy/local/bluesky): this
    # deployment's own per-app window, as one running its own PDS sets it;
    # the per-account budgets stay the documented ones.
    os.environ["CHORUS_PUBLISHING_APP_LIMITS"] = "bluesky=1000000/300"
    campaign = Campaign(var / "pds", offset=880)
    try:
        await campaign.up([])
        await campaign.stack.start("publishing", 0)
        await campaign.connect(staff)
        await campaign.consumers_ready(1)
        started = time.perf_counter()
        await campaign.send_due(staff, posts, "pds")
        url = await campaign.publishing_url()
        await wait_for("published", lambda: count(url, PUBLISHED), posts, 1800)
        chorus = posts / (time.perf_counter() - started)
    finally:
        await campaign.down()
    print(f"Chorus, one replica, {IN_FLIGHT} in flight: {chorus:7.1f} posts/s")
    ratio = chorus / raw
    print(f"Chorus / raw: {ratio:.2f}x (goal >= 0.8x: {'met' if ratio >= 0.8 else 'not met'})")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shares", type=int, default=100_000)
    parser.add_argument("--waiting", type=int, default=2_000)
    parser.add_argument("--posts", type=int, default=5_000)
    parser.add_argument("--only", choices=("null", "waiting", "pds"))
    parser.add_argument(
        "--links", action="store_true", help="null part: every share carries a tracked link"
    )
    parser.add_argument(
        "--traced",
        type=float,
        default=0.01,
        help="null part: the fraction of shares traced after planning (1 = every one)",
    )
    args = parser.parse_args()
    if not os.environ.get("CHORUS_PG_URL"):
        raise SystemExit('CHORUS_PG_URL is not set: eval "$(deploy/local/infra.sh env)" first')
    with tempfile.TemporaryDirectory(prefix="chorus-bench-campaign-") as tmp:
        var = Path(tmp)
        if args.only in (None, "waiting"):
            await waiting_part(var, args.waiting)
        if args.only in (None, "pds"):
            await pds_part(var, args.posts)
        if args.only in (None, "null"):
            await null_part(var, args.shares, args.links, args.traced)


if __name__ == "__main__":
    asyncio.run(main())
