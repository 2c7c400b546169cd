"""The public click endpoint (Starlette): GET /l/{code} -> 302 with UTM.

* unknown or malformed code -> 404 with a short text reason;
* methods other than GET/HEAD -> 405 (Starlette's routing, with Allow);
* HEAD answers the same redirect but is never counted (link previews);
* the redirect is `Cache-Control: no-store`, so browsers and proxies ask us
  again on every visit and each click is seen;
* GET /healthz -> 200 when the database answers, 503 otherwise.

Request spans come from the server (chorus_runtime.http.RequestSpans).
"""

from __future__ import annotations

import logging

from chorus_core.errors import NotFound
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from metrics_service.app.use_cases import MetricsUseCases

log = logging.getLogger(__name__)

_NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


def create_app(use_cases: MetricsUseCases) -> Starlette:
    async def follow(request: Request) -> Response:
        try:
            redirect = await use_cases.follow_link(
                request.path_params["code"], request.method, request.headers.get("user-agent", "")
            )
        except NotFound:
            return PlainTextResponse("unknown link\n", status_code=404, headers=_NO_STORE)
        except Exception:
            # The link or the click could not be read or written: say so
            # rather than send the visitor somewhere unrecorded.
            log.exception("click not recorded")
            return PlainTextResponse(
                "temporarily unavailable, please retry\n", status_code=503, headers=_NO_STORE
            )
        return RedirectResponse(redirect.url, status_code=302, headers=_NO_STORE)

    async def healthz(request: Request) -> Response:
        try:
            await use_cases.ready()
        except Exception:
            return PlainTextResponse("database unavailable\n", status_code=503)
        return PlainTextResponse("ok\n")

    return Starlette(
        routes=[
            # methods=["GET"] also answers HEAD (Starlette adds it); anything
            # else on this path gets 405 with an Allow header.
            Route("/l/{code}", follow, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )
