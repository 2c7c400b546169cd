"""Gamification use cases: award points, read the board and profiles, rebuild.

The ledger (database) is the source of truth; the Redis board is a view of it.
Points are awarded in one database transaction (ledger row + running total +
PointsAwarded in the outbox + the consumer's inbox row; a batch of events
shares one), and only AFTER that commit is the Redis board told the new
total. A crash (or a Redis outage) between the two leaves Redis behind the
ledger, never ahead of it. We handle that gap without trying to make Redis
transactional with the database:

  * board writes are absolute ("total is now N", keep the larger), so they are
    idempotent and self-healing: the employee's next award repairs any missed
    write, and replaying a write can never double-count;
  * `reconcile` pushes every running total to the board: it runs at start-up
    (covers a crash just after a commit) and periodically (covers a Redis
    outage while running); GetLeaderboard also heals a board Redis lost;
  * `rebuild` recomputes the board from the ledger rows themselves (it can also
    lower scores, e.g. after a correction) and swaps it in atomically.

We chose this over a per-ledger-row "applied" set in Redis (SADD guard + Lua)
because that set grows with every award forever, and to stay correct it must
be swapped together with the board on every rebuild; absolute totals need no
extra state. The price: totals only ever rise on the board between rebuilds,
which matches the rules (points are earned, never taken back).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from contextlib import nullcontext
from functools import partial

from chorus_core.scope import Scope
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import AfterCommit, Transaction, UnitOfWork
from chorus_identity.policy import tenant_for
from chorus_identity.principal import Principal
from chorus_messaging.audit import AuditTrail, OutboxAuditTrail

from gamification_service.app import policy
from gamification_service.app.erasure import ERASED, anonymise_employee
from gamification_service.app.ports import (
    Leaderboard,
    LeaderboardUnavailable,
    Ledgers,
    OpenTransaction,
    PointsEvents,
    RebuildAlreadyRecorded,
)
from gamification_service.domain.leaderboard import Standing, limit_of, ordered, ranked
from gamification_service.domain.points import Award, Profile

log = logging.getLogger(__name__)

# GetProfile returns the total over the whole ledger but only the most recent
# entries, newest first: the proto has no paging, and a long-time ambassador
# has thousands.
PROFILE_ENTRIES = 200


class GamificationUseCases:
    def __init__(
        self,
        db: UnitOfWork,
        ledger: Ledgers,
        events: PointsEvents,
        leaderboard: Leaderboard,
        audit: AuditTrail | None = None,
        *,
        after_commit: AfterCommit,
    ) -> None:
        self.db = db
        self.after_commit = after_commit
        self.ledger = ledger
        self.events = events
        self.leaderboard = leaderboard
        self.audit = audit or OutboxAuditTrail.of_service("gamification")

    async def award(self, award: Award, transaction: OpenTransaction) -> int | None:
        """Records the award once per fact; returns the new total, or None when
        nothing is awarded (see award_all). `transaction` is the consumer's
        ctx.transaction, so the inbox row commits with the ledger row."""
        async with transaction() as unit:
            (total,) = await self.award_all(unit, [(award, nullcontext)])
        return total

    async def award_all(
        self, unit: Transaction, awards: Sequence[tuple[Award, Scope]]
    ) -> list[int | None]:
        """Records each award once per fact, in `unit` (a Kafka batch's
        transaction: the inbox rows commit with the ledger rows), a few
        statements per tenant whatever the number; the board is raised once
        it has committed. Returns each award's new total, or None where
        nothing is awarded: the fact had already earned (a re-sent event
        under another ce_id, or twice in this batch), or it is an erased
        employee's. Each award's PointsAwarded is written in its scope (its
        Kafka event's span and actor: chorus_core.scope). A concurrent
        duplicate fails the unique key at flush;
        the consumer retries, and the retry finds the fact."""
        by_tenant: defaultdict[str, list[int]] = defaultdict(list)
        for i, (award, _) in enumerate(awards):
            by_tenant[award.tenant_id].append(i)
        totals: list[int | None] = [None] * len(awards)
        for tenant_id, indexes in by_tenant.items():
            ledger = self.ledger(unit)
            erased = await ledger.erased_among(
                tenant_id, {awards[i][0].employee_id for i in indexes}
            )
            known = await ledger.known_facts(tenant_id, {awards[i][0].fact for i in indexes})
            new: list[int] = []
            for i in indexes:
                award, scope = awards[i]
                if award.employee_id == ERASED or award.employee_id in erased:
                    with scope():
                        self._nothing_for_the_erased(award)
                elif award.fact not in known:
                    known.add(award.fact)
                    new.append(i)
            ends = await ledger.record_all([awards[i][0] for i in new])
            # Each PointsAwarded carries the total after its own award: the
            # new total less what this batch still adds after it.
            later: defaultdict[str, int] = defaultdict(int)
            after: dict[int, int] = {}
            for i in reversed(new):
                award = awards[i][0]
                after[i] = ends[award.employee_id] - later[award.employee_id]
                later[award.employee_id] += award.points
            for i in new:  # in the events' order: an employee's totals rise
                award, scope = awards[i]
                totals[i] = after[i]
                with scope():
                    self.events.awarded(unit, award, after[i])
            if ends:
                self.after_commit(unit, partial(self._show, tenant_id, ends))
        return totals

    @staticmethod
    def _nothing_for_the_erased(award: Award) -> None:
        """A share or click of an employee erased before it arrived (events on
        other topics are not ordered with the erasure, and a redelivery can
        come any time) earns nothing: a ledger row under their id would be
        personal data recreated after the erasure. Nor does a click on a link
        metrics anonymised (the ERASED marker): nobody earns it. The points
        are not moved to the anonymous bucket either: that bucket keeps what
        was earned before the erasure, so tenant-wide sums stay what they were."""
        log.info(
            "event of an erased employee: nothing awarded",
            extra={
                "chorus": {
                    "tenant_id": award.tenant_id,
                    "reason": award.reason.value,
                    "source_id": award.source_id,
                }
            },
        )

    async def _show(self, tenant_id: str, totals: dict[str, int]) -> None:
        try:
            await self.leaderboard.raise_to(tenant_id, totals)
        except LeaderboardUnavailable as error:
            # Committed is committed: the award stands, reconciliation (or the
            # next award of this employee) brings the board level.
            log.warning(
                "leaderboard update deferred to reconciliation",
                extra={"chorus": {"tenant_id": tenant_id, "error": str(error)}},
            )

    async def leaderboard_top(self, actor: Principal, tenant_id: str, limit: int) -> list[Standing]:
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        policy.require_person(actor)
        size = limit_of(limit)
        rows = await self.leaderboard.top(tenant_id, size)
        if not rows:
            # An empty board with points in the ledger means Redis lost it
            # (restart without persistence): answer from the ledger and heal.
            async with self.db.session() as unit:
                totals = await self.ledger(unit).running_totals(tenant_id)
            if totals:
                await self.leaderboard.raise_to(tenant_id, totals)
                rows = ordered(totals)[:size]
        return ranked(rows)

    async def profile(self, actor: Principal, tenant_id: str, employee_id: str) -> Profile:
        """An employee without entries has 0 points, not NOT_FOUND: this service
        does not own the directory, and "opted in, nothing earned yet" is the
        normal first state of every ambassador."""
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        employee_id = require("employee_id", policy.profile_of(actor, employee_id))
        async with self.db.session() as unit:
            ledger = self.ledger(unit)
            total = await ledger.total(tenant_id, employee_id)
            entries = await ledger.entries(tenant_id, employee_id, PROFILE_ENTRIES)
        return Profile(employee_id, total, tuple(entries))

    async def rebuild(self, actor: Principal, tenant_id: str, request_id: str) -> int:
        """Recomputes the board from the ledger rows; returns the number of
        employees on it. A retried request_id answers the first result."""
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        policy.require_rebuilder(actor)
        if request_id:
            async with self.db.session() as unit:
                done = await self.ledger(unit).rebuild_result(tenant_id, request_id)
            if done is not None:
                return done
        async with self.db.session() as unit:
            snapshot = await self.ledger(unit).sums_from_ledger(tenant_id)
        await self.leaderboard.replace(tenant_id, snapshot)
        # An award that committed after the snapshot may have written the old
        # board just before the swap. Any such commit precedes this second
        # read, so raising the board to it loses nothing.
        async with self.db.session() as unit:
            latest = await self.ledger(unit).sums_from_ledger(tenant_id)
        await self.leaderboard.raise_to(
            tenant_id, {e: p for e, p in latest.items() if snapshot.get(e) != p}
        )
        try:
            # The board lives in Redis, outside any transaction: its audit
            # entry commits with the rebuild's record, once it is swapped.
            async with self.db.transaction() as unit:
                if request_id:
                    await self.ledger(unit).record_rebuild(tenant_id, request_id, len(latest))
                self.audit.record(
                    unit,
                    tenant_id=tenant_id,
                    action="leaderboard.rebuild",
                    target_type="leaderboard",
                    target_id=tenant_id,
                    before=None,
                    after={"employees": len(latest)},
                    request_id=request_id,
                )
        except RebuildAlreadyRecorded:
            return await self.rebuild(actor, tenant_id, request_id)  # a concurrent retry won
        return len(latest)

    async def reconcile(self) -> int:
        """Brings every tenant's board up to the running totals; returns the
        number of tenants. Idempotent, safe to run alongside awards."""
        async with self.db.session() as unit:
            tenants = await self.ledger(unit).tenants()
        for tenant_id in tenants:
            async with self.db.session() as unit:
                totals = await self.ledger(unit).running_totals(tenant_id)
            await self.leaderboard.raise_to(tenant_id, totals)
        return len(tenants)

    async def erase_employee(
        self, transaction: Transaction, tenant_id: str, employee_id: str
    ) -> int:
        """EmployeeErased, in the event's transaction (chorus_messaging.privacy
        opens it): see app.erasure. Returns the points moved."""
        return await anonymise_employee(
            self.ledger(transaction), self.leaderboard, tenant_id, employee_id
        )
