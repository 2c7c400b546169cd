"""A background job that ticks every N seconds until stopped.

Every periodic job of a service is one (the scheduling timer, content's
expiry and feed polling, gamification's leaderboard reconciliation). They
keep their state in rows, so a failed tick (database or Redis down) is logged
and simply retried on the next one: nothing waits in memory, nothing is lost.
The first tick runs at once, at start-up."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from datetime import datetime

from chorus_core.clock import utcnow

log = logging.getLogger(__name__)


class TickLoop(ABC):
    #: what one tick reports in the log, e.g. "shares due" -> {"count": 3}
    tick_done_message: str = "tick"
    #: a job whose ticks are routine every time (reconciliation) logs them at DEBUG
    tick_done_level: int = logging.INFO

    def __init__(self, tick_seconds: float) -> None:
        self.tick_seconds = tick_seconds
        self._stopping = asyncio.Event()

    @abstractmethod
    async def tick(self, now: datetime) -> int:
        """Do everything due at `now`; return how many items were handled."""

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                count = await self.tick(utcnow())
                if count:
                    log.log(
                        self.tick_done_level,
                        self.tick_done_message,
                        extra={"chorus": {"count": count}},
                    )
            except Exception:
                log.exception("%s failed; retrying on the next tick", type(self).__name__)
            try:
                await asyncio.wait_for(self._stopping.wait(), self.tick_seconds)
            except TimeoutError:
                pass

    def stop(self) -> None:
        self._stopping.set()
