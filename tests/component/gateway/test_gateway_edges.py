"""Rate limits from the real Redis (429 with Retry-After), CORS for the
configured origins only, health and readiness, and the OpenAPI document
(3.1, bearer security and problem responses on every /v1 route)."""

from __future__ import annotations

from tests.component.gateway.conftest import ORIGIN, Gateway, GatewayFactory


async def test_the_user_bucket_limits_a_caller_not_their_colleagues(
    gateway_factory: GatewayFactory,
) -> None:
    gw = await gateway_factory(gateway_user_rate=0.5, gateway_user_burst=3)
    alice = gw.idp.token("alice")
    statuses = [
        (await gw.client.get("/v1/me", headers=gw.headers(alice, key=None))).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    refused = await gw.client.get("/v1/me", headers=gw.headers(alice, key=None))
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 2
    assert "user" in refused.json()["detail"]
    bob = gw.idp.token("bob")
    assert (await gw.client.get("/v1/me", headers=gw.headers(bob, key=None))).status_code == 200


async def test_the_tenant_bucket_limits_the_tenant_not_the_others(
    gateway_factory: GatewayFactory,
) -> None:
    gw = await gateway_factory(gateway_tenant_rate=0.5, gateway_tenant_burst=2)
    for subject in ("a", "b"):
        token = gw.idp.token(subject)
        assert (
            await gw.client.get("/v1/me", headers=gw.headers(token, key=None))
        ).status_code == 200
    third = await gw.client.get("/v1/me", headers=gw.headers(gw.idp.token("c"), key=None))
    assert third.status_code == 429 and "tenant" in third.json()["detail"]
    other = gw.idp.token("z", "globex")
    assert (await gw.client.get("/v1/me", headers=gw.headers(other, key=None))).status_code == 200


async def test_cors_preflight_allows_the_console_only(gw: Gateway) -> None:
    request = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
    }
    allowed = await gw.client.options("/v1/posts", headers={"Origin": ORIGIN, **request})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "idempotency-key" in allowed.headers["access-control-allow-headers"].lower()
    denied = await gw.client.options(
        "/v1/posts", headers={"Origin": "https://evil.example", **request}
    )
    assert denied.status_code == 400
    assert "access-control-allow-origin" not in denied.headers
    simple = await gw.client.get(
        "/v1/me", headers={**gw.headers(key=None), "Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in simple.headers


async def test_health_and_readiness(gw: Gateway) -> None:
    assert (await gw.client.get("/healthz")).json() == {"status": "ok"}
    ready = await gw.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"

    async def down() -> None:
        raise ConnectionError("unreachable")

    gw.deps.ready_checks["redis"] = down
    not_ready = await gw.client.get("/readyz")
    assert not_ready.status_code == 503
    assert not_ready.json()["checks"] == {"redis": "unavailable"}


async def test_openapi_is_3_1_with_security_and_problems_everywhere(gw: Gateway) -> None:
    document = (await gw.client.get("/openapi.json")).json()
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An access token of the identity provider (OIDC), for the caller's tenant.",
    }
    assert "Problem" in document["components"]["schemas"]
    checked = 0
    for path, operations in document["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation.get("security") == [{"bearer": []}], where
            for status in ("400", "401", "403", "404", "422", "429", "503"):
                content = operation["responses"][status]["content"]
                assert list(content) == ["application/problem+json"], (where, status)
            if method in ("post", "put", "patch", "delete"):
                names = [p["name"] for p in operation.get("parameters", [])]
                exempt = path in (
                    "/v1/auth/token",
                    "/v1/compliance-check",
                    # Dry runs of the targeting and translation resources.
                    "/v1/segments/validate",
                    "/v1/audience-preview",
                    "/v1/translate",
                )
                assert ("Idempotency-Key" in names) != exempt, where
            checked += 1
    assert checked >= 20
