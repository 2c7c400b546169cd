"""What every simulator shares: a transport that routes a connector's
requests (whatever the host) to the simulator's ASGI app, records each one
exactly as sent, and injects the faults a real network gives at the worst
moment: a connection that fails before the request, and a timeout after the
network made the write (the outcome is then unknown to the caller)."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qs

import httpx
from publishing_service.app.ports import RateLimited
from publishing_service.domain.rate_signals import RateSignal, Scope


class Fault(StrEnum):
    CONNECT_ERROR = "connect_error"  # nothing reached the network
    TIMEOUT_AFTER_WRITE = "timeout_after_write"  # the network acted; the answer is lost


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    url: httpx.URL
    headers: httpx.Headers
    body: bytes

    @property
    def path(self) -> str:
        return self.url.path

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode(), keep_blank_values=True)


class SimulatorTransport(httpx.AsyncBaseTransport):
    def __init__(self, app: Any) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.requests: list[RecordedRequest] = []
        self._faults: deque[Fault] = deque()

    def fail_next(self, *faults: Fault) -> None:
        """The next requests fail this way, in order (then all succeed again)."""
        self._faults.extend(faults)

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        """An httpx client whose every request goes to the simulator."""
        return httpx.AsyncClient(transport=self, **kwargs)

    def sent(self, method: str, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method and r.path == path]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        self.requests.append(
            RecordedRequest(request.method, request.url, httpx.Headers(request.headers), body)
        )
        fault = self._faults.popleft() if self._faults else None
        if fault is Fault.CONNECT_ERROR:
            raise httpx.ConnectError("simulated: connection refused", request=request)
        response = await self.inner.handle_async_request(request)
        if fault is Fault.TIMEOUT_AFTER_WRITE:
            await response.aclose()
            raise httpx.ReadTimeout("simulated: written, the answer never came", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class RecordingBudget:
    """publishing's NetworkBudget port for connector tests: records every
    take (with its post units) and every signal observed, and refuses
    takes while `refuse_until` is set, as the shared budget would."""

    takes: list[tuple[str, str, float]] = field(default_factory=list)
    signals: list[tuple[str, str, RateSignal]] = field(default_factory=list)
    refuse_until: datetime | None = None

    async def take(self, network: str, account_key: str, *, posts: float = 0.0) -> None:
        if self.refuse_until is not None:
            raise RateLimited(f"{network} budget spent", self.refuse_until, Scope.ACCOUNT)
        self.takes.append((network, account_key, posts))

    async def observe(self, network: str, account_key: str, signals: Sequence[RateSignal]) -> None:
        self.signals += [(network, account_key, s) for s in signals]
