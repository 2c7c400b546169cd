"""GET /healthz (the process answers) and GET /readyz (its dependencies do:
the database, Redis, the services' gRPC health). Open: probes carry no token."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from gateway_service.entrypoints.deps import Gateway

router = APIRouter(tags=["health"])
CHECK_SECONDS = 2.0


@router.get("/healthz", summary="Liveness")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness: every dependency reachable",
    responses={503: {"description": "A dependency is unreachable"}},
)
async def readyz(gw: Gateway) -> JSONResponse:
    names = list(gw.ready_checks)

    async def check(name: str) -> bool:
        try:
            await asyncio.wait_for(gw.ready_checks[name](), CHECK_SECONDS)
        except Exception:
            return False
        return True

    results = await asyncio.gather(*(check(n) for n in names))
    checks = {n: "ok" if ok else "unavailable" for n, ok in zip(names, results, strict=True)}
    ready = all(results)
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )
