"""datetime <-> protobuf Timestamp (chorus_core.prototime): UTC in, aware
UTC out, an unset field is None."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from chorus.content.v1 import content_service_pb2 as pb
from chorus_core.prototime import from_timestamp, optional_timestamp, to_timestamp
from google.protobuf.timestamp_pb2 import Timestamp


def test_round_trip_keeps_the_instant_to_the_microsecond_in_utc() -> None:
    paris = datetime(2026, 3, 29, 2, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    stamp = to_timestamp(paris)
    assert (stamp.seconds, stamp.nanos) == (int(paris.timestamp()), 123456000)
    back = from_timestamp(stamp)
    assert back == paris and back is not None and back.tzinfo is UTC


def test_a_naive_datetime_is_taken_as_utc() -> None:
    naive = datetime(2026, 1, 1, 12, 0)
    assert from_timestamp(to_timestamp(naive)) == naive.replace(tzinfo=UTC)


def test_unset_is_none_both_ways() -> None:
    assert optional_timestamp(None) is None
    assert from_timestamp(None) is None
    assert from_timestamp(Timestamp()) is None
    request = pb.SearchPostsRequest()  # created_after never set
    assert from_timestamp(request.created_after) is None
    moment = datetime(2026, 5, 1, tzinfo=UTC)
    request.created_after.CopyFrom(to_timestamp(moment))
    assert from_timestamp(request.created_after) == moment
    assert pb.Post(created_at=optional_timestamp(None)).HasField("created_at") is False
