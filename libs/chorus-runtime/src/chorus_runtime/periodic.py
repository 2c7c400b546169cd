"""A background job that ticks every N seconds until stopped.

Durable jobs (the scheduling timer, content's expiry) keep their state in
rows, so a failed tick (database down) is logged and simply retried on the
next one: nothing waits in memory, nothing is lost."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from datetime import datetime

from chorus_core.clock import utcnow

log = logging.getLogger(__name__)


class TickLoop(ABC):
    tick_seconds: float
    #: what one tick reports in the log, e.g. "shares due" -> {"count": 3}
    tick_done_message: str = "tick"

    @abstractmethod
    async def tick(self, now: datetime) -> int:
        """Do everything due at `now`; return how many items were handled."""

    async def run(self) -> None:
        self._stopping = getattr(self, "_stopping", None) or asyncio.Event()
        while not self._stopping.is_set():
            try:
                count = await self.tick(utcnow())
                if count:
                    log.info(self.tick_done_message, extra={"chorus": {"count": count}})
            except Exception:
                log.exception("%s failed; retrying on the next tick", type(self).__name__)
            try:
                await asyncio.wait_for(self._stopping.wait(), self.tick_seconds)
            except TimeoutError:
                pass

    def stop(self) -> None:
        self._stopping = getattr(self, "_stopping", None) or asyncio.Event()
        self._stopping.set()
