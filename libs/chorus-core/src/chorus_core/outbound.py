"""The outbound-address policy (SSRF guard), once for every service that
calls a URL a tenant gave it: content's feed fetcher, the gateway's webhooks.

A tenant-supplied URL must not reach the server's own network: loopback,
private, link-local (cloud metadata at 169.254.169.254), multicast, reserved
and unspecified addresses are refused unless the tenant's admin allow-listed
that host by name. Callers resolve the host once (`resolve_public`), check
every answer, and connect to the checked address (keeping the host name for
the Host header and TLS), so a DNS answer changing between the check and the
connection (DNS rebinding) cannot lead inside.

Only `resolve_public` does I/O (one DNS lookup); the checks are pure.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

from chorus_core.errors import InvalidArgument, PermissionDenied


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # lower case, without brackets for IPv6
    port: int


class Unresolvable(Exception):
    """The host has no address (or the lookup failed): not the caller's
    policy, a fact about the network, so not a DomainError."""


def check_url(
    url: str,
    *,
    schemes: Collection[str] = ("https",),
    field: str = "url",
    scheme_reason: str | None = None,
) -> Target:
    """The scheme, host and port of an acceptable URL: a scheme of
    `schemes`, a host, no credentials, a valid port."""
    parts = urlsplit(url.strip())
    if parts.scheme not in schemes:
        raise InvalidArgument(field, scheme_reason or f"must be {' or '.join(schemes)}")
    if not parts.hostname:
        raise InvalidArgument(field, "has no host")
    if parts.username or parts.password:
        raise InvalidArgument(field, "must not carry credentials")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InvalidArgument(field, "invalid port") from None
    return Target(parts.scheme, parts.hostname.lower(), port)


def is_internal(address: str) -> bool:
    """True for any address that is not a public unicast one."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_address(
    host: str, address: str, allowed_hosts: Collection[str], *, what: str = "host"
) -> None:
    """Refuse a non-public address unless the tenant allow-listed `host` by
    name (`what` names the kind of URL in the message: "feed", "webhook")."""
    if is_internal(address) and host not in allowed_hosts:
        raise PermissionDenied(
            f"{what} host {host!r} resolves to a non-public address; allow-list it to reach it"
        )


async def resolve_public(
    host: str, port: int, allowed_hosts: Collection[str], *, what: str = "host"
) -> list[str]:
    """Every address of `host`, each checked (not only the one the caller
    will use); the caller connects to the first. Raises Unresolvable, or
    PermissionDenied from check_address."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise Unresolvable(f"cannot resolve {host!r}: {error.strerror}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise Unresolvable(f"{host!r} has no address")
    for address in addresses:
        check_address(host, address, allowed_hosts, what=what)
    return addresses
