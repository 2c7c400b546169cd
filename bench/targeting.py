"""Targeting speed with 100,000 employees, in PostgreSQL and in SQLite.

  import     the streamed CSV import (extended export: groups, social
             accounts, hire dates), rows per second
  baseline   SELECT count(*) over the employees table (same run, same data)
  preview    audience preview of a typical segment: count + breakdowns by
             country, language, timezone and network (one grouped query)
  resolve    full resolution of the same segment: every member, in pages of
             1,000 (what an approved post emits as audience batches), read
             as AudienceResolution.resolve does (one streamed statement)

Goal: preview under 1 s and at most 10x the bare count.

    uv run python bench/targeting.py [--employees 100000] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from chorus_db import Database, migrate
from chorus_testing.directory import generate_directory_csv
from chorus_testing.fixtures import create_pg_database
from chorus_testing.identity import everything
from sqlalchemy import text
from targeting_service import composition
from targeting_service.adapters.migrations import SCHEMA
from targeting_service.adapters.stores import SqlStores
from targeting_service.app.audiences import build_rule
from targeting_service.domain.audience import MAX_BATCH, AudiencePreview

TENANT = "bench"
OPS = everything(TENANT)  # the benchmark measures the work, not the policy
REGION = "local"
SEGMENT = (
    'country in ("FR", "ES", "PT", "IT") and department in ("Sales", "Marketing", "Engineering") '
    'and not group = "Contractors" and hire_date < 2024-01-01'
)
REPEATS = 5


T = TypeVar("T")


async def timed(work: Callable[[], Awaitable[T]], repeats: int = REPEATS) -> tuple[float, T]:
    """Median milliseconds over `repeats` runs (after one warm-up)."""
    result = await work()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = await work()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


async def bench(label: str, db: Database, csv_path: Path, employees: int) -> None:
    await migrate(db, SCHEMA)
    use_cases = composition.build(db, REGION).use_cases
    directory = use_cases.directory
    start = time.perf_counter()
    with csv_path.open("rb") as source:
        result = await directory.import_directory(OPS, TENANT, "", source)
    seconds = time.perf_counter() - start
    if result.errors:
        raise SystemExit(f"{label}: {len(result.errors)} rows rejected, first: {result.errors[0]}")
    if not db.is_sqlite:
        async with db.transaction() as session:
            await session.execute(text("ANALYZE"))

    async def bare_count() -> int:
        async with db.session() as session:
            return int(
                (
                    await session.execute(text("SELECT count(*) FROM targeting_employees"))
                ).scalar_one()
            )

    audiences = use_cases.audiences
    stores = SqlStores()

    async def preview() -> AudiencePreview:
        return await audiences.preview(OPS, TENANT, (), (), segment=SEGMENT)

    async def resolve() -> int:
        async with db.session() as session:
            rule = await build_rule(stores, session, REGION, TENANT, (), (), segment=SEGMENT)
            total = 0
            async for page in stores.employees(session).audience_pages(TENANT, rule, MAX_BATCH):
                total += len(page)
            return total

    count_ms, counted = await timed(bare_count)
    preview_ms, previewed = await timed(preview)
    resolve_ms, resolved = await timed(resolve, repeats=3)
    assert counted == employees, counted
    assert previewed.total == resolved, (previewed.total, resolved)
    print(f"\n{label}: {employees:,} employees")
    print(
        f"  import     {seconds:8.2f} s    {employees / seconds:10,.0f} rows/s   "
        f"({result.created:,} created)"
    )
    print(f"  baseline   {count_ms:8.1f} ms   SELECT count(*)")
    print(
        f"  preview    {preview_ms:8.1f} ms   {preview_ms / count_ms:6.1f}x the count   "
        f"audience {previewed.total:,}, networks {dict(sorted(previewed.by_network.items()))}"
    )
    print(
        f"  resolve    {resolve_ms:8.1f} ms   {resolve_ms / count_ms:6.1f}x the count   "
        f"{resolved:,} members in {(int(resolved) + MAX_BATCH - 1) // MAX_BATCH} pages"
    )
    verdict = "OK" if preview_ms < 1000 and preview_ms <= 10 * count_ms else "MISSED"
    print(f"  goal (preview < 1 s and <= 10x count): {verdict}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    print(f"segment: {SEGMENT}")
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "directory.csv"
        csv_path.write_text(
            generate_directory_csv(args.employees, seed=3, region=REGION, extended=True)
        )
        print(f"export: {csv_path.stat().st_size / 1e6:.1f} MB")
        if args.only in (None, "sqlite"):
            db = Database(f"sqlite:///{tmp}/targeting.db")
            try:
                await bench("SQLite", db, csv_path, args.employees)
            finally:
                await db.dispose()
        if args.only in (None, "postgresql"):
            admin = os.environ.get("CHORUS_PG_URL")
            if not admin:
                raise SystemExit(
                    'CHORUS_PG_URL is not set: eval "$(deploy/local/infra.sh env)" first'
                )
            db = Database(await create_pg_database(admin, prefix="bench_targeting"))
            try:
                await bench("PostgreSQL", db, csv_path, args.employees)
            finally:
                await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
