"""datetime <-> google.protobuf.Timestamp, in one place, always tz-aware UTC.

A naive datetime is taken as UTC (SQLite hands them back; everything stored
is UTC). Reading an unset Timestamp field gives the all-zero Timestamp:
that is "no time" (None), never 1970-01-01, which no Chorus event means."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from chorus_core.clock import as_utc


def to_timestamp(value: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(as_utc(value))
    return stamp


def optional_timestamp(value: datetime | None) -> Timestamp | None:
    """For a message field that stays unset when there is no time."""
    return to_timestamp(value) if value is not None else None


def from_timestamp(stamp: Timestamp | None) -> datetime | None:
    if stamp is None or (stamp.seconds == 0 and stamp.nanos == 0):
        return None
    return stamp.ToDatetime(tzinfo=UTC)
