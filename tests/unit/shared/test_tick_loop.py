"""chorus_runtime.periodic.TickLoop, which every periodic job runs on: the
first tick at once, a failed tick retried on the next one, stop() ends it."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import pytest
from chorus_runtime.periodic import TickLoop


class Flaky(TickLoop):
    tick_done_message = "things done"
    tick_done_level = logging.DEBUG

    def __init__(self) -> None:
        super().__init__(tick_seconds=0.01)
        self.ticks: list[datetime] = []

    async def tick(self, now: datetime) -> int:
        self.ticks.append(now)
        if len(self.ticks) == 2:
            raise RuntimeError("database down")
        if len(self.ticks) == 4:
            self.stop()
        return 1


async def test_ticks_at_once_survives_a_failure_and_stops(caplog: pytest.LogCaptureFixture) -> None:
    loop = Flaky()
    with caplog.at_level(logging.DEBUG, logger="chorus_runtime.periodic"):
        await asyncio.wait_for(loop.run(), 5)
    assert len(loop.ticks) == 4 and loop.ticks[0].tzinfo is not None
    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failed) == 1 and "retrying on the next tick" in failed[0].getMessage()
    done = [r for r in caplog.records if r.getMessage() == "things done"]
    assert len(done) == 3 and {r.levelno for r in done} == {logging.DEBUG}


async def test_stop_ends_it_without_waiting_for_the_interval() -> None:
    loop = Flaky()
    loop.tick_seconds = 3600
    task = asyncio.create_task(loop.run())
    await asyncio.sleep(0.05)  # the first tick ran; now it waits an hour
    loop.stop()
    await asyncio.wait_for(task, 1)
    assert len(loop.ticks) == 1
