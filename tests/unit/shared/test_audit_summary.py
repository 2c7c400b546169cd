"""chorus_messaging.audit's summary of a change: only what differs, field
names and non-personal values, compact and bounded."""

from __future__ import annotations

import json

import pytest
from chorus_messaging.audit import MAX_SUMMARY_CHARS, State, digest, summarise


def test_only_changed_fields_appear_with_before_and_after() -> None:
    before: State = {"enabled": True, "channels": ["ch-1"], "version": 3}
    after: State = {"enabled": True, "channels": ["ch-1", "ch-2"], "version": 4}
    assert json.loads(summarise(before, after)) == {
        "channels": [["ch-1"], ["ch-1", "ch-2"]],
        "version": [3, 4],
    }
    assert summarise(before, before) == "{}"


def test_creation_removal_and_a_field_that_appears() -> None:
    assert json.loads(summarise(None, {"roles": ["reviewer"]})) == {"roles": [None, ["reviewer"]]}
    assert json.loads(summarise({"roles": ["reviewer"]}, None)) == {"roles": [["reviewer"], None]}
    # A field set to None is still a change from "absent".
    assert json.loads(summarise({}, {"reason": None})) == {"reason": [None, None]}


def test_long_strings_are_kept_as_digests() -> None:
    text = "Never mention the merger " * 10
    summary = json.loads(summarise({"text": "short"}, {"text": text}))
    assert summary == {"text": ["short", digest(text)]}
    assert "merger" not in json.dumps(summary)


def test_too_many_fields_keep_their_names_only() -> None:
    after: State = {f"field_{i:03d}": "v" * 70 for i in range(200)}
    text = summarise(None, after)
    assert len(text) <= MAX_SUMMARY_CHARS
    assert json.loads(text)["fields"][:2] == ["field_000", "field_001"]


def test_nested_values_are_refused() -> None:
    with pytest.raises(TypeError):
        summarise(None, {"grants": {"role": "reviewer"}})  # type: ignore[dict-item]
