"""Outbound feed fetching, protected against SSRF:

* http/https only, no credentials in the URL;
* the host is resolved once here, every address is checked against the
  shared policy (chorus_core.outbound), and the connection goes to that
  checked IP -- the Host header and TLS SNI/certificate still name the
  host -- so a DNS answer that changes between check and connect (DNS
  rebinding) cannot redirect us inside;
* redirects are followed by hand (at most 3), each one checked the same way;
* a total time limit and a size limit (the body is read in chunks and the
  download stops as soon as it is too big).
"""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from chorus_core.outbound import Unresolvable, resolve_public

from content_service.app.ports import FeedFetchError
from content_service.domain.feeds import check_feed_url

MAX_BYTES = 2 * 1024 * 1024
TIMEOUT_SECONDS = 10.0
MAX_REDIRECTS = 3


async def fetch_feed(
    url: str,
    allowed_hosts: frozenset[str],
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_SECONDS,
) -> bytes:
    try:
        return await asyncio.wait_for(_fetch(url, allowed_hosts, max_bytes), timeout)
    except TimeoutError:
        raise FeedFetchError(f"no complete answer within {timeout:.0f} s") from None


async def _fetch(url: str, allowed_hosts: frozenset[str], max_bytes: int) -> bytes:
    async with httpx.AsyncClient(follow_redirects=False, trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            scheme, host, port = check_feed_url(url)
            try:  # every answer is checked, not only the one we use
                addresses = await resolve_public(host, port, allowed_hosts, what="feed")
            except Unresolvable as error:
                raise FeedFetchError(str(error)) from None
            first = addresses[0]
            parts = urlsplit(url)
            netloc = f"[{first}]:{port}" if ":" in first else f"{first}:{port}"
            pinned = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
            request = client.build_request(
                "GET",
                pinned,
                headers={
                    "Host": parts.netloc.rsplit("@", 1)[-1],
                    "Accept": (
                        "application/rss+xml, application/atom+xml, application/xml, text/xml"
                    ),
                },
                extensions={"sni_hostname": host},
            )
            try:
                response = await client.send(request, stream=True)
            except httpx.HTTPError as error:
                raise FeedFetchError(f"{type(error).__name__}") from None
            try:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    if not location:
                        raise FeedFetchError("redirect without a location")
                    url = urljoin(url, location)
                    continue
                if response.status_code != 200:
                    raise FeedFetchError(f"HTTP {response.status_code}")
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise FeedFetchError(f"feed larger than {max_bytes} bytes")
                return bytes(body)
            except httpx.HTTPError as error:
                raise FeedFetchError(f"{type(error).__name__}") from None
            finally:
                await response.aclose()
    raise FeedFetchError(f"more than {MAX_REDIRECTS} redirects")
