"""gRPC stubs for every service, addressed from the environment
(CHORUS_<SERVICE>_ADDR), each call with a deadline and a bearer token
(chorus_grpc channels): by default the signed-in person's (chorus_cli.session),
or the token source given (the demo's people, tests)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import grpc
from chorus.content.v1 import content_service_pb2_grpc as content
from chorus.gamification.v1 import gamification_service_pb2_grpc as gamification
from chorus.metrics.v1 import metrics_service_pb2_grpc as metrics
from chorus.publishing.v1 import publishing_service_pb2_grpc as publishing
from chorus.scheduling.v1 import scheduling_service_pb2_grpc as scheduling
from chorus.targeting.v1 import targeting_service_pb2_grpc as targeting
from chorus.translation.v1 import translation_service_pb2_grpc as translation
from chorus_grpc import insecure_channel
from chorus_identity.sources import TokenSource

from chorus_cli.session import token_source

DEFAULT_PORTS = {
    "content": 7001,
    "targeting": 7002,
    "translation": 7003,
    "scheduling": 7004,
    "publishing": 7005,
    "gamification": 7006,
    "metrics": 7007,
}


def address(service: str, env: dict[str, str] | None = None) -> str:
    source = env if env is not None else os.environ
    return source.get(f"CHORUS_{service.upper()}_ADDR") or f"127.0.0.1:{DEFAULT_PORTS[service]}"


@dataclass
class Clients:
    env: dict[str, str] | None = None
    deadline_seconds: float = 30.0
    credentials: TokenSource | None = None  # None: the signed-in person's
    _channels: list[grpc.aio.Channel] = field(default_factory=list)

    def _channel(self, service: str) -> grpc.aio.Channel:
        assert self.credentials is not None  # set in __post_init__
        channel = insecure_channel(
            address(service, self.env), self.deadline_seconds, credentials=self.credentials
        )
        self._channels.append(channel)
        return channel

    def __post_init__(self) -> None:
        if self.credentials is None:
            self.credentials = token_source()
        self.content = content.ContentServiceStub(self._channel("content"))
        self.targeting = targeting.TargetingServiceStub(self._channel("targeting"))
        self.translation = translation.TranslationServiceStub(self._channel("translation"))
        self.scheduling = scheduling.SchedulingServiceStub(self._channel("scheduling"))
        self.publishing = publishing.PublishingServiceStub(self._channel("publishing"))
        self.gamification = gamification.GamificationServiceStub(self._channel("gamification"))
        self.metrics = metrics.MetricsServiceStub(self._channel("metrics"))

    async def close(self) -> None:
        for channel in self._channels:
            await channel.close()
