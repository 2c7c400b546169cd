"""The outbound-address policy (chorus_core.outbound) content's feeds and the
gateway's webhooks share: the server's own network is refused unless the
tenant allow-listed the host by name; every resolved address is checked."""

from __future__ import annotations

import pytest
from chorus_core.errors import InvalidArgument, PermissionDenied
from chorus_core.outbound import Unresolvable, check_address, check_url, resolve_public

INTERNAL = [
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "0.0.0.0",
    "100.64.0.1",  # carrier-grade NAT: not global
    "224.0.0.1",
    "::1",
    "fe80::1",
    "fc00::1",
    "::ffff:10.0.0.1",  # IPv4-mapped
]


@pytest.mark.parametrize("address", INTERNAL)
def test_internal_addresses_are_refused_unless_allow_listed(address: str) -> None:
    with pytest.raises(PermissionDenied, match="non-public address"):
        check_address("hooks.example", address, frozenset(), what="webhook")
    check_address("hooks.example", address, frozenset({"hooks.example"}))


def test_public_addresses_pass() -> None:
    check_address("example.org", "93.184.216.34", frozenset())
    check_address("example.org", "2606:2800:220:1:248:1893:25c8:1946", frozenset())


def test_the_url_check_names_the_field_and_the_rule() -> None:
    with pytest.raises(InvalidArgument) as refused:
        check_url("http://example.org/", field="endpoint")
    assert (refused.value.field, refused.value.reason) == ("endpoint", "must be https")
    target = check_url("http://example.org:8080/x", schemes=("http", "https"))
    assert (target.scheme, target.host, target.port) == ("http", "example.org", 8080)


async def test_resolution_checks_every_answer() -> None:
    with pytest.raises(PermissionDenied):
        await resolve_public("localhost", 443, frozenset())
    assert "127.0.0.1" in await resolve_public("localhost", 443, frozenset({"localhost"}))
    with pytest.raises(Unresolvable):
        await resolve_public("no-such-host.invalid", 443, frozenset())
