"""gRPC channels to the services behind the gateway.

Every channel carries the token of the request being served
(ForwardedToken: the Chorus token the gateway minted for this caller, set
by the request's acting_as), so each service sees the person, not the
gateway. Stubs are made once per channel and kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import grpc
from chorus_grpc import insecure_channel
from chorus_identity.sources import ForwardedToken, TokenSource

S = TypeVar("S")

SERVICES = (
    "content",
    "targeting",
    "translation",
    "scheduling",
    "publishing",
    "gamification",
    "metrics",
)


class Channels:
    def __init__(
        self,
        addresses: Mapping[str, str],
        deadline_seconds: float = 10.0,
        credentials: TokenSource | None = None,
    ) -> None:
        source = credentials or ForwardedToken()
        self.addresses = dict(addresses)
        self._channels: dict[str, grpc.aio.Channel] = {
            name: insecure_channel(address, deadline_seconds, credentials=source)
            for name, address in addresses.items()
        }
        self._stubs: dict[tuple[str, Any], Any] = {}

    def channel(self, service: str) -> grpc.aio.Channel:
        try:
            return self._channels[service]
        except KeyError:
            raise LookupError(f"no address configured for service {service!r}") from None

    def stub(self, factory: Callable[[grpc.aio.Channel], S], service: str) -> S:
        key = (service, factory)
        found = self._stubs.get(key)
        if found is None:
            found = self._stubs[key] = factory(self.channel(service))
        stub: S = found
        return stub

    async def close(self) -> None:
        for channel in self._channels.values():
            await channel.close()
