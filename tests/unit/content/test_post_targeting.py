"""A post's targeting by id (saved segment, channels): validated at the edge,
kept whole through the wire format (gRPC and PostApproved) and the stored
version document."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from chorus.content.v1 import content_service_pb2 as pb
from chorus_core.errors import InvalidArgument
from chorus_core.ids import new_id, stable_id
from content_service.adapters.codec import content_from_doc, content_to_doc
from content_service.adapters.messages import content_from_pb, post_to_pb, targeting_from_pb
from content_service.domain.posts import PostContent, Targeting, new_post, validate_content

NOW = datetime(2026, 11, 21, tzinfo=UTC)
SEGMENT = stable_id("segment", "acme", "req-1")
CHANNELS = (new_id(), stable_id("channel", "acme", "req-2"))


def content(targeting: Targeting) -> PostContent:
    return PostContent(title="T", body="B", targeting=targeting)


def test_segment_and_channels_survive_the_wire_and_the_version_document() -> None:
    targeting = Targeting(("FR",), ("Sales",), SEGMENT, CHANNELS)
    post = new_post("p1", "acme", "alice", content(targeting), NOW)

    wire = pb.Post.FromString(post_to_pb(post).SerializeToString())
    assert (wire.targeting.segment_id, tuple(wire.targeting.channel_ids)) == (SEGMENT, CHANNELS)
    assert targeting_from_pb(wire.targeting) == targeting
    assert content_from_doc(content_to_doc(post.content)).targeting == targeting


def test_a_version_document_written_before_the_ids_reads_as_no_restriction() -> None:
    doc = content_to_doc(content(Targeting(("FR",))))
    del doc["segment_id"], doc["channel_ids"]
    assert content_from_doc(doc).targeting == Targeting(("FR",))


def test_the_request_is_trimmed_and_a_repeated_channel_counts_once() -> None:
    request = pb.CreatePostRequest(
        title="T",
        body="B",
        targeting=pb.Targeting(
            segment_id=f" {SEGMENT} ", channel_ids=[CHANNELS[0], f"{CHANNELS[1]} ", CHANNELS[0]]
        ),
    )
    assert content_from_pb(request).targeting == Targeting((), (), SEGMENT, CHANNELS)


@pytest.mark.parametrize(
    ("targeting", "field"),
    [
        (Targeting(segment_id="Sales people"), "targeting.segment_id"),
        (Targeting(segment_id=SEGMENT.upper()), "targeting.segment_id"),
        (Targeting(channel_ids=(CHANNELS[0], "careers")), "targeting.channel_ids[1]"),
        (Targeting(channel_ids=("",)), "targeting.channel_ids[0]"),
    ],
)
def test_an_id_of_another_form_is_refused_naming_the_field(
    targeting: Targeting, field: str
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        validate_content(content(targeting), "alice")
    assert caught.value.field == field


def test_well_formed_ids_pass() -> None:
    validate_content(content(Targeting((), (), SEGMENT, CHANNELS)), "alice")
