"""Social accounts: what a valid connection request looks like. Pure: no I/O."""

from __future__ import annotations

import re

from chorus_core.errors import InvalidArgument
from chorus_core.ids import stable_id
from chorus_core.validation import require

# An AT Protocol handle is a domain name (user.bsky.social, user123.test).
_HANDLE = re.compile(
    r"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$"
)
MAX_SECRET_LENGTH = 4096
DEFAULT_NETWORK = "bluesky"
# TokenExpiring goes out this many days before a token stops working
# (CHORUS_PUBLISHING_TOKEN_WARNING_DAYS), within these bounds: at least a
# day's notice, and no more than a LinkedIn token's whole life and then some.
DEFAULT_TOKEN_WARNING_DAYS = 7
MIN_TOKEN_WARNING_DAYS, MAX_TOKEN_WARNING_DAYS = 1, 90


def account_id_for(tenant_id: str, employee_id: str, network: str) -> str:
    return stable_id("account", tenant_id, employee_id, network)


def associated_data(tenant_id: str, employee_id: str, network: str) -> bytes:
    """Binds an encrypted secret to its row: a ciphertext copied to another
    employee's (or tenant's) row fails to decrypt instead of lending them
    someone else's account."""
    return "\x1f".join(("chorus/publishing/account/v1", tenant_id, employee_id, network)).encode()


def supported_network(requested: str, supported: tuple[str, ...]) -> str:
    """The network a request names, normalised (empty: Bluesky); one that
    publishing has no connector for is refused naming `network`."""
    network = (requested or DEFAULT_NETWORK).strip().lower()
    if network not in supported:
        raise InvalidArgument(
            "network", f"{network!r} is not supported; supported: {', '.join(supported)}"
        )
    return network


def validate_connection(network: str, supported: tuple[str, ...], handle: str, secret: str) -> str:
    """Returns the normalised handle."""
    supported_network(network, supported)
    require("handle", handle)
    normalised = handle.strip().lstrip("@").lower()
    if network == "bluesky" and (len(normalised) > 253 or not _HANDLE.match(normalised)):
        raise InvalidArgument("handle", "is not a Bluesky handle (like name.bsky.social)")
    require("secret", secret)
    if len(secret) > MAX_SECRET_LENGTH:
        raise InvalidArgument("secret", f"must be at most {MAX_SECRET_LENGTH} characters")
    return normalised
