"""What a directory import reports. Pure values: the import use case builds
them, the import log stores them (for a replayed request_id), the gRPC API
encodes them."""

from __future__ import annotations

from dataclasses import dataclass

from targeting_service.domain.csv_rows import RowError


@dataclass(frozen=True)
class Change:
    external_id: str
    kind: str  # created | updated | deactivated
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    """created: people new to the directory; updated: known people whose data
    changed (re-importing an unchanged export reports 0 and 0)."""

    created: int
    updated: int
    errors: tuple[RowError, ...]
    deactivated: int = 0
    changes: tuple[Change, ...] = ()  # what changed (or would, in a dry run)
