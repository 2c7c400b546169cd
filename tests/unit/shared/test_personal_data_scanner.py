"""The personal-data scanner the end-to-end test runs over every span, log
line and Kafka key (tests/e2e/personal_data.py) catches each kind it claims
to, wherever it hides, and stays quiet on what a clean run really writes:
so its "zero findings" cannot be a scan that looks at nothing."""

from __future__ import annotations

import json
from collections.abc import Iterable

from chorus_cli.traces import Span, SpanEvent

from tests.e2e.personal_data import Known, scan

KNOWN = Known(
    names=frozenset({"Núria Puig", "Ana Silva"}),
    emails=frozenset({"nuria.puig@acme.example"}),
    handles=frozenset({"u3fa9c01b2e.test"}),
    account_ids=frozenset({"did:plc:7ovnkchcvmw52dgu6d3252uw"}),
    passwords=frozenset({"pw-3fa9c01b2e-a1b2c3"}),
)


def span(name: str = "chorus.content.post.v1 process", **attributes: object) -> Span:
    return Span(
        trace_id="0af7651916cd43dd8448eb211c80319c",
        span_id="b7ad6b7169203331",
        parent_id="",
        name=name,
        service="chorus-test",
        start_ns=1,
        end_ns=2,
        attributes=dict(attributes),
    )


def kinds(spans: Iterable[Span] = (), logs: Iterable[tuple[str, str]] = ()) -> list[str]:
    return [f.kind for f in scan(KNOWN, spans=spans, logs=logs).findings]


def test_each_known_kind_is_caught_where_it_hides() -> None:
    traced = Span(
        **{
            **span().__dict__,
            "name": "welcome Núria Puig",
            "events": (SpanEvent("exception", {"exception.message": "NURIA.PUIG@acme.example"}),),
            "status_message": "no account did:plc:7ovnkchcvmw52dgu6d3252uw",
            "attributes": {"peer": ["x", {"handle": "u3fa9c01b2e.test"}]},
        }
    )
    result = scan(
        KNOWN,
        spans=[traced],
        logs=[
            (json.dumps({"message": "login", "who": "ana silva"}), "a.log:1"),
            ("plain text pw-3fa9c01b2e-a1b2c3 here", "b.log:7"),
        ],
        keys=[(b"u3fa9c01b2e.test", "topic[0]@3")],
    )
    found = {
        (f.kind, f.where.split(" (")[0] if f.where.startswith("span") else f.where)
        for f in result.findings
    }
    assert ("display name", "span chorus-test 'welcome Núria Puig'") in found
    assert {f.kind for f in result.findings} >= {
        "display name",
        "employee e-mail",
        "e-mail address",
        "Bluesky handle",
        "Bluesky account id",
        "password",
    }
    wheres = " | ".join(f.where for f in result.findings)
    # json.dumps wrote "ana silva" as is, but "Núria" as "N\u00faria": both found.
    assert "a.log:1.who" in wheres
    assert "b.log:7" in wheres and "topic[0]@3" in wheres
    assert "event 'exception' attribute exception.message" in wheres
    assert " status" in wheres and "attribute peer[1].handle" in wheres
    assert (result.spans, result.log_lines, result.keys) == (1, 2, 1)
    # A finding never repeats the whole secret.
    assert all("pw-3fa9c01b2e-a1b2c3" not in f.excerpt for f in result.findings)


def test_a_name_in_escaped_json_is_found() -> None:
    line = json.dumps({"message": "hello Núria Puig"})
    assert "\\u00fa" in line
    assert kinds(logs=[(line, "x.log:1")]) == ["display name"]


def test_shapes_are_caught_without_knowing_the_person() -> None:
    for text, kind in [
        ("mail someone.else@example.org now", "e-mail address"),
        ("call +33 6 12 34 56 78", "phone number"),
        ("call (555) 123-4567", "phone number"),
        ("call 06 12 34 56 78", "phone number"),
        ("call 555-123-4567", "phone number"),
        ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "JWT"),
        ("Authorization: Bearer 3q2-7wQx_abcdEFGH", "bearer token"),
    ]:
        assert kind in kinds(spans=[span(detail=text)]), text


def test_names_match_as_words_only() -> None:
    assert kinds(spans=[span(note="bananA SILVAware and ana silvas")]) == []


def test_what_a_clean_run_writes_is_not_flagged() -> None:
    clean = span(
        "/chorus.metrics.v1.MetricsService/CreateTrackedLink",
        **{
            "chorus.tenant_id": "demo-6627e85a",
            "chorus.post_id": "3dbd3355-0628-5c6e-b270-a98dc80d40b6",
            "chorus.event_id": "01a233a7-8cd5-7753-9372-c12d6462e076",
            "messaging.kafka.message.offset": "1796163044681493615",
            "net.peer.ip": "127.0.0.1",
            "net.peer.port": "52526",
            "db.name": "chorus_targeting_92ce792c9b",
            "db.statement": "SELECT a FROM t WHERE b = $1::VARCHAR LIMIT $2::INTEGER",
            "url": "http://127.0.0.1:7280/l/AbC12345?utm_source=bluesky",
            "rpc.user_agent": "grpc-python-asyncio/1.85.1 grpc-c/58.0.0 (linux; chttp2)",
            "mention": "share it with your network #CleanEnergy @acme.test",
        },
    )
    log = json.dumps(
        {
            "time": "2026-12-01T22:10:52.397+00:00",
            "message": "gRPC server listening",
            "address": "127.0.0.1:50051",
            "when": "2026-12-01 22:10:52,397",
            "error": 'File "/work/x.py", line 237, in approve_post',
        }
    )
    result = scan(KNOWN, spans=[clean], logs=[(log, "c.log:1")], keys=[(b"AbC12345", "k")])
    assert result.findings == []
    assert (result.spans, result.log_lines, result.keys) == (1, 1, 1)
