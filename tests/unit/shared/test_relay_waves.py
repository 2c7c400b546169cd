"""The relay's waves (chorus_messaging.relay.waves): rows sent at once have
distinct keys, and a key's rows go in the order they were written, each in a
later wave than the one before it."""

from __future__ import annotations

from datetime import UTC, datetime

from chorus_messaging.relay import waves
from chorus_messaging.tables import OutboxMessage


def row(seq: int, key: str) -> OutboxMessage:
    return OutboxMessage(
        seq=seq,
        key=key,
        ce_id=f"id-{seq}",
        tenant_id="t1",
        topic="chorus.test",
        ce_type="chorus.test.v1.Happened",
        ce_subject=key,
        ce_time=datetime(2026, 12, 4, tzinfo=UTC),
        payload=b"",
    )


def keys(rows: list[list[OutboxMessage]]) -> list[list[tuple[int | None, str]]]:
    return [[(r.seq, r.key) for r in wave] for wave in rows]


def test_distinct_keys_go_in_one_wave() -> None:
    assert keys(waves([row(1, "a"), row(2, "b"), row(3, "c")])) == [[(1, "a"), (2, "b"), (3, "c")]]


def test_a_keys_later_rows_wait_for_a_later_wave_in_order() -> None:
    rows = [row(1, "a"), row(2, "a"), row(3, "b"), row(4, "a"), row(5, "b"), row(6, "c")]
    assert keys(waves(rows)) == [
        [(1, "a"), (3, "b"), (6, "c")],
        [(2, "a"), (5, "b")],
        [(4, "a")],
    ]


def test_nothing_gives_no_wave() -> None:
    assert waves([]) == []
