"""Translation settings, from the environment, checked at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from chorus_core.settings import ConfigError, ServiceSettings, env_float, env_int, env_str

DEFAULT_GRPC_PORT = 7003


@dataclass(frozen=True)
class TranslationSettings:
    service: ServiceSettings
    apertium_url: str
    redis_url: str
    content_addr: str
    cache_ttl_seconds: int
    apertium_timeout_seconds: float

    @classmethod
    def from_env(cls) -> TranslationSettings:
        apertium_url = env_str("CHORUS_APERTIUM_URL", "http://127.0.0.1:2737")
        if not apertium_url.startswith(("http://", "https://")):
            raise ConfigError(f"CHORUS_APERTIUM_URL must be an http(s) URL, got {apertium_url!r}")
        redis_url = env_str("CHORUS_REDIS_URL", "redis://127.0.0.1:6379/0")
        if not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigError(f"CHORUS_REDIS_URL must be a redis:// URL, got {redis_url!r}")
        content_addr = env_str("CHORUS_CONTENT_ADDR", "127.0.0.1:7001")
        if ":" not in content_addr:
            raise ConfigError(f"CHORUS_CONTENT_ADDR must be host:port, got {content_addr!r}")
        ttl = env_int("CHORUS_TRANSLATION_CACHE_TTL_SECONDS", 7 * 24 * 3600)
        if ttl <= 0:
            raise ConfigError("CHORUS_TRANSLATION_CACHE_TTL_SECONDS must be positive")
        timeout = env_float("CHORUS_APERTIUM_TIMEOUT_SECONDS", 20.0)
        if timeout <= 0:
            raise ConfigError("CHORUS_APERTIUM_TIMEOUT_SECONDS must be positive")
        return cls(
            service=ServiceSettings.from_env("translation", DEFAULT_GRPC_PORT),
            apertium_url=apertium_url,
            redis_url=redis_url,
            content_addr=content_addr,
            cache_ttl_seconds=ttl,
            apertium_timeout_seconds=timeout,
        )
