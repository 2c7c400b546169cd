"""Tracked short links from the metrics service, over gRPC (with a deadline),
many shares per call.

The shares a replica has in flight ask for their links at about the same
time; each create() waits a few milliseconds for company and the links of
all who came go in one CreateTrackedLinks call (one round trip, one
transaction in metrics), up to `max_batch` at once. A share alone pays the
short wait, not a round trip of its own per share in a campaign.

Traces: each share records a `publishing.tracked_link` span in its own
trace, and its link keeps that span's context (a click on it joins the
share's trace). The call itself runs in a trace of its own, under a
`publishing.tracked_links` span that links to every share's span, as
OpenTelemetry has a batch refer to the work it carries.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import grpc
from chorus.metrics.v1 import metrics_service_pb2 as metrics_pb
from chorus.metrics.v1 import metrics_service_pb2_grpc as metrics_grpc
from chorus_grpc import insecure_channel
from chorus_identity.sources import TokenSource
from chorus_telemetry.propagation import TraceCarrier, capture
from opentelemetry import context, trace
from opentelemetry.trace import Link

from publishing_service.app.ports import LinkRejected, LinkRequest, TrackedLink

# Failures that say "not now" rather than "never": the consumer retries them.
TRANSIENT = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.ABORTED,
    grpc.StatusCode.INTERNAL,
    grpc.StatusCode.UNKNOWN,
    grpc.StatusCode.CANCELLED,
}

TRACKED_LINK_SPAN = "publishing.tracked_link"  # one per share, in its trace
TRACKED_LINKS_SPAN = "publishing.tracked_links"  # one per call, linking them

tracer = trace.get_tracer(__name__)


class LinkServiceUnavailable(Exception):
    """Metrics did not answer (in time): retryable."""


@dataclass
class _Waiting:
    request: LinkRequest
    trace: TraceCarrier
    link: Link
    answer: asyncio.Future[TrackedLink]


class GrpcTrackedLinks:
    def __init__(
        self,
        target: str,
        credentials: TokenSource,
        deadline_seconds: float = 5.0,
        *,
        gather_seconds: float = 0.005,
        max_batch: int = 100,
    ) -> None:
        # Publishing's own identity: metrics lets it create links for shares.
        self.channel = insecure_channel(
            target, deadline_seconds=deadline_seconds, credentials=credentials
        )
        self.stub = metrics_grpc.MetricsServiceStub(self.channel)
        self.gather_seconds = gather_seconds
        self.max_batch = max_batch
        self._waiting: list[_Waiting] = []
        self._timer: asyncio.TimerHandle | None = None
        self._calls: set[asyncio.Task[None]] = set()

    async def create(self, request: LinkRequest) -> TrackedLink:
        with tracer.start_as_current_span(
            TRACKED_LINK_SPAN,
            attributes={
                "chorus.tenant_id": request.tenant_id,
                "chorus.post_id": request.post_id,
                "chorus.share_id": request.share_id,
            },
        ) as span:
            answer: asyncio.Future[TrackedLink] = asyncio.get_running_loop().create_future()
            self._waiting.append(
                _Waiting(request, capture(), Link(span.get_span_context()), answer)
            )
            if len(self._waiting) >= self.max_batch:
                self._call_now()
            elif self._timer is None:
                self._timer = asyncio.get_running_loop().call_later(
                    self.gather_seconds, self._call_now
                )
            return await answer

    def _call_now(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._waiting = self._waiting, []
        if batch:
            call = asyncio.create_task(self._call(batch))
            self._calls.add(call)
            call.add_done_callback(self._calls.discard)

    async def _call(self, batch: list[_Waiting]) -> None:
        # In a trace of its own, not the first share's: see the docstring.
        with tracer.start_as_current_span(
            TRACKED_LINKS_SPAN,
            context=context.Context(),
            links=[w.link for w in batch],
            attributes={"chorus.links": len(batch)},
        ):
            try:
                response = await self.stub.CreateTrackedLinks(
                    metrics_pb.CreateTrackedLinksRequest(links=[_item(w) for w in batch])
                )
            except grpc.aio.AioRpcError as error:
                failure: Exception = (
                    LinkServiceUnavailable(f"metrics CreateTrackedLinks: {error.code().name}")
                    if error.code() in TRANSIENT
                    else LinkRejected(
                        f"metrics refused the tracked links: {error.code().name} {error.details()}"
                    )
                )
                for waiting in batch:
                    _settle(waiting.answer, failure)
                return
            except BaseException as error:
                for waiting in batch:
                    _settle(waiting.answer, LinkServiceUnavailable(repr(error)))
                raise
        if len(response.results) != len(batch):
            for waiting in batch:
                _settle(waiting.answer, LinkServiceUnavailable("metrics answered another batch"))
            return
        for waiting, result in zip(batch, response.results, strict=True):
            if result.error.status:
                _settle(
                    waiting.answer,
                    LinkRejected(
                        f"metrics refused the tracked link: {result.error.status} "
                        f"{result.error.message}"
                    ),
                )
            else:
                _settle(waiting.answer, TrackedLink(code=result.code, short_url=result.short_url))

    async def close(self) -> None:
        self._call_now()
        await asyncio.gather(*self._calls, return_exceptions=True)
        await self.channel.close()


def _item(waiting: _Waiting) -> metrics_pb.CreateTrackedLinkRequest:
    request = waiting.request
    return metrics_pb.CreateTrackedLinkRequest(
        # The share id as request id: metrics hands back the same link for a
        # redelivered share instead of minting another.
        request_id=request.share_id,
        tenant_id=request.tenant_id,
        share_id=request.share_id,
        post_id=request.post_id,
        employee_id=request.employee_id,
        country=request.country,
        network=request.network,
        target_url=request.target_url,
        campaign=request.post_id,
        traceparent=waiting.trace.traceparent or "",
        tracestate=waiting.trace.tracestate or "",
    )


def _settle(answer: asyncio.Future[TrackedLink], outcome: TrackedLink | Exception) -> None:
    """A caller that gave up (cancelled) has a done future: nothing to tell."""
    if answer.done():
        return
    if isinstance(outcome, Exception):
        answer.set_exception(outcome)
    else:
        answer.set_result(outcome)
