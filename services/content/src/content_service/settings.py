"""Content's settings (CHORUS_CONTENT_*), from the environment, checked at start-up."""

from __future__ import annotations

from typing import ClassVar

from chorus_core.settings import Port, PositiveSeconds, ServiceSettings
from pydantic import Field, PositiveInt

from content_service.app.media import DEFAULT_MAX_BYTES

# The media drive's files; the rows that describe them are in the database.
DEFAULT_MEDIA_DIR = "var/data/content-media"


class ContentSettings(ServiceSettings):
    service: ClassVar[str] = "content"
    grpc_port: Port = 7001
    content_media_dir: str = Field(DEFAULT_MEDIA_DIR, min_length=1)
    content_media_max_bytes: PositiveInt = DEFAULT_MAX_BYTES
    content_expiry_tick_seconds: PositiveSeconds = 30.0
    content_feed_poll_seconds: PositiveSeconds = 900.0
