"""Reading an HR export, one record at a time. Pure: no I/O of its own.

The csv module streams over a text wrapper around the bytes or a binary file
(a spooled temporary file when the export arrived in gRPC chunks), so a large
export is never held in memory; the caller writes valid rows in chunks as
they come.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO

from chorus_core.errors import InvalidArgument

from targeting_service.domain.employees import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    DirectoryEntry,
    Employee,
    entry_from_row,
)


@dataclass(frozen=True)
class RowError:
    line: int  # physical line in the file where the record starts; header = 1
    reason: str  # names the column and the rule, never the value (personal data)


@dataclass(frozen=True)
class ParsedRow:
    line: int
    entry: DirectoryEntry

    @property
    def employee(self) -> Employee:
        return self.entry.employee


def check_mapping(mapping: Mapping[str, str]) -> dict[str, str]:
    """{column in the export: our column}, e.g. {"Work Email": "email"}."""
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    clean: dict[str, str] = {}
    for source, target in mapping.items():
        if target.strip().lower() not in known:
            raise InvalidArgument(
                "column_mapping", f"{target!r} (for {source!r}) is not a directory column"
            )
        clean[source.strip().lower()] = target.strip().lower()
    return clean


def parse_directory(
    tenant_id: str, data: bytes | IO[bytes], mapping: Mapping[str, str] | None = None
) -> Iterator[ParsedRow | RowError]:
    """Yields each record as a valid employee or an error for its line.

    A file without the required header columns, or that is not UTF-8, raises
    InvalidArgument('csv', ...) instead: no row of it can be trusted.
    """
    renames = check_mapping(mapping or {})
    if isinstance(data, bytes):
        if not data.strip():
            raise InvalidArgument("csv", "the file is empty; expected a header line and rows")
        data = io.BytesIO(data)
    # utf-8-sig: spreadsheet programs put a byte-order mark in front of the header.
    text = io.TextIOWrapper(data, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, strict=True)
    try:
        first = next(reader, None)
        if first is None:
            raise InvalidArgument("csv", "the file is empty; expected a header line and rows")
        header = [renames.get(name.strip().lower(), name.strip().lower()) for name in first]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise InvalidArgument("csv", f"header lacks column(s): {', '.join(missing)}")
        duplicated = sorted({name for name in header if header.count(name) > 1})
        if duplicated:
            raise InvalidArgument("csv", f"header repeats column(s): {', '.join(duplicated)}")
        seen: dict[str, int] = {}
        # reader.line_num counts physical lines consumed so far; a record
        # starts on the line after the previous record ended (quoted fields
        # may span lines).
        ended_at = reader.line_num
        for record in reader:
            line, ended_at = ended_at + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank line (trailing newline, spacer rows)
            yield _parse_record(tenant_id, header, record, line, seen)
    except UnicodeDecodeError as error:
        raise InvalidArgument("csv", f"not UTF-8 text (byte {error.start} of a chunk)") from None
    except csv.Error as error:
        # Broken quoting desynchronises every following record: refuse the file.
        raise InvalidArgument(
            "csv", f"malformed CSV after line {reader.line_num}: {error}"
        ) from None


def _parse_record(
    tenant_id: str, header: list[str], record: list[str], line: int, seen: dict[str, int]
) -> ParsedRow | RowError:
    if len(record) != len(header):
        return RowError(line, f"expected {len(header)} columns, found {len(record)}")
    try:
        entry = entry_from_row(tenant_id, dict(zip(header, record, strict=True)))
    except InvalidArgument as error:
        return RowError(line, error.message)
    employee = entry.employee
    first = seen.get(employee.external_id)
    if first is not None:
        # Two rows for one person: which one HR meant is unknowable, and an
        # upsert would silently keep the last. Report it instead.
        return RowError(line, f"external_id: already appears on line {first}")
    seen[employee.external_id] = line
    return ParsedRow(line, entry)
