"""Record keys for Bluesky posts, derived from the share id. Pure: no I/O.

An app.bsky.feed.post record is keyed by a TID: 13 characters of the
base32-sortable alphabet encoding a 64-bit integer whose top bit is 0. A PDS
refuses to create a second record under an existing key, so a key that is a
function of the share id turns "the same share delivered twice" into "one
post": the second create fails and the first record is fetched instead.
(Networks accept no idempotency keys; this is the closest Bluesky offers.)
"""

from __future__ import annotations

import hashlib
import re

ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
TID_LENGTH = 13
# The first character carries the top bits; with bit 63 clear it is one of
# the first 16 symbols (the syntax rule in the AT Protocol spec).
TID_PATTERN = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
_DOMAIN = b"chorus/publishing/rkey/v1\x1f"


def encode_tid(value: int) -> str:
    if not 0 <= value < 1 << 63:
        raise ValueError("a TID is a 64-bit integer with the top bit clear")
    chars = []
    for _ in range(TID_LENGTH):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def rkey_for_share(share_id: str) -> str:
    """Deterministic: the same share id always gives the same valid TID.

    A hash (not the share id's own bits) spreads keys evenly and says nothing
    about the share to whoever reads the public record."""
    digest = hashlib.sha256(_DOMAIN + share_id.encode()).digest()
    return encode_tid(int.from_bytes(digest[:8], "big") & ((1 << 63) - 1))


def is_tid(value: str) -> bool:
    return bool(TID_PATTERN.match(value))
