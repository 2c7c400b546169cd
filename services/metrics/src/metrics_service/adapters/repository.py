"""Links, clicks, counters and erasure holds in the service's own database
(the app's LinkStore, ClickStore, StatsStore and HoldStore ports;
adapters.stores opens them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from chorus_core.clock import utcnow
from chorus_db import affected_rows, conflict_insert, is_unique_violation, keys_in, table_of
from chorus_messaging import privacy
from chorus_telemetry.propagation import TraceCarrier
from sqlalchemy import ColumnElement, Table, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from metrics_service.adapters.tables import ClickRow, CountedShareRow, PostStatsRow, TrackedLinkRow
from metrics_service.app.ports import LinkTaken, PublishedShare
from metrics_service.domain.campaigns import CampaignRows, Period
from metrics_service.domain.links import TrackedLink


def _to_domain(row: TrackedLinkRow) -> TrackedLink:
    return TrackedLink(
        code=row.code,
        tenant_id=row.tenant_id,
        share_id=row.share_id,
        post_id=row.post_id,
        employee_id=row.employee_id,
        country=row.country,
        network=row.network,
        target_url=row.target_url,
        campaign=row.campaign,
    )


class LinkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_share(self, tenant_id: str, share_id: str) -> TrackedLink | None:
        query = select(TrackedLinkRow).where(
            col(TrackedLinkRow.tenant_id) == tenant_id, col(TrackedLinkRow.share_id) == share_id
        )
        row = (await self.session.execute(query)).scalar_one_or_none()
        return _to_domain(row) if row else None

    async def by_code(self, code: str) -> TrackedLink | None:
        """The public redirect's lookup: a code is unique across tenants."""
        row = await self.session.get(TrackedLinkRow, code)
        return _to_domain(row) if row else None

    async def code_taken(self, code: str) -> bool:
        return await self.session.get(TrackedLinkRow, code) is not None

    async def trace_of(self, code: str) -> TraceCarrier:
        """The trace the link was created in (empty for a link stored before
        links kept it). After by_code in the same session, no second query."""
        row = await self.session.get(TrackedLinkRow, code)
        if row is None:
            return TraceCarrier()
        return TraceCarrier(row.traceparent, row.tracestate)

    async def by_shares(
        self, shares: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], TrackedLink]:
        if not shares:
            return {}
        query = select(TrackedLinkRow).where(
            keys_in((col(TrackedLinkRow.tenant_id), col(TrackedLinkRow.share_id)), shares)
        )
        rows = (await self.session.execute(query)).scalars()
        return {(row.tenant_id, row.share_id): _to_domain(row) for row in rows}

    async def codes_taken(self, codes: Sequence[str]) -> set[str]:
        if not codes:
            return set()
        query = select(col(TrackedLinkRow.code)).where(col(TrackedLinkRow.code).in_(set(codes)))
        return set((await self.session.execute(query)).scalars())

    async def add_all(self, links: Sequence[tuple[TrackedLink, TraceCarrier]]) -> None:
        now = utcnow()
        self.session.add_all(
            [
                TrackedLinkRow(
                    code=link.code,
                    tenant_id=link.tenant_id,
                    share_id=link.share_id,
                    post_id=link.post_id,
                    employee_id=link.employee_id,
                    country=link.country,
                    network=link.network,
                    target_url=link.target_url,
                    campaign=link.campaign,
                    created_at=now,
                    traceparent=trace.traceparent,
                    tracestate=trace.tracestate,
                )
                for link, trace in links
            ]
        )
        try:
            await self.session.flush()  # a concurrent create of the same share fails here
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
            raise LinkTaken(", ".join(link.share_id for link, _ in links)) from error

    async def anonymise(self, tenant_id: str, employee_id: str, into: str) -> int:
        result = await self.session.execute(
            update(TrackedLinkRow)
            .where(
                col(TrackedLinkRow.tenant_id) == tenant_id,
                col(TrackedLinkRow.employee_id) == employee_id,
            )
            .values(employee_id=into)
        )
        return affected_rows(result)

    async def ping(self) -> None:
        await self.session.execute(text("SELECT 1"))


class ClickRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, click_id: str, link: TrackedLink, clicked_at: datetime) -> None:
        self.session.add(
            ClickRow(
                click_id=click_id,
                code=link.code,
                tenant_id=link.tenant_id,
                share_id=link.share_id,
                post_id=link.post_id,
                employee_id=link.employee_id,
                country=link.country,
                clicked_at=clicked_at,
            )
        )

    async def anonymise(self, tenant_id: str, employee_id: str, into: str) -> int:
        result = await self.session.execute(
            update(ClickRow)
            .where(col(ClickRow.tenant_id) == tenant_id, col(ClickRow.employee_id) == employee_id)
            .values(employee_id=into)
        )
        return affected_rows(result)


class StatsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def counted_among(self, tenant_id: str, share_ids: Sequence[str]) -> set[str]:
        if not share_ids:
            return set()
        query = select(col(CountedShareRow.share_id)).where(
            col(CountedShareRow.tenant_id) == tenant_id,
            col(CountedShareRow.share_id).in_(list(share_ids)),
        )
        return set((await self.session.execute(query)).scalars())

    async def count_shares(self, shares: Sequence[PublishedShare]) -> None:
        """One INSERT for the rows, one upsert for the counters."""
        if not shares:
            return
        now = utcnow()
        # Plain rows in one Core INSERT (an ORM object costs several times its row).
        await self.session.execute(
            insert(table_of(CountedShareRow)),
            [
                {
                    "tenant_id": s.tenant_id,
                    "share_id": s.share_id,
                    "post_id": s.post_id,
                    "country": s.country,
                    "counted_at": now,
                    "published_at": s.published_at or now,
                    "employee_id": s.employee_id,
                }
                for s in shares
            ],
        )  # a concurrent duplicate fails here, before the counters move
        added: Counter[tuple[str, str, str]] = Counter(
            (s.tenant_id, s.post_id, s.country) for s in shares
        )
        await self._increment({key: (n, 0) for key, n in added.items()})

    async def count_click(self, tenant_id: str, post_id: str, country: str) -> None:
        await self._increment({(tenant_id, post_id, country): (0, 1)})

    async def _increment(self, added: dict[tuple[str, str, str], tuple[int, int]]) -> None:
        """(tenant, post, country) -> (shares, clicks) added. One atomic
        upsert on both databases: concurrent counts of the same post never
        lose an increment (no read-modify-write in Python), and rows locked
        in key order keep two concurrent batches from deadlocking."""
        table = table_of(PostStatsRow)
        insert = conflict_insert(self.session, table)
        statement = insert.on_conflict_do_update(
            index_elements=[table.c.tenant_id, table.c.post_id, table.c.country],
            set_={
                "shares": table.c.shares + insert.excluded.shares,
                "clicks": table.c.clicks + insert.excluded.clicks,
            },
        )
        # Executed with a list of rows: compiled once and cached.
        rows = [
            {"tenant_id": t, "post_id": p, "country": c, "shares": s, "clicks": k}
            for (t, p, c), (s, k) in sorted(added.items())
        ]
        await self.session.execute(statement, rows)

    async def for_post(self, tenant_id: str, post_id: str) -> list[tuple[str, int, int]]:
        query = select(
            col(PostStatsRow.country), col(PostStatsRow.shares), col(PostStatsRow.clicks)
        ).where(col(PostStatsRow.tenant_id) == tenant_id, col(PostStatsRow.post_id) == post_id)
        return [(c, int(s), int(k)) for c, s, k in await self.session.execute(query)]

    async def for_tenant(self, tenant_id: str) -> list[tuple[str, int, int]]:
        query = (
            select(
                col(PostStatsRow.country),
                func.sum(col(PostStatsRow.shares)),
                func.sum(col(PostStatsRow.clicks)),
            )
            .where(col(PostStatsRow.tenant_id) == tenant_id)
            .group_by(col(PostStatsRow.country))
        )
        return [(c, int(s), int(k)) for c, s, k in await self.session.execute(query)]

    async def for_campaign(
        self, tenant_id: str, post_ids: Sequence[str], period: Period
    ) -> CampaignRows:
        """Every figure is a GROUP BY in the database on the (tenant, post,
        time) indexes: a campaign of 100k shares sends back a few rows per
        post and country, never the shares."""
        shares = table_of(CountedShareRow)
        clicks = table_of(ClickRow)
        in_shares = _in_campaign(shares, shares.c.published_at, tenant_id, post_ids, period)
        in_clicks = _in_campaign(clicks, clicks.c.clicked_at, tenant_id, post_ids, period)
        # COUNT(DISTINCT) skips NULL: a share of an unknown sharer is no ambassador.
        people = func.count(shares.c.employee_id.distinct())
        execute = self.session.execute
        share_rows = await execute(
            select(shares.c.post_id, shares.c.country, func.count())
            .where(*in_shares)
            .group_by(shares.c.post_id, shares.c.country)
        )
        click_rows = await execute(
            select(clicks.c.post_id, clicks.c.country, func.count())
            .where(*in_clicks)
            .group_by(clicks.c.post_id, clicks.c.country)
        )
        by_post = await execute(
            select(shares.c.post_id, people).where(*in_shares).group_by(shares.c.post_id)
        )
        by_country = await execute(
            select(shares.c.country, people).where(*in_shares).group_by(shares.c.country)
        )
        overall = (await execute(select(people).where(*in_shares))).scalar_one()
        return CampaignRows(
            shares=[(p, c, int(n)) for p, c, n in share_rows],
            clicks=[(p, c, int(n)) for p, c, n in click_rows],
            ambassadors_by_post={p: int(n) for p, n in by_post},
            ambassadors_by_country={c: int(n) for c, n in by_country},
            ambassadors=int(overall or 0),
        )

    async def anonymise_shares(self, tenant_id: str, employee_id: str, into: str) -> int:
        result = await self.session.execute(
            update(CountedShareRow)
            .where(
                col(CountedShareRow.tenant_id) == tenant_id,
                col(CountedShareRow.employee_id) == employee_id,
            )
            .values(employee_id=into)
        )
        return affected_rows(result)


def _in_campaign(
    table: Table,
    at: ColumnElement[datetime],
    tenant_id: str,
    post_ids: Sequence[str],
    period: Period,
) -> list[ColumnElement[bool]]:
    conditions = [table.c.tenant_id == tenant_id, table.c.post_id.in_(post_ids)]
    if period.since is not None:
        conditions.append(at >= period.since)
    if period.until is not None:
        conditions.append(at < period.until)
    return conditions


class HoldRepository:
    """The erasure holds chorus_messaging.privacy keeps for this service."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def erased(self, tenant_id: str, employee_id: str) -> bool:
        return await privacy.erased(self.session, tenant_id, employee_id)

    async def erased_among(self, tenant_id: str, employee_ids: Sequence[str]) -> set[str]:
        return await privacy.erased_among(self.session, tenant_id, employee_ids)
