"""One webhook POST, through the shared outbound-address guard.

* HTTPS only (checked again here: a row is not trusted blindly);
* the host is resolved once, every answer checked (chorus_core.outbound),
  and the connection goes to a checked address, the Host header and TLS
  (SNI, certificate check) still naming the host: DNS rebinding between the
  check and the connection cannot lead inside;
* redirects are not followed (a 3xx is a failed attempt): a receiver cannot
  bounce the signed request elsewhere;
* a time limit per attempt; the receiver's body is never read beyond a
  little and never stored.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Collection, Mapping
from urllib.parse import urlsplit, urlunsplit

import httpx
from chorus_core.errors import DomainError
from chorus_core.outbound import Unresolvable, resolve_public

from gateway_service.app.webhook_delivery import SendResult
from gateway_service.domain.webhooks import check_endpoint

TIMEOUT_SECONDS = 10.0


def tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """The system's trust store, or a CA bundle file (a private PKI; tests)."""
    if ca_bundle:
        return ssl.create_default_context(cafile=ca_bundle)
    return ssl.create_default_context()


class HttpSender:
    def __init__(self, tls: ssl.SSLContext, timeout: float = TIMEOUT_SECONDS) -> None:
        self.client = httpx.AsyncClient(
            verify=tls, timeout=timeout, follow_redirects=False, trust_env=False
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def send(
        self, url: str, headers: Mapping[str, str], body: bytes, allowed_hosts: Collection[str]
    ) -> SendResult:
        started = time.monotonic()

        def result(status: int | None, error: str) -> SendResult:
            return SendResult(status, error, int((time.monotonic() - started) * 1000))

        try:
            target = check_endpoint(url)
            addresses = await resolve_public(
                target.host, target.port, allowed_hosts, what="webhook"
            )
        except Unresolvable:
            return result(None, "the host does not resolve")
        except DomainError as refused:
            return result(None, f"refused: {refused.message}"[:200])
        parts = urlsplit(url)
        reason = "no address answered"
        for address in addresses:  # each checked; the next one if one is down
            netloc = f"[{address}]:{target.port}" if ":" in address else f"{address}:{target.port}"
            pinned = urlunsplit(("https", netloc, parts.path or "/", parts.query, ""))
            request = self.client.build_request(
                "POST",
                pinned,
                content=body,
                headers={**headers, "host": parts.netloc.rsplit("@", 1)[-1]},
                extensions={"sni_hostname": target.host},
            )
            try:
                response = await self.client.send(request, stream=True)
            except httpx.ConnectError as failure:
                # TLS failures surface as connect errors; say which, not the details.
                tls = "CERTIFICATE" in str(failure).upper()
                reason = "TLS certificate not trusted" if tls else "connection failed"
                continue
            except httpx.TimeoutException:
                return result(None, "timed out")
            except httpx.HTTPError as failure:
                return result(None, type(failure).__name__)
            await response.aclose()
            status = response.status_code
            return result(status, "" if 200 <= status < 300 else f"HTTP {status}")
        return result(None, reason)
