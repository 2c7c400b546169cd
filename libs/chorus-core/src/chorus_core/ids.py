"""Identifiers. Events and rows use UUIDv7 (time-ordered); ids that must be the
same every time they are computed (a share for one employee and one post) are
UUIDv5 over their natural key, which is what makes re-processing idempotent."""

from __future__ import annotations

import uuid

import uuid_utils

_CHORUS_NAMESPACE = uuid.UUID("8f5b2c1e-4a0d-4c7e-9b1a-2f6c3d9e7a10")


def new_id() -> str:
    return str(uuid_utils.uuid7())


def stable_id(kind: str, *parts: str) -> str:
    """Deterministic id for a natural key, e.g. stable_id("share", post, employee)."""
    return str(uuid.uuid5(_CHORUS_NAMESPACE, "\x1f".join((kind, *parts))))
