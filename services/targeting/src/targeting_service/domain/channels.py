"""Channels and saved segments. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from chorus_core.errors import InvalidArgument

from targeting_service.domain.audience import ChannelScope
from targeting_service.domain.employees import valid_region


@dataclass(frozen=True)
class Channel:
    channel_id: str
    name: str
    description: str
    regions: tuple[str, ...]  # where the channel is visible; () = everywhere
    mandatory: bool  # everyone it is visible to receives it; nobody can leave
    managers: tuple[str, ...] = ()  # employee ids
    subscribers: int = 0

    def visible_in(self, region: str) -> bool:
        return not self.regions or region in self.regions


def new_channel(
    channel_id: str,
    name: str,
    description: str,
    regions: Sequence[str],
    mandatory: bool,
    managers: Sequence[str],
) -> Channel:
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidArgument("name", "must be 1 to 200 characters")
    if len(description) > 2000:
        raise InvalidArgument("description", "must be at most 2000 characters")
    clean = tuple(sorted({valid_region("regions", r.strip()) for r in regions}))
    return Channel(channel_id, name, description, clean, mandatory, tuple(sorted(set(managers))))


def channel_scope(channels: Sequence[Channel], region: str) -> ChannelScope:
    """(subscribers of the channels) + (everyone, if one is mandatory here);
    a channel not visible in this region reaches nobody here."""
    visible = [c for c in channels if c.visible_in(region)]
    return ChannelScope(
        everyone=any(c.mandatory for c in visible),
        channel_ids=tuple(sorted(c.channel_id for c in visible)),
    )


@dataclass(frozen=True)
class SavedSegment:
    segment_id: str
    version: int
    name: str
    rule: str
    created_at: datetime
